"""The alert queue model: a Qt view of the station's alert book (core/alert_book.py),
most urgent and newest first, fed by committed batches.

Incoming alerts are buffered and merged on a timer, so a storm of thousands of
alerts costs one re-layout per tick instead of one per alert. While the operator
points at the queue or answers an action's dialog, the merge is *held*: rows do
not move under the pointer; ``held_back`` says how many alerts wait, and they join
the queue (at the storm's pace) when the last hold is released.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import cast
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)

from csu_console.core.alert_book import AlertBook, Run, Viewer
from csu_console.core.alerts import (
    AlertState,
    StoredAlert,
)
from csu_console.core.cap_alarm import REVISING_KINDS
from csu_console.core.grouping import Grouper
from csu_console.core.intake import Outcome
from csu_console.core.states import Claim
from csu_console.core.territory import Territory
from csu_console.ui.console.alert_badges import BADGE_ROLE
from csu_console.ui.console.alert_cells import COLUMNS, RowTexts, RowView

log = logging.getLogger("csu.ui")

REFRESH_MS = 100
#: At most this many alerts join the queue per tick (a storm shows ≈ 5,000 a
#: second, in steps the GUI can paint between).
MERGE_MAX = 500
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_USER = int(Qt.ItemDataRole.UserRole.value)
_DECORATION = int(Qt.ItemDataRole.DecorationRole.value)
_CATEGORY_COLUMN = COLUMNS.index("category")
_TITLE_COLUMN = COLUMNS.index("title")
_STATE_COLUMN = COLUMNS.index("state")
_Index = QModelIndex | QPersistentModelIndex
#: What Qt hands to ``multiData``: the roles asked for one cell.
RoleSpan = QModelRoleDataSpan | QModelRoleData


_NCOLUMNS = len(COLUMNS)
#: More separate places than this in one merge: one relayout instead of insertions.
MAX_INSERT_RUNS = 32
#: Closed rows kept in the queue (the « Clôturées » filter), newest first; older
#: ones are let go every :data:`RETIRE_EVERY_MS` (the database keeps them all):
#: a console running round the clock holds its open alerts and the latest closed
#: ones, not every alert of its life.
KEEP_CLOSED = 1000
RETIRE_EVERY_MS = 60_000


class AlertTableModel(QAbstractTableModel):
    """Alerts for the queue: a view of the station's :class:`AlertBook`.

    The book (Qt-free) holds the alerts, groups, states, holders and marks; this
    model maps its rows to Qt's, formats the cells, paces the merges on a timer and
    announces every change to the views.
    """

    alerts_added = Signal(list)  # newly stored alerts, once merged
    counts_changed = Signal()
    held_back = Signal(int)  # alerts waiting while the queue is held (0: none)
    #: Reports whose group changed (list[StoredAlert]): their row came or went with
    #: a change of groups, or they went straight into a group decided after they
    #: rang alone. The alarm rings them as their group now.
    regrouped = Signal(list)
    #: Closed reports let go of (list[StoredAlert], :meth:`retire_closed`).
    alerts_retired = Signal(list)

    def __init__(
        self,
        tz: ZoneInfo,
        parent: QObject | None = None,
        *,
        grouper: Grouper | None = None,
        zone_namer: Callable[[float, float], str | None] | None = None,
        book: AlertBook | None = None,
        station: str | None = None,
        territory: Territory | None = None,
        communes: Iterable[str] = (),
    ) -> None:
        super().__init__(parent)
        self.book = (
            book
            if book is not None
            else AlertBook(grouper, territory=territory, preferred=communes)
        )
        self.cells = RowTexts(self.book, tz, zone_namer, station)
        self._views: dict[int, RowView] = {}  # what data() returns, built on first paint
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._on_tick)
        #: Row pks never let go whatever their age (the operator's selection).
        self.spare: Callable[[], Iterable[int]] = tuple
        self.keep_closed = KEEP_CLOSED
        self._retire_timer = QTimer(self)
        self._retire_timer.setInterval(RETIRE_EVERY_MS)
        self._retire_timer.timeout.connect(self.retire_closed)
        self._stopped = False
        self._headers = (
            self.tr("Priorité"),
            self.tr("Catégorie"),
            self.tr("Titre"),
            self.tr("Commune"),
            self.tr("Secteur"),  # « Secteur Gare – 3 place de la Gare »
            self.tr("Signalé à"),
            self.tr("Reçu à"),
            self.tr("État"),
        )

    @property
    def grouper(self) -> Grouper | None:
        """The grouping rule (None: one row per report)."""
        return self.book.grouper

    @property
    def rejected_count(self) -> int:
        """Frames rejected since the start (the counts line)."""
        return self.book.rejected_count

    @rejected_count.setter
    def rejected_count(self, n: int) -> None:
        self.book.rejected_count = n

    # -- feeding ------------------------------------------------------------

    def start_retiring(self, every_ms: int = RETIRE_EVERY_MS) -> None:
        """Let go of old closed rows every ``every_ms`` (:meth:`retire_closed`): a
        console's queue, for weeks on end."""
        self._retire_timer.start(every_ms)

    def stop(self) -> None:
        """The console is stopping: no more merges (nor the writes they cause, such as
        the first-display log), no more letting go; what arrives late is in the
        database and shows at the next start."""
        self._stopped = True
        self._timer.stop()
        self._retire_timer.stop()

    @Slot(object)
    def on_frames_committed(self, outcomes: list[Outcome]) -> None:
        """Queue new alerts for the next repaint tick; an issuer's Update or Cancel
        changes its row at once (same pk)."""
        if self._stopped:
            return
        self.book.receive(outcomes)
        revised = [o.stored for o in outcomes if o.kind in REVISING_KINDS and o.stored]
        if revised:
            self.revise(revised)
        if not self._timer.isActive():
            self._timer.start()

    def revise(self, items: list[StoredAlert]) -> None:
        """Rows whose issuer updated or cancelled them, or that expired: shown with
        their new content and marks; a changed priority moves the row (not while
        the rows are held: then when they are released)."""
        shown = {pk for item in items if (pk := self.book.revise(item)) is not None}
        if self.book.unsorted and not self.book.is_held():
            self._relayout([])
        if shown:
            self._refresh_many(shown)
            self.counts_changed.emit()

    def update_unseen(self, pk: int) -> bool:
        """The issuer's last Update of this row was not looked at yet."""
        return self.book.update_unseen(pk)

    def mark_seen(self, pk: int) -> None:
        """The operator looked at the row of ``pk``: « MISE À JOUR » is no longer
        emphasised."""
        if self.book.mark_seen(pk):
            self._refresh(self.book.leader_pk(pk))

    def load(self, alerts: list[StoredAlert]) -> None:
        """Initial content at start (from the database)."""
        self.book.queue(alerts)
        self._merge_incoming()

    def group_key(self, item: StoredAlert) -> tuple[str, str]:
        """The key of the group ``item`` belongs to (its own key when alone)."""
        return self.book.group_key(item)

    def apply_stored(self, new: StoredAlert) -> None:
        """A report changed (state, holder): show it, wherever it is (row or group)."""
        shown = self.book.apply_stored(new)
        if shown is not None:
            self._refresh(shown)
        elif self.book.incoming and not self._timer.isActive() and not self._stopped:
            self._timer.start()  # a closed alert let go, reopened elsewhere: back

    def apply_claim(self, pk: int, claim: Claim) -> None:
        """Set the state and holder of one report."""
        shown = self.book.apply_claim(pk, claim)
        if shown is not None:
            self._refresh(shown)

    def mark_escalated(self, pk: int) -> None:
        """Show that an urgent alert went unanswered and was escalated."""
        self.book.mark_escalated(pk)
        self._refresh(pk)

    def is_escalated(self, pk: int) -> bool:
        """Whether the alert (group leader) was escalated."""
        return self.book.is_escalated(pk)

    def set_viewing(self, station: str, operator: str, key: tuple[str, str] | None) -> None:
        """Another station looks at ``key`` now (None: at nothing): its mark moves."""
        changed = self.book.set_viewing(station, operator, key)
        if changed:
            self._refresh_many(changed)

    def viewers(self, pk: int) -> list[Viewer]:
        """Other stations looking at the row of ``pk``."""
        return self.book.viewers(pk)

    def refresh_rows(self, pks: set[int]) -> None:
        """Rows whose marks changed outside the book (the triage's): painted again."""
        self._refresh_many(pks)

    def _refresh_many(self, pks: set[int]) -> None:
        """Like :meth:`_refresh` for many rows, with one row lookup pass (storms)."""
        for pk in pks:
            self._views.pop(pk, None)
        last = len(COLUMNS) - 1
        rows = [row for row, item in enumerate(self.book.rows) if item.pk in pks]
        # One signal per run of neighbouring rows: each one costs the filter proxy
        # and the view a pass.
        start = 0
        for i in range(1, len(rows) + 1):
            if i == len(rows) or rows[i] != rows[i - 1] + 1:
                self.dataChanged.emit(self.index(rows[start], 0), self.index(rows[i - 1], last))
                start = i

    def _refresh(self, pk: int) -> None:
        self._views.pop(pk, None)
        row = self.row_of(pk)
        if row >= 0:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        self.counts_changed.emit()

    def merge_now(self) -> None:
        """Show what is waiting for the next repaint tick right away."""
        if self.book.incoming:
            self._timer.stop()
            self._merge_incoming()
        if self.book.is_held():
            self.held_back.emit(0)

    def ensure_merged(self, pk: int) -> None:
        """Make report ``pk`` findable (an action on the banner's alert may come
        before the next tick), without moving held rows for an alert already shown."""
        if not self.book.is_held() or (self.alert_by_pk(self.leader_pk(pk)) is None):
            self.merge_now()

    def set_preferred(self, on: bool) -> None:
        """The station's communes first in each priority (``on``), or all alike (a
        supervisor); the rows move now, or when the last hold is released."""
        if self.book.set_preferred(on) and not self.book.is_held():
            self._relayout([])

    # -- holding the order ----------------------------------------------------

    def hold(self, reason: str) -> None:
        """Rows stay where they are until every hold is released (new alerts wait)."""
        self.book.hold(reason)

    def release(self, reason: str) -> None:
        """End one hold; the last one lets the waiting alerts in, at the storm's pace."""
        if self.book.release(reason):
            self.held_back.emit(0)
            if self.book.unsorted:
                self._relayout([])
            if self.book.pending_regroup:
                self.regroup(set())
            if self.book.incoming and not self._timer.isActive() and not self._stopped:
                self._on_tick()

    def is_held(self) -> bool:
        """True while rows must not move."""
        return self.book.is_held()

    @Slot()
    def _on_tick(self) -> None:
        """Merge at most :data:`MERGE_MAX` alerts; a storm's rest waits one more tick."""
        if self.book.is_held() and self.rowCount() > 0:
            # Nothing moves; the next batch (or the release) comes back here. An empty
            # queue has no row to move: a pointer resting there since the start (the
            # console opened under it) must not keep the first alerts out.
            self.held_back.emit(self.book.pending_merge())
            return
        self._merge_incoming(MERGE_MAX)
        if self.book.incoming:
            self._timer.start()

    def _merge_incoming(self, limit: int | None = None) -> None:
        merge = self.book.take_incoming(limit)
        if merge.grown:
            self._refresh_many(merge.grown)
        if merge.joined:
            self.regrouped.emit(merge.joined)
        if not merge.fresh:
            self.counts_changed.emit()
            return
        self._insert_sorted(merge.fresh)
        self.alerts_added.emit(merge.fresh)
        if merge.regroup:
            self.regroup(merge.regroup, now=True)
        self.counts_changed.emit()

    def regroup(self, keys: set[tuple[str, str]], *, now: bool = False) -> None:
        """The groups changed (a merge, a split, the hub's decision): move the
        reports of ``keys``. While rows are held (another station's change under
        the operator's pointer) it waits for the release; ``now``: the operator's
        own action, shown at once."""
        book = self.book
        if book.is_held() and self.rowCount() > 0 and not now:
            book.pending_regroup |= keys
            return
        keys = keys | book.pending_regroup
        book.pending_regroup = set()
        plan = book.plan_regroup(keys)
        moved = list(plan.fresh)
        for row in reversed(plan.rows):  # from the bottom: the rows above stay valid
            self.beginRemoveRows(QModelIndex(), row, row)
            item = book.drop_row(row)
            self.endRemoveRows()
            self._views.pop(item.pk, None)
            moved.append(item)
        if plan.fresh:
            self._insert_sorted(plan.fresh)
        if plan.grown:
            self._refresh_many(plan.grown)
        if plan:
            self.counts_changed.emit()
        if moved:
            self.regrouped.emit(moved)

    @Slot()
    def retire_closed(self) -> list[StoredAlert]:
        """Let go of the closed rows past :attr:`keep_closed` (never while rows are
        held: nothing moves under the operator's pointer); the reports let go."""
        book = self.book
        if book.is_held():
            return []
        rows = book.retirable(self.keep_closed, self.spare())
        gone: list[StoredAlert] = []
        while rows:  # contiguous runs, from the bottom: the rows above stay valid
            last = first = rows.pop()
            while rows and rows[-1] == first - 1:
                first = rows.pop()
            self.beginRemoveRows(QModelIndex(), first, last)
            for row in range(last, first - 1, -1):
                reports = book.retire_row(row)
                self._views.pop(reports[0].pk, None)
                gone += reports
            self.endRemoveRows()
        book.forget_groups(gone)
        if gone:
            log.info(
                "file : %d alerte(s) clôturée(s) retirée(s) de la mémoire (%d gardées)",
                len(gone),
                self.keep_closed,
            )
            self.alerts_retired.emit(gone)
            self.counts_changed.emit()
        return gone

    def _insert_sorted(self, fresh: list[StoredAlert]) -> None:
        """Insert ``fresh`` at their sorted places, as row insertions.

        Row insertions let the filter proxy test only the new rows; a layout
        change made it re-test every row (a Python call each) on every tick of a
        storm, and the queue's next paint waited for it.
        """
        runs = self.book.insertion_runs(fresh)
        # An unusual order (a restore), or rows a revision moved: one relayout.
        if len(runs) > MAX_INSERT_RUNS or self.book.unsorted:
            self._relayout(runs)
            return
        for run in reversed(runs):  # from the bottom: earlier places stay valid
            at = run[0]
            self.beginInsertRows(QModelIndex(), at, at + len(run[1]) - 1)
            self.book.insert_run(run)
            self.endInsertRows()

    def _relayout(self, runs: list[Run]) -> None:
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        rows = self.book.rows
        old_pks = [rows[i.row()].pk if i.isValid() else None for i in old_persistent]
        self.book.resort(runs)
        self.book.unsorted = False
        row_of = {a.pk: r for r, a in enumerate(self.book.rows)} if old_persistent else {}
        new_persistent = [
            self.index(row_of[pk], i.column()) if pk is not None else QModelIndex()
            for i, pk in zip(old_persistent, old_pks, strict=True)
        ]
        self.changePersistentIndexList(old_persistent, new_persistent)
        self.layoutChanged.emit()

    # -- queries (the book's) -------------------------------------------------

    def alert_at(self, row: int) -> StoredAlert | None:
        """The alert shown on ``row``."""
        return self.book.alert_at(row)

    def members(self, pk: int) -> list[StoredAlert]:
        """Every report of the group led by ``pk`` (the leader first)."""
        return self.book.members(pk)

    def report_count(self) -> int:
        """Reports shown, grouped ones included."""
        return self.book.report_count()

    def group_size(self, pk: int) -> int:
        """How many reports the row of ``pk`` stands for."""
        return self.book.group_size(pk)

    def by_key(self, key: tuple[str, str]) -> StoredAlert | None:
        """A report (row or group member) by (source, id)."""
        return self.book.by_key(key)

    def leader_pk(self, pk: int) -> int:
        """The row that shows report ``pk`` (itself unless grouped)."""
        return self.book.leader_pk(pk)

    def alert_by_pk(self, pk: int) -> StoredAlert | None:
        """The alert with this row id, if shown."""
        return self.book.alert_by_pk(pk)

    def row_of(self, pk: int) -> int:
        """Row of an alert, or -1."""
        return self.book.row_of(pk)

    def count_in_state(self, state: AlertState) -> int:
        """How many alerts are in ``state``."""
        return self.book.count_in_state(state)

    def pending_merge(self) -> int:
        """Alerts received but not yet shown (waiting for the next tick)."""
        return self.book.pending_merge()

    # -- Qt model -----------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        # Qt's own index() asks rowCount() and columnCount(): two Python calls (two
        # waits for the GIL) per cell of every paint, through the filter proxy too.
        if parent.isValid() or not (0 <= row < len(self.book.rows) and 0 <= column < _NCOLUMNS):
            return QModelIndex()
        return self.createIndex(row, column)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.book.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = _DISPLAY) -> object:
        return self.value(index.row(), index.column(), role)

    def multiData(self, index: _Index, roleDataSpan: RoleSpan) -> None:
        self.fill_roles(index.row(), index.column(), roleDataSpan)

    def fill_roles(self, row: int, column: int, span: RoleSpan) -> None:
        """Every role a view asks for one cell, in one call.

        Qt's views ask for the roles of a cell through ``multiData``: one Python
        call (one wait for the GIL) per cell instead of one per role. In a storm,
        with the link's reader and the storage thread busy in this process, each
        wait could last milliseconds and a repaint of the queue took 60–85 ms.
        """
        value = self.value
        # A span is a sequence at run time (the type stubs do not say so).
        cells = [span] if isinstance(span, QModelRoleData) else cast(Sequence[QModelRoleData], span)
        for role_data in cells:
            found = value(row, column, role_data.role())
            if found is None:
                role_data.clearData()
            else:
                role_data.setData(found)

    def value(self, row: int, column: int, role: int) -> object:
        """The value of one role of one cell (None: nothing)."""
        # Called for every role of every visible cell on each paint:
        # keep it to a dict lookup and a tuple index.
        item = self.book.rows[row]
        view = self._views.get(item.pk)
        if view is None:
            view = self._views[item.pk] = self.cells.view(item)
        if role == _DISPLAY:
            return view[0][column]
        if column == 0:
            if role == _BACKGROUND:
                return view[1]
            if role == _FOREGROUND:
                return view[2]
            if role == _DECORATION:
                return view[8]
            if role == _TOOLTIP:
                return view[9]
        if column == _STATE_COLUMN:
            if role == _TOOLTIP:
                return view[6]
            if role == _FOREGROUND:
                return view[7]
        if column == _TITLE_COLUMN:
            if role == _FONT:
                return view[12]
            if role == BADGE_ROLE:
                return view[10] or None
        if role == _FONT:
            return view[3]
        if role == _FOREGROUND:
            return view[11]  # a withdrawn alert's grey (None: the palette's)
        if role == _DECORATION and column == _CATEGORY_COLUMN:
            return view[5]
        if role == _TOOLTIP:
            return view[4] if column == _TITLE_COLUMN else view[13][column]
        if role == _USER:
            return item
        return None

    def place_text(self, item: StoredAlert) -> str:
        """Address, secteur and commune (or « hors territoire », « sans localisation »)."""
        return self.cells.place(item)
