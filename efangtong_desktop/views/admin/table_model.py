"""A read-only table model over the server's JSON rows, with columns described as data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from efangtong_desktop.services.admin import Row
from efangtong_desktop.views.admin import texts

MUTED = QBrush(QColor("#8a94a3"))
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """A column: its title and how a row becomes the cell's text."""

    title: str
    text: Callable[[Row], str]
    right: bool = False


def field(key: str, empty: str = "") -> Callable[[Row], str]:
    """The row's value of `key` as text."""

    def text(row: Row) -> str:
        value = row.get(key)
        return empty if value is None or value == "" else str(value)

    return text


def yes_no(value: object) -> str:
    """是 / 否."""
    return texts.YES if value else texts.NO


def local_time(value: object) -> str:
    """An ISO time from the server shown in local time to the minute; "" when absent."""
    if not isinstance(value, str) or not value:
        return ""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def weekday(value: object) -> str:
    """星期 of an ISO date."""
    try:
        return texts.WEEKDAYS[date.fromisoformat(str(value)).weekday()]
    except ValueError:
        return ""


class RowTableModel(QAbstractTableModel):
    """Rows (dicts) shown through `columns`; rows for which `muted(row)` holds are drawn grey."""

    def __init__(
        self, columns: Sequence[Column], *, muted: Callable[[Row], bool] | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._muted = muted
        self._rows: list[Row] = []

    @property
    def rows(self) -> list[Row]:
        """The rows now shown."""
        return list(self._rows)

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, number: int) -> Row:
        """Row `number`."""
        return self._rows[number]

    def find(self, key: str, value: object) -> int:
        """The number of the first row whose `key` equals `value`, or -1."""
        return next((number for number, row in enumerate(self._rows) if row.get(key) == value), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Rows (none below a row: this is a flat table)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Columns."""
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The cell's text, tooltip, alignment and colour."""
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self._muted is not None and self._muted(row):
            return MUTED
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title
        return None


def time_field(key: str) -> Callable[[Row], str]:
    """The row's time `key` in local time."""
    return lambda row: local_time(row.get(key))


def columns(
    titles: Sequence[str], texts_of: Sequence[Callable[[Row], str]], *, right: Sequence[int] = ()
) -> tuple[Column, ...]:
    """Columns from parallel sequences of titles and text functions; `right` are right-aligned column numbers."""
    return tuple(
        Column(title, text, number in right) for number, (title, text) in enumerate(zip(titles, texts_of, strict=True))
    )


def active_status(row: Row) -> str:
    """启用 / 已停用 from the row's `active`."""
    return texts.STATUS_ACTIVE if row.get("active") else texts.STATUS_INACTIVE
