"""Terms of report texts: accent-folded, lower-cased words and 2–3-word phrases,
without French stopwords nor the words of the report's own category.

Only the alert's title and description are read, on this machine; nothing is
stored or sent anywhere (``docs/weak_signals.md`` § Vie privée). A purged text
(empty, or a ``sha256:`` seal) gives no term.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from csu_console.core.alerts import CATEGORY_LABELS, Category

#: French stopwords, folded (no accents), plus words every report uses.
STOPWORDS = frozenset(
    [
        "a",
        "ai",
        "aie",
        "aient",
        "aies",
        "ait",
        "alors",
        "as",
        "au",
        "aucun",
        "aucune",
        "aupres",
        "auquel",
        "aura",
        "aurai",
        "auraient",
        "aurais",
        "aurait",
        "auras",
        "aurez",
        "auriez",
        "aurons",
        "auront",
        "aussi",
        "autre",
        "autres",
        "aux",
        "avaient",
        "avais",
        "avait",
        "avant",
        "avec",
        "avez",
        "aviez",
        "avions",
        "avoir",
        "avons",
        "ayant",
        "bien",
        "c",
        "ca",
        "car",
        "ce",
        "ceci",
        "cela",
        "celle",
        "celles",
        "celui",
        "cependant",
        "certain",
        "certaine",
        "ces",
        "cet",
        "cette",
        "ceux",
        "chacun",
        "chaque",
        "chez",
        "ci",
        "comme",
        "comment",
        "d",
        "dans",
        "de",
        "des",
        "deja",
        "depuis",
        "devant",
        "donc",
        "dont",
        "du",
        "elle",
        "elles",
        "en",
        "encore",
        "entre",
        "es",
        "est",
        "et",
        "etaient",
        "etais",
        "etait",
        "etant",
        "ete",
        "etes",
        "etiez",
        "etions",
        "etre",
        "eu",
        "eue",
        "eues",
        "eux",
        "faire",
        "fait",
        "fois",
        "font",
        "hors",
        "ici",
        "il",
        "ils",
        "j",
        "je",
        "jusqu",
        "l",
        "la",
        "laquelle",
        "le",
        "lequel",
        "les",
        "lesquels",
        "leur",
        "leurs",
        "lui",
        "m",
        "ma",
        "mais",
        "me",
        "meme",
        "memes",
        "mes",
        "moi",
        "mon",
        "n",
        "ne",
        "ni",
        "non",
        "nos",
        "notre",
        "nous",
        "on",
        "ont",
        "ou",
        "par",
        "parce",
        "pas",
        "peu",
        "peut",
        "plus",
        "plusieurs",
        "pour",
        "pourquoi",
        "pres",
        "puis",
        "qu",
        "quand",
        "que",
        "quel",
        "quelle",
        "quelles",
        "quels",
        "qui",
        "quoi",
        "s",
        "sa",
        "sans",
        "se",
        "selon",
        "ses",
        "si",
        "son",
        "sont",
        "sous",
        "suis",
        "sur",
        "t",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tous",
        "tout",
        "toute",
        "toutes",
        "tres",
        "tu",
        "un",
        "une",
        "unes",
        "uns",
        "va",
        "vers",
        "via",
        "voici",
        "voila",
        "vos",
        "votre",
        "vous",
        "vu",
        "y",
        "cet",
        "cette",
        "ceci",
        "celle",
        "deux",
        "trois",
        "quatre",
        "cinq",
        "six",
        "sept",
        "huit",
        "neuf",
        "dix",
        "heure",
        "heures",
        "h",
        "min",
        "minutes",
        "matin",
        "soir",
        "nuit",
        "hier",
        "aujourd",
        "aujourdhui",
        "hui",
        "merci",
        "svp",
        "bonjour",
        "signale",
        "signalee",
        "signalement",
        "signaler",
        "vient",
        "viens",
        "vu",
        "vue",
        "voir",
        "rue",
        "avenue",
        "place",
        "devant",
        "pres",
        "cote",
        "niveau",
    ]
)

_FOLD = {}
for _code in range(0x00C0, 0x0180):
    _ch = chr(_code)
    _base = "".join(c for c in unicodedata.normalize("NFKD", _ch) if not unicodedata.combining(c))
    if _base != _ch:
        _FOLD[_code] = _base
_FOLD.update({ord("œ"): "oe", ord("Œ"): "oe", ord("æ"): "ae", ord("Æ"): "ae", ord("’"): "'"})
_FOLD_TABLE = str.maketrans(_FOLD)
_WORD = re.compile(r"[a-z][a-z0-9]+")
SEAL_PREFIX = "sha256:"


def fold(text: str) -> str:
    """Lower case without accents (« Camionnette BLANCHE » → « camionnette blanche »)."""
    return text.translate(_FOLD_TABLE).lower()


def category_words(category: str) -> frozenset[str]:
    """The folded words of a category's code and French label (« demarchage »,
    « abusif »…): they say nothing a report's category does not already say."""
    words = set(_WORD.findall(fold(category.replace("_", " "))))
    try:
        label = CATEGORY_LABELS[Category(category)]
    except ValueError:
        label = ""
    words |= set(_WORD.findall(fold(label)))
    # The usual plural and feminine forms of those words.
    words |= {w + "s" for w in words} | {w + "e" for w in words} | {w + "es" for w in words}
    return frozenset(words)


def content_words(text: str, skip: frozenset[str] = frozenset()) -> list[str]:
    """The folded words of a text that carry meaning, in order (three letters or
    more, no stopword, no word of ``skip``, no number alone)."""
    if not text or text.startswith(SEAL_PREFIX):
        return []
    return [
        w for w in _WORD.findall(fold(text)) if len(w) >= 3 and w not in STOPWORDS and w not in skip
    ]


def terms(words: list[str], max_len: int = 3) -> set[str]:
    """The distinct terms of a report: its words and its 2-…``max_len``-word
    phrases (consecutive content words, stopwords left out: « sweat à capuche »
    → « sweat capuche »)."""
    out = set(words)
    n = len(words)
    for size in range(2, max_len + 1):
        for i in range(n - size + 1):
            phrase = words[i : i + size]
            if len(set(phrase)) == size:
                out.add(" ".join(phrase))
    return out


def report_terms(text: str, category: str, skip_cache: dict[str, frozenset[str]]) -> set[str]:
    """:func:`terms` of one report, without its category's words."""
    skip = skip_cache.get(category)
    if skip is None:
        skip = skip_cache[category] = category_words(category)
    return terms(content_words(text, skip))


def contains_term(longer: str, shorter: str) -> bool:
    """Is ``shorter`` a run of whole words of ``longer``?"""
    return f" {shorter} " in f" {longer} "


_ANY_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


def display_term(term: str, texts: Iterable[str]) -> str:
    """A folded term as the reports wrote it (accents back, lower case):
    « trottinette electrique orange » → « trottinette électrique orange »."""
    wanted = set(term.split())
    seen: dict[str, str] = {}
    for text in texts:
        for word in _ANY_WORD.findall(text.lower()):
            for part in word.split("-"):
                folded = fold(part)
                if folded in wanted:
                    seen.setdefault(folded, part)
        if len(seen) == len(wanted):
            break
    return " ".join(seen.get(w, w) for w in term.split())


def distinct(items: Iterable[str]) -> list[str]:
    """Items in first-seen order, without repeats."""
    return list(dict.fromkeys(items))
