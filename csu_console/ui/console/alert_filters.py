"""Queue filters (state, category, priority; commune, secteur, the station's communes):
a proxy model and the bars that drive it."""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    QTimer,
    Slot,
)
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from csu_console.core.alerts import CATEGORY_LABELS, PRIORITY_LABELS, AlertState, Category
from csu_console.core.roles import Role
from csu_console.ui.console.alert_model import AlertTableModel, RoleSpan
from csu_console.ui.labels import tr_label
from csu_console.ui.theme import current

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
#: The commune filter's choice for alerts outside every commune.
OUTSIDE = "__hors_territoire__"


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
        self.commune: str | None = None  # a Commune.key, or OUTSIDE
        self.secteur: str | None = None  # a zone id of the secteur zoning
        self.only_mine = False  # the station's communes (and outside every commune)

    @property
    def source(self) -> AlertTableModel:
        return self._source

    def set_place_filters(self, commune: str | None, secteur: str | None, only_mine: bool) -> None:
        """Show one commune (:data:`OUTSIDE`: outside every commune), one secteur,
        only the station's communes; None / False: no such filter."""
        self.beginFilterChange()
        self.commune, self.secteur, self.only_mine = commune, secteur, only_mine
        self.endFilterChange()

    def is_filtering(self) -> bool:
        """True when anything but the default (the open alerts) is chosen."""
        return (
            self.states != STATE_FILTERS["open"]
            or self.category is not None
            or self.priority is not None
            or self.hide_withdrawn
            or self.commune is not None
            or self.secteur is not None
            or self.only_mine
        )

    def hidden_open_count(self) -> int:
        """Open alerts (rows) that the filters hide."""
        if not self.is_filtering():
            return 0
        model = self._source
        open_states = STATE_FILTERS["open"]
        assert open_states is not None
        accepts, root = self.filterAcceptsRow, QModelIndex()
        return sum(
            1
            for row in range(model.rowCount())
            if (item := model.alert_at(row)) is not None
            and item.state in open_states
            and not accepts(row, root)
        )

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
        if not (
            (self.states is None or item.state in self.states)
            and (self.category is None or a.category is self.category)
            and (self.priority is None or a.priority == self.priority)
            and not (self.hide_withdrawn and item.issuer_state is not None)
        ):
            return False
        places = self._source.book.places
        if places is None or (self.commune is None and self.secteur is None and not self.only_mine):
            return True
        if self.only_mine and not places.is_mine(item.pk):
            return False
        if self.commune is not None:
            key = places.commune_key(item.pk)
            if key != (None if self.commune == OUTSIDE else self.commune):
                return False
        return self.secteur is None or self.secteur in places.get(item.pk).zone_ids


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

    def reset(self) -> None:
        """Open alerts, every category and priority."""
        for box in (self.category_box, self.priority_box):
            box.setCurrentIndex(0)
        self.state_box.setCurrentIndex(self.state_box.findData("open"))

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


#: How often, at most, the count of alerts hidden by the filters is computed (ms).
HIDDEN_COUNT_MS = 300


class PlaceFilterBar(QWidget):
    """The queue's second filter row: commune, secteur, « Seulement mes communes », how
    many open alerts the filters hide, and one click to show everything again.

    Operator safety: these filters only change what the list shows. The alarm, the
    banner and the escalation follow the model, not the list: every alert still rings.
    The row is hidden when the site draws no zones.
    """

    def __init__(
        self, proxy: AlertFilterProxy, filters: FilterBar, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._proxy = proxy
        self._filters = filters
        self._source = proxy.source
        places = self._source.book.places
        self.commune_box = QComboBox(self)
        self.commune_box.setToolTip(self.tr("Commune de l'alerte, d'après sa position"))
        self.secteur_box = QComboBox(self)
        self.secteur_box.setToolTip(self.tr("Secteur de l'alerte, d'après sa position"))
        self.mine_box = QCheckBox(self.tr("Seulement mes communes"), self)
        self.hidden_label = QLabel(self)
        self.hidden_label.setStyleSheet(
            f"color: {current().warn_text}; font-weight: bold; padding: 0 6px;"
        )
        self.hidden_label.setMinimumWidth(1)  # never widens the window: cut, tooltip whole
        self.clear_button = QPushButton(self.tr("Tout afficher"), self)
        self.clear_button.setToolTip(
            self.tr("Effacer tous les filtres : alertes ouvertes de toutes les communes")
        )
        self.clear_button.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Lieu :"), self))
        for box, chars in ((self.commune_box, 26), (self.secteur_box, 18)):
            # Whole when there is room; never a reason for a wider window (the
            # explicit minimum wins over the contents' length).
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(chars)
            box.setMinimumWidth(box.fontMetrics().horizontalAdvance("M" * 6) + 40)
            layout.addWidget(box)
        # Its text whole when there is room; cut (tooltip) rather than widening.
        self.mine_box.setMinimumWidth(self.mine_box.fontMetrics().horizontalAdvance("M" * 5))
        layout.addWidget(self.mine_box)
        layout.addWidget(self.hidden_label, 1)
        layout.addWidget(self.clear_button)
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(HIDDEN_COUNT_MS)
        self._count_timer.timeout.connect(self.update_hidden)
        if places is None:
            self.hide()
        else:
            self.commune_box.addItem(self.tr("Toutes communes"), None)
            for commune in places.territory.communes:
                self.commune_box.addItem(commune.label, commune.key)
            self.commune_box.addItem(self.tr("Hors territoire"), OUTSIDE)
            self._fill_secteurs()
            mine = [c for c in places.territory.communes if c.key in places.preferred]
            self.mine_box.setVisible(bool(mine))
            self.mine_box.setToolTip(
                self.tr(
                    "Ne montrer que les alertes de : {communes} (et celles hors territoire, "
                    "jamais masquées). L'alarme sonne pour toutes les alertes."
                ).format(communes=", ".join(c.label for c in mine))
            )
            self.commune_box.currentIndexChanged.connect(self._on_commune_changed)
            self.secteur_box.currentIndexChanged.connect(self._apply)
            self.mine_box.toggled.connect(self._apply)
        for signal in (
            self._source.rowsInserted,
            self._source.rowsRemoved,
            self._source.dataChanged,
            self._source.layoutChanged,
            self._source.modelReset,
            proxy.layoutChanged,
            proxy.rowsInserted,
            proxy.rowsRemoved,
        ):
            signal.connect(self._schedule_count)
        self.update_hidden()

    def _fill_secteurs(self) -> None:
        """The secteurs of the chosen commune (all without one); keeps the choice."""
        places = self._source.book.places
        assert places is not None
        chosen = self.secteur_box.currentData()
        commune = self.commune_box.currentData()
        self.secteur_box.blockSignals(True)
        self.secteur_box.clear()
        self.secteur_box.addItem(self.tr("Tous secteurs"), None)
        zoning = places.secteur_zoning
        for zone in places.territory.zones_of(zoning) if zoning else ():
            if commune in (None, zone.commune.key):
                self.secteur_box.addItem(zone.name, zone.id)
        self.secteur_box.setCurrentIndex(max(0, self.secteur_box.findData(chosen)))
        self.secteur_box.blockSignals(False)

    @Slot()
    def _on_commune_changed(self) -> None:
        self._fill_secteurs()
        self._apply()

    @Slot()
    def _apply(self) -> None:
        commune = self.commune_box.currentData()
        self._proxy.set_place_filters(
            commune if isinstance(commune, str) else None,
            self.secteur_box.currentData(),
            self.mine_box.isVisible() and self.mine_box.isChecked(),
        )
        self.update_hidden()

    @Slot()
    def clear(self) -> None:
        """Every filter back to its default: the open alerts of every commune."""
        for box in (self.commune_box, self.secteur_box):
            box.setCurrentIndex(0)
        self.mine_box.setChecked(False)
        self._filters.reset()
        self.update_hidden()

    def set_role(self, role: Role | None) -> None:
        """Who is logged in: a supervisor (the chef de salle) sees every commune alike
        and not only this station's; an operator sees the station's first."""
        supervisor = role is Role.SUPERVISEUR
        if supervisor:
            self.mine_box.setChecked(False)
        self._source.set_preferred(not supervisor)

    @Slot()
    def _schedule_count(self) -> None:
        if not self._count_timer.isActive():
            self._count_timer.start()

    @Slot()
    def update_hidden(self) -> None:
        """« 3 alertes masquées par le filtre »: open alerts the list does not show."""
        hidden = self._proxy.hidden_open_count()
        self.hidden_label.setText(
            (
                self.tr("1 alerte masquée par le filtre")
                if hidden == 1
                else self.tr("{n} alertes masquées par le filtre").format(n=hidden)
            )
            if hidden
            else ""
        )
        self.hidden_label.setToolTip(
            self.tr(
                "Alertes ouvertes que les filtres ne montrent pas. Elles sonnent et "
                "s'affichent dans le bandeau comme les autres."
            )
            if hidden
            else ""
        )
        self.clear_button.setEnabled(hidden > 0 or self._proxy.is_filtering())
        self.hidden_count = hidden
