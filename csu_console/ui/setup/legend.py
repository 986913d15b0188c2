"""What the selected camera's handles do, in their colours (for the status bar)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from csu_console.ui.setup.camera_items import FOV_COLOR, HEADING_COLOR, RANGE_COLOR


class HandleLegend(QLabel):
    """« Poignées : ● orientation ◆ angle de champ ■ portée »."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        parts = [
            (HEADING_COLOR, "●", self.tr("orientation")),
            (FOV_COLOR, "◆", self.tr("angle de champ")),
            (RANGE_COLOR, "■", self.tr("portée")),
        ]
        items = " &nbsp; ".join(
            f"<span style='color:{color}; font-size:15pt'>{mark}</span> {text}"
            for color, mark, text in parts
        )
        self.setText(self.tr("Poignées : ") + items)
