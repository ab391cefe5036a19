"""The 登记 form's keyboard: Ctrl+S saves, Ctrl+P prints, F2 reads the card; Enter in a one-line field moves on."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit, QWidget

ONE_LINE_FIELDS = (QLineEdit, QComboBox, QAbstractSpinBox)


def add_shortcuts(
    page: QWidget, *, save: Callable[[], None], print_: Callable[[], None], read_card: Callable[[], None]
) -> None:
    """The page's shortcuts, active while the focus is anywhere on the page."""
    for keys, slot in (("Ctrl+S", save), ("Ctrl+P", print_), ("F2", read_card)):
        shortcut = QShortcut(QKeySequence(keys), page)
        # Qt.ShortcutContext.WidgetWithChildrenShortcut, by its key name: the page is built before the first paint,
        # which does not create the Qt namespace's ~100 Python enums (~14 ms).
        shortcut.setProperty("context", "WidgetWithChildrenShortcut")
        shortcut.activated.connect(slot)


class EnterMovesOn(QObject):
    """Event filter: Enter in a one-line field (line edit, closed combo, spin box) moves to the next field, as Tab.

    The fields are the attributes of the page's generated form (`form`); a key a spin box's or combo's own line edit
    does not take reaches the field's filter. No walk over all the page's children (`findChildren` wraps every one
    of them in Python, ~5 ms before the first paint).
    """

    def __init__(self, page: QWidget, form: object) -> None:
        super().__init__(page)
        self.page = page
        for widget in vars(form).values():
            if isinstance(widget, ONE_LINE_FIELDS):
                widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Turn Enter into a move to the next field."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and not event.modifiers():
            from PySide6.QtCore import Qt  # at a key press, not before the first paint (see add_shortcuts)

            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                combo = watched if isinstance(watched, QComboBox) else None
                if combo is None or not combo.view().isVisible():
                    self.page.focusNextChild()
                    return True
        return super().eventFilter(watched, event)
