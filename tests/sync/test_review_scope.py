"""What a town's replica may receive (both databases): a case that becomes the town's later arrives with everything
that follows it, and nothing of another town's case — no row, no id, no name — reaches it, whatever table carries it."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date
from typing import Any

from sqlalchemy import select

from efangtong_core.models import EarlyWarning, Petition, RecordHistory
from efangtong_core.vocabulary import Role
from sync.pull import HIDDEN_CASE
from tests.server.conftest import ServerUnderTest
from tests.sync.case_support import Cast, Person, cast, change, china, event, push, register

DAY = date(2026, 3, 2)


def pull_everything(server: ServerUnderTest, who: Person, cursor: int = 0, limit: int = 3) -> tuple[list[Any], int]:
    """Every page after `cursor` in small pages: (rows, the last cursor)."""
    rows: list[Any] = []
    more = True
    while more:
        answer = server.client.get(
            "/api/v1/sync/pull",
            params={"cursor": cursor, "limit": limit},
            headers={"Authorization": f"Bearer {who.token}"},
        )
        assert answer.status_code == 200, answer.text
        page = answer.json()
        assert not page["reset"]
        rows += page["rows"]
        cursor, more = page["next_cursor"], page["has_more"]
    return rows, cursor


def _attachment(owner: dict[str, str], name: str) -> dict[str, Any]:
    digest = hashlib.sha256(name.encode()).hexdigest()
    return change("attachment", {"sha256": digest, "size": 10, "mime": "image/jpeg", "kind": "image", **owner})


def _case_with_everything(server: ServerUnderTest, c: Cast, *, town: str | None) -> dict[str, str]:
    """A registered case with a card photo, a scan, an event's photo and an overwritten content: their ids."""
    petition, answers = register(server, c, town=town, at=china(DAY, 9))
    assert [a["outcome"] for a in answers] == ["accepted"] * 4
    with server.sessions() as session:
        row = session.get(Petition, petition)
        assert row is not None
        petitioner, base = row.petitioner_id, row.server_seq
    assert petitioner is not None
    note = event(petition, "registration_corrected", Role.CLERK, china(DAY, 9), fields=["content"])
    photo = _attachment({"petitioner_id": petitioner}, f"card-{petition}")
    scan = _attachment({"petition_id": petition}, f"scan-{petition}")
    of_event = _attachment({"case_event_id": note["row_id"]}, f"event-{petition}")
    edits = [
        change("petition", {"content": f"第一次更正{petition}"}, petition),
        {**change("petition", {"content": f"第二次更正{petition}"}, petition), "base_server_seq": base},
    ]
    answers = push(server, c.counter, [note, photo, scan, of_event, *edits])
    outcomes = [(a["outcome"], a["reason"]) for a in answers]
    assert [a["outcome"] for a in answers] == ["accepted"] * 6, outcomes
    with server.sessions() as session:
        history = session.scalars(select(RecordHistory.id).where(RecordHistory.row_id == petition)).all()
    assert history  # an edit that had not seen the row's last version keeps the overwritten content
    return {
        **{f"history-{n}": row_id for n, row_id in enumerate(history)},
        "petition": petition,
        "petitioner": petitioner,
        "note": note["row_id"],
        "photo": photo["row_id"],
        "scan": scan["row_id"],
        "event_photo": of_event["row_id"],
    }


def test_a_case_assigned_to_a_town_later_reaches_it_with_everything_that_follows_it(server: ServerUnderTest) -> None:
    c = cast(server)
    ids = _case_with_everything(server, c, town=None)  # a bureau case: the town does not see it yet
    before, cursor = pull_everything(server, c.handler_a, limit=500)
    text = json.dumps(before, ensure_ascii=False)
    assert not any(row_id in text for row_id in ids.values())
    routed = event(ids["petition"], "assigned", Role.DISPATCHER, china(DAY, 10), unit=c.town_a, co_units=[],
                   deadline="2026-04-30")  # fmt: skip
    assert push(server, c.counter, [routed])[0]["outcome"] == "accepted"
    after, _ = pull_everything(server, c.handler_a, cursor)
    received = {row["values"]["id"] for row in after}
    missing = {name: row_id for name, row_id in ids.items() if row_id not in received}
    assert missing == {}, f"the town's replica (cursor past them) never receives {missing}"


def test_nothing_of_another_towns_case_reaches_a_town_not_even_an_id(server: ServerUnderTest) -> None:
    c = cast(server)
    ours = _case_with_everything(server, c, town=c.town_a)
    theirs = _case_with_everything(server, c, town=c.town_b)
    with server.sessions() as session:
        warnings = [
            EarlyWarning(rule_code="overdue", level="red", subject_type="petition", subject_id=theirs["petition"],
                         unit_id=c.town_b, message="即将超期"),
            # Misfiled on town A's unit, about town B's case and person: still town B's business.
            EarlyWarning(rule_code="overdue", level="red", subject_type="petition", subject_id=theirs["petition"],
                         unit_id=c.town_a, message="即将超期"),
            EarlyWarning(rule_code="repeat", level="yellow", subject_type="petitioner",
                         subject_id=theirs["petitioner"], unit_id=c.town_a, message="多次来访"),
            EarlyWarning(rule_code="overdue", level="red", subject_type="petition", subject_id=ours["petition"],
                         unit_id=c.town_a, message="即将超期"),
        ]  # fmt: skip
        session.add_all(warnings)
        session.commit()
        leaked_warnings = [w.id for w in warnings[:3]]
        own_warning = warnings[3].id
    rows, _ = pull_everything(server, c.handler_a)
    text = json.dumps(rows, ensure_ascii=False)
    received = {row["values"]["id"] for row in rows}
    assert set(ours.values()) | {own_warning} <= received
    leaks = {name: row_id for name, row_id in theirs.items() if row_id in text}
    assert leaks == {}, f"another town's ids reached town A: {leaks}"
    assert not any(warning in text for warning in leaked_warnings)
    assert f"更正{theirs['petition']}" not in text
    tables = {row["table"] for row in rows}
    assert "petitioner_access" not in tables and "sync_receipt" not in tables and "sync_outbox" not in tables


def test_people_known_from_other_cases_reach_the_town_of_their_new_case(server: ServerUnderTest) -> None:
    c = cast(server)
    first = _case_with_everything(server, c, town=None)  # a bureau case: its people are not the town's yet
    second = _case_with_everything(server, c, town=None)
    _, cursor = pull_everything(server, c.handler_a, limit=500)
    petition = str(uuid.uuid4())
    group = [
        change(
            "petition",
            {
                "query_code": uuid.uuid4().hex[:10].upper(),
                "form": "visit",
                "purpose": "request",
                "town_id": c.town_a,
                "content": "再次反映征地补偿问题。",
                "registering_unit_id": c.bureau,
                "registered_by_id": c.counter.user_id,
                "petitioner_id": first["petitioner"],
                "head_count": 6,
                "state": "registered",
                "registered_at": china(DAY, 11).isoformat(),
            },
            petition,
        ),
        change(
            "petition_representative", {"petition_id": petition, "petitioner_id": second["petitioner"], "position": 1}
        ),
        event(petition, "registered", Role.CLERK, china(DAY, 11)),
    ]
    answers = push(server, c.counter, group)
    assert [a["outcome"] for a in answers] == ["accepted"] * 3, answers
    rows, _ = pull_everything(server, c.handler_a, cursor)
    received = {row["values"]["id"] for row in rows}
    for known in (first, second):
        assert {known["petitioner"], known["photo"]} <= received  # the person and their card photo
        assert known["petition"] not in received  # not their other case
    phones = {row["values"]["petitioner_id"] for row in rows if row["table"] == "petitioner_phone"}
    assert phones == {first["petitioner"], second["petitioner"]}


def test_a_towns_case_never_names_another_towns_case(server: ServerUnderTest) -> None:
    c = cast(server)
    theirs, _ = register(server, c, town=c.town_b, at=china(DAY, 9))
    repeat, _ = register(server, c, town=c.town_a, at=china(DAY, 10))
    merged, _ = register(server, c, town=c.town_a, at=china(DAY, 10))
    with server.sessions() as session:
        base = session.get(Petition, repeat).server_seq  # type: ignore[union-attr]
    answers = push(
        server,
        c.counter,
        [
            change("petition", {"repeat_of_id": theirs}, repeat) | {"base_server_seq": base - 1},  # kept in history
            event(
                repeat,
                "registration_corrected",
                Role.CLERK,
                china(DAY, 11),
                changes={"repeat_of_id": {"old": None, "new": theirs}},
            ),
            event(merged, "merged", Role.DISPATCHER, china(DAY, 11), into=theirs),
        ],
    )
    assert [a["outcome"] for a in answers] == ["accepted"] * 3, answers
    with server.sessions() as session:
        assert session.get(Petition, repeat).repeat_of_id == theirs  # type: ignore[union-attr]
        assert session.get(Petition, merged).merged_into_id == theirs  # type: ignore[union-attr]
    rows, _ = pull_everything(server, c.handler_a)
    assert {repeat, merged} <= {row["values"]["id"] for row in rows}
    assert theirs not in json.dumps(rows, ensure_ascii=False)
    [merge] = [row["values"] for row in rows if row["values"].get("type") == "merged"]
    assert merge["payload"]["into"] == HIDDEN_CASE  # the event still replays on the town's counter
    county, _ = pull_everything(server, c.counter, limit=500)  # the bureau sees both: nothing blanked for it
    [original] = [row["values"] for row in county if row["values"]["id"] == repeat]
    assert original["repeat_of_id"] == theirs
