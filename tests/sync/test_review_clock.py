"""A counter whose clock runs ahead does not decide what happened when (both databases): the server dates nothing
after it received it, so a correct counter's next step on the case is not refused as out of order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from efangtong_core.models import CaseEvent
from efangtong_core.vocabulary import Role
from tests.server.conftest import ServerUnderTest
from tests.sync.case_support import cast, event, petition_row, push, register


def test_a_counter_clock_ahead_dates_nothing_in_the_future(server: ServerUnderTest) -> None:
    c = cast(server)
    ahead = datetime.now(UTC) + timedelta(days=2)
    before = datetime.now(UTC)
    petition, answers = register(server, c, town=c.town_a, at=ahead)
    received = datetime.now(UTC)
    assert [a["outcome"] for a in answers] == ["accepted"] * 4
    with server.sessions() as session:
        [registered] = session.scalars(select(CaseEvent.at).where(CaseEvent.petition_id == petition)).all()
    assert before - timedelta(seconds=1) <= registered <= received
    row = petition_row(server, petition)
    assert row.registered_at is not None and row.registered_at <= received

    # The dispatcher's counter keeps the right time: routing the case now is in order.
    routed = event(petition, "assigned", Role.DISPATCHER, datetime.now(UTC), unit=c.town_a, co_units=[],
                   deadline=(datetime.now(UTC) + timedelta(days=30)).date().isoformat())  # fmt: skip
    [answer] = push(server, c.counter, [routed])
    assert answer["outcome"] == "accepted", answer["reason"]
    assert petition_row(server, petition).state == "assigned"
