"""The chef de salle's notice of new weak signals: a discreet, clickable badge in the
console's status bar (« 2 nouveaux signaux faibles »). No sound, no banner, no
flashing: a weak signal builds up over days, it does not ring like an alert.
Shown only to those who may open the screen (``Permission.WEAK_SIGNALS``).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QPushButton, QWidget

from csu_console.core.roles import Permission
from csu_console.ui.console.session import Session

_STYLE = (
    "QPushButton#signalsBadge { border: 1px solid #8d6e63; border-radius: 9px;"
    " padding: 1px 10px; color: #ffe0b2; background: #4e342e; }"
)


class SignalsBadge(QPushButton):
    """« N nouveaux signaux faibles », hidden at zero and for other roles."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signalsBadge")
        self.setFlat(True)
        self.setStyleSheet(_STYLE)
        self.setToolTip(self.tr("Ouvrir l'écran « Signaux faibles »"))
        self.session = session
        self.pending: set[str] = set()
        session.changed.connect(self._update)
        self._update()

    @property
    def count(self) -> int:
        return len(self.pending)

    def add(self, ids: Iterable[str]) -> None:
        """Signals a scan found for the first time."""
        self.pending.update(ids)
        self._update()

    def clear(self) -> None:
        """The supervisor opened the screen: they have seen them."""
        self.pending.clear()
        self._update()

    def _update(self, _account: object = None) -> None:
        n = self.count
        if n == 1:
            self.setText(self.tr("1 nouveau signal faible"))
        else:
            self.setText(self.tr("{n} nouveaux signaux faibles").format(n=n))
        self.setVisible(n > 0 and self.session.allowed(Permission.WEAK_SIGNALS))
