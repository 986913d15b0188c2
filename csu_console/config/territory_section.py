"""The territory in the site configuration: declared zonings, INSEE codes, the
station's communes (issue 19: communes and zonings first class).

* ``[zonings.<id>]`` in ``site.toml``, any number: ``label`` (required) and
  ``colour`` (``#rrggbb``; a colour of :data:`ZONING_PALETTE` by default). A site
  that declares none gets :data:`~csu_console.core.territory.DEFAULT_ZONINGS`, and
  its zones may then use any zoning (sites drawn before zonings were declared keep
  working); once declared, a zone whose zoning is not declared is a problem.
* zone property ``insee``: the commune's INSEE code, five characters, digits or
  2A/2B (Corsica), e.g. ``25388`` or ``2A004``; one code names one commune.
* ``[station] communes``: the communes this station handles, by INSEE code or name,
  each a commune of the zones; normalised to :attr:`Commune.key` once loaded.

This module holds the value checks, run with the other sections
(:data:`~csu_console.config.schema.SITE_SCHEMA` imports it); what needs the zones is
in :mod:`csu_console.config.territory_checks`, called by the loader.
"""

from __future__ import annotations

import re
from typing import Any

from csu_console.config.checks import Invalid
from csu_console.core.territory import DEFAULT_ZONINGS, Zoning

_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_ZONING_ID = re.compile(r"^[A-Za-z0-9_-]+$")

#: Colours given to declared zonings without one, in declaration order.
ZONING_PALETTE = ("#4a90d9", "#9b6ad6", "#e0a030", "#3fa66b", "#d9534f", "#17a2b8")


def insee_code(value: Any) -> str:
    """An INSEE commune code: 5 characters, digits or 2A/2B then 3 digits (upper-cased)."""
    expected = (
        "code INSEE de commune à 5 caractères attendu (chiffres, ou 2A/2B pour la Corse ; "
        "ex. « 25388 », « 2A004 »)"
    )
    if not isinstance(value, str):
        raise Invalid(expected)
    code = value.strip().upper()
    if not _INSEE.match(code):
        raise Invalid(expected)
    return code


def colour(value: Any) -> str:
    """A colour ``#rrggbb`` (lower-cased)."""
    if not isinstance(value, str) or not _COLOUR.match(value.strip()):
        raise Invalid("couleur #rrggbb attendue (ex. « #4a90d9 »)")
    return value.strip().lower()


def commune_list(value: Any) -> tuple[str, ...]:
    """``[station] communes``: a list of INSEE codes or commune names (checked against
    the zones by :func:`territory_problems`)."""
    expected = 'liste de communes (codes INSEE ou noms) attendue, ex. ["25388", "Audincourt"]'
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise Invalid(expected)
    return tuple(v.strip() for v in value)


def zoning_id(value: Any) -> str:
    """The id of a declared zoning, as zones name it (``secteur_pm``)."""
    if not isinstance(value, str) or not _ZONING_ID.match(value):
        raise Invalid("identifiant de zonage attendu (lettres, chiffres, « _ » ou « - »)")
    return value


def make_zoning(index: int, id: str, label: str, colour: str | None = None) -> Zoning:
    """One ``[zonings.<id>]`` entry (``index`` from 0: the default colour)."""
    return Zoning(id, label, colour or ZONING_PALETTE[index % len(ZONING_PALETTE)])


def declared_zonings(**zonings: Zoning) -> tuple[Zoning, ...]:
    """``[zonings]`` model: the declared zonings in file order, else the defaults."""
    return tuple(zonings.values()) or DEFAULT_ZONINGS
