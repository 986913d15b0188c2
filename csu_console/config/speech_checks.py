"""Checks of ``[alarm]``'s speech keys: ``speak_priorities``, ``voice``."""

from __future__ import annotations

import re
from typing import Any

from csu_console.config.checks import Invalid
from csu_console.core.alerts import PRIORITY_MAX, PRIORITY_MIN

_VOICE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*(\+[a-z0-9]{1,16})?$")


def priority_list(value: Any) -> tuple[int, ...]:
    """A list of priorities 1–4 (« [1] », « [1, 2] »), without repeats."""
    expected = f"liste de priorités {PRIORITY_MIN}–{PRIORITY_MAX} attendue (ex. [1, 2])"
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) and PRIORITY_MIN <= v <= PRIORITY_MAX
        for v in value
    ):
        raise Invalid(expected)
    return tuple(sorted(set(value)))


def voice(value: Any) -> str:
    """An espeak-ng voice name: « fr », « fr-fr », « fr-be », « fr+f3 »."""
    if not isinstance(value, str) or not _VOICE.match(value):
        raise Invalid("nom de voix espeak-ng attendu (ex. « fr », « fr-be », « fr+f3 »)")
    return value
