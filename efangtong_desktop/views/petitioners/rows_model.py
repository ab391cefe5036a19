"""A read-only table model of text rows, each with a key (the id the row stands for)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

_Index = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    """Rows of strings under fixed headers; `key(row)` gives the id behind a row."""

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = tuple(headers)
        self._rows: list[tuple[str, ...]] = []
        self._keys: list[str] = []
        self._tooltips: list[str] = []

    def set_rows(self, rows: Sequence[Sequence[object]], keys: Sequence[str], tooltips: Sequence[str] = ()) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = [tuple("" if cell is None else str(cell) for cell in row) for row in rows]
        self._keys = list(keys)
        self._tooltips = list(tooltips)
        self.endResetModel()

    def key(self, row: int) -> str | None:
        """The id behind `row`, or None."""
        return self._keys[row] if 0 <= row < len(self._keys) else None

    def cell(self, row: int, column: int) -> str:
        """The text of a cell."""
        return self._rows[row][column]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's default argument)
        """How many rows."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """How many columns."""
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The cell's text (and the row's tooltip)."""
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.row() < len(self._tooltips):
            return self._tooltips[index.row()] or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None
