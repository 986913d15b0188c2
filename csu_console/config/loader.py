"""Load and validate a site configuration directory, collecting every problem at once.

A config directory holds ``site.toml``, ``cameras.geojson`` and ``zones.geojson``.
:func:`check_site` returns the config (or None) and the full list of problems;
:func:`load_site` raises :class:`~csu_console.errors.ConfigError` listing them all.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from csu_console.config.cap_checks import finish_cap
from csu_console.config.checks import Invalid, describe
from csu_console.config.checks import timezone as timezone_check
from csu_console.config.fields import did_you_mean, load_json, read_text, validate_fields
from csu_console.config.geo_checks import check_area, check_geo, check_point
from csu_console.config.recorder_checks import recorder_problems
from csu_console.config.schema import (
    CAMERAS_FILE,
    SITE_SCHEMA,
    ZONES_FILE,
    ConfigProblem,
    SectionSpec,
    SiteConfig,
    SiteInfo,
)
from csu_console.config.territory_checks import station_commune_keys, territory_problems
from csu_console.core.territory import DEFAULT_ZONINGS, Zoning
from csu_console.errors import ConfigError

SITE_FILE = "site.toml"

# Re-exported: callers import them from here (and from csu_console.config).
__all__ = [
    "CAMERAS_FILE",
    "SITE_FILE",
    "ZONES_FILE",
    "check_area",
    "check_point",
    "check_site",
    "default_config_dir",
    "did_you_mean",
    "load_site",
    "validate_fields",
]

_MAX_LISTED = 20  # problems spelled out in a ConfigError message


def default_config_dir() -> Path:
    """The repository's ``config/`` directory, else the user's config directory."""
    repo_config = Path(__file__).resolve().parents[2] / "config"
    if repo_config.is_dir():
        return repo_config
    import platformdirs

    return platformdirs.user_config_path("csu-console")


_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def _load_toml(
    path: Path, problems: list[ConfigProblem], text: str | None = None
) -> dict[str, Any] | None:
    content = read_text(path, problems) if text is None else text
    if content is None:
        return None
    try:
        return tomllib.loads(content)
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc)
        pos = _TOML_POS.search(reason)
        where = f"ligne {pos[1]}, colonne {pos[2]}" if pos else ""
        detail = _TOML_POS.sub("", reason)
        problems.append(ConfigProblem(path.name, where, "", f"TOML invalide : {detail}"))
        return None


def site_timezone(config_dir: Path) -> str:
    """The site's ``[site] timezone`` (« fuseau » accepted), read on its own: the
    command line writes events even when another part of the config is invalid.
    The schema's default (Europe/Paris) when absent, unreadable or unknown."""
    default = str(SiteInfo.timezone)
    problems: list[ConfigProblem] = []
    data = _load_toml(Path(config_dir) / SITE_FILE, problems)
    section = data.get("site") if data else None
    if not isinstance(section, dict):
        return default
    value = section.get("timezone", section.get("fuseau"))
    try:
        return timezone_check(value)
    except Invalid:
        return default


def site_zonings(config_dir: Path) -> tuple[tuple[Zoning, ...], bool]:
    """The zonings ``site.toml`` declares, read on their own (the setup screen offers
    them while another part of the config may be invalid), and whether it declares
    any: (:data:`DEFAULT_ZONINGS`, False) when none, or when unreadable; a bad entry
    is left out (``config check`` names it)."""
    problems: list[ConfigProblem] = []
    data = _load_toml(Path(config_dir) / SITE_FILE, problems)
    raw = data.get("zonings") if data else None
    if not isinstance(raw, dict) or not raw:
        return DEFAULT_ZONINGS, False
    entries = _parse_entries("zonings", raw, SITE_SCHEMA["zonings"], problems)
    return tuple(entries.values()) or DEFAULT_ZONINGS, True


def _parse_site(
    data: Mapping[str, Any], config_dir: Path, problems: list[ConfigProblem]
) -> dict[str, Any]:
    """Validate every section of site.toml; returns section name -> model object."""
    for name, value in data.items():
        if name in SITE_SCHEMA:
            if not isinstance(value, dict):
                message = f"table attendue, reçu {describe(value)}"
                problems.append(ConfigProblem(SITE_FILE, f"[{name}]", "", message))
            continue
        if isinstance(value, dict):
            hint = did_you_mean(name, SITE_SCHEMA)
            problems.append(ConfigProblem(SITE_FILE, f"[{name}]", "", "section inconnue", hint))
            continue
        owners = [s for s, spec in SITE_SCHEMA.items() if name in spec.fields]
        hint = f"à placer dans la section [{owners[0]}] ?" if owners else ""
        message = "clé hors de toute section"
        problems.append(ConfigProblem(SITE_FILE, "", name, message, hint))

    sections: dict[str, Any] = {}
    for name, spec in SITE_SCHEMA.items():
        raw = data.get(name)
        if spec.entry_fields is not None:
            entries = _parse_entries(name, raw if isinstance(raw, dict) else {}, spec, problems)
            sections[name] = spec.model(**entries)
            continue
        values, found = validate_fields(
            raw if isinstance(raw, dict) else {}, spec.fields, file=SITE_FILE, where=f"[{name}]"
        )
        problems.extend(found)
        for key, value in values.items():
            if isinstance(value, Path) and not value.is_absolute():
                values[key] = config_dir / value
        sections[name] = spec.model(**values)

    gateway = sections["gateway"]
    if gateway.reconnect_min_s > gateway.reconnect_max_s:
        limit, got = gateway.reconnect_max_s, gateway.reconnect_min_s
        message = f"nombre ≤ reconnect_max_s ({limit:g}) attendu, reçu {got:g}"
        problems.append(ConfigProblem(SITE_FILE, "[gateway]", "reconnect_min_s", message))
    if gateway.ca_file is not None and not gateway.ca_file.is_file():
        message = f"fichier de certificat introuvable : {gateway.ca_file}"
        problems.append(ConfigProblem(SITE_FILE, "[gateway]", "ca_file", message))
    data_dir = sections["storage"].data_dir
    if data_dir is not None and data_dir.exists() and not data_dir.is_dir():
        message = f"dossier attendu, {data_dir} est un fichier"
        problems.append(ConfigProblem(SITE_FILE, "[storage]", "data_dir", message))
    return sections


def _parse_entries(
    name: str, raw: Mapping[str, Any], spec: SectionSpec, problems: list[ConfigProblem]
) -> dict[str, Any]:
    """A section of tables named by the site (``[zonings.secteur_pm]``): each id and
    table checked, every problem at once; returns id → entry, in file order."""
    assert spec.entry_fields is not None and spec.entry_model is not None
    entries: dict[str, Any] = {}
    for index, (key, value) in enumerate(raw.items()):
        where = f"[{name}.{key}]"
        if spec.entry_id is not None:
            try:
                spec.entry_id(key)
            except Invalid as exc:
                problems.append(
                    ConfigProblem(SITE_FILE, where, "", f"{exc.expected}, reçu {key!r}")
                )
                continue
        if not isinstance(value, dict):
            message = f"table attendue ([{name}.{key}] puis ses clés), reçu {describe(value)}"
            problems.append(ConfigProblem(SITE_FILE, where, "", message))
            continue
        values, found = validate_fields(value, spec.entry_fields, file=SITE_FILE, where=where)
        problems.extend(found)
        if not found:
            entries[key] = spec.entry_model(index, key, **values)
    return entries


def check_site(
    config_dir: Path, site_text: str | None = None
) -> tuple[SiteConfig | None, list[ConfigProblem]]:
    """Validate a config directory; returns (config, []) or (None, every problem found).

    ``site_text``: checks this site.toml instead of the file (an edit not yet
    written: the administration window's settings). Never raises for bad content,
    missing or unreadable files.
    """
    config_dir = Path(config_dir).expanduser().resolve()
    if not config_dir.is_dir():
        message = f"dossier de configuration introuvable : {config_dir}"
        return None, [ConfigProblem(config_dir.name, "", "", message)]

    site_problems: list[ConfigProblem] = []
    site_data = _load_toml(config_dir / SITE_FILE, site_problems, site_text)
    sections = _parse_site(site_data or {}, config_dir, site_problems)

    zone_problems: list[ConfigProblem] = []
    zones_data = load_json(config_dir / ZONES_FILE, zone_problems)
    camera_problems: list[ConfigProblem] = []
    cameras_data = load_json(config_dir / CAMERAS_FILE, camera_problems)
    cameras, zones, geo_problems = check_geo(cameras_data, zones_data)
    camera_problems += [p for p in geo_problems if p.file == CAMERAS_FILE]
    zone_problems += [p for p in geo_problems if p.file == ZONES_FILE]
    sections["cap"], cap_problems = finish_cap(sections["cap"], config_dir, zones_data)
    site_problems += cap_problems
    if cameras_data is not None:  # unreadable cameras: said already, no cascade
        site_problems += recorder_problems(sections["recorder"], (c.id for c in cameras))
    if zones_data is not None:  # unreadable zones: said already, no cascade
        raw_zonings = (site_data or {}).get("zonings")
        declared = list(raw_zonings) if isinstance(raw_zonings, dict) else None
        station = sections["station"]
        for problem in territory_problems(declared, zones, station.communes, zones_data):
            (site_problems if problem.file == SITE_FILE else zone_problems).append(problem)
        keys = station_commune_keys(station.communes, zones)
        sections["station"] = dataclasses.replace(station, communes=keys)

    problems = site_problems + camera_problems + zone_problems
    if problems:
        return None, problems
    config = SiteConfig(
        config_dir=config_dir, cameras=tuple(cameras), zones=tuple(zones), **sections
    )
    return config, []


def load_site(config_dir: Path) -> SiteConfig:
    """Load a config directory or raise ``ConfigError`` whose ``problems`` lists every issue."""
    config, problems = check_site(config_dir)
    if config is not None:
        return config
    count = len(problems)
    lines = [f"Configuration du site invalide ({count} problème{'s' if count > 1 else ''}) :"]
    lines += [f"- {p}" for p in problems[:_MAX_LISTED]]
    if count > _MAX_LISTED:
        lines.append(f"… et {count - _MAX_LISTED} autre(s)")
    raise ConfigError("\n".join(lines), list(problems))
