"""Validation of the cameras and zones documents, every problem at once.

Used by :func:`~csu_console.config.loader.check_site` on the files of a config
directory, and by the setup screen and ``csu-console config import`` on documents
being imported (:func:`check_geo`, :func:`import_geo`). Problems found:

* per feature: unknown or bad properties, missing required ones (with a "did you
  mean" hint), a duplicate id, a bad geometry (not a Point for a camera; a ring
  not closed, too short, self-intersecting or flat for a zone);
* a camera's stream URL without a scheme, a field of view ≤ 0 or over 360° (the
  property checks of :data:`~csu_console.config.schema.CAMERA_PROPERTIES`);
* across documents: a camera mapped to a zone id that no zone has, a camera whose
  position is outside every zone (checked when the zones are readable and at
  least one has a valid outline).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from csu_console.config.checks import Invalid, describe
from csu_console.config.fields import did_you_mean, load_json, validate_fields
from csu_console.config.geo_write import cameras_document, zones_document
from csu_console.config.schema import (
    CAMERA_PROPERTIES,
    CAMERAS_FILE,
    ZONE_PROPERTIES,
    ZONES_FILE,
    Camera,
    ConfigProblem,
    FieldSpec,
    Zone,
)
from csu_console.core.geo import Area, distance_to_area_m, ring_area, ring_self_intersects
from csu_console.core.ranking import format_distance


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


@dataclass
class _ZonesRead:
    """What the cameras need from the zones document."""

    zones: list[Zone] = field(default_factory=list)
    #: Every id seen, None when the document is unusable (no zone check then).
    ids: set[str] | None = None
    #: Every valid outline, even of a zone with bad properties: a camera inside it
    #: is not "outside every zone" because of an unrelated typo.
    areas: list[tuple[str, Area]] = field(default_factory=list)


def _parse_zones(data: Any, file: str, problems: list[ConfigProblem]) -> _ZonesRead:
    read = _ZonesRead()
    ids: set[str] = set()
    for where, feature, values, found in _features(data, file, ZONE_PROPERTIES, problems):
        ids.update([values["id"]] if "id" in values else [])
        area, messages = check_area(feature.get("geometry"))
        found += [ConfigProblem(file, where, "geometry", m) for m in messages]
        problems.extend(found)
        if area is not None:
            read.areas.append((values.get("name") or values.get("id") or where, area))
        if not found and area is not None:
            name = values.get("name") or values["id"]
            commune = values.get("commune", "")
            insee = values.get("insee", "")
            read.zones.append(Zone(values["id"], name, commune, values["zoning"], area, insee))
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        read.ids = ids if isinstance(data.get("features"), list) else None
    return read


def _outside_every_zone(
    position: tuple[float, float], zones: _ZonesRead, file: str, where: str, zones_file: str
) -> ConfigProblem | None:
    if zones.ids is None or not zones.areas:
        return None
    lon, lat = position
    if any(area.contains(lon, lat) for _, area in zones.areas):
        return None
    name, metres = min(
        ((n, distance_to_area_m(lon, lat, a)) for n, a in zones.areas), key=lambda x: x[1]
    )
    message = f"caméra hors de toute zone de {zones_file}"
    hint = f"zone la plus proche : « {name} », à {format_distance(metres)}"
    return ConfigProblem(file, where, "geometry", message, hint)


def _parse_cameras(
    data: Any, file: str, zones: _ZonesRead, zones_file: str, problems: list[ConfigProblem]
) -> list[Camera]:
    cameras: list[Camera] = []
    for where, feature, values, found in _features(data, file, CAMERA_PROPERTIES, problems):
        position: tuple[float, float] | None = None
        try:
            position = check_point(feature.get("geometry"))
        except Invalid as exc:
            found.append(ConfigProblem(file, where, "geometry", exc.expected))
        if position is not None:
            outside = _outside_every_zone(position, zones, file, where, zones_file)
            if outside is not None:
                found.append(outside)
        for zone_id in values.get("zones", ()):
            if zones.ids is not None and zone_id not in zones.ids:
                hint = did_you_mean(zone_id, sorted(zones.ids))
                message = f"zone « {zone_id} » absente de {zones_file}"
                found.append(ConfigProblem(file, where, "zones", message, hint))
        problems.extend(found)
        if not found and position is not None:
            values["name"] = values.get("name") or values["id"]
            cameras.append(Camera(lon=position[0], lat=position[1], **values))
    return cameras


def check_geo(
    cameras_doc: Any,
    zones_doc: Any,
    *,
    cameras_file: str = CAMERAS_FILE,
    zones_file: str = ZONES_FILE,
) -> tuple[list[Camera], list[Zone], list[ConfigProblem]]:
    """Validate a cameras and a zones document (parsed GeoJSON); never raises.

    Returns the cameras and zones that are valid and every problem, cameras' first
    then zones', each in feature order; the configuration is usable only when the
    problem list is empty. ``None`` stands for a document that could not be read
    (its reading problem is reported by the caller): it is skipped, and so are the
    checks that need it. ``cameras_file`` and ``zones_file`` name the documents in
    the problems (an imported file keeps its own name).
    """
    zone_problems: list[ConfigProblem] = []
    zones = _ZonesRead()
    if zones_doc is not None:
        zones = _parse_zones(zones_doc, zones_file, zone_problems)
    camera_problems: list[ConfigProblem] = []
    cameras: list[Camera] = []
    if cameras_doc is not None:
        cameras = _parse_cameras(cameras_doc, cameras_file, zones, zones_file, camera_problems)
    return cameras, zones.zones, camera_problems + zone_problems


# -- importing a file ----------------------------------------------------------------


@dataclass(frozen=True)
class GeoImport:
    """An imported GeoJSON file checked against the rest of the configuration.

    ``kind`` says what the file holds (``"cameras"``, ``"zones"``, or ``None`` when
    it could not be told); ``cameras`` and ``zones`` are the configuration it would
    give (the imported part, and the current other part); it may be saved only when
    ``problems`` is empty.
    """

    kind: Literal["cameras", "zones"] | None
    cameras: list[Camera]
    zones: list[Zone]
    problems: list[ConfigProblem]

    @property
    def ok(self) -> bool:
        """True when the import can be saved."""
        return not self.problems and self.kind is not None


def geo_kind(document: Any) -> Literal["cameras", "zones"] | None:
    """``"cameras"`` for a collection of Points, ``"zones"`` for (Multi)Polygons.

    A mixed file goes by its majority (the minority is then reported as bad
    geometry); None when there is no feature with either kind of geometry.
    """
    features = document.get("features") if isinstance(document, dict) else None
    points = polygons = 0
    for feature in features if isinstance(features, list) else []:
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        points += kind == "Point"
        polygons += kind in ("Polygon", "MultiPolygon")
    if points == polygons == 0:
        return None
    return "cameras" if points >= polygons else "zones"


def import_geo(
    path: Path, *, cameras: Sequence[Camera] = (), zones: Sequence[Zone] = ()
) -> GeoImport:
    """Read and check a GeoJSON file of cameras or of zones (told by its geometries).

    The file replaces that part of the current configuration (``cameras`` and
    ``zones``, usually ``site.cameras`` and ``site.zones``) and is checked with the
    other part: imported cameras against the current zones, imported zones against
    the current cameras (a zone removed while a camera still uses it is reported).
    Problems name the imported file; the current part keeps its usual file name.
    Never raises.
    """
    path = Path(path)
    problems: list[ConfigProblem] = []
    document = load_json(path, problems)
    if problems:
        return GeoImport(None, list(cameras), list(zones), problems)
    kind = geo_kind(document)
    if kind is None:
        message = (
            "ni caméras (géométries « Point ») ni zones (« Polygon », « MultiPolygon ») : "
            f"fichier GeoJSON de caméras ou de zones attendu, reçu {describe(document)}"
        )
        return GeoImport(
            None, list(cameras), list(zones), [ConfigProblem(path.name, "", "", message)]
        )
    if kind == "cameras":
        new_cameras, new_zones, found = check_geo(
            document, zones_document(zones), cameras_file=path.name
        )
        return GeoImport(kind, new_cameras, list(zones), found)
    new_cameras, new_zones, found = check_geo(
        cameras_document(cameras), document, zones_file=path.name
    )
    return GeoImport(kind, new_cameras, new_zones, found)
