"""The camera wall: live tiles next to the map, filled from the alert's ranked cameras."""
