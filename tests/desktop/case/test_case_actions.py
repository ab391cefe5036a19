"""Case actions on a replica: allowed and refused by role and unit, the outbox entry, and the derived petition rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from efangtong_core.case_projection import unit_row_id
from efangtong_core.case_states import ReviewOutcome
from efangtong_core.lifecycle import EventType
from efangtong_core.models import Attachment, CaseEvent, PetitionUnit
from efangtong_core.models.sync import SyncOutbox
from efangtong_core.vocabulary import ReplyOutcome, Satisfaction
from efangtong_desktop.services import case_actions as actions
from efangtong_desktop.services.case_actions import ActionRefused, available_actions, load_case
from efangtong_desktop.services.case_events import record_event
from sync.attachments import LocalAttachmentStore
from sync.outbox import REJECTED
from tests.desktop.case.world import CaseWorld, make_world

E = EventType


@pytest.fixture
def world(tmp_path: Path) -> CaseWorld:
    return make_world(tmp_path / "replica.sqlite")


def allowed(world: CaseWorld, who: str, petition_id: str) -> set[EventType]:
    with world.factory() as session:
        return set(available_actions(load_case(session, petition_id), world.actors[who]))


def units_of(world: CaseWorld, petition_id: str) -> dict[str, tuple[str, bool]]:
    """unit id → (role, signed) of the live petition_unit rows."""
    with world.plain() as session:
        rows = session.scalars(
            select(PetitionUnit).where(PetitionUnit.petition_id == petition_id, PetitionUnit.deleted_at.is_(None))
        )
        return {row.unit_id: (row.role, row.signed_at is not None) for row in rows}


def handling_due(world: CaseWorld, petition_id: str) -> date:
    with world.factory() as session:
        status = load_case(session, petition_id).status
    assert status is not None and status.handling_due is not None
    return status.handling_due


def assigned_case(world: CaseWorld) -> str:
    case = world.new_case()
    a = world.actors
    actions.route(world.factory, a["dispatcher"], case, assign=True, unit_id=world.units["town_a"],
                  co_unit_ids=[world.units["dept"]])  # fmt: skip
    return case


def handling_case(world: CaseWorld) -> str:
    case = assigned_case(world)
    actions.sign_for(world.factory, world.actors["handler_a"], case)
    actions.accept(world.factory, world.actors["handler_a"], case, notice="已电话告知")
    return case


def test_a_registered_case_offers_the_dispatchers_decisions_only_to_the_dispatcher(world: CaseWorld) -> None:
    case = world.new_case()
    assert allowed(world, "dispatcher", case) == {
        E.ACCEPTED, E.NOT_ACCEPTED, E.NOT_REACCEPTED, E.TRANSFERRED, E.ASSIGNED, E.MERGED,
    }  # fmt: skip
    assert allowed(world, "clerk", case) == set()
    assert allowed(world, "handler_a", case) == set()
    with pytest.raises(ActionRefused, match=r"承办员.*无权"):
        actions.accept(world.factory, world.actors["handler_a"], case)
    assert world.outbox() == []


def test_assignment_writes_one_event_to_the_outbox_and_derives_units_and_deadline(world: CaseWorld) -> None:
    case = assigned_case(world)
    petition = world.petition(case)
    assert petition.state == "assigned" and petition.event_count == 2
    assert petition.lead_unit_id == world.units["town_a"]
    with world.factory() as session:
        expected = actions.suggested_assignment_deadline(load_case(session, case), date.today())
    assert petition.deadline == expected and petition.deadline > date.today() + timedelta(days=55)
    assert units_of(world, case) == {world.units["town_a"]: ("lead", False), world.units["dept"]: ("co", False)}
    assert world.outbox() == [("case_event", "upsert")]  # derived rows are the server's to derive, not sent
    with world.plain() as session:
        event = session.scalars(select(CaseEvent).where(CaseEvent.type == "assigned")).one()
    assert event.actor_id == world.actors["dispatcher"].user_id and event.actor_unit_id == world.units["bureau"]
    assert event.role == "dispatcher" and event.seq == 2 and event.server_seq is None
    assert event.payload["co_units"] == [world.units["dept"]]


def test_routing_needs_a_known_lead_unit_and_refuses_changing_nothing(world: CaseWorld) -> None:
    case = world.new_case()
    dispatcher = world.actors["dispatcher"]
    with pytest.raises(ActionRefused, match="主办单位"):
        actions.route(world.factory, dispatcher, case, assign=False, unit_id="no-such-unit")
    with pytest.raises(ActionRefused, match="协办"):
        actions.route(world.factory, dispatcher, case, assign=False, unit_id=world.units["town_a"],
                      co_unit_ids=[world.units["town_a"]])  # fmt: skip
    with pytest.raises(ActionRefused, match="期限"):
        actions.route(world.factory, dispatcher, case, assign=True, unit_id=world.units["town_a"],
                      deadline=date.today() - timedelta(days=3))  # fmt: skip
    assert world.petition(case).state == "registered" and world.outbox() == []


def test_only_the_handling_unit_signs_for_a_case(world: CaseWorld) -> None:
    case = assigned_case(world)
    assert allowed(world, "handler_b", case) == set()
    with pytest.raises(ActionRefused, match="不由本单位承办"):
        actions.sign_for(world.factory, world.actors["handler_b"], case)
    assert allowed(world, "handler_a", case) == {E.SIGNED_FOR}
    actions.sign_for(world.factory, world.actors["handler_a"], case)
    assert world.petition(case).state == "pending_acceptance"
    assert units_of(world, case)[world.units["town_a"]] == ("lead", True)
    assert allowed(world, "handler_a", case) == {E.ACCEPTED, E.NOT_ACCEPTED, E.NOT_REACCEPTED, E.RETURNED_MISROUTED}
    assert allowed(world, "inspector", case) == {E.SUPERVISED}


def test_misroute_objection_needs_a_reason_and_comes_within_five_working_days(world: CaseWorld) -> None:
    case = assigned_case(world)
    handler = world.actors["handler_a"]
    actions.sign_for(world.factory, handler, case)
    with pytest.raises(ActionRefused, match="请填写异议理由"):
        actions.return_misrouted(world.factory, handler, case, reason="  ")
    late = datetime.now(UTC) + timedelta(days=12)
    with pytest.raises(ActionRefused, match="5 个工作日内"):
        record_event(world.factory, handler, case, E.RETURNED_MISROUTED, {"reason": "不属于本镇"}, now=late)
    assert world.petition(case).event_count == 3 and len(world.outbox()) == 2
    actions.return_misrouted(world.factory, handler, case, reason="该事项属自然资源部门职权")
    petition = world.petition(case)
    assert petition.state == "registered" and petition.lead_unit_id is None
    assert units_of(world, case) == {}
    actions.route(world.factory, world.actors["dispatcher"], case, assign=False, unit_id=world.units["dept"])
    assert units_of(world, case) == {world.units["dept"]: ("lead", False)}
    with world.plain() as session:
        assert session.get(PetitionUnit, unit_row_id(case, world.units["dept"])) is not None


def test_handling_through_extension_reply_evaluation_and_closing(world: CaseWorld, tmp_path: Path) -> None:
    case = handling_case(world)
    f, a = world.factory, world.actors
    accepted = world.petition(case)
    assert accepted.state == "in_progress" and accepted.accepted_at is not None
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\nfake")
    store = LocalAttachmentStore(tmp_path / "blobs")
    with pytest.raises(ActionRefused, match="内容或添加附件"):
        actions.add_note(f, a["handler_a"], case, text=" ")
    note = actions.add_note(f, a["handler_a"], case, text="已实地走访", attachments=[photo], store=store)
    with world.plain() as session:
        attachment = session.scalars(select(Attachment).where(Attachment.case_event_id == note)).one()
    assert attachment.kind == "image" and attachment.petition_id == case and store.has(attachment.sha256)
    with pytest.raises(ActionRefused, match="不得超过 30 日"):
        actions.request_extension(f, a["both_a"], case, days=31, reason="情况复杂")
    actions.request_extension(f, a["both_a"], case, days=20, reason="需协调多部门")
    assert allowed(world, "handler_a", case) == {E.NOTE}
    with pytest.raises(ActionRefused, match="本人提出的延期申请"):
        actions.decide_extension(f, a["both_a"], case, approve=True)
    due = handling_due(world, case)
    actions.decide_extension(f, a["head_a"], case, approve=True)
    assert world.petition(case).state == "in_progress"
    assert handling_due(world, case) >= due + timedelta(days=20)
    with pytest.raises(ActionRefused, match="只能延长一次"):
        actions.request_extension(f, a["handler_a"], case, days=5, reason="再延")
    actions.draft_reply(f, a["handler_a"], case, outcome=ReplyOutcome.SUPPORTED, text="支持信访人诉求，三日内拨付。")
    actions.decide_reply(f, a["head_a"], case, approve=False, reason="请补充依据")
    actions.draft_reply(f, a["handler_a"], case, outcome=ReplyOutcome.EXPLAINED, text="依据政策作出解释说明。")
    actions.decide_reply(f, a["head_a"], case, approve=True)
    assert world.petition(case).state == "replied"
    actions.evaluate(f, a["clerk"], case, satisfaction=Satisfaction.DISSATISFIED, comment="不满意")
    actions.close(f, a["dispatcher"], case)
    closed = world.petition(case)
    assert closed.state == "closed" and closed.closed_at is not None
    actions.request_review(f, a["clerk"], case, reason="对处理意见不服")
    assert world.petition(case).closed_at is None
    actions.decide_review(f, a["leader"], case, outcome=ReviewOutcome.UPHELD, text="维持原处理意见")
    actions.request_review(f, a["clerk"], case, reason="不服复查意见", re_review=True)
    actions.decide_review(f, a["leader"], case, outcome=ReviewOutcome.UPHELD, text="复核维持", re_review=True)
    final = world.petition(case)
    assert final.state == "re_reviewed" and final.deadline is None
    assert [t for t, _ in world.outbox()].count("case_event") == final.event_count - 1  # all but the pulled 登记


def test_acceptance_at_the_bureau_makes_the_bureau_the_lead_unit(world: CaseWorld) -> None:
    case = world.new_case()
    actions.accept(world.factory, world.actors["dispatcher"], case, notice="本局直接办理")
    petition = world.petition(case)
    assert petition.lead_unit_id == world.units["bureau"] and petition.accepted_at is not None
    assert units_of(world, case) == {world.units["bureau"]: ("lead", True)}


def test_not_accepted_needs_a_reason_and_ends_the_case(world: CaseWorld) -> None:
    case = world.new_case()
    with pytest.raises(ActionRefused, match="不予受理的理由"):
        actions.not_accept(world.factory, world.actors["dispatcher"], case, reason="")
    actions.not_accept(world.factory, world.actors["dispatcher"], case, reason="属于诉讼途径解决的事项")
    assert world.petition(case).state == "not_accepted" and world.petition(case).deadline is None
    assert allowed(world, "dispatcher", case) == set()


def test_supervision_sets_a_nearer_deadline_and_merge_points_to_the_original(world: CaseWorld) -> None:
    original, duplicate = world.new_case(), assigned_case(world)
    soon = date.today() + timedelta(days=5)
    actions.supervise(world.factory, world.actors["inspector"], duplicate, text="请加快办理", deadline=soon)
    assert world.petition(duplicate).deadline == soon
    dispatcher = world.actors["dispatcher"]
    with pytest.raises(ActionRefused, match="找不到要并入"):
        actions.merge(world.factory, dispatcher, duplicate, into_petition_id="nothing", reason="重复")
    with pytest.raises(ActionRefused, match="并入它自己"):
        actions.merge(world.factory, dispatcher, duplicate, into_petition_id=duplicate, reason="重复")
    actions.merge(world.factory, dispatcher, duplicate, into_petition_id=original, reason="重复信访")
    merged = world.petition(duplicate)
    assert merged.state == "merged" and merged.merged_into_id == original and merged.deadline is None


def test_an_event_the_server_refused_no_longer_counts(world: CaseWorld) -> None:
    case = assigned_case(world)
    event_id = actions.sign_for(world.factory, world.actors["handler_a"], case)
    with world.plain() as session:
        session.execute(update(SyncOutbox).where(SyncOutbox.row_id == event_id).values(state=REJECTED, reason="x"))
        session.commit()
    with world.factory() as session:
        snapshot = load_case(session, case)
    assert snapshot.status is not None and snapshot.status.state.value == "assigned"
    assert snapshot.rejected_event_ids == {event_id}


def test_a_double_click_records_once(world: CaseWorld) -> None:
    case = assigned_case(world)
    actions.sign_for(world.factory, world.actors["handler_a"], case)
    with pytest.raises(ActionRefused, match="不能进行「签收」"):
        actions.sign_for(world.factory, world.actors["handler_a"], case)
    assert world.petition(case).event_count == 3


def test_a_co_handling_unit_signs_and_notes_but_the_lead_unit_decides(world: CaseWorld) -> None:
    case = assigned_case(world)  # 札萨克镇 leads, the department co-handles
    co = world.actors["handler_dept"]
    assert allowed(world, "handler_dept", case) == {E.SIGNED_FOR}
    actions.sign_for(world.factory, co, case)
    assert allowed(world, "handler_dept", case) == set()
    with pytest.raises(ActionRefused, match="须由主办单位办理"):
        actions.accept(world.factory, co, case)
    actions.accept(world.factory, world.actors["handler_a"], case)
    assert allowed(world, "handler_dept", case) == {E.NOTE}
    actions.add_note(world.factory, co, case, text="协办意见：已核实土地权属")
    assert world.petition(case).event_count == 5
