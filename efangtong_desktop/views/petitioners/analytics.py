"""The 分析 tab of the 信访人 page: top repeat petitioners, people by town and by category, and a monthly trend chart.

The figures are computed off the GUI thread the first time the tab is shown and on 刷新; 导出分析 writes them to xlsx
with ID numbers masked for roles that do not need them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog, QHeaderView, QLabel

from efangtong_core.petitioner_analytics import GroupCount, PetitionerAnalytics
from efangtong_desktop.bigscreen.charts import LIGHT, TrendChart
from efangtong_desktop.views.feedback import describe
from efangtong_desktop.views.petitioners import texts
from efangtong_desktop.views.petitioners.rows_model import RowsModel

if TYPE_CHECKING:
    from efangtong_desktop.views.petitioners.page import PetitionersPage

ANALYTICS_TAB = 1


class AnalyticsTab(QObject):
    """Controller of the analytics tab's widgets (which live in the page's form)."""

    loaded = Signal()
    """Emitted when fresh figures are shown."""

    def __init__(self, page: PetitionersPage) -> None:
        super().__init__(page)
        self.page = page
        ui = page.ui
        self.figures: PetitionerAnalytics | None = None
        self.top = RowsModel(texts.TOP_HEADERS, self)
        self.towns = RowsModel(texts.GROUP_HEADERS, self)
        self.categories = RowsModel(texts.GROUP_HEADERS, self)
        for view, model in ((ui.topView, self.top), (ui.townView, self.towns), (ui.categoryView, self.categories)):
            view.setModel(model)
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.chart = TrendChart(ui.trendHost, LIGHT)
        self.chart.setMinimumHeight(180)
        for curve in self.chart.getPlotItem().listDataItems():  # a light fill under the line on the white page
            curve.setBrush(QColor(LIGHT.series).lighter(170))
        ui.trendLayout.addWidget(self.chart)
        self._generation = 0
        ui.tabs.currentChanged.connect(self._tab_changed)
        ui.refreshButton.clicked.connect(self.refresh)
        ui.exportAnalyticsButton.clicked.connect(self._ask_export)
        _say(ui.analyticsMessage, "")
        _say(ui.windowLabel, "")

    def _tab_changed(self, index: int) -> None:
        if index == ANALYTICS_TAB and self.figures is None:
            self.refresh()

    def refresh(self) -> None:
        """Compute the figures off the GUI thread and show them."""
        self._generation += 1
        generation, service, ui = self._generation, self.page.service(), self.page.ui
        _say(ui.analyticsMessage, texts.ANALYTICS_LOADING)
        ui.refreshButton.setEnabled(False)

        def shown(figures: PetitionerAnalytics) -> None:
            if generation == self._generation:
                ui.refreshButton.setEnabled(True)
                self.show(figures, service.id_number)

        def failed(error: Exception) -> None:
            if generation == self._generation:
                ui.refreshButton.setEnabled(True)
                _say(ui.analyticsMessage, texts.ANALYTICS_FAILED.format(reason=describe(error)))

        self.page.context.tasks.run(service.analytics, shown, failed, owner=self.page)

    def show(self, figures: PetitionerAnalytics, id_number: Callable[[str | None], str]) -> None:
        """Fill the tables and the chart; `id_number` masks ID numbers for the viewer."""
        self.figures = figures
        ui = self.page.ui
        since, until = figures.since.date().isoformat(), figures.until.date().isoformat()
        _say(ui.windowLabel, texts.ANALYTICS_WINDOW.format(since=since, until=until))
        self.top.set_rows(
            [
                (
                    row.name,
                    id_number(row.id_number),
                    row.petitions,
                    row.last_petition_at.astimezone().strftime("%Y-%m-%d"),
                    "、".join(tag.label for tag in row.tags),
                )
                for row in figures.top
            ],
            [row.id for row in figures.top],
        )
        self.towns.set_rows(_group_rows(figures.by_town), [g.label for g in figures.by_town])
        self.categories.set_rows(_group_rows(figures.by_category), [g.label for g in figures.by_category])
        months = [date.fromisoformat(f"{g.label}-01") for g in figures.trend]
        self.chart.set_series([(month, g.people) for month, g in zip(months, figures.trend, strict=True)])
        ticks = [(x, texts.MONTH_TICK.format(month=month.month)) for x, month in enumerate(months)]
        self.chart.getPlotItem().getAxis("bottom").setTicks([ticks])
        _say(ui.analyticsMessage, "")
        self.loaded.emit()

    def _ask_export(self) -> None:
        if self.figures is None:
            _say(self.page.ui.analyticsMessage, texts.NOTHING_TO_EXPORT)
            return
        path, _ = QFileDialog.getSaveFileName(
            self.page, texts.EXPORT_ANALYTICS_TITLE, texts.EXPORT_ANALYTICS_NAME, texts.EXPORT_FILTER
        )
        if path:
            self.export_to(Path(path).with_suffix(".xlsx"))

    def export_to(self, path: Path) -> None:
        """Write the shown figures to `path` (xlsx) off the GUI thread."""
        figures, service, ui = self.figures, self.page.service(), self.page.ui
        if figures is None:
            _say(ui.analyticsMessage, texts.NOTHING_TO_EXPORT)
            return
        ui.exportAnalyticsButton.setEnabled(False)
        _say(ui.analyticsMessage, texts.EXPORTING)

        def done(_: None) -> None:
            ui.exportAnalyticsButton.setEnabled(True)
            _say(ui.analyticsMessage, texts.EXPORTED_ANALYTICS.format(path=path))
            self.page.exported.emit(str(path))

        def failed(error: Exception) -> None:
            ui.exportAnalyticsButton.setEnabled(True)
            _say(ui.analyticsMessage, texts.EXPORT_FAILED.format(reason=describe(error)))

        self.page.context.tasks.run(lambda: service.export_analytics(figures, path), done, failed, owner=self.page)


def _group_rows(groups: tuple[GroupCount, ...]) -> list[tuple[object, ...]]:
    return [(group.label, group.people, group.petitions) for group in groups]


def _say(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))
