"""The triage's suggestions of the selected alert, at the top of its detail pane.

One card per suggestion: what it proposes (« Priorité à relever »), its reason with
the figures, the words that triggered it highlighted in the report's text, what
accepting does, and two buttons, « Accepter » and « Refuser », reached with Tab.
No shortcut key: accepting always asks once more (the default answer is
« Annuler »), so nothing changes on a single key; refusing changes nothing but
the log. A person always decides.

On a short detail pane (a 1366×768 screen gives it about 110 px) the whole cards
would not fit above the alert's text and their lines were drawn over each other.
There the best suggestion is shown on one line — its kind, what accepting does,
the two buttons — with its reason and the reports' words in the card's tooltip.
"""

from __future__ import annotations

import html
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.alerts import PRIORITY_LABELS, StoredAlert
from csu_console.core.roles import Permission
from csu_console.core.triage import SUGGESTION_LABELS, Suggestion, SuggestionKind
from csu_console.core.triage_engine import CallReport, is_call, source_kind, text_of
from csu_console.core.triage_text import spans_of
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.queue_view import hold_while_open
from csu_console.ui.console.session import Session
from csu_console.ui.console.triage_ops import TriageController
from csu_console.ui.labels import tr_label
from csu_console.ui.theme import current, pt

#: Colour of each kind's stripe and chip (dark enough for white text, 4.5:1 and up).
KIND_COLOURS: dict[SuggestionKind, str] = {
    SuggestionKind.RAISE_PRIORITY: "#b71c1c",
    SuggestionKind.LOWER_PRIORITY: "#455a64",
    SuggestionKind.DUPLICATE: "#4a148c",
}
#: The words that triggered a suggestion: black on amber, on both themes.
HIGHLIGHT = "background:#ffd54f; color:#000000; font-weight:bold;"
EXCERPT = 220  # characters of the report's text shown on a card
#: Height the alert's own text keeps under the cards (its title line at least);
#: below that they go compact.
DETAIL_KEEPS_PX = 50


def highlighted(text: str, words: tuple[str, ...], limit: int = EXCERPT) -> str:
    """``text`` as HTML (escaped), the ``words`` highlighted, cut around the first one."""
    spans = spans_of(text, words) if words else []
    start = 0
    if spans and spans[0][0] > limit // 2:
        start = max(0, spans[0][0] - limit // 3)
    end = min(len(text), start + limit)
    parts: list[str] = ["…" if start else ""]
    at = start
    for a, b in spans:
        if a < start or b > end:
            continue
        parts.append(html.escape(text[at:a]))
        parts.append(f"<span style='{HIGHLIGHT}'>{html.escape(text[a:b])}</span>")
        at = b
    parts.append(html.escape(text[at:end]))
    if end < len(text):
        parts.append("…")
    return "".join(parts).replace("\n", " — ")


class SuggestionCard(QFrame):
    """One suggestion: what it proposes and why, the report's words, what accepting
    does, and two buttons — three or four lines, in the theme's colours."""

    def __init__(
        self, s: Suggestion, controller: TriageController, tz: ZoneInfo, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.suggestion = s
        theme = current()
        colour = KIND_COLOURS[s.kind]
        self.setObjectName("suggestionCard")
        self.setStyleSheet(
            f"#suggestionCard {{ border: 2px solid {colour}; border-left: 10px solid {colour};"
            f" background: {theme.base}; border-radius: 4px; }}"
            f" #suggestionCard QLabel {{ color: {theme.base_text}; }}"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.setSpacing(2)
        item = controller.alert(s.alert)
        # The kind as a chip (white on its colour: legible on both themes), then why.
        what = html.escape(tr_label(SUGGESTION_LABELS[s.kind]))
        self.reason = QLabel(self)
        self.reason.setTextFormat(Qt.TextFormat.RichText)
        self.reason.setWordWrap(True)
        self.reason.setText(
            f"<span style='background:{colour}; color:#ffffff; font-weight:bold;"
            f" font-size:{pt(14)}pt'>&nbsp;{what}&nbsp;</span>"
            f"<span style='font-size:{pt(13)}pt'> {highlighted(s.reason, s.words, 400)}</span>"
        )
        layout.addWidget(self.reason)
        # Compact mode: the kind alone, on the buttons' line (the reason in the tooltip).
        self.chip = QLabel(self)
        self.chip.setTextFormat(Qt.TextFormat.RichText)
        self.chip.setText(
            f"<span style='background:{colour}; color:#ffffff; font-weight:bold;"
            f" font-size:{pt(13)}pt'>&nbsp;{what}&nbsp;</span>"
        )
        self.chip.hide()
        self.compact = False
        self.excerpts: list[QLabel] = []
        shown = [item] if s.kind is not SuggestionKind.DUPLICATE else [
            controller.alert(s.other), item
        ]  # fmt: skip
        call = controller.call(s.other) if is_call(s.other) else None
        if call is not None:
            label = QLabel(self)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setText(self._call_excerpt(call, tz, theme.muted_text))
            layout.addWidget(label)
            self.excerpts.append(label)
        for report in shown:
            if report is None:
                continue
            label = QLabel(self)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setText(self._excerpt(report, s.words, tz, theme.muted_text))
            layout.addWidget(label)
            self.excerpts.append(label)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.chip)
        self.effect = QLabel(self)
        self.effect.setWordWrap(True)
        self.effect.setText(
            f"<span style='color:{theme.muted_text}; font-size:{pt(12)}pt'>"
            f"{html.escape(self._effect(s, controller))}</span>"
        )
        row.addWidget(self.effect, 1)
        self.accept_button = QPushButton(self.tr("Accepter…"), self)
        self.refuse_button = QPushButton(self.tr("Refuser"), self)
        for b in (self.accept_button, self.refuse_button):
            b.setAutoDefault(False)
            b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            b.setStyleSheet(f"font-size: {pt(13)}pt; padding: 3px 14px;")
            row.addWidget(b)
        self.accept_button.setToolTip(
            self.tr("Appliquer la suggestion (une confirmation suit) · Ctrl+T pour y venir")
        )
        self.refuse_button.setToolTip(
            self.tr("Ne rien changer ; la suggestion ne sera plus proposée (journalisé)")
        )
        layout.addLayout(row)
        self._row = row

    def full_height(self, width: int) -> int:
        """The card's height at ``width`` with every line shown (compact or not)."""
        layout = self.layout()
        assert layout is not None
        m = layout.contentsMargins()
        inner = max(1, width - m.left() - m.right() - 12)  # the stripe and borders
        labels = [self.reason, *self.excerpts]
        buttons = max(b.sizeHint().height() for b in (self.accept_button, self.refuse_button))
        rest = inner - self.accept_button.sizeHint().width() - self.refuse_button.sizeHint().width()
        lines = sum(label.heightForWidth(inner) for label in labels)
        row = max(buttons, self.effect.heightForWidth(max(1, rest - 16)))
        return m.top() + m.bottom() + 4 + lines + row + layout.spacing() * len(labels)

    def set_compact(self, on: bool) -> None:
        """One line (kind, effect, buttons), or the whole card."""
        if on == self.compact:
            return
        self.compact = on
        for label in (self.reason, *self.excerpts):
            label.setVisible(not on)
        self.chip.setVisible(on)
        if on:
            texts = [self.reason.text(), *(e.text() for e in self.excerpts)]
            self.setToolTip("<br>".join(texts))
        else:
            self.setToolTip("")

    def _excerpt(
        self, report: StoredAlert, words: tuple[str, ...], tz: ZoneInfo, muted: str
    ) -> str:
        text = text_of(report) or self.tr("(aucun texte)")
        when = report.received_at.astimezone(tz).strftime("%H:%M")
        head = self.tr("n° {pk} · {source} · {when}").format(
            pk=report.pk, source=source_kind(report), when=when
        )
        return (
            f"<span style='font-size:{pt(12)}pt; color:{muted}'>{html.escape(head)}</span> "
            f"<span style='font-size:{pt(13)}pt'>« {highlighted(text, words)} »</span>"
        )

    def _call_excerpt(self, call: CallReport, tz: ZoneInfo, muted: str) -> str:
        said = " — ".join(x for x in (call.place, call.text) if x) or self.tr("(aucun texte)")
        head = self.tr("appel · main courante n° {pk} · {when}").format(
            pk=call.pk, when=call.at.astimezone(tz).strftime("%H:%M")
        )
        return (
            f"<span style='font-size:{pt(12)}pt; color:{muted}'>{html.escape(head)}</span> "
            f"<span style='font-size:{pt(13)}pt'>« {highlighted(said, ())} »</span>"
        )

    def _effect(self, s: Suggestion, controller: TriageController) -> str:
        if s.kind is SuggestionKind.DUPLICATE and is_call(s.other):
            item = controller.alert(s.alert)
            return self.tr(
                "Si vous acceptez : l'appel est rattaché à l'alerte n° {pk} (sa chronologie)."
            ).format(pk=item.pk if item else "?")
        if s.kind is SuggestionKind.DUPLICATE:
            other = controller.alert(s.other)
            return self.tr("Si vous acceptez : regroupés sous le n° {pk}.").format(
                pk=other.pk if other else "?"
            )
        label = tr_label(PRIORITY_LABELS.get(s.priority or 0, "")) if s.priority else ""
        return self.tr("Si vous acceptez : priorité {p} – {label}.").format(
            p=s.priority, label=label
        )


class TriagePanel(QFrame):
    """The suggestions of the selected alert (hidden when it has none)."""

    def __init__(
        self,
        controller: TriageController,
        model: AlertTableModel,
        session: Session,
        tz: ZoneInfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._model = model
        self._session = session
        self._tz = tz
        self._pk: int | None = None
        self.cards: list[SuggestionCard] = []
        self.confirm_box: QMessageBox | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 4)
        self._layout.setSpacing(6)
        controller.suggestions_changed.connect(self._render)
        session.changed.connect(lambda _account: self._render())
        if parent is not None:
            parent.installEventFilter(self)  # its height decides full or compact cards
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def _fit(self) -> None:
        """Whole cards when they leave the alert's text :data:`DETAIL_KEEPS_PX`;
        otherwise the best one alone, on one line."""
        host = self.parentWidget()
        if host is None or not self.cards:
            return
        width = host.width()
        spacing = self._layout.spacing()
        full = sum(c.full_height(width) + spacing for c in self.cards)
        compact = full > host.height() - DETAIL_KEEPS_PX
        for i, card in enumerate(self.cards):
            card.set_compact(compact)
            card.setVisible(not compact or i == 0)

    @Slot(object)
    def show_alert(self, item: StoredAlert | None) -> None:
        """The selected alert (None: nothing selected)."""
        pk = None if item is None else item.pk
        if pk == self._pk and (self.cards or item is None):
            return
        self._pk = pk
        self._render()

    @Slot()
    def _render(self) -> None:
        pending = [] if self._pk is None else self._controller.for_row(self._pk)
        if [c.suggestion for c in self.cards] == pending:
            self._gate()
            return
        for card in self.cards:
            self._layout.removeWidget(card)
            card.deleteLater()
        self.cards = []
        for s in pending[:2]:  # the best two: the detail below stays readable
            card = SuggestionCard(s, self._controller, self._tz, self)
            card.accept_button.clicked.connect(lambda _c=False, s=s: self.ask_accept(s))
            card.refuse_button.clicked.connect(lambda _c=False, s=s: self._controller.refuse(s))
            self._layout.addWidget(card)
            self.cards.append(card)
        self._fit()
        self._gate()
        self.setVisible(bool(self.cards))

    def focus_first(self) -> bool:
        """Put the keyboard on the first suggestion's « Accepter… » (Ctrl+T); False
        when the selected alert has none."""
        if not self.cards or not self.isVisible():
            return False
        self.cards[0].accept_button.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    def _gate(self) -> None:
        allowed = self._session.allowed(Permission.HANDLE_ALERTS)
        for card in self.cards:
            for b in (card.accept_button, card.refuse_button):
                b.setEnabled(allowed)

    def ask_accept(self, s: Suggestion) -> None:
        """Ask once more before applying (« Annuler » is the default answer)."""
        item = self._controller.alert(s.alert)
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Tri assisté"), "", parent=self)
        call = self._controller.call(s.other) if is_call(s.other) else None
        if call is not None:
            text = self.tr("Rattacher l'appel (main courante n° {c}) à l'alerte n° {a} ?").format(
                c=call.pk, a=item.pk if item else "?"
            )
            yes = self.tr("Rattacher")
        elif s.kind is SuggestionKind.DUPLICATE:
            other = self._controller.alert(s.other)
            text = self.tr("Regrouper le n° {a} avec le n° {b} ?").format(
                a=item.pk if item else "?", b=other.pk if other else "?"
            )
            yes = self.tr("Regrouper")
        elif s.kind is SuggestionKind.RAISE_PRIORITY:
            text = self.tr("Relever la priorité du n° {a} à {p} ?").format(
                a=item.pk if item else "?", p=s.priority
            )
            yes = self.tr("Relever la priorité")
        else:
            text = self.tr("Baisser la priorité du n° {a} à {p} ?").format(
                a=item.pk if item else "?", p=s.priority
            )
            yes = self.tr("Baisser la priorité")
        box.setText(text)
        box.setInformativeText(s.reason)
        apply = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(self.tr("Annuler"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(button: object) -> None:
            if button is apply:
                self._controller.accept(s)

        box.buttonClicked.connect(answered)
        self.confirm_box = box
        hold_while_open(self._model, box)
        box.open()
