<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="fr">
<context>
    <name>AlertDetail</name>
    <message>
        <location filename="../console/alert_detail.py" line="+55"/>
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
        <location line="+4"/>
        <source>État</source>
        <translation>Status</translation>
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
        <location line="+5"/>
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
    <name>AlertTableModel</name>
    <message>
        <location filename="../console/alert_model.py" line="+75"/>
        <source>Priorité</source>
        <translation>Priority</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Catégorie</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+1"/>
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
        <location line="+1"/>
        <source>Titre</source>
        <translation>Title</translation>
    </message>
    <message>
        <location line="+143"/>
        <source>sans localisation</source>
        <translation>no location</translation>
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
        <location filename="../console/main_window.py" line="+54"/>
        <source>CSU Console – {site} – {station}</source>
        <translation>CSU Console – {site} – {station}</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Poste : {s}</source>
        <translation>Station: {s}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Les citoyens informent, ils n&apos;interviennent pas. Urgence vitale : 17 police · 18 pompiers · 15 SAMU · 112</source>
        <translation>Citizens report, they do not intervene. Life-threatening emergency: 17 police · 18 fire brigade · 15 ambulance (SAMU) · 112</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>&amp;Fichier</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Quitter</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Alertes : {total} · nouvelles : {new}</source>
        <translation>Alerts: {total} · new: {new}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Messages rejetés : {n}</source>
        <translation>Rejected messages: {n}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Stockage indisponible : {m}</source>
        <translation>Storage unavailable: {m}</translation>
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
</TS>
