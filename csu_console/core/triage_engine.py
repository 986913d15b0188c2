"""The assisted triage's engine: suggestions for the open alerts (Qt-free).

It reads the station's alerts (open and recently closed) and proposes, each with
its reason in plain French and the figures behind it
(:class:`~csu_console.core.triage.Suggestion`):

- **likely duplicates** the automatic grouping missed (it only groups one
  category within 150 m and 15 min): two open reports in different groups, judged
  by distance (less the positions' stated accuracy), time apart, text similarity
  (:mod:`~csu_console.core.triage_text`) and category compatibility. Sources are
  named by :func:`source_kind` (a citizen's app, a CAP partner, a phone call);
- **urgency cues** in a report's text (arme, couteau, blessé, sang, enfant, feu,
  fumée, agression…, their inflections; a negated cue does not count) → a higher
  priority, with the words;
- **likely low relevance** (a test text, no text at all, keyboard mashing, far
  outside the territory, the repeat of a report already closed) → priority 4.

Nothing is applied here: a person accepts or refuses. A suggestion's ``id`` is
stable (its kind and the alerts' keys), so what was refused — or accepted — is
never proposed again (the ids come from the logged events at start).
"""

from __future__ import annotations

import heapq
import logging
import math
from collections import deque
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from operator import itemgetter

from csu_console.core.alerts import (
    CATEGORY_LABELS,
    PRIORITY_MAX,
    AlertState,
    Category,
    StoredAlert,
)
from csu_console.core.geo import haversine_m
from csu_console.core.triage import AlertKey, Suggestion, SuggestionKind
from csu_console.core.triage_text import (
    TextSketch,
    cue_priority,
    has_words,
    is_nonsense,
    similarity,
    test_words,
    urgency_cues,
)

log = logging.getLogger("csu.triage")

_M_PER_DEG_LAT = 111_320.0
#: A placed report in the duplicates' sweep: time, x and y (m), accuracy taken, group.
_Placed = tuple[float, float, float, float, AlertKey, StoredAlert]
#: How far apart two reports of one incident may be (after the accuracies).
DUPLICATE_RADIUS_M = 400.0
#: How far apart in time.
DUPLICATE_WINDOW = timedelta(minutes=30)
#: A report is compared with at most this many earlier ones (the latest received
#: near it): a storm in one street must not cost every pair of reports.
MAX_CANDIDATES = 40
#: A pair is proposed from this score on (0..1).
DUPLICATE_MIN_SCORE = 0.55
#: Accuracy taken into account at most (a 5 km « accuracy » says nothing).
MAX_ACCURACY_M = 300.0
#: Beyond this distance from the territory's outline, a report is « hors territoire ».
OUTSIDE_M = 2000.0
#: A report repeats a closed one when it comes this soon after it…
REPEAT_WINDOW = timedelta(hours=24)
#: … this close to it, with texts at least this similar.
REPEAT_RADIUS_M = 100.0
REPEAT_MIN_TEXT = 0.5

#: Categories that may describe the same incident (a fire seen as smoke, a fight
#: seen as a suspicious behaviour or an accident…).
_FAMILIES: tuple[frozenset[Category], ...] = (
    frozenset(
        {
            Category.INCENDIE,
            Category.FEU_DE_FORET,
            Category.RISQUE_TECHNOLOGIQUE,
            Category.POLLUTION,
            Category.ALERTE_POPULATION,
        }
    ),
    frozenset({Category.RIXE, Category.COMPORTEMENT_SUSPECT, Category.ACCIDENT}),
    frozenset(
        {
            Category.CAMBRIOLAGE,
            Category.COMPORTEMENT_SUSPECT,
            Category.DEGRADATION,
            Category.DEMARCHAGE_ABUSIF,
        }
    ),
    frozenset({Category.INONDATION, Category.METEO, Category.ALERTE_POPULATION}),
    frozenset({Category.ACCIDENT, Category.INCENDIE}),
)


def category_compatibility(a: Category, b: Category) -> float:
    """1 the same, 0.7 of one family, 0.6 when one is « autre », else 0.2."""
    if a is b:
        return 1.0
    if Category.AUTRE in (a, b):
        return 0.6
    if any(a in f and b in f for f in _FAMILIES):
        return 0.7
    return 0.2


def source_kind(item: StoredAlert) -> str:
    """How the report came, in French: « CAP » (a partner), « appel » (a phone call
    entered as an alert), « citoyen » (the citizen app), « console » (raised here)."""
    a = item.alert
    name = a.source.casefold()
    if a.fmt == "cap":
        return "CAP"
    if any(w in name for w in ("appel", "phone", "tel", "17", "standard")):
        return "appel"
    if item.seq is None:
        return "console"
    return "citoyen"


def fr_number(x: float, digits: int = 2) -> str:
    """« 0,72 » (a French decimal comma)."""
    return f"{x:.{digits}f}".replace(".", ",")


def fr_distance(m: float) -> str:
    """« 35 m », « 1,2 km »."""
    return f"{m:.0f} m" if m < 1000 else f"{fr_number(m / 1000, 1)} km"


def fr_minutes(seconds: float) -> str:
    """« 4 min », « moins d'une minute », « 1 h 05 »."""
    minutes = round(seconds / 60)
    if minutes < 1:
        return "moins d'une minute"
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d}"


def suggestion_id(kind: SuggestionKind, *keys: AlertKey) -> str:
    """Stable: the kind and the alerts' keys (a pair in key order)."""
    return kind.value + ":" + "|".join(f"{s}/{i}" for s, i in sorted(keys))


def text_of(item: StoredAlert) -> str:
    """What the report says: its title and its description."""
    a = item.alert
    return f"{a.title}\n{a.description}".strip()


#: The source name of a phone call written in the main courante (not an alert).
CALL_SOURCE = "main-courante"


def call_key(station: str, event_pk: int) -> AlertKey:
    """The key a main courante call goes by in a suggestion (never an alert's)."""
    return (CALL_SOURCE, f"{station}:{event_pk}")


@dataclass(frozen=True)
class CallReport:
    """A phone call an operator wrote in the main courante (« Appel reçu ») with a
    place clicked on the map, not tied to an alert yet."""

    key: AlertKey
    pk: int  # its event
    at: datetime
    lon: float
    lat: float
    text: str
    place: str = ""


#: A call clicked on the map is about this precise (m).
CALL_ACCURACY_M = 50.0


@dataclass(frozen=True)
class Bounds:
    """The territory's outline as a box (lon/lat), for « hors territoire »."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    @classmethod
    def around(cls, points: Iterable[tuple[float, float]]) -> Bounds | None:
        """The box of ``(lon, lat)`` points (None when there are none)."""
        pts = list(points)
        if not pts:
            return None
        lons = [p[0] for p in pts]
        lats = [p[1] for p in pts]
        return cls(min(lons), min(lats), max(lons), max(lats))

    def distance_m(self, lon: float, lat: float) -> float:
        """0 inside, else the distance to the box's nearest point."""
        clon = min(max(lon, self.min_lon), self.max_lon)
        clat = min(max(lat, self.min_lat), self.max_lat)
        if clon == lon and clat == lat:
            return 0.0
        return haversine_m(lon, lat, clon, clat)


@dataclass
class TriageEngine:
    """Computes the suggestions; keeps each text's sketch by (pk, version)."""

    bounds: Bounds | None = None
    radius_m: float = DUPLICATE_RADIUS_M
    window: timedelta = DUPLICATE_WINDOW
    _sketches: dict[tuple[int, int], TextSketch] = field(default_factory=dict)
    #: Each pair's verdict by (pk, version) of both reports: a recompute over the
    #: same open reports costs lookups, not text comparisons.
    _pairs: dict[tuple[int, int, int, int], Suggestion | None] = field(default_factory=dict)

    def sketch(self, item: StoredAlert) -> TextSketch:
        key = (item.pk, item.version)
        found = self._sketches.get(key)
        if found is None:
            if len(self._sketches) > 20_000:
                self._sketches.clear()
            found = self._sketches[key] = TextSketch.of(text_of(item))
        return found

    def suggest(
        self,
        alerts: Sequence[StoredAlert],
        group_of: Callable[[StoredAlert], AlertKey],
        done: Collection[str] = (),
        calls: Sequence[CallReport] = (),
    ) -> list[Suggestion]:
        """Suggestions for the open reports of ``alerts`` (closed ones are read for
        repeats), best first; none whose id is in ``done`` (refused or accepted).

        ``group_of`` gives a report's group key: reports already grouped together
        are never proposed as duplicates. ``calls`` are the main courante's phone
        calls: one that is likely an open alert's incident is proposed too (to tie
        the call to the alert).
        """
        open_ = [a for a in alerts if a.state is not AlertState.CLOSED and a.issuer_state is None]
        closed = [a for a in alerts if a.state is AlertState.CLOSED]
        groups = {a.alert.key: group_of(a) for a in open_}
        sizes: dict[AlertKey, int] = {}
        for g in groups.values():
            sizes[g] = sizes.get(g, 0) + 1
        out: list[Suggestion] = []
        raised: set[AlertKey] = set()
        for item in open_:
            s = self._raise(item)
            if s is not None:
                raised.add(item.alert.key)
                out.append(s)
        for item in open_:
            if item.alert.key in raised or sizes.get(groups[item.alert.key], 1) > 1:
                continue  # a report others confirmed is not « peu pertinent »
            s = self._lower(item, closed)
            if s is not None:
                out.append(s)
        out.extend(self._duplicates(open_, groups, done))
        out.extend(self._calls(open_, calls))
        kept = [s for s in out if s.id not in done]
        kept.sort(key=lambda s: (-s.score, s.id))
        self._forget_gone(alerts)
        return kept

    def _forget_gone(self, alerts: Sequence[StoredAlert]) -> None:
        """Drop the sketches and verdicts of reports no longer in the queue (closed
        ones let go, older versions), once they outnumber the queue's: the caches
        follow the queue, not everything seen since the start."""
        if len(self._sketches) <= 2 * len(alerts) + 256:
            return
        current = {(a.pk, a.version) for a in alerts}
        self._sketches = {k: v for k, v in self._sketches.items() if k in current}
        self._pairs = {
            k: v for k, v in self._pairs.items() if k[:2] in current and k[2:] in current
        }

    # -- urgency --------------------------------------------------------------

    def _raise(self, item: StoredAlert) -> Suggestion | None:
        if item.alert.fmt == "cap":
            return None  # a partner set its own severity
        found, negated = urgency_cues(text_of(item))
        wanted = cue_priority(found)
        if wanted is None or wanted >= item.alert.priority:
            return None
        words = tuple(dict.fromkeys(h.word for h in found))
        quoted = ", ".join(f"« {w} »" for w in words)
        reason = f"mots d'urgence : {quoted} → priorité {wanted}"
        if negated:
            reason += " (non compté : " + ", ".join(f"« {h.word} »" for h in negated) + ")"
        score = min(1.0, 0.6 + 0.1 * len(words) + 0.1 * (item.alert.priority - wanted))
        return Suggestion(
            suggestion_id(SuggestionKind.RAISE_PRIORITY, item.alert.key),
            SuggestionKind.RAISE_PRIORITY,
            item.alert.key,
            reason,
            priority=wanted,
            words=words,
            score=score,
        )

    # -- low relevance ----------------------------------------------------------

    def _lower(self, item: StoredAlert, closed: Sequence[StoredAlert]) -> Suggestion | None:
        a = item.alert
        if a.priority >= PRIORITY_MAX or a.fmt == "cap":
            return None
        text = text_of(item)
        reason, score = "", 0.0
        words: tuple[str, ...] = ()
        tests = test_words(text)
        if tests:
            reason = "texte d'essai (" + ", ".join(f"« {w} »" for w in tests) + ")"
            words, score = tuple(dict.fromkeys(tests)), 0.8
        elif not has_words(text) and a.category is Category.AUTRE and not a.attachments:
            reason, score = "aucun texte, catégorie « Autre »", 0.6
        elif has_words(text) and is_nonsense(text):
            reason, score = "texte sans mots lisibles", 0.6
        elif a.location is not None and self.bounds is not None:
            far = self.bounds.distance_m(a.location.lon, a.location.lat)
            if far > OUTSIDE_M:
                reason, score = f"hors du territoire ({fr_distance(far)})", 0.7
        if not reason:
            repeat = self._repeat(item, closed)
            if repeat is None:
                return None
            reason, score = repeat
        return Suggestion(
            suggestion_id(SuggestionKind.LOWER_PRIORITY, a.key),
            SuggestionKind.LOWER_PRIORITY,
            a.key,
            reason + f" → priorité {PRIORITY_MAX}",
            priority=PRIORITY_MAX,
            words=words,
            score=score,
        )

    def _repeat(self, item: StoredAlert, closed: Sequence[StoredAlert]) -> tuple[str, float] | None:
        """The closed report this one repeats (same category, place and words)."""
        a = item.alert
        if a.location is None:
            return None
        best: tuple[float, StoredAlert, float] | None = None
        mine = self.sketch(item)
        for old in closed:
            o = old.alert
            if o.category is not a.category or o.location is None:
                continue
            gap = item.received_at - old.received_at
            if not timedelta(0) < gap <= REPEAT_WINDOW:
                continue
            d = haversine_m(a.location.lon, a.location.lat, o.location.lon, o.location.lat)
            if d > REPEAT_RADIUS_M:
                continue
            sim = similarity(mine, self.sketch(old))
            if sim >= REPEAT_MIN_TEXT and (best is None or sim > best[0]):
                best = (sim, old, d)
        if best is None:
            return None
        sim, old, d = best
        return (
            f"répète le signalement n° {old.pk} déjà clôturé (même lieu, {fr_distance(d)}, "
            f"textes proches {fr_number(sim)})",
            0.5 + 0.3 * sim,
        )

    # -- duplicates -------------------------------------------------------------

    def _duplicates(
        self,
        open_: Sequence[StoredAlert],
        groups: dict[AlertKey, AlertKey],
        done: Collection[str] = (),
    ) -> list[Suggestion]:
        """Pairs within the window and the radius: reports in time order, each
        compared with the earlier ones of its grid cell and the eight around it (a
        cell is as wide as the farthest pair can be), those past the window dropped."""
        placed = sorted(
            (a for a in open_ if a.alert.location is not None), key=lambda a: a.received_at
        )
        if not placed:
            return []
        window_s = self.window.total_seconds()
        size = self.radius_m + 2 * MAX_ACCURACY_M
        first = placed[0].alert.location
        assert first is not None
        kx = _M_PER_DEG_LAT * max(math.cos(math.radians(first.lat)), 0.01) / size
        ky = _M_PER_DEG_LAT / size
        mx = _M_PER_DEG_LAT * max(math.cos(math.radians(first.lat)), 0.01)
        # A flat-earth test first (city scale), the great circle only for the pairs
        # it lets through.
        cells: dict[tuple[int, int], deque[_Placed]] = {}
        out: list[Suggestion] = []
        reach = self.radius_m * 1.01 + 1.0
        for b in placed:
            loc = b.alert.location
            assert loc is not None
            tb = b.received_at.timestamp()
            xb, yb = loc.lon * mx, loc.lat * _M_PER_DEG_LAT
            accb = min(loc.accuracy_m or 0.0, MAX_ACCURACY_M)
            gb = groups[b.alert.key]
            cx, cy = math.floor(loc.lon * kx), math.floor(loc.lat * ky)
            near: list[_Placed] = []
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    cell = cells.get((cx + dx, cy + dy))
                    if not cell:
                        continue
                    while cell and tb - cell[0][0] > window_s:
                        cell.popleft()  # times only grow: never needed again
                    # Newest first, and only so many per cell: a storm in one street
                    # costs a bounded look-back per report, not every earlier one.
                    for looked, placed_a in enumerate(reversed(cell)):
                        if looked >= 4 * MAX_CANDIDATES:
                            break
                        _ta, xa, ya, acca, ga, _a = placed_a
                        far = reach + acca + accb
                        ex, ey = xa - xb, ya - yb
                        if ga != gb and ex * ex + ey * ey <= far * far:
                            near.append(placed_a)
            if len(near) > MAX_CANDIDATES:
                near = heapq.nlargest(MAX_CANDIDATES, near, key=itemgetter(0))
            # One proposal per report, its likeliest twin: the operator merges one
            # pair at a time, and every other pair would only repeat it.
            best: Suggestion | None = None
            for placed_a in near:
                s = self._cached_pair(placed_a[5], b)
                if s is not None and s.id not in done and (best is None or s.score > best.score):
                    best = s
            if best is not None:
                out.append(best)
            cells.setdefault((cx, cy), deque()).append((tb, xb, yb, accb, gb, b))
        return out

    def _calls(self, open_: Sequence[StoredAlert], calls: Sequence[CallReport]) -> list[Suggestion]:
        """Each call with the open alert most likely to be its incident, if any."""
        out: list[Suggestion] = []
        window_s = self.window.total_seconds()
        for call in calls:
            sketch = TextSketch.of(f"{call.place}\n{call.text}")
            best: tuple[float, Suggestion] | None = None
            for item in open_:
                loc = item.alert.location
                if loc is None:
                    continue
                dt = abs((item.received_at - call.at).total_seconds())
                if dt > window_s or abs(loc.lat - call.lat) * _M_PER_DEG_LAT > 2000:
                    continue
                d = haversine_m(loc.lon, loc.lat, call.lon, call.lat)
                slack = min(loc.accuracy_m or 0.0, MAX_ACCURACY_M) + CALL_ACCURACY_M
                d_eff = max(0.0, d - slack)
                if d_eff > self.radius_m:
                    continue
                text = similarity(self.sketch(item), sketch)
                if text < 0.25:
                    continue  # a call's category is unknown: its words must agree
                score = (
                    0.3 * (1.0 - d_eff / self.radius_m)
                    + 0.2 * (1.0 - dt / window_s)
                    + 0.3 * min(1.0, text / 0.6)
                    + 0.2 * 0.6
                )
                if score < DUPLICATE_MIN_SCORE or (best is not None and score <= best[0]):
                    continue
                reason = (
                    f"avec l'appel reçu (main courante n° {call.pk}) : "
                    + ("même lieu" if d_eff <= 100 else "lieux proches")
                    + f" ({fr_distance(d)}), {fr_minutes(dt)} d'écart, "
                    f"textes proches ({fr_number(text)}), sources {source_kind(item)} / appel"
                )
                s = Suggestion(
                    suggestion_id(SuggestionKind.DUPLICATE, item.alert.key, call.key),
                    SuggestionKind.DUPLICATE,
                    item.alert.key,
                    reason,
                    other=call.key,
                    score=round(min(1.0, score), 3),
                )
                best = (score, s)
            if best is not None:
                out.append(best[1])
        return out

    def _cached_pair(self, a: StoredAlert, b: StoredAlert) -> Suggestion | None:
        key = (a.pk, a.version, b.pk, b.version)
        if key in self._pairs:
            return self._pairs[key]
        if len(self._pairs) > 200_000:
            self._pairs.clear()
        found = self._pairs[key] = self._pair(a, b)
        return found

    def _pair(self, a: StoredAlert, b: StoredAlert) -> Suggestion | None:
        """``b`` (the later) and ``a`` as one incident, or None."""
        la, lb = a.alert.location, b.alert.location
        assert la is not None and lb is not None
        # Quick box test before the great circle (≈ 111 km per degree of latitude).
        if abs(la.lat - lb.lat) * 111_000 > self.radius_m + 2 * MAX_ACCURACY_M:
            return None
        d = haversine_m(la.lon, la.lat, lb.lon, lb.lat)
        slack = min(la.accuracy_m or 0.0, MAX_ACCURACY_M) + min(
            lb.accuracy_m or 0.0, MAX_ACCURACY_M
        )
        d_eff = max(0.0, d - slack)
        if d_eff > self.radius_m:
            return None
        dt = abs((b.received_at - a.received_at).total_seconds())
        cat = category_compatibility(a.alert.category, b.alert.category)
        text = similarity(self.sketch(a), self.sketch(b))
        s_d = 1.0 - d_eff / self.radius_m
        s_t = 1.0 - dt / self.window.total_seconds()
        if text < 0.25 and not (cat >= 0.7 and d_eff <= 100.0):
            return None
        score = 0.3 * s_d + 0.2 * s_t + 0.3 * min(1.0, text / 0.6) + 0.2 * cat
        if score < DUPLICATE_MIN_SCORE:
            return None
        kinds = (source_kind(a), source_kind(b))
        parts = [
            f"même lieu ({fr_distance(d)})"
            if d_eff <= 100
            else f"lieux proches ({fr_distance(d)})",
            f"{fr_minutes(dt)} d'écart",
            f"textes proches ({fr_number(text)})"
            if text >= 0.25
            else f"textes ({fr_number(text)})",
        ]
        if a.alert.category is not b.alert.category:
            parts.append(
                f"catégories {CATEGORY_LABELS[a.alert.category]} / "
                f"{CATEGORY_LABELS[b.alert.category]}"
            )
        if kinds[0] != kinds[1]:
            parts.append(f"sources {kinds[0]} / {kinds[1]}")
        reason = f"avec le n° {a.pk} : " + ", ".join(parts)
        return Suggestion(
            suggestion_id(SuggestionKind.DUPLICATE, a.alert.key, b.alert.key),
            SuggestionKind.DUPLICATE,
            b.alert.key,
            reason,
            other=a.alert.key,
            score=round(min(1.0, score), 3),
        )


def is_call(key: AlertKey | None) -> bool:
    """The key names a main courante call, not an alert."""
    return key is not None and key[0] == CALL_SOURCE


def involves(s: Suggestion, keys: Collection[AlertKey]) -> bool:
    """The suggestion is about one of ``keys`` (its alert, or the other of a pair)."""
    return s.alert in keys or (s.other is not None and s.other in keys)
