"""Sync through the in-process application (both databases): round trip, idempotence, conflicts, rejections, LWW,
scope and its change, and the version handshake."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from efangtong_core.models import OrgUnit, Petition, Petitioner, PetitionerPhone, RecordHistory, RoleGrant, User
from efangtong_core.vocabulary import Role
from sync.client import ClientTooOld
from sync.outbox import pending_count, rejected_changes
from tests.server.conftest import ServerUnderTest
from tests.sync.support import InProcessTransport, add_event, open_replica, register_petition, rows, set_phone

BUREAU = "伊金霍洛旗信访局"


def _user(server: ServerUnderTest, role: Role, unit: str = BUREAU) -> tuple[str, str, str]:
    """A user of `role` in `unit`: (user id, unit id, access token)."""
    username = server.user(role, unit=unit)
    with server.sessions() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        return user.id, user.org_unit_id, str(server.login(username)["access_token"])


def _push(server: ServerUnderTest, token: str, changes: list[dict[str, object]]) -> list[dict[str, object]]:
    answer = server.client.post(
        "/api/v1/sync/push", json={"protocol": 1, "changes": changes}, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 200, answer.text
    results: list[dict[str, object]] = answer.json()["results"]
    return results


def test_push_and_pull_round_trip(server: ServerUnderTest, tmp_path: Path) -> None:
    user_id, unit_id, token = _user(server, Role.CLERK)
    town = server.unit("札萨克镇")
    a, b = open_replica(tmp_path / "a.sqlite"), open_replica(tmp_path / "b.sqlite")
    a.client(InProcessTransport(server.client, token)).sync()  # a counter starts from the server's reference data
    person, petition = register_petition(a, unit_id=unit_id, town_id=town, user_id=user_id)
    with a.engine.connect() as connection:
        assert pending_count(connection) == 4
    report = a.client(InProcessTransport(server.client, token)).sync()
    assert (report.accepted, report.rejected) == (4, 0)
    b.client(InProcessTransport(server.client, token)).sync()
    assert person in rows(b.engine, Petitioner)
    assert rows(b.engine, Petition)[petition].state == "registered"
    assert town in rows(b.engine, OrgUnit)
    assert rows(b.engine, User)[user_id].password_hash is None  # local columns never leave the server
    with a.engine.connect() as connection:
        assert pending_count(connection) == 0
        assert rejected_changes(connection) == []


def test_identical_resend_is_a_no_op_and_other_content_is_a_conflict(server: ServerUnderTest) -> None:
    _, _, token = _user(server, Role.CLERK)
    change = {
        "change_id": str(uuid.uuid4()),
        "table": "petitioner",
        "row_id": str(uuid.uuid4()),
        "op": "upsert",
        "values": {"name": "李桂兰", "sex": "female"},
        "client_time": datetime.now(UTC).isoformat(),
    }
    first = _push(server, token, [change])
    again = _push(server, token, [change, change])
    assert first[0]["outcome"] == "accepted"
    assert again == [first[0], first[0]]
    altered = _push(server, token, [{**change, "values": {"name": "李桂芳"}}])
    assert altered[0]["outcome"] == "conflict" and altered[0]["code"] == "change_id_conflict"
    with server.sessions() as session:
        people = session.scalars(select(Petitioner).where(Petitioner.id == change["row_id"])).all()
        assert [p.name for p in people] == ["李桂兰"]


def test_impossible_event_is_rejected_and_stays_visible_on_the_counter(server: ServerUnderTest, tmp_path: Path) -> None:
    user_id, unit_id, token = _user(server, Role.CLERK)
    replica = open_replica(tmp_path / "a.sqlite")
    engine = replica.client(InProcessTransport(server.client, token))
    engine.sync()
    _, petition = register_petition(replica, unit_id=unit_id, town_id=None, user_id=user_id)
    engine.sync()
    event_id = add_event(replica, petition, "closed", "clerk")
    report = engine.sync()
    assert report.rejected == 1
    with replica.engine.connect() as connection:
        [rejected] = rejected_changes(connection)
    assert rejected.row_id == event_id and rejected.code == "invalid_transition"
    assert rejected.reason is not None and "不能进行「办结」" in rejected.reason
    with server.sessions() as session:
        assert session.get(Petition, petition).state == "registered"  # type: ignore[union-attr]


def test_plain_records_are_last_writer_wins_in_server_order_with_history(
    server: ServerUnderTest, tmp_path: Path
) -> None:
    user_id, unit_id, token = _user(server, Role.CLERK)
    a, b = open_replica(tmp_path / "a.sqlite", "pc-a"), open_replica(tmp_path / "b.sqlite", "pc-b")
    sync_a = a.client(InProcessTransport(server.client, token))
    sync_b = b.client(InProcessTransport(server.client, token))
    sync_a.sync()
    person, _ = register_petition(a, unit_id=unit_id, town_id=None, user_id=user_id)
    sync_a.sync()
    sync_b.sync()
    set_phone(a, person, "13800000001")  # both offline: a writes first…
    set_phone(b, person, "13800000002")  # …but b reaches the server last, so b wins
    sync_a.sync()
    sync_b.sync()
    sync_a.sync()
    for engine in (a.engine, b.engine):
        assert [p.phone for p in rows(engine, PetitionerPhone).values()] == ["13800000002"]
    with server.sessions() as session:
        [history] = session.scalars(select(RecordHistory).where(RecordHistory.field == "phone")).all()
        assert (history.old_value, history.new_value) == ("13800000001", "13800000002")
        assert (history.losing_origin, history.change_origin) is not None


def test_town_handler_never_sees_another_towns_cases_not_even_their_ids(
    server: ServerUnderTest, tmp_path: Path
) -> None:
    user_id, unit_id, clerk_token = _user(server, Role.CLERK)
    wulan, zhasake = server.unit("乌兰木伦镇"), server.unit("札萨克镇")
    bureau = open_replica(tmp_path / "bureau.sqlite")
    counter = bureau.client(InProcessTransport(server.client, clerk_token))
    counter.sync()
    ours_person, ours = register_petition(bureau, unit_id=unit_id, town_id=wulan, user_id=user_id, name="乌兰人")
    theirs_person, theirs = register_petition(
        bureau, unit_id=unit_id, town_id=zhasake, user_id=user_id, name="札萨克人"
    )
    counter.sync()

    handler_name = server.user(Role.HANDLER, unit="乌兰木伦镇")
    token = str(server.login(handler_name)["access_token"])
    page = server.client.get("/api/v1/sync/pull", params={"limit": 2000}, headers={"Authorization": f"Bearer {token}"})
    text = json.dumps(page.json(), ensure_ascii=False)
    assert ours in text and ours_person in text
    assert theirs not in text and theirs_person not in text and "札萨克人" not in text

    town = open_replica(tmp_path / "town.sqlite")
    town.client(InProcessTransport(server.client, token)).sync()
    assert set(rows(town.engine, Petition)) == {ours}
    # The handler moves to 札萨克镇: the replica drops what it may no longer see and receives the other town's case.
    with server.sessions() as session:
        handler = session.scalars(select(User).where(User.username == handler_name)).one()
        session.execute(update(RoleGrant).where(RoleGrant.user_id == handler.id).values(scope_unit_id=zhasake))
        session.commit()
    report = town.client(InProcessTransport(server.client, token)).sync()
    assert report.reset
    assert set(rows(town.engine, Petition)) == {theirs}
    assert ours_person not in rows(town.engine, Petitioner)


def test_a_client_older_than_the_servers_minimum_is_told_to_update_and_keeps_its_changes(
    server: ServerUnderTest, tmp_path: Path
) -> None:
    user_id, unit_id, token = _user(server, Role.CLERK)
    replica = open_replica(tmp_path / "a.sqlite")
    replica.client(InProcessTransport(server.client, token)).sync()
    register_petition(replica, unit_id=unit_id, town_id=None, user_id=user_id)
    old = replica.client(InProcessTransport(server.client, token), protocol=0)
    with pytest.raises(ClientTooOld, match="请升级 e访通"):
        old.sync()
    with pytest.raises(ClientTooOld, match="请升级 e访通"):
        old.push()
    with replica.engine.connect() as connection:
        assert pending_count(connection) == 4


def test_counters_cannot_change_reference_tables_or_forge_roles(server: ServerUnderTest) -> None:
    _, unit_id, token = _user(server, Role.CLERK)
    now = datetime.now(UTC) - timedelta(minutes=1)
    results = _push(
        server,
        token,
        [
            {
                "change_id": str(uuid.uuid4()),
                "table": "org_unit",
                "row_id": unit_id,
                "op": "upsert",
                "values": {"name": "篡改"},
                "client_time": now.isoformat(),
            },
            {
                "change_id": str(uuid.uuid4()),
                "table": "no_such_table",
                "row_id": str(uuid.uuid4()),
                "op": "upsert",
                "values": {},
                "client_time": now.isoformat(),
            },
        ],
    )
    assert [r["code"] for r in results] == ["read_only_table", "unknown_table"]


def test_changes_made_through_the_servers_own_routes_reach_the_replicas(
    server: ServerUnderTest, tmp_path: Path
) -> None:
    _, _, token = _user(server, Role.CLERK)
    town = server.unit("纳林陶亥镇")
    replica = open_replica(tmp_path / "a.sqlite")
    engine = replica.client(InProcessTransport(server.client, token))
    engine.sync()
    admin = server.headers(server.user(Role.ADMIN))
    renamed = server.client.patch(f"/api/v1/admin/org-units/{town}", json={"short_name": "纳镇"}, headers=admin)
    assert renamed.status_code == 200, renamed.text
    report = engine.sync()
    assert report.pulled >= 1
    assert rows(replica.engine, OrgUnit)[town].short_name == "纳镇"
