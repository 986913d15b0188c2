"""What the ``[cap]`` section needs beyond its values (see
:mod:`csu_console.config.cap_section`): the trusted certificate files (present, PEM),
the zone ids of ``[cap.geocodes]`` and the ``geocodes_file`` read into shapes.

:func:`finish_cap` is called by the loader once the zones document is read; every
problem is a :class:`~csu_console.config.schema.ConfigProblem`, never an exception.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from cryptography import x509

from csu_console.config.cap_section import CapConfig, TrustedCertificate, code_problem
from csu_console.config.checks import describe
from csu_console.config.fields import did_you_mean, load_json
from csu_console.config.schema import ZONES_FILE, ConfigProblem
from csu_console.core.geo import Area, ring_area
from csu_console.core.geocodes import (
    DEPT,
    INSEE,
    NUTS3,
    ZONE,
    GeocodeKey,
    geocode_key,
    key_text,
    kind_of,
    parse_key,
)

SITE = "site.toml"


def check_certificate(file: Path) -> str:
    """ "" when ``file`` holds one or more PEM certificates, else why not (French)."""
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        return f"fichier de certificat introuvable : {file}"
    except IsADirectoryError:
        return f"fichier attendu, {file} est un dossier"
    except OSError as exc:
        return f"lecture impossible de {file} : {exc.strerror or exc}"
    if b"-----BEGIN CERTIFICATE-----" not in data:
        return f"certificat PEM attendu (-----BEGIN CERTIFICATE-----) dans {file}"
    try:
        x509.load_pem_x509_certificates(data)
    except ValueError:
        return f"certificat PEM illisible dans {file}"
    return ""


def zone_ids(zones_doc: Any) -> set[str] | None:
    """Every zone id of the zones document, None when it is unusable."""
    features = zones_doc.get("features") if isinstance(zones_doc, dict) else None
    if not isinstance(features, list):
        return None
    ids = set()
    for feature in features:
        props = feature.get("properties") if isinstance(feature, dict) else None
        if isinstance(props, dict) and isinstance(props.get("id"), str):
            ids.add(props["id"])
    return ids


def finish_cap(
    cap: CapConfig, config_dir: Path, zones_doc: Any
) -> tuple[CapConfig, list[ConfigProblem]]:
    """The section with its certificate paths made absolute and the geocodes file's
    shapes, and every problem: a certificate missing or not PEM, a zone id of
    ``[cap.geocodes]`` absent from ``zones_doc`` (not checked when that document is
    unusable: its own problem says why), the geocodes file unreadable or bad."""
    problems: list[ConfigProblem] = []
    trusted = []
    for index, entry in enumerate(cap.trusted, start=1):
        cert = entry.certificate
        cert = cert if cert.is_absolute() else config_dir / cert
        trusted.append(TrustedCertificate(entry.sender, cert))
        bad = check_certificate(cert)
        if bad:
            where = f"[[cap.trusted]] {index} ({entry.sender})"
            problems.append(ConfigProblem(SITE, where, "certificate", bad))

    for name, message in getattr(cap.geocodes, "problems", ()):
        problems.append(ConfigProblem(SITE, "[cap.geocodes]", name, message))
    ids = zone_ids(zones_doc)
    if ids is not None:
        for key, zones in cap.geocodes.items():
            for zid in zones:
                if zid not in ids:
                    hint = did_you_mean(zid, sorted(ids))
                    message = f"zone « {zid} » absente de {ZONES_FILE}"
                    problems.append(
                        ConfigProblem(SITE, "[cap.geocodes]", key_text(key), message, hint)
                    )

    shapes: dict[GeocodeKey, tuple[Area, ...]] = {}
    file = cap.geocodes_file
    if file is not None:
        if file.is_dir():
            message = f"fichier GeoJSON attendu, {file} est un dossier"
            problems.append(ConfigProblem(SITE, "[cap]", "geocodes_file", message))
        else:
            found: list[ConfigProblem] = []
            document = load_json(file, found)
            if document is not None:
                shapes = read_shapes(document, file.name, found)
            problems += found
    return replace(cap, trusted=tuple(trusted), shapes=shapes), problems


# -- the geocodes file -----------------------------------------------------------------

_FILE_KINDS = (INSEE, DEPT, NUTS3, ZONE)
#: Names that usually hold a place's *name* in such files, not its code.
_NOT_CODES = frozenset({"COMMUNE", "DEPARTEMENT"})
_CODE_PROPERTIES = ["insee", "code_insee", "dept", "code_departement", "code", "nuts3", "geocode"]


def _listed_keys(name: str, value: Any, bad: list[str]) -> list[GeocodeKey]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        bad.append(f"{name} : « NOM:valeur » ou liste attendue, reçu {describe(value)}")
        return []
    keys = []
    for item in items:
        try:
            keys.append(parse_key(item))
        except ValueError:
            bad.append(
                f"{name} : « NOM:valeur » attendu (ex. « INSEE:30189 »), reçu {describe(item)}"
            )
    return keys


def feature_keys(props: Mapping[str, Any]) -> tuple[list[GeocodeKey], list[str]]:
    """The geocodes a feature's properties give, and what is wrong with them."""
    keys: list[GeocodeKey] = []
    bad: list[str] = []
    for name, raw in props.items():
        value = str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else raw
        lower = str(name).lower()
        if lower in ("geocode", "geocodes"):
            keys += _listed_keys(str(name), value, bad)
            continue
        kind = kind_of(str(name))
        if lower == "code" and isinstance(value, str):
            kind = INSEE if len(value.strip()) == 5 else DEPT
        elif kind not in _FILE_KINDS or str(name).upper() in _NOT_CODES:
            continue
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            bad.append(f"{name} : code (texte) attendu, reçu {describe(value)}")
            continue
        keys.append(geocode_key(kind, value))
    bad += [p for p in map(code_problem, keys) if p]
    return keys, bad


def _ring(ring: Any) -> str:
    if not isinstance(ring, list) or len(ring) < 4:
        return f"anneau d'au moins 4 positions attendu, reçu {describe(ring)}"
    for number, pos in enumerate(ring, start=1):
        ok = (
            isinstance(pos, list)
            and len(pos) in (2, 3)
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in pos)
            and all(math.isfinite(v) for v in pos)
        )
        if not ok or not (-180 <= pos[0] <= 180 and -90 <= pos[1] <= 90):
            return f"position {number} : [lon, lat] attendue, reçu {describe(pos)}"
    if ring[0][:2] != ring[-1][:2]:
        return "anneau non fermé (la dernière position doit répéter la première)"
    if ring_area([(float(p[0]), float(p[1])) for p in ring]) == 0.0:
        return "anneau d'aire nulle"
    return ""


def shape(geometry: Any) -> tuple[Area | None, str]:
    """A geocode shape: a Polygon or MultiPolygon whose rings are closed, with valid
    positions and an area (self-crossings are not looked for: real commune outlines
    have thousands of points, and a crossing does not stop the ranking)."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        got = describe(kind if isinstance(geometry, dict) else geometry)
        return None, f"géométrie « Polygon » ou « MultiPolygon » attendue, reçu {got}"
    assert isinstance(geometry, dict)
    coords = geometry.get("coordinates")
    polygons = coords if kind == "MultiPolygon" else [coords]
    if not isinstance(polygons, list) or not polygons:
        return None, f"liste de polygones attendue, reçu {describe(coords)}"
    for p_index, polygon in enumerate(polygons, start=1):
        prefix = f"polygone {p_index}, " if kind == "MultiPolygon" else ""
        if not isinstance(polygon, list) or not polygon:
            return None, f"{prefix}liste d'anneaux attendue, reçu {describe(polygon)}"
        for r_index, ring in enumerate(polygon):
            bad = _ring(ring)
            if bad:
                name = "anneau extérieur" if r_index == 0 else f"trou {r_index}"
                return None, f"{prefix}{name} : {bad}"
    return Area.from_geojson(geometry), ""


def read_shapes(
    document: Any, file: str, problems: list[ConfigProblem]
) -> dict[GeocodeKey, tuple[Area, ...]]:
    """The shapes of a geocodes FeatureCollection by key (a key given by several
    features, e.g. a département by its communes, gets all their shapes)."""
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        got = describe(document.get("type")) if isinstance(document, dict) else describe(document)
        message = f"objet GeoJSON de type « FeatureCollection » attendu, reçu {got}"
        problems.append(ConfigProblem(file, "", "type", message))
        return {}
    features = document.get("features")
    if not isinstance(features, list):
        message = f"liste de features attendue, reçu {describe(features)}"
        problems.append(ConfigProblem(file, "", "features", message))
        return {}
    shapes: dict[GeocodeKey, list[Area]] = {}
    for number, feature in enumerate(features, start=1):
        where = f"feature {number}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            message = f"objet de type « Feature » attendu, reçu {describe(feature)}"
            problems.append(ConfigProblem(file, where, "", message))
            continue
        props = feature.get("properties")
        if not isinstance(props, dict):
            message = f"objet attendu, reçu {describe(props)}"
            problems.append(ConfigProblem(file, where, "properties", message))
            continue
        keys, bad = feature_keys(props)
        if keys:
            where = f"{where} ({key_text(keys[0])})"
        problems += [ConfigProblem(file, where, "properties", b) for b in bad]
        if not keys and not bad:
            message = (
                "aucun code : propriété insee, code_insee, dept, code_departement, code, "
                "nuts3, zone ou geocode attendue"
            )
            hints = (did_you_mean(str(n).lower(), _CODE_PROPERTIES) for n in props)
            hint = next((h for h in hints if h), "")
            problems.append(ConfigProblem(file, where, "properties", message, hint))
        area, why = shape(feature.get("geometry"))
        if why:
            problems.append(ConfigProblem(file, where, "geometry", why))
        if area is not None and not bad:
            for key in dict.fromkeys(keys):
                shapes.setdefault(key, []).append(area)
    return {key: tuple(areas) for key, areas in shapes.items()}
