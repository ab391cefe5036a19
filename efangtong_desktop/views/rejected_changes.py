"""The list of changes the server refused (被退回的修改): each with its reason, to send again or to give up.

Reading and resolving touch the replica, so they run through `context.tasks`; the dialog only shows results.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from efangtong_core.db import writing_engine
from efangtong_core.lifecycle import EventType
from efangtong_core.vocabulary import Role
from efangtong_desktop import texts
from efangtong_desktop.context import AppContext
from sync.outbox import RejectedChange, discard_rejected, rejected_changes, retry_rejected


def summary_of(change: RejectedChange) -> str:
    """A short description of what the change wrote, in words, for the list."""
    values = change.values
    if change.op == "delete":
        return texts.REJECTED_DELETE
    kind, role = values.get("type"), values.get("role")
    if change.table == "case_event" and isinstance(kind, str) and EventType.has_code(kind):
        role_label = Role.from_code(role).label if isinstance(role, str) and Role.has_code(role) else str(role or "")
        return texts.REJECTED_EVENT.format(event=EventType.from_code(kind).label, role=role_label)
    for key, label in texts.REJECTED_FIELD_LABELS.items():
        if values.get(key):
            return texts.REJECTED_FIELD.format(label=label, value=str(values[key])[:40])
    return texts.REJECTED_RECORD.format(id=change.row_id[:8])


class RejectedChangesDialog(QDialog):
    """Lists refused changes and lets the user send one again or give it up."""

    resolved = Signal()
    """Emitted after a change was sent again or given up (the status bar re-reads its counts)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.changes: list[RejectedChange] = []
        self.setWindowTitle(texts.REJECTED_TITLE)
        self.resize(900, 420)
        layout = QVBoxLayout(self)
        hint = QLabel(texts.REJECTED_HINT, self)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.table = QTableWidget(0, len(texts.REJECTED_COLUMNS), self)
        self.table.setObjectName("rejectedTable")
        self.table.setHorizontalHeaderLabels(list(texts.REJECTED_COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        for column in (0, 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(2, 220)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        self.empty = QLabel(texts.REJECTED_EMPTY, self)
        layout.addWidget(self.empty)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(texts.REJECTED_CLOSE)
        self.retry_button = QPushButton(texts.REJECTED_RETRY, self)
        self.discard_button = QPushButton(texts.REJECTED_DISCARD, self)
        buttons.addButton(self.retry_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.retry_button.clicked.connect(self.retry_selected)
        self.discard_button.clicked.connect(self.discard_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()
        self.reload()

    def reload(self) -> None:
        """Read the refused changes again (off the GUI thread)."""

        def load() -> list[RejectedChange]:
            with self.context.engine.connect() as connection:
                return rejected_changes(connection)

        self.context.tasks.run(load, self._show, self._failed, owner=self)

    def _show(self, changes: list[RejectedChange]) -> None:
        self.changes = changes
        self.table.setRowCount(len(changes))
        for row, change in enumerate(changes):
            cells = (
                change.client_time.astimezone().strftime("%Y-%m-%d %H:%M"),
                texts.SYNC_TABLE_LABELS.get(change.table, change.table),
                summary_of(change),
                change.reason or change.code or "",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.empty.setVisible(not changes)
        self.table.setVisible(bool(changes))
        self._update_buttons()

    def _selected(self) -> RejectedChange | None:
        rows = self.table.selectionModel().selectedRows()
        return self.changes[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        chosen = self._selected() is not None
        self.retry_button.setEnabled(chosen)
        self.discard_button.setEnabled(chosen)

    def retry_selected(self) -> None:
        """Queue the selected change to be sent again as a new change."""
        change = self._selected()
        if change is not None:
            self._resolve(lambda connection: retry_rejected(connection, change.position))

    def discard_selected(self, *, confirm: bool = True) -> None:
        """Give up the selected change after the user confirms."""
        change = self._selected()
        if change is None:
            return
        if confirm:
            answer = QMessageBox.question(self, texts.REJECTED_TITLE, texts.REJECTED_CONFIRM_DISCARD)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._resolve(lambda connection: discard_rejected(connection, change.position))

    def _resolve(self, action: Callable[..., object]) -> None:
        def work() -> None:
            with writing_engine(self.context.engine).begin() as connection:
                action(connection)

        self.context.tasks.run(work, lambda _: self._resolved(), self._failed, owner=self)

    def _resolved(self) -> None:
        self.resolved.emit()
        self.reload()

    def _failed(self, error: Exception) -> None:
        QMessageBox.warning(self, texts.REJECTED_TITLE, str(error))


def open_rejected_changes(
    context: AppContext, parent: QWidget, on_resolved: Callable[[], None]
) -> RejectedChangesDialog:
    """Show the list of refused changes (non-modal); `on_resolved` runs after each resolution."""
    dialog = RejectedChangesDialog(context, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.resolved.connect(on_resolved)
    dialog.show()
    return dialog
