"""Queue filters (state, category, priority): a proxy model and the bar that drives it."""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Slot,
)
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from csu_console.core.alerts import CATEGORY_LABELS, PRIORITY_LABELS, AlertState, Category
from csu_console.ui.console.alert_model import AlertTableModel, RoleSpan
from csu_console.ui.labels import tr_label

#: state filter choices: id -> states shown (None: all)
STATE_FILTERS: dict[str, frozenset[AlertState] | None] = {
    "open": frozenset({AlertState.NEW, AlertState.ACKNOWLEDGED, AlertState.DISPATCHED}),
    # Open, without what partners cancelled or what expired (see WITHDRAWN_HIDDEN).
    "live": frozenset({AlertState.NEW, AlertState.ACKNOWLEDGED, AlertState.DISPATCHED}),
    "new": frozenset({AlertState.NEW}),
    "in_progress": frozenset({AlertState.ACKNOWLEDGED, AlertState.DISPATCHED}),
    "closed": frozenset({AlertState.CLOSED}),
    "all": None,
}
#: State choices that also hide alerts cancelled by their issuer or expired.
WITHDRAWN_HIDDEN = frozenset({"live"})


class AlertFilterProxy(QSortFilterProxyModel):
    """Keeps the source order (most urgent, newest first) and hides what is filtered."""

    def __init__(self, source: AlertTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self._source = source
        self.states: frozenset[AlertState] | None = STATE_FILTERS["open"]
        self.category: Category | None = None
        self.priority: int | None = None
        self.hide_withdrawn = False  # cancelled by their issuer, expired

    def set_filters(
        self,
        states: frozenset[AlertState] | None,
        category: Category | None,
        priority: int | None,
        hide_withdrawn: bool = False,
    ) -> None:
        """Apply a new set of filters."""
        self.beginFilterChange()
        self.states, self.category, self.priority = states, category, priority
        self.hide_withdrawn = hide_withdrawn
        self.endFilterChange()

    def multiData(self, index: QModelIndex | QPersistentModelIndex, roleDataSpan: RoleSpan) -> None:
        # A proxy would answer multiData with one Python data() call per role: map
        # the cell and let the model fill every role in one call (see fill_roles).
        source = self.mapToSource(index)
        self._source.fill_roles(source.row(), source.column(), roleDataSpan)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        item = self._source.alert_at(source_row)
        if item is None:
            return False
        a = item.alert
        return (
            (self.states is None or item.state in self.states)
            and (self.category is None or a.category is self.category)
            and (self.priority is None or a.priority == self.priority)
            and not (self.hide_withdrawn and item.issuer_state is not None)
        )


class FilterBar(QWidget):
    """Three combo boxes; French labels, the operator's vocabulary."""

    def __init__(self, proxy: AlertFilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._proxy = proxy
        self.state_box = QComboBox(self)
        for key, label in (
            ("open", self.tr("Alertes ouvertes")),
            ("live", self.tr("Ouvertes, sans annulées ni expirées")),
            ("new", self.tr("Non prises en compte")),
            ("in_progress", self.tr("En cours")),
            ("closed", self.tr("Clôturées")),
            ("all", self.tr("Toutes")),
        ):
            self.state_box.addItem(label, key)
        self.category_box = QComboBox(self)
        self.category_box.addItem(self.tr("Toutes catégories"), None)
        for cat in Category:
            self.category_box.addItem(tr_label(CATEGORY_LABELS[cat]), cat.value)
        self.priority_box = QComboBox(self)
        self.priority_box.addItem(self.tr("Toutes priorités"), None)
        for prio, label in PRIORITY_LABELS.items():
            self.priority_box.addItem(f"{prio} – {tr_label(label)}", prio)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Afficher :"), self))
        for box in (self.state_box, self.category_box, self.priority_box):
            # As wide as its longest choice when there is room, but it may shrink (its
            # text then cut): a large [ui] scale must not push the window past the screen.
            box.setMinimumWidth(box.fontMetrics().horizontalAdvance("M" * 6) + 40)
            layout.addWidget(box)
            box.currentIndexChanged.connect(self._apply)
        layout.addStretch(1)

    @Slot()
    def _apply(self) -> None:
        cat = self.category_box.currentData()
        state = str(self.state_box.currentData())
        self._proxy.set_filters(
            STATE_FILTERS[state],
            Category(cat) if cat else None,
            self.priority_box.currentData(),
            state in WITHDRAWN_HIDDEN,
        )
