"""The queue's badges: what a partner's CAP message says of an alert, at a glance.

« MISE À JOUR », « ANNULÉE », « EXPIRÉE », « EXERCICE », « RESTREINTE » (diffusion
restreinte), « signé ✔ » / « signature invalide ✖ »: bold capitals on a solid
colour at the start of the title cell — read from the desk, and the queue no wider
(a narrow cell shows the short forms; the tooltip has every word). A cancelled or
expired alert's row stays readable: its text is greyed and its title struck.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from csu_console.core.alerts import ISSUER_STATE_LABELS, IssuerState, StoredAlert
from csu_console.core.cap_facts import Signature, is_exercise
from csu_console.ui.labels import tr_label

#: The model's role for a row's badges (a tuple of :class:`Badge`).
BADGE_ROLE = int(Qt.ItemDataRole.UserRole.value) + 1
#: Text of a withdrawn (cancelled, expired) alert's row: grey, still readable (7:1).
DIMMED_TEXT = QColor("#5f6368")
DIMMED_BACKGROUND = QColor("#cfd8dc")


@dataclass(frozen=True)
class Badge:
    """One mark: its text, a shorter one for a narrow cell, the tooltip's wording."""

    text: str
    short: str
    tooltip: str
    background: str
    foreground: str = "#ffffff"


def badges_for(item: StoredAlert, update_unseen: bool) -> tuple[Badge, ...]:
    """The badges of ``item``'s row, most telling first."""
    a = item.alert
    facts = a.cap
    found: list[Badge] = []
    if item.issuer_state is IssuerState.CANCELLED:
        found.append(
            Badge(
                QCoreApplication.translate("AlertTableModel", "ANNULÉE"),
                QCoreApplication.translate("AlertTableModel", "ANNULÉE"),
                tr_label(ISSUER_STATE_LABELS[IssuerState.CANCELLED])
                + QCoreApplication.translate(
                    "AlertTableModel",
                    " : elle ne sonne plus ; son traitement au CSU reste tel quel.",
                ),
                "#37474f",
            )
        )
    elif item.issuer_state is IssuerState.EXPIRED:
        found.append(
            Badge(
                QCoreApplication.translate("AlertTableModel", "EXPIRÉE"),
                QCoreApplication.translate("AlertTableModel", "EXPIRÉE"),
                QCoreApplication.translate(
                    "AlertTableModel",
                    "Expirée : la date de fin de validité donnée par l'émetteur est passée.",
                ),
                "#616161",
            )
        )
    if is_exercise(facts):
        found.append(
            Badge(
                QCoreApplication.translate("AlertTableModel", "EXERCICE"),
                QCoreApplication.translate("AlertTableModel", "EXERCICE"),
                QCoreApplication.translate(
                    "AlertTableModel",
                    "Exercice : message d'entraînement de l'émetteur, pas une alerte réelle.",
                ),
                "#6a1b9a",
            )
        )
    if item.version > 0 and item.issuer_state is None:  # ended: its update is history
        tip = QCoreApplication.translate(
            "AlertTableModel", "Mise à jour par l'émetteur (version {v})"
        ).format(v=item.version + 1)
        if update_unseen:
            found.append(
                Badge(
                    QCoreApplication.translate("AlertTableModel", "MISE À JOUR"),
                    QCoreApplication.translate("AlertTableModel", "MÀJ"),
                    tip + QCoreApplication.translate("AlertTableModel", " : pas encore consultée."),
                    "#0d47a1",
                )
            )
        else:
            found.append(
                Badge(
                    QCoreApplication.translate("AlertTableModel", "MISE À JOUR"),
                    QCoreApplication.translate("AlertTableModel", "MÀJ"),
                    tip,
                    "#e3f2fd",
                    "#0d47a1",
                )
            )
    if facts is not None and facts.restricted:
        tip = QCoreApplication.translate(
            "AlertTableModel", "Diffusion restreinte ({scope})"
        ).format(scope=facts.scope.value)
        if facts.restriction.strip():
            tip += " : " + " ".join(facts.restriction.split())
        found.append(
            Badge(
                QCoreApplication.translate("AlertTableModel", "RESTREINTE"),
                QCoreApplication.translate("AlertTableModel", "RESTR."),
                tip,
                "#4e342e",
            )
        )
    if facts is not None and facts.signature is Signature.VALID:
        tip = QCoreApplication.translate(
            "AlertTableModel",
            "Signature XML vérifiée avec le certificat de confiance de l'émetteur",
        )
        if facts.signature_detail:
            tip += " : " + facts.signature_detail
        found.append(
            Badge(QCoreApplication.translate("AlertTableModel", "signé ✔"), "✔", tip, "#2e7d32")
        )
    elif facts is not None and facts.signature is Signature.INVALID:
        tip = QCoreApplication.translate(
            "AlertTableModel", "Signature invalide : le document a pu être modifié"
        )
        if facts.signature_detail:
            tip += " : " + facts.signature_detail
        found.append(
            Badge(
                QCoreApplication.translate("AlertTableModel", "signature invalide ✖"),
                "✖",
                tip,
                "#b71c1c",
            )
        )
    return tuple(found)


def badges_tooltip(badges: tuple[Badge, ...]) -> str:
    """Every badge's full wording, one a line."""
    return "\n".join(b.tooltip for b in badges)


class BadgeDelegate(QStyledItemDelegate):
    """Paints a cell's badges before its text (the title column)."""

    GAP = 4
    PAD = 6

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        badges = index.data(BADGE_ROLE)
        if not badges:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = opt.rect.adjusted(self.GAP, 0, -self.GAP, 0)
        bold = QFont(opt.font)
        bold.setBold(True)
        bold.setStrikeOut(False)
        metrics = QFontMetrics(bold)
        texts = [b.text for b in badges]
        # Leave the title at least a third of the cell: short forms when it is narrow.
        if self._width(metrics, texts) > rect.width() * 2 // 3:
            texts = [b.short for b in badges]
        height = min(rect.height() - 4, metrics.height() + 6)
        top = rect.top() + (rect.height() - height) // 2
        painter.save()
        painter.setClipRect(opt.rect)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(bold)
        x = rect.left()
        for badge, label in zip(badges, texts, strict=True):
            width = metrics.horizontalAdvance(label) + 2 * self.PAD
            pill = QRect(x, top, width, height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(badge.background))
            painter.drawRoundedRect(pill, 4, 4)
            painter.setPen(QColor(badge.foreground))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, label)
            x += width + self.GAP
        rest = QRect(x + self.GAP, rect.top(), rect.right() - x - self.GAP, rect.height())
        if rest.width() > 0 and text:
            selected = bool(opt.state & QStyle.StateFlag.State_Selected)
            color = (
                opt.palette.color(QPalette.ColorRole.HighlightedText)
                if selected
                else opt.palette.color(QPalette.ColorRole.Text)
            )
            painter.setPen(color)
            painter.setFont(opt.font)
            metrics = QFontMetrics(opt.font)
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, rest.width())
            align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
            painter.drawText(rest, int(align), shown)
        painter.restore()

    def _width(self, metrics: QFontMetrics, texts: list[str]) -> int:
        return sum(metrics.horizontalAdvance(t) + 2 * self.PAD + self.GAP for t in texts)
