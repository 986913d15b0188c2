"""The stored history as the weak-signal detector scans it, and a generated
history written as real stored alerts (the demo, the screenshots, the benches).

:func:`load_history` is read-only and reads only the columns the detector needs
(report time, position, category, key, title and description), by the
``received_at`` index; a purged text (its ``sha256:`` seal) is read as empty.
:func:`store_history` writes through :meth:`Store.commit_batch`, like alerts
from the gateway: deduplicated, each with its ``received`` event in the chain.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np

from csu_console.core.alerts import DEFAULT_PRIORITY_RULES, Alert, Category, Location
from csu_console.core.protocol import AlertMessage
from csu_console.core.weak_signals.model import AlertHistory
from csu_console.core.weak_signals.text import SEAL_PREFIX
from csu_console.storage.codec import iso
from csu_console.storage.store import Store

log = logging.getLogger("csu.signals")

#: Alerts the console raised itself (a camera down…): not reports, not scanned.
CONSOLE_SOURCE = "csu-console"
#: Reports may reach the console a while after they were sent: read this much
#: further on ``received_at`` (indexed), then keep the exact ``sent`` range.
RECEIVED_SLACK = timedelta(days=1)

_QUERY = (
    "SELECT (julianday(sent) - 2440587.5) * 86400.0 AS t, lon, lat, category,"
    " source, alert_id, title, description FROM alerts"
    " WHERE received_at >= :lo AND received_at < :hi AND source != :console"
    " AND sent IS NOT NULL"
)


def _clear(text: str | None) -> str:
    return "" if not text or text.startswith(SEAL_PREFIX) else text


def _text(title: str | None, description: str | None) -> str:
    """Title and description joined (the description alone when it starts with
    the title, as the generator's and many citizens' reports do)."""
    head, body = _clear(title), _clear(description)
    if head and body.startswith(head.rstrip("…")):
        return body
    return f"{head} {body}".strip()


def load_history(store: Store, since: datetime, until: datetime) -> AlertHistory:
    """The alerts reported (``sent``) in ``[since, until)``, as columns."""
    lo, hi = since.timestamp(), until.timestamp()
    cur = store.conn.execute(
        _QUERY,
        {
            "lo": iso(since - RECEIVED_SLACK),
            "hi": iso(until + RECEIVED_SLACK),
            "console": CONSOLE_SOURCE,
        },
    )
    rows = cur.fetchall()
    if not rows:
        return AlertHistory(
            t=np.empty(0), lon=np.empty(0), lat=np.empty(0),
            category=np.empty(0, np.int32), categories=(),
        )  # fmt: skip
    t_col, lon_col, lat_col, cat_col, src_col, id_col, title_col, desc_col = zip(*rows, strict=True)
    t = np.array(t_col, dtype=np.float64)
    keep = np.flatnonzero((t >= lo) & (t < hi))
    codes: dict[str, int] = {}
    category = np.fromiter(
        (codes.setdefault(c, len(codes)) for c in cat_col), dtype=np.int32, count=len(cat_col)
    )
    idx = keep.tolist()
    texts = [_text(title_col[i], desc_col[i]) for i in idx]
    return AlertHistory(
        t=t[keep],
        lon=np.array(lon_col, dtype=np.float64)[keep],
        lat=np.array(lat_col, dtype=np.float64)[keep],
        category=category[keep],
        categories=tuple(codes),
        keys=[(src_col[i], id_col[i]) for i in idx],
        text=texts,
    )


def _title(text: str) -> str:
    """A report's title: its first clause, 60 characters at most."""
    head = text.split(".", maxsplit=1)[0].split(",", maxsplit=1)[0].strip()
    return head if len(head) <= 60 else head[:59].rstrip() + "…"


def history_messages(history: AlertHistory, first_seq: int = 1) -> list[AlertMessage]:
    """The history's rows as citizen reports (JSON alerts with a ``seq``), oldest first."""
    order = np.argsort(history.t, kind="stable").tolist()
    out: list[AlertMessage] = []
    for n, i in enumerate(order):
        source, alert_id = history.keys[i]
        code = history.categories[int(history.category[i])]
        try:
            category = Category(code)
        except ValueError:
            category = Category.AUTRE
        lon, lat = float(history.lon[i]), float(history.lat[i])
        location = None if np.isnan(lon) or np.isnan(lat) else Location(lat, lon)
        text = history.text[i] if history.text else ""
        alert = Alert(
            source=source,
            id=alert_id,
            sent=datetime.fromtimestamp(float(history.t[i]), UTC),
            category=category,
            priority=DEFAULT_PRIORITY_RULES[category],
            title=_title(text),
            description=text,
            location=location,
            priority_from_rules=True,
        )
        out.append(AlertMessage(first_seq + n, alert))
    return out


def store_history(
    store: Store, history: AlertHistory, station: str, batch_hours: float = 6.0
) -> int:
    """Write ``history`` as stored alerts (one batch per ``batch_hours`` of reports,
    received a minute after the batch's last one); how many were new.

    The station's ``last_seq`` (where its link resumes) is left as it was: these
    reports never came through this station's gateway.
    """
    row = store.conn.execute("SELECT value FROM meta WHERE key = 'last_seq'").fetchone()
    messages = history_messages(history)
    stored = 0
    step = batch_hours * 3600.0
    start = 0
    while start < len(messages):
        first = messages[start].alert.sent.timestamp()
        end = start
        while end < len(messages) and messages[end].alert.sent.timestamp() < first + step:
            end += 1
        batch: Sequence[AlertMessage] = messages[start:end]
        received = batch[-1].alert.sent + timedelta(minutes=1)
        outcomes = store.commit_batch(batch, station, received_at=received)
        stored += sum(1 for o in outcomes if o.kind == "stored")
        start = end
    if row is None:
        store.conn.execute("DELETE FROM meta WHERE key = 'last_seq'")
    else:
        store.conn.execute("UPDATE meta SET value = ? WHERE key = 'last_seq'", (row[0],))
    log.info("historique simulé : %d alerte(s) écrite(s)", stored)
    return stored
