"""Backup and restore of a station's data folder (no Qt).

``make_backup`` copies the database with SQLite's online backup API (consistent
while the console writes), the evidence files and the site's configuration, with a
manifest of SHA-256 digests; the stream credentials and the station key stay out
unless encrypted with a passphrase. ``restore_backup`` checks the manifest and puts
it all back into a stopped console's data folder.
"""
