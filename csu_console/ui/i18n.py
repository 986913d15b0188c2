"""UI language: French source strings, English through a Qt translation file."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

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
