"""A virtual table model of search results: the row count is the hit count, rows are fetched in windows on demand.

Only the windows the view asks for are fetched, off the GUI thread (context.tasks), so scrolling through 1,000,000 hits
holds a few hundred rows in memory. A window right after a cached one is fetched by key ("older than the last key"),
any other by offset. Every new search bumps the generation, so late windows of an old search are dropped.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from efangtong_desktop.services.search import PAGE_SIZE, SearchHit, SearchRequest, SearchService
from efangtong_desktop.tasks import TaskManager
from efangtong_desktop.views.search import texts

MAX_CACHED_WINDOWS = 40
OVERDUE_COLOUR = QColor("#c0392b")
_Index = QModelIndex | QPersistentModelIndex


def _cells(hit: SearchHit) -> tuple[str, ...]:
    return (
        hit.number,
        hit.query_code,
        hit.registered_at.strftime("%Y-%m-%d %H:%M"),
        hit.petitioner,
        hit.id_number,
        hit.phones.split(",")[0] + (texts.MORE_PHONES if "," in hit.phones else ""),
        hit.form,
        hit.category,
        hit.town,
        hit.state,
        hit.title,
    )


class SearchResultsModel(QAbstractTableModel):
    """Rows of one search's hits, newest registration first; windows of PAGE_SIZE rows loaded when first shown."""

    window_failed = Signal(str)

    def __init__(self, tasks: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._service: SearchService | None = None
        self._request = SearchRequest()
        self._count = 0
        self._windows: OrderedDict[int, list[SearchHit]] = OrderedDict()
        self._pending: set[int] = set()
        self._broken: set[int] = set()
        self._generation = 0

    # -- contents ---------------------------------------------------------------------------------------------------

    def show_result(self, service: SearchService, request: SearchRequest, count: int, first: list[SearchHit]) -> None:
        """Replace the rows by a new search's: its hit count and first window."""
        self.beginResetModel()
        self._generation += 1
        self._service, self._request, self._count = service, request, count
        self._windows.clear()
        self._pending.clear()
        self._broken.clear()
        if first:
            self._windows[0] = first
        self.endResetModel()

    def clear(self) -> None:
        """No rows."""
        self.beginResetModel()
        self._generation += 1
        self._count = 0
        self._windows.clear()
        self._pending.clear()
        self.endResetModel()

    def hit(self, row: int) -> SearchHit | None:
        """The hit of `row` when its window is loaded (it is then requested otherwise)."""
        window, position = divmod(row, PAGE_SIZE)
        hits = self._windows.get(window)
        if hits is None:
            self._request_window(window)
            return None
        self._windows.move_to_end(window)
        return hits[position] if position < len(hits) else None

    @property
    def loaded_windows(self) -> int:
        """How many windows are held in memory now."""
        return len(self._windows)

    @property
    def pending_windows(self) -> int:
        """How many windows are being fetched."""
        return len(self._pending)

    # -- QAbstractTableModel ------------------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """The hit count (all rows exist for the view; their data comes when fetched)."""
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """The fixed columns of texts.COLUMNS."""
        return 0 if parent.isValid() else len(texts.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return texts.COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell: text, the overdue colour on the state, tooltips; a placeholder while its window loads."""
        if not index.isValid():
            return None
        hit = self.hit(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            if hit is None:
                return texts.LOADING_CELL if index.column() == 0 else ""
            return _cells(hit)[index.column()]
        if hit is None:
            return None
        if role == Qt.ItemDataRole.ForegroundRole and hit.overdue and index.column() == 9:
            return QBrush(OVERDUE_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 10:
            return hit.title
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 9 and hit.overdue:
            return texts.OVERDUE_TOOLTIP.format(deadline=hit.deadline)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 5:
            return hit.phones
        if role == Qt.ItemDataRole.UserRole:
            return hit.petition_id
        return None

    # -- fetching -----------------------------------------------------------------------------------------------------

    def _request_window(self, window: int) -> None:
        service = self._service
        if service is None or window in self._pending or window in self._broken or window * PAGE_SIZE >= self._count:
            return
        self._pending.add(window)
        generation, request = self._generation, self._request
        previous = self._windows.get(window - 1)
        before_key = previous[-1].key if previous and len(previous) == PAGE_SIZE else None

        def fetch() -> list[SearchHit]:
            if before_key is not None:
                return service.hits(service.keys(request, before_key=before_key))
            return service.hits(service.keys(request, offset=window * PAGE_SIZE))

        self._tasks.run(fetch, self._arrived(generation, window), self._failed(generation, window), owner=self)

    def _arrived(self, generation: int, window: int) -> Callable[[list[SearchHit]], None]:
        def deliver(hits: list[SearchHit]) -> None:
            if generation != self._generation:
                return
            self._pending.discard(window)
            self._windows[window] = hits
            while len(self._windows) > MAX_CACHED_WINDOWS:
                self._windows.popitem(last=False)
            first = window * PAGE_SIZE
            last = min(self._count, first + PAGE_SIZE) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(last, len(texts.COLUMNS) - 1))

        return deliver

    def _failed(self, generation: int, window: int) -> Callable[[Exception], None]:
        def report(error: Exception) -> None:
            if generation == self._generation:
                self._pending.discard(window)
                self._broken.add(window)  # not asked again until the next search
                self.window_failed.emit(str(error))

        return report
