"""Small readers of CAP elements shared by the parser's modules."""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from csu_console.core import validate as v
from csu_console.core.cap.xmldoc import CAP_NAMESPACE

# XML whitespace only: str.strip()/split() would also eat U+0085 and the like.
XML_SPACE = " \t\r\n"
SPACES = re.compile(r"[ \t\r\n]+")
MAX_CODE = 100  # enumerated CAP values (status, urgency...)


def q(name: str) -> str:
    """The qualified tag of a CAP 1.2 element."""
    return f"{{{CAP_NAMESPACE}}}{name}"


def children(parent: Element, name: str) -> list[Element]:
    """The direct children ``name`` of ``parent``, in order."""
    tag = q(name)
    return [child for child in parent if child.tag == tag]


def text(element: Element) -> str:
    """The element's own text, XML-whitespace stripped."""
    return (element.text or "").strip(XML_SPACE)


def child_text(parent: Element, name: str) -> str | None:
    """Stripped text of the first child ``name`` ("" if empty), None if absent."""
    tag = q(name)
    for child in parent:
        if child.tag == tag:
            return text(child)
    return None


def cut(value: str, limit: int) -> str:
    """``value`` cut to ``limit`` characters, ending with "…" when cut."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def free_text(value: str | None, path: str, limit: int) -> str | None:
    """A free CAP text: cut to ``limit`` rather than refused; empty -> None.

    Control characters are refused (:func:`validate.check_text`), naming ``path``.
    """
    if not value:
        return None
    return v.check_text(cut(value, limit), path, limit)


def field(parent: Element, name: str, path: str, limit: int) -> str:
    """A CAP text child as :func:`free_text`, "" when absent or empty."""
    return free_text(child_text(parent, name), f"{path}.{name}", limit) or ""
