"""UI language: French source strings, English through a Qt translation file;
Qt's own strings (the buttons of message boxes and button boxes, the file dialog)
through Qt's translation of its base library."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger("csu.ui")

I18N_DIR = Path(__file__).resolve().parent / "i18n"
LANGUAGES = ("fr", "en")


def install_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    """Load ``csu_<lang>.qm`` for a non-French UI; French needs nothing."""
    QLocale.setDefault(
        QLocale(QLocale.Language.French if language == "fr" else QLocale.Language.English)
    )
    if language == "fr":
        return None
    translator = QTranslator(app)
    qm = I18N_DIR / f"csu_{language}.qm"
    if not translator.load(str(qm)):
        log.warning("traduction %s introuvable (%s) : interface en français", language, qm)
        return None
    app.installTranslator(translator)
    return translator


def install_qt_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    """Load Qt's ``qtbase_<lang>.qm`` (shipped with PySide6) so that Qt's standard
    buttons and dialogs speak the UI's language: « Annuler », « Oui », « Enregistrer »
    in French. English needs nothing (Qt's own strings are English)."""
    if language == "en":
        return None
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load(f"qtbase_{language}", folder):
        log.warning("traduction de Qt qtbase_%s introuvable dans %s", language, folder)
        translator.deleteLater()
        return None
    app.installTranslator(translator)
    return translator
