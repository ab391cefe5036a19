"""The map of the seven towns: polygons from `resources/bigscreen/towns.json`, shaded by each town's count."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from efangtong_desktop.bigscreen import texts
from efangtong_desktop.resources import resource_path

MAP_RESOURCE = "bigscreen/towns.json"
LOW = QColor("#12325e")
HIGH = QColor("#ff8a3d")


@dataclass(frozen=True)
class TownShape:
    """One town's outline in map coordinates (0..100, y down)."""

    name: str
    polygon: QPolygonF
    label_at: QPointF | None = None
    """Where the name goes, when the polygon's vertex mean is a poor place for it."""


def load_towns(path: Path | None = None) -> tuple[TownShape, ...]:
    """The town outlines shipped in resources."""
    data = json.loads((path or resource_path(MAP_RESOURCE)).read_text(encoding="utf-8"))
    return tuple(
        TownShape(
            town["name"],
            QPolygonF([QPointF(float(x), float(y)) for x, y in town["polygon"]]),
            QPointF(*map(float, town["label"])) if "label" in town else None,
        )
        for town in data["towns"]
    )


def shade(count: int, highest: int) -> QColor:
    """The fill for `count` on a scale from LOW (none) to HIGH (the highest count)."""
    ratio = 0.0 if highest <= 0 else max(0.0, min(1.0, count / highest))
    return QColor.fromRgbF(
        LOW.redF() + (HIGH.redF() - LOW.redF()) * ratio,
        LOW.greenF() + (HIGH.greenF() - LOW.greenF()) * ratio,
        LOW.blueF() + (HIGH.blueF() - LOW.blueF()) * ratio,
    )


class TownMap(QWidget):
    """Draws the towns shaded by count, with names and counts; double-click a town to drill into it."""

    townActivated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.towns = load_towns()
        self.counts: dict[str, int] = {}
        self.text_colour = QColor("#e8f1ff")
        self.border_colour = QColor("#5fb6ff")
        self.setMinimumSize(240, 200)

    def set_counts(self, counts: Mapping[str, int]) -> None:
        """Shade by these counts (towns missing from `counts` count 0)."""
        self.counts = dict(counts)
        self.update()

    def fill_of(self, town: str) -> QColor:
        """The colour town `town` is drawn with."""
        return shade(self.counts.get(town, 0), max([0, *self.counts.values()]))

    def shading_order(self) -> list[str]:
        """Town names from the most intense fill to the least (lightness of the colour, for tests and legends)."""
        return sorted((shape.name for shape in self.towns), key=lambda name: -self._intensity(name))

    def _intensity(self, town: str) -> float:
        colour = self.fill_of(town)
        return colour.redF() - colour.blueF()

    def _frame(self) -> tuple[float, float, float]:
        """Scale and offsets that fit the 0..100 map into the widget, keeping proportions."""
        side = min(self.width(), self.height() - 28)
        scale = max(side, 1) / 100.0
        return scale, (self.width() - 100 * scale) / 2, 4.0

    def _mapped(self, polygon: QPolygonF) -> QPolygonF:
        scale, dx, dy = self._frame()
        points = [polygon.at(index) for index in range(polygon.count())]
        return QPolygonF([QPointF(point.x() * scale + dx, point.y() * scale + dy) for point in points])

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw polygons, labels and the legend."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = painter.font()
        font.setPixelSize(max(12, self.height() // 32))
        painter.setFont(font)
        for shape in self.towns:
            polygon = self._mapped(shape.polygon)
            painter.setPen(QPen(self.border_colour, 1.5))
            painter.setBrush(self.fill_of(shape.name))
            painter.drawPolygon(polygon)
            painter.setPen(self.text_colour)
            box = polygon.boundingRect()
            centre = _centroid(polygon) if shape.label_at is None else self._mapped(QPolygonF([shape.label_at])).at(0)
            label = QRectF(centre.x() - box.width() / 2, centre.y() - 40, box.width(), 80)
            text = texts.MAP_COUNT.format(town=shape.name, count=f"{self.counts.get(shape.name, 0):,}")
            painter.drawText(label, int(Qt.AlignmentFlag.AlignCenter), text)
        self._draw_legend(painter)
        painter.end()

    def _draw_legend(self, painter: QPainter) -> None:
        y = self.height() - 20
        for step in range(10):
            painter.fillRect(QRectF(30 + step * 14, y, 14, 10), shade(step, 9))
        painter.setPen(self.text_colour)
        painter.drawText(QPointF(8, y + 10), texts.MAP_LEGEND_LOW)
        painter.drawText(QPointF(30 + 10 * 14 + 6, y + 10), texts.MAP_LEGEND_HIGH)
        painter.drawText(QPointF(30 + 10 * 14 + 40, y + 10), texts.MAP_NOTE)

    def town_at(self, point: QPointF) -> str | None:
        """The town drawn under a widget point, if any."""
        for shape in self.towns:
            if self._mapped(shape.polygon).containsPoint(point, Qt.FillRule.OddEvenFill):
                return shape.name
        return None

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """Emit townActivated for the town under the pointer."""
        town = self.town_at(event.position())
        if town is not None:
            self.townActivated.emit(town)
        super().mouseDoubleClickEvent(event)


def _centroid(polygon: QPolygonF) -> QPointF:
    points = [polygon.at(index) for index in range(polygon.count())]
    return QPointF(sum(p.x() for p in points) / len(points), sum(p.y() for p in points) / len(points))
