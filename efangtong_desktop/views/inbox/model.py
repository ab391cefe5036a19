"""The inbox's table model (one queue's cases) and the filter/sort proxy in front of it."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from efangtong_desktop.services.inbox import InboxItem, Urgency
from efangtong_desktop.views.inbox import texts

ItemIndex = QModelIndex | QPersistentModelIndex
PETITION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
URGENCY_ROLE = Qt.ItemDataRole.UserRole + 2
SORT_ROLE = Qt.ItemDataRole.UserRole + 3
UNIT_COLUMN = 6
DEADLINE_COLUMN = 8
COUNTDOWN_COLUMN = 9

URGENCY_COLOURS: dict[Urgency, tuple[str, str]] = {
    Urgency.NEAR: ("#fff3bf", "#7a5b00"),  # 黄
    Urgency.TODAY: ("#ffd8a8", "#8a3c00"),  # 橙
    Urgency.OVERDUE: ("#ffc9c9", "#a61e1e"),  # 红
}
"""Background and text colour of the deadline cells by urgency (normal keeps the table's colours)."""


def _day(value: date | None) -> str:
    return value.isoformat() if value else "—"


class InboxTableModel(QAbstractTableModel):
    """The cases of one queue, one row each."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.items: list[InboxItem] = []

    def set_items(self, items: list[InboxItem]) -> None:
        """Show `items`."""
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: ItemIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Rows: one per case."""
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: ItemIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Columns of `texts.COLUMNS`."""
        return 0 if parent.isValid() else len(texts.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return texts.COLUMNS[section]
        return None

    def _cells(self, item: InboxItem) -> tuple[str, ...]:
        return (
            item.number,
            item.petitioner,
            item.summary,
            item.category,
            item.town,
            item.state_label,
            item.unit,
            _day(item.registered_on),
            _day(item.deadline),
            item.countdown,
        )

    def _sort_key(self, item: InboxItem, column: int) -> Any:
        if column in (DEADLINE_COLUMN, COUNTDOWN_COLUMN):
            return item.deadline.toordinal() if item.deadline else 10**7
        if column == 7:
            return item.registered_on.toordinal()
        return self._cells(item)[column]

    def data(self, index: ItemIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text, colours of the deadline cells, and the roles the page and tests read."""
        if not index.isValid():
            return None
        item = self.items[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells(item)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (DEADLINE_COLUMN, COUNTDOWN_COLUMN):
                return texts.URGENCY_TOOLTIPS.get(item.urgency.value)
            return item.summary if column == 2 else None
        if role == PETITION_ID_ROLE:
            return item.petition_id
        if role == URGENCY_ROLE:
            return item.urgency.value
        if role == SORT_ROLE:
            return self._sort_key(item, column)
        colours = URGENCY_COLOURS.get(item.urgency)
        if colours is not None and column in (DEADLINE_COLUMN, COUNTDOWN_COLUMN):
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(colours[0]))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(colours[1]))
        return None


class InboxFilter(QSortFilterProxyModel):
    """Filters by state, town, category and overdue only; sorts by each column's natural order."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.state: str | None = None
        self.town: str | None = None
        self.category: str | None = None
        self.overdue_only = False
        self.setSortRole(SORT_ROLE)

    def set_filters(self, *, state: str | None, town: str | None, category: str | None, overdue_only: bool) -> None:
        """Apply the filters (None: any)."""
        self.beginFilterChange()
        self.state, self.town, self.category, self.overdue_only = state, town, category, overdue_only
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: ItemIndex) -> bool:
        """Keep a case that matches every filter."""
        model = self.sourceModel()
        assert isinstance(model, InboxTableModel)
        item = model.items[source_row]
        return (
            (self.state is None or item.state == self.state)
            and (self.town is None or item.town == self.town)
            and (self.category is None or item.category == self.category)
            and (not self.overdue_only or item.urgency is Urgency.OVERDUE)
        )
