"""The 研判/大屏 page's analysis workspace (分屏分析): figures with filters, a comparison, drill-down and exports.

Layout in `ui/analysis_page.ui`. Every figure comes from the analytics library computed on the local replica, off the
GUI thread (`context.tasks`), so the workspace works the same online and offline; the replica holds only what its
user may see, so it is counted whole. Double-clicking a figure lists the cases behind it (the same conditions the
figure counts with); double-clicking a case opens it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyqtgraph.exporters
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QFileDialog, QHeaderView, QTableWidgetItem, QWidget

from efangtong_core.analytics import COUNTY_SCOPE, DashboardFilters, DashboardSnapshot, PeriodKind, compute_dashboard
from efangtong_core.analytics.drilldown import CasePage, CaseRow, figure_cases
from efangtong_desktop.bigscreen.charts import LIGHT, BarChart, TrendChart
from efangtong_desktop.bigscreen.data import china_today, replica_data_time
from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_analysis_page import Ui_AnalysisPage
from efangtong_desktop.forms.ui_main_window import Ui_MainWindow
from efangtong_desktop.views.analysis import texts
from efangtong_desktop.views.analysis.export import case_cells, write_cases, write_figures
from efangtong_desktop.views.analysis.options import (
    Choice,
    FilterOptions,
    filters_of,
    load_options,
    previous_filters,
)
from efangtong_desktop.views.analysis.rows import FigureRow, change_text, compared_rows, figure_rows
from efangtong_desktop.views.feedback import describe

CASE_LIMIT = 500
COMPARE_NONE, COMPARE_PREVIOUS, COMPARE_TOWN = 0, 1, 2


@dataclass(frozen=True)
class Result:
    """One refresh: the snapshot of the chosen filters and the compared one (if any)."""

    main: DashboardSnapshot
    other: DashboardSnapshot | None
    other_label: str


class AnalysisPage(QWidget):
    """The workspace's controller and widget."""

    figures_shown = Signal()
    cases_shown = Signal(int)
    failed = Signal(str)

    def __init__(
        self, context: AppContext, open_big_screen: Callable[[], object] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.today: Callable[[], date] = china_today
        self.ui = Ui_AnalysisPage()
        self.ui.setupUi(self)
        self.result: Result | None = None
        self.pairs: list[tuple[FigureRow, FigureRow | None]] = []
        self.cases: CasePage | None = None
        self.cases_title = ""
        self._generation = 0
        self._setup_filters()
        self._setup_charts()
        self.ui.statusLabel.setText(texts.READY)
        self.cases_model = QStandardItemModel(0, len(texts.CASE_HEADERS), self)
        self.cases_model.setHorizontalHeaderLabels(list(texts.CASE_HEADERS))
        self.ui.casesView.setModel(self.cases_model)
        self.ui.casesView.horizontalHeader().setStretchLastSection(True)
        self.ui.casesView.verticalHeader().setVisible(False)
        self.ui.figuresTable.setColumnCount(len(texts.HEADERS))
        self.ui.figuresTable.setHorizontalHeaderLabels(list(texts.HEADERS))
        header = self.ui.figuresTable.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.ui.figuresTable.verticalHeader().setVisible(False)
        self.ui.mainSplitter.setSizes([360, 320])
        self.ui.topSplitter.setSizes([460, 540])
        self.ui.refreshButton.clicked.connect(self.refresh)
        self.ui.figuresTable.cellDoubleClicked.connect(lambda row, _column: self.drill_down(row))
        self.ui.casesView.doubleClicked.connect(lambda index: self.open_case(index.row()))
        self.ui.exportFiguresButton.clicked.connect(
            lambda: self._ask_path(texts.EXPORT_FIGURES_TITLE, self.export_figures)
        )
        self.ui.exportCasesButton.clicked.connect(lambda: self._ask_path(texts.EXPORT_CASES_TITLE, self.export_cases))
        self.ui.exportChartButton.clicked.connect(lambda: self._ask_path(texts.EXPORT_CHART_TITLE, self.export_chart))
        self.ui.bigScreenButton.setEnabled(open_big_screen is not None)
        if open_big_screen is not None:
            self.ui.bigScreenButton.clicked.connect(lambda: open_big_screen())
        self.context.tasks.run(lambda: self._read(load_options), self._fill_options, self._show_failure, owner=self)

    # -- filters ------------------------------------------------------------------------------------------------------

    def _setup_filters(self) -> None:
        ui = self.ui
        for kind in PeriodKind:
            ui.periodKindCombo.addItem(kind.label, kind.value)
        ui.periodKindCombo.setCurrentIndex(list(PeriodKind).index(PeriodKind.MONTH))
        day = self.today()
        today = QDate(day.year, day.month, day.day)
        ui.periodDateEdit.setDate(today)
        ui.customEndEdit.setDate(today)
        ui.customEndEdit.setVisible(False)
        ui.periodKindCombo.currentIndexChanged.connect(self._kind_changed)
        for combo in (ui.townCombo, ui.categoryCombo, ui.unitCombo, ui.compareTownCombo):
            combo.addItem(texts.ALL, None)
        for label in (texts.NO_COMPARE, texts.COMPARE_PREVIOUS, texts.COMPARE_TOWN):
            ui.compareCombo.addItem(label)
        ui.compareTownCombo.setVisible(False)
        ui.compareCombo.currentIndexChanged.connect(lambda i: ui.compareTownCombo.setVisible(i == COMPARE_TOWN))

    def _kind_changed(self) -> None:
        self.ui.customEndEdit.setVisible(self.period_kind() is PeriodKind.CUSTOM)

    def _fill_options(self, options: FilterOptions) -> None:
        ui = self.ui
        pairs = ((ui.townCombo, options.towns), (ui.compareTownCombo, options.towns),
                 (ui.categoryCombo, options.categories), (ui.unitCombo, options.units))  # fmt: skip
        for combo, items in pairs:
            for item_id, name in items:
                combo.addItem(name, item_id)

    def period_kind(self) -> PeriodKind:
        """The period kind chosen."""
        return PeriodKind.from_code(str(self.ui.periodKindCombo.currentData()))

    def choice(self) -> Choice:
        """The filters as chosen now."""
        ui = self.ui
        return Choice(
            kind=self.period_kind(),
            day=_day(ui.periodDateEdit.date()),
            end=_day(ui.customEndEdit.date()),
            town=ui.townCombo.currentData(),
            category=ui.categoryCombo.currentData(),
            unit=ui.unitCombo.currentData(),
        )

    # -- figures ------------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Compute the figures (and the comparison) for the chosen filters off the GUI thread."""
        try:
            choice = self.choice()
            filters = filters_of(choice)
            other, other_label = self._comparison(choice, filters)
        except ValueError as error:
            self._show_failure(error)
            return
        self._generation += 1
        generation = self._generation
        today = self.today()
        self.ui.statusLabel.setText(texts.LOADING)
        self.ui.refreshButton.setEnabled(False)

        def work() -> Result:
            with self.context.session_factory() as session:
                as_of = replica_data_time(session)
                main = compute_dashboard(session, filters, scope=COUNTY_SCOPE, today=today, data_as_of=as_of)
                compared = None
                if other is not None:
                    compared = compute_dashboard(session, other, scope=COUNTY_SCOPE, today=today, data_as_of=as_of)
            return Result(main, compared, other_label)

        self.context.tasks.run(work, lambda result: self._show(generation, result), self._show_failure, owner=self)

    def _comparison(self, choice: Choice, filters: DashboardFilters) -> tuple[DashboardFilters | None, str]:
        mode = self.ui.compareCombo.currentIndex()
        if mode == COMPARE_PREVIOUS:
            other = previous_filters(filters)
            return other, f"{other.period.start:%m-%d}至{other.period.end:%m-%d}"
        if mode == COMPARE_TOWN:
            town = self.ui.compareTownCombo.currentData()
            if not town:
                raise ValueError(texts.NEED_COMPARE_TOWN)
            return filters_of(choice, town=town), self.ui.compareTownCombo.currentText()
        return None, ""

    def _show(self, generation: int, result: Result) -> None:
        if generation != self._generation:
            return  # a later refresh is on its way
        self.ui.refreshButton.setEnabled(True)
        self.result = result
        rows = figure_rows(result.main)
        self.pairs = compared_rows(rows, figure_rows(result.other)) if result.other else [(r, None) for r in rows]
        table = self.ui.figuresTable
        compared = result.other is not None
        table.setColumnHidden(2, not compared)
        table.setColumnHidden(3, not compared)
        if compared:
            table.setHorizontalHeaderItem(2, QTableWidgetItem(result.other_label))
        table.setRowCount(len(self.pairs))
        for index, (row, other) in enumerate(self.pairs):
            cells = (row.label, row.text, other.text if other else "", change_text(row, other) if compared else "")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if row.figure is None:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(index, column, item)
        table.resizeColumnsToContents()
        snap = result.main
        self.trend_chart.set_series([(p.start, p.batches) for p in snap.trend_daily])
        self.category_chart.set_bars([(c.label, c.batches) for c in snap.by_category])
        self.town_chart.set_bars([(c.label, c.batches) for c in snap.by_town if c.key])
        period = snap.filters.period
        as_of = snap.data_as_of.strftime("%Y-%m-%d %H:%M")
        status = texts.LOADED.format(start=period.start, end=period.end, as_of=as_of)
        self.ui.statusLabel.setText(status + ("" if self.context.online else texts.LOADED_OFFLINE))
        self.figures_shown.emit()

    def figure_row_index(self, key: str) -> int:
        """The table line of figure row `key` (-1 when absent)."""
        return next((index for index, (row, _) in enumerate(self.pairs) if row.key == key), -1)

    # -- drill-down ---------------------------------------------------------------------------------------------------

    def drill_down(self, index: int) -> None:
        """List the cases behind the figure on table line `index` (off the GUI thread)."""
        if self.result is None or not 0 <= index < len(self.pairs):
            return
        row = self.pairs[index][0]
        if row.figure is None:
            self.ui.casesLabel.setText(texts.NOT_DRILLABLE)
            return
        figure, key, filters = row.figure, row.figure_key, self.result.main.filters
        today = self.result.main.today
        label = row.label.strip()
        self.ui.casesLabel.setText(texts.CASES_LOADING.format(figure=label))

        def work() -> CasePage:
            with self.context.session_factory() as session:
                return figure_cases(session, figure, key, filters, scope=COUNTY_SCOPE, today=today, limit=CASE_LIMIT)

        self.context.tasks.run(work, lambda page: self._show_cases(label, page), self._show_failure, owner=self)

    def _show_cases(self, label: str, page: CasePage) -> None:
        self.cases = page
        shown = texts.CASES_SHOWN.format(count=len(page.rows)) if page.total > len(page.rows) else ""
        self.cases_title = texts.CASES_TITLE.format(figure=label, total=f"{page.total:,}", shown=shown)
        self.ui.casesLabel.setText(self.cases_title)
        self.cases_model.setRowCount(0)
        for case in page.rows:
            items = [QStandardItem(str(value)) for value in case_cells(case)]
            items[0].setData(case.id, Qt.ItemDataRole.UserRole)
            self.cases_model.appendRow(items)
        self.ui.casesView.resizeColumnsToContents()
        self.cases_shown.emit(page.total)

    def case_rows(self) -> tuple[CaseRow, ...]:
        """The cases listed now."""
        return self.cases.rows if self.cases else ()

    def open_case(self, index: int) -> QWidget | None:
        """Open the case on list line `index`."""
        rows = self.case_rows()
        if not 0 <= index < len(rows):
            return None
        from efangtong_desktop.views.case import show_case

        return show_case(self.context, rows[index].id, self.window())

    # -- charts and export --------------------------------------------------------------------------------------------

    def _setup_charts(self) -> None:
        self.trend_chart = TrendChart(theme=LIGHT)
        self.category_chart = BarChart(theme=LIGHT)
        self.town_chart = BarChart(theme=LIGHT)
        for chart, label in ((self.trend_chart, texts.CHART_TREND), (self.category_chart, texts.CHART_CATEGORY),
                             (self.town_chart, texts.CHART_TOWN)):  # fmt: skip
            self.ui.chartStack.addWidget(chart)
            self.ui.chartCombo.addItem(label)
        self.ui.chartCombo.currentIndexChanged.connect(self.ui.chartStack.setCurrentIndex)
        self.category_chart.barActivated.connect(lambda label: self._drill_label("category:", label))
        self.town_chart.barActivated.connect(lambda label: self._drill_label("town:", label))

    def _drill_label(self, prefix: str, label: str) -> None:
        for index, (row, _) in enumerate(self.pairs):
            if row.key.startswith(prefix) and row.label.strip() == label:
                self.drill_down(index)
                return

    def _heading(self) -> list[str]:
        assert self.result is not None
        period = self.result.main.filters.period
        ui = self.ui
        chosen = [f"{label}：{combo.currentText()}" for label, combo in (
            ("属地", ui.townCombo), ("类别", ui.categoryCombo), ("主办单位", ui.unitCombo))]  # fmt: skip
        return [texts.PERIOD_LINE.format(start=period.start, end=period.end), texts.FILTER_LINE.format(
            filters="，".join(chosen))]  # fmt: skip

    def export_figures(self, path: Path) -> None:
        """Save the figure table (and comparison) as an xlsx workbook."""
        if self.result is None:
            raise ValueError(texts.NOTHING_TO_EXPORT)
        write_figures(path, self._heading(), self.pairs, self.result.other is not None)

    def export_cases(self, path: Path) -> None:
        """Save the drill-down's case list as an xlsx workbook."""
        if self.cases is None:
            raise ValueError(texts.NOTHING_TO_EXPORT)
        write_cases(path, self.cases_title, self.cases.rows)

    def export_chart(self, path: Path) -> None:
        """Save the chart shown as a PNG image (pyqtgraph's exporter)."""
        if self.result is None:
            raise ValueError(texts.NOTHING_TO_EXPORT)
        chart = self.ui.chartStack.currentWidget()
        assert isinstance(chart, TrendChart | BarChart)
        exporter = pyqtgraph.exporters.ImageExporter(chart.getPlotItem())
        exporter.parameters()["width"] = max(800, chart.width())
        exporter.export(str(path))

    def _ask_path(self, title: str, save: Callable[[Path], None]) -> None:
        chart = save == self.export_chart
        name, _ = QFileDialog.getSaveFileName(self, title, "", texts.PNG_FILTER if chart else texts.XLSX_FILTER)
        if not name:
            return
        suffix = ".png" if chart else ".xlsx"
        path = Path(name)
        if path.suffix.lower() != suffix:
            path = path.with_suffix(suffix)
        try:
            save(path)
        except (OSError, ValueError) as error:
            self.ui.statusLabel.setText(texts.EXPORT_FAILED.format(reason=describe(error)))
            return
        self.ui.statusLabel.setText(texts.EXPORTED.format(path=path))

    def _read(self, read: Callable[..., FilterOptions]) -> FilterOptions:
        with self.context.session_factory() as session:
            return read(session)

    def _show_failure(self, error: Exception) -> None:
        self.ui.refreshButton.setEnabled(True)
        message = texts.FAILED.format(reason=describe(error))
        self.ui.statusLabel.setText(message)
        self.failed.emit(message)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def install_on_analytics_page(
    context: AppContext, window_ui: Ui_MainWindow, open_big_screen: Callable[[], object] | None = None
) -> AnalysisPage:
    """Replace the 研判/大屏 page's placeholder card with the analysis workspace."""
    layout = window_ui.pageLayoutAnalytics
    window_ui.cardAnalytics.hide()
    layout.removeItem(window_ui.pageSpacerAnalytics)
    page = AnalysisPage(context, open_big_screen, window_ui.pageAnalytics)
    window_ui.subtitleAnalytics.setText(texts.PAGE_SUBTITLE)
    layout.addWidget(page, 1)
    return page
