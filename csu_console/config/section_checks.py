"""Value checks of the ``[retention]`` and ``[dispatch]`` sections (see
:mod:`csu_console.config.checks` for the general ones)."""

from __future__ import annotations

from typing import Any

from csu_console.config.checks import Invalid, choice, describe, text
from csu_console.core.dispatch import Unit, UnitKind
from csu_console.core.retention import VIDEO_MAX_DAYS


def video_days(value: Any) -> int:
    """Days of video records kept: 1 to 30, the CNIL's ceiling, never more."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise Invalid(f"entier 1–{VIDEO_MAX_DAYS} attendu")
    if value > VIDEO_MAX_DAYS:
        raise Invalid(
            f"{VIDEO_MAX_DAYS} jours au plus (CNIL : durée maximale de conservation "
            "des images de vidéoprotection)"
        )
    return value


def days(value: Any) -> int:
    """A retention period in days: 1 to 3650."""
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 3650:
        raise Invalid("entier 1–3650 (jours) attendu")
    return value


_UNIT_KEYS = ("id", "name", "kind")
_ID = text(non_empty=True)
_NAME = text(non_empty=True)
_KIND = choice(*(k.value for k in UnitKind))


def _unit(index: int, item: Any, seen: set[str]) -> tuple[Unit | None, list[str]]:
    if not isinstance(item, dict):
        return None, [f"unité {index} : table {{ id, name, kind }} attendue"]
    uid = item.get("id")
    label = f"unité {index}" + (f" ({uid})" if isinstance(uid, str) and uid else "")
    problems = [f"{label} : clé « {k} » inconnue" for k in item if k not in _UNIT_KEYS]
    defaults = {"name": uid, "kind": UnitKind.VEHICULE.value}
    values: dict[str, Any] = {}
    for key, check in (("id", _ID), ("name", _NAME), ("kind", _KIND)):
        if key != "id" and key not in item and "id" not in values:
            continue  # no id: its problem is enough
        value = item.get(key, defaults.get(key))
        try:
            values[key] = check(value)
        except Invalid as exc:
            problems.append(f"{label} : {key} : {exc.expected}, reçu {describe(value)}")
    if "id" in values:
        if values["id"] in seen:
            problems.append(f"{label} : identifiant en double")
        seen.add(values["id"])
    if problems:
        return None, problems
    return Unit(values["id"], values["name"], UnitKind(values["kind"])), []


def unit_list(value: Any) -> tuple[Unit, ...]:
    """``[[dispatch.units]]``: tables with a unique ``id``, a ``name`` (callsign,
    the id by default) and a ``kind`` (« vehicule » by default)."""
    if not isinstance(value, list):
        raise Invalid("liste d'unités [[dispatch.units]] attendue")
    units: list[Unit] = []
    problems: list[str] = []
    seen: set[str] = set()
    for index, item in enumerate(value, start=1):
        unit, found = _unit(index, item, seen)
        problems += found
        if unit is not None:
            units.append(unit)
    if problems:
        raise Invalid(" ; ".join(problems))
    return tuple(units)
