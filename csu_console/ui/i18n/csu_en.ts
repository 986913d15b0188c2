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
        <location filename="../console/alert_detail.py" line="+60"/>
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
        <location filename="../console/operations.py" line="+102"/>
        <source>Reprise d&apos;une alerte</source>
        <translation>Taking over an alert</translation>
    </message>
    <message>
        <location line="+12"/>
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
        <location filename="../wall/tile.py" line="+68"/>
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
        <location line="+76"/>
        <source>image {t}</source>
        <translation>frame {t}</translation>
    </message>
</context>
<context>
    <name>CameraWall</name>
    <message>
        <location filename="../wall/wall.py" line="+69"/>
        <location line="+118"/>
        <source>Mur d&apos;images</source>
        <translation>Camera wall</translation>
    </message>
    <message>
        <location line="-107"/>
        <source>Disposition {t}</source>
        <translation>Layout {t}</translation>
    </message>
    <message>
        <location line="+109"/>
        <source>{name} (flux principal) — double-clic ou Échap : retour</source>
        <translation>{name} (main stream) — double-click or Esc: back</translation>
    </message>
</context>
<context>
    <name>ConfigProblemsDialog</name>
    <message>
        <location filename="../console/dialogs.py" line="+66"/>
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
        <location filename="../console/dispatch_dialog.py" line="+72"/>
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
        <location line="+10"/>
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
    <name>EndDialog</name>
    <message>
        <location line="+18"/>
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
        <source>Reçue</source>
        <translation>Received</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Affichée</source>
        <translation>Displayed</translation>
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
    <name>MainWindow</name>
    <message>
        <location filename="../console/main_window.py" line="+67"/>
        <source>CSU Console – {site} – {station}</source>
        <translation>CSU Console – {site} – {station}</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Poste : {s}</source>
        <translation>Station: {s}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Les citoyens informent, ils n&apos;interviennent pas. Urgence vitale : 17 police · 18 pompiers · 15 SAMU · 112</source>
        <translation>Citizens report, they do not intervene. Life-threatening emergency: 17 police · 18 fire brigade · 15 ambulance (SAMU) · 112</translation>
    </message>
    <message>
        <location line="+43"/>
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
        <location line="-38"/>
        <source>F2 prendre en compte · F3 alerte suivante non prise en compte · F4 engager une patrouille · Ctrl+M couper le son {d}</source>
        <translation>F2 acknowledge · F3 next unacknowledged alert · F4 dispatch a patrol · Ctrl+M mute {d}</translation>
    </message>
    <message>
        <location line="+23"/>
        <location line="+17"/>
        <location line="+121"/>
        <source>Couper le son {d}</source>
        <translation>Mute {d}</translation>
    </message>
    <message>
        <location line="-131"/>
        <source>&amp;Fichier</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Quitter</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <location line="+84"/>
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
        <location line="+11"/>
        <source>Poste : {s} · {o}</source>
        <translation>Station: {s} · {o}</translation>
    </message>
    <message>
        <location line="+6"/>
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
    <name>OperatorDialog</name>
    <message>
        <location filename="../console/operator_dialog.py" line="+26"/>
        <source>Prise de poste</source>
        <translation>Taking the station</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nom de l&apos;opérateur</source>
        <translation>Operator&apos;s name</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Poste</source>
        <translation>Station</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opérateur</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+7"/>
        <source>Indiquez votre nom : il signe chaque action.</source>
        <translation>Enter your name: it signs every action.</translation>
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
    <name>WallController</name>
    <message>
        <location filename="../wall/controller.py" line="+111"/>
        <source>Alerte n° {pk} – {cat}</source>
        <translation>Alert no. {pk} – {cat}</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Caméra choisie sur la carte</source>
        <translation>Camera chosen on the map</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Cliché enregistré : {name}</source>
        <translation>Snapshot saved: {name}</translation>
    </message>
</context>
<context>
    <name>self.window</name>
    <message>
        <location filename="../../app.py" line="+246"/>
        <source>Pas de fond de carte : calques seuls.</source>
        <translation>No basemap: overlays only.</translation>
    </message>
</context>
</TS>
