"""Push and the counter's refused changes, reviewed against issue #4 (both databases): a resend is a no-op even after
the row moved on, a reused change id with other content changes nothing, an old client changes nothing, a refused
event sent again once the case allows it is accepted, a refused correction given up leaves the server's version, and a
moved handler's replica keeps its unsent work and drops the rest."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from efangtong_core.models import CaseEvent, Petition, PetitionerPhone, RecordHistory, RoleGrant, SyncReceipt, SyncState
from efangtong_core.vocabulary import Role
from sync.client import PULLED_WITH_SCHEMA, SyncClient
from sync.outbox import discard_rejected, pending_count, rejected_changes, retry_rejected
from sync.sequence import committed_sequence
from tests.server.conftest import ServerUnderTest
from tests.sync.case_support import Person, cast, change, china, event, push, register
from tests.sync.support import InProcessTransport, Replica, open_replica, rows, set_phone

DAY = date(2026, 3, 2)


def _phone_of(server: ServerUnderTest, petition_id: str) -> PetitionerPhone:
    with server.sessions() as session:
        petition = session.get(Petition, petition_id)
        assert petition is not None
        phone = session.scalars(
            select(PetitionerPhone).where(PetitionerPhone.petitioner_id == petition.petitioner_id)
        ).one()
        session.expunge(phone)
        return phone


def _server_counts(server: ServerUnderTest) -> tuple[int, int, int]:
    with server.sessions() as session:
        receipts = session.scalar(select(func.count()).select_from(SyncReceipt))
        history = session.scalar(select(func.count()).select_from(RecordHistory))
        return int(receipts or 0), int(history or 0), committed_sequence(session.connection())


def test_a_resend_after_the_row_moved_on_is_a_no_op_and_a_reused_id_changes_nothing(server: ServerUnderTest) -> None:
    c = cast(server)
    petition, _ = register(server, c, town=None, at=china(DAY, 9))
    phone = _phone_of(server, petition)
    first = change("petitioner_phone", {"phone": "13800000001"}, phone.id) | {"base_server_seq": phone.server_seq}
    [accepted] = push(server, c.counter, [first])
    assert accepted["outcome"] == "accepted"
    later = change("petitioner_phone", {"phone": "13800000002"}, phone.id) | {"base_server_seq": accepted["server_seq"]}
    assert push(server, c.counter, [later])[0]["outcome"] == "accepted"
    before = _server_counts(server)

    # The first change again (its answer was lost): the same answer, and the row keeps the later value.
    assert push(server, c.counter, [first, first]) == [accepted, accepted]
    assert _phone_of(server, petition).phone == "13800000002"
    # The same change id carrying other content: a conflict, nothing written, not even a receipt or a sequence number.
    [conflict] = push(server, c.counter, [first | {"values": {"phone": "13999999999"}}])
    assert (conflict["outcome"], conflict["code"], conflict["server_seq"]) == ("conflict", "change_id_conflict", None)
    assert conflict["reason"] and "同一变更编号" in conflict["reason"]
    assert _phone_of(server, petition).phone == "13800000002"
    assert _server_counts(server) == before
    with server.sessions() as session:
        receipt = session.get(SyncReceipt, first["change_id"])
        assert receipt is not None and receipt.server_seq == accepted["server_seq"]


def test_an_old_client_is_told_to_update_in_chinese_and_nothing_is_applied(server: ServerUnderTest) -> None:
    c = cast(server)
    before = _server_counts(server)
    headers = {"Authorization": f"Bearer {c.counter.token}"}
    fresh = change("petitioner", {"name": "旧版本", "sex": "male"})
    pushed = server.client.post("/api/v1/sync/push", json={"protocol": 0, "changes": [fresh]}, headers=headers)
    pulled = server.client.get("/api/v1/sync/pull", params={"protocol": 0}, headers=headers)
    for answer in (pushed, pulled):
        assert answer.status_code == 426
        assert "请升级 e访通" in answer.json()["detail"] and "未发送的修改已保留" in answer.json()["detail"]
    assert _server_counts(server) == before
    hello = server.client.get("/api/v1/sync/hello", headers=headers).json()
    assert hello["min_client_protocol"] >= 1 and hello["protocol"] >= hello["min_client_protocol"]


def _client(replica: Replica, server: ServerUnderTest, who: Person) -> SyncClient:
    return replica.client(InProcessTransport(server.client, who.token))


def _local_event(replica: Replica, petition: str, kind: str, role: Role, unit: str, **payload: Any) -> str:
    with replica.session() as session:
        row = CaseEvent(
            petition_id=petition, type=kind, role=role.value, at=datetime.now(UTC), seq=9, payload=payload,
            actor_unit_id=unit,
        )  # fmt: skip
        session.add(row)
        session.commit()
        return row.id


def test_a_refused_event_sent_again_once_the_case_allows_it_is_accepted(
    server: ServerUnderTest, tmp_path: Path
) -> None:
    c = cast(server)
    petition, _ = register(server, c, town=c.town_a, at=china(DAY, 9))
    town = open_replica(tmp_path / "town.sqlite")
    engine = _client(town, server, c.handler_a)
    engine.sync()
    signed = _local_event(town, petition, "signed_for", Role.HANDLER, c.town_a)
    assert engine.sync().rejected == 1  # the bureau has not routed the case yet
    with town.engine.connect() as connection:
        [refused] = rejected_changes(connection)
    assert refused.row_id == signed and refused.code and refused.reason and "待分办" in refused.reason
    assert rows(town.engine, CaseEvent)[signed]  # still on the counter, listed with its reason

    routed = event(petition, "assigned", Role.DISPATCHER, china(DAY, 10), unit=c.town_a, co_units=[],
                   deadline="2026-04-30")  # fmt: skip
    assert push(server, c.counter, [routed])[0]["outcome"] == "accepted"
    with town.engine.begin() as connection:
        new_id = retry_rejected(connection, refused.position)
    assert new_id != refused.change_id
    report = engine.sync()
    assert (report.accepted, report.rejected) == (1, 0)
    with town.engine.connect() as connection:
        assert rejected_changes(connection) == [] and pending_count(connection) == 0
    with server.sessions() as session:
        assert session.get(CaseEvent, signed) is not None
        assert session.get(Petition, petition).state == "pending_acceptance"  # type: ignore[union-attr]
        receipts = session.scalars(select(SyncReceipt.outcome).where(SyncReceipt.row_id == signed)).all()
    assert sorted(receipts) == ["accepted", "rejected"]  # each change id answered once, as it was


def test_a_moved_handler_keeps_unsent_work_and_drops_the_rest(server: ServerUnderTest, tmp_path: Path) -> None:
    c = cast(server)
    ours, _ = register(server, c, town=c.town_a, at=china(DAY, 9))
    theirs, _ = register(server, c, town=c.town_b, at=china(DAY, 9), phone="13904770002")
    town = open_replica(tmp_path / "town.sqlite")
    engine = _client(town, server, c.handler_a)
    engine.sync()
    assert set(rows(town.engine, Petition)) == {ours}
    phone = _phone_of(server, ours)
    set_phone(town, phone.petitioner_id, "13811112222")  # offline work, not sent yet
    with server.sessions() as session:
        session.execute(
            update(RoleGrant).where(RoleGrant.user_id == c.handler_a.user_id).values(scope_unit_id=c.town_b)
        )
        session.commit()

    assert engine.pull()[1]  # the scope changed: the replica starts again…
    assert set(rows(town.engine, Petition)) == {theirs}
    kept = rows(town.engine, PetitionerPhone)
    assert kept[phone.id].phone == "13811112222"  # …keeping the row with the unsent change
    with town.engine.connect() as connection:
        assert pending_count(connection) == 1

    report = engine.sync()  # sent: no longer the handler's to change
    assert report.rejected == 1
    with town.engine.connect() as connection:
        [refused] = rejected_changes(connection)
    assert refused.code == "out_of_scope" and refused.reason and "管辖范围" in refused.reason
    assert _phone_of(server, ours).phone == "13904770001"
    with town.engine.begin() as connection:
        discard_rejected(connection, refused.position)
    engine.sync()
    assert phone.id not in rows(town.engine, PetitionerPhone)  # given up: nothing of the old town is left
    assert set(rows(town.engine, Petition)) == {theirs}


def test_a_refused_correction_given_up_shows_the_servers_version_again(server: ServerUnderTest, tmp_path: Path) -> None:
    c = cast(server)
    petition, _ = register(server, c, town=c.town_a, at=china(DAY, 9))
    counter = open_replica(tmp_path / "counter.sqlite")
    engine = _client(counter, server, c.counter)
    engine.sync()
    routed = event(petition, "assigned", Role.DISPATCHER, china(DAY, 10), unit=c.town_a, co_units=[],
                   deadline="2026-04-30")  # fmt: skip
    assert push(server, c.counter, [routed])[0]["outcome"] == "accepted"
    with counter.session() as session:  # offline, before the routing reached this counter
        row = session.get(Petition, petition)
        assert row is not None
        row.content = "离线更正的内容"
        session.commit()
    assert engine.sync().rejected == 1
    with counter.engine.connect() as connection:
        [refused] = rejected_changes(connection)
    assert refused.code == "registration_closed" and refused.reason and "已分办" in refused.reason
    assert refused.values["content"] == "离线更正的内容"  # listed with what it wrote until dealt with
    with counter.engine.begin() as connection:
        discard_rejected(connection, refused.position)
    engine.sync()
    local = rows(counter.engine, Petition)[petition]
    assert (local.content, local.state) == ("反映征地补偿款未到位。", "assigned")
    with counter.engine.connect() as connection:
        assert rejected_changes(connection) == [] and pending_count(connection) == 0


def test_a_counter_updated_to_a_newer_schema_pulls_everything_again(server: ServerUnderTest, tmp_path: Path) -> None:
    c = cast(server)
    petition, _ = register(server, c, town=None, at=china(DAY, 9))
    counter = open_replica(tmp_path / "counter.sqlite")
    engine = _client(counter, server, c.counter)
    engine.sync()
    assert engine.pull()[0] == 0  # nothing new
    # What an older client left: a column it did not know, its revision noted at the last pull.
    with counter.engine.begin() as connection:
        connection.execute(update(Petition).where(Petition.id == petition).values(content=""))
        connection.execute(update(SyncState).where(SyncState.key == PULLED_WITH_SCHEMA).values(value="0001"))
    pulled, reset = engine.pull()
    assert pulled > 0 and not reset
    assert rows(counter.engine, Petition)[petition].content == "反映征地补偿款未到位。"
    assert engine.pull()[0] == 0  # once
