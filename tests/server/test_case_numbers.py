"""Case numbers (案件编号): given by the server on the push that brings a petition, per registration year, pulled by
the counters; a number sent by a counter is ignored; concurrent writers get distinct numbers (both databases)."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from efangtong_core.db import open_database, session_factory, writing_engine
from efangtong_core.models import OrgUnit, Petition, User
from efangtong_core.vocabulary import Role
from efangtong_server.cases.numbers import (
    format_case_number,
    number_unnumbered_petitions,
    parse_case_number,
    take_numbers,
)
from tests.server.conftest import ServerUnderTest
from tests.sync.support import InProcessTransport, open_replica, register_petition, rows

BUREAU = "伊金霍洛旗信访局"


def _clerk(server: ServerUnderTest) -> tuple[str, str, str]:
    username = server.user(Role.CLERK, unit=BUREAU)
    with server.sessions() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        return user.id, user.org_unit_id, str(server.login(username)["access_token"])


def test_format_and_parse() -> None:
    assert format_case_number(2026, 123) == "伊信〔2026〕000123号"
    assert parse_case_number("伊信〔2026〕000123号") == (2026, 123)
    assert parse_case_number("伊信2024-0001") is None
    assert parse_case_number(None) is None


def test_server_numbers_new_petitions_per_registration_year_and_counters_pull_them(
    server: ServerUnderTest, tmp_path: Path
) -> None:
    user_id, unit_id, token = _clerk(server)
    replica = open_replica(tmp_path / "a.sqlite")
    engine = replica.client(InProcessTransport(server.client, token))
    engine.sync()
    # 31 December 2025, 20:00 in China is still 2025 there (12:00 UTC).
    _, old = register_petition(replica, unit_id=unit_id, town_id=None, user_id=user_id,
                               at=datetime(2025, 12, 31, 12, 0, tzinfo=UTC))  # fmt: skip
    _, first = register_petition(replica, unit_id=unit_id, town_id=None, user_id=user_id,
                                 at=datetime(2026, 1, 1, 1, 0, tzinfo=UTC))  # fmt: skip
    _, second = register_petition(replica, unit_id=unit_id, town_id=None, user_id=user_id,
                                  at=datetime(2026, 1, 2, 1, 0, tzinfo=UTC))  # fmt: skip
    with replica.session() as session:  # the counter shows a provisional number until the server's arrives
        petition = session.get(Petition, first)
        assert petition is not None
        petition.provisional_number = "临-0001"
        session.commit()
    report = engine.sync()
    assert report.rejected == 0
    with server.sessions() as session:
        numbers = {p.id: p.case_number for p in session.scalars(select(Petition))}
    assert numbers == {
        old: "伊信〔2025〕000001号",
        first: "伊信〔2026〕000001号",
        second: "伊信〔2026〕000002号",
    }
    local = rows(replica.engine, Petition)
    assert {pid: local[pid].case_number for pid in numbers} == numbers
    assert local[first].provisional_number == "临-0001"
    assert engine.sync().accepted == 0  # nothing left to send: the number came down, not back up


def test_a_number_sent_by_a_counter_is_ignored_and_a_resend_changes_nothing(server: ServerUnderTest) -> None:
    user_id, unit_id, token = _clerk(server)
    petition_id = str(uuid.uuid4())
    change = {
        "change_id": str(uuid.uuid4()),
        "table": "petition",
        "row_id": petition_id,
        "op": "upsert",
        "values": {
            "case_number": "伊信〔2026〕999999号",
            "query_code": "QC" + uuid.uuid4().hex[:8].upper(),
            "form": "visit",
            "purpose": "request",
            "content": "反映道路破损。",
            "registering_unit_id": unit_id,
            "registered_by_id": user_id,
            "state": "registered",
            "registered_at": "2026-03-02T02:00:00+00:00",
        },
        "client_time": datetime.now(UTC).isoformat(),
    }
    headers = {"Authorization": f"Bearer {token}"}
    body = {"protocol": 1, "changes": [change]}
    first = server.client.post("/api/v1/sync/push", json=body, headers=headers).json()["results"][0]
    again = server.client.post("/api/v1/sync/push", json=body, headers=headers).json()["results"][0]
    assert first["outcome"] == "accepted" and again == first
    forged = {**change, "change_id": str(uuid.uuid4()), "values": {"case_number": "伊信〔2026〕000007号"}}
    answer = server.client.post("/api/v1/sync/push", json={"protocol": 1, "changes": [forged]}, headers=headers)
    assert answer.json()["results"][0]["outcome"] == "accepted"
    with server.sessions() as session:
        petition = session.get(Petition, petition_id)
        assert petition is not None and petition.case_number == "伊信〔2026〕000001号"


def test_a_years_counter_continues_after_stored_numbers_and_concurrent_writers_get_distinct_numbers(
    db_url: str,
) -> None:
    engine = writing_engine(open_database(db_url))
    try:
        with session_factory(engine)() as session:
            unit = OrgUnit(name="伊金霍洛旗信访局", kind="bureau")
            session.add(unit)
            session.flush()
            session.add(Petition(case_number="伊信〔2026〕000041号", query_code="SEEDED01", form="visit",
                                 purpose="request", registering_unit_id=unit.id, state="registered"))  # fmt: skip
            session.commit()
        taken: list[str] = []
        errors: list[BaseException] = []
        lock = threading.Lock()

        def writer() -> None:
            try:
                with engine.begin() as connection:
                    numbers = take_numbers(connection, 2026, 3)
                with lock:
                    taken.extend(numbers)
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=writer) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        assert sorted(taken) == [format_case_number(2026, n) for n in range(42, 60)]
    finally:
        engine.dispose()


def test_petitions_stored_before_numbering_get_their_numbers_when_the_server_starts(db_url: str) -> None:
    engine = writing_engine(open_database(db_url))
    try:
        with session_factory(engine)() as session:
            unit = OrgUnit(name="伊金霍洛旗信访局", kind="bureau")
            session.add(unit)
            session.flush()
            stored = [
                Petition(
                    query_code=f"OLD{n:05d}",
                    form="visit",
                    purpose="request",
                    registering_unit_id=unit.id,
                    state="registered",
                    registered_at=datetime(2026, 3, n, 2, 0, tzinfo=UTC),
                )
                for n in (2, 1, 3)
            ]
            gone = Petition(
                query_code="OLDGONE1",
                form="visit",
                purpose="request",
                registering_unit_id=unit.id,
                state="registered",
                deleted_at=datetime(2026, 3, 4, tzinfo=UTC),
            )
            session.add_all([*stored, gone])
            session.commit()
            ids = [p.id for p in stored]
        with engine.begin() as connection:
            assert number_unnumbered_petitions(connection, batch=2) == 3
            assert number_unnumbered_petitions(connection) == 0  # a second start changes nothing
        with session_factory(engine)() as session:
            numbers = {p.id: p.case_number for p in session.scalars(select(Petition))}
        assert [numbers[pid] for pid in ids] == [format_case_number(2026, n) for n in (2, 1, 3)]
        assert numbers[gone.id] is None
    finally:
        engine.dispose()
