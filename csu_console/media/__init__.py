"""Video players, snapshots, alarm sound, demo stream server."""
