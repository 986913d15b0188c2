"""« Extraction sur réquisition »: the form, then the extraction with a progress bar
and « Annuler », then what was written (files, sizes, SHA-256, gaps, the
procès-verbal) with « Ouvrir le dossier ».

The dialog is window-modal and opened with ``open()``: alerts keep ringing and
flashing meanwhile, and the work runs off the GUI thread
(:class:`~csu_console.ui.console.extraction_job.ExtractionJob`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.recording import RequisitionError
from csu_console.core.roles import Permission
from csu_console.report.extraction_pv import camera_label, human_size, period_text
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.extraction_form import ExtractionForm, Prefill
from csu_console.ui.console.extraction_job import ExtractionJob, JobInput, JobResult
from csu_console.ui.console.session import Session, role_label
from csu_console.ui.theme import current

log = logging.getLogger("csu.ui")


class SiteFacts:
    """What the dialog knows of the site (names, zone, retention, folders)."""

    def __init__(
        self,
        centre: str,
        commune: str,
        tz: ZoneInfo,
        cameras: Sequence[tuple[str, str]],
        recordings: Path,
        station: str,
        video_days: int = 30,
    ) -> None:
        self.centre, self.commune, self.tz = centre, commune, tz
        self.cameras = list(cameras)
        self.names = dict(cameras)
        self.recordings, self.station, self.video_days = recordings, station, video_days


class ExtractionDialog(QDialog):
    """See the module docstring. ``finished_extraction(JobResult)`` / ``failed(str)``."""

    extracted = Signal(object)  # JobResult
    failed = Signal(str)

    def __init__(
        self,
        site: SiteFacts,
        tasks: DbTasks,
        session: Session,
        *,
        prefill: Prefill | None = None,
        folder: Path | None = None,
        now: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.site, self.tasks, self.session = site, tasks, session
        self.job: ExtractionJob | None = None
        self.outcome: JobResult | None = None
        self.setWindowTitle(self.tr("Extraction sur réquisition"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        # Read from the operator's chair: 15 pt, « Extraire » the largest button.
        self.setStyleSheet(
            "QWidget { font-size: 15pt; }"
            " QPushButton#extract { font-weight: bold; padding: 8px 28px; }"
        )
        self.resize(1600, 900)
        self.form = ExtractionForm(site.cameras, site.tz, now=now, folder=folder, parent=self)
        if prefill is not None:
            self.form.apply(prefill)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.step = QLabel(self)
        self.step.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {current().danger_text}; font-weight: bold;")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        self.extract_button = QPushButton(self.tr("Extraire"), self)
        self.extract_button.setObjectName("extract")
        self.extract_button.setDefault(True)
        self.extract_button.clicked.connect(self.extract)
        self.cancel_button = QPushButton(self.tr("Annuler"), self)
        self.cancel_button.clicked.connect(self.cancel)
        self.hint = QLabel(self)
        self.hint.setStyleSheet(f"color: {current().danger_text}; font-weight: bold;")

        self.summary = QTextBrowser(self)
        self.summary.setOpenLinks(False)
        self.open_button = QPushButton(self.tr("Ouvrir le dossier"), self)
        self.open_button.clicked.connect(self.open_folder)
        self.close_button = QPushButton(self.tr("Fermer"), self)
        self.close_button.clicked.connect(self.accept)

        self.pages = QStackedWidget(self)
        form_page = QWidget(self)
        col = QVBoxLayout(form_page)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.form, 1)
        col.addWidget(self.step)
        col.addWidget(self.progress)
        col.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.extract_button)
        col.addLayout(buttons)
        result_page = QWidget(self)
        rcol = QVBoxLayout(result_page)
        rcol.setContentsMargins(0, 0, 0, 0)
        rcol.addWidget(self.summary, 1)
        rbuttons = QHBoxLayout()
        rbuttons.addStretch(1)
        rbuttons.addWidget(self.open_button)
        rbuttons.addWidget(self.close_button)
        rcol.addLayout(rbuttons)
        self.pages.addWidget(form_page)
        self.pages.addWidget(result_page)
        QVBoxLayout(self).addWidget(self.pages)
        # Ctrl+Entrée extracts from anywhere in the form (like the other dialogs).
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, self.extract)
        self.form.validity_changed.connect(self._on_validity)
        self._on_validity(self.form.valid)

    # -- the form ---------------------------------------------------------------------

    def _on_validity(self, ok: bool) -> None:
        running = self.job is not None and not self.job.done
        self.extract_button.setEnabled(ok and not running)
        self.hint.setText(
            "" if ok else self.tr("« Extraire » attend les champs signalés en rouge.")
        )

    def extract(self) -> None:
        """« Extraire »: checked again (role, every field), then run off the GUI thread."""
        if self.job is not None and not self.job.done:
            return
        account = self.session.account
        if account is None or not self.session.allowed(Permission.EXTRACT_VIDEO):
            self._show_error(self.session.refusal(Permission.EXTRACT_VIDEO))
            return
        if not self.form.validate():
            return
        try:
            request = self.form.request()
        except RequisitionError as exc:
            self._show_error(str(exc))
            return
        site = self.site
        job = JobInput(
            request, self.form.folder(), site.recordings, site.station, account.login,
            f"{account.display_name} ({account.login}, {role_label(account.role)})",
            site.centre, site.commune, site.tz, site.video_days, site.names,
        )  # fmt: skip
        self.error.hide()
        self.form.set_editable(False)
        self.extract_button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.job = ExtractionJob(self.tasks, job, self)
        self.job.progress.connect(self._on_progress)
        self.job.finished.connect(self._on_finished)
        self.job.failed.connect(self._on_failed)
        self.job.start()

    def cancel(self) -> None:
        """« Annuler »: stops a running extraction (no file kept), else closes."""
        job = self.job
        if job is not None and not job.done:
            if job.cancellable:
                self.step.setText(self.tr("Annulation…"))
                self.cancel_button.setEnabled(False)
                job.cancel()
            return
        self.reject()

    def _on_progress(self, fraction: float, text: str) -> None:
        self.progress.setValue(int(1000 * fraction))
        self.step.setText(text)
        if self.job is not None and not self.job.cancellable:
            self.cancel_button.setEnabled(False)

    def _on_failed(self, message: str) -> None:
        self.progress.hide()
        self.step.setText("")
        self.form.set_editable(True)
        self.cancel_button.setEnabled(True)
        self._on_validity(self.form.validate())
        self._show_error(self.tr("{m}\nL'échec est inscrit à la main courante.").format(m=message))
        self.failed.emit(message)

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    # -- the result -------------------------------------------------------------------

    def _on_finished(self, result: JobResult) -> None:
        self.outcome = result
        self.summary.setHtml(self.summary_html(result))
        self.pages.setCurrentIndex(1)
        self.close_button.setFocus()
        self.extracted.emit(result)

    def summary_html(self, result: JobResult) -> str:
        """Files, sizes, short SHA-256, gaps, the procès-verbal, the hold."""
        rec, tz, names = result.record, self.site.tz, self.site.names
        r = rec.request.requisition
        parts = [
            "<h2>" + self.tr("Extraction n° {pk} terminée").format(pk=rec.pk) + "</h2>",
            "<p>" + self.tr("Réquisition n° {n} — {s} — {o}").format(
                n=_esc(r.number), s=_esc(r.service), o=_esc(r.opj)) + "</p>",
            "<p>" + self.tr("Période : {p} (heure locale)").format(
                p=period_text(rec.request.start, rec.request.end, tz)) + "</p>",
            "<table cellpadding='4' border='1' cellspacing='0'><tr><th>"
            + "</th><th>".join((self.tr("Caméra"), self.tr("Fichier"), self.tr("Taille"),
                                self.tr("SHA-256 (début)"), self.tr("Sans enregistrement")))
            + "</th></tr>",
        ]  # fmt: skip
        for f in rec.files:
            gaps = "<br>".join(
                f"{period_text(g.start, g.end, tz)} — {_esc(str(g.reason))}" for g in f.gaps
            )
            written = bool(f.sha256)
            cells = (
                _esc(camera_label(f.camera_id, names)),
                _esc(f.path.name) if written else self.tr("aucun fichier"),
                human_size(f.size) if written else "",
                f"<tt>{f.sha256[:16]}…</tt>" if written else "",
                gaps or self.tr("aucune"),
            )
            parts.append("<tr><td>" + "</td><td>".join(cells) + "</td></tr>")
        parts.append("</table>")
        parts.append("<p>" + self.tr("Procès-verbal : {p}").format(p=_esc(str(result.report)))
                     + "<br>" + self.tr("Faits (JSON) : {p}").format(p=_esc(str(result.sidecar)))
                     + "</p>")  # fmt: skip
        parts.append("<p>" + self.tr(
            "Les segments sources sont sous conservation légale jusqu'à sa levée. "
            "Imprimez le procès-verbal, signez-le et faites-le signer à la remise."
        ) + "</p>")  # fmt: skip
        for p in result.problems:
            parts.append(f"<p style='color:#b71c1c'><b>{_esc(p)}</b></p>")
        return "".join(parts)

    def open_folder(self) -> None:
        if self.outcome is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.outcome.folder)))

    def closeEvent(self, event: QCloseEvent) -> None:
        job = self.job
        if job is not None and not job.done:
            if job.cancellable:
                job.cancel()  # its files are removed; the dialog goes when it says so
            event.ignore()
            return
        super().closeEvent(event)

    def reject(self) -> None:
        job = self.job
        if job is not None and not job.done:
            self.cancel()  # Échap during an extraction cancels it, then the form stays
            return
        super().reject()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def now_utc() -> datetime:
    return datetime.now(UTC)
