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
    QT_TRANSLATE_NOOP("Labels", "Inondation"),
    QT_TRANSLATE_NOOP("Labels", "Feu de forêt"),
    QT_TRANSLATE_NOOP("Labels", "Météo"),
    QT_TRANSLATE_NOOP("Labels", "Pollution"),
    QT_TRANSLATE_NOOP("Labels", "Risque technologique"),
    QT_TRANSLATE_NOOP("Labels", "Séisme"),
    QT_TRANSLATE_NOOP("Labels", "Alerte à la population"),
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
    # core.alerts.ISSUER_STATE_LABELS
    QT_TRANSLATE_NOOP("Labels", "Annulée par l'émetteur"),
    QT_TRANSLATE_NOOP("Labels", "Expirée"),
    # core.logbook.EVENT_LABELS (those not above), ui.console.alert_detail.PURGED_LABEL
    QT_TRANSLATE_NOOP("Labels", "Alerte reçue"),
    QT_TRANSLATE_NOOP("Labels", "Alerte affichée"),
    QT_TRANSLATE_NOOP("Labels", "Reprise"),
    QT_TRANSLATE_NOOP("Labels", "Caméra consultée"),
    QT_TRANSLATE_NOOP("Labels", "Capture d'image"),
    QT_TRANSLATE_NOOP("Labels", "Caméra rétablie"),
    QT_TRANSLATE_NOOP("Labels", "Unité engagée"),
    QT_TRANSLATE_NOOP("Labels", "Unité sur place"),
    QT_TRANSLATE_NOOP("Labels", "Intervention terminée"),
    QT_TRANSLATE_NOOP("Labels", "Alerte clôturée"),
    QT_TRANSLATE_NOOP("Labels", "Alarme en sourdine"),
    QT_TRANSLATE_NOOP("Labels", "Son rétabli"),
    QT_TRANSLATE_NOOP("Labels", "Escalade au chef de salle"),
    QT_TRANSLATE_NOOP("Labels", "Mise à jour d'un autre poste"),
    QT_TRANSLATE_NOOP("Labels", "Mise à jour ignorée"),
    QT_TRANSLATE_NOOP("Labels", "Unité disponible"),
    QT_TRANSLATE_NOOP("Labels", "Unité indisponible"),
    QT_TRANSLATE_NOOP("Labels", "Note"),
    QT_TRANSLATE_NOOP("Labels", "Correction"),
    QT_TRANSLATE_NOOP("Labels", "Opérateur au poste"),
    QT_TRANSLATE_NOOP("Labels", "Connexion"),
    QT_TRANSLATE_NOOP("Labels", "Déconnexion"),
    QT_TRANSLATE_NOOP("Labels", "Échec de connexion"),
    QT_TRANSLATE_NOOP("Labels", "Compte verrouillé"),
    QT_TRANSLATE_NOOP("Labels", "Compte créé"),
    QT_TRANSLATE_NOOP("Labels", "Compte désactivé"),
    QT_TRANSLATE_NOOP("Labels", "Mot de passe changé"),
    QT_TRANSLATE_NOOP("Labels", "Configuration modifiée"),
    QT_TRANSLATE_NOOP("Labels", "Ouverture de vacation"),
    QT_TRANSLATE_NOOP("Labels", "Clôture de vacation"),
    QT_TRANSLATE_NOOP("Labels", "Purge RGPD"),
    QT_TRANSLATE_NOOP("Labels", "Chaînage de la main courante"),
    QT_TRANSLATE_NOOP("Labels", "Export des enregistrements"),
    QT_TRANSLATE_NOOP("Labels", "Arrêt de la console"),
    QT_TRANSLATE_NOOP("Labels", "Main courante"),
    QT_TRANSLATE_NOOP("Labels", "Réquisition judiciaire : conservation"),
    QT_TRANSLATE_NOOP("Labels", "Réquisition judiciaire : levée"),
    QT_TRANSLATE_NOOP("Labels", "Consultation de la revue"),
    QT_TRANSLATE_NOOP("Labels", "Mise à jour de l'émetteur"),
    QT_TRANSLATE_NOOP("Labels", "Annulation de l'émetteur"),
    QT_TRANSLATE_NOOP("Labels", "Message CAP en attente de son alerte"),
    QT_TRANSLATE_NOOP("Labels", "Message CAP au journal des partenaires"),
    QT_TRANSLATE_NOOP("Labels", "Alerte expirée"),
    QT_TRANSLATE_NOOP("Labels", "Enregistrement consulté"),
    QT_TRANSLATE_NOOP("Labels", "Extraction sur réquisition"),
    QT_TRANSLATE_NOOP("Labels", "Extraction échouée"),
    QT_TRANSLATE_NOOP("Labels", "Signal faible détecté"),
    QT_TRANSLATE_NOOP("Labels", "Signal faible suivi"),
    QT_TRANSLATE_NOOP("Labels", "Signal faible classé sans suite"),
    QT_TRANSLATE_NOOP("Labels", "Suggestion de tri acceptée"),
    QT_TRANSLATE_NOOP("Labels", "Suggestion de tri refusée"),
    QT_TRANSLATE_NOOP("Labels", "Priorité modifiée"),
    QT_TRANSLATE_NOOP("Labels", "Signalements regroupés"),
    QT_TRANSLATE_NOOP("Labels", "Signalement détaché de son groupe"),
    # core.entries.ENTRY_TYPE_LABELS
    QT_TRANSLATE_NOOP("Labels", "Appel reçu"),
    QT_TRANSLATE_NOOP("Labels", "Message radio"),
    QT_TRANSLATE_NOOP("Labels", "Constat vidéo"),
    QT_TRANSLATE_NOOP("Labels", "Patrouille"),
    QT_TRANSLATE_NOOP("Labels", "Information"),
    QT_TRANSLATE_NOOP("Labels", "Consigne"),
    QT_TRANSLATE_NOOP("Labels", "Autre"),
    QT_TRANSLATE_NOOP("Labels", "contenu purgé (RGPD)"),
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
    # core.closing.QUALIFICATION_LABELS (those not above), core.logbook (reopening)
    QT_TRANSLATE_NOOP("Labels", "Doublon"),
    QT_TRANSLATE_NOOP("Labels", "Rien constaté"),
    QT_TRANSLATE_NOOP("Labels", "Hors compétence"),
    QT_TRANSLATE_NOOP("Labels", "Transmis au 17 (police)"),
    QT_TRANSLATE_NOOP("Labels", "Transmis au 18 (pompiers)"),
    QT_TRANSLATE_NOOP("Labels", "Transmis au 15 (SAMU)"),
    QT_TRANSLATE_NOOP("Labels", "Alerte rouverte"),
    # core.roles.ROLE_LABELS
    QT_TRANSLATE_NOOP("Labels", "Opérateur"),
    QT_TRANSLATE_NOOP("Labels", "Superviseur"),
    QT_TRANSLATE_NOOP("Labels", "Installateur"),
    QT_TRANSLATE_NOOP("Labels", "Administrateur"),
    # core.roles.PERMISSION_LABELS
    QT_TRANSLATE_NOOP("Labels", "traiter les alertes"),
    QT_TRANSLATE_NOOP("Labels", "engager les unités"),
    QT_TRANSLATE_NOOP("Labels", "changer la disponibilité des unités"),
    QT_TRANSLATE_NOOP("Labels", "mettre l'alarme en sourdine"),
    QT_TRANSLATE_NOOP("Labels", "visionner les caméras"),
    QT_TRANSLATE_NOOP("Labels", "capturer une image"),
    QT_TRANSLATE_NOOP("Labels", "écrire dans la main courante"),
    QT_TRANSLATE_NOOP("Labels", "ouvrir ou clôturer une vacation"),
    QT_TRANSLATE_NOOP("Labels", "consulter la main courante"),
    QT_TRANSLATE_NOOP("Labels", "exporter les enregistrements"),
    QT_TRANSLATE_NOOP("Labels", "vérifier l'intégrité de la main courante"),
    QT_TRANSLATE_NOOP("Labels", "voir les postes de la salle"),
    QT_TRANSLATE_NOOP("Labels", "modifier la configuration du site"),
    QT_TRANSLATE_NOOP("Labels", "modifier les durées de conservation et la sécurité des comptes"),
    QT_TRANSLATE_NOOP("Labels", "gérer les comptes"),
    QT_TRANSLATE_NOOP("Labels", "purger les données personnelles"),
    QT_TRANSLATE_NOOP("Labels", "placer ou lever une réquisition judiciaire"),
    QT_TRANSLATE_NOOP("Labels", "consulter le registre des accès"),
    QT_TRANSLATE_NOOP("Labels", "visionner les enregistrements"),
    QT_TRANSLATE_NOOP("Labels", "extraire des enregistrements sur réquisition"),
    QT_TRANSLATE_NOOP("Labels", "examiner les signaux faibles"),
    # core.weak_signals.model.SIGNAL_KIND_LABELS and SIGNAL_STATUS_LABELS
    QT_TRANSLATE_NOOP("Labels", "Récurrence"),
    QT_TRANSLATE_NOOP("Labels", "Regroupement spatio-temporel"),
    QT_TRANSLATE_NOOP("Labels", "Terme récurrent"),
    QT_TRANSLATE_NOOP("Labels", "Nouveau"),
    QT_TRANSLATE_NOOP("Labels", "Suivi"),
    QT_TRANSLATE_NOOP("Labels", "Sans suite"),
    # core.recording.GapReason values and MARK_LABELS
    QT_TRANSLATE_NOOP("Labels", "pas d'enregistrement"),
    QT_TRANSLATE_NOOP("Labels", "caméra hors service"),
    QT_TRANSLATE_NOOP("Labels", "segment illisible"),
    QT_TRANSLATE_NOOP("Labels", "disque plein"),
    QT_TRANSLATE_NOOP("Labels", "Signalement"),
    QT_TRANSLATE_NOOP("Labels", "Réception"),
    QT_TRANSLATE_NOOP("Labels", "Engagement"),
    # media.video.source.StreamError values
    QT_TRANSLATE_NOOP("Labels", "refusé"),
    QT_TRANSLATE_NOOP("Labels", "non autorisé"),
    QT_TRANSLATE_NOOP("Labels", "délai dépassé"),
    QT_TRANSLATE_NOOP("Labels", "hôte inconnu"),
    QT_TRANSLATE_NOOP("Labels", "pas de vidéo"),
    QT_TRANSLATE_NOOP("Labels", "image figée"),
    QT_TRANSLATE_NOOP("Labels", "non pris en charge"),
    QT_TRANSLATE_NOOP("Labels", "erreur"),
    # core.triage.SUGGESTION_LABELS
    QT_TRANSLATE_NOOP("Labels", "Doublon probable"),
    QT_TRANSLATE_NOOP("Labels", "Priorité à relever"),
    QT_TRANSLATE_NOOP("Labels", "Pertinence faible"),
)

#: Every label source text known to the translation files.
LABEL_SOURCES: frozenset[str] = frozenset(str(s) for s in _SOURCES)


def tr_label(text: str) -> str:
    """``text`` (a French label from the core) in the UI language."""
    return QCoreApplication.translate(CONTEXT, text)
