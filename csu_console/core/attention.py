"""Whether a new alert may bring the console to the front (Qt-free, pure).

A new alert must break the operator's routine: the console comes to the front
when it is minimised or behind other programs. It must not steal the work of a
supervisor in the review window or of an installer in the setup window (a click
meant for the review selected an alert; an installer's drag and « Enregistrer »
were lost): there the alarm still sounds, and a flashing notice inside that window
leads to the console. Nor is the console raised in the middle of a drag or an
edit, whichever window it is in.

The Qt side (``ui/console/attention.py``) reads the screen into a
:class:`FocusState`; :func:`attention_for` decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Front(StrEnum):
    """Which of our windows has the keyboard."""

    CONSOLE = "console"  # the console, or one of its dialogs (login, dispatch…)
    WORK = "work"  # the review or setup window, or one of their dialogs
    ELSEWHERE = "elsewhere"  # another program, nothing, or another window of ours


class Attention(StrEnum):
    """What to do for a new alert, besides the sound and the console's banner."""

    NONE = "none"  # the console is already in front
    RAISE = "raise"  # bring the console to the front (restore it when minimised)
    NOTIFY = "notify"  # leave the window in front alone: its notice shows the alert


@dataclass(frozen=True)
class FocusState:
    """The screen when a new alert rings.

    ``button_held``: a mouse button is down in one of our windows (a drag);
    ``editing``: a text field of a window other than the console has the keyboard;
    ``modal_open``: a modal dialog of a window other than the console is open.
    """

    front: Front
    console_minimized: bool = False
    button_held: bool = False
    editing: bool = False
    modal_open: bool = False


def attention_for(state: FocusState) -> Attention:
    """The rule: see the module docstring."""
    if state.front is Front.CONSOLE and not state.console_minimized:
        return Attention.NONE
    if state.front is Front.WORK or state.button_held or state.editing or state.modal_open:
        return Attention.NOTIFY
    return Attention.RAISE
