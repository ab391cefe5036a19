"""pyqtgraph charts of the big screen and the analysis workspace: a trend line and horizontal bar charts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class ChartTheme:
    """Colours of a chart: background, text/axes, series and grid."""

    background: str
    foreground: str
    series: str
    accent: str
    font_size: int


DARK = ChartTheme(background="#0b1a33", foreground="#9fc3ee", series="#2fd4ff", accent="#ffb13b", font_size=17)
LIGHT = ChartTheme(background="#ffffff", foreground="#34495e", series="#1f6fc5", accent="#e67e22", font_size=12)


class _Chart(pg.PlotWidget):
    """A PlotWidget styled by a theme, without mouse panning (a chart, not a plot to explore)."""

    def __init__(self, parent: QWidget | None = None, theme: ChartTheme = DARK) -> None:
        super().__init__(parent, background=theme.background)
        self.theme = theme
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.getViewBox().setMouseEnabled(x=False, y=False)
        self.font = QFont()
        self.font.setPixelSize(theme.font_size)
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setPen(pg.mkPen(theme.foreground))
            axis.setTextPen(pg.mkPen(theme.foreground))
            axis.setStyle(tickFont=self.font)
        plot.showGrid(x=False, y=True, alpha=0.15)

    def set_theme(self, theme: ChartTheme) -> None:
        """Switch colours (the workspace uses the light theme)."""
        self.theme = theme
        self.setBackground(theme.background)
        for name in ("left", "bottom"):
            axis = self.getPlotItem().getAxis(name)
            axis.setPen(pg.mkPen(theme.foreground))
            axis.setTextPen(pg.mkPen(theme.foreground))


class TrendChart(_Chart):
    """Counts per day (or per period bucket) as a filled line."""

    def __init__(self, parent: QWidget | None = None, theme: ChartTheme = DARK) -> None:
        super().__init__(parent, theme)
        self._points: tuple[tuple[date, int], ...] = ()
        self._curve = self.plot([], [], pen=pg.mkPen(theme.series, width=3))
        self._curve.setFillLevel(0)
        self._curve.setBrush(QColor(theme.series).darker(250))

    def set_series(self, points: Sequence[tuple[date, int]]) -> None:
        """Draw the series; the x axis labels about eight of its dates."""
        self._points = tuple(points)
        xs = list(range(len(self._points)))
        ys = [count for _, count in self._points]
        self._curve.setData(xs, ys)
        step = max(1, len(xs) // 8)
        ticks = [(x, f"{day.month}-{day.day}") for x, (day, _) in enumerate(self._points) if x % step == 0]
        self.getPlotItem().getAxis("bottom").setTicks([ticks])
        if xs:
            self.getPlotItem().getViewBox().setRange(xRange=(0, max(1, len(xs) - 1)), yRange=(0, max(1, *ys) * 1.1))

    def series(self) -> tuple[tuple[date, int], ...]:
        """The series drawn."""
        return self._points

    def drawn_values(self) -> list[float]:
        """The y values the curve holds (for tests)."""
        _, ys = self._curve.getData()
        return [] if ys is None else [float(y) for y in ys]


class BarChart(_Chart):
    """Labelled horizontal bars, largest at the top; double-click a bar to ask for the cases behind it."""

    barActivated = Signal(str)

    def __init__(self, parent: QWidget | None = None, theme: ChartTheme = DARK, *, limit: int = 10) -> None:
        super().__init__(parent, theme)
        self.limit = limit
        self._items: tuple[tuple[str, int], ...] = ()
        self._bars = pg.BarGraphItem(x0=[], y=[], height=0.6, width=[], brush=theme.series)
        self.addItem(self._bars)
        self._labels: list[pg.TextItem] = []
        self.getPlotItem().showGrid(x=True, y=False, alpha=0.15)

    def set_bars(self, items: Sequence[tuple[str, int]]) -> None:
        """Draw the largest `limit` items, highest first."""
        ranked = sorted(items, key=lambda item: (-item[1], item[0]))[: self.limit]
        self._items = tuple(ranked)
        count = len(ranked)
        ys = [count - 1 - index for index in range(count)]
        values = [value for _, value in ranked]
        brushes = [self.theme.accent if index < 3 else self.theme.series for index in range(count)]
        self._bars.setOpts(x0=[0] * count, y=ys, width=values, height=0.6, brushes=brushes)
        left = self.getPlotItem().getAxis("left")
        left.setTicks([[(y, label) for y, (label, _) in zip(ys, ranked, strict=True)]])
        metrics = QFontMetrics(self.font)
        left.setWidth(max([40, *(metrics.horizontalAdvance(label) + 16 for label, _ in ranked)]))
        for label in self._labels:
            self.removeItem(label)
        top = max([1, *values])
        self._labels = []
        for y, value in zip(ys, values, strict=True):
            text = pg.TextItem(f"{value:,}", color=self.theme.foreground, anchor=(0, 0.5))
            text.setFont(self.font)
            text.setPos(value + top * 0.01, y)
            self.addItem(text)
            self._labels.append(text)
        self.getPlotItem().getViewBox().setRange(xRange=(0, top * 1.15), yRange=(-0.6, max(0, count - 1) + 0.6))

    def bars(self) -> tuple[tuple[str, int], ...]:
        """The bars drawn, top to bottom."""
        return self._items

    def label_at(self, y: float) -> str | None:
        """The label of the bar at view coordinate y, if any."""
        index = len(self._items) - 1 - round(y)
        return self._items[index][0] if 0 <= index < len(self._items) else None

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """Emit barActivated with the label under the pointer."""
        point = self.getPlotItem().getViewBox().mapSceneToView(self.mapToScene(event.position().toPoint()))
        label = self.label_at(point.y())
        if label is not None and event.button() == Qt.MouseButton.LeftButton:
            self.barActivated.emit(label)
        super().mouseDoubleClickEvent(event)
