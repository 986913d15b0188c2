"""Edit ``site.toml`` from the administration window (Qt-free).

The file is edited as text, key by key, so the installer's comments and layout
stay; the edited text is validated by :func:`~csu_console.config.loader.check_site`
(the same problems as ``csu-console config check``) before it is written
atomically (:func:`~csu_console.config.atomic.write_atomic`). Nothing is written
while a problem remains, and nothing is written by a role that may not.

Units (``[[dispatch.units]]``) are edited here too rather than in a station
table: they are part of the site's configuration, which every station, the
setup, ``config check`` and ``config export`` already read from ``site.toml``;
a second source of truth would diverge. Their availability, which changes every
hour, stays an event shared through the hub (:mod:`csu_console.core.dispatch`).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from csu_console.config.atomic import write_atomic
from csu_console.config.loader import SITE_FILE, check_site
from csu_console.config.schema import ConfigProblem, SiteConfig
from csu_console.core.roles import Permission, Role, require
from csu_console.errors import UserFacingError

#: Settings a running console applies at once (the others at its next start): the
#: alarm's intervals and escalation (its scheduler), the retention (the next hourly
#: purge). The mute's length is also the mute button's label, built at start.
LIVE_PREFIXES: tuple[str, ...] = ("alarm.", "retention.")
NOT_LIVE: frozenset[str] = frozenset({"alarm.mute_max_s"})

#: Sections whose keys need :data:`Permission.EDIT_PRIVACY` (personal data, accounts).
PRIVACY_SECTIONS: tuple[str, ...] = ("retention", "accounts")

_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-]+)\s*\]\]?\s*(#.*)?$")
_UNIT_HEADER = re.compile(r"^\s*\[\[\s*dispatch\.units\s*\]\]\s*(#.*)?$")


@dataclass(frozen=True)
class Change:
    """One key whose value changed: ``alarm.repeat_p1_s`` 5 → 8 (JSON text; None: absent)."""

    key: str
    before: str | None
    after: str | None

    @property
    def live(self) -> bool:
        """True when the running console applies it without a restart."""
        return self.key.startswith(LIVE_PREFIXES) and self.key not in NOT_LIVE

    def as_event(self) -> dict[str, Any]:
        """For the ``settings_changed`` event's details."""
        return {"key": self.key, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class EditOutcome:
    """What :func:`apply_edit` did: the changes written, or the problems that stopped it."""

    changes: tuple[Change, ...]
    problems: tuple[ConfigProblem, ...]
    site: SiteConfig | None

    @property
    def written(self) -> bool:
        return not self.problems and bool(self.changes)


# -- text editing ------------------------------------------------------------------------


def toml_value(value: object) -> str:
    """A scalar, list or inline table as TOML text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        inner = ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }"
    if isinstance(value, list | tuple):
        items = [toml_value(v) for v in value]
        if any(isinstance(v, Mapping) for v in value):
            return "[\n" + "".join(f"    {i},\n" for i in items) + "]"
        return "[" + ", ".join(items) + "]"
    raise TypeError(f"valeur non représentable en TOML : {value!r}")


def _depth(line: str) -> int:
    """Open brackets minus closed ones outside strings and comments."""
    depth, quote = 0, ""
    for ch in line:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
    return depth


def _comment(rest: str) -> str:
    """The trailing comment of a one-line value (`` # …``), or ""."""
    quote = ""
    for i, ch in enumerate(rest):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            j = i
            while j > 0 and rest[j - 1] in " \t":
                j -= 1
            return rest[j:]
    return ""


def _section_span(lines: list[str], section: str) -> tuple[int, int] | None:
    """Lines ``[start, end)`` of ``[section]`` (header excluded), or None."""
    start = None
    for i, line in enumerate(lines):
        m = _HEADER.match(line)
        if m is None or line.lstrip().startswith("#"):
            continue
        if start is not None:
            return start, i
        if m[1] == section and not line.lstrip().startswith("[["):
            start = i + 1
    return None if start is None else (start, len(lines))


def set_key(text: str, section: str, key: str, value: object) -> str:
    """``text`` with ``key = value`` in ``[section]``: replaced in place (its
    comment kept), added at the end of the section, or in a new section."""
    lines = text.splitlines()
    new = f"{key} = {toml_value(value)}"
    span = _section_span(lines, section)
    if span is None:
        tail = "" if text.endswith("\n") or not text else "\n"
        return f"{text}{tail}\n[{section}]\n{new}\n"
    start, end = span
    pattern = re.compile(rf"^(\s*){re.escape(key)}\s*=(.*)$")
    for i in range(start, end):
        m = pattern.match(lines[i])
        if m is None:
            continue
        last, depth = i, _depth(m[2])
        while depth > 0 and last + 1 < len(lines):
            last += 1
            depth += _depth(lines[last])
        comment = _comment(m[2]) if last == i else ""
        lines[i : last + 1] = (m[1] + new + comment).splitlines()
        return "\n".join(lines) + "\n"
    insert = end
    while insert > start and (not lines[insert - 1].strip() or lines[insert - 1].lstrip()
                              .startswith("#")):  # fmt: skip
        insert -= 1
    lines[insert:insert] = new.splitlines()
    return "\n".join(lines) + "\n"


def _unit_blocks(lines: list[str]) -> list[tuple[int, int, str]]:
    """Each ``[[dispatch.units]]`` block: (first line, end, id); the comments and
    blank lines before the next header belong to what follows."""
    blocks: list[tuple[int, int, str]] = []
    for i, line in enumerate(lines):
        if not _UNIT_HEADER.match(line):
            continue
        end = i + 1
        while end < len(lines) and not _HEADER.match(lines[end]):
            end += 1
        while end > i + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip()
                               .startswith("#")):  # fmt: skip
            end -= 1
        body = "\n".join(lines[i + 1 : end])
        try:
            unit_id = str(tomllib.loads(body).get("id", ""))
        except tomllib.TOMLDecodeError:
            unit_id = ""
        blocks.append((i, end, unit_id))
    return blocks


def add_unit(text: str, unit_id: str, name: str, kind: str) -> str:
    """``text`` with one more ``[[dispatch.units]]``, after the last one."""
    lines = text.splitlines()
    block = [
        "",
        "[[dispatch.units]]",
        f"id = {toml_value(unit_id)}",
        f"name = {toml_value(name)}",
        f"kind = {toml_value(kind)}",
    ]
    blocks = _unit_blocks(lines)
    if not blocks:
        return "\n".join(lines + block) + "\n"
    at = blocks[-1][1]
    lines[at:at] = block
    return "\n".join(lines) + "\n"


def remove_unit(text: str, unit_id: str) -> str:
    """``text`` without the unit ``unit_id``; :class:`UserFacingError` if absent."""
    lines = text.splitlines()
    for first, end, found in _unit_blocks(lines):
        if found == unit_id:
            start = first
            while start > 0 and not lines[start - 1].strip():
                start -= 1
            del lines[start:end]
            return "\n".join(lines) + "\n"
    raise UserFacingError(f"Unité « {unit_id} » absente de la configuration.")


# -- what changed, who may --------------------------------------------------------------


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return flat


def diff(before: str, after: str) -> tuple[Change, ...]:
    """Every key whose value differs between two site.toml texts (parse errors: the
    text stays unparsed, nothing compared — the check says why)."""
    try:
        old, new = _flatten(tomllib.loads(before)), _flatten(tomllib.loads(after))
    except tomllib.TOMLDecodeError:
        return ()
    keys = sorted(set(old) | set(new))
    return tuple(Change(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k))


def permissions_for(changes: Iterable[Change]) -> frozenset[Permission]:
    """What a role must be granted to make ``changes``."""
    needed: set[Permission] = set()
    for change in changes:
        section = change.key.split(".", 1)[0]
        if change.key.startswith("dispatch.units"):
            needed.add(Permission.MANAGE_UNITS)
        elif section in PRIVACY_SECTIONS:
            needed.add(Permission.EDIT_PRIVACY)
        else:
            needed.add(Permission.EDIT_SETTINGS)
    return frozenset(needed)


def read_site_text(config_dir: Path) -> str:
    """The site.toml's text ("" when there is none yet)."""
    try:
        return (config_dir / SITE_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def apply_edit(config_dir: Path, before: str, after: str, role: Role) -> EditOutcome:
    """Check ``after`` and write it as ``config_dir``'s site.toml.

    :class:`~csu_console.core.roles.PermissionDenied` when ``role`` may not make
    one of the changes; :class:`UserFacingError` when the file changed on disk
    since ``before`` was read (another administrator, an installer); the config
    check's problems (nothing written) when the edit is invalid.
    """
    changes = diff(before, after)
    for permission in sorted(permissions_for(changes)):
        require(role, permission)
    if not changes and before == after:
        return EditOutcome((), (), None)
    if read_site_text(config_dir) != before:
        raise UserFacingError(
            "site.toml a été modifié entre-temps : rechargez les réglages avant de les changer."
        )
    site, problems = check_site(config_dir, after)
    if problems:
        return EditOutcome(changes, tuple(problems), None)
    write_atomic(config_dir / SITE_FILE, after.encode("utf-8"))
    return EditOutcome(changes, (), site)
