"""The ``[cap]`` section of site.toml: partners' CAP alerts at this site.

* ``ring_exercises``: an ``Exercise`` message rings only when true (default false);
* ``[cap.geocodes]``: geocode-only areas placed on the site's zones,
  ``"INSEE:30189" = ["secteur-centre", "secteur-gare"]``;
* ``geocodes_file``: a GeoJSON FeatureCollection of shapes (communes,
  départements…) whose features carry their codes as properties (``insee``,
  ``code_insee``, ``INSEE_COM``, ``dept``, ``code_departement``, ``INSEE_DEP``,
  ``code`` — five characters: a commune, two or three: a département —, ``nuts3``,
  ``zone``, or ``geocode``/``geocodes``: ``"NOM:valeur"`` strings); a département is
  then the union of the file's communes carrying it;
* ``[[cap.trusted]]``: ``sender`` and ``certificate`` (a PEM file, relative to the
  config folder); several per sender.

This module holds the model and the value checks, run with the other sections
(:data:`~csu_console.config.schema.SITE_SCHEMA` imports it); what needs the zones or
the disk (zone ids, the file, the certificates) is in
:mod:`csu_console.config.cap_checks`, called by the loader.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csu_console.config.checks import Invalid, describe, path, text
from csu_console.core.geo import Area
from csu_console.core.geocodes import (
    DEPT,
    INSEE,
    GeocodeKey,
    GeocodeTable,
    ZoneShape,
    parse_key,
)


@dataclass(frozen=True)
class TrustedCertificate:
    """``[[cap.trusted]]``: a certificate trusted for a sender's signatures;
    ``certificate`` is absolute once loaded."""

    sender: str
    certificate: Path


@dataclass(frozen=True)
class CapConfig:
    """``[cap]``: exercises, the geocode table and the trusted certificates.

    ``geocodes`` maps a normalised key (``("INSEE", "30189")``) to zone ids;
    ``shapes`` holds the shapes read from ``geocodes_file`` by key.
    """

    ring_exercises: bool = False
    geocodes: Mapping[GeocodeKey, tuple[str, ...]] = field(default_factory=dict)
    geocodes_file: Path | None = None
    trusted: tuple[TrustedCertificate, ...] = ()
    shapes: Mapping[GeocodeKey, tuple[Area, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def certificates(self, sender: str) -> tuple[Path, ...]:
        """The certificate files trusted for ``sender``, in file order."""
        return tuple(t.certificate for t in self.trusted if t.sender == sender)

    def trusted_by_sender(self) -> dict[str, tuple[Path, ...]]:
        """Every sender's trusted certificate files (for the signature checker)."""
        return {t.sender: self.certificates(t.sender) for t in self.trusted}

    def resolver(self, zones: Sequence[ZoneShape]) -> GeocodeTable:
        """The geocode resolver of this site (pass ``site.zones``)."""
        return GeocodeTable(zones, self.geocodes, self.shapes)


# -- value checks ----------------------------------------------------------------------


def boolean(value: Any) -> bool:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        raise Invalid("true ou false attendu")
    return value


_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
_DEPT = re.compile(r"^(\d{2}|9[78]\d|2[AB])$")


def code_problem(key: GeocodeKey) -> str:
    kind, value = key
    if kind == INSEE and not _INSEE.match(value):
        return f"code INSEE de commune à 5 caractères attendu (ex. 30189), reçu « {value} »"
    if kind == DEPT and not _DEPT.match(value):
        return f"numéro de département attendu (ex. 30, 2A, 971), reçu « {value} »"
    return ""


class GeocodeEntries(dict[GeocodeKey, tuple[str, ...]]):
    """``[cap.geocodes]`` parsed: the valid entries, and ``problems``, (key as written,
    French message) pairs that the loader reports one per entry (see
    :func:`~csu_console.config.cap_checks.finish_cap`)."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[tuple[str, str]] = []


def geocode_entries(value: Any) -> GeocodeEntries:
    """``[cap.geocodes]``: ``"NOM:valeur" = ["zone", …]`` (or one zone id). A bad entry
    is kept aside with its reason (:class:`GeocodeEntries`), not raised: each is
    reported under its own key."""
    if not isinstance(value, dict):
        raise Invalid('table [cap.geocodes] attendue : "INSEE:30189" = ["zone-1", …]')
    entries = GeocodeEntries()
    written: dict[GeocodeKey, str] = {}
    for name, zones in value.items():
        try:
            key = parse_key(name)
        except ValueError:
            entries.problems.append((name, "clé « NOM:valeur » attendue (ex. « INSEE:30189 »)"))
            continue
        bad = code_problem(key)
        ids = [zones] if isinstance(zones, str) else zones
        if not bad and (
            not isinstance(ids, list) or not ids or not all(isinstance(z, str) and z for z in ids)
        ):
            bad = f"liste d'identifiants de zones attendue, reçu {describe(zones)}"
        if not bad and key in written:
            bad = f"même code que « {written[key]} »"
        if bad:
            entries.problems.append((name, bad))
            continue
        written[key] = name
        entries[key] = tuple(ids)
    return entries


_TRUSTED_KEYS = ("sender", "certificate")
_SENDER = text(non_empty=True)


def trusted_list(value: Any) -> tuple[TrustedCertificate, ...]:
    """``[[cap.trusted]]``: tables ``{ sender, certificate }`` (paths checked later)."""
    expected = '[[cap.trusted]] attendu : sender = "…", certificate = "certs/….pem"'
    if not isinstance(value, list):
        raise Invalid(expected)
    found: list[TrustedCertificate] = []
    problems: list[str] = []
    for index, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            problems.append(f"certificat {index} : table {{ sender, certificate }} attendue")
            continue
        label = f"certificat {index}"
        for key in item:
            if key not in _TRUSTED_KEYS:
                close = difflib.get_close_matches(str(key), _TRUSTED_KEYS, n=1, cutoff=0.6)
                hint = f" (vouliez-vous dire « {close[0]} » ?)" if close else ""
                problems.append(f"{label} : clé « {key} » inconnue{hint}")
        values: dict[str, Any] = {}
        for key, check in (("sender", _SENDER), ("certificate", path)):
            try:
                values[key] = check(item.get(key))
            except Invalid as exc:
                got = describe(item[key]) if key in item else "rien"
                problems.append(f"{label} : {key} : {exc.expected}, reçu {got}")
        if len(values) == 2:
            found.append(TrustedCertificate(values["sender"], values["certificate"]))
    if problems:
        raise Invalid(" ; ".join(problems))
    return tuple(found)
