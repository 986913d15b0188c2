<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="fr">
<context>
    <name>AccessRegisterWindow</name>
    <message>
        <location filename="../review/access_register.py" line="+89"/>
        <source>Registre des accès – {site}</source>
        <extracomment>Days shown when the register opens (today and the six before).</extracomment>
        <translation>Access register – {site}</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Aujourd&apos;hui</source>
        <translation>Today</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>7 jours</source>
        <translation>7 days</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>30 jours</source>
        <translation>30 days</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Tous</source>
        <translation>All</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+4"/>
        <source>Toutes</source>
        <translation>All</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Date et heure</source>
        <translation>Date and time</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Poste</source>
        <translation>Station</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+36"/>
        <source>Opérateur</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location line="-35"/>
        <location line="+37"/>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="-37"/>
        <source>Caméras</source>
        <translation>Cameras</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Alerte</source>
        <translation>Alert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Motif ou contexte</source>
        <translation>Reason or context</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Exporter CSV…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Du</source>
        <translation>From</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>au</source>
        <translation>to</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Caméra</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Chargement…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>{n} accès les plus récents affichés ; d&apos;autres existent : réduisez la période ou exportez en CSV</source>
        <translation>{n} most recent accesses shown; there are more: shorten the period or export to CSV</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{n} accès sur la période</source>
        <translation>{n} accesses in the period</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Lecture impossible : {m}</source>
        <translation>Cannot read: {m}</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Exporter le registre des accès</source>
        <translation>Export the access register</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Motif de l&apos;export (obligatoire, inscrit à la main courante) :</source>
        <translation>Reason for the export (required, written to the logbook):</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export annulé : le motif est obligatoire.</source>
        <translation>Export cancelled: a reason is required.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Enregistrer l&apos;export</source>
        <translation>Save the export</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Export en cours : {f}</source>
        <translation>Exporting: {f}</translation>
    </message>
</context>
<context>
    <name>AccountDialog</name>
    <message>
        <location filename="../admin/accounts.py" line="+63"/>
        <source>obligatoire, journalisé</source>
        <translation>required, logged</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Identifiant</source>
        <translation>Login</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nom affiché</source>
        <translation>Display name</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rôle</source>
        <translation>Role</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mot de passe provisoire</source>
        <translation>Temporary password</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Confirmation</source>
        <translation>Confirmation</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>8 caractères au moins, trois types parmi minuscules, majuscules, chiffres et caractères spéciaux.</source>
        <translation>At least 8 characters, three kinds among lower case, upper case, digits and special characters.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Motif</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Les deux mots de passe diffèrent.</source>
        <translation>The two passwords differ.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Indiquez le motif : il est journalisé.</source>
        <translation>Give the reason: it is logged.</translation>
    </message>
</context>
<context>
    <name>AccountsTab</name>
    <message>
        <location line="+17"/>
        <source>Identifiant</source>
        <translation>Login</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Nom</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Rôle</source>
        <translation>Role</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>État</source>
        <translation>State</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dernière connexion</source>
        <translation>Last login</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Créer un compte…</source>
        <translation>Create an account…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Désactiver…</source>
        <translation>Disable…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Réactiver…</source>
        <translation>Re-enable…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Réinitialiser le mot de passe…</source>
        <translation>Reset the password…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changer le rôle…</source>
        <translation>Change the role…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Le mot de passe provisoire est à communiquer de vive voix ; la personne choisit le sien à sa prochaine connexion.</source>
        <translation>Give the temporary password in person; its holder chooses their own at their next login.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>désactivé</source>
        <translation>disabled</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>actif</source>
        <translation>active</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Créer un compte</source>
        <translation>Create an account</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Réactiver « {0} »</source>
        <translation>Re-enable “{0}”</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Désactiver « {0} »</source>
        <translation>Disable “{0}”</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Mot de passe de « {0} »</source>
        <translation>Password of “{0}”</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Rôle de « {0} »</source>
        <translation>Role of “{0}”</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Compte « {0} » créé ({1}).</source>
        <translation>Account “{0}” created ({1}).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Compte « {0} » désactivé.</source>
        <translation>Account “{0}” disabled.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Compte « {0} » réactivé.</source>
        <translation>Account “{0}” re-enabled.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Mot de passe de « {0} » réinitialisé : à communiquer à la personne.</source>
        <translation>Password of “{0}” reset: give it to the person.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Compte « {0} » : rôle {1}.</source>
        <translation>Account “{0}”: role {1}.</translation>
    </message>
</context>
<context>
    <name>AddressPopup</name>
    <message>
        <location filename="../map/address_search.py" line="+137"/>
        <source>n° et rue, p. ex. 12 bd Victor-Hugo</source>
        <extracomment>The zoom the map shows a found address at (a few buildings around it). Typing pauses this long before the suggestions are computed again. After centring on an address, new alerts leave the map there this long (the operator is still on the phone, looking at the place and its cameras).</extracomment>
        <translation>number and street, e.g. 12 bd Victor-Hugo</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Centrer</source>
        <translation>Centre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Centrer la carte sur l&apos;adresse (Entrée)</source>
        <translation>Centre the map on the address (Enter)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nouvelle alerte ici…</source>
        <translation>New alert here…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Créer une alerte (appel téléphonique) à cette adresse (Ctrl+Entrée)</source>
        <translation>Create an alert (phone call) at this address (Ctrl+Enter)</translation>
    </message>
</context>
<context>
    <name>AddressSearchTool</name>
    <message>
        <location line="+48"/>
        <source>Adresse…</source>
        <translation>Address…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rechercher une adresse sur la carte (Ctrl+F)</source>
        <translation>Find an address on the map (Ctrl+F)</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Index des adresses en cours de chargement…</source>
        <translation>Loading the address index…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>La carte n&apos;a pas d&apos;index d&apos;adresses : réimportez-la (csu-console map import).</source>
        <translation>The map has no address index: import it again (csu-console map import).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{streets} rues, {numbers} numéros</source>
        <translation>{streets} streets, {numbers} house numbers</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>{label}  (n° {wanted} introuvable)</source>
        <translation>{label}  (no. {wanted} not found)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Aucune adresse trouvée pour « {text} ».</source>
        <translation>No address found for “{text}”.</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Choisissez d&apos;abord une adresse dans la liste.</source>
        <translation>Choose an address in the list first.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>près du {address}</source>
        <translation>near {address}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Nouvelle alerte ici…</source>
        <translation>New alert here…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Retirer le repère d&apos;adresse</source>
        <translation>Remove the address pin</translation>
    </message>
</context>
<context>
    <name>AdminLauncher</name>
    <message>
        <location filename="../admin/window.py" line="+103"/>
        <source>Administration…</source>
        <extracomment>Settings written: (new site, changes); the console applies the live ones.</extracomment>
        <translation>Administration…</translation>
    </message>
</context>
<context>
    <name>AdminWindow</name>
    <message>
        <location line="-56"/>
        <source>Administration — {0}</source>
        <extracomment>What opens the window (its tabs check their own permissions too).</extracomment>
        <translation>Administration — {0}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Comptes</source>
        <translation>Accounts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unités</source>
        <translation>Units</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Réglages</source>
        <translation>Settings</translation>
    </message>
</context>
<context>
    <name>AlarmNotice</name>
    <message>
        <location filename="../console/attention.py" line="+92"/>
        <source>Console : aucune alerte en attente</source>
        <translation>Console: no alert waiting</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Nouvelle alerte urgente n° {n} – {what}</source>
        <translation>New urgent alert no. {n} – {what}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nouvelle alerte n° {n} ({priority}) – {what}</source>
        <translation>New alert no. {n} ({priority}) – {what}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{n} alertes en attente</source>
        <translation>{n} alerts waiting</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cliquer pour aller à la console</source>
        <translation>click to go to the console</translation>
    </message>
</context>
<context>
    <name>AlertBanner</name>
    <message>
        <location filename="../console/alert_banner.py" line="+65"/>
        <source>sans localisation</source>
        <translation>no location</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>EXERCICE</source>
        <translation>EXERCISE</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>MISE À JOUR</source>
        <translation>UPDATED</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{n} alertes en attente</source>
        <translation>{n} alerts waiting</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>[F2] prendre en compte</source>
        <translation>[F2] acknowledge</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>[clic] afficher cette alerte</source>
        <translation>[click] show this alert</translation>
    </message>
</context>
<context>
    <name>AlertDetail</name>
    <message>
        <location filename="../console/alert_detail.py" line="+128"/>
        <source>Aucune alerte sélectionnée</source>
        <extracomment>Where an alert of the book falls (its commune and secteurs from the geometry); None: the site draws no zones, the reported commune is shown.</extracomment>
        <translation>No alert selected</translation>
    </message>
    <message>
        <location line="+58"/>
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
        <location line="-45"/>
        <location line="+12"/>
        <source>Commune</source>
        <translation>Municipality</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>hors territoire</source>
        <translation>outside the territory</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>déclarée : {commune}</source>
        <translation>reported: {commune}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Zones</source>
        <translation>Zones</translation>
    </message>
    <message>
        <location line="+38"/>
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
        <location line="+11"/>
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
        <location filename="../console/operations.py" line="+103"/>
        <source>Reprise de l&apos;alerte n° {pk}</source>
        <translation>Taking over alert no. {pk}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Reprise annulée : un motif est obligatoire.</source>
        <translation>Takeover cancelled: a reason is required.</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Disque plein : prise en compte non enregistrée, réessayez quand l&apos;espace disque sera libéré.</source>
        <translation>Disk full: acknowledgement not recorded, try again once disk space has been freed.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Prise en compte non enregistrée : {e}</source>
        <translation>Acknowledgement not recorded: {e}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>L&apos;alerte a été prise par un autre poste entre-temps : rien n&apos;a changé.</source>
        <translation>Another station took the alert in the meantime: nothing was changed.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>{title} : pris en charge par {station} – {operator}</source>
        <translation>{title}: taken by {station} – {operator}</translation>
    </message>
</context>
<context>
    <name>AlertTableModel</name>
    <message>
        <location filename="../console/alert_model.py" line="+125"/>
        <source>Priorité</source>
        <extracomment>At most this many alerts join the queue per tick (a storm shows ≈ 5,000 a second, in steps the GUI can paint between). What Qt hands to ``multiData``: the roles asked for one cell. More separate places than this in one merge: one relayout instead of insertions. Closed rows kept in the queue (the « Clôturées » filter), newest first; older ones are let go every :data:`RETIRE_EVERY_MS` (the database keeps them all): a console running round the clock holds its open alerts and the latest closed ones, not every alert of its life. Reports whose row came or went with a change of groups (list[StoredAlert]): the alarm rings them as their new group. Closed reports let go of (list[StoredAlert], :meth:`retire_closed`). Row pks never let go whatever their age (the operator&apos;s selection).</extracomment>
        <translation>Priority</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Catégorie</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Commune</source>
        <translation>Municipality</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Secteur</source>
        <translation>Sector</translation>
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
        <location filename="../console/alert_cells.py" line="+183"/>
        <source>hors territoire</source>
        <translation>outside the territory</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>déclarée : {commune}</source>
        <translation>reported: {commune}</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>HORS SECTEUR</source>
        <translation>OUT OF SECTOR</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>{state} par {station} – {operator}</source>
        <translation>{state} by {station} – {operator}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>ESCALADÉE (urgente restée sans réponse)</source>
        <translation>ESCALATED (urgent, left unanswered)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{who} consulte cette alerte</source>
        <translation>{who} is looking at this alert</translation>
    </message>
    <message>
        <location filename="../console/alert_model.py" line="-5"/>
        <source>Titre</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../console/alert_cells.py" line="-134"/>
        <location line="+49"/>
        <location line="+33"/>
        <source>sans localisation</source>
        <extracomment>« Secteur » at the start of a zone&apos;s name (the queue&apos;s column says it already). Columns whose whole text is their tooltip (elided when narrow). The state of an escalated alert, in the queue. More marks for a row (the triage&apos;s « À TRIER »), after the CAP badges.</extracomment>
        <translation>no location</translation>
    </message>
    <message>
        <location filename="../console/alert_badges.py" line="+48"/>
        <location line="+1"/>
        <source>ANNULÉE</source>
        <extracomment>The model&apos;s role for a row&apos;s badges (a tuple of :class:`Badge`). Text of a withdrawn (cancelled, expired) alert&apos;s row: grey, still readable (7:1).</extracomment>
        <translation>CANCELLED</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> : elle ne sonne plus ; son traitement au CSU reste tel quel.</source>
        <translation>: it no longer rings; its handling at the CSU stays as it was.</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+1"/>
        <source>EXPIRÉE</source>
        <translation>EXPIRED</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expirée : la date de fin de validité donnée par l&apos;émetteur est passée.</source>
        <translation>Expired: the end of validity given by the issuer has passed.</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+1"/>
        <source>EXERCICE</source>
        <translation>EXERCISE</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exercice : message d&apos;entraînement de l&apos;émetteur, pas une alerte réelle.</source>
        <translation>Exercise: the issuer&apos;s training message, not a real alert.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Mise à jour par l&apos;émetteur (version {v})</source>
        <translation>Updated by the issuer (version {v})</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+9"/>
        <source>MISE À JOUR</source>
        <translation>UPDATED</translation>
    </message>
    <message>
        <location line="-8"/>
        <location line="+9"/>
        <source>MÀJ</source>
        <translation>UPD</translation>
    </message>
    <message>
        <location line="-8"/>
        <source> : pas encore consultée.</source>
        <translation>: not looked at yet.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Diffusion restreinte ({scope})</source>
        <translation>Restricted distribution ({scope})</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>RESTREINTE</source>
        <translation>RESTRICTED</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>RESTR.</source>
        <translation>RESTR.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Signature XML vérifiée avec le certificat de confiance de l&apos;émetteur</source>
        <translation>XML signature verified with the issuer&apos;s trusted certificate</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>signé ✔</source>
        <translation>signed ✔</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Signature invalide : le document a pu être modifié</source>
        <translation>Invalid signature: the document may have been altered</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>signature invalide ✖</source>
        <translation>invalid signature ✖</translation>
    </message>
</context>
<context>
    <name>AttentionRouter</name>
    <message>
        <location filename="../console/attention.py" line="+64"/>
        <source>Alarme de la console</source>
        <extracomment>Reads the screen; tests that cannot show another program give their own.</extracomment>
        <translation>Console alarm</translation>
    </message>
</context>
<context>
    <name>BackupNotice</name>
    <message>
        <location filename="../console/backup_notice.py" line="+90"/>
        <source>Sauvegarde nocturne impossible ({at})</source>
        <extracomment>The failure shown (None: the last backup was written, or none was made).</extracomment>
        <translation>Nightly backup failed ({at})</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Sauvegarde nocturne impossible</source>
        <translation>Nightly backup failed</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>La dernière sauvegarde nocturne n&apos;a pas pu être écrite :
{why}

Vérifiez le dossier de sauvegarde ([backup] dir dans site.toml : disque branché, place libre, droits d&apos;écriture), puis « Installation › Sauvegarder maintenant » (administrateur) ou « csu-console backup ». Sans cela, la prochaine est tentée la nuit suivante.</source>
        <translation>The last nightly backup could not be written:
{why}

Check the backup folder ([backup] dir in site.toml: disk plugged in, free space, write permission), then « Installation › Back up now » (administrator) or « csu-console backup ». Otherwise the next one is attempted the following night.</translation>
    </message>
</context>
<context>
    <name>BackupNow</name>
    <message>
        <location filename="../console/backup_now.py" line="+67"/>
        <source>Une sauvegarde est déjà en cours.</source>
        <translation>A backup is already being written.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Aucun dossier de sauvegarde ([backup] dir dans site.toml) : sauvegardez avec « csu-console backup --to DOSSIER ».</source>
        <translation>No backup folder ([backup] dir in site.toml): back up with “csu-console backup --to FOLDER”.</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Sauvegarde écrite : {path} (sans les identifiants des caméras).</source>
        <translation>Backup written: {path} (without the camera credentials).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sauvegarde impossible : {path}</source>
        <translation>Backup failed: {path}</translation>
    </message>
</context>
<context>
    <name>BookController</name>
    <message>
        <location filename="../console/book_ops.py" line="+203"/>
        <source>{n} événements dont {w} écrits par les opérateurs · à jour à {t}</source>
        <extracomment>How often the book looks for new events (ms).</extracomment>
        <translation>{n} events, {w} written by operators · up to date at {t}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>liste limitée aux {n} plus récents</source>
        <translation>list limited to the {n} most recent</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Main courante illisible : {e}</source>
        <translation>Logbook unreadable: {e}</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Seul le poste {s} peut corriger ses entrées.</source>
        <translation>Only station {s} can correct its entries.</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Correction</source>
        <translation>Correction</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Entrée</source>
        <translation>Entry</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{what} n° {pk} écrite dans la main courante.</source>
        <translation>{what} no. {pk} written to the logbook.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Écriture impossible : {e}. Le texte est gardé, réessayez.</source>
        <translation>Cannot write: {e}. The text is kept, try again.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Cliquez sur la carte à l&apos;endroit de l&apos;entrée (Échap ou clic droit : annuler).</source>
        <translation>Click the map where the entry happened (Esc or right click: cancel).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Point placé sur la carte.</source>
        <translation>Point placed on the map.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Imprimer la main courante</source>
        <translation>Print the logbook</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Motif de l&apos;impression (il est écrit dans la main courante) :</source>
        <translation>Reason for printing (written to the logbook):</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Impression annulée : un motif est obligatoire.</source>
        <translation>Printing cancelled: a reason is required.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Enregistrer la main courante</source>
        <translation>Save the logbook</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <location line="+33"/>
        <location line="+14"/>
        <source>Impression impossible : {e}</source>
        <translation>Cannot print: {e}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Main courante imprimée : {p}</source>
        <translation>Logbook printed: {p}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Impression annulée : {e}</source>
        <translation>Printing cancelled: {e}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Du {a} au {b}</source>
        <translation>From {a} to {b}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>recherche « {t} »</source>
        <translation>search &quot;{t}&quot;</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Édité le {d} par {who}</source>
        <translation>Printed on {d} by {who}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>sans filtre</source>
        <translation>no filter</translation>
    </message>
</context>
<context>
    <name>BookTableModel</name>
    <message>
        <location filename="../console/book_model.py" line="+67"/>
        <source>Heure</source>
        <extracomment>The cell&apos;s text as HTML (the original of a corrected entry in ``&lt;s&gt;``). The row&apos;s :class:`BookRow`.</extracomment>
        <translation>Time</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Poste</source>
        <translation>Station</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opérateur</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alerte</source>
        <translation>Alert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Texte</source>
        <translation>Text</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>Correction</source>
        <translation>Correction</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>n° {pk}{title}</source>
        <translation>no. {pk}{title}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{id} (pas à ce poste)</source>
        <translation>{id} (not at this station)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>{text} [corrigé par {who} : {why} ; texte d&apos;origine : {old}]</source>
        <translation>{text} [corrected by {who}: {why}; original text: {old}]</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{text} [correction de l&apos;entrée n° {n} : {why} ; avant : {old}]</source>
        <translation>{text} [correction of entry no. {n}: {why}; before: {old}]</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>{new} · &lt;s&gt;{old}&lt;/s&gt; &lt;i&gt;(corrigé par {who} : {why})&lt;/i&gt;</source>
        <translation>{new} · &lt;s&gt;{old}&lt;/s&gt; &lt;i&gt;(corrected by {who}: {why})&lt;/i&gt;</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{new} · &lt;s&gt;{old}&lt;/s&gt; &lt;i&gt;(correction, motif : {why})&lt;/i&gt;</source>
        <translation>{new} · &lt;s&gt;{old}&lt;/s&gt; &lt;i&gt;(correction, reason: {why})&lt;/i&gt;</translation>
    </message>
</context>
<context>
    <name>BookView</name>
    <message>
        <location filename="../console/book_view.py" line="+109"/>
        <source>Aujourd&apos;hui</source>
        <extracomment>Values of the « Type » filter besides the entry types. Below this height the pane shows no reader line under the table (pixels). Values of the period filter.</extracomment>
        <translation>Today</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hier</source>
        <translation>Yesterday</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>7 derniers jours</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Un jour…</source>
        <translation>A day…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Tout</source>
        <translation>Everything</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Entrées seulement</source>
        <translation>Entries only</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tous les postes</source>
        <translation>All stations</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tous les opérateurs</source>
        <translation>All operators</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Toutes les alertes</source>
        <translation>All alerts</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+143"/>
        <source>Alerte sélectionnée</source>
        <translation>Selected alert</translation>
    </message>
    <message>
        <location line="-141"/>
        <source>Rechercher…</source>
        <translation>Search…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Corriger…</source>
        <translation>Correct…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Imprimer (PDF)…</source>
        <translation>Print (PDF)…</translation>
    </message>
    <message>
        <location line="+32"/>
        <location line="+149"/>
        <source>Sélectionnez une ligne pour la lire en entier.</source>
        <translation>Select a line to read it in full.</translation>
    </message>
    <message>
        <location line="-53"/>
        <source>Alerte : {a}</source>
        <translation>Alert: {a}</translation>
    </message>
</context>
<context>
    <name>CameraBrowser</name>
    <message>
        <location filename="../wall/camera_browser.py" line="+44"/>
        <source>Parcourir les caméras</source>
        <translation>Browse cameras</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Nom, zone ou commune…</source>
        <translation>Name, zone or municipality…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Favoris seulement</source>
        <translation>&amp;Favourites only</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Rechercher :</source>
        <translation>&amp;Search:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Caméra</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Zones</source>
        <translation>Zones</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Communes</source>
        <translation>Municipalities</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Tuile sélectionnée du mur</source>
        <translation>Selected tile of the wall</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seule sur le mur (flux principal)</source>
        <translation>Alone on the wall (main stream)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tuile {n}</source>
        <translation>Tile {n}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Afficher dans :</source>
        <translation>Show &amp;in:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Afficher (Entrée)</source>
        <translation>Show (Enter)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Favori (Ctrl+D)</source>
        <translation>Favourite (Ctrl+D)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fermer (Échap)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>{n} caméra(s) sur {total}</source>
        <translation>{n} camera(s) of {total}</translation>
    </message>
</context>
<context>
    <name>CameraForm</name>
    <message>
        <location filename="../setup/camera_form.py" line="+54"/>
        <source>fixe</source>
        <translation>fixed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dôme</source>
        <translation>dome</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>facultatif</source>
        <translation>optional</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Identifiant</source>
        <translation>ID</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nom</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cap</source>
        <translation>Heading</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Angle</source>
        <translation>Angle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Portée</source>
        <translation>Range</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Flux principal</source>
        <translation>Main stream</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flux secondaire</source>
        <translation>Secondary stream</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Utilisateur</source>
        <translation>User</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mot de passe</source>
        <translation>Password</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zones</source>
        <translation>Zones</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tester le flux</source>
        <translation>Test the stream</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Supprimer la caméra</source>
        <translation>Delete camera</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>aucune</source>
        <translation>none</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>id : « {id} » est déjà utilisé</source>
        <translation>id: “{id}” is already in use</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Test en cours…</source>
        <translation>Testing…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>inconnue</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Flux OK — résolution {size}, codec {codec}, première image en {t:.2f} s ({backend})</source>
        <translation>Stream OK — resolution {size}, codec {codec}, first frame in {t:.2f} s ({backend})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>inconnu</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Échec ({t:.1f} s) : {error} — {detail}</source>
        <translation>Failed ({t:.1f} s): {error} — {detail}</translation>
    </message>
</context>
<context>
    <name>CameraListDialog</name>
    <message>
        <location filename="../console/camera_list.py" line="+182"/>
        <source>Caméras</source>
        <translation>Cameras</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Double-clic : afficher la caméra sur le mur.</source>
        <translation>Double-click: show the camera on the wall.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>{ok} en service, {off} hors service, {black} image noire, {frozen} image figée, {unknown} inconnue(s)</source>
        <translation>{ok} working, {off} out of service, {black} black picture, {frozen} frozen picture, {unknown} unknown</translation>
    </message>
</context>
<context>
    <name>CameraListModel</name>
    <message>
        <location line="-160"/>
        <source>Caméra</source>
        <extracomment>How often the open window reads the checks again (:meth:`CameraListModel.refresh`).</extracomment>
        <translation>Camera</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Zone / commune</source>
        <translation>Zone / municipality</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>État</source>
        <translation>State</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Depuis</source>
        <translation>Since</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dernière vérification</source>
        <translation>Last check</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Détail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>en service</source>
        <translation>working</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>hors service</source>
        <translation>out of service</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>image noire</source>
        <translation>black picture</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>image figée</source>
        <translation>frozen picture</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>inconnu</source>
        <translation>unknown</translation>
    </message>
</context>
<context>
    <name>CameraTile</name>
    <message>
        <location filename="../wall/tile.py" line="+134"/>
        <source>Cliché</source>
        <extracomment>« Direct » on a replaying tile: the live state&apos;s green, the way back to live. Narrower than this, the « Relecture » button shows only its glyph (↺).</extracomment>
        <translation>Snapshot</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enregistrer l&apos;image affichée comme preuve (empreinte SHA-256 conservée)</source>
        <translation>Save the picture on screen as evidence (its SHA-256 is recorded)</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Direct</source>
        <translation>Live</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revenir au direct (Échap)</source>
        <translation>Back to live (Esc)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Relecture</source>
        <translation>Replay</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Revoir l&apos;enregistrement de cette caméra avant l&apos;alerte (F11)</source>
        <translation>Replay this camera&apos;s recording from before the alert (F11)</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Aucune caméra</source>
        <translation>No camera</translation>
    </message>
    <message>
        <location line="+4"/>
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
        <location line="+16"/>
        <location line="+15"/>
        <location line="+113"/>
        <source>RELECTURE</source>
        <translation>REPLAY</translation>
    </message>
    <message>
        <location line="-124"/>
        <location line="+18"/>
        <source>pas d&apos;enregistrement</source>
        <translation>no recording</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>PAUSE</source>
        <translation>PAUSED</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Enregistrements inaccessibles</source>
        <translation>Recordings unreachable</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Recherche dans l&apos;enregistrement…</source>
        <translation>Seeking in the recording…</translation>
    </message>
    <message>
        <location line="+139"/>
        <source>image {t}</source>
        <translation>frame {t}</translation>
    </message>
</context>
<context>
    <name>CameraWall</name>
    <message>
        <location filename="../wall/wall.py" line="+91"/>
        <location line="+251"/>
        <source>Mur d&apos;images</source>
        <extracomment>Keys that work anywhere in the console (nothing else uses F11).</extracomment>
        <translation>Camera wall</translation>
    </message>
    <message>
        <location line="-245"/>
        <source>Relecture du mur</source>
        <translation>Replay the wall</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Revoir toutes les caméras du mur au même instant, avant l&apos;alerte (Maj+F11)</source>
        <translation>Replay every camera of the wall at the same instant, from before the alert (Shift+F11)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Disposition {t}</source>
        <translation>Layout {t}</translation>
    </message>
    <message>
        <location line="+234"/>
        <source>{name} — relecture ; Échap : retour au direct</source>
        <translation>{name} — replay; Esc: back to live</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{name} (flux principal) — double-clic ou Échap : retour</source>
        <translation>{name} (main stream) — double-click or Esc: back</translation>
    </message>
</context>
<context>
    <name>CapDetail</name>
    <message>
        <location filename="../console/cap_detail.py" line="+72"/>
        <source>extrême</source>
        <extracomment>Link scheme of a folded info block&apos;s header: ``csu-info:&lt;index&gt;`` toggles it. Colours of the message&apos;s badges (white text on them). The signature&apos;s verdict takes the theme&apos;s « ok » and « danger » text colours (read on either theme). Digits of a SHA-256 shown (enough to compare with the main courante by eye).</extracomment>
        <translation>extreme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sévère</source>
        <translation>severe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>modérée</source>
        <translation>moderate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>mineure</source>
        <translation>minor</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+10"/>
        <location line="+10"/>
        <source>inconnue</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>immédiate</source>
        <translation>immediate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>attendue</source>
        <translation>expected</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>future</source>
        <translation>future</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>passée</source>
        <translation>past</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>observée</source>
        <translation>observed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>probable</source>
        <translation>likely</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>possible</source>
        <translation>possible</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>improbable</source>
        <translation>unlikely</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{n} o</source>
        <translation>{n} B</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} Ko</source>
        <translation>{n} kB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} Mo</source>
        <translation>{n} MB</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>ANNULÉE par l&apos;émetteur</source>
        <translation>CANCELLED by the issuer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>EXPIRÉE</source>
        <translation>EXPIRED</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>MISE À JOUR n° {n}</source>
        <translation>UPDATE no. {n}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ANNULATION</source>
        <translation>CANCEL</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>EXERCICE</source>
        <translation>EXERCISE</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TEST</source>
        <translation>TEST</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SYSTÈME</source>
        <translation>SYSTEM</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+231"/>
        <source>diffusion restreinte</source>
        <translation>restricted distribution</translation>
    </message>
    <message>
        <location line="-207"/>
        <source>signé ✔</source>
        <translation>signed ✔</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>signature invalide ✖</source>
        <translation>invalid signature ✖</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>signature non vérifiée</source>
        <translation>signature not verified</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>{n} polygone(s)</source>
        <translation>{n} polygon(s)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} cercle(s)</source>
        <translation>{n} circle(s)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>code géographique placé</source>
        <translation>geocode placed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tracée sur la carte</source>
        <translation>drawn on the map</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>sans localisation</source>
        <translation>no location</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Langue</source>
        <translation>Language</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Événement</source>
        <translation>Event</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Catégorie CAP</source>
        <translation>CAP category</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>gravité {v}</source>
        <translation>severity {v}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>urgence {v}</source>
        <translation>urgency {v}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>certitude {v}</source>
        <translation>certainty {v}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Évaluation</source>
        <translation>Assessment</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+154"/>
        <source>Émetteur</source>
        <translation>Sender</translation>
    </message>
    <message>
        <location line="-152"/>
        <location line="+158"/>
        <source>En vigueur</source>
        <translation>Effective</translation>
    </message>
    <message>
        <location line="-157"/>
        <location line="+158"/>
        <source>Début</source>
        <translation>Onset</translation>
    </message>
    <message>
        <location line="-157"/>
        <location line="+163"/>
        <location line="+3"/>
        <source>Fin de validité</source>
        <translation>Expires</translation>
    </message>
    <message>
        <location line="-161"/>
        <source>Site web</source>
        <translation>Web site</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Contact</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+34"/>
        <source>Bloc {n}</source>
        <translation>Block {n}</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>affiché</source>
        <translation>shown</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>replier</source>
        <translation>fold</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Consignes</source>
        <translation>Instructions</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Zones</source>
        <translation>Areas</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>afficher</source>
        <translation>show</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>(sans description)</source>
        <translation>(no description)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>incluse dans le document</source>
        <translation>embedded in the document</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Annulée par l&apos;émetteur le {at}</source>
        <translation>Cancelled by the issuer on {at}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Annulée par l&apos;émetteur</source>
        <translation>Cancelled by the issuer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(message {id})</source>
        <translation>(message {id})</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Document d&apos;annulation : SHA-256 {d}</source>
        <translation>Cancel document: SHA-256 {d}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>v{n}</source>
        <translation>v{n}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>remplacée le {at} par {by}</source>
        <translation>replaced on {at} by {by}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>remplacée le {at}</source>
        <translation>replaced on {at}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Versions précédentes</source>
        <translation>Previous versions</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>alerte</source>
        <translation>alert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>mise à jour</source>
        <translation>update</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>annulation</source>
        <translation>cancel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>accusé de réception</source>
        <translation>acknowledgement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>erreur</source>
        <translation>error</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>réel</source>
        <translation>actual</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>exercice</source>
        <translation>exercise</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>système</source>
        <translation>system</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>test</source>
        <translation>test</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>brouillon</source>
        <translation>draft</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Message CAP</source>
        <translation>CAP message</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Destinataires : {who}</source>
        <translation>Addressees: {who}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Diffusion</source>
        <translation>Distribution</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Émis le</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>aucune (jusqu&apos;à clôture)</source>
        <translation>none (until closed)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Références</source>
        <translation>References</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Incidents</source>
        <translation>Incidents</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Signature</source>
        <translation>Signature</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>SHA-256 : chargement…</source>
        <translation>SHA-256: loading…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Document</source>
        <translation>Document</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Note de l&apos;émetteur</source>
        <translation>Issuer&apos;s note</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Zones sans localisation</source>
        <translation>Areas without a location</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ce message porte {n} événements différents :</source>
        <translation>This message carries {n} different events:</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Ressources</source>
        <translation>Resources</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ignoré à la lecture</source>
        <translation>Ignored when read</translation>
    </message>
</context>
<context>
    <name>CapNotices</name>
    <message>
        <location filename="../console/cap_lifecycle.py" line="+121"/>
        <source>Alerte n° {pk} expirée : elle ne sonne plus.</source>
        <extracomment>How often alerts past their CAP ``expires`` are marked « expirée » (ms).</extracomment>
        <translation>Alert no. {pk} expired: it no longer rings.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{n} alertes expirées : elles ne sonnent plus.</source>
        <translation>{n} alerts expired: they no longer ring.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Alerte n° {pk} mise à jour par l&apos;émetteur : priorité relevée.</source>
        <translation>Alert no. {pk} updated by the issuer: priority raised.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alerte n° {pk} mise à jour par l&apos;émetteur.</source>
        <translation>Alert no. {pk} updated by the issuer.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Alerte n° {pk} annulée par l&apos;émetteur : {text}</source>
        <translation>Alert no. {pk} cancelled by the issuer: {text}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Alerte n° {pk} annulée par l&apos;émetteur.</source>
        <translation>Alert no. {pk} cancelled by the issuer.</translation>
    </message>
</context>
<context>
    <name>ChartTab</name>
    <message>
        <location filename="../review/chart_tab.py" line="+26"/>
        <source>Alertes par catégorie (cliquer : filtrer)</source>
        <translation>Alerts by category (click: filter)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alertes par zone (cliquer : filtrer)</source>
        <translation>Alerts by zone (click: filter)</translation>
    </message>
</context>
<context>
    <name>ChecksList</name>
    <message>
        <location filename="../setup/checks_list.py" line="+97"/>
        <source>{n} contrôle(s) ne tien(nen)t plus : {names}</source>
        <translation>{n} check(s) no longer hold: {names}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>conforme : {exp}</source>
        <translation>OK: {exp}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NE TIENT PLUS : attendu {exp}, maintenant {act}</source>
        <translation>NO LONGER HOLDS: expected {exp}, now {act}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>aucune caméra</source>
        <translation>no camera</translation>
    </message>
</context>
<context>
    <name>CloseDialog</name>
    <message>
        <location filename="../console/close_dialog.py" line="+36"/>
        <source>Clôturer l&apos;alerte n° {pk}</source>
        <translation>Close alert no. {pk}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Aucune unité n&apos;est intervenue : pourquoi clôturer cette alerte ?</source>
        <translation>No unit intervened: why close this alert?</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Commentaire (obligatoire pour « Autre »)</source>
        <translation>Comment (required for “Other”)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Clôturer (Ctrl+Entrée)</source>
        <translation>Close (Ctrl+Enter)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Annuler (Échap)</source>
        <translation>Cancel (Esc)</translation>
    </message>
</context>
<context>
    <name>CommunePicker</name>
    <message>
        <location filename="../review/commune_reports.py" line="+72"/>
        <source>Rapport par commune</source>
        <translation>Report per commune</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rapport d&apos;activité pour le maire, période {p}.</source>
        <translation>Activity report for the mayor, period {p}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Toutes les communes ({n} PDF, un par commune)</source>
        <translation>All communes ({n} PDFs, one per commune)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Continuer…</source>
        <translation>Continue…</translation>
    </message>
</context>
<context>
    <name>CommuneReports</name>
    <message>
        <location line="+60"/>
        <source>Aucune commune : les zones du site n&apos;en nomment pas.</source>
        <translation>No commune: the site&apos;s zones name none.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Rapport par commune</source>
        <translation>Report per commune</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Motif de l&apos;export (obligatoire, inscrit à la main courante) :</source>
        <translation>Reason for the export (required, written to the logbook):</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export annulé : le motif est obligatoire.</source>
        <translation>Export cancelled: a reason is required.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Dossier des rapports par commune</source>
        <translation>Folder for the reports per commune</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Rapports par commune : {n} commune(s)</source>
        <translation>Reports per commune: {n} commune(s)</translation>
    </message>
    <message>
        <location line="+97"/>
        <source>{n} rapport(s) écrit(s) et inscrit(s) à la main courante (événements n° {e}).

Emplacement : {w}</source>
        <translation>{n} report(s) written and recorded in the logbook (events no. {e}).

Location: {w}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Rapports par commune</source>
        <translation>Reports per commune</translation>
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
    <name>DelayChart</name>
    <message>
        <location filename="../review/charts.py" line="+215"/>
        <source>Répartition des délais (nombre d&apos;alertes)</source>
        <translation>Delay distribution (number of alerts)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>prise en compte</source>
        <translation>acknowledgement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>engagement d&apos;une unité</source>
        <translation>unit dispatch</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Prise en compte</source>
        <translation>Acknowledged</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Engagement</source>
        <translation>Dispatch</translation>
    </message>
</context>
<context>
    <name>DetachedWallWindow</name>
    <message>
        <location filename="../wall/detach.py" line="+76"/>
        <source>Mur d&apos;images – {station}</source>
        <translation>Camera wall – {station}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Mur d&apos;images détaché du poste {station}</source>
        <translation>Camera wall detached from station {station}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Rattacher à la console ({key})</source>
        <translation>Back into the console ({key})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Remettre le mur d&apos;images dans la fenêtre de la console</source>
        <translation>Put the camera wall back into the console window</translation>
    </message>
</context>
<context>
    <name>DigestView</name>
    <message>
        <location filename="../review/digest_view.py" line="+47"/>
        <source>N°</source>
        <translation>No.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reçue à</source>
        <translation>Received at</translation>
    </message>
    <message>
        <location line="+1"/>
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
        <source>État</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Titre</source>
        <translation>Title</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Unité</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Alerte</source>
        <translation>Alert</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Étape</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Depuis</source>
        <translation>Since</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Caméra</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hors service depuis</source>
        <translation>Down since</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Poste</source>
        <translation>Station</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>De</source>
        <translation>From</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>À</source>
        <translation>To</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Durée</source>
        <translation>Duration</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opérateurs</source>
        <translation>Operators</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>À la relève du {at} : {n} alerte(s) ouverte(s), {u} intervention(s) en cours, {c} caméra(s) hors service.</source>
        <translation>At handover on {at}: {n} open alert(s), {u} intervention(s) in progress, {c} camera(s) down.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Alertes ouvertes</source>
        <translation>Open alerts</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Alertes ouvertes ({n} ; les {k} premières ici, toutes dans la liste)</source>
        <translation>Open alerts ({n}; the first {k} here, all in the list)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Interventions non terminées</source>
        <translation>Unfinished interventions</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Caméras hors service</source>
        <translation>Cameras down</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Alarme en sourdine</source>
        <translation>Alarm muted</translation>
    </message>
</context>
<context>
    <name>DiskStatusLabel</name>
    <message>
        <location filename="../console/disk_status.py" line="+95"/>
        <source>DISQUE PLEIN</source>
        <translation>DISK FULL</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>ÉCRITURE IMPOSSIBLE</source>
        <translation>CANNOT WRITE</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} en attente d&apos;écriture</source>
        <translation>{n} waiting to be written</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} perdu(s)</source>
        <translation>{n} lost</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Espace disque faible : {mb} Mo libres</source>
        <translation>Low disk space: {mb} MB free</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Libérez de l&apos;espace avant que le disque soit plein.</source>
        <translation>Free some space before the disk is full.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>La base de données ne peut plus écrire. Les alertes reçues ne sont pas acquittées : la passerelle les renverra. Les actions des opérateurs sont refusées. Les événements de la console (affichages, caméras, sourdines) sont gardés en mémoire, au plus {limit}, et écrits dans l&apos;ordre dès que l&apos;espace est libéré.</source>
        <translation>The database can no longer write. Incoming alerts are not acknowledged: the gateway will resend them. Operators&apos; actions are refused. The console&apos;s own events (displays, cameras, mutes) are kept in memory, {limit} at most, and written in order as soon as space is freed.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Espace libre : {mb} Mo</source>
        <translation>Free space: {mb} MB</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Depuis : {t}</source>
        <translation>Since: {t}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Erreur : {e}</source>
        <translation>Error: {e}</translation>
    </message>
</context>
<context>
    <name>DiskStatusModel</name>
    <message>
        <location line="-92"/>
        <source>Disque plein : action non enregistrée. Réessayez quand l&apos;espace disque sera libéré (prévenez l&apos;administrateur).</source>
        <translation>Disk full: action not recorded. Try again once disk space has been freed (tell the administrator).</translation>
    </message>
</context>
<context>
    <name>DispatchDialog</name>
    <message>
        <location filename="../console/dispatch_dialog.py" line="+98"/>
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
    <message>
        <location line="+4"/>
        <source> – par {who}</source>
        <translation> – by {who}</translation>
    </message>
</context>
<context>
    <name>DispatchOperations</name>
    <message>
        <location filename="../console/dispatch_ops.py" line="+157"/>
        <source>Aucune unité dans la configuration ([dispatch] units).</source>
        <extracomment>This station&apos;s own fold changed (before, after): what it did to the units, for the hub (ui/console/team.py shares it). Lays the hub&apos;s records over ``local_states`` (None: no hub; see team.py). Units the operator confirmed engaging though busy (the hub is told so).</extracomment>
        <translation>No unit in the configuration ([dispatch] units).</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>L&apos;alerte a changé entre-temps (autre poste) : rien n&apos;a été engagé.</source>
        <translation>The alert changed meanwhile (another station): nothing was dispatched.</translation>
    </message>
    <message>
        <location line="+11"/>
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
        <location line="+55"/>
        <source>Plus aucune unité engagée sur l&apos;alerte n° {pk} : la clôturer ?</source>
        <translation>No unit left on alert no. {pk}: close it?</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Une unité est encore engagée : terminez d&apos;abord l&apos;intervention (F6).</source>
        <translation>A unit is still dispatched: end its intervention first (F6).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>L&apos;alerte n° {pk} est déjà clôturée.</source>
        <translation>Alert no. {pk} is already closed.</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>L&apos;alerte n° {pk} n&apos;est pas clôturée : rien à rouvrir.</source>
        <translation>Alert no. {pk} is not closed: nothing to reopen.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Rouvrir l&apos;alerte n° {pk}</source>
        <translation>Reopen alert no. {pk}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rouvrir l&apos;alerte n° {pk} ({what}) : indiquez le motif.</source>
        <translation>Reopen alert no. {pk} ({what}): give the reason.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Réouverture annulée : un motif est obligatoire.</source>
        <translation>Reopening cancelled: a reason is required.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>L&apos;alerte a changé entre-temps (autre poste) : rien fait.</source>
        <translation>The alert changed meanwhile (another station): nothing done.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Alerte n° {pk} rouverte.</source>
        <translation>Alert no. {pk} reopened.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alerte n° {pk} clôturée.</source>
        <translation>Alert no. {pk} closed.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Confirmation – alerte n° {pk}</source>
        <translation>Confirmation – alert no. {pk}</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Reprise de l&apos;alerte n° {pk}</source>
        <translation>Taking over alert no. {pk}</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Quelle unité ? – alerte n° {pk}</source>
        <translation>Which unit? – alert no. {pk}</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>Reprise annulée : un motif est obligatoire.</source>
        <translation>Takeover cancelled: a reason is required.</translation>
    </message>
    <message>
        <location line="+13"/>
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
        <location line="+15"/>
        <source>— choisir l&apos;issue —</source>
        <translation>— choose the outcome —</translation>
    </message>
    <message>
        <location line="+5"/>
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
    <message>
        <location line="+13"/>
        <source>Choisissez l&apos;issue de l&apos;intervention.</source>
        <translation>Choose the outcome of the intervention.</translation>
    </message>
</context>
<context>
    <name>EntryDialog</name>
    <message>
        <location filename="../console/entry_dialog.py" line="+79"/>
        <source>Main courante – nouvelle entrée</source>
        <translation>Logbook – new entry</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Main courante – correction de l&apos;entrée n° {n}</source>
        <translation>Logbook – correction of entry no. {n}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Ce qui s&apos;est passé, qui a appelé, ce qui a été fait…</source>
        <translation>What happened, who called, what was done…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Aucune alerte</source>
        <translation>No alert</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Alerte n° {pk}</source>
        <translation>Alert no. {pk}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Adresse ou lieu (facultatif)</source>
        <translation>Address or place (optional)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choisir sur la carte</source>
        <translation>Pick on the map</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Retirer le point</source>
        <translation>Remove the point</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Aucune caméra</source>
        <translation>No camera</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Pourquoi corriger (obligatoire)</source>
        <translation>Why correct (required)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Texte</source>
        <translation>Text</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alerte</source>
        <translation>Alert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lieu</source>
        <translation>Place</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Caméra</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Motif</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Enregistrer (Entrée)</source>
        <translation>Save (Enter)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Annuler (Échap)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Signé : {who} · poste {station} · {now}</source>
        <translation>Signed: {who} · station {station} · {now}</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Pas de point sur la carte</source>
        <translation>No point on the map</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Point : {lat:.5f}, {lon:.5f}</source>
        <translation>Point: {lat:.5f}, {lon:.5f}</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Le texte de l&apos;entrée est obligatoire.</source>
        <translation>The entry text is required.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Dites pourquoi vous corrigez cette entrée (motif).</source>
        <translation>Say why you correct this entry (reason).</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Abandonner l&apos;entrée ?</source>
        <translation>Discard the entry?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Le texte saisi n&apos;est pas enregistré dans la main courante. L&apos;abandonner ?</source>
        <translation>The text typed is not in the logbook yet. Discard it?</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Abandonner</source>
        <translation>Discard</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Continuer la saisie</source>
        <translation>Keep typing</translation>
    </message>
</context>
<context>
    <name>ExtractionDialog</name>
    <message>
        <location filename="../console/extraction_dialog.py" line="+84"/>
        <source>Extraction sur réquisition</source>
        <translation>Extraction on requisition</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Extraire</source>
        <translation>Extract</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ouvrir le dossier</source>
        <translation>Open the folder</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>« Extraire » attend les champs signalés en rouge.</source>
        <translation>“Extract” waits for the fields marked in red.</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Annulation…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{m}
L&apos;échec est inscrit à la main courante.</source>
        <translation>{m}
The failure is recorded in the logbook.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Extraction n° {pk} terminée</source>
        <translation>Extraction no. {pk} done</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Réquisition n° {n} — {s} — {o}</source>
        <translation>Requisition no. {n} — {s} — {o}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Période : {p} (heure locale)</source>
        <translation>Period: {p} (local time)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Caméra</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fichier</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Taille</source>
        <translation>Size</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SHA-256 (début)</source>
        <translation>SHA-256 (start)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sans enregistrement</source>
        <translation>Not recorded</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>aucun fichier</source>
        <translation>no file</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>aucune</source>
        <translation>none</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Procès-verbal : {p}</source>
        <translation>Extraction report: {p}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Faits (JSON) : {p}</source>
        <translation>Facts (JSON): {p}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Les segments sources sont sous conservation légale jusqu&apos;à sa levée. Imprimez le procès-verbal, signez-le et faites-le signer à la remise.</source>
        <translation>The source segments are under legal hold until it is released. Print the report, sign it and have it signed on hand-over.</translation>
    </message>
</context>
<context>
    <name>ExtractionForm</name>
    <message>
        <location filename="../console/extraction_form.py" line="+131"/>
        <source>Rechercher une caméra (nom ou identifiant)</source>
        <extracomment>The period proposed around an alert&apos;s reported time.</extracomment>
        <translation>Search a camera (name or id)</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>ex. 2026/001234</source>
        <translation>e.g. 2026/001234</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ex. Commissariat de police de Nîmes</source>
        <translation>e.g. Nîmes police station</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>grade, nom et prénom</source>
        <translation>rank, surname and first name</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>jj/mm/aaaa</source>
        <translation>dd/mm/yyyy</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Choisir…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>&lt;b&gt;Caméras&lt;/b&gt;</source>
        <translation>&lt;b&gt;Cameras&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>du</source>
        <translation>from</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>au</source>
        <translation>to</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>(heure locale, {tz})</source>
        <translation>(local time, {tz})</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>&lt;b&gt;Période&lt;/b&gt;</source>
        <translation>&lt;b&gt;Period&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&lt;b&gt;Réquisition&lt;/b&gt;</source>
        <translation>&lt;b&gt;Requisition&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>N° de réquisition</source>
        <translation>Requisition no.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service requérant</source>
        <translation>Requesting service</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OPJ</source>
        <translation>Judicial police officer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date de la réquisition</source>
        <translation>Requisition date</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&lt;b&gt;Dossier de destination&lt;/b&gt;</source>
        <translation>&lt;b&gt;Destination folder&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Dossier de destination</source>
        <translation>Destination folder</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>{n} caméra(s) cochée(s) sur {total}</source>
        <translation>{n} camera(s) checked out of {total}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Dossier de destination : obligatoire.</source>
        <translation>Destination folder: required.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Dossier de destination : introuvable.</source>
        <translation>Destination folder: not found.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Dossier de destination : écriture interdite.</source>
        <translation>Destination folder: not writable.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Espace libre : {gb} Go</source>
        <translation>Free space: {gb} GB</translation>
    </message>
</context>
<context>
    <name>ExtractionJob</name>
    <message>
        <location filename="../console/extraction_job.py" line="+161"/>
        <location line="+28"/>
        <source>Copie des enregistrements…</source>
        <translation>Copying the recordings…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Lecture de la tête de chaîne de la main courante…</source>
        <translation>Reading the logbook&apos;s chain head…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Rédaction du procès-verbal…</source>
        <translation>Writing the extraction report…</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Inscription à la main courante…</source>
        <translation>Recording in the logbook…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Conservation des enregistrements sources…</source>
        <translation>Holding the source recordings…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Extraction terminée.</source>
        <translation>Extraction done.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Extraction impossible (erreur interne) : {m}</source>
        <translation>Extraction failed (internal error): {m}</translation>
    </message>
</context>
<context>
    <name>ExtractionLauncher</name>
    <message>
        <location filename="../console/extraction_assembly.py" line="+75"/>
        <source>Extraction sur réquisition…</source>
        <translation>Extraction on requisition…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Registre des extractions…</source>
        <translation>Extractions register…</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Alerte n° {pk} – {cat} – signalée à {t}</source>
        <extracomment>Other parts&apos; entries in that menu: ``hook(menu, clicked, selected_before)`` (the groups&apos; « Regrouper avec l&apos;alerte sélectionnée… », ui/console/group_commands.py).</extracomment>
        <translation>Alert no. {pk} – {cat} – reported at {t}</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Extraction n° {pk} terminée : {f}</source>
        <translation>Extraction no. {pk} done: {f}</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Extraire les images de l&apos;alerte… (Ctrl+E)</source>
        <translation>Extract the alert&apos;s video… (Ctrl+E)</translation>
    </message>
</context>
<context>
    <name>ExtractionsRegisterWindow</name>
    <message>
        <location filename="../console/extractions_register.py" line="+86"/>
        <source>Registre des extractions – {site}</source>
        <extracomment>Days shown when the register opens (today and the 29 before: the CNIL&apos;s month). ``choose(suggested_name)`` → where to write the CSV (None: cancelled); tests inject it.</extracomment>
        <translation>Extractions register – {site}</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>N° de réquisition</source>
        <translation>Requisition no.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>OPJ</source>
        <translation>Judicial police officer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Caméras</source>
        <translation>Cameras</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Période</source>
        <translation>Period</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fichiers</source>
        <translation>Files</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Opérateur</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conservation</source>
        <translation>Hold</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Exporter en CSV…</source>
        <translation>Export as CSV…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lever la conservation…</source>
        <translation>Release the hold…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mainlevée de la réquisition : les segments sources redeviennent purgeables</source>
        <translation>Release of the requisition: the source segments can be purged again</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Du</source>
        <translation>From</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>au</source>
        <translation>to</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Chargement…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{n} extraction(s) sur la période</source>
        <translation>{n} extraction(s) in the period</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{n} fichier(s), {mb} Mo</source>
        <translation>{n} file(s), {mb} MB</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>en cours</source>
        <translation>active</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>levée le {d}</source>
        <translation>released on {d}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Lecture impossible : {m}</source>
        <translation>Cannot read: {m}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Exporter le registre des extractions</source>
        <translation>Export the extractions register</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Motif de l&apos;export (obligatoire, inscrit à la main courante) :</source>
        <translation>Reason for the export (required, recorded in the logbook):</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export annulé : le motif est obligatoire.</source>
        <translation>Export cancelled: a reason is required.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Enregistrer l&apos;export</source>
        <translation>Save the export</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Export en cours : {f}</source>
        <translation>Exporting: {f}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export terminé : {f}</source>
        <translation>Export done: {f}</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Choisissez d&apos;abord une extraction dans la liste.</source>
        <translation>Choose an extraction in the list first.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Extraction n° {pk} : conservation déjà levée.</source>
        <translation>Extraction no. {pk}: hold already released.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Lever la conservation</source>
        <translation>Release the hold</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mainlevée de l&apos;extraction n° {pk} (réquisition « {ref} »).
Motif (obligatoire, inscrit à la main courante) :</source>
        <translation>Release of extraction no. {pk} (requisition “{ref}”).
Reason (required, written to the logbook):</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Mainlevée annulée : le motif est obligatoire.</source>
        <translation>Release cancelled: a reason is required.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Conservation de l&apos;extraction n° {pk} levée ; {n} segment(s) de l&apos;enregistreur libéré(s).</source>
        <translation>Hold of extraction no. {pk} released; {n} recorder segment(s) freed.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Mainlevée impossible : {m}</source>
        <translation>Release failed: {m}</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <location filename="../console/alert_filters.py" line="+145"/>
        <source>Alertes ouvertes</source>
        <extracomment>state filter choices: id -&gt; states shown (None: all) State choices that also hide alerts cancelled by their issuer or expired. The commune filter&apos;s choice for alerts outside every commune.</extracomment>
        <translation>Open alerts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ouvertes, sans annulées ni expirées</source>
        <translation>Open, without cancelled or expired</translation>
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
    <name>FilterPanel</name>
    <message>
        <location filename="../review/filter_panel.py" line="+46"/>
        <source>Opérateur</source>
        <extracomment>The ReviewFilter fields shown, in display order.</extracomment>
        <translation>Operator</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Poste</source>
        <translation>Station</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Catégorie</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priorité</source>
        <translation>Priority</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Secteur / zone</source>
        <translation>Sector / zone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Commune</source>
        <translation>Municipality</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issue</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Tous</source>
        <translation>All</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Sans intervention terminée</source>
        <translation>No finished intervention</translation>
    </message>
</context>
<context>
    <name>GroupCommands</name>
    <message>
        <location filename="../console/group_commands.py" line="+89"/>
        <source>Regrouper avec l&apos;alerte sélectionnée…</source>
        <translation>Group with the selected alert…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sélectionnez d&apos;abord l&apos;alerte qui mènera le groupe.</source>
        <translation>First select the alert that will lead the group.</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+30"/>
        <source>Détacher du groupe</source>
        <translation>Detach from the group</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>  … et {n} autre(s)</source>
        <translation>  … and {n} more</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Regrouper sous l&apos;alerte {leader} :
{names}

Le groupe sera le même à tous les postes ; chaque signalement garde sa fiche.</source>
        <translation>Group under alert {leader}:
{names}

The group will be the same at every station; each report keeps its own record.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Regrouper des alertes</source>
        <translation>Group alerts</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Regrouper</source>
        <translation>Group</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Détacher l&apos;alerte {report} du groupe de l&apos;alerte {leader} ?

Elle aura de nouveau sa propre ligne, à tous les postes.</source>
        <translation>Detach alert {report} from the group of alert {leader}?

It will have its own row again, at every station.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Détacher</source>
        <translation>Detach</translation>
    </message>
</context>
<context>
    <name>GroupConfirmDialog</name>
    <message>
        <location line="-81"/>
        <source>Motif (facultatif) :</source>
        <extracomment>At most this many reports listed in « Détacher du groupe » (the rest: the detail).</extracomment>
        <translation>Reason (optional):</translation>
    </message>
</context>
<context>
    <name>HandleLegend</name>
    <message>
        <location filename="../setup/legend.py" line="+16"/>
        <source>orientation</source>
        <translation>heading</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>angle de champ</source>
        <translation>field-of-view angle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>portée</source>
        <translation>range</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Poignées : </source>
        <translation>Handles: </translation>
    </message>
</context>
<context>
    <name>HandoverController</name>
    <message>
        <location filename="../console/handover.py" line="+195"/>
        <source>Synthèse de relève indisponible ({m}).</source>
        <translation>Handover summary unavailable ({m}).</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Vacation non clôturée : {m}</source>
        <translation>Shift not closed: {m}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Vacation clôturée au poste {s}.</source>
        <translation>Shift closed at station {s}.</translation>
    </message>
</context>
<context>
    <name>HandoverDialog</name>
    <message>
        <location line="-115"/>
        <source>Relève – poste {s}</source>
        <extracomment>With no shift open and no login found, the digest looks this far back.</extracomment>
        <translation>Handover – station {s}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Vacation ouverte le {date} à {time} par {who}.</source>
        <translation>Shift opened on {date} at {time} by {who}.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Aucune vacation ouverte à ce poste : depuis la connexion de {t}.</source>
        <translation>No shift open at this station: since the login at {t}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Avant de quitter le poste, voici ce que la relève reprend.</source>
        <translation>Before you leave the station, here is what the next operator takes over.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rien à transmettre.</source>
        <translation>Nothing to hand over.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Passer la main</source>
        <translation>Hand over</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Clôturer la vacation et passer la main</source>
        <translation>Close the shift and hand over</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Votre rôle ne permet pas de clôturer la vacation.</source>
        <translation>Your role does not allow closing the shift.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>HeatmapLayer</name>
    <message>
        <location filename="../map/heatmap_layer.py" line="+407"/>
        <source>Densité des signalements</source>
        <extracomment>Above the basemap image (zone tints included), under the zones&apos; labels, the partners&apos; areas, the fields of view, the cameras and the alert markers. Fraction of the view&apos;s size computed around it, so that a pan needs no new image. Largest side of a density image, in pixels. The view must stay still this long before a new density is computed. How often the GUI thread looks for a finished computation (only while one runs). The colour scale&apos;s top per (points version, scale): computed once for all the pans at that zoom. Computations started and results dropped as stale (tests, the log).</extracomment>
        <translation>Report density</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{n} signalement(s)</source>
        <translation>{n} report(s)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>faible</source>
        <translation>low</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>forte</source>
        <translation>high</translation>
    </message>
</context>
<context>
    <name>HeatmapToggle</name>
    <message>
        <location filename="../map/heatmap_toggle.py" line="+32"/>
        <source>Carte de chaleur</source>
        <translation>Heatmap</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Dernières 24 heures</source>
        <translation>Last 24 hours</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} derniers jours</source>
        <translation>Last {n} days</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Densité des alertes de la revue (au-delà de 300 alertes, elle remplace leurs points)</source>
        <translation>Density of the review&apos;s alerts (past 300 alerts, it replaces their dots)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Densité des signalements enregistrés ({period}), sous les alertes en cours ; la flèche choisit la période</source>
        <translation>Density of the stored reports ({period}), under the current alerts; the arrow chooses the period</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <location filename="../setup/dialogs.py" line="+59"/>
        <source>Historique de la configuration</source>
        <translation>Configuration history</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Chaque version est la configuration telle qu&apos;elle était avant une modification. La restaurer garde d&apos;abord la configuration actuelle.</source>
        <translation>Each version is the configuration as it was before a change. Restoring one first keeps the current configuration.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>l&apos;enregistrement</source>
        <translation>saving</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>la restauration</source>
        <translation>restoring</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>l&apos;import</source>
        <translation>importing</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Version {n} — avant {action} du {when} par {who} : {why}</source>
        <translation>Version {n} — before {action} on {when} by {who}: {why}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Aucune version conservée pour l&apos;instant.</source>
        <translation>No version kept yet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Restaurer cette version…</source>
        <translation>Restore this version…</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Restaurer une version</source>
        <translation>Restore a version</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remplacer les caméras et les zones par cette version ?
La configuration actuelle est conservée dans l&apos;historique.</source>
        <translation>Replace the cameras and zones with this version?
The current configuration is kept in the history.</translation>
    </message>
</context>
<context>
    <name>HoldDialog</name>
    <message>
        <location filename="../review/holds.py" line="+83"/>
        <source>Réquisition judiciaire – alerte n° {pk}</source>
        <translation>Judicial requisition – alert no. {pk}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>alerte n° {ref}</source>
        <translation>alert no. {ref}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>capture d&apos;image n° {ref}</source>
        <translation>snapshot no. {ref}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>extraction vidéo {ref}</source>
        <translation>video extraction {ref}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alerte n° {pk} – {title}</source>
        <translation>Alert no. {pk} – {title}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>ex. PV 2026/1234 – TJ Montbéliard</source>
        <translation>e.g. PV 2026/1234 – TJ Montbéliard</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Placer sous réquisition</source>
        <translation>Put under legal hold</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Conserver aussi ses {n} capture(s) d&apos;image</source>
        <translation>Also keep its {n} snapshot(s)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Lever la conservation choisie…</source>
        <translation>Release the chosen hold…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Conservations en cours :</source>
        <translation>Active holds:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Référence de la réquisition (obligatoire) :</source>
        <translation>Requisition reference (required):</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>n° {n} – {what} – « {ref} » – le {at} par {who}</source>
        <translation>no. {n} – {what} – “{ref}” – on {at} by {who}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>aucune</source>
        <translation>none</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Lever la conservation n° {n}</source>
        <translation>Release hold no. {n}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Motif de la levée (mainlevée, fin de procédure…), inscrit à la main courante :</source>
        <translation>Reason for the release (court release, end of proceedings…), written to the logbook:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Levée annulée : le motif est obligatoire.</source>
        <translation>Release cancelled: a reason is required.</translation>
    </message>
</context>
<context>
    <name>HourlyChart</name>
    <message>
        <location filename="../review/charts.py" line="-88"/>
        <source>Alertes par heure et par catégorie (cliquer : filtrer)</source>
        <translation>Alerts by hour and category (click: filter)</translation>
    </message>
</context>
<context>
    <name>HubClaims</name>
    <message>
        <location filename="../console/hub_claims.py" line="+52"/>
        <source>Action refusée par le serveur d&apos;alertes : {message}</source>
        <translation>Action refused by the alert server: {message}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Alerte n° {pk} déjà prise par {holder} : F2 pour la reprendre (motif demandé).</source>
        <translation>Alert no. {pk} already taken by {holder}: F2 to take it over (a reason is asked).</translation>
    </message>
</context>
<context>
    <name>HubHealthLabel</name>
    <message>
        <location filename="../console/link_status.py" line="+179"/>
        <source>Serveur d&apos;alertes dégradé</source>
        <translation>Alert server degraded</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>depuis {t}</source>
        <translation>since {t}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Le serveur d&apos;alertes ne peut plus enregistrer : les alertes déjà reçues restent affichées, les nouvelles attendent chez les passerelles. Cause : {d}</source>
        <translation>The alert server cannot record any more: alerts already received stay on screen, new ones wait at the gateways. Cause: {d}</translation>
    </message>
</context>
<context>
    <name>IndicatorPanel</name>
    <message>
        <location filename="../review/indicators.py" line="+134"/>
        <source>Catégorie</source>
        <extracomment>The site&apos;s zones and communes: alerts counted per commune from them. The site&apos;s cameras: each one&apos;s availability, 100 % when never down.</extracomment>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <source>Alertes</source>
        <translation>Alerts</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Zone</source>
        <translation>Zone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issue</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priorité</source>
        <translation>Priority</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Commune</source>
        <translation>Municipality</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Opérateur</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Événements</source>
        <translation>Events</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Détail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+3"/>
        <source>Caméra</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Hors service</source>
        <translation>Down</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+3"/>
        <source>Durée</source>
        <translation>Duration</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Disponibilité</source>
        <translation>Availability</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Pannes</source>
        <translation>Outages</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Cliquer une ligne : ne garder que ces alertes</source>
        <translation>Click a row: keep only these alerts</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Par catégorie</source>
        <translation>By category</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Par zone</source>
        <translation>By zone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Par issue</source>
        <translation>By outcome</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Par priorité</source>
        <translation>By priority</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Charge par opérateur</source>
        <translation>Load per operator</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Caméras hors service</source>
        <translation>Cameras down</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Par commune (d&apos;après la position)</source>
        <translation>By municipality (from the position)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disponibilité des caméras</source>
        <translation>Camera availability</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Hors territoire</source>
        <extracomment>The command line and the console itself: shown, but not as operators.</extracomment>
        <translation>Outside the territory</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Hors opérateurs (événements) : {list}</source>
        <translation>Not operators (events): {list}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>toujours</source>
        <translation>ongoing</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Sans intervention terminée</source>
        <translation>No finished intervention</translation>
    </message>
</context>
<context>
    <name>KeyFigures</name>
    <message>
        <location line="-185"/>
        <source>Alertes reçues</source>
        <translation>Alerts received</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Délai de prise en compte (médiane)</source>
        <translation>Time to acknowledge (median)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Délai d&apos;engagement (médiane)</source>
        <translation>Time to dispatch (median)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ouvertes en fin de période</source>
        <translation>Open at period end</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Escalades</source>
        <translation>Escalations</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alarme en sourdine</source>
        <translation>Alarm muted</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Caméras hors service</source>
        <translation>Cameras down</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Jamais prises en compte</source>
        <translation>Never acknowledged</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>aucune alerte</source>
        <translation>no alerts</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>p90 {p90} · max {max}
{n} alertes</source>
        <translation>p90 {p90} · max {max}
{n} alerts</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{n} période(s)</source>
        <translation>{n} period(s)</translation>
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
        <source>Inondation</source>
        <translation>Flood</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Feu de forêt</source>
        <translation>Forest fire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Météo</source>
        <translation>Weather</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pollution</source>
        <translation>Pollution</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Risque technologique</source>
        <translation>Technological hazard</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Séisme</source>
        <translation>Earthquake</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alerte à la population</source>
        <translation>Public warning</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+90"/>
        <source>Autre</source>
        <translation>Other</translation>
    </message>
    <message>
        <location line="-88"/>
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
        <location line="+83"/>
        <source>Information</source>
        <translation>Information</translation>
    </message>
    <message>
        <location line="-81"/>
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
        <source>Annulée par l&apos;émetteur</source>
        <translation>Cancelled by the issuer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expirée</source>
        <translation>Expired</translation>
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
        <source>Son rétabli</source>
        <translation>Sound back on</translation>
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
        <source>Arrêt de la console</source>
        <translation>Console stopped</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Main courante</source>
        <translation>Logbook</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Réquisition judiciaire : conservation</source>
        <translation>Judicial requisition: hold</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Réquisition judiciaire : levée</source>
        <translation>Judicial requisition: released</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Consultation de la revue</source>
        <translation>Review opened</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mise à jour de l&apos;émetteur</source>
        <translation>Update from the issuer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Annulation de l&apos;émetteur</source>
        <translation>Cancellation from the issuer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message CAP en attente de son alerte</source>
        <translation>CAP message waiting for its alert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message CAP au journal des partenaires</source>
        <translation>CAP message in the partners&apos; log</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alerte expirée</source>
        <translation>Alert expired</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enregistrement consulté</source>
        <translation>Recording viewed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Extraction sur réquisition</source>
        <translation>Extraction on requisition</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Extraction échouée</source>
        <translation>Extraction failed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signal faible détecté</source>
        <translation>Weak signal detected</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signal faible suivi</source>
        <translation>Weak signal followed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signal faible classé sans suite</source>
        <translation>Weak signal dismissed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suggestion de tri acceptée</source>
        <translation>Triage suggestion accepted</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suggestion de tri refusée</source>
        <translation>Triage suggestion refused</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priorité modifiée</source>
        <translation>Priority changed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signalements regroupés</source>
        <translation>Reports merged</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signalement détaché de son groupe</source>
        <translation>Report split from its group</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alerte créée par l&apos;opérateur</source>
        <translation>Alert created by the operator</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ronde de caméras commencée</source>
        <translation>Camera tour started</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ronde de caméras terminée</source>
        <translation>Camera tour ended</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disposition du mur enregistrée</source>
        <translation>Wall layout saved</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compte réactivé</source>
        <translation>Account re-enabled</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rôle modifié</source>
        <translation>Role changed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mot de passe réinitialisé</source>
        <translation>Password reset</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unité ajoutée</source>
        <translation>Unit added</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unité retirée</source>
        <translation>Unit removed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Réglages du site modifiés</source>
        <translation>Site settings changed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test du son</source>
        <translation>Sound test</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sauvegarde</source>
        <translation>Backup</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sauvegarde nocturne impossible</source>
        <translation>Nightly backup failed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restauration d&apos;une sauvegarde</source>
        <translation>Backup restored</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Appel reçu</source>
        <translation>Call received</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message radio</source>
        <translation>Radio message</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Constat vidéo</source>
        <translation>Video observation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patrouille</source>
        <translation>Patrol</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Consigne</source>
        <translation>Instruction</translation>
    </message>
    <message>
        <location line="+2"/>
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
        <source>Doublon</source>
        <translation>Duplicate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rien constaté</source>
        <translation>Nothing found</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hors compétence</source>
        <translation>Outside our remit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Transmis au 17 (police)</source>
        <translation>Passed to 17 (police)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Transmis au 18 (pompiers)</source>
        <translation>Passed to 18 (fire brigade)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Transmis au 15 (SAMU)</source>
        <translation>Passed to 15 (ambulance)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alerte rouverte</source>
        <translation>Alert reopened</translation>
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
        <source>voir les postes de la salle</source>
        <translation>see the room&apos;s stations</translation>
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
        <location line="+1"/>
        <source>placer ou lever une réquisition judiciaire</source>
        <translation>put or release a legal hold</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>consulter le registre des accès</source>
        <translation>read the access register</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>visionner les enregistrements</source>
        <translation>view recordings</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>extraire des enregistrements sur réquisition</source>
        <translation>extract recordings on requisition</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>examiner les signaux faibles</source>
        <translation>review weak signals</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>créer une alerte</source>
        <translation>create an alert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ajouter ou retirer des unités</source>
        <translation>add or remove units</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>modifier les réglages du site</source>
        <translation>change the site settings</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sauvegarder et restaurer les données</source>
        <translation>back up and restore the data</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Récurrence</source>
        <translation>Recurrence</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Regroupement spatio-temporel</source>
        <translation>Space–time cluster</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Terme récurrent</source>
        <translation>Recurring term</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nouveau</source>
        <translation>New</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suivi</source>
        <translation>Followed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sans suite</source>
        <translation>No further action</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>pas d&apos;enregistrement</source>
        <translation>no recording</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>caméra hors service</source>
        <translation>camera out of service</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>segment illisible</source>
        <translation>unreadable segment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>disque plein</source>
        <translation>disk full</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signalement</source>
        <translation>Report</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Réception</source>
        <translation>Reception</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Engagement</source>
        <translation>Dispatch</translation>
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
    <message>
        <location line="+2"/>
        <source>Doublon probable</source>
        <translation>Likely duplicate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priorité à relever</source>
        <translation>Priority to raise</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pertinence faible</source>
        <translation>Low relevance</translation>
    </message>
</context>
<context>
    <name>LayoutsDialog</name>
    <message>
        <location filename="../wall/viewing_dialogs.py" line="+81"/>
        <source>Dispositions du mur</source>
        <translation>Wall layouts</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Nom de la disposition</source>
        <translation>Layout name</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Enregistrer le mur actuel</source>
        <translation>&amp;Save the current wall</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Rappeler (Entrée)</source>
        <translation>&amp;Recall (Enter)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Supprimer…</source>
        <translation>&amp;Delete…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fermer (Échap)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>{name} — {grid}, {n} caméra(s)</source>
        <translation>{name} — {grid}, {n} camera(s)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Disposition non enregistrée : {why}.</source>
        <translation>Layout not saved: {why}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Disposition non enregistrée : le mur est vide.</source>
        <translation>Layout not saved: the wall is empty.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Supprimer la disposition</source>
        <translation>Delete the layout</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supprimer la disposition « {name} » de ce poste ?</source>
        <translation>Delete the layout “{name}” from this station?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supprimer</source>
        <translation>Delete</translation>
    </message>
</context>
<context>
    <name>LinkStatusLabel</name>
    <message>
        <location filename="../console/link_status.py" line="-138"/>
        <source>Liaison : démarrage…</source>
        <translation>Link: starting…</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Connecté au serveur {hub} depuis {t}</source>
        <translation>Connected to server {hub} since {t}</translation>
    </message>
    <message>
        <location line="+7"/>
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
        <source>DISQUE PLEIN – alertes non acquittées : la passerelle les renverra</source>
        <translation>DISK FULL – alerts not acknowledged: the gateway will resend them</translation>
    </message>
    <message>
        <location line="+5"/>
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
    <name>LiveHeatmap</name>
    <message>
        <location filename="../console/heatmap_feed.py" line="+129"/>
        <source>Carte de chaleur : lecture impossible ({m})</source>
        <extracomment>Periods offered, in days (those within the retention of positions). The heatmap is read again this often while it is on.</extracomment>
        <translation>Heatmap: cannot read the alerts ({m})</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../console/login_dialog.py" line="+71"/>
        <source>Connexion au poste {s}</source>
        <translation>Log in to station {s}</translation>
    </message>
    <message>
        <location line="+12"/>
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
        <location line="+36"/>
        <source>identifiant</source>
        <translation>login</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>Se connecter</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+41"/>
        <source>Identifiant</source>
        <translation>Login</translation>
    </message>
    <message>
        <location line="-40"/>
        <location line="+42"/>
        <location line="+18"/>
        <source>Mot de passe</source>
        <translation>Password</translation>
    </message>
    <message>
        <location line="-53"/>
        <source>Aucun compte n&apos;existe encore : personne ne peut se connecter. Créez-en un depuis un terminal :</source>
        <translation>No account exists yet: nobody can log in. Create one from a terminal:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>csu-console users add &lt;identifiant&gt; --role admin</source>
        <translation>csu-console users add &lt;login&gt; --role admin</translation>
    </message>
    <message>
        <location line="+9"/>
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
        <location line="+18"/>
        <source>Confirmation</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Enregistrer et continuer</source>
        <translation>Save and continue</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Autre compte</source>
        <translation>Another account</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Ctrl+Q : quitter la console</source>
        <translation>Ctrl+Q: quit the console</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Quitter la console</source>
        <translation>Quit the console</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Connectez-vous pour utiliser la console.</source>
        <translation>Log in to use the console.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Indiquez votre identifiant et votre mot de passe.</source>
        <translation>Enter your login and your password.</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+42"/>
        <source>Les deux mots de passe saisis diffèrent.</source>
        <translation>The two passwords differ.</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>{name}, votre mot de passe est provisoire (donné par l&apos;administrateur) : choisissez le vôtre pour continuer.</source>
        <translation>{name}, your password is temporary (given by the administrator): choose your own to continue.</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Vérification impossible : {m}</source>
        <translation>Cannot check: {m}</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Vérification…</source>
        <translation>Checking…</translation>
    </message>
</context>
<context>
    <name>LowerTabs</name>
    <message>
        <location filename="../console/lower_tabs.py" line="+25"/>
        <source>Alerte sélectionnée</source>
        <translation>Selected alert</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+16"/>
        <source>Main courante du jour</source>
        <translation>Today&apos;s logbook</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Main courante du jour (+{n})</source>
        <translation>Today&apos;s logbook (+{n})</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../console/main_window.py" line="+102"/>
        <source>CSU Console – {site} – {station}</source>
        <extracomment>Size before the window is maximised (clamped to the screen). Asked before the window closes (Ctrl+Q, the close button): False keeps it.</extracomment>
        <translation>CSU Console – {site} – {station}</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Nouvelle entrée (F9)</source>
        <translation>New entry (F9)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Écrire dans la main courante</source>
        <translation>Write in the logbook</translation>
    </message>
    <message>
        <location line="+139"/>
        <source>Main courante du jour</source>
        <translation>Today&apos;s logbook</translation>
    </message>
    <message>
        <location line="-128"/>
        <source>Poste : {s}</source>
        <translation>Station: {s}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Les citoyens informent, ils n&apos;interviennent pas. Urgence vitale : 17 police · 18 pompiers · 15 SAMU · 112</source>
        <translation>Citizens report, they do not intervene. Life-threatening emergency: 17 police · 18 fire brigade · 15 ambulance (SAMU) · 112</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>F2 prendre en compte · F3 suivante · F4 engager · F5 sur place · F6 fin d&apos;intervention · F8 clôturer · Maj+F8 rouvrir · F9 main courante · Ctrl+M couper le son {d}</source>
        <translation>F2 acknowledge · F3 next · F4 dispatch · F5 on site · F6 end of intervention · F8 close · Shift+F8 reopen · F9 logbook · Ctrl+M mute {d}</translation>
    </message>
    <message>
        <location line="+38"/>
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
        <location line="-16"/>
        <location line="+22"/>
        <location line="+302"/>
        <source>Couper le son {d}</source>
        <translation>Mute {d}</translation>
    </message>
    <message>
        <location line="-399"/>
        <source>Les lignes ne bougent pas sous le pointeur ni pendant un dialogue : les nouvelles alertes sont classées quand le pointeur quitte la liste ou que le dialogue se ferme.</source>
        <translation>Rows do not move under the pointer or while a dialog is open: new alerts are sorted in when the pointer leaves the list or the dialog closes.</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>&amp;Fichier</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Quitter</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <location line="+10"/>
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
        <location line="+1"/>
        <source>Rouvrir l&apos;alerte clôturée…</source>
        <translation>Reopen the closed alert…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Journal des partenaires…</source>
        <translation>Partner feed log…</translation>
    </message>
    <message>
        <location line="+6"/>
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
        <location line="+3"/>
        <source>Tester le son</source>
        <translation>Test the sound</translation>
    </message>
    <message>
        <location line="+3"/>
        <location filename="../signals/assembly.py" line="+43"/>
        <source>&amp;Supervision</source>
        <extracomment>Opens a screen, destroys nothing (no alert key is near it).</extracomment>
        <translation>S&amp;upervision</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revue des vacations…</source>
        <translation>Shift review…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Registre des accès…</source>
        <translation>Access register…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Postes de la salle…</source>
        <translation>Stations of the room…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>État des caméras…</source>
        <translation>Camera status…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Main courante</source>
        <translation>&amp;Logbook</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nouvelle entrée…</source>
        <translation>New entry…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Installation</source>
        <translation>&amp;Installation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configuration du site…</source>
        <translation>Site configuration…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sauvegarder maintenant</source>
        <translation>Back up now</translation>
    </message>
    <message>
        <location line="+101"/>
        <source>↑ 1 nouvelle alerte</source>
        <translation>↑ 1 new alert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>↑ {n} nouvelles alertes</source>
        <translation>↑ {n} new alerts</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Sélectionnez d&apos;abord l&apos;alerte à clôturer.</source>
        <translation>Select the alert to close first.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Sélectionnez d&apos;abord l&apos;alerte à rouvrir (filtre « Clôturées »).</source>
        <translation>Select the alert to reopen first (“Closed” filter).</translation>
    </message>
    <message>
        <location line="+37"/>
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
        <location line="+12"/>
        <source>Son coupé ({m}:{s:02d}, {who}) – rétablir</source>
        <translation>Muted ({m}:{s:02d}, {who}) – unmute</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Poste : {s} · personne n&apos;est connecté</source>
        <translation>Station: {s} · nobody logged in</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Poste : {s} · {name} ({role})</source>
        <translation>Station: {s} · {name} ({role})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Identifiant : {login}</source>
        <translation>Login: {login}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Stockage indisponible : {m}</source>
        <translation>Storage unavailable: {m}</translation>
    </message>
</context>
<context>
    <name>MapPane</name>
    <message>
        <location filename="../map/map_pane.py" line="+109"/>
        <source>Ajuster au site</source>
        <extracomment>Zoning ids the installer is likely to use, as the operator reads them. More zonings than this: one « Zonages » menu instead of a checkbox each (the toolbar must not widen the window, whatever number of zonings the site declares). Hidden until a screen feeds it (see ``ui/console/heatmap_feed.py``). The « Zonages » menu button (None: a checkbox per zoning).</extracomment>
        <translation>Fit to site</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Zonages ({shown}/{total})</source>
        <translation>Zonings ({shown}/{total})</translation>
    </message>
</context>
<context>
    <name>MappingModel</name>
    <message>
        <location filename="../setup/mapping_table.py" line="+160"/>
        <source>suggérée</source>
        <translation>suggested</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{p} % du champ de vision de {cam} dans « {zone} »</source>
        <translation>{p} % of {cam}&apos;s field of view in “{zone}”</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>la caméra est dans la zone</source>
        <translation>the camera is in the zone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suggérée</source>
        <translation>Suggested</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Non suggérée</source>
        <translation>Not suggested</translation>
    </message>
</context>
<context>
    <name>MappingPanel</name>
    <message>
        <location line="+50"/>
        <source>&lt;span style=&apos;background:{a}&apos;&gt;&amp;nbsp;suggérée&amp;nbsp;&lt;/span&gt; &lt;span style=&apos;background:{b}&apos;&gt;&amp;nbsp;suggérée et affectée&amp;nbsp;&lt;/span&gt; &lt;span style=&apos;background:{c}&apos;&gt;&amp;nbsp;affectée sans suggestion&amp;nbsp;&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;background:{a}&apos;&gt;&amp;nbsp;suggested&amp;nbsp;&lt;/span&gt; &lt;span style=&apos;background:{b}&apos;&gt;&amp;nbsp;suggested and mapped&amp;nbsp;&lt;/span&gt; &lt;span style=&apos;background:{c}&apos;&gt;&amp;nbsp;mapped without suggestion&amp;nbsp;&lt;/span&gt;</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Accepter les suggestions de la caméra</source>
        <translation>Accept the camera&apos;s suggestions</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Accepter toutes les suggestions</source>
        <translation>Accept all suggestions</translation>
    </message>
</context>
<context>
    <name>OwnPassword</name>
    <message>
        <location filename="../console/own_password.py" line="+99"/>
        <source>Changer mon mot de passe…</source>
        <translation>Change my password…</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Mot de passe changé.</source>
        <translation>Password changed.</translation>
    </message>
</context>
<context>
    <name>OwnPasswordDialog</name>
    <message>
        <location line="-88"/>
        <source>Changer mon mot de passe</source>
        <translation>Change my password</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Compte : {name}</source>
        <translation>Account: {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mot de passe actuel</source>
        <translation>Current password</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nouveau mot de passe</source>
        <translation>New password</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Confirmation</source>
        <translation>Confirmation</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Changer</source>
        <translation>Change</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Indiquez le mot de passe actuel et le nouveau.</source>
        <translation>Enter the current password and the new one.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Les deux mots de passe saisis diffèrent.</source>
        <translation>The two passwords typed differ.</translation>
    </message>
</context>
<context>
    <name>PartnerLog</name>
    <message>
        <location filename="../console/partner_log.py" line="+227"/>
        <source>{n} messages, les plus récents en haut.</source>
        <translation>{n} messages, newest first.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Aucun message des partenaires hors alertes.</source>
        <translation>No partner messages besides alerts.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Journal des partenaires illisible : {e}</source>
        <translation>Partner feed log unreadable: {e}</translation>
    </message>
</context>
<context>
    <name>PartnerLogDialog</name>
    <message>
        <location line="-98"/>
        <source>Journal des partenaires</source>
        <translation>Partner feed log</translation>
    </message>
</context>
<context>
    <name>PartnerLogModel</name>
    <message>
        <location line="-98"/>
        <source>Alerte</source>
        <extracomment>Lines shown (the newest).</extracomment>
        <translation>Alert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mise à jour</source>
        <translation>Update</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Annulation</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accusé de réception</source>
        <translation>Acknowledgement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Erreur</source>
        <translation>Error</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Réelle</source>
        <translation>Actual</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exercice</source>
        <translation>Exercise</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test</source>
        <translation>Test</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Système</source>
        <translation>System</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Brouillon</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>en attente de l&apos;alerte d&apos;origine</source>
        <translation>waiting for the original alert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a annulé l&apos;alerte n° {n}</source>
        <translation>cancelled alert no. {n}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>appliqué à l&apos;alerte n° {n}</source>
        <translation>applied to alert no. {n}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>consigné (pas une alerte)</source>
        <translation>logged (not an alert)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Reçu à</source>
        <translation>Received</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Émetteur</source>
        <translation>Sender</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Identifiant</source>
        <translation>Identifier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suite donnée</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Résumé</source>
        <translation>Summary</translation>
    </message>
</context>
<context>
    <name>PeriodPicker</name>
    <message>
        <location filename="../review/period_picker.py" line="+59"/>
        <source>Vacation</source>
        <extracomment>Pause after a change of day before the shift is loaded (ms).</extracomment>
        <translation>Shift</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Du</source>
        <translation>From</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Afficher</source>
        <translation>Show</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>au</source>
        <translation>to</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>{shift} du {day} ({hours})</source>
        <translation>{shift} on {day} ({hours})</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Journée du {d}</source>
        <translation>Day of {d}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Du {a} au {b}</source>
        <translation>From {a} to {b}</translation>
    </message>
</context>
<context>
    <name>PhoneAlertDialog</name>
    <message>
        <location filename="../console/phone_dialog.py" line="+73"/>
        <source>Nouvelle alerte (appel téléphonique)</source>
        <extracomment>The categories a caller reports, most frequent first; partners&apos; risks after.</extracomment>
        <translation>New alert (phone call)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>ce que l&apos;appelant signale, en quelques mots</source>
        <translation>what the caller reports, in a few words</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>détails de l&apos;appel (facultatif)</source>
        <translation>details of the call (optional)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>adresse ou repère (facultatif)</source>
        <translation>address or landmark (optional)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>facultatif</source>
        <translation>optional</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>facultatif, p. ex. 06 12 34 56 78</source>
        <translation>optional, e.g. 06 12 34 56 78</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nom et téléphone de l&apos;appelant, comme la description : données personnelles, effacées au bout de {days} jours (RGPD).</source>
        <translation>The caller&apos;s name and phone number, like the description, are personal data, erased after {days} days (GDPR).</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Catégorie</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priorité</source>
        <translation>Priority</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Titre</source>
        <translation>Title</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lieu</source>
        <translation>Place</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Position</source>
        <translation>Position</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Appelant</source>
        <translation>Caller</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Téléphone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Créer l&apos;alerte</source>
        <translation>Create the alert</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ctrl+Entrée</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>Abandonner cette alerte ? Ce qui a été saisi sera perdu.</source>
        <translation>Drop this alert? What was typed will be lost.</translation>
    </message>
</context>
<context>
    <name>PhoneCalls</name>
    <message>
        <location filename="../console/phone_calls.py" line="+77"/>
        <source>Une alerte d&apos;appel est déjà en cours de saisie.</source>
        <translation>A phone alert is already being typed.</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Alerte n° {pk} créée (appel téléphonique).</source>
        <translation>Alert no. {pk} created (phone call).</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Disque plein : alerte non enregistrée, réessayez.</source>
        <translation>Disk full: alert not saved, try again.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alerte non enregistrée : {e}</source>
        <translation>Alert not saved: {e}</translation>
    </message>
</context>
<context>
    <name>PlaceFilterBar</name>
    <message>
        <location filename="../console/alert_filters.py" line="+49"/>
        <source>Commune de l&apos;alerte, d&apos;après sa position</source>
        <extracomment>How often, at most, the count of alerts hidden by the filters is computed (ms).</extracomment>
        <translation>The alert&apos;s municipality, from its position</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Secteur de l&apos;alerte, d&apos;après sa position</source>
        <translation>The alert&apos;s sector, from its position</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seulement mes communes</source>
        <translation>Only my municipalities</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Tout afficher</source>
        <translation>Show all</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Effacer tous les filtres : alertes ouvertes de toutes les communes</source>
        <translation>Clear every filter: open alerts of every municipality</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Lieu :</source>
        <translation>Place:</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Toutes communes</source>
        <translation>All municipalities</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hors territoire</source>
        <translation>Outside the territory</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ne montrer que les alertes de : {communes} (et celles hors territoire, jamais masquées). L&apos;alarme sonne pour toutes les alertes.</source>
        <translation>Show only the alerts of: {communes} (and those outside the territory, never hidden). The alarm rings for every alert.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Tous secteurs</source>
        <translation>All sectors</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>1 alerte masquée par le filtre</source>
        <translation>1 alert hidden by the filter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} alertes masquées par le filtre</source>
        <translation>{n} alerts hidden by the filter</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Alertes ouvertes que les filtres ne montrent pas. Elles sonnent et s&apos;affichent dans le bandeau comme les autres.</source>
        <translation>Open alerts the filters do not show. They ring and show in the banner like the others.</translation>
    </message>
</context>
<context>
    <name>QuitDialog</name>
    <message>
        <location filename="../console/quit.py" line="+54"/>
        <location line="+32"/>
        <source>Quitter la console</source>
        <translation>Quit the console</translation>
    </message>
    <message>
        <location line="-26"/>
        <source>Quitter la console du poste {s} ? Les alertes ne seront plus reçues, ni sonnées, à ce poste.</source>
        <translation>Quit the console of station {s}? Alerts will no longer be received, nor rung, at this station.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{n} alerte(s) encore ouverte(s), dont {k} non prise(s) en compte.</source>
        <translation>{n} alert(s) still open, {k} of them not yet acknowledged.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Aucune alerte ouverte.</source>
        <translation>No open alert.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Motif (obligatoire, écrit dans la main courante)</source>
        <translation>Reason (required, written to the logbook)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Motif (facultatif, écrit dans la main courante)</source>
        <translation>Reason (optional, written to the logbook)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
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
    <name>ReplayBar</name>
    <message>
        <location filename="../wall/replay_bar.py" line="+111"/>
        <source>−10 s</source>
        <extracomment>What each key does (shown in the tooltips, and in the README).</extracomment>
        <translation>−10 s</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reculer de 10 secondes</source>
        <translation>Back 10 seconds</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Image précédente (met en pause)</source>
        <translation>Previous frame (pauses)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lecture / pause</source>
        <translation>Play / pause</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Image suivante (met en pause)</source>
        <translation>Next frame (pauses)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>+10 s</source>
        <translation>+10 s</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Avancer de 10 secondes</source>
        <translation>Forward 10 seconds</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Vitesse {s}×</source>
        <translation>Speed {s}×</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Direct</source>
        <translation>Live</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Revenir au direct</source>
        <translation>Back to live</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Espace</source>
        <translation>Space</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Maj</source>
        <translation>Shift</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Échap</source>
        <translation>Esc</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>RELECTURE {t}</source>
        <translation>REPLAY {t}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>RELECTURE</source>
        <translation>REPLAY</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>PAUSE</source>
        <translation>PAUSED</translation>
    </message>
</context>
<context>
    <name>ReplayTimeline</name>
    <message>
        <location filename="../wall/timeline.py" line="+72"/>
        <location line="+290"/>
        <source>Cliquer ou glisser pour aller à cet instant</source>
        <extracomment>Ticks every so many seconds: the first step that leaves room for a label.</extracomment>
        <translation>Click or drag to go to that instant</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>{camera} : {reason} ({start} – {end})</source>
        <translation>{camera}: {reason} ({start} – {end})</translation>
    </message>
</context>
<context>
    <name>ReviewAlertModel</name>
    <message>
        <location filename="../review/alert_list.py" line="+53"/>
        <source>N°</source>
        <extracomment>The commune of an alert&apos;s zones (the window gives the site&apos;s territory). Alerts under a judicial requisition → references (ui/review/holds.py).</extracomment>
        <translation>No.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reçue à</source>
        <translation>Received at</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Priorité</source>
        <translation>Priority</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Catégorie</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Titre</source>
        <translation>Title</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Lieu</source>
        <translation>Location</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Zones</source>
        <translation>Zones</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>État en fin</source>
        <translation>Status at end</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prise en compte</source>
        <translation>Acknowledged</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Engagement</source>
        <translation>Dispatch</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Issue</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opérateurs</source>
        <translation>Operators</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>⚖ RÉQUISITION – {title}</source>
        <translation>⚖ LEGAL HOLD – {title}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> (déclarée : {c})</source>
        <translation> (reported: {c})</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Sous réquisition judiciaire : {refs} (exclue de la purge)</source>
        <translation>Under judicial requisition: {refs} (exempt from the purge)</translation>
    </message>
</context>
<context>
    <name>ReviewExports</name>
    <message>
        <location filename="../review/exports.py" line="+117"/>
        <source>Exporter CSV</source>
        <extracomment>``choose(kind, suggested_name)`` → where to write (None: cancelled); tests inject it.</extracomment>
        <translation>Export CSV</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Rapport PDF</source>
        <translation>PDF report</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Motif de l&apos;export (obligatoire, inscrit à la main courante) :</source>
        <translation>Reason for the export (required, written to the logbook):</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export annulé : le motif est obligatoire.</source>
        <translation>Export cancelled: a reason is required.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enregistrer l&apos;export</source>
        <translation>Save the export</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Export en cours : {f}</source>
        <translation>Exporting: {f}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+184"/>
        <source>Export annulé : aucun fichier écrit.</source>
        <translation>Export cancelled: no file written.</translation>
    </message>
</context>
<context>
    <name>ReviewHeatmap</name>
    <message>
        <location filename="../review/review_heatmap.py" line="+58"/>
        <source>Alertes filtrées de la période</source>
        <extracomment>Up to this many alerts, their markers stay over the heatmap.</extracomment>
        <translation>Filtered alerts of the period</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Alertes filtrées du {day}</source>
        <translation>Filtered alerts of {day}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alertes filtrées du {a} au {b}</source>
        <translation>Filtered alerts from {a} to {b}</translation>
    </message>
</context>
<context>
    <name>ReviewHolds</name>
    <message>
        <location filename="../review/holds.py" line="+87"/>
        <source>Conservation n° {n} levée (réquisition « {ref} »).</source>
        <translation>Hold no. {n} released (requisition “{ref}”).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Alerte n° {pk} et {k} capture(s) d&apos;image placées sous réquisition « {ref} » : exclues de la purge.</source>
        <translation>Alert no. {pk} and {k} snapshot(s) put under requisition “{ref}”: exempt from the purge.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Alerte n° {pk} placée sous réquisition « {ref} » : exclue de la purge.</source>
        <translation>Alert no. {pk} put under requisition “{ref}”: exempt from the purge.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Écriture impossible : {m}</source>
        <translation>Cannot write: {m}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Réquisitions judiciaires illisibles : {m}</source>
        <translation>Judicial requisitions unreadable: {m}</translation>
    </message>
</context>
<context>
    <name>ReviewLauncher</name>
    <message>
        <location filename="../review/launcher.py" line="+155"/>
        <source>Synthèse de relève indisponible ({m}).</source>
        <extracomment>This station&apos;s own database: the access register (it holds every station&apos;s copied events) and the handover digest read it even when the review reads the central one (``[review] source``).</extracomment>
        <translation>Handover summary unavailable ({m}).</translation>
    </message>
</context>
<context>
    <name>ReviewMap</name>
    <message>
        <location filename="../review/timeline.py" line="+89"/>
        <source>{n} alerte(s) sur la carte, {m} sans localisation.</source>
        <translation>{n} alert(s) on the map, {m} with no location.</translation>
    </message>
</context>
<context>
    <name>ReviewWindow</name>
    <message>
        <location filename="../review/window.py" line="+82"/>
        <source>Revue des vacations – {site}</source>
        <translation>Shift review – {site}</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Toute la période, sans filtre</source>
        <translation>Whole period, no filter</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Graphiques</source>
        <translation>Charts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Indicateurs détaillés</source>
        <translation>Detailed indicators</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Relève de fin de période</source>
        <translation>End-of-period handover</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Carte</source>
        <translation>Map</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Exporter CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rapport PDF</source>
        <translation>PDF report</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rapport par commune…</source>
        <translation>Report per commune…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Un PDF par commune pour son maire, sur la période choisie</source>
        <translation>One PDF per commune for its mayor, over the chosen period</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Identité des signalants en clair</source>
        <translation>Show reporters&apos; identities</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Réquisition judiciaire…</source>
        <translation>Judicial requisition…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Registre des accès…</source>
        <translation>Access register…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Chargement %p %</source>
        <translation>Loading %p%</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>Revue des vacations – {site} – {period}</source>
        <translation>Shift review – {site} – {period}</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Chargement…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Chaîne : vérification…</source>
        <translation>Chain: verifying…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> – heure {a}–{b}</source>
        <translation> – hour {a}–{b}</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Chaîne de la main courante : aucun événement dans la période</source>
        <translation>Logbook chain: no events in the period</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chaîne de la main courante : VÉRIFIÉE ({n} événements)</source>
        <translation>Logbook chain: VERIFIED ({n} events)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Chaîne de la main courante : ROMPUE – {b}</source>
        <translation>Logbook chain: BROKEN – {b}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{n} alerte(s) affichée(s) sur {t}</source>
        <translation>{n} of {t} alert(s) shown</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} alerte(s)</source>
        <translation>{n} alert(s)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Lecture impossible : {m}</source>
        <translation>Cannot read: {m}</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <location filename="../console/session.py" line="+79"/>
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
        <location filename="../console/session_controller.py" line="+83"/>
        <source>{name} a quitté le poste : connexion de la relève.</source>
        <extracomment>``before_handover(proceed)``: shows what the next operator inherits (the digest of the station&apos;s shift), calls ``proceed()`` once it is confirmed.</extracomment>
        <translation>{name} left the station: the next operator logs in.</translation>
    </message>
</context>
<context>
    <name>SettingsTab</name>
    <message>
        <location filename="../admin/settings.py" line="+100"/>
        <source>Alarme sonore</source>
        <translation>Audible alarm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Regroupement des signalements</source>
        <translation>Grouping of reports</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Affichage</source>
        <translation>Display</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conservation (jours, plafonds CNIL)</source>
        <translation>Retention (days, CNIL caps)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verrouillage des comptes</source>
        <translation>Account lockout</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>appliqué aussitôt</source>
        <translation>applied at once</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>au prochain démarrage</source>
        <translation>at the next start</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>appliqué aussitôt, sauf mute_max_s</source>
        <translation>applied at once, except mute_max_s</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Identifiant</source>
        <translation>Login</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Nom</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Début</source>
        <translation>Start</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fin</source>
        <translation>End</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ajouter une vacation</source>
        <translation>Add a shift</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retirer la vacation</source>
        <translation>Remove the shift</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Problèmes (mêmes vérifications que « csu-console config check ») :</source>
        <translation>Problems (the same checks as “csu-console config check”):</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Recharger</source>
        <translation>Reload</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enregistrer…</source>
        <translation>Save…</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>site.toml a des problèmes : corrigez-les d&apos;abord.</source>
        <translation>site.toml has problems: fix them first.</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Aucune modification.</source>
        <translation>No change.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Réglages du site</source>
        <translation>Site settings</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Motif de la modification (journalisé) :</source>
        <translation>Reason for the change (logged):</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Indiquez le motif : il est journalisé.</source>
        <translation>Give the reason: it is logged.</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Rien n&apos;a été enregistré : {0} problème(s).</source>
        <translation>Nothing was saved: {0} problem(s).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Réglages enregistrés ({0} modification(s)).</source>
        <translation>Settings saved ({0} change(s)).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Appliqués aussitôt : {0}.</source>
        <translation>Applied at once: {0}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Au prochain démarrage : {0}.</source>
        <translation>At the next start: {0}.</translation>
    </message>
</context>
<context>
    <name>SetupActions</name>
    <message>
        <location filename="../setup/setup_actions.py" line="+48"/>
        <source>Zone refusée : son contour se recoupe lui-même.</source>
        <translation>Zone refused: its outline crosses itself.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Zone {id} créée : lui donner un nom.</source>
        <translation>Zone {id} created: give it a name.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sélectionner d&apos;abord la zone à trouer.</source>
        <translation>First select the zone to put a hole in.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Trou ajouté à {name}.</source>
        <translation>Hole added to {name}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trou refusé : il doit être entièrement dans la zone.</source>
        <translation>Hole refused: it must lie entirely inside the zone.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Importer un fichier GeoJSON de caméras ou de zones</source>
        <translation>Import a GeoJSON file of cameras or zones</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GeoJSON (*.geojson *.json)</source>
        <translation>GeoJSON (*.geojson *.json)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Import refusé : {file}</source>
        <translation>Import refused: {file}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} erreur(s) dans le fichier ; rien n&apos;a été importé :</source>
        <translation>{n} error(s) in the file; nothing was imported:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>caméras</source>
        <translation>cameras</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>zones</source>
        <translation>zones</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{what} importées de {file} : vérifier puis enregistrer.</source>
        <translation>{what} imported from {file}: check, then save.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Exporter les caméras et les zones dans un dossier</source>
        <translation>Export the cameras and zones to a folder</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Export impossible : {e}</source>
        <translation>Export failed: {e}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Exporté dans {folder} (sans identifiants).</source>
        <translation>Exported to {folder} (without credentials).</translation>
    </message>
</context>
<context>
    <name>SetupLauncher</name>
    <message>
        <location filename="../setup/launcher.py" line="+96"/>
        <source>Caméras et zones enregistrées ({c} caméras, {z} zones) : redémarrer la console pour les appliquer à la carte, au mur et au classement.</source>
        <translation>Cameras and zones saved ({c} cameras, {z} zones): restart the console to apply them to the map, the wall and camera ranking.</translation>
    </message>
</context>
<context>
    <name>SetupWindow</name>
    <message>
        <location filename="../setup/window.py" line="+83"/>
        <location line="+194"/>
        <source>Configuration du site — caméras et zones</source>
        <translation>Site configuration — cameras and zones</translation>
    </message>
    <message>
        <location line="-174"/>
        <source>Caméra</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zones</source>
        <translation>Zones</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Affectation caméras → zones</source>
        <translation>Camera-to-zone mapping</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alerte test</source>
        <translation>Test alert</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Configuration actuelle : problèmes</source>
        <translation>Current configuration: problems</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} problème(s) dans les fichiers actuels ; seul ce qui est valide est chargé.</source>
        <translation>{n} problem(s) in the current files; only what is valid is loaded.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Outils</source>
        <translation>Tools</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ajouter une caméra</source>
        <translation>Add a camera</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Dessiner une zone</source>
        <translation>Draw a zone</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Alerte test ici</source>
        <translation>Test alert here</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Défaire</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rétablir</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ajuster au site</source>
        <translation>Fit to site</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enregistrer…</source>
        <translation>Save…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Importer GeoJSON…</source>
        <translation>Import GeoJSON…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exporter…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Historique…</source>
        <translation>History…</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Caméra {id} placée : régler son champ avec les poignées.</source>
        <translation>Camera {id} placed: set its field of view with the handles.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Cliquer sur la carte pour placer la caméra (Échap : annuler).</source>
        <translation>Click on the map to place the camera (Esc: cancel).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cliquer les sommets ; double-clic ou Entrée ferme la zone, Échap annule.</source>
        <translation>Click the corners; double-click or Enter closes the zone, Esc cancels.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cliquer les sommets du trou dans la zone sélectionnée ; double-clic ou Entrée ferme, Échap annule.</source>
        <translation>Click the hole&apos;s corners inside the selected zone; double-click or Enter closes, Esc cancels.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cliquer où simuler une alerte (Échap : terminer).</source>
        <translation>Click where to simulate an alert (Esc: finish).</translation>
    </message>
    <message>
        <location line="+27"/>
        <source> — modifications non enregistrées</source>
        <translation> — unsaved changes</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Enregistrement impossible</source>
        <translation>Cannot save</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} problème(s) à corriger avant d&apos;enregistrer :</source>
        <translation>{n} problem(s) to fix before saving:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Enregistrer la configuration</source>
        <translation>Save the configuration</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Motif de la modification (journalisé dans la main courante) :</source>
        <translation>Reason for the change (written to the logbook):</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enregistrement annulé : un motif est obligatoire.</source>
        <translation>Save cancelled: a reason is required.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Configuration enregistrée (version précédente n° {n} conservée). Redémarrer la console pour l&apos;appliquer au classement et au mur.</source>
        <translation>Configuration saved (previous version no. {n} kept). Restart the console to apply it to camera ranking and the wall.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Version restaurée ; la configuration remplacée est la version n° {n}.</source>
        <translation>Version restored; the replaced configuration is version no. {n}.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Enregistrement refusé</source>
        <translation>Save refused</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Configuration</source>
        <translation>Configuration</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Modifications non enregistrées</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fermer sans enregistrer ? Les modifications seront perdues.</source>
        <translation>Close without saving? The changes will be lost.</translation>
    </message>
</context>
<context>
    <name>ShiftClosedDialog</name>
    <message>
        <location filename="../console/shift.py" line="+136"/>
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
        <location line="-48"/>
        <source>Vacation ouverte au poste {s}.</source>
        <extracomment>The station&apos;s open shift (its ``shift_opened`` event), None when none is. ``before_close(proceed)``: shows the end-of-shift digest, calls ``proceed()`` once it is confirmed (set by the console; None: close at once).</extracomment>
        <translation>Shift opened at station {s}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Vacation clôturée au poste {s}.</source>
        <translation>Shift closed at station {s}.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Vacation : écriture impossible ({m}).</source>
        <translation>Shift: cannot write ({m}).</translation>
    </message>
</context>
<context>
    <name>ShiftDigestDialog</name>
    <message>
        <location filename="../review/digest_view.py" line="+22"/>
        <source>Relève – poste {s}</source>
        <translation>Handover – station {s}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Avant de clôturer la vacation, voici ce que la vacation suivante reprend.</source>
        <translation>Before closing the shift, here is what the next shift takes over.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Clôturer la vacation</source>
        <translation>Close the shift</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ShiftStatusLabel</name>
    <message>
        <location filename="../console/shift.py" line="+62"/>
        <source>Aucune vacation ouverte</source>
        <translation>No shift open</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Poste › Ouvrir la vacation : la relève et la revue la suivent.</source>
        <translation>Station › Open the shift: the handover and the review follow it.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Vacation ouverte depuis {time} ({who})</source>
        <translation>Shift open since {time} ({who})</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Vacation ouverte le {date} à {time} par {who}.</source>
        <translation>Shift opened on {date} at {time} by {who}.</translation>
    </message>
</context>
<context>
    <name>SignalExplanation</name>
    <message>
        <location filename="../signals/explain.py" line="+73"/>
        <location line="+72"/>
        <source>Sélectionnez un signal dans la liste.</source>
        <extracomment>A signal&apos;s places never zoom the map closer than this (a street, not a door).</extracomment>
        <translation>Select a signal in the list.</translation>
    </message>
    <message>
        <location line="-55"/>
        <source>Commentaire (facultatif)</source>
        <translation>Comment (optional)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suivi</source>
        <translation>Followed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Marquer le signal « suivi » (journalisé)</source>
        <translation>Mark the signal “followed” (logged)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sans suite</source>
        <translation>No further action</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Classer le signal sans suite (journalisé)</source>
        <translation>Close the signal with no further action (logged)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Alertes à l&apos;origine du signal</source>
        <translation>Alerts behind the signal</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>N°</source>
        <translation>No.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Signalée le</source>
        <translation>Reported on</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Catégorie</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Lieu</source>
        <translation>Place</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Test : {t}</source>
        <translation>Test: {t}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>du {a} au {b}</source>
        <translation>from {a} to {b}</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>vu pour la première fois le {f}, dernière analyse le {l}</source>
        <translation>first seen on {f}, last scan on {l}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Statut : {s} — {seen}</source>
        <translation>Status: {s} — {seen}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Statut : {s} — par {who} ({station}) le {at}</source>
        <translation>Status: {s} — by {who} ({station}) on {at}</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Alertes à l&apos;origine du signal : {n}</source>
        <translation>Alerts behind the signal: {n}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> ({m} purgée(s) ou absente(s) de ce poste)</source>
        <translation> ({m} purged or not on this station)</translation>
    </message>
</context>
<context>
    <name>SignalScanner</name>
    <message>
        <location filename="../signals/scanner.py" line="+132"/>
        <source>Analyse des signaux faibles en échec : {e}</source>
        <extracomment>The first scan waits this long after the console starts (it has more urgent work).</extracomment>
        <translation>Weak-signal scan failed: {e}</translation>
    </message>
</context>
<context>
    <name>SignalTrendChart</name>
    <message>
        <location filename="../signals/charts.py" line="+88"/>
        <source>Semaines commençant le… ; en orange la fenêtre du signal, en tirets bleus la moyenne de référence ({m}).</source>
        <extracomment>(labels, counts, reference line or None) as last drawn.</extracomment>
        <translation>Weeks starting on…; in orange the signal&apos;s window, dashed blue the baseline mean ({m}).</translation>
    </message>
</context>
<context>
    <name>SignalsBadge</name>
    <message>
        <location filename="../signals/notice.py" line="+30"/>
        <source>Ouvrir l&apos;écran « Signaux faibles »</source>
        <translation>Open the “Weak signals” screen</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>1 nouveau signal faible</source>
        <translation>1 new weak signal</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} nouveaux signaux faibles</source>
        <translation>{n} new weak signals</translation>
    </message>
</context>
<context>
    <name>SignalsLauncher</name>
    <message>
        <location filename="../signals/assembly.py" line="+34"/>
        <source>Signaux faibles…</source>
        <extracomment>Reads for the scan and the screen, on a thread of its own (read-only).</extracomment>
        <translation>Weak signals…</translation>
    </message>
</context>
<context>
    <name>SignalsWindow</name>
    <message>
        <location filename="../signals/window.py" line="+138"/>
        <source>Signaux faibles – {site}</source>
        <extracomment>Size before the window is fitted to the screen (never larger than it). The history the screen&apos;s charts read: 26 weeks back. A loaded history is reused this long (a scan makes it stale at once).</extracomment>
        <translation>Weak signals – {site}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Analyser maintenant</source>
        <translation>Scan now</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lancer une analyse de l&apos;historique (sans attendre)</source>
        <translation>Scan the history now (without waiting)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tous les statuts</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tous les types</source>
        <translation>All kinds</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Toutes les communes</source>
        <translation>All municipalities</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Force</source>
        <translation>Strength</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Type</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Signal</source>
        <translation>Signal</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Période</source>
        <translation>Period</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Communes</source>
        <translation>Municipalities</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Vu le</source>
        <translation>Seen on</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Semaines précédentes</source>
        <translation>Previous weeks</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Signaux</source>
        <translation>Signals</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tendances</source>
        <translation>Trends</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>{n} signal(aux) affiché(s) sur {t}, dont {k} nouveau(x) au total</source>
        <translation>{n} signal(s) shown of {t}, {k} new in all</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>{a} – {b}</source>
        <translation>{a} – {b}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Regroupement</source>
        <translation>Cluster</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Terme</source>
        <translation>Term</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Lecture impossible : {e}</source>
        <translation>Cannot read: {e}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Signal marqué « {s} » ; inscrit à la main courante.</source>
        <translation>Signal marked “{s}”; written to the log book.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Décision non enregistrée : {e}</source>
        <translation>Decision not recorded: {e}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Calcul impossible : {e}</source>
        <translation>Cannot compute: {e}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Analyse en cours…</source>
        <translation>Scanning…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Dernière analyse le {at} : {n} signal(aux), {k} nouveau(x), {a} alertes examinées</source>
        <translation>Last scan on {at}: {n} signal(s), {k} new, {a} alerts examined</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Dernière analyse enregistrée le {at}</source>
        <translation>Last scan recorded on {at}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Pas encore d&apos;analyse depuis le démarrage.</source>
        <translation>No scan yet since the start.</translation>
    </message>
</context>
<context>
    <name>SoundTest</name>
    <message>
        <location filename="../console/sound_test.py" line="+65"/>
        <source>Test du son refusé : une alerte sonne, prenez-la d&apos;abord en compte.</source>
        <translation>Sound test refused: an alert is ringing, acknowledge it first.</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Test du son : ALARME SONORE INDISPONIBLE ({reason}). L&apos;alarme reste visuelle.</source>
        <translation>Sound test: SOUND ALARM UNAVAILABLE ({reason}). The alarm stays visual.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Test du son : {n} tonalités jouées. Si vous ne les avez pas entendues, vérifiez le volume et les haut-parleurs.</source>
        <translation>Sound test: {n} tones played. If you did not hear them, check the volume and the speakers.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Test du son : {n} tonalités jouées, {m} en échec ({names}).</source>
        <translation>Sound test: {n} tones played, {m} failed ({names}).</translation>
    </message>
</context>
<context>
    <name>StationGroups</name>
    <message>
        <location filename="../console/groups.py" line="+156"/>
        <source>Regroupement non enregistré : {e}</source>
        <extracomment>The hub&apos;s changes are shown together at most this often (a storm&apos;s automatic decisions come one message each; each showing is one pass over the queue). The feature a hub speaks when it decides the automatic groups and relays changes. A change was applied (``GroupChange``): the triage and the detail may follow.</extracomment>
        <translation>Grouping not recorded: {e}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{n} signalement(s) regroupé(s), à tous les postes.</source>
        <translation>{n} report(s) grouped, at every station.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} signalement(s) détaché(s) de leur groupe, à tous les postes.</source>
        <translation>{n} report(s) detached from their group, at every station.</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Regroupement refusé par le serveur d&apos;alertes : {m}</source>
        <translation>Grouping refused by the alert server: {m}</translation>
    </message>
</context>
<context>
    <name>StationListDialog</name>
    <message>
        <location filename="../console/stations.py" line="+44"/>
        <source>Postes de la salle</source>
        <translation>Stations of the room</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Poste</source>
        <translation>Station</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opérateur</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rôle</source>
        <translation>Role</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>État</source>
        <translation>State</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Consulte</source>
        <translation>Looking at</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Pas de serveur d&apos;alertes connecté : la liste des postes est indisponible.</source>
        <translation>No alert server connected: the list of stations is not available.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{n} poste(s) en ligne sur {total} – serveur {hub}</source>
        <translation>{n} station(s) online out of {total} – server {hub}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{s} (ce poste)</source>
        <translation>{s} (this station)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>En ligne depuis {t}</source>
        <translation>Online since {t}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>HORS LIGNE depuis {t}</source>
        <translation>OFFLINE since {t}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>alerte {id} (pas à ce poste)</source>
        <translation>alert {id} (not at this station)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>personne</source>
        <translation>nobody</translation>
    </message>
</context>
<context>
    <name>SuggestionCard</name>
    <message>
        <location filename="../console/triage_panel.py" line="+133"/>
        <source>Accepter…</source>
        <extracomment>Colour of each kind&apos;s stripe and chip (dark enough for white text, 4.5:1 and up). The words that triggered a suggestion: black on amber, on both themes.</extracomment>
        <translation>Accept…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refuser</source>
        <translation>Refuse</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Appliquer la suggestion (une confirmation suit) · Ctrl+T pour y venir</source>
        <translation>Apply the suggestion (you will be asked to confirm) · Ctrl+T to get here</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ne rien changer ; la suggestion ne sera plus proposée (journalisé)</source>
        <translation>Change nothing; the suggestion will not be proposed again (logged)</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+11"/>
        <source>(aucun texte)</source>
        <translation>(no text)</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>n° {pk} · {source} · {when}</source>
        <translation>no. {pk} · {source} · {when}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>appel · main courante n° {pk} · {when}</source>
        <translation>call · logbook no. {pk} · {when}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Si vous acceptez : l&apos;appel est rattaché à l&apos;alerte n° {pk} (sa chronologie).</source>
        <translation>If you accept: the call is tied to alert no. {pk} (its timeline).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Si vous acceptez : regroupés sous le n° {pk}.</source>
        <translation>If you accept: grouped under no. {pk}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Si vous acceptez : priorité {p} – {label}.</source>
        <translation>If you accept: priority {p} – {label}.</translation>
    </message>
</context>
<context>
    <name>TeamController</name>
    <message>
        <location filename="../console/team.py" line="+251"/>
        <source>Le serveur a refusé ce changement d&apos;unité.</source>
        <extracomment>The selected alert is reported once the operator has stayed on it this long (arrowing down the queue sends one presence, not one per row). The tone another station&apos;s escalation rings at a supervisor&apos;s station.</extracomment>
        <translation>The server refused this unit change.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Unité déjà engagée – {unit}</source>
        <translation>Unit already engaged – {unit}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>L&apos;engager quand même ?</source>
        <translation>Engage it anyway?</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{unit} reste engagée ailleurs, selon le serveur.</source>
        <translation>{unit} stays engaged elsewhere, says the server.</translation>
    </message>
    <message>
        <location line="+94"/>
        <source>Alerte urgente restée sans réponse, escaladée par {who} à {t} :
{what}</source>
        <translation>Urgent alert left unanswered, escalated by {who} at {t}:
{what}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Escalade – chef de salle</source>
        <translation>Escalation – room supervisor</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Afficher l&apos;alerte</source>
        <translation>Show the alert</translation>
    </message>
</context>
<context>
    <name>TestAlertPanel</name>
    <message>
        <location filename="../setup/test_alert.py" line="+51"/>
        <source>Alerte test ici…</source>
        <translation>Test alert here…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Puis cliquer sur la carte ; Échap pour finir</source>
        <translation>Then click on the map; Esc to finish</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cliquer « Alerte test ici… » puis un point.</source>
        <translation>Click “Test alert here…”, then a point.</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+60"/>
        <source>Enregistrer comme contrôle</source>
        <translation>Save as a check</translation>
    </message>
    <message>
        <location line="-49"/>
        <source>Contrôles enregistrés</source>
        <translation>Saved checks</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Alerte test en {lat:.5f}, {lon:.5f} : {n} caméra(s)</source>
        <translation>Test alert at {lat:.5f}, {lon:.5f}: {n} camera(s)</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Nom du contrôle (lieu) :</source>
        <translation>Check name (place):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contrôle {n}</source>
        <translation>Check {n}</translation>
    </message>
</context>
<context>
    <name>TimelineView</name>
    <message>
        <location filename="../review/timeline.py" line="-60"/>
        <location line="+19"/>
        <source>Chronologie : sélectionnez une alerte</source>
        <translation>Timeline: select an alert</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>Heure</source>
        <translation>Time</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Événement</source>
        <translation>Event</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Poste</source>
        <translation>Station</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opérateur</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Détails</source>
        <translation>Details</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Chronologie de l&apos;alerte n° {pk} – {title}</source>
        <translation>Timeline of alert no. {pk} – {title}</translation>
    </message>
</context>
<context>
    <name>ToursDialog</name>
    <message>
        <location filename="../wall/viewing_dialogs.py" line="+14"/>
        <source>Rondes de caméras</source>
        <translation>Camera tours</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Mur entier (pages de caméras)</source>
        <translation>Whole wall (pages of cameras)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tuile sélectionnée du mur</source>
        <translation>Selected tile of the wall</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tuile {n}</source>
        <translation>Tile {n}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Nom :</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Durée par étape :</source>
        <translation>&amp;Dwell per step:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Grille (mur entier) :</source>
        <translation>&amp;Grid (whole wall):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Caméras :</source>
        <translation>&amp;Cameras:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Jouer dans :</source>
        <translation>&amp;Play in:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Enregistrer</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Supprimer…</source>
        <translation>&amp;Delete…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Lancer</source>
        <translation>S&amp;tart</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Arrêter</source>
        <translation>St&amp;op</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fermer (Échap)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rondes du poste :</source>
        <translation>Tours of this station:</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>{name} — {n} caméra(s), {d:g} s</source>
        <translation>{name} — {n} camera(s), {d:g} s</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Ronde invalide : {why}.</source>
        <translation>Invalid tour: {why}.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Supprimer la ronde</source>
        <translation>Delete the tour</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supprimer la ronde « {name} » de ce poste ?</source>
        <translation>Delete the tour “{name}” from this station?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supprimer</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Aucune ronde en cours.</source>
        <translation>No tour running.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ronde en cours : « {name} » ({state}).</source>
        <translation>Tour running: “{name}” ({state}).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>interrompue par une alerte</source>
        <translation>interrupted by an alert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>en lecture</source>
        <translation>playing</translation>
    </message>
</context>
<context>
    <name>TrendsTab</name>
    <message>
        <location filename="../signals/trends.py" line="+41"/>
        <source>nouveau</source>
        <translation>new</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>{n} jours</source>
        <translation>{n} days</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Afficher</source>
        <translation>Show</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Période de</source>
        <translation>Period of</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>se terminant le</source>
        <translation>ending on</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>comparée aux</source>
        <translation>compared with the</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>périodes précédentes</source>
        <translation>previous periods</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Période</source>
        <translation>Period</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Moyenne avant</source>
        <translation>Mean before</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Min – max avant</source>
        <translation>Min – max before</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Évolution</source>
        <translation>Change</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Catégorie</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Commune</source>
        <translation>Municipality</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alertes par période</source>
        <translation>Alerts per period</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Par catégorie</source>
        <translation>By category</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Par commune</source>
        <translation>By municipality</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Calcul en cours…</source>
        <translation>Computing…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Du {a} au {b} : {n} alerte(s), contre {m} en moyenne sur les {p} périodes précédentes. Triés par hausse la plus forte.</source>
        <translation>From {a} to {b}: {n} alert(s), against {m} on average over the {p} previous periods. Sorted by largest rise.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Périodes commençant le… ; en orange la période choisie, en tirets la moyenne.</source>
        <translation>Periods starting on…; in orange the chosen period, dashed the mean.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>hors territoire</source>
        <translation>outside the territory</translation>
    </message>
</context>
<context>
    <name>TriageController</name>
    <message>
        <location filename="../console/triage_ops.py" line="+164"/>
        <source>Tri assisté indisponible : {e}</source>
        <extracomment>How the logbook&apos;s reason of an accepted suggestion starts (the logbook is French). The queue changed: suggestions are computed again this long after (a burst: once). The main courante&apos;s phone calls are read again this often (and when one is written)… … those of the last two hours. … and at least this many times as long as the last pass took.</extracomment>
        <translation>Assisted triage unavailable: {e}</translation>
    </message>
    <message>
        <location line="+92"/>
        <source>Suggestion de tri en attente (voir le détail) :</source>
        <translation>Triage suggestion pending (see the detail):</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>À TRIER</source>
        <translation>TO SORT</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TRI</source>
        <translation>SORT</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Action réservée : il faut pouvoir traiter les alertes.</source>
        <translation>Restricted action: you must be allowed to handle alerts.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Cette alerte n&apos;est plus dans la liste.</source>
        <translation>This alert is no longer in the list.</translation>
    </message>
    <message>
        <location line="+94"/>
        <source>Priorité {p} : n° {pk}</source>
        <translation>Priority {p}: no. {pk}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>L&apos;autre signalement n&apos;est plus dans la liste.</source>
        <translation>The other report is no longer in the list.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Regroupement indisponible sur ce poste.</source>
        <translation>Grouping unavailable at this station.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Regroupement refusé : {e}</source>
        <translation>Grouping refused: {e}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Décision non enregistrée : {e}</source>
        <translation>Decision not recorded: {e}</translation>
    </message>
</context>
<context>
    <name>TriagePanel</name>
    <message>
        <location filename="../console/triage_assembly.py" line="+73"/>
        <source>Aucune suggestion de tri pour cette alerte.</source>
        <translation>No triage suggestion for this alert.</translation>
    </message>
    <message>
        <location filename="../console/triage_panel.py" line="+76"/>
        <source>Tri assisté</source>
        <translation>Assisted triage</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rattacher l&apos;appel (main courante n° {c}) à l&apos;alerte n° {a} ?</source>
        <translation>Tie the call (logbook no. {c}) to alert no. {a}?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rattacher</source>
        <translation>Tie</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Regrouper le n° {a} avec le n° {b} ?</source>
        <translation>Group no. {a} with no. {b}?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Regrouper</source>
        <translation>Group</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Relever la priorité du n° {a} à {p} ?</source>
        <translation>Raise the priority of no. {a} to {p}?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Relever la priorité</source>
        <translation>Raise the priority</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Baisser la priorité du n° {a} à {p} ?</source>
        <translation>Lower the priority of no. {a} to {p}?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Baisser la priorité</source>
        <translation>Lower the priority</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>UnitDialog</name>
    <message>
        <location filename="../admin/units.py" line="+57"/>
        <source>Identifiant</source>
        <translation>Login</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Indicatif radio</source>
        <translation>Radio callsign</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>obligatoire, journalisé</source>
        <translation>required, logged</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Motif</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Identifiant : minuscules, chiffres, « . », « _ », « - ».</source>
        <translation>Id: lower case letters, digits, “.”, “_”, “-”.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Indiquez l&apos;indicatif radio.</source>
        <translation>Give the radio callsign.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Indiquez le motif : il est journalisé.</source>
        <translation>Give the reason: it is logged.</translation>
    </message>
</context>
<context>
    <name>UnitStrip</name>
    <message>
        <location filename="../console/unit_panel.py" line="+34"/>
        <source>Unités :</source>
        <translation>Units:</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>{unit} · {stage} n° {pk}</source>
        <translation>{unit} · {stage} no. {pk}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Par {who}</source>
        <translation>By {who}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Clic droit : disponible / indisponible</source>
        <translation>Right click: available / unavailable</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Rendre disponible</source>
        <translation>Make available</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rendre indisponible…</source>
        <translation>Make unavailable…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{unit} indisponible</source>
        <translation>{unit} unavailable</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Motif (partagé avec les autres postes) :</source>
        <translation>Reason (shared with the other stations):</translation>
    </message>
</context>
<context>
    <name>UnitsTab</name>
    <message>
        <location filename="../admin/units.py" line="+22"/>
        <source>Identifiant</source>
        <translation>Login</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Indicatif</source>
        <translation>Callsign</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Type</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>État</source>
        <translation>State</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Motif</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Par</source>
        <translation>By</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Disponible…</source>
        <translation>Available…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Indisponible…</source>
        <translation>Unavailable…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ajouter une unité…</source>
        <translation>Add a unit…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retirer l&apos;unité…</source>
        <translation>Remove the unit…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>La disponibilité et son motif sont partagés aussitôt avec tous les postes. Une unité ajoutée ou retirée apparaît sur les postes à leur prochain démarrage.</source>
        <translation>Availability and its reason are shared with every station at once. A unit added or removed appears on the stations at their next start.</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>{0} disponible</source>
        <translation>{0} available</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{0} indisponible</source>
        <translation>{0} unavailable</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Ajouter une unité</source>
        <translation>Add a unit</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Retirer {0}</source>
        <translation>Remove {0}</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>{0} ajoutée (au prochain démarrage des postes).</source>
        <translation>{0} added (at the stations&apos; next start).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} retirée (au prochain démarrage des postes).</source>
        <translation>{0} removed (at the stations&apos; next start).</translation>
    </message>
</context>
<context>
    <name>ViewingController</name>
    <message>
        <location filename="../wall/viewing.py" line="+152"/>
        <source>Disposition « {name} » enregistrée.</source>
        <translation>Layout “{name}” saved.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Disposition « {name} » supprimée.</source>
        <translation>Layout “{name}” deleted.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ronde « {name} » enregistrée.</source>
        <translation>Tour “{name}” saved.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ronde « {name} » supprimée.</source>
        <translation>Tour “{name}” deleted.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Consultation hors alerte</source>
        <translation>Viewing outside an alert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Motif de la consultation ({what}) — demandé une fois pour toute la séance (journalisé) :</source>
        <translation>Reason for viewing ({what}) — asked once for the whole session (logged):</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Consultation annulée : un motif est obligatoire.</source>
        <translation>Viewing cancelled: a reason is required.</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Hors alerte – motif : {reason}</source>
        <translation>Outside an alert – reason: {reason}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>disposition « {name} »</source>
        <translation>layout “{name}”</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Caméras absentes du site, ignorées : {ids}</source>
        <translation>Cameras not in the site, skipped: {ids}</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Ronde impossible : aucune de ses caméras n&apos;existe.</source>
        <translation>Tour impossible: none of its cameras exists.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ronde « {name} »</source>
        <translation>tour “{name}”</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Ronde « {name} » en cours (Ctrl+Maj+X : arrêter).</source>
        <translation>Tour “{name}” running (Ctrl+Shift+X: stop).</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Ronde « {name} » terminée.</source>
        <translation>Tour “{name}” ended.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Ronde {n}/{total} · {name} · motif : {reason}</source>
        <translation>Tour {n}/{total} · {name} · reason: {reason}</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Aucune ronde interrompue à reprendre.</source>
        <translation>No interrupted tour to resume.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Ronde « {name} » interrompue par l&apos;alerte n° {pk}.</source>
        <translation>Tour “{name}” interrupted by alert no. {pk}.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Ronde « {name} » reprise.</source>
        <translation>Tour “{name}” resumed.</translation>
    </message>
</context>
<context>
    <name>ViewingDialogs</name>
    <message>
        <location filename="../wall/viewing_dialogs.py" line="-295"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ViewingMenu</name>
    <message>
        <location filename="../wall/viewing_assembly.py" line="+98"/>
        <source>Parcourir les caméras…</source>
        <translation>Browse cameras…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Dispositions du mur…</source>
        <translation>Wall layouts…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Rondes de caméras…</source>
        <translation>Camera tours…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Reprendre la ronde</source>
        <translation>Resume the tour</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Arrêter la ronde</source>
        <translation>Stop the tour</translation>
    </message>
</context>
<context>
    <name>WallController</name>
    <message>
        <location filename="../wall/controller.py" line="+171"/>
        <source>Alerte n° {pk} – {cat}</source>
        <extracomment>A replay ended by what puts other cameras on the wall: no detour by the grid. In a storm, pre-warming runs at most this often, for the most urgent alerts that arrived since (ranking cameras for three alerts of every slice cost the GUI thread more than the pool could ever decode). True when the console&apos;s CameraWatch (ui/console/camera_watch.py) takes the decoders&apos; reports with the prober&apos;s and raises the outages for every camera. Free viewing (``ui/wall/viewing.py``): True while a tour holds the wall (the wall then does not follow the banner); the reason of the viewing session under way (&quot;&quot; when none), so a map click in it is not asked again.</extracomment>
        <translation>Alert no. {pk} – {cat}</translation>
    </message>
    <message>
        <location line="+130"/>
        <source>Images masquées : personne n&apos;est connecté</source>
        <translation>Pictures hidden: nobody is logged in</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Images masquées : rôle sans accès aux caméras</source>
        <translation>Pictures hidden: this role has no camera access</translation>
    </message>
    <message>
        <location line="+17"/>
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
        <location line="+10"/>
        <source>Caméra choisie sur la carte</source>
        <translation>Camera chosen on the map</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hors alerte – motif : {reason}</source>
        <translation>Outside an alert – reason: {reason}</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Retour au direct.</source>
        <translation>Back to live.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Relecture impossible : aucun enregistrement configuré.</source>
        <translation>Replay impossible: no recordings configured.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Relecture hors alerte</source>
        <translation>Replay outside an alert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Motif de la relecture des enregistrements de « {name} » (journalisé) :</source>
        <translation>Reason for replaying the recordings of “{name}” (logged):</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Relecture annulée : un motif est obligatoire.</source>
        <translation>Replay cancelled: a reason is required.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>enregistrements inaccessibles</source>
        <translation>recordings unreachable</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Relecture impossible : {why}.</source>
        <translation>Replay impossible: {why}.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Relecture à partir de {t} (Échap : retour au direct).</source>
        <translation>Replaying from {t} (Esc: back to live).</translation>
    </message>
    <message>
        <location line="+115"/>
        <source>Cliché enregistré : {name}</source>
        <translation>Snapshot saved: {name}</translation>
    </message>
</context>
<context>
    <name>WallDetacher</name>
    <message>
        <location filename="../wall/detach.py" line="+172"/>
        <source>Mur d&apos;images sur l&apos;écran « {name} » ({key} : le rattacher).</source>
        <translation>Camera wall on screen “{name}” ({key}: put it back).</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Mur d&apos;images rattaché à la console.</source>
        <translation>Camera wall back in the console.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>L&apos;écran « {name} » du mur d&apos;images n&apos;est pas branché : le mur reste dans la console (il y retournera quand l&apos;écran reviendra).</source>
        <translation>The camera wall&apos;s screen “{name}” is not connected: the wall stays in the console (it will go back when the screen returns).</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Emplacement du mur d&apos;images non enregistré (voir le journal).</source>
        <translation>Camera wall placement not saved (see the log).</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>L&apos;écran « {name} » a été débranché : le mur d&apos;images revient dans la console.</source>
        <translation>Screen “{name}” was unplugged: the camera wall is back in the console.</translation>
    </message>
</context>
<context>
    <name>WallReplay</name>
    <message>
        <location filename="../wall/replay_session.py" line="+326"/>
        <source>tout le mur ({n} caméras)</source>
        <translation>the whole wall ({n} cameras)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{names} – hors alerte, motif : {reason}</source>
        <translation>{names} – outside an alert, reason: {reason}</translation>
    </message>
</context>
<context>
    <name>WallScreens</name>
    <message>
        <location filename="../console/screens_assembly.py" line="+34"/>
        <source>Détacher le mur sur un autre écran</source>
        <translation>Detach the wall to another screen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rattacher le mur à la console</source>
        <translation>Put the wall back into the console</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Mur d&apos;images sur l&apos;écran</source>
        <translation>Camera wall on screen</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Écran du mur absent : {name}</source>
        <translation>Wall screen missing: {name}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Le mur d&apos;images était sur l&apos;écran « {name} », qui n&apos;est pas branché : il reste dans la console et y retournera quand l&apos;écran reviendra ({key} : le détacher ailleurs).</source>
        <translation>The camera wall was on screen “{name}”, which is not connected: it stays in the console and will go back when the screen returns ({key}: detach it elsewhere).</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Dans la console</source>
        <translation>In the console</translation>
    </message>
</context>
<context>
    <name>ZonePanel</name>
    <message>
        <location filename="../setup/zone_form.py" line="+63"/>
        <source>Zonage affiché sur la carte et dans l&apos;affectation</source>
        <translation>Zoning shown on the map and in the mapping</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Dessiner une zone</source>
        <translation>Draw a zone</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cliquer les sommets ; double-clic ou Entrée ferme, Échap annule</source>
        <translation>Click the corners; double-click or Enter closes, Esc cancels</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ajouter un trou</source>
        <translation>Add a hole</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Supprimer la zone</source>
        <translation>Delete zone</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Nom de la commune de la zone</source>
        <translation>Name of the zone&apos;s municipality</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>ex. 25388</source>
        <translation>e.g. 25388</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Code INSEE de la commune : 5 caractères, chiffres ou 2A/2B (Corse)</source>
        <translation>The municipality&apos;s INSEE code: 5 characters, digits or 2A/2B (Corsica)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Un des zonages déclarés dans site.toml</source>
        <translation>One of the zonings declared in site.toml</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Zonage affiché</source>
        <translation>Zoning shown</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Identifiant</source>
        <translation>ID</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nom</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Commune</source>
        <translation>Municipality</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Code INSEE</source>
        <translation>INSEE code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zonage</source>
        <translation>Zoning</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>{zoning} (non déclaré)</source>
        <translation>{zoning} (not declared)</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>code INSEE : {problem}</source>
        <translation>INSEE code: {problem}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>id : texte non vide attendu</source>
        <translation>id: non-empty text expected</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>id : « {id} » est déjà utilisé</source>
        <translation>id: “{id}” is already in use</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>zonage : texte non vide attendu</source>
        <translation>zoning: non-empty text expected</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>zonage « {zoning} » non déclaré dans site.toml : choisir un zonage déclaré</source>
        <translation>zoning “{zoning}” not declared in site.toml: choose a declared zoning</translation>
    </message>
</context>
<context>
    <name>self.window</name>
    <message>
        <location filename="../../app.py" line="+443"/>
        <source>Pas de fond de carte : calques seuls.</source>
        <extracomment>Display name of an account that ``RunOptions.autologin`` creates (the demo&apos;s). The GIL switch interval of the console&apos;s process (seconds); see Console.start.</extracomment>
        <translation>No basemap: overlays only.</translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../console/extraction_assembly.py" line="-121"/>
        <source>&amp;Vidéo</source>
        <extracomment>The « Vidéo » menu&apos;s object name: whoever adds to it first creates it. Cameras proposed from an alert (its ranked cameras, as on the wall).</extracomment>
        <translation>&amp;Video</translation>
    </message>
</context>
</TS>
