"""Reading citizens' texts for the assisted triage (Qt-free, no model, no network).

Everything here is plain and explainable: accent-folded words, a small list of
urgency cues with their French inflections, the negations that cancel them
(« pas de blessé », « personne n'est blessé »), and two similarities an operator
can check by eye (shared words, shared three-letter pieces).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case without accents: « Blessé À » → « blesse a »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Token:
    """A word of a text: as written, folded, and where it is."""

    text: str
    folded: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """The words of ``text`` (letters or digits), folded, with their spans."""
    return list(_tokens(text))


@functools.lru_cache(maxsize=20_000)
def _tokens(text: str) -> tuple[Token, ...]:
    # Each recompute of the triage reads the same open reports' texts again.
    return tuple(
        Token(m.group(), fold(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)
    )


#: Words that carry no meaning for similarity (folded).
_STOPWORDS_TEXT = """
a au aux avec ce ces cet cette d de des du elle elles en et est il ils j je l la le
les leur lui m ma mais me mes moi mon n ne ni nos notre nous on ou par pas pour qu que
qui s sa se ses si son sur t ta te tes toi ton tu un une vos votre vous y c ca ete etre
ont sont suis sommes fait faire tres plus moins ici bas dans chez
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


def stem(word: str) -> str:
    """A light French stem: plural and feminine endings dropped (« blessées » → « bless »)."""
    for suffix in ("ees", "es", "ee", "s", "x", "e"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> frozenset[str]:
    """The stems of the meaningful words of ``text`` (stop words and 1-letter words out)."""
    return frozenset(
        stem(t.folded) for t in tokens(text) if len(t.folded) > 1 and t.folded not in STOPWORDS
    )


def trigrams(text: str) -> frozenset[str]:
    """Three-letter pieces of the folded meaningful words (each padded with spaces)."""
    grams: set[str] = set()
    for t in tokens(text):
        if len(t.folded) < 2 or t.folded in STOPWORDS:
            continue
        padded = f" {t.folded} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a ∩ b| / |a ∪ b| (0 when both are empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class TextSketch:
    """What the similarity of two texts needs, computed once per text."""

    words: frozenset[str]
    grams: frozenset[str]

    @classmethod
    def of(cls, text: str) -> TextSketch:
        return cls(content_words(text), trigrams(text))


def similarity(a: TextSketch, b: TextSketch) -> float:
    """0..1: the better of shared words (Jaccard of stems) and shared three-letter
    pieces (Jaccard of trigrams, which forgives typos and inflections)."""
    return max(jaccard(a.words, b.words), jaccard(a.grams, b.grams))


# -- urgency cues -------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """An urgency cue: the folded forms that trigger it and the priority it asks."""

    name: str
    forms: re.Pattern[str]
    priority: int


def _cue(name: str, pattern: str, priority: int) -> Cue:
    return Cue(name, re.compile(rf"^(?:{pattern})$"), priority)


#: The cues, on folded words, with their inflections. « enfant » or « fumée » alone
#: ask for a high priority (2); the others for an urgent one (1).
CUES: tuple[Cue, ...] = (
    _cue("arme", r"armes?|armee?s?|pistolets?|revolvers?|fusils?|machettes?", 1),
    _cue("couteau", r"couteaux?|cutters?|lames?|poignards?", 1),
    _cue("blessé", r"blesse(?:e|s|es)?|blessures?|blesser|inconscients?|inconsciente?s?", 1),
    _cue("sang", r"sang|saigne(?:nt)?|saignant(?:e|s|es)?|ensanglante(?:e|s|es)?", 1),
    _cue("feu", r"feu|feux|flammes?|incendies?|brule(?:nt)?|embrase(?:e|s|es)?", 1),
    _cue(
        "agression",
        r"agressions?|agresse(?:e|s|es|nt|r)?|agresseurs?|frappe(?:e|s|es|nt|r)?|tabasse(?:e|s|es|nt)?|coups?",
        1,
    ),
    _cue("fumée", r"fumees?|enfume(?:e|s|es)?", 2),
    _cue("enfant", r"enfants?|bebes?|nourrissons?|mineure?s?|gamine?s?", 2),
)

#: Folded words that negate a cue within the three words before it.
NEGATIONS = frozenset({"pas", "aucun", "aucune", "sans", "ni", "n", "ne", "jamais", "zero"})
#: A cue followed by one of these is not urgent (« feu rouge », « feu d'artifice »).
_HARMLESS_AFTER: dict[str, frozenset[str]] = {
    "feu": frozenset({"rouge", "vert", "orange", "tricolore", "tricolores", "artifice"}),
    "feux": frozenset({"rouges", "verts", "tricolores", "artifice", "artifices"}),
    "coup": frozenset({"oeil", "fil", "telephone", "main", "pouce"}),
    "coups": frozenset({"oeil", "fil", "telephone", "main", "pouce"}),
}
_NEGATION_SPAN = 3


@dataclass(frozen=True)
class CueHit:
    """A cue found in a text: which, the word as written, and its span."""

    cue: Cue
    word: str
    start: int
    end: int


def _negated(words: Sequence[Token], i: int) -> bool:
    """A negation in the three words before word ``i``, with no « mais » between."""
    for j in range(i - 1, max(-1, i - 1 - _NEGATION_SPAN), -1):
        w = words[j].folded
        if w == "mais":
            return False
        if w in NEGATIONS:
            return True
    return False


def _harmless(words: Sequence[Token], i: int) -> bool:
    follow = _HARMLESS_AFTER.get(words[i].folded)
    if not follow:
        return False
    # « feu d'artifice »: skip one short word (d, de, du).
    for j in range(i + 1, min(len(words), i + 3)):
        w = words[j].folded
        if w in follow:
            return True
        if w not in ("d", "de", "du", "l"):
            return False
    return False


def urgency_cues(text: str) -> tuple[list[CueHit], list[CueHit]]:
    """The cues of ``text`` that count, and those a negation cancelled (to say so)."""
    words = tokens(text)
    found: list[CueHit] = []
    negated: list[CueHit] = []
    for i, w in enumerate(words):
        for cue in CUES:
            if cue.forms.match(w.folded):
                if _harmless(words, i):
                    break
                hit = CueHit(cue, w.text, w.start, w.end)
                (negated if _negated(words, i) else found).append(hit)
                break
    return found, negated


def cue_priority(hits: Iterable[CueHit]) -> int | None:
    """The priority the cues ask: the most urgent one; two different cues, one of them
    a child, make it urgent (« enfant » + « fumée »). None without a cue."""
    hits = list(hits)
    if not hits:
        return None
    best = min(h.cue.priority for h in hits)
    names = {h.cue.name for h in hits}
    if len(names) >= 2 and "enfant" in names:
        best = 1
    return best


# -- low relevance --------------------------------------------------------------------

_TEST_WORDS = frozenset({"test", "tests", "essai", "essais", "testing", "bidon", "ignorer"})
_KEYBOARD_RUNS = ("azert", "qwert", "qsdf", "asdf", "wxcv", "zxcv", "uiop", "hjkl", "jklm")
_REPEAT = re.compile(r"(.)\1{3,}")
_VOWELS = frozenset("aeiouy")


def test_words(text: str) -> list[str]:
    """The words that say the report is a test (« test », « essai »), as written."""
    return [t.text for t in tokens(text) if t.folded in _TEST_WORDS]


def is_nonsense(text: str) -> bool:
    """Keyboard mashing or letters without words: « qsdfqsdf », « aaaaaa », « xkcd zzkq »."""
    words = [t.folded for t in tokens(text) if not t.folded.isdigit()]
    if not words:
        return False  # empty: said apart
    meaningful = 0
    for w in words:
        if _REPEAT.search(w) or any(run in w for run in _KEYBOARD_RUNS):
            continue
        if len(w) >= 4 and sum(c in _VOWELS for c in w) / len(w) < 0.2:
            continue
        if len(w) >= 2 and any(c in _VOWELS for c in w):
            meaningful += 1
    return meaningful == 0


def has_words(text: str) -> bool:
    """At least one word of two letters or more."""
    return any(len(t.folded) >= 2 and not t.folded.isdigit() for t in tokens(text))


def spans_of(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """Where the given words (compared folded) stand in ``text``: for highlighting."""
    wanted = {fold(w) for w in words}
    return [(t.start, t.end) for t in tokens(text) if t.folded in wanted]
