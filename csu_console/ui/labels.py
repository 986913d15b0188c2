"""Translation of the labels that come from the Qt-free core as data.

The core keeps French labels in plain dicts (``CATEGORY_LABELS``…); the UI
passes them through :func:`tr_label`. ``lupdate`` cannot see a ``tr(variable)``,
so every label is also listed here with ``QT_TRANSLATE_NOOP``, which it does
extract into the ``Labels`` context. ``tests/gui/test_i18n.py`` checks that this
list and the core's dicts agree.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "Labels"

# The context must be a literal here: lupdate does not resolve names.
_SOURCES = (
    # core.alerts.CATEGORY_LABELS
    QT_TRANSLATE_NOOP("Labels", "Cambriolage"),
    QT_TRANSLATE_NOOP("Labels", "Comportement suspect"),
    QT_TRANSLATE_NOOP("Labels", "Démarchage abusif"),
    QT_TRANSLATE_NOOP("Labels", "Animal perdu"),
    QT_TRANSLATE_NOOP("Labels", "Dégradation"),
    QT_TRANSLATE_NOOP("Labels", "Incendie"),
    QT_TRANSLATE_NOOP("Labels", "Accident"),
    QT_TRANSLATE_NOOP("Labels", "Rixe"),
    QT_TRANSLATE_NOOP("Labels", "Autre"),
    # core.alerts.PRIORITY_LABELS
    QT_TRANSLATE_NOOP("Labels", "Urgente"),
    QT_TRANSLATE_NOOP("Labels", "Haute"),
    QT_TRANSLATE_NOOP("Labels", "Normale"),
    QT_TRANSLATE_NOOP("Labels", "Information"),
    # core.alerts.STATE_LABELS
    QT_TRANSLATE_NOOP("Labels", "Nouvelle"),
    QT_TRANSLATE_NOOP("Labels", "Prise en compte"),
    QT_TRANSLATE_NOOP("Labels", "Patrouille engagée"),
    QT_TRANSLATE_NOOP("Labels", "Clôturée"),
    # ui.console.alert_detail.EVENT_LABELS (those not above)
    QT_TRANSLATE_NOOP("Labels", "Reçue"),
    QT_TRANSLATE_NOOP("Labels", "Affichée"),
    # core.dispatch.UNIT_STATUS_LABELS, STAGE_LABELS, OUTCOME_LABELS
    QT_TRANSLATE_NOOP("Labels", "Disponible"),
    QT_TRANSLATE_NOOP("Labels", "En intervention"),
    QT_TRANSLATE_NOOP("Labels", "Indisponible"),
    QT_TRANSLATE_NOOP("Labels", "Engagée"),
    QT_TRANSLATE_NOOP("Labels", "Sur place"),
    QT_TRANSLATE_NOOP("Labels", "Interpellation"),
    QT_TRANSLATE_NOOP("Labels", "Verbalisation"),
    QT_TRANSLATE_NOOP("Labels", "Rien à signaler"),
    QT_TRANSLATE_NOOP("Labels", "Remis à la police nationale"),
    QT_TRANSLATE_NOOP("Labels", "Fausse alerte"),
    # media.video.source.StreamError values
    QT_TRANSLATE_NOOP("Labels", "refusé"),
    QT_TRANSLATE_NOOP("Labels", "non autorisé"),
    QT_TRANSLATE_NOOP("Labels", "délai dépassé"),
    QT_TRANSLATE_NOOP("Labels", "hôte inconnu"),
    QT_TRANSLATE_NOOP("Labels", "pas de vidéo"),
    QT_TRANSLATE_NOOP("Labels", "image figée"),
    QT_TRANSLATE_NOOP("Labels", "non pris en charge"),
    QT_TRANSLATE_NOOP("Labels", "erreur"),
)

#: Every label source text known to the translation files.
LABEL_SOURCES: frozenset[str] = frozenset(str(s) for s in _SOURCES)


def tr_label(text: str) -> str:
    """``text`` (a French label from the core) in the UI language."""
    return QCoreApplication.translate(CONTEXT, text)
