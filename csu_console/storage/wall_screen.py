"""Where each station's camera wall is shown: in the console, or detached on a
named screen (``wall-screen.json`` in the data folder, one entry per station).

A small JSON file rather than the database: it is read once at start on the GUI
thread, before any storage task runs, and written only when the operator moves
the wall (a rename, like ``wall-state.json``). A damaged file is logged and read
as « in the console »; it never keeps the console from starting.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("csu.storage")

FILE_NAME = "wall-screen.json"
VERSION = 1


@dataclass(frozen=True)
class WallPlacement:
    """Detached or not; which screen (by its name, as the system names it: « HDMI-2 »;
    "" for a platform that names none) and the window's geometry on the desktop
    (x, y, width, height)."""

    detached: bool = False
    screen: str = ""
    geometry: tuple[int, int, int, int] | None = None
    full_screen: bool = True
    #: Its rank among the screens: tells apart screens of the same name (an X
    #: server with one X screen per monitor names each of them « screen »).
    index: int = -1

    def to_json(self) -> dict[str, Any]:
        return {
            "detached": self.detached,
            "screen": self.screen,
            "geometry": list(self.geometry) if self.geometry is not None else None,
            "full_screen": self.full_screen,
            "index": self.index,
        }


ATTACHED = WallPlacement()


def parse_placement(raw: object) -> WallPlacement:
    """One station's entry, validated; ValueError says what is wrong."""
    if not isinstance(raw, dict):
        raise ValueError("l'entrée du poste n'est pas un objet")
    detached, screen = raw.get("detached"), raw.get("screen", "")
    full_screen, geometry = raw.get("full_screen", True), raw.get("geometry")
    index = raw.get("index", -1)
    if not isinstance(index, int) or isinstance(index, bool):
        raise ValueError("« index » doit être un entier")
    if not isinstance(detached, bool):
        raise ValueError("« detached » doit être vrai ou faux")
    if not isinstance(screen, str):
        raise ValueError("« screen » doit être un nom d'écran")
    if not isinstance(full_screen, bool):
        raise ValueError("« full_screen » doit être vrai ou faux")
    box: tuple[int, int, int, int] | None = None
    if geometry is not None:
        if (
            not isinstance(geometry, list)
            or len(geometry) != 4
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in geometry)
        ):
            raise ValueError("« geometry » doit être [x, y, largeur, hauteur] en entiers")
        x, y, w, h = geometry
        if w <= 0 or h <= 0:
            raise ValueError(f"taille de fenêtre impossible : {w}×{h}")
        box = (x, y, w, h)
    return WallPlacement(detached, screen, box, full_screen, index)


def _read(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("stations"), dict):
        raise ValueError("pas de table « stations »")
    if data.get("version") != VERSION:
        raise ValueError(f"version {data.get('version')!r} inconnue")
    return data


def load_placement(path: Path, station: str) -> WallPlacement:
    """Where ``station`` left its wall (in the console when nothing, or nothing
    valid, was saved: the reason is logged)."""
    if not path.is_file():
        return ATTACHED
    try:
        entry = _read(path)["stations"].get(station)
        return ATTACHED if entry is None else parse_placement(entry)
    except (OSError, ValueError) as exc:
        log.warning("emplacement du mur illisible (%s, poste %s) : %s", path, station, exc)
        return ATTACHED


def save_placement(path: Path, station: str, placement: WallPlacement) -> bool:
    """Remember ``placement`` for ``station`` (the other stations' entries kept).
    False when the file could not be written (logged; the wall stays where it is)."""
    stations: dict[str, Any] = {}
    if path.is_file():
        try:
            stations = _read(path)["stations"]
        except (OSError, ValueError) as exc:
            log.warning("emplacement du mur illisible (%s), réécrit : %s", path, exc)
    stations[station] = placement.to_json()
    try:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps({"version": VERSION, "stations": stations}, indent=1), encoding="utf-8"
        )
        tmp.replace(path)
    except OSError as exc:
        log.warning("emplacement du mur non enregistré (%s) : %s", path, exc)
        return False
    return True
