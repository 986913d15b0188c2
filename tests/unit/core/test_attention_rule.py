"""When a new alert may bring the console to the front (csu_console.core.attention):
never over the review or setup window being worked in, never during a drag or an
edit; always when the console is minimised or behind other programs."""

from __future__ import annotations

import pytest

from csu_console.core.attention import Attention, FocusState, Front, attention_for


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        # The console already has the keyboard: nothing to do.
        (FocusState(Front.CONSOLE), Attention.NONE),
        # The supervisor's review or the installer's setup window: notice, no raise,
        # even with the console minimised.
        (FocusState(Front.WORK), Attention.NOTIFY),
        (FocusState(Front.WORK, console_minimized=True), Attention.NOTIFY),
        (FocusState(Front.WORK, button_held=True), Attention.NOTIFY),
        # Minimised or behind other programs: raised.
        (FocusState(Front.ELSEWHERE), Attention.RAISE),
        (FocusState(Front.ELSEWHERE, console_minimized=True), Attention.RAISE),
        (FocusState(Front.CONSOLE, console_minimized=True), Attention.RAISE),
        # Never in the middle of a drag, an edit or a question, whatever window.
        (FocusState(Front.ELSEWHERE, button_held=True), Attention.NOTIFY),
        (FocusState(Front.ELSEWHERE, editing=True), Attention.NOTIFY),
        (FocusState(Front.ELSEWHERE, modal_open=True), Attention.NOTIFY),
        (FocusState(Front.ELSEWHERE, console_minimized=True, editing=True), Attention.NOTIFY),
    ],
)
def test_the_rule(state: FocusState, expected: Attention) -> None:
    assert attention_for(state) is expected
