"""The installer's setup screen: cameras, zones and the camera-to-zone mapping,
edited on the map and checked live (issue 8)."""

from __future__ import annotations
