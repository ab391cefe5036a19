"""The card's photo beside the person's fields, for the clerk to compare with the person at the counter.

The photo belongs to the card's ID number: once the clerk types another number in the form, the photo is no longer
shown and is not saved with the petitioner (`photo_for`). Without a decoded photo the label says why (for example
未配置照片解码库), so the clerk knows the card was read.
"""

from __future__ import annotations

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QLineEdit

from efangtong_desktop.views.register import texts


class CardPhotoView:
    """Shows the photo of the card whose number the form holds, or why there is none."""

    def __init__(self, label: QLabel, number_edit: QLineEdit) -> None:
        self.label = label
        self.number_edit = number_edit
        self._number = ""
        self._photo: bytes | None = None
        self._note = ""
        number_edit.textChanged.connect(self._render)

    def show(self, photo: bytes | None, note: str | None, number: str) -> None:
        """The card `number`'s photo (None: `note` says why there is none)."""
        self._number, self._photo, self._note = number, photo, note or texts.CARD_PHOTO_NONE
        self._render()

    def clear(self) -> None:
        """No card: the empty frame."""
        self.show(None, None, "")

    def photo_for(self, photo: bytes | None, number: str) -> bytes | None:
        """`photo` when it is the photo of the card numbered `number` (the form's number), else None."""
        return photo if photo is not None and self._number and _same(number, self._number) else None

    def _render(self) -> None:
        label = self.label
        if not self._number or not _same(self.number_edit.text(), self._number):
            label.setText(texts.CARD_PHOTO_EMPTY)  # (setText and setPixmap each replace what the label showed)
            return
        pixmap = QPixmap()
        if self._photo is not None and pixmap.loadFromData(self._photo):
            from PySide6.QtCore import Qt  # not before the first paint (the Qt namespace's enums cost ~14 ms)

            size = label.maximumSize()
            label.setPixmap(
                pixmap.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            )
        else:
            label.setText(self._note)


def _same(typed: str, number: str) -> bool:
    return typed.strip().upper() == number.upper()
