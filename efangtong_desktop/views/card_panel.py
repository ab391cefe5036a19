"""The card panel: shows the card on the reader (fields and photo) or why it could not be read; F2 reads again.

Layout only: every decision is in `cardreader.service`; the panel renders the CardFormState the bridge emits. The
registration form embeds this panel and binds its own fields to `state.data`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from efangtong_desktop.cardreader import texts
from efangtong_desktop.cardreader.qt import CardReaderBridge
from efangtong_desktop.cardreader.service import CardFormState
from efangtong_desktop.views.feedback import restyle

PHOTO_SIZE = (102, 126)
FIELD_KEYS = tuple(key for key in texts.FIELD_LABELS if key != "source")


class CardPanel(QGroupBox):
    """证件信息: one label per field, the photo, a status line and an error line."""

    def __init__(self, bridge: CardReaderBridge, parent: QWidget | None = None) -> None:
        super().__init__(texts.PANEL_TITLE, parent)
        self.setObjectName("cardPanel")
        self.bridge = bridge
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        for key in FIELD_KEYS:
            label = QLabel()
            label.setObjectName(f"card_{key}")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            form.addRow(texts.FIELD_LABELS[key] + "：", label)
            self.fields[key] = label
        self.photo = QLabel()
        self.photo.setObjectName("cardPhoto")
        self.photo.setFixedSize(*PHOTO_SIZE)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setWordWrap(True)
        self.photo.setFrameShape(QLabel.Shape.Box)
        top = QHBoxLayout()
        top.addLayout(form, 1)
        top.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        self.status = QLabel()
        self.status.setObjectName("cardStatus")
        self.error = QLabel()
        self.error.setObjectName("cardError")
        self.error.setWordWrap(True)
        self.error.setProperty("role", "formError")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        self.read_shortcut = QShortcut(QKeySequence(Qt.Key.Key_F2), self)
        self.read_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.read_shortcut.activated.connect(lambda: self.bridge.read_now())
        bridge.state_changed.connect(self.show_state)
        self.show_state(bridge.state)

    def show_state(self, state: CardFormState) -> None:
        """Render `state`: a complete card, or empty fields with the error."""
        values = state.data.display_fields() if state.data is not None else {}
        for key, label in self.fields.items():
            label.setText(values.get(key, ""))
        self._show_photo(state)
        self.status.setText(state.status)
        self.error.setText(state.error or "")
        self.error.setVisible(bool(state.error))
        restyle(self.error)

    def _show_photo(self, state: CardFormState) -> None:
        self.photo.clear()
        if state.data is None:
            return
        pixmap = QPixmap()
        if state.data.photo is not None and pixmap.loadFromData(state.data.photo):
            self.photo.setPixmap(pixmap.scaled(*PHOTO_SIZE, Qt.AspectRatioMode.KeepAspectRatio))
        else:
            self.photo.setText(state.data.photo_note or texts.PANEL_NO_PHOTO)

    def is_empty(self) -> bool:
        """True when no card field shows anything (no partial data)."""
        return all(not label.text() for label in self.fields.values()) and self.photo.pixmap().isNull()
