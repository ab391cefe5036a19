"""What every 系统设置 tab shares: background loading and changes with busy state, messages, form dialogs, combos."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)

from efangtong_desktop.context import AppContext
from efangtong_desktop.services.admin import AdminService, Row
from efangtong_desktop.views.admin import texts
from efangtong_desktop.views.admin.table_model import RowTableModel
from efangtong_desktop.views.feedback import describe, show_message

T = TypeVar("T")


class FormUi(Protocol):
    """What the generated admin form classes (`ui/admin_*_form.ui`) have in common."""

    okButton: QPushButton
    cancelButton: QPushButton
    messageLabel: QLabel

    def setupUi(self, dialog: QDialog) -> None:
        """Build the form on `dialog`."""


class FormDialog(QDialog):
    """A Designer form that sends its values to the server off the GUI thread; stays open on a refusal."""

    def __init__(
        self,
        context: AppContext,
        ui: FormUi,
        title: str,
        collect: Callable[[], Row],
        save: Callable[[Row], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.ui = ui
        ui.setupUi(self)
        self.setWindowTitle(title)
        self._collect = collect
        self._save = save
        self._busy = False
        ui.okButton.clicked.connect(self.submit)
        ui.cancelButton.clicked.connect(self.reject)

    @property
    def busy(self) -> bool:
        """True while the values are being sent."""
        return self._busy

    def submit(self) -> None:
        """Check the form (ValueError → message) and send it; close once the server accepted it."""
        if self._busy:
            return
        try:
            values = self._collect()
        except ValueError as error:
            show_message(self.ui.messageLabel, str(error))
            return
        self._set_busy(True)
        show_message(self.ui.messageLabel, texts.SAVING, ok=True)
        self.context.tasks.run(lambda: self._save(values), self._on_saved, self._on_failed, owner=self)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.ui.okButton.setEnabled(not busy)
        self.ui.cancelButton.setEnabled(not busy)

    def _on_saved(self, _: object) -> None:
        self._set_busy(False)
        self.accept()

    def _on_failed(self, error: Exception) -> None:
        self._set_busy(False)
        show_message(self.ui.messageLabel, describe(error))

    def reject(self) -> None:
        """Close, unless the values are being sent."""
        if not self._busy:
            super().reject()


def fill_combo(combo: QComboBox, items: Iterable[tuple[str, Any]], current: Any = None) -> None:
    """Replace a combo's entries by (text, data) pairs and select the one whose data is `current`."""
    combo.clear()
    for text, data in items:
        combo.addItem(text, data)
    found = combo.findData(current) if current is not None else -1
    combo.setCurrentIndex(max(found, 0))


def unit_items(units: Iterable[Row], *, active_only: bool = True) -> list[tuple[str, str]]:
    """Org units as indented (name, id) combo entries in tree order."""
    return [
        ("　" * int(unit.get("depth", 0)) + str(unit["name"]), str(unit["id"]))
        for unit in units
        if unit.get("active", True) or not active_only
    ]


def setup_table(view: QTableView, model: RowTableModel, stretch_column: int | None = None) -> None:
    """Attach `model` to `view` with the look every admin table shares."""
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(30)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch_column is None)
    if stretch_column is not None:
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)


def fit_columns(view: QTableView, maximum: int = 320) -> None:
    """Size columns to their contents, none wider than `maximum` pixels."""
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    for column in range(header.count()):
        if header.sectionResizeMode(column) != QHeaderView.ResizeMode.Stretch:
            header.resizeSection(column, min(header.sectionSize(column) + 12, maximum))


class AdminTab(QWidget):
    """One tab of 系统设置: loads its rows in the background, sends changes, then reloads."""

    title = ""
    messageLabel: QLabel
    actions_layout: QHBoxLayout

    def __init__(self, context: AppContext, service: AdminService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.service = service
        self.loaded = False
        self.busy = 0
        self.dialog: QDialog | None = None
        self._selection_buttons: list[tuple[QPushButton, Callable[[], bool]]] = []

    # -- subclasses provide -----------------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the tab's rows from the server (in the background) and show them."""
        raise NotImplementedError

    def selection_changed(self) -> None:
        """Enable the buttons that need a selected row."""
        for button, enabled in self._selection_buttons:
            button.setEnabled(enabled())

    # -- helpers ----------------------------------------------------------------------------------------------------

    def ensure_loaded(self) -> None:
        """Load once, the first time the tab is shown."""
        if not self.loaded:
            self.load()

    def add_button(
        self,
        text: str,
        slot: Callable[[], object],
        *,
        layout: QHBoxLayout | None = None,
        enabled: Callable[[], bool] | None = None,
    ) -> QPushButton:
        """A button in the tab's action row (before the spacer); `enabled` ties it to the selection."""
        target = layout or self.actions_layout
        button = QPushButton(text, self)
        button.setAutoDefault(False)
        button.setObjectName(f"button_{len(self._selection_buttons)}_{target.count()}")
        button.clicked.connect(slot)
        items = (target.itemAt(i) for i in range(target.count()))
        spacer_at = next(
            (i for i, item in enumerate(items) if item is not None and item.spacerItem() is not None), None
        )
        target.insertWidget(spacer_at if spacer_at is not None else target.count(), button)
        if enabled is not None:
            self._selection_buttons.append((button, enabled))
            button.setEnabled(enabled())
        return button

    def fetch(self, work: Callable[[], T], show: Callable[[T], None]) -> None:
        """Run `work` in the background and hand the result to `show`; errors go to the message label."""
        self.busy += 1
        show_message(self.messageLabel, texts.LOADING, ok=True)

        def done(result: T) -> None:
            self.busy -= 1
            self.loaded = True
            self.messageLabel.clear()
            show(result)
            self.selection_changed()

        def failed(error: Exception) -> None:
            self.busy -= 1
            show_message(self.messageLabel, describe(error))

        self.context.tasks.run(work, done, failed, owner=self)

    def change(self, work: Callable[[], object]) -> None:
        """Send a change in the background; reload on success, show the server's message otherwise."""
        self.busy += 1
        show_message(self.messageLabel, texts.SAVING, ok=True)

        def done(_: object) -> None:
            self.busy -= 1
            show_message(self.messageLabel, texts.SAVED, ok=True)
            self.load()

        def failed(error: Exception) -> None:
            self.busy -= 1
            show_message(self.messageLabel, describe(error))

        self.context.tasks.run(work, done, failed, owner=self)

    def open_form(self, dialog: FormDialog) -> FormDialog:
        """Show a form window-modally; reload the tab when it was saved."""
        self.dialog = dialog
        dialog.accepted.connect(self._form_saved)
        dialog.open()
        return dialog

    def _form_saved(self) -> None:
        show_message(self.messageLabel, texts.SAVED, ok=True)
        self.load()

    def confirm(self, text: str) -> bool:
        """Ask a yes/no question (tests replace this method)."""
        answer = QMessageBox.question(self, texts.CONFIRM_TITLE, text)
        return answer == QMessageBox.StandardButton.Yes

    def say(self, text: str) -> None:
        """Show a short problem in the tab's message label."""
        show_message(self.messageLabel, text)


def selected_row(view: QTableView, model: RowTableModel) -> Row | None:
    """The row selected in `view`, or None."""
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    return model.row(rows[0].row()) if rows else None
