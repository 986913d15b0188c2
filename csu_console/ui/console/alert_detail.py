"""Alert detail: every field as plain text, attachments as links, the timeline; for a
partner's CAP alert, what its message said (:mod:`.cap_detail`) and the versions an
Update replaced."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QTextOption
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from csu_console.core.alerts import CATEGORY_LABELS, PRIORITY_LABELS, STATE_LABELS, StoredAlert
from csu_console.core.closing import QUALIFICATION_KEY
from csu_console.core.dispatch import OUTCOME_LABELS, Outcome
from csu_console.core.logbook import EVENT_LABELS, PURGED_KEY, EventKind
from csu_console.core.review.filter import outcome_label
from csu_console.core.territory import COMMUNE_ZONING, Placement
from csu_console.core.triage import SUGGESTION_LABELS, SuggestionKind
from csu_console.storage.store import Store
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.alert_cells import reported_commune
from csu_console.ui.console.cap_detail import INFO_SCHEME, CapDetail
from csu_console.ui.labels import tr_label
from csu_console.ui.theme import current

PURGED_LABEL = "contenu purgé (RGPD)"


def event_label(kind: str) -> str:
    """The timeline's label for an event kind (the kind itself when unknown)."""
    try:
        return tr_label(EVENT_LABELS[EventKind(kind)])
    except ValueError:
        return kind


def event_summary(kind: str, details: dict[str, Any]) -> str:
    """What the timeline says of an event's details, in a few words."""
    if details.get(PURGED_KEY):
        return tr_label(PURGED_LABEL)
    parts: list[str] = []
    if kind == EventKind.PRIORITY_CHANGED.value and "from" in details and "to" in details:
        parts.append(f"{details['from']} → {details['to']}")
    if isinstance(details.get("suggestion_kind"), str):
        try:
            parts.append(tr_label(SUGGESTION_LABELS[SuggestionKind(details["suggestion_kind"])]))
        except ValueError:
            parts.append(str(details["suggestion_kind"]))
    if "seq" in details:
        parts.append(f"seq {details['seq']}")
    if "unit_name" in details:
        parts.append(str(details["unit_name"]))
    if "outcome" in details:
        try:
            parts.append(tr_label(OUTCOME_LABELS[Outcome(details["outcome"])]))
        except ValueError:
            parts.append(str(details["outcome"]))
    if isinstance(details.get(QUALIFICATION_KEY), str):
        parts.append(tr_label(outcome_label(details[QUALIFICATION_KEY])))
    if "cameras" in details and isinstance(details["cameras"], list):
        parts.append(", ".join(map(str, details["cameras"])))
    if "camera_id" in details:
        parts.append(str(details["camera_id"]))
    if "sha256" in details:
        parts.append(f"sha256 {str(details['sha256'])[:12]}…")
    if "from_station" in details:
        parts.append(f"← {details['from_station']} – {details.get('from_operator') or '?'}")
    for key in ("reason", "comment"):
        if details.get(key):
            parts.append(f"« {details[key]} »")
    return " · ".join(parts)


class AlertDetail(QWidget):
    """Shows the selected alert. Every text from outside is HTML-escaped."""

    def __init__(self, tasks: DbTasks, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._tz = tz
        self._current: StoredAlert | None = None
        self._members: list[StoredAlert] = []
        self._loaded: tuple[list[dict[str, Any]], list[Any] | None] | None = None
        self._expanded: set[int] = set()  # CAP info blocks the operator opened
        #: Where an alert of the book falls (its commune and secteurs from the
        #: geometry); None: the site draws no zones, the reported commune is shown.
        self.placement_of: Callable[[int], Placement] | None = None
        self.cap = CapDetail(tz, self)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        # Read from two metres: 13 pt at least, long texts and links wrap, never a
        # horizontal scroll bar.
        self.browser.document().setDefaultStyleSheet(
            "body, td, p { font-size: 13pt; } td { padding-right: 12px; }"
        )
        self.browser.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.browser.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.browser.anchorClicked.connect(self._on_anchor_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self.show_alert(None)

    @property
    def current(self) -> StoredAlert | None:
        """The alert shown, if any."""
        return self._current

    def show_alert(
        self, item: StoredAlert | None, members: list[StoredAlert] | None = None
    ) -> None:
        """Show ``item`` (with the other reports of its group) and load its timeline."""
        other = item is None or self._current is None or self._current.pk != item.pk
        if other:
            self._expanded = set()
            self._loaded = None
        self._current = item
        self._members = [m for m in (members or []) if item is None or m.pk != item.pk]
        if item is None:
            self.browser.setHtml(
                f"<p style='color:{current().muted_text}'>"
                + html.escape(self.tr("Aucune alerte sélectionnée"))
                + "</p>"
            )
            return
        self._set_html(self._render(item, *(self._loaded or (None, None))), keep_place=not other)
        pk, is_cap = item.pk, item.alert.cap is not None

        def load(store: Store) -> tuple[list[dict[str, Any]], list[Any] | None]:
            return store.events_for(pk), store.alert_versions(pk) if is_cap else None

        self._tasks.run(load, lambda loaded: self._on_loaded(pk, loaded), owner=self)

    def _on_loaded(self, pk: int, loaded: tuple[list[dict[str, Any]], list[Any] | None]) -> None:
        if self._current is not None and self._current.pk == pk:
            self._loaded = loaded
            self._set_html(self._render(self._current, *loaded))

    def _set_html(self, text: str, keep_place: bool = True) -> None:
        # A refresh of the same alert keeps the operator's place in it; another alert
        # is read from its top.
        bar = self.browser.verticalScrollBar()
        at = bar.value() if keep_place else 0
        self.browser.setHtml(text)
        bar.setValue(at)

    def _place_rows(self, item: StoredAlert) -> list[tuple[str, str]]:
        """Commune (from the geometry, the reported one beside when it differs) and
        the zones containing the alert."""
        a = item.alert
        if self.placement_of is None:
            return [(self.tr("Commune"), a.commune or "—")]
        placement = self.placement_of(item.pk)
        commune = placement.commune
        if commune is not None:
            text = commune.label
        elif a.location is None and a.area is None:
            text = "—"
        else:
            text = self.tr("hors territoire")
        reported = reported_commune(item, commune.name if commune is not None else None)
        if reported:
            text += " · " + self.tr("déclarée : {commune}").format(commune=reported)
        rows = [(self.tr("Commune"), text)]
        zones = [z for z in placement.zones if z.zoning != COMMUNE_ZONING]
        if zones:
            rows.append((self.tr("Zones"), ", ".join(z.name for z in zones)))
        return rows

    def _render(
        self,
        item: StoredAlert,
        events: list[dict[str, Any]] | None,
        versions: list[Any] | None = None,
    ) -> str:
        a = item.alert
        e = html.escape
        tz = self._tz
        rows: list[tuple[str, str]] = [
            (self.tr("Priorité"), f"{a.priority} – {tr_label(PRIORITY_LABELS[a.priority])}"),
            (
                self.tr("Catégorie"),
                tr_label(CATEGORY_LABELS[a.category])
                + (f" ({a.category_raw})" if a.category_raw else ""),
            ),
            (
                self.tr("État"),
                tr_label(STATE_LABELS[item.state])
                + (
                    f" – {item.state_station} – {item.state_operator or '?'}"
                    if item.state_station and item.state.value != "new"
                    else ""
                ),
            ),
            (self.tr("Signalé à"), a.sent.astimezone(tz).strftime("%d/%m/%Y %H:%M:%S")),
            (self.tr("Reçu à"), item.received_at.astimezone(tz).strftime("%d/%m/%Y %H:%M:%S")),
            (self.tr("Source"), f"{a.source} / {a.id}" + (" (CAP)" if a.fmt == "cap" else "")),
            *self._place_rows(item),
        ]
        if a.location is not None:
            loc = a.location
            where = f"{loc.lat:.5f}, {loc.lon:.5f}"
            if loc.accuracy_m is not None:
                where += f" (± {loc.accuracy_m:.0f} m)"
            rows.append((self.tr("Adresse"), loc.address or "—"))
            rows.append((self.tr("Position"), where))
        else:
            rows.append((self.tr("Position"), self.tr("sans localisation")))
        if a.reporter is not None:
            who = a.reporter.pseudonym or self.tr("anonyme")
            if a.reporter.verified:
                who += " – " + self.tr("membre vérifié")
            rows.append((self.tr("Signalant"), who))
        # tr() stays outside f-strings: lupdate does not look inside them.
        title = a.title or self.tr("(sans titre)")
        parts = [f"<h2 style='margin:0'>{e(title)}</h2>", self.cap.badges_html(item), "<table>"]
        parts += [f"<tr><td><b>{e(k)}</b></td><td>{e(v)}</td></tr>" for k, v in rows]
        parts.append("</table>")
        cap = self.cap.render(item, events, versions, self._expanded)
        if a.description and not (a.cap is not None and a.cap.infos):
            body = e(a.description).replace("\n", "<br>")
            parts.append(f"<p style='font-size:15pt'>{body}</p>")
        if cap:
            parts.append(cap)
        if a.attachments:
            heading = self.tr("Pièces jointes")
            parts.append(f"<p><b>{e(heading)}</b><br>")
            # Double quotes: Qt decodes entities (&amp;) only in double-quoted values.
            parts += [f'<a href="{e(u, quote=True)}">{e(u)}</a><br>' for u in a.attachments]
            parts.append("</p>")
        if self._members:
            grouped = self.tr("Autres signalements groupés ({n})").format(n=len(self._members))
            parts.append(f"<p><b>{e(grouped)}</b></p><table>")
            for m in self._members:
                when = m.received_at.astimezone(tz).strftime("%H:%M:%S")
                who = (m.alert.reporter.pseudonym or "") if m.alert.reporter else ""
                where = (m.alert.location.address or "") if m.alert.location else ""
                parts.append(
                    f"<tr><td>{e(when)}</td><td>{e(who)}</td><td>{e(where or '')}</td></tr>"
                )
            parts.append("</table>")
        timeline = self.tr("Chronologie")
        parts.append(f"<p><b>{e(timeline)}</b></p>")
        if events is None:
            loading = self.tr("chargement…")
            parts.append(f"<p>{e(loading)}</p>")
        else:
            parts.append("<table>")
            for ev in events:
                at = datetime.fromisoformat(ev["at"]).astimezone(tz).strftime("%H:%M:%S")
                label = event_label(ev["kind"])
                who = " – ".join(x for x in (ev.get("station"), ev.get("operator")) if x)
                summary = event_summary(ev["kind"], json.loads(ev.get("details") or "{}"))
                parts.append(
                    f"<tr><td>{e(at)}</td><td><b>{e(label)}</b></td><td>{e(who)}</td>"
                    f"<td>{e(summary)}</td></tr>"
                )
            parts.append("</table>")
        return "".join(parts)

    @Slot(QUrl)
    def _on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == INFO_SCHEME:  # a folded CAP info block: open or fold it
            try:
                index = int(url.path())
            except ValueError:
                return
            self._expanded ^= {index}
            if self._current is not None:
                self._set_html(self._render(self._current, *(self._loaded or (None, None))))
            return
        if url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)
