"""Load and validate a site configuration directory, collecting every problem at once.

A config directory holds ``site.toml``, ``cameras.geojson`` and ``zones.geojson``.
:func:`check_site` returns the config (or None) and the full list of problems;
:func:`load_site` raises :class:`~csu_console.errors.ConfigError` listing them all.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from csu_console.config.checks import Invalid, describe
from csu_console.config.schema import (
    CAMERA_PROPERTIES,
    KEY_ALIASES,
    SITE_SCHEMA,
    ZONE_PROPERTIES,
    Camera,
    ConfigProblem,
    FieldSpec,
    SiteConfig,
    Zone,
)
from csu_console.core.geo import Area, ring_area, ring_self_intersects
from csu_console.errors import ConfigError

SITE_FILE = "site.toml"
CAMERAS_FILE = "cameras.geojson"
ZONES_FILE = "zones.geojson"

_MAX_LISTED = 20  # problems spelled out in a ConfigError message


def default_config_dir() -> Path:
    """The repository's ``config/`` directory, else the user's config directory."""
    repo_config = Path(__file__).resolve().parents[2] / "config"
    if repo_config.is_dir():
        return repo_config
    import platformdirs

    return platformdirs.user_config_path("csu-console")


def did_you_mean(word: str, choices: Mapping[str, object] | list[str]) -> str:
    """``vouliez-vous dire « x » ?`` for the closest choice, or "" when none is close."""
    alias = KEY_ALIASES.get(word.lower())
    if alias is not None and alias in choices:
        return f"vouliez-vous dire « {alias} » ?"
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"vouliez-vous dire « {matches[0]} » ?" if matches else ""


def validate_fields(
    data: Mapping[str, Any],
    specs: Mapping[str, FieldSpec],
    *,
    file: str,
    where: str,
    what: str = "clé",
) -> tuple[dict[str, Any], list[ConfigProblem]]:
    """Check ``data`` against ``specs``: unknown keys, missing required keys, bad values.

    Returns the parsed values of the valid keys present in ``data`` and one problem
    per bad key; ``what`` names a key in messages (« clé », « propriété »).
    """
    values: dict[str, Any] = {}
    problems: list[ConfigProblem] = []
    for key, value in data.items():
        spec = specs.get(key)
        if spec is None:
            hint = did_you_mean(key, specs)
            problems.append(ConfigProblem(file, where, key, f"{what} inconnue", hint))
            continue
        try:
            values[key] = spec.check(value)
        except Invalid as exc:
            message = f"{exc.expected}, reçu {describe(value)}"
            problems.append(ConfigProblem(file, where, key, message))
    for key, spec in specs.items():
        if spec.required and key not in data:
            problems.append(
                ConfigProblem(file, where, key, f"obligatoire, absent ({_expected(spec)})")
            )
    return values, problems


def _expected(spec: FieldSpec) -> str:
    try:
        spec.check(None)
    except Invalid as exc:
        return exc.expected
    return "valeur attendue"


def _read(path: Path, problems: list[ConfigProblem]) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(ConfigProblem(path.name, "", "", f"fichier absent de {path.parent}"))
    except UnicodeDecodeError as exc:
        message = f"encodage invalide à l'octet {exc.start}, UTF-8 attendu"
        problems.append(ConfigProblem(path.name, "", "", message))
    except OSError as exc:
        message = f"lecture impossible : {exc.strerror or exc}"
        problems.append(ConfigProblem(path.name, "", "", message))
    return None


_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def _load_toml(path: Path, problems: list[ConfigProblem]) -> dict[str, Any] | None:
    content = _read(path, problems)
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


def _load_json(path: Path, problems: list[ConfigProblem]) -> Any:
    content = _read(path, problems)
    if content is None:
        return None
    duplicates: list[tuple[str, str]] = []  # (key, id of the object holding it)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        for key, value in items:
            if key in obj:
                duplicates.append((key, str(dict(items).get("id", ""))))
            obj[key] = value
        return obj

    try:
        data = json.loads(content, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        where = f"ligne {exc.lineno}, colonne {exc.colno}"
        problems.append(ConfigProblem(path.name, where, "", f"JSON invalide : {exc.msg}"))
        return None
    for key, owner in dict.fromkeys(duplicates):
        where = f"objet « {owner} »" if owner else ""
        message = "clé en double dans un même objet (la dernière valeur l'emporte)"
        problems.append(ConfigProblem(path.name, where, key, message))
    return data


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


def _features(
    data: Any, file: str, specs: Mapping[str, FieldSpec], problems: list[ConfigProblem]
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any], list[ConfigProblem]]]:
    """Per well-formed feature: where, feature, checked properties and their problems.

    Structural problems (no FeatureCollection, a non-Feature item) go to ``problems``;
    the caller adds the feature's own problems after its extra checks, in order.
    """
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        got = describe(data.get("type")) if isinstance(data, dict) else describe(data)
        message = f"objet GeoJSON de type « FeatureCollection » attendu, reçu {got}"
        problems.append(ConfigProblem(file, "", "type", message))
        return
    features = data.get("features")
    if not isinstance(features, list):
        message = f"liste de features attendue, reçu {describe(features)}"
        problems.append(ConfigProblem(file, "", "features", message))
        return
    seen: dict[str, str] = {}
    for number, feature in enumerate(features, start=1):
        where = f"feature {number}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            message = f"objet de type « Feature » attendu, reçu {describe(feature)}"
            problems.append(ConfigProblem(file, where, "", message))
            continue
        props = feature.get("properties")
        props = {} if props is None else props
        if not isinstance(props, dict):
            message = f"objet attendu, reçu {describe(props)}"
            problems.append(ConfigProblem(file, where, "properties", message))
            continue
        fid = props.get("id")
        if isinstance(fid, str) and fid:
            where = f"{where} ({fid})"
        values, found = validate_fields(props, specs, file=file, where=where, what="propriété")
        if isinstance(fid, str) and fid in seen:
            message = f"identifiant « {fid} » en double (déjà utilisé par {seen[fid]})"
            found.append(ConfigProblem(file, where, "id", message))
        elif isinstance(fid, str) and fid:
            seen[fid] = where
        yield where, feature, values, found


def _position(value: Any) -> tuple[float, float]:
    if (
        not isinstance(value, list)
        or len(value) not in (2, 3)
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        raise Invalid("position [lon, lat] attendue")
    lon, lat = float(value[0]), float(value[1])
    if not -180.0 <= lon <= 180.0:
        raise Invalid("longitude -180–180 attendue")
    if not -90.0 <= lat <= 90.0:
        raise Invalid("latitude -90–90 attendue")
    return (lon, lat)


def check_point(geometry: Any) -> tuple[float, float]:
    """A GeoJSON Point's (lon, lat); raises :class:`Invalid` carrying the whole message."""
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        got = describe(geometry.get("type") if isinstance(geometry, dict) else geometry)
        raise Invalid(f"géométrie « Point » attendue, reçu {got}")
    coords = geometry.get("coordinates")
    try:
        return _position(coords)
    except Invalid as exc:
        raise Invalid(f"Point : {exc.expected}, reçu {describe(coords)}") from exc


def check_area(geometry: Any) -> tuple[Area | None, list[str]]:
    """Validate a GeoJSON Polygon/MultiPolygon; returns the Area (None if bad) and messages."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        got = describe(geometry.get("type") if isinstance(geometry, dict) else geometry)
        return None, [f"géométrie « Polygon » ou « MultiPolygon » attendue, reçu {got}"]
    coords = geometry.get("coordinates")
    multi = geometry["type"] == "MultiPolygon"
    polygons = coords if multi else [coords]
    if not isinstance(polygons, list) or not polygons:
        return None, [f"liste de polygones attendue, reçu {describe(coords)}"]
    messages: list[str] = []
    for p_index, polygon in enumerate(polygons, start=1):
        prefix = f"polygone {p_index}, " if multi else ""
        if not isinstance(polygon, list) or not polygon:
            messages.append(f"{prefix}liste d'anneaux attendue, reçu {describe(polygon)}")
            continue
        for r_index, ring in enumerate(polygon):
            name = f"{prefix}{'anneau extérieur' if r_index == 0 else f'trou {r_index}'}"
            messages.extend(f"{name} : {m}" for m in _ring_problems(ring))
    if messages:
        return None, messages
    return Area.from_geojson(geometry), []


def _ring_problems(ring: Any) -> list[str]:
    if not isinstance(ring, list) or len(ring) < 4:
        return [f"anneau d'au moins 4 positions attendu, reçu {describe(ring)}"]
    positions: list[tuple[float, float]] = []
    bad: list[str] = []
    for number, value in enumerate(ring, start=1):
        try:
            positions.append(_position(value))
        except Invalid as exc:
            bad.append(f"position {number} : {exc.expected}, reçu {describe(value)}")
    if bad:
        more = f" (et {len(bad) - 1} autre(s))" if len(bad) > 1 else ""
        return [bad[0] + more]
    if positions[0] != positions[-1]:
        return ["anneau non fermé (la dernière position doit répéter la première)"]
    if ring_self_intersects(positions):
        return ["l'anneau se recoupe lui-même"]
    if ring_area(positions) == 0.0:
        return ["anneau d'aire nulle"]
    return []


def _parse_zones(data: Any, problems: list[ConfigProblem]) -> tuple[list[Zone], set[str] | None]:
    """Zones that validated, and every zone id seen (None if the file is unusable)."""
    zones: list[Zone] = []
    ids: set[str] = set()
    for where, feature, values, found in _features(data, ZONES_FILE, ZONE_PROPERTIES, problems):
        ids.update([values["id"]] if "id" in values else [])
        area, messages = check_area(feature.get("geometry"))
        found += [ConfigProblem(ZONES_FILE, where, "geometry", m) for m in messages]
        problems.extend(found)
        if not found and area is not None:
            name = values.get("name") or values["id"]
            commune = values.get("commune", "")
            zones.append(Zone(values["id"], name, commune, values["zoning"], area))
    usable = isinstance(data, dict) and isinstance(data.get("features"), list)
    return zones, ids if usable and data.get("type") == "FeatureCollection" else None


def _parse_cameras(
    data: Any, zone_ids: set[str] | None, problems: list[ConfigProblem]
) -> list[Camera]:
    cameras: list[Camera] = []
    for where, feature, values, found in _features(data, CAMERAS_FILE, CAMERA_PROPERTIES, problems):
        position: tuple[float, float] | None = None
        try:
            position = check_point(feature.get("geometry"))
        except Invalid as exc:
            found.append(ConfigProblem(CAMERAS_FILE, where, "geometry", exc.expected))
        for zone_id in values.get("zones", ()):
            if zone_ids is not None and zone_id not in zone_ids:
                hint = did_you_mean(zone_id, sorted(zone_ids))
                message = f"zone « {zone_id} » absente de {ZONES_FILE}"
                found.append(ConfigProblem(CAMERAS_FILE, where, "zones", message, hint))
        problems.extend(found)
        if not found and position is not None:
            values["name"] = values.get("name") or values["id"]
            cameras.append(Camera(lon=position[0], lat=position[1], **values))
    return cameras


def check_site(config_dir: Path) -> tuple[SiteConfig | None, list[ConfigProblem]]:
    """Validate a config directory; returns (config, []) or (None, every problem found).

    Never raises for bad content, missing or unreadable files.
    """
    config_dir = Path(config_dir).expanduser().resolve()
    if not config_dir.is_dir():
        message = f"dossier de configuration introuvable : {config_dir}"
        return None, [ConfigProblem(config_dir.name, "", "", message)]

    site_problems: list[ConfigProblem] = []
    site_data = _load_toml(config_dir / SITE_FILE, site_problems)
    sections = _parse_site(site_data or {}, config_dir, site_problems)

    zone_problems: list[ConfigProblem] = []
    zones_data = _load_json(config_dir / ZONES_FILE, zone_problems)
    zones: list[Zone] = []
    zone_ids: set[str] | None = None
    if zones_data is not None:
        zones, zone_ids = _parse_zones(zones_data, zone_problems)

    camera_problems: list[ConfigProblem] = []
    cameras_data = _load_json(config_dir / CAMERAS_FILE, camera_problems)
    cameras: list[Camera] = []
    if cameras_data is not None:
        cameras = _parse_cameras(cameras_data, zone_ids, camera_problems)

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
