<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="fr">
<context>
    <name>AlertBanner</name>
    <message>
        <location filename="../console/alert_banner.py" line="+51"/>
        <source>sans localisation</source>
        <translation>no location</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{n} alertes en attente</source>
        <translation>{n} alerts waiting</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>[F2] prendre en compte</source>
        <translation>[F2] acknowledge</translation>
    </message>
</context>
<context>
    <name>AlertDetail</name>
    <message>
        <location filename="../console/alert_detail.py" line="+92"/>
        <source>Aucune alerte sélectionnée</source>
        <translation>No alert selected</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Priorité</source>
        <translation>Priority</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Catégorie</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>État</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Signalé à</source>
        <translation>Reported at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reçu à</source>
        <translation>Received at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Commune</source>
        <translation>Municipality</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Adresse</source>
        <translation>Address</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+2"/>
        <source>Position</source>
        <translation>Position</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>sans localisation</source>
        <translation>no location</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>anonyme</source>
        <translation>anonymous</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>membre vérifié</source>
        <translation>verified member</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signalant</source>
        <translation>Reporter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(sans titre)</source>
        <translation>(untitled)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Pièces jointes</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Autres signalements groupés ({n})</source>
        <translation>Other grouped reports ({n})</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Chronologie</source>
        <translation>Timeline</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>chargement…</source>
        <translation>loading…</translation>
    </message>
</context>
<context>
    <name>AlertOperations</name>
    <message>
        <location filename="../console/operations.py" line="+104"/>
        <source>Reprise d&apos;une alerte</source>
        <translation>Taking over an alert</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Reprise annulée : un motif est obligatoire.</source>
        <translation>Takeover cancelled: a reason is required.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>L&apos;alerte a été prise par un autre poste entre-temps : rien n&apos;a changé.</source>
        <translation>Another station took the alert in the meantime: nothing was changed.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>{title} : pris en charge par {station} – {operator}</source>
        <translation>{title}: taken by {station} – {operator}</translation>
    </message>
</context>
<context>
    <name>AlertTableModel</name>
    <message>
        <location filename="../console/alert_model.py" line="+105"/>
        <source>Priorité</source>
        <translation>Priority</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Catégorie</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Commune / adresse</source>
        <translation>Municipality / address</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signalé à</source>
        <translation>Reported at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reçu à</source>
        <translation>Received at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>État</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+262"/>
        <source>HORS SECTEUR</source>
        <translation>OUT OF SECTOR</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>ESCALADÉE</source>
        <translation>ESCALATED</translation>
    </message>
    <message>
        <location line="-297"/>
        <source>Titre</source>
        <translation>Title</translation>
    </message>
    <message>
        <location line="+262"/>
        <source>sans localisation</source>
        <translation>no location</translation>
    </message>
</context>
<context>
    <name>CameraTile</name>
    <message>
        <location filename="../wall/tile.py" line="+69"/>
        <source>Cliché</source>
        <translation>Snapshot</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enregistrer l&apos;image affichée comme preuve (empreinte SHA-256 conservée)</source>
        <translation>Save the picture on screen as evidence (its SHA-256 is recorded)</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Aucune caméra</source>
        <translation>No camera</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Arrêtée</source>
        <translation>Stopped</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>En direct</source>
        <translation>Live</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connexion…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signal perdu</source>
        <translation>Signal lost</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>image {t}</source>
        <translation>frame {t}</translation>
    </message>
</context>
<context>
    <name>CameraWall</name>
    <message>
        <location filename="../wall/wall.py" line="+69"/>
        <location line="+126"/>
        <source>Mur d&apos;images</source>
        <translation>Camera wall</translation>
    </message>
    <message>
        <location line="-115"/>
        <source>Disposition {t}</source>
        <translation>Layout {t}</translation>
    </message>
    <message>
        <location line="+117"/>
        <source>{name} (flux principal) — double-clic ou Échap : retour</source>
        <translation>{name} (main stream) — double-click or Esc: back</translation>
    </message>
</context>
<context>
    <name>ConfigProblemsDialog</name>
    <message>
        <location filename="../console/dialogs.py" line="+71"/>
        <source>Configuration du site : problèmes détectés</source>
        <translation>Site configuration: problems found</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{n} problème(s) dans la configuration {d}. La console fonctionne avec ce qui est valide ; faites corriger par l&apos;installateur (csu-console config check).</source>
        <translation>{n} problem(s) in the configuration {d}. The console runs with what is valid; have the installer fix the rest (csu-console config check).</translation>
    </message>
</context>
<context>
    <name>DispatchDialog</name>
    <message>
        <location filename="../console/dispatch_dialog.py" line="+84"/>
        <source>Engager une patrouille</source>
        <translation>Dispatch a patrol</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Urgence vitale ou délit en cours : appelez le 17 (police) ou le 18 (pompiers), le 15 (SAMU), le 112. La police municipale ne les remplace pas.</source>
        <translation>Life at risk or crime in progress: call 17 (police) or 18 (fire brigade), 15 (ambulance), 112. The municipal police does not replace them.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Consignes pour l&apos;équipage (lieu précis, signalement, prudence…)</source>
        <translation>Instructions for the crew (exact place, description, caution…)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Engager (Ctrl+Entrée)</source>
        <translation>Dispatch (Ctrl+Enter)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Annuler (Échap)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Unité (↑/↓, Entrée pour engager) :</source>
        <translation>Unit (↑/↓, Enter to dispatch):</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Consignes :</source>
        <translation>Instructions:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source> (alerte n° {pk}, {stage})</source>
        <translation> (alert no. {pk}, {stage})</translation>
    </message>
</context>
<context>
    <name>DispatchOperations</name>
    <message>
        <location filename="../console/dispatch_ops.py" line="+140"/>
        <source>Aucune unité dans la configuration ([dispatch] units).</source>
        <translation>No unit in the configuration ([dispatch] units).</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>L&apos;alerte a changé entre-temps (autre poste) : rien n&apos;a été engagé.</source>
        <translation>The alert changed meanwhile (another station): nothing was dispatched.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{unit} engagée sur l&apos;alerte n° {pk}.</source>
        <translation>{unit} dispatched to alert no. {pk}.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Aucune unité en route sur cette alerte.</source>
        <translation>No unit on its way to this alert.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Aucune unité engagée sur cette alerte.</source>
        <translation>No unit dispatched to this alert.</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Plus aucune unité engagée sur l&apos;alerte n° {pk} : la clôturer ?</source>
        <translation>No unit left on alert no. {pk}: close it?</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Une unité est encore engagée : terminez d&apos;abord l&apos;intervention (F6).</source>
        <translation>A unit is still dispatched: end its intervention first (F6).</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>L&apos;alerte a changé entre-temps : non clôturée.</source>
        <translation>The alert changed meanwhile: not closed.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Confirmation</source>
        <translation>Confirmation</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Reprise d&apos;une alerte</source>
        <translation>Taking over an alert</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reprise annulée : un motif est obligatoire.</source>
        <translation>Takeover cancelled: a reason is required.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Quelle unité ?</source>
        <translation>Which unit?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unité sur place :</source>
        <translation>Unit on site:</translation>
    </message>
</context>
<context>
    <name>EndDialog</name>
    <message>
        <location filename="../console/dispatch_dialog.py" line="+18"/>
        <source>Fin d&apos;intervention</source>
        <translation>End of intervention</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Compte rendu (obligatoire pour « Autre »)</source>
        <translation>Report (required for “Other”)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unité :</source>
        <translation>Unit:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issue :</source>
        <translation>Outcome:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Commentaire :</source>
        <translation>Comment:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Terminer (Ctrl+Entrée)</source>
        <translation>Finish (Ctrl+Enter)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Annuler (Échap)</source>
        <translation>Cancel (Esc)</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <location filename="../console/alert_filters.py" line="+66"/>
        <source>Alertes ouvertes</source>
        <extracomment>state filter choices: id -&gt; states shown (None: all)</extracomment>
        <translation>Open alerts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Non prises en compte</source>
        <translation>Not acknowledged</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>En cours</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clôturées</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Toutes</source>
        <translation>All</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Toutes catégories</source>
        <translation>All categories</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Toutes priorités</source>
        <translation>All priorities</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Afficher :</source>
        <translation>Show:</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../labels.py" line="+19"/>
        <source>Cambriolage</source>
        <translation>Burglary</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Comportement suspect</source>
        <translation>Suspicious behaviour</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Démarchage abusif</source>
        <translation>Doorstep fraud</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Animal perdu</source>
        <translation>Lost animal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dégradation</source>
        <translation>Vandalism</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incendie</source>
        <translation>Fire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accident</source>
        <translation>Accident</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rixe</source>
        <translation>Brawl</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Autre</source>
        <translation>Other</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Urgente</source>
        <translation>Urgent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Haute</source>
        <translation>High</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Normale</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Information</source>
        <translation>Information</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nouvelle</source>
        <translation>New</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prise en compte</source>
        <translation>Acknowledged</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patrouille engagée</source>
        <translation>Patrol dispatched</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clôturée</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alerte reçue</source>
        <translation>Alert received</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alerte affichée</source>
        <translation>Alert displayed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reprise</source>
        <translation>Taken over</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Caméra consultée</source>
        <translation>Camera viewed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Capture d&apos;image</source>
        <translation>Snapshot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Caméra rétablie</source>
        <translation>Camera back</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unité engagée</source>
        <translation>Unit dispatched</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unité sur place</source>
        <translation>Unit on site</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Intervention terminée</source>
        <translation>Intervention ended</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alerte clôturée</source>
        <translation>Alert closed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alarme en sourdine</source>
        <translation>Alarm muted</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Escalade au chef de salle</source>
        <translation>Escalated to the room supervisor</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mise à jour d&apos;un autre poste</source>
        <translation>Update from another station</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mise à jour ignorée</source>
        <translation>Update ignored</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unité disponible</source>
        <translation>Unit available</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unité indisponible</source>
        <translation>Unit unavailable</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Correction</source>
        <translation>Correction</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opérateur au poste</source>
        <translation>Operator at the station</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connexion</source>
        <translation>Login</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Déconnexion</source>
        <translation>Logout</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Échec de connexion</source>
        <translation>Failed login</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compte verrouillé</source>
        <translation>Account locked</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compte créé</source>
        <translation>Account created</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compte désactivé</source>
        <translation>Account disabled</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mot de passe changé</source>
        <translation>Password changed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configuration modifiée</source>
        <translation>Configuration changed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ouverture de vacation</source>
        <translation>Shift opened</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clôture de vacation</source>
        <translation>Shift closed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Purge RGPD</source>
        <translation>GDPR purge</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chaînage de la main courante</source>
        <translation>Logbook chain started</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export des enregistrements</source>
        <translation>Records exported</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>contenu purgé (RGPD)</source>
        <translation>content purged (GDPR)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Disponible</source>
        <translation>Available</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>En intervention</source>
        <translation>On a call</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Indisponible</source>
        <translation>Unavailable</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Engagée</source>
        <translation>Dispatched</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sur place</source>
        <translation>On site</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Interpellation</source>
        <translation>Arrest</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verbalisation</source>
        <translation>Fine issued</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rien à signaler</source>
        <translation>Nothing to report</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remis à la police nationale</source>
        <translation>Handed to the national police</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fausse alerte</source>
        <translation>False alarm</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Opérateur</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Superviseur</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Installateur</source>
        <translation>Installer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Administrateur</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>traiter les alertes</source>
        <translation>handle alerts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>engager les unités</source>
        <translation>dispatch units</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>changer la disponibilité des unités</source>
        <translation>change unit availability</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>mettre l&apos;alarme en sourdine</source>
        <translation>mute the alarm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>visionner les caméras</source>
        <translation>view cameras</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>capturer une image</source>
        <translation>take a snapshot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>écrire dans la main courante</source>
        <translation>write in the logbook</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ouvrir ou clôturer une vacation</source>
        <translation>open or close a shift</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>consulter la main courante</source>
        <translation>read the logbook</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>exporter les enregistrements</source>
        <translation>export records</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>vérifier l&apos;intégrité de la main courante</source>
        <translation>verify the logbook&apos;s integrity</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>modifier la configuration du site</source>
        <translation>change the site configuration</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>modifier les durées de conservation et la sécurité des comptes</source>
        <translation>change retention periods and account security</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>gérer les comptes</source>
        <translation>manage accounts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>purger les données personnelles</source>
        <translation>purge personal data</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>refusé</source>
        <translation>refused</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>non autorisé</source>
        <translation>unauthorised</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>délai dépassé</source>
        <translation>timed out</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>hôte inconnu</source>
        <translation>unknown host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pas de vidéo</source>
        <translation>no video</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>image figée</source>
        <translation>frozen picture</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>non pris en charge</source>
        <translation>not supported</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>erreur</source>
        <translation>error</translation>
    </message>
</context>
<context>
    <name>LinkStatusLabel</name>
    <message>
        <location filename="../console/link_status.py" line="+42"/>
        <source>Liaison : démarrage…</source>
        <translation>Link: starting…</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Liaison connectée depuis {t}</source>
        <translation>Link connected since {t}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Liaison : connexion en cours…</source>
        <translation>Link: connecting…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Liaison arrêtée</source>
        <translation>Link stopped</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ENREGISTREMENT IMPOSSIBLE – alertes non acquittées : {e}</source>
        <translation>CANNOT SAVE – alerts not acknowledged: {e}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>LIAISON REFUSÉE par la passerelle ({e}) depuis {t} – vérifiez le jeton</source>
        <translation>LINK REFUSED by the gateway ({e}) since {t} – check the token</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>LIAISON PERDUE depuis {t} ({ago}) – reconnexion, tentative {n}</source>
        <translation>LINK LOST since {t} ({ago}) – reconnecting, attempt {n}</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../console/login_dialog.py" line="+70"/>
        <source>Connexion au poste {s}</source>
        <translation>Log in to station {s}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Poste {s} : connexion</source>
        <translation>Station {s}: log in</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>La liaison d&apos;alertes continue de recevoir pendant la connexion.</source>
        <translation>The alert link keeps receiving while you log in.</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+35"/>
        <source>identifiant</source>
        <translation>login</translation>
    </message>
    <message>
        <location line="-33"/>
        <source>Se connecter</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+40"/>
        <source>Identifiant</source>
        <translation>Login</translation>
    </message>
    <message>
        <location line="-39"/>
        <location line="+41"/>
        <source>Mot de passe</source>
        <translation>Password</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>Aucun compte n&apos;existe encore : personne ne peut se connecter. Créez-en un depuis un terminal :</source>
        <translation>No account exists yet: nobody can log in. Create one from a terminal:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>csu-console users add &lt;identifiant&gt; --role admin</source>
        <translation>csu-console users add &lt;login&gt; --role admin</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>ou, pour une installation neuve, créez ici le premier compte administrateur :</source>
        <translation>or, on a fresh install, create the first administrator account here:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Prénom Nom</source>
        <translation>First Last</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Créer le compte administrateur</source>
        <translation>Create the administrator account</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Nom affiché</source>
        <translation>Display name</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Confirmation</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ctrl+Q : quitter la console</source>
        <translation>Ctrl+Q: quit the console</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Quitter la console</source>
        <translation>Quit the console</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Connectez-vous pour utiliser la console.</source>
        <translation>Log in to use the console.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Indiquez votre identifiant et votre mot de passe.</source>
        <translation>Enter your login and your password.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Les deux mots de passe saisis diffèrent.</source>
        <translation>The two passwords differ.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Vérification impossible : {m}</source>
        <translation>Cannot check: {m}</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Vérification…</source>
        <translation>Checking…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../console/main_window.py" line="+81"/>
        <source>CSU Console – {site} – {station}</source>
        <translation>CSU Console – {site} – {station}</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Poste : {s}</source>
        <translation>Station: {s}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Les citoyens informent, ils n&apos;interviennent pas. Urgence vitale : 17 police · 18 pompiers · 15 SAMU · 112</source>
        <translation>Citizens report, they do not intervene. Life-threatening emergency: 17 police · 18 fire brigade · 15 ambulance (SAMU) · 112</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>F2 prendre en compte · F3 suivante · F4 engager · F5 sur place · F6 fin d&apos;intervention · F8 clôturer · Ctrl+M couper le son {d}</source>
        <translation>F2 acknowledge · F3 next · F4 dispatch · F5 on site · F6 end of intervention · F8 close · Ctrl+M mute {d}</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>&amp;Alertes</source>
        <translation>&amp;Alerts</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prendre en compte</source>
        <translation>Acknowledge</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alerte suivante non prise en compte</source>
        <translation>Next unacknowledged alert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Engager une patrouille</source>
        <translation>Dispatch a patrol</translation>
    </message>
    <message>
        <location line="-15"/>
        <location line="+20"/>
        <location line="+161"/>
        <source>Couper le son {d}</source>
        <translation>Mute {d}</translation>
    </message>
    <message>
        <location line="-174"/>
        <source>&amp;Fichier</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Quitter</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Unité sur place</source>
        <translation>Unit on site</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fin d&apos;intervention</source>
        <translation>End of intervention</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clôturer l&apos;alerte</source>
        <translation>Close the alert</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&amp;Poste</source>
        <translation>&amp;Station</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changer d&apos;opérateur (relève)</source>
        <translation>Change operator (handover)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ouvrir la vacation</source>
        <translation>Open the shift</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clôturer la vacation</source>
        <translation>Close the shift</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>Alertes : {total} · nouvelles : {new}</source>
        <translation>Alerts: {total} · new: {new}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Messages rejetés : {n}</source>
        <translation>Rejected messages: {n}</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Alarme sonore active</source>
        <translation>Audible alarm on</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>ALARME SONORE INDISPONIBLE</source>
        <translation>AUDIBLE ALARM UNAVAILABLE</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Son coupé ({m}:{s:02d}, {who}) – rétablir</source>
        <translation>Muted ({m}:{s:02d}, {who}) – unmute</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Poste : {s} · personne n&apos;est connecté</source>
        <translation>Station: {s} · nobody logged in</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Poste : {s} · {name} ({role})</source>
        <translation>Station: {s} · {name} ({role})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Identifiant : {login}</source>
        <translation>Login: {login}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Stockage indisponible : {m}</source>
        <translation>Storage unavailable: {m}</translation>
    </message>
</context>
<context>
    <name>MapPane</name>
    <message>
        <location filename="../map/map_pane.py" line="+63"/>
        <source>Ajuster au site</source>
        <extracomment>Zoning ids the installer is likely to use, as the operator reads them.</extracomment>
        <translation>Fit to site</translation>
    </message>
</context>
<context>
    <name>RejectedDialog</name>
    <message>
        <location filename="../console/dialogs.py" line="-44"/>
        <source>Messages rejetés</source>
        <translation>Rejected messages</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ces messages de la passerelle ne respectent pas le protocole. Ils sont conservés et la passerelle en a été avertie.</source>
        <translation>These messages from the gateway do not follow the protocol. They are kept and the gateway has been told.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reçu à</source>
        <translation>Received at</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Seq</source>
        <translation>Seq</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Taille</source>
        <translation>Size</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Motif</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{n} o</source>
        <translation>{n} B</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <location filename="../console/session.py" line="+68"/>
        <source>Action réservée : personne n&apos;est connecté à ce poste.</source>
        <translation>Restricted action: nobody is logged in at this station.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Action réservée : le rôle « {role} » ne permet pas de {action}.</source>
        <translation>Restricted action: the role &quot;{role}&quot; may not {action}.</translation>
    </message>
</context>
<context>
    <name>SessionController</name>
    <message>
        <location filename="../console/session_controller.py" line="+72"/>
        <source>{name} a quitté le poste : connexion de la relève.</source>
        <translation>{name} left the station: the next operator logs in.</translation>
    </message>
</context>
<context>
    <name>ShiftClosedDialog</name>
    <message>
        <location filename="../console/shift.py" line="+114"/>
        <source>Vacation clôturée – poste {s}</source>
        <translation>Shift closed – station {s}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Vacation ouverte le {date} à {time} par {who}.
Opérateurs : {operators}.
Événements journalisés : {n}.</source>
        <translation>Shift opened on {date} at {time} by {who}.
Operators: {operators}.
Events logged: {n}.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Événement</source>
        <translation>Event</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Nombre</source>
        <translation>Count</translation>
    </message>
</context>
<context>
    <name>ShiftController</name>
    <message>
        <location line="-46"/>
        <source>Vacation ouverte au poste {s}.</source>
        <translation>Shift opened at station {s}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Vacation clôturée au poste {s}.</source>
        <translation>Shift closed at station {s}.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Vacation : écriture impossible ({m}).</source>
        <translation>Shift: cannot write ({m}).</translation>
    </message>
</context>
<context>
    <name>UnitStrip</name>
    <message>
        <location filename="../console/unit_panel.py" line="+32"/>
        <source>Unités :</source>
        <translation>Units:</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{unit} · {stage} n° {pk}</source>
        <translation>{unit} · {stage} no. {pk}</translation>
    </message>
</context>
<context>
    <name>WallController</name>
    <message>
        <location filename="../wall/controller.py" line="+125"/>
        <source>Alerte n° {pk} – {cat}</source>
        <translation>Alert no. {pk} – {cat}</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Images masquées : personne n&apos;est connecté</source>
        <translation>Pictures hidden: nobody is logged in</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Images masquées : rôle sans accès aux caméras</source>
        <translation>Pictures hidden: this role has no camera access</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Consultation hors alerte</source>
        <translation>Viewing outside an alert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Motif de la consultation de « {name} » (journalisé) :</source>
        <translation>Reason for viewing “{name}” (logged):</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Consultation annulée : un motif est obligatoire.</source>
        <translation>Viewing cancelled: a reason is required.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Caméra choisie sur la carte</source>
        <translation>Camera chosen on the map</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hors alerte – motif : {reason}</source>
        <translation>Outside an alert – reason: {reason}</translation>
    </message>
    <message>
        <location line="+111"/>
        <source>Cliché enregistré : {name}</source>
        <translation>Snapshot saved: {name}</translation>
    </message>
</context>
<context>
    <name>self.window</name>
    <message>
        <location filename="../../app.py" line="+307"/>
        <source>Pas de fond de carte : calques seuls.</source>
        <extracomment>Display name of an account that ``RunOptions.autologin`` creates (the demo&apos;s).</extracomment>
        <translation>No basemap: overlays only.</translation>
    </message>
</context>
</TS>
