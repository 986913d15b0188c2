"""Free viewing in the station's SQLite (migration 12): saved wall layouts, tours and
the browser's favourite cameras, each by station.

Mixed into :class:`~csu_console.storage.store.Store`. Saving a layout writes its
``layout_saved`` event in the same transaction (who, which grid, which cameras);
deleting one writes the same kind with ``"deleted": true`` (the main courante
says a layout is gone, and by whom). Rows that do not read back as a valid layout
or tour (a hand-edited database) are skipped with a warning, never raised.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from contextlib import AbstractContextManager
from datetime import UTC, datetime, tzinfo

from csu_console.core.logbook import EventKind
from csu_console.core.viewing import Tour, ViewingError, WallLayout
from csu_console.storage.codec import iso
from csu_console.storage.logbook import NewEvent, append_events

log = logging.getLogger("csu.viewing")


class ViewingMixin:
    """Layouts, tours and favourites of one station."""

    conn: sqlite3.Connection
    tz: tzinfo | None

    def _transaction(self) -> AbstractContextManager[sqlite3.Cursor]:
        raise NotImplementedError

    # layouts ------------------------------------------------------------------
    def save_layout(self, station: str, layout: WallLayout, operator: str | None) -> None:
        """Keep ``layout`` under its name (an existing one is replaced), logged."""
        now = datetime.now(UTC)
        with self._transaction() as cur:
            cur.execute(
                "INSERT OR REPLACE INTO wall_layouts (station, name, columns, cameras,"
                " saved_at, saved_by) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    station,
                    layout.name,
                    layout.columns,
                    json.dumps(list(layout.cameras)),
                    iso(now),
                    operator,
                ),
            )
            details = {
                "name": layout.name,
                "columns": layout.columns,
                "cameras": [c for c in layout.cameras if c],
            }
            event = NewEvent(EventKind.LAYOUT_SAVED.value, now, None, station, operator, details)
            append_events(cur, [event], self.tz)

    def delete_layout(self, station: str, name: str, operator: str | None) -> bool:
        """Forget the layout ``name``; False when there was none (nothing logged)."""
        now = datetime.now(UTC)
        with self._transaction() as cur:
            cur.execute("DELETE FROM wall_layouts WHERE station = ? AND name = ?", (station, name))
            if cur.rowcount != 1:
                return False
            details = {"name": name, "deleted": True}
            event = NewEvent(EventKind.LAYOUT_SAVED.value, now, None, station, operator, details)
            append_events(cur, [event], self.tz)
        return True

    def layouts(self, station: str) -> list[WallLayout]:
        """The station's layouts, by name."""
        rows = self.conn.execute(
            "SELECT name, columns, cameras FROM wall_layouts WHERE station = ? ORDER BY name",
            (station,),
        ).fetchall()
        out = []
        for name, columns, cameras in rows:
            try:
                ids = json.loads(cameras)
                out.append(WallLayout(name, int(columns), tuple(c or None for c in ids)))
            except (ValueError, TypeError, ViewingError) as exc:
                log.warning("disposition « %s » illisible, ignorée : %s", name, exc)
        return out

    # tours --------------------------------------------------------------------
    def save_tour(self, station: str, tour: Tour, operator: str | None) -> None:
        """Keep ``tour`` under its name (an existing one is replaced)."""
        with self._transaction() as cur:
            cur.execute(
                "INSERT OR REPLACE INTO tours (station, name, cameras, dwell_s, columns,"
                " saved_at, saved_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    station,
                    tour.name,
                    json.dumps(list(tour.cameras)),
                    tour.dwell_s,
                    tour.columns,
                    iso(datetime.now(UTC)),
                    operator,
                ),
            )

    def delete_tour(self, station: str, name: str) -> bool:
        with self._transaction() as cur:
            cur.execute("DELETE FROM tours WHERE station = ? AND name = ?", (station, name))
            return cur.rowcount == 1

    def tours(self, station: str) -> list[Tour]:
        """The station's tours, by name."""
        rows = self.conn.execute(
            "SELECT name, cameras, dwell_s, columns FROM tours WHERE station = ? ORDER BY name",
            (station,),
        ).fetchall()
        out = []
        for name, cameras, dwell, columns in rows:
            try:
                out.append(Tour(name, tuple(json.loads(cameras)), float(dwell), int(columns)))
            except (ValueError, TypeError, ViewingError) as exc:
                log.warning("ronde « %s » illisible, ignorée : %s", name, exc)
        return out

    # favourites ---------------------------------------------------------------
    def set_favourite(self, station: str, camera_id: str, favourite: bool) -> None:
        with self._transaction() as cur:
            if favourite:
                cur.execute(
                    "INSERT OR IGNORE INTO camera_favourites (station, camera_id, added_at)"
                    " VALUES (?, ?, ?)",
                    (station, camera_id, iso(datetime.now(UTC))),
                )
            else:
                cur.execute(
                    "DELETE FROM camera_favourites WHERE station = ? AND camera_id = ?",
                    (station, camera_id),
                )

    def favourites(self, station: str) -> frozenset[str]:
        rows = self.conn.execute(
            "SELECT camera_id FROM camera_favourites WHERE station = ?", (station,)
        ).fetchall()
        return frozenset(r[0] for r in rows)
