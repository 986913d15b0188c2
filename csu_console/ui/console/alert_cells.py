"""The queue's cells: the texts, colours, icons and tooltips of one alert's row.

Built once per change of the row (the model caches them) from the alert and the
station's alert book. Translated in the model's context (``AlertTableModel``): the
texts are the queue's, wherever the code that builds them lives.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6 import QtGui
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QFont, QIcon

from csu_console.core.alert_book import AlertBook
from csu_console.core.alerts import (
    CATEGORY_LABELS,
    ISSUER_STATE_LABELS,
    PRIORITY_LABELS,
    STATE_LABELS,
    AlertState,
    StoredAlert,
)
from csu_console.ui.console.alert_badges import (
    DIMMED_BACKGROUND,
    DIMMED_TEXT,
    Badge,
    badges_for,
    badges_tooltip,
)
from csu_console.ui.icons import category_icon, viewed_icon
from csu_console.ui.labels import tr_label
from csu_console.ui.theme import priority_color, priority_text_color

COLUMNS = (
    "priority",
    "category",
    "title",
    "commune",
    "place",
    "sent",
    "received",
    "state",
)
#: « Secteur » at the start of a zone's name (the queue's column says it already).
_SECTEUR_PREFIX = re.compile(r"^secteur\s+(?=\S)", re.IGNORECASE)
#: Columns whose whole text is their tooltip (elided when narrow).
_TIPPED = tuple(COLUMNS.index(c) for c in ("commune", "place"))
#: The state of an escalated alert, in the queue.
ESCALATED_COLOR = QColor("#c62828")
# display texts per column, badge colours, bold font for new alerts, plain tooltip,
# icon, state column's tooltip, state column's colour (escalated), the first column's
# mark and tooltip (other stations looking at it: the leftmost column is always on screen),
# the CAP badges (alert_badges.py), the text colour of the other columns (a withdrawn
# alert's grey, else None), the title's font (struck when withdrawn) and the other
# columns' tooltips (None: none)
RowView = tuple[
    tuple[str, ...],
    QColor,
    QColor,
    QFont | None,
    str,
    QIcon,
    str,
    QColor | None,
    QIcon | None,
    str | None,
    tuple[Badge, ...],
    QColor | None,
    QFont | None,
    tuple[str | None, ...],
]


def reported_commune(item: StoredAlert, placed: str | None) -> str:
    """The commune the reporter gave, when it is not the geometry's (else "")."""
    reported = (item.alert.commune or "").strip()
    if not reported or (placed is not None and reported.casefold() == placed.casefold()):
        return ""
    return reported


class RowTexts:
    """What the queue shows of an alert, in the site's time zone, for this station."""

    def __init__(
        self,
        book: AlertBook,
        tz: ZoneInfo,
        zone_namer: Callable[[float, float], str | None] | None = None,
        station: str | None = None,
    ) -> None:
        self._book = book
        self._tz = tz
        self._zone_namer = zone_namer
        self._station = station  # this station: an alert held elsewhere names the station
        #: More marks for a row (the triage's « À TRIER »), after the CAP badges.
        self.extra_badges: Callable[[StoredAlert], tuple[Badge, ...]] | None = None

    def view(self, item: StoredAlert) -> RowView:
        """Everything ``data()`` returns for the row of ``item``, built once per change."""
        a = item.alert
        bold = None
        if item.state is AlertState.NEW:
            bold = QFont()
            bold.setBold(True)
        escalated = self._book.is_escalated(item.pk)
        viewing = self.viewing_text(item)
        badges = badges_for(item, self._book.update_unseen(item.pk))
        if self.extra_badges is not None:
            badges += self.extra_badges(item)
        withdrawn = item.issuer_state is not None
        title_font = bold
        if withdrawn:
            # Struck but readable: what it was stays legible, that it no longer
            # applies shows from the desk.
            title_font = QFont(bold) if bold is not None else QFont()
            title_font.setStrikeOut(True)
        title_tip = a.title if not badges else badges_tooltip(badges) + "\n\n" + a.title
        texts = tuple(self.display(item, c) for c in COLUMNS)
        tips: list[str | None] = [None] * len(COLUMNS)
        for column in _TIPPED:
            tips[column] = texts[column] or None
        if places_tip := self.place(item):
            tips[COLUMNS.index("place")] = places_tip  # the secteur's whole name too
        commune_tip = self.commune_tooltip(item)
        if commune_tip:
            tips[COLUMNS.index("commune")] = commune_tip
        return (
            texts,
            DIMMED_BACKGROUND if withdrawn else priority_color(a.priority),
            DIMMED_TEXT if withdrawn else priority_text_color(a.priority),
            bold,
            # A tooltip guesses rich text: the citizen's title must stay plain.
            QtGui.Qt.convertFromPlainText(title_tip),
            category_icon(a.category),
            self.state_tooltip(item),
            ESCALATED_COLOR if escalated else (DIMMED_TEXT if withdrawn else None),
            viewed_icon() if viewing else None,
            viewing or None,
            badges,
            DIMMED_TEXT if withdrawn else None,
            title_font,
            tuple(tips),
        )

    def place(self, item: StoredAlert) -> str:
        """Address, secteur and commune (the banner, the alarm's words); « hors
        territoire », « sans localisation » when so."""
        places = self._book.places
        if places is None:
            return " – ".join(
                p for p in (self._address(item), self._where(item)) if p
            )  # no territory: the sector namer, or the reported commune
        if not self._has_place(item):
            return QCoreApplication.translate("AlertTableModel", "sans localisation")
        places.of(item)  # an alert ringing before the queue's merge: placed now, once
        parts = [self._address(item), self.secteur(item), self._commune(item)]
        return " – ".join(dict.fromkeys(p for p in parts if p))

    def _address(self, item: StoredAlert) -> str:
        loc = item.alert.location
        return (loc.address or "") if loc is not None else ""

    def _has_place(self, item: StoredAlert) -> bool:
        return item.alert.location is not None or item.alert.area is not None

    def _commune(self, item: StoredAlert) -> str:
        """The commune from the geometry (« hors territoire » outside every zone);
        without a territory, the commune as reported."""
        places = self._book.places
        if places is None:
            return item.alert.commune or ""
        commune = places.get(item.pk).commune
        if commune is not None:
            return commune.name
        if not self._has_place(item):
            return "—"  # the address column says « sans localisation »
        return QCoreApplication.translate("AlertTableModel", "hors territoire")

    def secteur(self, item: StoredAlert) -> str:
        """The zone(s) of the secteur zoning; without a territory, the sector namer's."""
        places = self._book.places
        if places is None:
            return self._where(item) if self._zone_namer is not None else ""
        return ", ".join(z.name for z in places.secteurs(item.pk))

    def commune_tooltip(self, item: StoredAlert) -> str:
        """The commune with its INSEE code, and the commune as reported when it differs."""
        places = self._book.places
        if places is None:
            return ""
        commune = places.get(item.pk).commune
        text = commune.label if commune is not None else self._commune(item)
        reported = reported_commune(item, commune.name if commune is not None else None)
        if reported:
            text += "\n" + QCoreApplication.translate(
                "AlertTableModel", "déclarée : {commune}"
            ).format(commune=reported)
        return text

    def _where(self, item: StoredAlert) -> str:
        a = item.alert
        if a.location is None:
            return QCoreApplication.translate("AlertTableModel", "sans localisation")
        if self._zone_namer is None:
            return a.commune or ""
        zone = self._zone_namer(a.location.lon, a.location.lat)
        return (
            zone
            if zone is not None
            else QCoreApplication.translate("AlertTableModel", "HORS SECTEUR")
        )

    def _time(self, dt: datetime) -> str:
        # Today's times alone (what the operator scans for); older ones with the day.
        local = dt.astimezone(self._tz)
        if local.date() == datetime.now(self._tz).date():
            return local.strftime("%H:%M:%S")
        # The time first, seconds always: a narrow column cuts the day, never the time.
        return local.strftime("%H:%M:%S (%d/%m)")

    def display(self, item: StoredAlert, column: str) -> str:
        """The text of one cell."""
        a = item.alert
        if column == "priority":
            return f"{a.priority} – {tr_label(PRIORITY_LABELS[a.priority])}"
        if column == "category":
            label = tr_label(CATEGORY_LABELS[a.category])
            label = f"{label} ({a.category_raw})" if a.category_raw else label
            size = self._book.group_size(item.pk)
            # The count first: a narrow column elides the end of the label, not it.
            return f"×{size}  {label}" if size > 1 else label
        if column == "place":
            # « Secteur Gare – 3 place de la Gare »: the secteur first, a narrow
            # column elides the address (whole in the tooltip).
            if a.location is None and a.area is None:
                return QCoreApplication.translate("AlertTableModel", "sans localisation")
            # Under the « Secteur » header, « Secteur Gare » reads « Gare » (whole in
            # the tooltip and the banner): the narrow column shows what differs.
            secteur = _SECTEUR_PREFIX.sub("", self.secteur(item))
            return " – ".join(p for p in (secteur, self._address(item)) if p)
        if column == "commune":
            return self._commune(item)
        if column == "sent":
            return self._time(a.sent)
        if column == "received":
            return self._time(item.received_at)
        if column == "state":
            # Short enough for the column: the state, then who holds it (the
            # operator here, the station when another one holds it — in a team the
            # station is what tells; both are in the tooltip). An escalation is a sign in
            # front and red text, not a word that pushes the holder out.
            label = tr_label(STATE_LABELS[item.state])
            if item.state_station and item.state is not AlertState.NEW:
                elsewhere = self._station is not None and item.state_station != self._station
                holder = item.state_station if elsewhere else item.state_operator
                label = f"{label} · {holder or item.state_station}"
            if self._book.is_escalated(item.pk):
                label = "⚠ " + label
            return label
        return a.title

    def state_tooltip(self, item: StoredAlert) -> str:
        """The state column's tooltip: every word, the holder's station included."""
        text = tr_label(STATE_LABELS[item.state])
        if item.state_station and item.state is not AlertState.NEW:
            text = QCoreApplication.translate(
                "AlertTableModel", "{state} par {station} – {operator}"
            ).format(state=text, station=item.state_station, operator=item.state_operator or "?")
        if self._book.is_escalated(item.pk):
            text = (
                QCoreApplication.translate(
                    "AlertTableModel", "ESCALADÉE (urgente restée sans réponse)"
                )
                + " · "
                + text
            )
        if item.issuer_state is not None:
            text = tr_label(ISSUER_STATE_LABELS[item.issuer_state]) + " · " + text
        viewing = self.viewing_text(item)
        return f"{text}\n{viewing}" if viewing else text

    def viewing_text(self, item: StoredAlert) -> str:
        """« poste-2 – martin consulte cette alerte », one line per other station."""
        lines = []
        for v in self._book.viewers(item.pk):
            who = f"{v.station} – {v.operator}" if v.operator else v.station
            lines.append(
                QCoreApplication.translate("AlertTableModel", "{who} consulte cette alerte").format(
                    who=who
                )
            )
        return "\n".join(lines)
