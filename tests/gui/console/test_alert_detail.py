"""The alert detail: outside text stays text, links are links, the timeline comes
from the real database through the storage thread."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QTextDocument

from csu_console.core.alerts import Alert, Reporter, StoredAlert
from csu_console.core.protocol import AlertMessage
from csu_console.storage.store import Store
from csu_console.storage.writer import StorageWriter
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.alert_detail import AlertDetail

EVIL = "<b>bold</b><script>alert(1)</script>"
PHOTO = "https://media.example.org/alertes/123/photo.jpg"
ODD_LINK = "https://media.example.org/a?x=1&y='><script>alert(2)</script>"


@pytest.fixture
def tasks(writer: StorageWriter) -> Iterator[DbTasks]:
    t = DbTasks(writer)
    yield t
    t.deleteLater()


@pytest.fixture
def detail(qtbot: Any, tasks: DbTasks, tz: ZoneInfo) -> AlertDetail:
    w = AlertDetail(tasks, tz)
    qtbot.addWidget(w)
    return w


def store_alerts(writer: StorageWriter, *alerts: Alert) -> list[StoredAlert]:
    """Insert alerts like the link does (one batch) and return them as stored."""
    messages = [AlertMessage(seq=i, alert=a) for i, a in enumerate(alerts, 1)]
    received = datetime(2025, 1, 15, 8, 0, 5, tzinfo=UTC)
    outcomes = writer.submit(
        lambda s: s.commit_batch(messages, "CSU-1", received_at=received)
    ).result(timeout=10)
    stored = [o.stored for o in outcomes]
    assert all(stored), outcomes
    return [s for s in stored if s is not None]


def anchors(doc: QTextDocument) -> list[str]:
    """Every link target in a document."""
    found: list[str] = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isAnchor() and fmt.anchorHref() not in found:
                found.append(fmt.anchorHref())
            it += 1
        block = block.next()
    return found


def test_nothing_selected(detail: AlertDetail) -> None:
    assert detail.current is None
    assert "Aucune alerte sélectionnée" in detail.browser.toPlainText()


def test_outside_text_is_shown_literally_and_timeline_loads(
    qtbot: Any, detail: AlertDetail, writer: StorageWriter, make: Any
) -> None:
    alert = make.alert(
        "D-1",
        title=EVIL,
        description=EVIL + "\nligne 2",
        reporter=Reporter("voisin42", verified=True),
        attachments=(PHOTO, ODD_LINK),
    )
    (item,) = store_alerts(writer, alert)

    detail.show_alert(item)
    assert detail.current == item
    assert "chargement…" in detail.browser.toPlainText()
    qtbot.waitUntil(lambda: "Alerte reçue" in detail.browser.toPlainText(), timeout=5000)

    text = detail.browser.toPlainText()
    assert "chargement…" not in text
    assert text.count(EVIL) == 2  # title and description, verbatim
    assert "<script>" in text
    assert "ligne 2" in text
    assert "voisin42 – membre vérifié" in text
    assert "Cambriolage" in text
    assert "3 – Normale" in text
    assert "Nouvelle" in text
    assert "45.76000, 4.88000 (± 15 m)" in text
    # The timeline: received at 09:00:05 Paris time by CSU-1, with its sequence number.
    assert "09:00:05" in text
    assert "Alerte reçue" in text and "seq 1" in text
    assert "CSU-1" in text
    # Nothing from outside became markup.
    html = detail.browser.toHtml()
    assert "<script>" not in html
    assert "<b>bold</b>" not in html
    assert anchors(detail.browser.document()) == [PHOTO, ODD_LINK]


def test_unverified_anonymous_reporter_and_no_location(
    qtbot: Any, detail: AlertDetail, writer: StorageWriter, make: Any
) -> None:
    (item,) = store_alerts(
        writer, make.alert("D-2", title="", reporter=Reporter(None), location=None)
    )
    detail.show_alert(item)
    qtbot.waitUntil(lambda: "Alerte reçue" in detail.browser.toPlainText(), timeout=5000)
    text = detail.browser.toPlainText()
    assert "(sans titre)" in text
    assert "anonyme" in text
    assert "membre vérifié" not in text
    assert "sans localisation" in text
    assert anchors(detail.browser.document()) == []


def test_a_late_timeline_does_not_overwrite_the_next_alert(
    qtbot: Any, detail: AlertDetail, tasks: DbTasks, writer: StorageWriter, make: Any
) -> None:
    first, second = store_alerts(
        writer, make.alert("D-3", title="Première"), make.alert("D-4", title="Seconde")
    )
    # Only the first alert's timeline has this event.
    writer.submit(lambda s: s.add_event("displayed", first.pk, "CSU-1", "Mme Martin"))
    detail.show_alert(first)
    detail.show_alert(second)  # before the first timeline came back
    shown: list[str] = []
    detail.browser.textChanged.connect(lambda: shown.append(detail.browser.toPlainText()))
    # Storage jobs and their callbacks are FIFO: once this one is back, both loads are.
    done: list[None] = []
    tasks.run(lambda s: None, done.append)
    qtbot.waitUntil(lambda: done == [None], timeout=5000)

    assert shown, "the timeline of the second alert never came"
    assert all("Première" not in text and "Mme Martin" not in text for text in shown)
    assert "Seconde" in shown[-1]
    assert "Alerte reçue" in shown[-1]


def test_timeline_lists_events_in_order(
    qtbot: Any, detail: AlertDetail, writer: StorageWriter, make: Any
) -> None:
    (item,) = store_alerts(writer, make.alert("D-5"))

    def add(s: Store) -> None:
        s.add_event("displayed", item.pk, "CSU-1", None)
        s.add_event("acknowledged", item.pk, "CSU-1", "Mme Martin")
        s.add_event("note_inconnue", item.pk, None, None)

    writer.submit(add).result(timeout=5)
    detail.show_alert(item)
    qtbot.waitUntil(lambda: "Prise en compte" in detail.browser.toPlainText(), timeout=5000)
    text = detail.browser.toPlainText()
    order = [
        text.index(s)
        for s in ("Alerte reçue", "Alerte affichée", "Prise en compte", "note_inconnue")
    ]
    assert order == sorted(order)
    assert "CSU-1 – Mme Martin" in text


class _UrlCatcher(QObject):
    """Stands in for the desktop's browser: records what would have been opened."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


def test_only_web_links_are_opened(detail: AlertDetail) -> None:
    catcher = _UrlCatcher()
    schemes = ("https", "http", "file", "javascript")
    for scheme in schemes:
        QDesktopServices.setUrlHandler(scheme, catcher, "open")  # type: ignore[arg-type]  # stub says bytes, runtime wants str
    try:
        for url in (PHOTO, "http://x.example/a", "file:///etc/passwd", "javascript:alert(1)"):
            detail.browser.anchorClicked.emit(QUrl(url))
    finally:
        for scheme in schemes:
            QDesktopServices.unsetUrlHandler(scheme)
    assert catcher.opened == [PHOTO, "http://x.example/a"]
