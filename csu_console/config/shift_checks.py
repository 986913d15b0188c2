"""Value check of the ``[shifts]`` section: the centre's shifts (« vacations »)."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from csu_console.config.checks import (
    Invalid,
    check_field,
    table_head,
    table_list,
    text,
    unique_id,
)
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
    label, problems = table_head("vacation", index, item, _KEYS)
    values: dict[str, Any] = {}
    for key, check in (("id", _ID), ("name", _ID), ("start", wall_time), ("end", wall_time)):
        if key == "name" and key not in item:
            continue  # the id by default
        check_field(label, key, item.get(key), check, values, problems)
    unique_id(label, values, seen, problems)
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
    expected = "liste de vacations { id, name, start, end } attendue"
    return table_list(value, _shift, expected, non_empty=True)
