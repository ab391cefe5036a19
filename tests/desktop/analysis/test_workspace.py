"""The analysis workspace on a replica holding the hand-built analytics data set (tests/core/analytics/dataset.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from efangtong_core.analytics import PeriodKind
from efangtong_desktop.context import AppContext
from efangtong_desktop.views.analysis import AnalysisPage, texts
from efangtong_desktop.views.analysis.page import COMPARE_PREVIOUS, COMPARE_TOWN
from tests.core.analytics import dataset as d

WAIT_MS = 20_000


@pytest.fixture
def page(context: AppContext, qtbot: QtBot) -> Iterator[AnalysisPage]:
    with context.session_factory() as session:
        d.build(session)
    opened: list[object] = []
    workspace = AnalysisPage(context, open_big_screen=lambda: opened.append(True))
    workspace.opened = opened  # type: ignore[attr-defined]
    workspace.today = lambda: d.TODAY
    qtbot.addWidget(workspace)
    qtbot.waitUntil(lambda: workspace.ui.townCombo.count() == 3, timeout=WAIT_MS)  # 全部 + two towns
    workspace.ui.periodDateEdit.setDate(QDate(2026, 3, 15))
    yield workspace
    context.tasks.wait_for_workers()


def refresh(page: AnalysisPage, qtbot: QtBot) -> None:
    page.ui.refreshButton.click()
    qtbot.waitUntil(lambda: page.ui.statusLabel.text() != texts.LOADING, timeout=WAIT_MS)
    assert page.result is not None and "失败" not in page.ui.statusLabel.text(), page.ui.statusLabel.text()


def shown(page: AnalysisPage, key: str, column: int = 1) -> str:
    index = page.figure_row_index(key)
    assert index >= 0, key
    item = page.ui.figuresTable.item(index, column)
    assert item is not None
    return item.text()


def select(combo: Any, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, text
    combo.setCurrentIndex(index)


def test_filters_change_the_figures(page: AnalysisPage, qtbot: QtBot) -> None:
    refresh(page, qtbot)
    assert (shown(page, "total"), shown(page, "persons"), shown(page, "group")) == ("4", "15", "1")
    assert shown(page, "timely").startswith("66.7%（2/3）")
    assert "2026-03-01 至 2026-03-31" in page.ui.statusLabel.text()
    select(page.ui.townCombo, "红庆河镇")
    refresh(page, qtbot)
    assert (shown(page, "total"), shown(page, "persons")) == ("2", "13")
    select(page.ui.townCombo, "全部")
    select(page.ui.periodKindCombo, PeriodKind.YEAR.label)
    refresh(page, qtbot)
    assert shown(page, "total") == "8"  # 2026: p7 p10 p11 (Feb), p1 p2 p3 p8 (Mar), p9 (Apr)
    assert page.result is not None and page.result.main.filters.period.kind is PeriodKind.YEAR


def test_a_reversed_custom_period_is_refused_with_a_reason(page: AnalysisPage, qtbot: QtBot) -> None:
    select(page.ui.periodKindCombo, PeriodKind.CUSTOM.label)
    page.ui.customEndEdit.setDate(QDate(2026, 3, 1))
    with qtbot.waitSignal(page.failed, timeout=WAIT_MS) as blocker:
        page.ui.refreshButton.click()
    assert "结束日期不能早于开始日期" in blocker.args[0]
    assert page.result is None and page.ui.figuresTable.rowCount() == 0


def test_comparison_with_the_previous_period_and_with_another_town(page: AnalysisPage, qtbot: QtBot) -> None:
    page.ui.compareCombo.setCurrentIndex(COMPARE_PREVIOUS)
    refresh(page, qtbot)
    assert not page.ui.figuresTable.isColumnHidden(2)
    assert shown(page, "total", 2) == "3"  # February: p7, p10, p11
    assert shown(page, "total", 3) == "+1（+33.3%）"
    page.ui.compareCombo.setCurrentIndex(COMPARE_TOWN)
    select(page.ui.townCombo, "红庆河镇")
    select(page.ui.compareTownCombo, "乌兰木伦镇")
    refresh(page, qtbot)
    header = page.ui.figuresTable.horizontalHeaderItem(2)
    assert header is not None and header.text() == "乌兰木伦镇"
    assert (shown(page, "total"), shown(page, "total", 2)) == ("2", "1")


@pytest.mark.parametrize(("key", "expected"), [("closed_late", {"p4"}), ("group", {"p2"}), ("total",
                         {"p1", "p2", "p3", "p8"}), (f"town:{d.TOWN_A}", {"p1", "p2"})])  # fmt: skip
def test_drill_down_lists_the_cases_behind_a_figure(
    page: AnalysisPage, qtbot: QtBot, key: str, expected: set[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    refresh(page, qtbot)
    with qtbot.waitSignal(page.cases_shown, timeout=WAIT_MS) as blocker:
        page.ui.figuresTable.cellDoubleClicked.emit(page.figure_row_index(key), 0)
    assert blocker.args == [len(expected)]
    assert {row.id for row in page.case_rows()} == expected
    assert page.cases_model.rowCount() == len(expected)
    opened: list[tuple[object, str]] = []
    monkeypatch.setattr("efangtong_desktop.views.case.show_case", lambda ctx, pid, parent: opened.append((ctx, pid)))
    page.ui.casesView.doubleClicked.emit(page.cases_model.index(0, 0))
    assert opened == [(page.context, page.case_rows()[0].id)]


def test_exports_figures_and_cases_to_xlsx_and_the_chart_to_png(
    page: AnalysisPage, qtbot: QtBot, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="没有可导出的内容"):
        page.export_figures(tmp_path / "none.xlsx")
    page.ui.compareCombo.setCurrentIndex(COMPARE_PREVIOUS)
    refresh(page, qtbot)
    page.export_figures(tmp_path / "figures.xlsx")
    sheet = load_workbook(tmp_path / "figures.xlsx").active
    assert sheet is not None
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True)}
    assert rows["信访总量（批次）"][:3] == (4, 3, "+1（+33.3%）")
    assert rows["及时受理率"][0] == pytest.approx(2 / 3, abs=1e-4)
    assert sheet["A1"].value == "统计周期：2026-03-01 至 2026-03-31"
    with qtbot.waitSignal(page.cases_shown, timeout=WAIT_MS):
        page.drill_down(page.figure_row_index("group"))
    page.export_cases(tmp_path / "cases.xlsx")
    cases = load_workbook(tmp_path / "cases.xlsx").active
    assert cases is not None
    listed = list(cases.iter_rows(min_row=3, values_only=True))
    assert len(listed) == 1 and listed[0][5] == 12 and listed[0][9] == "李*"
    page.ui.chartCombo.setCurrentIndex(1)
    page.export_chart(tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_big_screen_button_opens_the_big_screen(page: AnalysisPage) -> None:
    page.ui.bigScreenButton.click()
    assert page.opened == [True]  # type: ignore[attr-defined]
    assert date(2026, 3, 15) == page.choice().day
