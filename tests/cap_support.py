"""Builders of CAP 1.2 documents for the parser's tests (``tests/`` is on sys.path)."""

from __future__ import annotations

from csu_console.core.cap import CAP_NAMESPACE

SENDER = "vigilance@meteo.example"


def el(name: str, value: str | None) -> str:
    """An element with raw (unescaped) content; None leaves it out."""
    return "" if value is None else f"<{name}>{value}</{name}>"


def area(*geometry: str, desc: str | None = "Secteur nord") -> str:
    """One <area> with its description and raw geometry elements."""
    return "<area>" + el("areaDesc", desc) + "".join(geometry) + "</area>"


def polygon(text: str) -> str:
    return f"<polygon>{text}</polygon>"


def circle(text: str) -> str:
    return f"<circle>{text}</circle>"


def geocode(name: str, value: str) -> str:
    return f"<geocode><valueName>{name}</valueName><value>{value}</value></geocode>"


def info(
    *,
    language: str | None = "fr-FR",
    category: str | None = "Met",
    event: str | None = "Orages",
    urgency: str | None = None,
    severity: str | None = None,
    headline: str | None = None,
    description: str | None = None,
    effective: str | None = None,
    expires: str | None = None,
    parameters: tuple[tuple[str, str], ...] = (),
    resources: str = "",
    areas: str = "",
) -> str:
    """One CAP <info> block (elements in the schema's order)."""
    return (
        "<info>"
        + el("language", language)
        + el("category", category)
        + el("event", event)
        + el("urgency", urgency)
        + el("severity", severity)
        + el("certainty", "Likely")
        + el("effective", effective)
        + el("expires", expires)
        + el("headline", headline)
        + el("description", description)
        + "".join(
            f"<parameter>{el('valueName', n)}{el('value', v)}</parameter>" for n, v in parameters
        )
        + resources
        + areas
        + "</info>"
    )


def cap(
    *infos: str,
    identifier: str = "ID-1",
    sender: str = SENDER,
    sent: str = "2024-11-14T06:42:00+01:00",
    status: str | None = "Actual",
    msg_type: str | None = "Alert",
    scope: str | None = "Public",
    extra: str = "",
    prolog: str = "",
) -> str:
    """A CAP document; no ``infos`` → one default French block. ``extra`` goes after
    <scope> (restriction, addresses, note, references, incidents)."""
    blocks = "".join(infos) if infos else info()
    return (
        f'{prolog}<alert xmlns="{CAP_NAMESPACE}">'
        + el("identifier", identifier)
        + el("sender", sender)
        + el("sent", sent)
        + el("status", status)
        + el("msgType", msg_type)
        + el("scope", scope)
        + extra
        + blocks
        + "</alert>"
    )
