"""Accountability on sync (both databases): a town acts only on the cases its unit handles, decisions belong to the
lead unit, nobody approves their own extension request or reply, and the unit an event names must be one's own."""

from __future__ import annotations

from datetime import date

from efangtong_core.vocabulary import Role
from tests.server.conftest import ServerUnderTest
from tests.sync.case_support import BUREAU, Cast, cast, change, china, event, person, petition_row, push, register

DAY = date(2026, 3, 2)


def _assigned_to_a(server: ServerUnderTest, c: Cast, *, town: str | None = None, co: list[str] | None = None) -> str:
    """A case about `town` (town A by default) assigned to town A, signed for and accepted there."""
    petition, answers = register(server, c, town=town or c.town_a, at=china(DAY, 9))
    assert [a["outcome"] for a in answers] == ["accepted"] * 4
    routed = event(petition, "assigned", Role.DISPATCHER, china(DAY, 10), unit=c.town_a, co_units=co or [],
                   deadline="2026-04-30")  # fmt: skip
    assert push(server, c.counter, [routed])[0]["outcome"] == "accepted"
    return petition


def _outcomes(answers: list[dict[str, object]]) -> list[object]:
    return [answer["outcome"] if answer["outcome"] == "accepted" else answer["code"] for answer in answers]


def _a_town_cannot_act_on_another_towns_case(server: ServerUnderTest, c: Cast) -> None:
    petition = _assigned_to_a(server, c)
    sign = event(petition, "signed_for", Role.HANDLER, china(DAY, 11), actor_unit=c.town_b)
    [answer] = push(server, c.handler_b, [sign])
    assert answer["code"] == "out_of_scope"  # town B does not even see town A's case
    note = event(petition, "note", Role.HANDLER, china(DAY, 11), text="走访了解情况")
    assert push(server, c.handler_b, [note])[0]["code"] == "out_of_scope"
    assert petition_row(server, petition).state == "assigned"


def _a_town_sees_a_case_about_it_but_cannot_handle_it_when_another_unit_does(server: ServerUnderTest, c: Cast) -> None:
    petition = _assigned_to_a(server, c, town=c.town_b)  # about town B, assigned to town A
    sign = event(petition, "signed_for", Role.HANDLER, china(DAY, 11), actor_unit=c.town_b)
    [answer] = push(server, c.handler_b, [sign])
    assert answer["code"] == "not_handling_unit"
    assert "不由本单位承办" in answer["reason"] and "签收" in answer["reason"]
    ok = event(petition, "signed_for", Role.HANDLER, china(DAY, 11), actor_unit=c.town_a)
    assert push(server, c.handler_a, [ok])[0]["outcome"] == "accepted"


def _a_co_handling_unit_signs_and_notes_but_the_lead_unit_decides(server: ServerUnderTest, c: Cast) -> None:
    petition, _ = register(server, c, town=c.town_b, at=china(DAY, 9))
    routed = event(petition, "assigned", Role.DISPATCHER, china(DAY, 10), unit=c.town_a, co_units=[c.town_b],
                   deadline="2026-04-30")  # fmt: skip
    assert push(server, c.counter, [routed])[0]["outcome"] == "accepted"
    answers = push(
        server,
        c.handler_b,
        [
            event(petition, "signed_for", Role.HANDLER, china(DAY, 11), actor_unit=c.town_b),
            event(petition, "accepted", Role.HANDLER, china(DAY, 12), actor_unit=c.town_b),
        ],
    )
    assert _outcomes(answers) == ["accepted", "not_lead_unit"]
    assert "主办单位" in answers[1]["reason"]
    assert push(server, c.handler_a, [event(petition, "accepted", Role.HANDLER, china(DAY, 12))])[0]["outcome"] == (
        "accepted"
    )
    note = event(petition, "note", Role.HANDLER, china(DAY, 13), text="协办单位已走访", actor_unit=c.town_b)
    assert push(server, c.handler_b, [note])[0]["outcome"] == "accepted"


def _the_unit_an_event_names_must_be_within_the_actors_scope(server: ServerUnderTest, c: Cast) -> None:
    petition = _assigned_to_a(server, c)
    sign = event(petition, "signed_for", Role.HANDLER, china(DAY, 11), actor_unit=c.town_b)
    [answer] = push(server, c.handler_a, [sign])
    assert answer["code"] == "actor_unit_out_of_scope"


def _a_town_cannot_make_itself_a_handling_unit(server: ServerUnderTest, c: Cast) -> None:
    petition, _ = register(server, c, town=c.town_a, at=china(DAY, 9))  # about town A: visible to it
    routed = event(petition, "assigned", Role.DISPATCHER, china(DAY, 10), unit=c.bureau, deadline="2026-04-30")
    assert push(server, c.counter, [routed])[0]["outcome"] == "accepted"
    own_unit = change("petition_unit", {"petition_id": petition, "unit_id": c.town_a, "role": "lead",
                                        "assigned_at": china(DAY, 11).isoformat()})  # fmt: skip
    own_lead = change("petition", {"lead_unit_id": c.town_a, "state": "in_progress"}, petition)
    answers = push(server, c.handler_a, [own_unit, own_lead])
    assert _outcomes(answers) == ["read_only_table", "accepted"]
    row = petition_row(server, petition)
    assert (row.lead_unit_id, row.state) == (c.bureau, "assigned")  # derived columns are the server's alone
    sign = event(petition, "signed_for", Role.HANDLER, china(DAY, 12), actor_unit=c.town_a)
    assert push(server, c.handler_a, [sign])[0]["code"] == "not_handling_unit"


def _a_bureau_handler_handles_the_bureaus_cases_not_every_towns(server: ServerUnderTest, c: Cast) -> None:
    bureau_handler = person(server, (Role.HANDLER,), BUREAU)  # county scope: sees every case
    town_case = _assigned_to_a(server, c)
    sign = event(town_case, "signed_for", Role.HANDLER, china(DAY, 11), actor_unit=c.bureau)
    [answer] = push(server, bureau_handler, [sign])
    assert answer["code"] == "not_handling_unit"
    assert petition_row(server, town_case).state == "assigned"
    own_case, _ = register(server, c, town=c.town_a, at=china(DAY, 9))
    routed = event(own_case, "assigned", Role.DISPATCHER, china(DAY, 10), unit=c.bureau, deadline="2026-04-30")
    assert push(server, c.counter, [routed])[0]["outcome"] == "accepted"
    sign_own = event(own_case, "signed_for", Role.HANDLER, china(DAY, 11), actor_unit=c.bureau)
    assert push(server, bureau_handler, [sign_own])[0]["outcome"] == "accepted"


def _in_progress(server: ServerUnderTest, c: Cast) -> str:
    petition = _assigned_to_a(server, c)
    answers = push(
        server,
        c.both_a,
        [
            event(petition, "signed_for", Role.HANDLER, china(DAY, 11), actor_unit=c.town_a),
            event(petition, "accepted", Role.HANDLER, china(DAY, 12), actor_unit=c.town_a),
        ],
    )
    assert _outcomes(answers) == ["accepted", "accepted"]
    return petition


def _nobody_approves_their_own_extension_request(server: ServerUnderTest, c: Cast) -> None:
    petition = _in_progress(server, c)
    request = event(
        petition, "extension_requested", Role.HANDLER, china(date(2026, 4, 20)), days=20, reason="需补充调查"
    )
    approve = event(petition, "extension_approved", Role.UNIT_HEAD, china(date(2026, 4, 21)), days=20)
    refuse = event(petition, "extension_refused", Role.UNIT_HEAD, china(date(2026, 4, 21)))
    answers = push(server, c.both_a, [request, approve, refuse])  # in one batch: the request is known at once
    assert _outcomes(answers) == ["accepted", "own_request", "own_request"]
    assert answers[1]["reason"] == "不能批准本人提出的延期申请，须由单位负责人中的其他人审批"
    assert push(server, c.both_a, [approve])[0]["code"] == "own_request"  # a resend is answered the same way
    other = event(petition, "extension_approved", Role.UNIT_HEAD, china(date(2026, 4, 21)), days=20)
    assert push(server, c.head_a, [other])[0]["outcome"] == "accepted"
    row = petition_row(server, petition)
    assert row.state == "in_progress"


def _nobody_signs_off_the_reply_they_drafted(server: ServerUnderTest, c: Cast) -> None:
    petition = _in_progress(server, c)
    draft = event(petition, "reply_drafted", Role.HANDLER, china(date(2026, 4, 1)), outcome="supported")
    assert push(server, c.both_a, [draft])[0]["outcome"] == "accepted"
    replied = event(petition, "replied", Role.UNIT_HEAD, china(date(2026, 4, 2)))
    returned = event(petition, "reply_returned", Role.UNIT_HEAD, china(date(2026, 4, 2)), reason="补充依据")
    assert _outcomes(push(server, c.both_a, [replied, returned])) == ["own_request", "own_request"]
    by_head = event(petition, "replied", Role.UNIT_HEAD, china(date(2026, 4, 2)))
    assert push(server, c.head_a, [by_head])[0]["outcome"] == "accepted"
    assert petition_row(server, petition).state == "replied"


def _a_handler_cannot_approve_even_when_pretending_to_be_the_unit_head(server: ServerUnderTest, c: Cast) -> None:
    petition = _in_progress(server, c)
    request = event(petition, "extension_requested", Role.HANDLER, china(date(2026, 4, 20)), days=10, reason="复杂")
    assert push(server, c.handler_a, [request])[0]["outcome"] == "accepted"
    approve = event(petition, "extension_approved", Role.UNIT_HEAD, china(date(2026, 4, 21)), days=10)
    assert push(server, c.handler_a, [approve])[0]["code"] == "role_not_held"
    as_handler = event(petition, "extension_approved", Role.HANDLER, china(date(2026, 4, 21)), days=10)
    assert push(server, c.handler_a, [as_handler])[0]["code"] == "role_not_allowed"


def test_a_unit_acts_only_on_the_cases_it_handles_and_the_lead_unit_decides(server: ServerUnderTest) -> None:
    c = cast(server)
    _a_town_cannot_act_on_another_towns_case(server, c)
    _a_town_sees_a_case_about_it_but_cannot_handle_it_when_another_unit_does(server, c)
    _a_co_handling_unit_signs_and_notes_but_the_lead_unit_decides(server, c)
    _the_unit_an_event_names_must_be_within_the_actors_scope(server, c)
    _a_town_cannot_make_itself_a_handling_unit(server, c)
    _a_bureau_handler_handles_the_bureaus_cases_not_every_towns(server, c)


def test_four_eyes_on_extensions_and_replies(server: ServerUnderTest) -> None:
    c = cast(server)
    _nobody_approves_their_own_extension_request(server, c)
    _nobody_signs_off_the_reply_they_drafted(server, c)
    _a_handler_cannot_approve_even_when_pretending_to_be_the_unit_head(server, c)
