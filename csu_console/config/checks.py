"""Value checks of the site configuration: each parses one value or raises
:class:`Invalid` with what was expected, in French (« nombre 0–360 attendu »)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class Invalid(ValueError):
    """Raised by a check: ``expected`` names what was expected (« nombre 0–360 attendu »)."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


Check = Callable[[Any], Any]
"""Returns the parsed value or raises :class:`Invalid`."""


def describe(value: object) -> str:
    """A short JSON-like rendering of a value found in a file (``"nord"``, ``12``, ``[1, 2]``)."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = str(value)  # TOML dates and times
    return text if len(text) <= 60 else text[:57] + "..."


def text(*, non_empty: bool = False) -> Check:
    """A string; with ``non_empty``, one that is not blank."""
    expected = "texte non vide attendu" if non_empty else "texte attendu"

    def check(value: Any) -> str:
        if not isinstance(value, str) or (non_empty and not value.strip()):
            raise Invalid(expected)
        return value

    return check


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def number(lo: float | None = None, hi: float | None = None, *, lo_open: bool = False) -> Check:
    """A finite int or float (not a bool) in [lo, hi], or (lo, hi] with ``lo_open``."""
    if lo is not None and hi is not None:
        expected = (
            f"nombre > {lo:g} et ≤ {hi:g} attendu" if lo_open else f"nombre {lo:g}–{hi:g} attendu"
        )
    elif lo is not None:
        expected = f"nombre {'>' if lo_open else '≥'} {lo:g} attendu"
    else:
        expected = "nombre attendu"

    def check(value: Any) -> float:
        if not _is_number(value):
            raise Invalid(expected)
        v = float(value)
        if lo is not None and (v < lo or (lo_open and v == lo)):
            raise Invalid(expected)
        if hi is not None and v > hi:
            raise Invalid(expected)
        return v

    return check


def off_or_number(lo: float, hi: float) -> Check:
    """0 (off) or a number in [lo, hi]: a repeat or a delay that may be disabled."""
    expected = f"0 (désactivé) ou nombre {lo:g}–{hi:g} attendu"
    inner = number(lo, hi)

    def check(value: Any) -> float:
        if _is_number(value) and value == 0:
            return 0.0
        try:
            return float(inner(value))
        except Invalid:
            raise Invalid(expected) from None

    return check


def integer(lo: int, hi: int) -> Check:
    """An int (not a bool) in [lo, hi]."""
    expected = f"entier {lo}–{hi} attendu"

    def check(value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
            raise Invalid(expected)
        return value

    return check


def choice(*options: str) -> Check:
    """One of the given strings."""
    expected = "valeur parmi " + ", ".join(f"« {o} »" for o in options) + " attendue"

    def check(value: Any) -> str:
        if value not in options:
            raise Invalid(expected)
        return str(value)

    return check


def url(schemes: tuple[str, ...] | None = None, example: str = "") -> Check:
    """A URL with ``scheme://``; restricted to ``schemes`` when given."""
    if schemes:
        expected = "URL " + " ou ".join(f"{s}://" for s in schemes) + " attendue"
    else:
        expected = f"URL avec un schéma ({example or 'rtsp://, http://…'}) attendue"

    def check(value: Any) -> str:
        if not isinstance(value, str) or "://" not in value:
            raise Invalid(expected)
        try:
            parts = urlsplit(value)
        except ValueError as exc:
            raise Invalid(expected) from exc
        ok = len(parts.scheme) >= 2 and parts.scheme.isascii()
        if schemes is not None:
            ok = ok and parts.scheme in schemes and bool(parts.hostname)
        if not ok:
            raise Invalid(expected)
        return value

    return check


def url_list(schemes: tuple[str, ...]) -> Check:
    """One URL, several separated by commas, or a list of them (a station's hubs, in
    order of preference); normalised to ``"url1,url2"``. Every bad one is named."""
    one = url(schemes)

    def check(value: Any) -> str:
        if isinstance(value, list) and value:
            items: list[Any] = list(value)
        elif isinstance(value, str) and "," in value:
            items = [v.strip() for v in value.split(",")]
        else:
            return str(one(value))  # one URL: its own message, as before
        bad = []
        for i, item in enumerate(items, 1):
            try:
                one(item)
            except Invalid as exc:
                shown = repr(item) if len(repr(item)) <= 60 else repr(item)[:57] + "…"
                bad.append(f"n° {i} ({shown}) : {exc.expected}")
        if bad:
            raise Invalid("liste d'URL : " + " ; ".join(bad))
        return ",".join(items)

    return check


def timezone(value: Any) -> str:
    """An IANA time zone name known to ``zoneinfo``."""
    expected = "fuseau horaire IANA attendu (ex. « Europe/Paris »)"
    if not isinstance(value, str) or not value:
        raise Invalid(expected)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise Invalid(expected) from exc
    return value


def path(value: Any) -> Path:
    """A non-empty path string (resolution against the config dir is the loader's job)."""
    if not isinstance(value, str) or not value.strip():
        raise Invalid("chemin (texte non vide) attendu")
    return Path(value).expanduser()


def id_list(value: Any) -> tuple[str, ...]:
    """A list of non-empty strings."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise Invalid("liste d'identifiants (textes) attendue")
    return tuple(value)


# -- lists of tables ([[dispatch.units]], [shifts] periods) --------------------------

T = TypeVar("T")
EntryParser = Callable[[int, Any, set[str]], tuple[T | None, list[str]]]


def table_head(
    noun: str, index: int, item: dict[str, Any], keys: tuple[str, ...]
) -> tuple[str, list[str]]:
    """The label of entry ``index`` (« unité 2 (pm-a1) ») and its unknown keys."""
    ident = item.get("id")
    label = f"{noun} {index}" + (f" ({ident})" if isinstance(ident, str) and ident else "")
    return label, [f"{label} : clé « {k} » inconnue" for k in item if k not in keys]


def check_field(
    label: str, key: str, value: Any, check: Check, values: dict[str, Any], problems: list[str]
) -> None:
    """Check one field of a table entry into ``values``, or note why not."""
    try:
        values[key] = check(value)
    except Invalid as exc:
        problems.append(f"{label} : {key} : {exc.expected}, reçu {describe(value)}")


def unique_id(label: str, values: dict[str, Any], seen: set[str], problems: list[str]) -> None:
    """Note an ``id`` already used by an earlier entry."""
    if "id" in values:
        if values["id"] in seen:
            problems.append(f"{label} : identifiant en double")
        seen.add(values["id"])


def table_list(
    value: Any, parse: EntryParser[T], expected: str, *, non_empty: bool = False
) -> tuple[T, ...]:
    """A TOML array of tables, each parsed by ``parse``; every problem at once."""
    if not isinstance(value, list) or (non_empty and not value):
        raise Invalid(expected)
    entries: list[T] = []
    problems: list[str] = []
    seen: set[str] = set()
    for index, item in enumerate(value, start=1):
        entry, found = parse(index, item, seen)
        problems += found
        if entry is not None:
            entries.append(entry)
    if problems:
        raise Invalid(" ; ".join(problems))
    return tuple(entries)


#: The start time of a replay URL when its placeholder has no format: Hikvision's.
REPLAY_START_DEFAULT = "%Y%m%dT%H%M%SZ"


def replay_template_fields(template: str) -> list[tuple[str, str]]:
    """The ``{…}`` placeholders of a replay URL template, as (name, format) pairs;
    ``ValueError`` (French) when the braces are malformed."""
    import string

    try:
        return [
            (name, spec or "")
            for _, name, spec, _conv in string.Formatter().parse(template)
            if name is not None
        ]
    except ValueError:
        raise ValueError("accolades mal formées dans le modèle d'URL de relecture") from None


def replay_template() -> Check:
    """An NVR's replay URL template: ``rtsp://`` or ``rtsps://`` with a host, and one
    ``{start…}`` placeholder (e.g. ``{start:%Y%m%dT%H%M%SZ}``, UTC) and no other."""
    base = url(("rtsp", "rtsps"), example="rtsp://nvr/…?starttime={start:%Y%m%dT%H%M%SZ}")
    expected = (
        "URL rtsp:// avec l'heure de début {start:…} attendue "
        "(ex. rtsp://nvr/Streaming/tracks/101?starttime={start:%Y%m%dT%H%M%SZ})"
    )

    def check(value: Any) -> str:
        try:
            fields = replay_template_fields(value) if isinstance(value, str) else []
        except ValueError as exc:
            raise Invalid(f"{exc} : {expected}") from None
        names = {name for name, _spec in fields}
        if names != {"start"}:
            if names - {"start"}:
                others = ", ".join(sorted("{" + n + "}" for n in names - {"start"}))
                raise Invalid(f"paramètre inconnu {others} : {expected}")
            raise Invalid(expected)
        for _name, spec in fields:
            if spec and "%" not in spec:
                raise Invalid(
                    f"format d'heure strftime (%Y, %m…) attendu après « start: » : {expected}"
                )
        base(value.replace("{", "").replace("}", ""))
        return str(value)

    return check
