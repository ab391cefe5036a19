"""The repeat panel on a real replica: history and ranked candidates off the GUI thread, linking, stale answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pytestqt.qtbot import QtBot

from efangtong_core.models import OrgUnit, Petition, Petitioner
from efangtong_core.vocabulary import OrgUnitKind, PetitionForm, PetitionPurpose
from efangtong_desktop.context import AppContext
from efangtong_desktop.views.repeats.panel import RepeatsPanel, RepeatsView
from tests.core.test_repeats import GRASSLAND, ID_NUMBER, SCHOOL, WAGES, WAGES_PARAPHRASE

WAIT_MS = 10000
T0 = datetime(2025, 6, 1, 2, 0, tzinfo=UTC)


def _seed(context: AppContext) -> dict[str, str]:
    """巴特尔 with three earlier petitions (wages closed, grassland open, school open); returns content → id."""
    ids: dict[str, str] = {}
    with context.session_factory() as session:
        bureau = OrgUnit(name="伊金霍洛旗信访局", kind=OrgUnitKind.BUREAU)
        person = Petitioner(name="巴特尔", id_number=ID_NUMBER)
        session.add_all([bureau, person])
        session.flush()
        for days, (content, state, number) in enumerate(
            [(WAGES, "closed", "伊信〔2025〕000012号"), (GRASSLAND, "in_progress", None), (SCHOOL, "registered", None)]
        ):
            petition = Petition(
                query_code=f"Q{days}",
                form=PetitionForm.VISIT,
                purpose=PetitionPurpose.REQUEST,
                registering_unit_id=bureau.id,
                petitioner_id=person.id,
                content=content,
                state=state,
                case_number=number,
                registered_at=T0 + timedelta(days=30 * days),
            )
            session.add(petition)
            ids[content] = petition.id
        session.commit()
    return ids


def _panel(qtbot: QtBot, context: AppContext) -> RepeatsPanel:
    panel = RepeatsPanel(context)
    qtbot.addWidget(panel)
    panel.resize(720, 360)
    panel.show()
    return panel


def test_an_id_number_shows_the_history_and_typing_ranks_the_repeat_first(qtbot: QtBot, context: AppContext) -> None:
    ids = _seed(context)
    panel = _panel(qtbot, context)
    with qtbot.waitSignal(panel.loaded, timeout=WAIT_MS) as first:
        panel.set_id_number("150627198503071233")
    view: RepeatsView = first.args[0]
    assert view.history.petition_count == 3
    assert panel.ui.historyLabel.text().startswith("此前信访 3 次，未办结 2 件")
    assert "办理中 1" in panel.ui.statesLabel.text()
    assert panel.ui.candidatesTable.rowCount() == 3
    assert not panel.ui.linkButton.isEnabled()  # nothing typed yet: no likely repeat chosen for the clerk
    with qtbot.waitSignal(panel.loaded, timeout=WAIT_MS):
        panel.set_content(WAGES_PARAPHRASE)
    table = panel.ui.candidatesTable
    assert table.item(0, 3).text() == "伊信〔2025〕000012号"
    assert table.item(0, 2).text() == "已办结"
    assert int(table.item(0, 0).text().rstrip("%")) >= 35
    assert panel.ui.likelyLabel.text() == "1 件内容相近，可能是重复信访"
    assert panel.selected_candidate() is not None and panel.selected_candidate().petition.id == ids[WAGES]
    linked: list[str | None] = []
    panel.set_link_handler(linked.append)
    with qtbot.waitSignal(panel.link_requested, timeout=WAIT_MS) as requested:
        panel.ui.linkButton.click()
    assert requested.args == [ids[WAGES]] and linked == [ids[WAGES]]
    assert panel.ui.messageLabel.text() == "已关联：伊信〔2025〕000012号"
    assert panel.ui.linkButton.text() == "取消关联(&U)"
    panel.ui.linkButton.click()
    assert linked == [ids[WAGES], None] and panel.linked_id is None
    assert panel.ui.messageLabel.text() == "已取消关联：伊信〔2025〕000012号"
    assert panel.ui.linkButton.text() == "关联为重复信访(&L)"
    panel.ui.linkButton.click()
    panel.grab().save("/tmp/repeats_panel.png")


def test_a_new_person_and_an_invalid_number(qtbot: QtBot, context: AppContext) -> None:
    _seed(context)
    panel = _panel(qtbot, context)
    with qtbot.waitSignal(panel.loaded, timeout=WAIT_MS):
        panel.set_id_number("110101199003074514")
    assert panel.ui.historyLabel.text() == "此人此前没有信访记录。"
    assert panel.ui.candidatesTable.rowCount() == 0
    panel.set_id_number("15062719850307")  # typed halfway: not valid, nothing queried
    assert panel.ui.candidatesTable.rowCount() == 0
    assert panel.ui.historyLabel.text().startswith("读取身份证或填写身份号码后")


def test_a_link_refused_by_the_page_says_why(qtbot: QtBot, context: AppContext) -> None:
    _seed(context)
    panel = _panel(qtbot, context)
    with qtbot.waitSignal(panel.loaded, timeout=WAIT_MS):
        panel.set_id_number(ID_NUMBER)
    panel.link_selected()
    assert panel.ui.messageLabel.text() == "请先在列表中选择原信访件"

    def refuse(petition_id: str | None) -> None:
        raise ValueError("该信访件已办结，不能关联")

    panel.set_link_handler(refuse)
    panel.ui.candidatesTable.selectRow(1)
    panel.link_selected()
    assert panel.ui.messageLabel.text() == "关联失败：该信访件已办结，不能关联"


def test_an_answer_for_an_earlier_number_is_dropped(qtbot: QtBot, context: AppContext) -> None:
    _seed(context)
    panel = _panel(qtbot, context)
    with qtbot.waitSignal(panel.loaded, timeout=WAIT_MS) as last:
        panel.set_id_number(ID_NUMBER)
        panel.set_id_number("110101199003074514")
    assert last.args[0].id_number == "110101199003074514"
    qtbot.waitUntil(lambda: context.tasks.pending == 0, timeout=WAIT_MS)
    assert panel.ui.candidatesTable.rowCount() == 0
