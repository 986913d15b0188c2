from __future__ import annotations

from csu_console.ui.setup.window import SetupWindow


def test_window_opens_with_the_site(window: SetupWindow) -> None:
    assert len(window.model.cameras) == len(window.cameras_overlay.items) > 0
    assert window.model.shown_zoning == "secteur_pm"
