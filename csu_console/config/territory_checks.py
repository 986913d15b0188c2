"""Cross-checks of the territory (declared zonings, INSEE codes, ``[station] communes``)
against the zones; the value checks are in :mod:`csu_console.config.territory_section`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from csu_console.config.fields import did_you_mean
from csu_console.config.schema import ZONES_FILE, ConfigProblem, Zone
from csu_console.core.territory import Territory

SITE_FILE = "site.toml"


def territory_problems(
    declared: Sequence[str] | None,
    zones: Sequence[Zone],
    station_communes: Sequence[str],
    zones_doc: Any,
) -> list[ConfigProblem]:
    """What needs both ``site.toml`` and the zones: every zone whose zoning is not
    declared (when ``declared``, the ids of ``[zonings]``, is given: the site declares
    some; a declaration with its own problem still counts, no cascade), an INSEE code given
    to two commune names or a name given two codes, and ``[station] communes`` not
    found among the zones' communes."""
    problems: list[ConfigProblem] = []
    where = _feature_places(zones_doc)
    if declared is not None:
        shown = ", ".join(f"« {z} »" for z in declared)
        for zone in zones:
            if zone.zoning not in declared:
                message = (
                    f"zonage « {zone.zoning} » non déclaré dans site.toml "
                    f"(zonages déclarés : {shown})"
                )
                hint = did_you_mean(zone.zoning, list(declared)) or (
                    f"déclarer [zonings.{zone.zoning}] dans site.toml"
                )
                problems.append(
                    ConfigProblem(ZONES_FILE, where.get(zone.id, zone.id), "zoning", message, hint)
                )
    names_of: dict[str, str] = {}
    code_of: dict[str, str] = {}
    for zone in zones:
        if not zone.insee:
            continue
        place = where.get(zone.id, zone.id)
        first = names_of.setdefault(zone.insee, zone.commune)
        if first != zone.commune:
            message = (
                f"code INSEE « {zone.insee} » déjà donné à la commune « {first} », "
                f"reçu « {zone.commune} »"
            )
            problems.append(ConfigProblem(ZONES_FILE, place, "insee", message))
            continue
        code = code_of.setdefault(zone.commune, zone.insee)
        if code != zone.insee:
            message = (
                f"la commune « {zone.commune} » a déjà le code INSEE « {code} », "
                f"reçu « {zone.insee} »"
            )
            problems.append(ConfigProblem(ZONES_FILE, place, "insee", message))
    if station_communes:
        territory = Territory(zones)
        known = [c for c in territory.communes if c.key]
        for key in station_communes:
            if territory.commune(key) is None:
                listed = ", ".join(c.label for c in known) or "aucune : les zones n'en nomment pas"
                message = f"commune « {key} » absente des zones (communes du territoire : {listed})"
                choices = [c.insee for c in known if c.insee] + [c.name for c in known]
                problems.append(
                    ConfigProblem(
                        SITE_FILE, "[station]", "communes", message, did_you_mean(key, choices)
                    )
                )
    return problems


def station_commune_keys(station_communes: Sequence[str], zones: Sequence[Zone]) -> tuple[str, ...]:
    """The station's communes as :attr:`Commune.key` (INSEE code when the zones give one),
    without duplicates; unknown ones are dropped (reported by :func:`territory_problems`)."""
    territory = Territory(zones)
    keys = (territory.commune(k) for k in station_communes)
    return tuple(dict.fromkeys(c.key for c in keys if c is not None))


def _feature_places(zones_doc: Any) -> Mapping[str, str]:
    """Zone id → « feature 3 (secteur-gare) », as the GeoJSON problems name a zone."""
    features = zones_doc.get("features") if isinstance(zones_doc, dict) else None
    places: dict[str, str] = {}
    for number, feature in enumerate(features if isinstance(features, list) else [], start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        fid = props.get("id") if isinstance(props, dict) else None
        if isinstance(fid, str) and fid:
            places.setdefault(fid, f"feature {number} ({fid})")
    return places
