"""Value checks of the ``[retention]`` and ``[dispatch]`` sections (see
:mod:`csu_console.config.checks` for the general ones)."""

from __future__ import annotations

from typing import Any

from csu_console.config.checks import (
    Invalid,
    check_field,
    choice,
    table_head,
    table_list,
    text,
    unique_id,
)
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
    label, problems = table_head("unité", index, item, _UNIT_KEYS)
    uid = item.get("id")
    defaults = {"name": uid, "kind": UnitKind.VEHICULE.value}
    values: dict[str, Any] = {}
    for key, check in (("id", _ID), ("name", _NAME), ("kind", _KIND)):
        if key != "id" and key not in item and "id" not in values:
            continue  # no id: its problem is enough
        check_field(label, key, item.get(key, defaults.get(key)), check, values, problems)
    unique_id(label, values, seen, problems)
    if problems:
        return None, problems
    return Unit(values["id"], values["name"], UnitKind(values["kind"])), []


def unit_list(value: Any) -> tuple[Unit, ...]:
    """``[[dispatch.units]]``: tables with a unique ``id``, a ``name`` (callsign,
    the id by default) and a ``kind`` (« vehicule » by default)."""
    return table_list(value, _unit, "liste d'unités [[dispatch.units]] attendue")
