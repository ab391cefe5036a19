"""The 信访人 page driven like a clerk: search, open a profile (access-log row queued), edit a phone (outbox entry),
open a case from the timeline, export masked xlsx files, and the analytics tab."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from efangtong_core.db import session_factory
from efangtong_core.models import PetitionerAccess, PetitionerPhone, SyncOutbox
from efangtong_desktop.context import AppContext
from efangtong_desktop.views import case as case_view
from efangtong_desktop.views.petitioners.page import PetitionersPage
from tests.desktop.petitioners.conftest import ZHANG_ID, Sample, SignIn

WAIT_MS = 10_000


def _page(qtbot: QtBot, context: AppContext) -> PetitionersPage:
    page = PetitionersPage(context)
    qtbot.addWidget(page)
    page.resize(1340, 700)
    return page


def _search(qtbot: QtBot, page: PetitionersPage, text: str) -> int:
    with qtbot.waitSignal(page.searched, timeout=WAIT_MS) as blocker:
        page.ui.queryEdit.setText(text)
        qtbot.keyClick(page.ui.queryEdit, Qt.Key.Key_Return)
    total = blocker.args[0]
    assert isinstance(total, int)
    return total


def _open(qtbot: QtBot, page: PetitionersPage, row: int = 0) -> None:
    with qtbot.waitSignal(page.profile_shown, timeout=WAIT_MS):
        page.open_row(row)


def _outbox(context: AppContext, table: str) -> list[SyncOutbox]:
    with session_factory(context.engine)() as session:
        query = select(SyncOutbox).where(SyncOutbox.table_name == table).order_by(SyncOutbox.position)
        return list(session.scalars(query))


def test_search_open_profile_and_the_view_is_queued_for_audit(
    qtbot: QtBot, context: AppContext, sample: Sample, sign_in: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in("clerk")
    page = _page(qtbot, context)
    assert _search(qtbot, page, "") == 2
    assert _search(qtbot, page, "567x") == 1 and page.results.cell(0, 0) == "李桂兰"
    assert _search(qtbot, page, "zjj") == 1
    assert page.results.cell(0, 0) == "张建军" and page.results.cell(0, 2) == ZHANG_ID  # a clerk sees it all
    _open(qtbot, page)
    ui = page.ui
    assert ui.nameLabel.text() == "张建军"
    assert [chip.text() for chip in page.profile.chips] == ["多次信访", "长期信访"]
    assert page.profile.chips[0].toolTip().startswith("近 12 个月")
    assert page.profile.timeline.rowCount() == 15  # 5 petitions × (登记, 转送, 受理)
    assert page.profile.timeline.cell(0, 2) == "受理" and page.profile.timeline.cell(14, 2) == "登记"  # newest first
    assert ui.phonesEdit.text() == "13904771111" and ui.saveContactsButton.isEnabled()
    with session_factory(context.engine)() as session:
        (access,) = session.scalars(select(PetitionerAccess)).all()
        assert (access.petitioner_id, access.username, access.online) == (sample.zhang, "clerk01", False)
    assert [entry.row_id for entry in _outbox(context, "petitioner_access")] == [access.id]  # goes up at next sync
    opened: list[str] = []
    monkeypatch.setattr(case_view, "show_case", lambda _context, petition_id, parent=None: opened.append(petition_id))
    view = page.ui.timelineView
    page.show()
    qtbot.waitExposed(page)
    cell = view.visualRect(page.profile.timeline.index(0, 0)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell)  # a double click follows a press
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert opened == [page.profile.timeline.key(0)] and opened[0] in sample.zhang_petitions


def test_edit_phone_goes_to_the_outbox_and_bad_input_changes_nothing(
    qtbot: QtBot, context: AppContext, sample: Sample, sign_in: SignIn
) -> None:
    sign_in("clerk")
    page = _page(qtbot, context)
    _search(qtbot, page, ZHANG_ID)
    _open(qtbot, page)
    ui = page.ui
    ui.phonesEdit.setText("1390477")  # too short for a mobile number
    with qtbot.waitSignal(ui.saveContactsButton.clicked, timeout=WAIT_MS):
        qtbot.mouseClick(ui.saveContactsButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "无效" in ui.contactsMessage.text(), timeout=WAIT_MS)
    assert _outbox(context, "petitioner_phone") == [] and _outbox(context, "petitioner") == []
    ui.phonesEdit.setText("139-0477-2222，0477 8123456")
    ui.addressEdit.setText("札萨克镇新街 8 号")
    with qtbot.waitSignal(page.contacts_saved, timeout=WAIT_MS) as saved:
        qtbot.mouseClick(ui.saveContactsButton, Qt.MouseButton.LeftButton)
    assert saved.args == [True]
    phones = _outbox(context, "petitioner_phone")
    assert {entry.values.get("phone") for entry in phones if entry.op == "upsert"} >= {"13904772222", "04778123456"}
    assert [entry.op for entry in phones].count("delete") == 1  # the old number is tombstoned, not lost
    (person,) = _outbox(context, "petitioner")
    assert person.values["address"] == "札萨克镇新街 8 号" and "note" not in person.values  # only what changed
    with session_factory(context.engine)() as session:
        live = session.scalars(
            select(PetitionerPhone.phone).where(PetitionerPhone.deleted_at.is_(None)).order_by(PetitionerPhone.position)
        ).all()
        assert "13904772222" in live and "13904771111" not in live
    qtbot.waitUntil(lambda: ui.phonesEdit.text() == "13904772222，04778123456", timeout=WAIT_MS)


def test_export_list_is_readable_and_masked_for_a_masked_role(
    qtbot: QtBot, context: AppContext, sample: Sample, sign_in: SignIn, tmp_path: Path
) -> None:
    sign_in("inspector")
    page = _page(qtbot, context)
    _search(qtbot, page, "")
    assert page.results.cell(0, 2) == "150627********1234"
    assert "隐藏" in page.ui.messageLabel.text()
    _open(qtbot, page)
    assert page.ui.phonesEdit.isReadOnly() and not page.ui.saveContactsButton.isEnabled()
    assert "*" in page.ui.phonesEdit.text()
    target = tmp_path / "信访人.xlsx"
    with qtbot.waitSignal(page.exported, timeout=WAIT_MS):
        page.export_list_to(target)
    sheet = load_workbook(target).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("姓名", "性别", "证件号码", "联系电话")
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"张建军", "李桂兰"}
    assert by_name["张建军"][2] == "150627********1234" and by_name["张建军"][3] == "139****1111"
    assert by_name["张建军"][5] == 5 and by_name["张建军"][7] == "多次信访、长期信访"
    assert ZHANG_ID not in target.read_bytes().decode("latin-1")  # not hidden somewhere else in the file either
    service = page.service()
    service.export_analytics(service.analytics(), tmp_path / "analysis.xlsx")
    top = list(load_workbook(tmp_path / "analysis.xlsx")["重复信访人"].iter_rows(values_only=True))
    assert top[1][:2] == ("张建军", "150627********1234")
    with session_factory(context.engine)() as session:
        actions = sorted(row.action for row in session.scalars(select(PetitionerAccess)))
        assert actions == ["export", "export", "view"]
    page.ui.queryEdit.setText("张" * 101)
    page.search()
    qtbot.waitUntil(lambda: "过长" in page.ui.messageLabel.text(), timeout=WAIT_MS)
    assert page.results.rowCount() == 2  # the last good results stay


def test_analytics_tab_shows_tables_chart_and_exports(
    qtbot: QtBot, context: AppContext, sample: Sample, sign_in: SignIn, tmp_path: Path
) -> None:
    sign_in("leader")
    page = _page(qtbot, context)
    with qtbot.waitSignal(page.analytics.loaded, timeout=WAIT_MS):
        page.ui.tabs.setCurrentIndex(1)
    analytics = page.analytics
    assert analytics.top.rowCount() == 1 and analytics.top.cell(0, 0) == "张建军" and analytics.top.cell(0, 2) == "4"
    assert {analytics.towns.cell(r, 0) for r in range(analytics.towns.rowCount())} == {"札萨克镇", "乌兰木伦镇"}
    assert analytics.categories.rowCount() == 2
    assert len(analytics.chart.drawn_values()) == 12 and sum(analytics.chart.drawn_values()) >= 2
    target = tmp_path / "analysis.xlsx"
    with qtbot.waitSignal(page.exported, timeout=WAIT_MS):
        analytics.export_to(target)
    book = load_workbook(target)
    assert book.sheetnames == ["重复信访人", "按镇", "按类别", "月度趋势"]
    top = list(book["重复信访人"].iter_rows(values_only=True))
    assert top[1][:3] == ("张建军", ZHANG_ID, 4)
