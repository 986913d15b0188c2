"""« DISQUE PLEIN », in red in the status bar, while writes fail for lack of room.

:class:`DiskStatusModel` holds the console's :class:`~csu_console.storage.console_disk.ConsoleDisk`
(fed by the storage thread and the link's status) and says when it changes;
:class:`DiskStatusLabel` subscribes and shows it, large enough to be read from
two metres: red while the disk is full, orange when free space runs low,
hidden otherwise.
"""

from __future__ import annotations

from datetime import tzinfo

from PySide6 import QtGui
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QWidget

from csu_console.net.state import LinkStatus
from csu_console.storage.backlog import BACKLOG_LIMIT, DiskState
from csu_console.storage.console_disk import ConsoleDisk
from csu_console.ui.theme import LINK_LOST, LINK_WARN, pt


class DiskStatusModel(QObject):
    """The console's disk state; ``changed`` on the GUI thread at each change."""

    changed = Signal(object)  # ConsoleDisk
    _writer_in = Signal(object)  # emitted on the storage thread, delivered queued

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._disk = ConsoleDisk()
        self._writer_in.connect(self._on_writer_in, Qt.ConnectionType.QueuedConnection)

    @property
    def disk(self) -> ConsoleDisk:
        """The current state."""
        return self._disk

    def refusal_text(self) -> str:
        """What the operator reads when an action could not be recorded."""
        return self.tr(
            "Disque plein : action non enregistrée. Réessayez quand l'espace disque "
            "sera libéré (prévenez l'administrateur)."
        )

    def writer_state(self, state: DiskState) -> None:
        """Any thread (the storage thread's watcher): the writer's new state."""
        self._writer_in.emit(state)

    @Slot(object)
    def _on_writer_in(self, state: DiskState) -> None:
        self._set(self._disk.with_writer(state))

    @Slot(object)
    def on_link_status_changed(self, status: LinkStatus) -> None:
        """The link's commits fail (``STORAGE_DOWN``) or work again."""
        self._set(self._disk.with_link(status))

    def _set(self, disk: ConsoleDisk) -> None:
        if disk != self._disk:
            self._disk = disk
            self.changed.emit(disk)


def _megabytes(n: int | None) -> str:
    return "?" if n is None else f"{n / 1_000_000:.0f}"


class DiskStatusLabel(QLabel):
    """Red « DISQUE PLEIN » (with what waits in memory), orange « Espace disque
    faible », or nothing."""

    def __init__(
        self, model: DiskStatusModel, tz: tzinfo | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._tz = tz
        self.setObjectName("diskStatus")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setTextFormat(Qt.TextFormat.PlainText)
        model.changed.connect(self.show_disk)
        self.show_disk(model.disk)

    @property
    def alarm(self) -> bool:
        """Shown in red (writes fail)."""
        return not self.isHidden() and LINK_LOST in self.styleSheet()

    @Slot(object)
    def show_disk(self, disk: ConsoleDisk) -> None:
        """Show ``disk`` (hidden when all is well)."""
        state = disk.writer
        if disk.failing or disk.pending:
            text = self.tr("DISQUE PLEIN") if disk.full else self.tr("ÉCRITURE IMPOSSIBLE")
            if disk.pending:
                text += " – " + self.tr("{n} en attente d'écriture").format(n=disk.pending)
            if state.dropped:
                text += " – " + self.tr("{n} perdu(s)").format(n=state.dropped)
            self._apply(text, LINK_LOST, 16)
            self.setToolTip(QtGui.Qt.convertFromPlainText(self._explain(disk)))
            self.show()
        elif state.low:
            self._apply(
                self.tr("Espace disque faible : {mb} Mo libres").format(
                    mb=_megabytes(state.free_bytes)
                ),
                LINK_WARN,
                12,
            )
            self.setToolTip(self.tr("Libérez de l'espace avant que le disque soit plein."))
            self.show()
        else:
            self.hide()
            self.setToolTip("")

    def _explain(self, disk: ConsoleDisk) -> str:
        lines = [
            self.tr(
                "La base de données ne peut plus écrire. Les alertes reçues ne sont pas "
                "acquittées : la passerelle les renverra. Les actions des opérateurs sont "
                "refusées. Les événements de la console (affichages, caméras, sourdines) "
                "sont gardés en mémoire, au plus {limit}, et écrits dans l'ordre dès que "
                "l'espace est libéré."
            ).format(limit=BACKLOG_LIMIT),
            self.tr("Espace libre : {mb} Mo").format(mb=_megabytes(disk.writer.free_bytes)),
        ]
        if disk.writer.since is not None:
            lines.append(
                self.tr("Depuis : {t}").format(
                    t=disk.writer.since.astimezone(self._tz).strftime("%d/%m %H:%M:%S")
                )
            )
        if disk.error:
            lines.append(self.tr("Erreur : {e}").format(e=disk.error))
        return "\n".join(lines)

    def _apply(self, text: str, color: str, size: int) -> None:
        self.setText(text)
        self.setStyleSheet(
            f"QLabel#diskStatus {{ background: {color}; color: white; font-size: {pt(size)}pt;"
            " font-weight: bold; padding: 4px 16px; border-radius: 4px; }"
        )
