"""Value check of the ``[shifts]`` section: the centre's shifts (« vacations »)."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from csu_console.config.checks import Invalid, describe, text
from csu_console.core.review.shifts import Shift

_KEYS = ("id", "name", "start", "end")
_ID = text(non_empty=True)
_HHMM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


def wall_time(value: Any) -> time:
    """A local time of day: ``"06:00"`` (HH:MM) or a TOML local time ``06:00:00``."""
    if isinstance(value, time) and value.tzinfo is None:
        return value.replace(microsecond=0)
    if isinstance(value, str) and (m := _HHMM.fullmatch(value.strip())):
        return time(int(m[1]), int(m[2]))
    raise Invalid("heure locale HH:MM attendue (ex. « 06:00 »)")


def _shift(index: int, item: Any, seen: set[str]) -> tuple[Shift | None, list[str]]:
    if not isinstance(item, dict):
        return None, [f"vacation {index} : table {{ id, name, start, end }} attendue"]
    sid = item.get("id")
    label = f"vacation {index}" + (f" ({sid})" if isinstance(sid, str) and sid else "")
    problems = [f"{label} : clé « {k} » inconnue" for k in item if k not in _KEYS]
    values: dict[str, Any] = {}
    for key, check in (("id", _ID), ("name", _ID), ("start", wall_time), ("end", wall_time)):
        if key == "name" and key not in item:
            continue  # the id by default
        value = item.get(key)
        try:
            values[key] = check(value)
        except Invalid as exc:
            problems.append(f"{label} : {key} : {exc.expected}, reçu {describe(value)}")
    if "id" in values:
        if values["id"] in seen:
            problems.append(f"{label} : identifiant en double")
        seen.add(values["id"])
    if "start" in values and values.get("start") == values.get("end"):
        problems.append(f"{label} : début et fin identiques")
    if problems:
        return None, problems
    name = values.get("name", values["id"])
    return Shift(values["id"], name, values["start"], values["end"]), []


def shift_list(value: Any) -> tuple[Shift, ...]:
    """``periods``: at least one table with a unique ``id``, a ``name`` (the id by
    default) and local ``start`` and ``end`` times; an end not after the start
    crosses midnight."""
    if not isinstance(value, list) or not value:
        raise Invalid("liste de vacations { id, name, start, end } attendue")
    shifts: list[Shift] = []
    problems: list[str] = []
    seen: set[str] = set()
    for index, item in enumerate(value, start=1):
        shift, found = _shift(index, item, seen)
        problems += found
        if shift is not None:
            shifts.append(shift)
    if problems:
        raise Invalid(" ; ".join(problems))
    return tuple(shifts)
