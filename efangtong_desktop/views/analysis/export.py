"""Export of the workspace's figures and case lists to xlsx workbooks (openpyxl; Qt-free)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from efangtong_core.analytics.drilldown import CaseRow
from efangtong_desktop.views.analysis import texts
from efangtong_desktop.views.analysis.rows import FigureRow, change_text

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.styles import Font


def _new_workbook() -> tuple[Workbook, Font]:
    """A workbook and the bold font (openpyxl is imported on the first export, not at start-up)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    return Workbook(), Font(bold=True)


def write_figures(
    path: Path, heading: Sequence[str], pairs: Sequence[tuple[FigureRow, FigureRow | None]], compared: bool
) -> None:
    """Save the figure table (with the compared column and change when `compared`) under `heading` lines."""
    book, bold = _new_workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = texts.FIGURES_SHEET
    for text in heading:
        sheet.append([text])
    header = list(texts.HEADERS if compared else texts.HEADERS[:2])
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row, other in pairs:
        line: list[object] = [row.label.strip(), _cell_value(row)]
        if compared:
            line += [_cell_value(other) if other is not None else None, change_text(row, other)]
        sheet.append(line)
        if row.figure is None:
            sheet.cell(sheet.max_row, 1).font = bold
    sheet.column_dimensions["A"].width = 28
    for column in "BCD":
        sheet.column_dimensions[column].width = 22
    book.save(path)


def _cell_value(row: FigureRow) -> object:
    if row.value is None:
        return None
    if row.is_rate:
        return round(row.value, 4)
    return int(row.value)


def write_cases(path: Path, title: str, rows: Sequence[CaseRow]) -> None:
    """Save a drill-down's case list (personal data as masked in the list)."""
    book, bold = _new_workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = texts.CASES_SHEET
    sheet.append([title])
    sheet.append(list(texts.CASE_HEADERS))
    for cell in sheet[2]:
        cell.font = bold
    for case in rows:
        sheet.append(case_cells(case))
    for index, width in enumerate((22, 18, 8, 14, 14, 6, 10, 16, 12, 10, 40)):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    book.save(path)


def case_cells(case: CaseRow) -> list[object]:
    """A case as the list shows it, cell by cell (texts.CASE_HEADERS order)."""
    from efangtong_core.analytics.periods import CHINA_TZ

    registered = case.registered_at
    if registered.tzinfo is not None:
        registered = registered.astimezone(CHINA_TZ).replace(tzinfo=None)
    return [
        case.case_number or "",
        registered.strftime("%Y-%m-%d %H:%M"),
        case.form,
        case.category,
        case.town,
        case.head_count,
        case.state,
        case.lead_unit,
        case.deadline.isoformat() if case.deadline else "",
        case.petitioner,
        case.title,
    ]
