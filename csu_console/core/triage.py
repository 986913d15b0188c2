"""Assisted triage: suggestions an operator accepts or refuses (Qt-free contract).

Local and explainable; **a human always decides**. A :class:`Suggestion` says what
it proposes and why, in French, with the words or figures that triggered it:

- ``DUPLICATE``: the same incident reported by two sources (a citizen, a CAP partner,
  a phone call), judged by distance, time and text similarity → merge the two.
- ``RAISE_PRIORITY``: urgency cues in a citizen text (arme, couteau, blessé, sang,
  enfant, feu, fumée, agression…) → a higher priority.
- ``LOWER_PRIORITY``: a likely low-relevance report → a lower priority.

Accepting applies it (a merge through the shared groups, a priority change through
the alert's state) and refusing changes nothing; both are logged
(``EventKind.TRIAGE_ACCEPTED`` / ``TRIAGE_REFUSED``). Its ``id`` is stable, so a
refused suggestion is not proposed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

AlertKey = tuple[str, str]


class SuggestionKind(StrEnum):
    DUPLICATE = "doublon"
    RAISE_PRIORITY = "priorite_haussee"
    LOWER_PRIORITY = "priorite_baissee"


SUGGESTION_LABELS: dict[SuggestionKind, str] = {
    SuggestionKind.DUPLICATE: "Doublon probable",
    SuggestionKind.RAISE_PRIORITY: "Priorité à relever",
    SuggestionKind.LOWER_PRIORITY: "Pertinence faible",
}


@dataclass(frozen=True)
class Suggestion:
    id: str  # stable: kind + alert key(s)
    kind: SuggestionKind
    alert: AlertKey  # the alert the suggestion is about
    reason: str  # plain French: « même lieu (35 m), 4 min d'écart, textes proches (0,72) »
    other: AlertKey | None = None  # DUPLICATE: the alert to merge with
    priority: int | None = None  # RAISE/LOWER: the proposed priority
    words: tuple[str, ...] = ()  # the words that triggered it (highlighted in the UI)
    score: float = 0.0  # 0..1, how sure; sorts the suggestions
