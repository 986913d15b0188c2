"""How an export ends, said the same way everywhere (the review's exports, the
access register, the register of extractions): a box the operator can select the
SHA-256 from, the French words for done and failed, the log line for a bug."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from csu_console.errors import UserFacingError
from csu_console.storage.review_export import ExportResult

log = logging.getLogger("csu.ui")
_CONTEXT = "ExportOutcome"


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def result_box(parent: QWidget, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    """A non-blocking box (``open``), its text selectable (the SHA-256), deleted on close."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.open()
    return box


def done_box(parent: QWidget, result: ExportResult) -> QMessageBox:
    """« Export terminé et inscrit à la main courante » with its event, rows, file, SHA-256."""
    text = _tr(
        "Export terminé et inscrit à la main courante (événement n° {pk}).\n\n"
        "Lignes : {rows}\nFichier : {path}\nSHA-256 : {sha}"
    ).format(pk=result.event_pk, rows=result.rows, path=result.path, sha=result.sha256)
    return result_box(parent, QMessageBox.Icon.Information, _tr("Export terminé"), text)


def failure_text(exc: BaseException, what: str) -> str:
    """The French message of a failed export; a bug (not a user-facing error) is logged
    with its traceback, ``what`` naming the export in the log."""
    if isinstance(exc, UserFacingError):  # no role to reveal, disk full…
        return _tr("Export impossible : {m}").format(m=exc)
    log.error("%s en échec", what, exc_info=exc)
    return _tr("Export impossible (erreur interne) : {m}").format(m=exc)


def failed_box(parent: QWidget, message: str) -> QMessageBox:
    return result_box(parent, QMessageBox.Icon.Critical, _tr("Export impossible"), message)
