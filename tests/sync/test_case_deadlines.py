"""Deadlines the server derives and enforces at frozen event times across weekends and holidays (both databases):
a registration before National Day, an assignment on its eve, an extension over a weekend; and the administrator's
holiday calendar and deadline rules in the database, not the built-in defaults, decide."""

from __future__ import annotations

from datetime import date

from efangtong_core.vocabulary import Role
from efangtong_core.workdays import default_calendar
from tests.server.conftest import ServerUnderTest
from tests.sync.case_support import Cast, cast, china, event, petition_row, push, register

EVE = date(2026, 9, 30)
"""Wednesday, the last working day before the National Day holiday (1–7 October 2026; Saturday 10 October worked)."""


def _signed_on_the_eve(server: ServerUnderTest, c: Cast) -> str:
    """A case registered the day before, assigned to town A on the eve of the holiday and signed for that day."""
    petition, answers = register(server, c, town=c.town_a, at=china(date(2026, 9, 29)))
    assert [a["outcome"] for a in answers] == ["accepted"] * 4
    answers = push(
        server,
        c.counter,
        [event(petition, "assigned", Role.DISPATCHER, china(EVE, 9), unit=c.town_a, deadline="2026-11-30")],
    )
    assert answers[0]["outcome"] == "accepted"
    sign = event(petition, "signed_for", Role.HANDLER, china(EVE, 16), actor_unit=c.town_a)
    assert push(server, c.handler_a, [sign])[0]["outcome"] == "accepted"
    return petition


def _object(server: ServerUnderTest, c: Cast, petition: str, day: date) -> dict[str, object]:
    objection = event(petition, "returned_misrouted", Role.HANDLER, china(day), reason="不属于本镇职权范围")
    return push(server, c.handler_a, [objection])[0]


def test_deadlines_over_national_day_and_a_weekend(server: ServerUnderTest) -> None:
    c = cast(server)
    # Registered 16 September: 15 days end on 1 October, a holiday, so the route deadline is 8 October.
    registered, _ = register(server, c, town=c.town_a, at=china(date(2026, 9, 16)))
    assert petition_row(server, registered).deadline == date(2026, 10, 8)

    # Signed for on the eve: the petitioner is told within 15 days (15 October, a Thursday), and an objection may come
    # within 5 working days: 8, 9, 10 (the Saturday worked), 12 and 13 October.
    on_time = _signed_on_the_eve(server, c)
    assert petition_row(server, on_time).deadline == date(2026, 10, 15)
    assert _object(server, c, on_time, date(2026, 10, 13))["outcome"] == "accepted"
    assert petition_row(server, on_time).state == "registered"
    late = _signed_on_the_eve(server, c)
    answer = _object(server, c, late, date(2026, 10, 14))
    assert answer["code"] == "objection_too_late" and "2026-10-13" in str(answer["reason"])
    assert petition_row(server, late).state == "pending_acceptance"

    # Accepted 2 August (transferred, no 交办 deadline): 60 days end on 1 October → 8 October; 30 more days approved
    # count from 9 October and end on Saturday 7 November → Monday 9 November.
    handled, _ = register(server, c, town=c.town_a, at=china(date(2026, 7, 30)))
    steps = [
        (c.counter, event(handled, "transferred", Role.DISPATCHER, china(date(2026, 7, 31)), unit=c.town_a)),
        (c.handler_a, event(handled, "signed_for", Role.HANDLER, china(date(2026, 8, 1)), actor_unit=c.town_a)),
        (c.handler_a, event(handled, "accepted", Role.HANDLER, china(date(2026, 8, 2)), actor_unit=c.town_a)),
    ]
    for who, step in steps:
        assert push(server, who, [step])[0]["outcome"] == "accepted"
    assert petition_row(server, handled).deadline == date(2026, 10, 8)
    request = event(handled, "extension_requested", Role.HANDLER, china(date(2026, 10, 8)), days=30, reason="需鉴定")
    assert push(server, c.handler_a, [request])[0]["outcome"] == "accepted"
    approve = event(handled, "extension_approved", Role.UNIT_HEAD, china(date(2026, 10, 9)), days=30)
    assert push(server, c.head_a, [approve])[0]["outcome"] == "accepted"
    assert petition_row(server, handled).deadline == date(2026, 11, 9)


def test_the_databases_calendar_and_rules_decide(server: ServerUnderTest) -> None:
    c = cast(server)
    admin = server.headers(server.user(Role.ADMIN))
    shipped = default_calendar()
    days = [{"day": d.isoformat(), "kind": "holiday"} for d in sorted(shipped.holidays) if d.year == 2026]
    days += [{"day": d.isoformat(), "kind": "workday"} for d in sorted(shipped.workdays) if d.year == 2026]
    days.append({"day": "2026-10-13", "kind": "holiday", "name": "本地假日"})  # the administrator's own day off
    answer = server.client.put("/api/v1/admin/deadlines/holidays/years/2026", json={"days": days}, headers=admin)
    assert answer.status_code == 200, answer.text
    # 13 October is now a day off: the fifth working day after the eve is 14 October.
    later = _signed_on_the_eve(server, c)
    assert _object(server, c, later, date(2026, 10, 14))["outcome"] == "accepted"

    answer = server.client.patch("/api/v1/admin/deadlines/rules/misroute_objection", json={"days": 2}, headers=admin)
    assert answer.status_code == 200, answer.text
    # Two working days now: 8 and 9 October; the Saturday worked (10 October) is too late.
    shorter = _signed_on_the_eve(server, c)
    answer_late = _object(server, c, shorter, date(2026, 10, 10))
    assert answer_late["code"] == "objection_too_late" and "2026-10-09" in str(answer_late["reason"])
