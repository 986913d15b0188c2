"""What a spoken alert says (French), and the speech settings (``[alarm] speak``)."""

from __future__ import annotations

from dataclasses import dataclass

from csu_console.core.alerts import CATEGORY_LABELS, PRIORITY_LABELS, Category

#: A sentence longer than this is cut (an address pasted twice, a long title).
MAX_CHARS = 240
#: What the phrase starts with, by priority (« Urgente : rixe, … »).
_LEADS = {1: "Urgente", 2: "Priorité haute", 3: "Priorité normale", 4: "Information"}


@dataclass(frozen=True)
class SpeechSettings:
    """``[alarm] speak``, ``speak_priorities``, ``voice``, ``speak_rate``."""

    enabled: bool = False
    priorities: tuple[int, ...] = (1,)
    voice: str = "fr"
    rate_wpm: int = 160


def spoken_text(
    priority: int, category: Category | str, place: str, escalated: bool = False
) -> str:
    """« Urgente : rixe, place de la Gare, secteur Gare » (place parts joined by commas).

    ``escalated``: « Toujours pas prise en compte. … » first, the escalation's words.
    """
    lead = _LEADS.get(priority, PRIORITY_LABELS.get(priority, "Alerte"))
    try:
        label = CATEGORY_LABELS[Category(category)]
    except ValueError:
        label = str(category).replace("_", " ")
    parts = [label.lower()] + [p.strip() for p in place.split(" – ") if p.strip()]
    text = f"{lead} : {', '.join(parts)}"
    if escalated:
        text = f"Alerte toujours pas prise en compte. {text}"
    return " ".join(text.split())[:MAX_CHARS]
