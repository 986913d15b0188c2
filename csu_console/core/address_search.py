"""Address search over the map file's index: what a caller says, as the operator types it.

Qt-free. A query such as « 12 bd Victor-Hugo », « victor hugo 12 », « 12bis rue de la
Paix » or « Mannerheimintie 22 » is read as a house number (first or last word, with
``bis``/``ter``/a letter) and street words. Matching ignores case, accents and
punctuation; French abbreviations are expanded (« bd » → boulevard, « av » → avenue,
« st » → saint…). Street-type words (« rue », « avenue »…) and little words (« de »,
« la »…) count when they match but never rule a street out: a caller's « rue » for
what the map calls an « avenue » still finds it. A street word matches a word of the
name from its start (best), inside it, or nearly (one typo in a long word).

:meth:`AddressIndex.search` returns ranked :class:`AddressHit` suggestions: the exact
house number first, then the street's closest number on the same side (« n° 14, le
plus proche du 12 »), then the street itself.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

__all__ = ["AddressHit", "AddressIndex", "ParsedQuery", "normalize", "parse_query"]

#: Abbreviations a French operator types, as the map writes them.
ABBREVIATIONS: dict[str, str] = {
    "bd": "boulevard",
    "bld": "boulevard",
    "boul": "boulevard",
    "bvd": "boulevard",
    "av": "avenue",
    "ave": "avenue",
    "r": "rue",
    "pl": "place",
    "ch": "chemin",
    "che": "chemin",
    "chem": "chemin",
    "rte": "route",
    "imp": "impasse",
    "all": "allee",
    "sq": "square",
    "fbg": "faubourg",
    "fg": "faubourg",
    "qu": "quai",
    "crs": "cours",
    "pass": "passage",
    "res": "residence",
    "st": "saint",
    "ste": "sainte",
    "mal": "marechal",
    "gal": "general",
    "pdt": "president",
    "prom": "promenade",
    "esp": "esplanade",
}
#: Words that say what kind of way it is: they help, never exclude.
STREET_TYPES = frozenset(
    {
        "rue", "avenue", "boulevard", "place", "chemin", "route", "impasse", "allee",
        "square", "faubourg", "quai", "cours", "passage", "residence", "promenade",
        "esplanade", "voie", "sentier", "ruelle", "cite", "lotissement", "parvis",
        "rond", "point", "montee", "quartier", "hameau", "lieu", "dit",
    }
)  # fmt: skip
STOP_WORDS = frozenset({"de", "du", "des", "la", "le", "les", "l", "d", "a", "au", "aux", "et"})
#: Number suffixes: « 12 bis », « 12b », « 12 ter ».
SUFFIXES = frozenset({"bis", "ter", "quater"})
_NUMBER = re.compile(r"^(\d{1,5})(bis|ter|quater|[a-z])?$")
_SPLIT = re.compile(r"[^a-z0-9]+")
MAX_HITS = 8


def normalize(text: str) -> str:
    """Lower case, accents removed, punctuation as spaces, single-spaced."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("ß", "ss").replace("æ", "ae").replace("œ", "oe").replace("ø", "o")
    return " ".join(_SPLIT.split(plain)).strip()


def _words(text: str) -> list[str]:
    return [ABBREVIATIONS.get(w, w) for w in normalize(text).split()]


@dataclass(frozen=True)
class ParsedQuery:
    """A query read as a house number (``number``: ``12``, ``12bis``; None) and street words."""

    number: str | None
    words: tuple[str, ...]

    @property
    def number_value(self) -> int | None:
        """The number's integer part (12 for ``12bis``)."""
        if self.number is None:
            return None
        m = _NUMBER.match(self.number)
        return int(m.group(1)) if m else None


def parse_query(text: str) -> ParsedQuery:
    """Split a typed address into its number (first or last word) and street words."""
    words = normalize(text).split()
    number: str | None = None
    first = _NUMBER.match(words[0]) if words else None
    if first is not None:
        number = words.pop(0)
        # « 12 bis rue … », « 12 b rue … »: the suffix as a word of its own
        suffix = len(words) > 1 and (
            words[0] in SUFFIXES or (len(words[0]) == 1 and words[0] not in STOP_WORDS)
        )
        if first.group(2) is None and suffix:
            number += words.pop(0)
    elif len(words) >= 2 and words[-1] in SUFFIXES and _NUMBER.match(words[-2]):
        number = words[-2] + words[-1]  # « … rue de la Paix 12 bis »
        del words[-2:]
    elif words and _NUMBER.match(words[-1]):
        number = words.pop()
    return ParsedQuery(number, tuple(ABBREVIATIONS.get(w, w) for w in words))


def canonical_number(text: str) -> str:
    """A house number as compared: ``12 bis`` → ``12bis``, ``12 B`` → ``12b``."""
    return normalize(text).replace(" ", "")


def number_keys(text: str) -> list[str]:
    """The numbers a written house number answers to: ``12 bis`` → [``12bis``];
    a range ``22-24`` → [``22``, ``24``] (one building, two numbers)."""
    words = normalize(text).split()
    whole = "".join(words)
    numbers = [w for w in words if w.isdigit()]
    if len(numbers) <= 1 and _NUMBER.match(whole):
        return [whole]
    return [w for w in words if _NUMBER.match(w)] or [whole]


def _leading_int(text: str) -> int | None:
    m = re.match(r"\d+", text)
    return int(m.group(0)) if m else None


@dataclass(frozen=True)
class AddressHit:
    """One suggestion: what to show, where it is, and how well it matched.

    ``number`` is the house number found (None: the street itself); ``wanted`` the
    number the operator typed when it is not the one found (the closest shown).
    """

    street: str
    number: str | None
    lon: float
    lat: float
    score: float
    wanted: str | None = None

    @property
    def label(self) -> str:
        """« 12 Rue de la Paix » (French order, number first), or the street's name."""
        return self.street if self.number is None else f"{self.number} {self.street}"

    @property
    def exact(self) -> bool:
        """The house number asked for (or the street, when none was asked)."""
        return self.wanted is None


@dataclass
class _Street:
    name: str
    words: tuple[str, ...]
    point: tuple[float, float] | None
    numbers: dict[str, tuple[str, float, float]]  # canonical → (as written, lon, lat)


class AddressIndex:
    """The streets and house numbers of a map file, ready to search.

    Built from (street, number or None, lon, lat) rows (see
    :func:`csu_console.mapdata.addresses.read_addresses`).
    """

    def __init__(self, rows: Iterable[tuple[str, str | None, float, float]]) -> None:
        streets: dict[str, _Street] = {}
        for name, number, lon, lat in rows:
            street = streets.get(name)
            if street is None:
                street = streets[name] = _Street(name, tuple(_words(name)), None, {})
            if number is None:
                street.point = (lon, lat)
            else:
                for key in number_keys(number):
                    street.numbers.setdefault(key, (number, lon, lat))
        for street in streets.values():
            if street.point is None and street.numbers:
                pts = [(lon, lat) for _n, lon, lat in street.numbers.values()]
                n = len(pts)
                street.point = (sum(p[0] for p in pts) / n, sum(p[1] for p in pts) / n)
        self._streets = [s for s in streets.values() if s.point is not None]
        #: Each distinct word of the street names → the streets that have it.
        self._vocabulary: dict[str, list[int]] = {}
        for i, street in enumerate(self._streets):
            for word in set(street.words):
                self._vocabulary.setdefault(word, []).append(i)
        self._cache: dict[str, dict[int, float]] = {}

    def __len__(self) -> int:
        return len(self._streets)

    @property
    def street_count(self) -> int:
        """How many streets can be found."""
        return len(self._streets)

    @property
    def number_count(self) -> int:
        """How many house numbers can be found."""
        return sum(len({v[0] for v in s.numbers.values()}) for s in self._streets)

    def nearest(self, lon: float, lat: float, max_m: float = 40.0) -> AddressHit | None:
        """The house number closest to a point, within ``max_m`` metres (a right
        click on a building names it), else None."""
        best: tuple[float, AddressHit] | None = None
        k = math.cos(math.radians(lat)) * 111_320.0
        for street in self._streets:
            for written, nlon, nlat in street.numbers.values():
                d = math.hypot((nlon - lon) * k, (nlat - lat) * 110_540.0)
                if d <= max_m and (best is None or d < best[0]):
                    best = (d, AddressHit(street.name, written, nlon, nlat, 0.0))
        return None if best is None else best[1]

    def search(self, text: str, limit: int = MAX_HITS) -> list[AddressHit]:
        """Ranked suggestions for a typed address ([] when nothing matches)."""
        query = parse_query(text)
        needed = [w for w in query.words if w not in STREET_TYPES and w not in STOP_WORDS]
        if not needed:
            return []  # only « rue de la » typed: every street would do
        matches = {w: self._matches(w) for w in query.words}
        candidates = set(matches[needed[0]])
        for word in needed[1:]:
            candidates &= matches[word].keys()
        scored = []
        for i in candidates:
            total = 0.0
            for word in query.words:
                soft = word not in needed
                total += matches[word].get(i, 0.0) * (0.3 if soft else 1.0)
            scored.append((total, self._streets[i]))
        scored.sort(key=lambda p: (-p[0], len(p[1].name), p[1].name))
        hits: list[AddressHit] = []
        for score, street in scored[: limit * 2]:
            hits.extend(_hits(street, query, score))
        hits.sort(key=lambda h: -h.score)
        return hits[:limit]

    def _matches(self, wanted: str) -> dict[int, float]:
        """Street (by position) → how well its best word matches ``wanted``; each
        distinct word of the map is scored once, and the last words typed are kept
        (the next keystroke repeats most of them)."""
        found = self._cache.get(wanted)
        if found is not None:
            return found
        found = {}
        for word, streets in self._vocabulary.items():
            score = _word_score(wanted, word)
            if score:
                for i in streets:
                    if score > found.get(i, 0.0):
                        found[i] = score
        if len(self._cache) >= 256:
            self._cache.clear()
        self._cache[wanted] = found
        return found


def _word_score(wanted: str, word: str) -> float:
    """How well one typed word matches one word of a street name (0: not at all):
    the same word, its start, inside it, or nearly (one typo in a long word)."""
    if word == wanted:
        return 3.0
    if word.startswith(wanted):
        return 2.0 + len(wanted) / max(len(word), 1)
    if len(wanted) >= 3 and wanted in word:
        return 1.5
    # A typo: rarely at both ends of the word (a cheap test before the costly one).
    close = abs(len(word) - len(wanted)) <= 2 and (word[0] == wanted[0] or word[-1] == wanted[-1])
    if len(wanted) >= 4 and close:
        matcher = SequenceMatcher(None, wanted, word)
        if matcher.real_quick_ratio() >= 0.8 and matcher.quick_ratio() >= 0.8:
            ratio = matcher.ratio()
            if ratio >= 0.8:
                return ratio
    return 0.0


def _hits(street: _Street, query: ParsedQuery, score: float) -> list[AddressHit]:
    assert street.point is not None
    lon, lat = street.point
    if query.number is None:
        return [AddressHit(street.name, None, lon, lat, score + 0.5)]
    found = street.numbers.get(query.number)
    if found is not None:
        written, nlon, nlat = found
        return [AddressHit(street.name, written, nlon, nlat, score + 1.0)]
    wanted = query.number_value
    out: list[AddressHit] = []
    if wanted is not None:
        candidates = []
        for written, nlon, nlat in street.numbers.values():
            value = _leading_int(written)
            if value is None:
                continue
            # The same side of the street first, then the nearest.
            candidates.append(((value - wanted) % 2 != 0, abs(value - wanted), written, nlon, nlat))
        if candidates:
            _other, gap, written, nlon, nlat = min(candidates)
            if gap == 0:  # « 12 » for « 12 bis »: the building, said so
                return [AddressHit(street.name, written, nlon, nlat, score + 0.9, query.number)]
            out.append(AddressHit(street.name, written, nlon, nlat, score + 0.4, query.number))
    out.append(AddressHit(street.name, None, lon, lat, score, query.number))
    return out
