"""Personal data reached through sync is audited on the server (both databases).

A profile viewed offline on a counter becomes an audit_log row when the view's access-log row is merged (and that row
cannot be changed later); contact edits are audited with who, when and which petitioner, next to the record_history
the merge keeps; a resend is not audited twice; nobody pulls the access log.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from efangtong_core.models import AuditLog, PetitionerAccess, RecordHistory, User
from efangtong_core.petitioner_contacts import record_access, save_contacts, validated_contacts
from efangtong_core.vocabulary import Role
from tests.server.conftest import ServerUnderTest
from tests.sync.support import InProcessTransport, open_replica, register_petition, rows, set_phone

BUREAU = "伊金霍洛旗信访局"


def _clerk(server: ServerUnderTest, unit: str = BUREAU) -> tuple[str, str, str, str]:
    """(user id, username, unit id, token) of a fresh clerk."""
    username = server.user(Role.CLERK, unit=unit)
    with server.sessions() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        return user.id, username, user.org_unit_id, str(server.login(username)["access_token"])


def _audit(server: ServerUnderTest, petitioner_id: str) -> list[AuditLog]:
    with server.sessions() as session:
        query = select(AuditLog).where(AuditLog.entity_id == petitioner_id).order_by(AuditLog.id)
        return list(session.scalars(query))


def test_a_view_made_offline_is_audited_on_the_server_after_sync(server: ServerUnderTest, tmp_path: Path) -> None:
    user_id, username, unit_id, token = _clerk(server)
    town = server.unit("札萨克镇")
    counter = open_replica(tmp_path / "counter.sqlite", device="pc-hall-1")
    counter.client(InProcessTransport(server.client, token)).sync()
    person, _ = register_petition(counter, unit_id=unit_id, town_id=town, user_id=user_id)
    counter.client(InProcessTransport(server.client, token)).sync()
    assert [row.action for row in _audit(server, person)] == []  # registering is no view
    viewed_at = datetime.now(UTC) - timedelta(hours=3)  # offline: nothing reaches the server yet
    with counter.session() as session:
        access = record_access(
            session, petitioner_id=person, user_id=user_id, username=username, online=False, at=viewed_at
        )
        session.commit()
    assert _audit(server, person) == []
    report = counter.client(InProcessTransport(server.client, token)).sync()
    assert report.rejected == 0
    (row,) = _audit(server, person)
    assert (row.action, row.entity, row.user_id, row.username) == ("read", "petitioner", user_id, username)
    assert row.device_id is not None and row.details["origin"] == "pc-hall-1"
    assert abs((row.at - viewed_at).total_seconds()) < 1  # when the clerk looked, not when it arrived
    assert row.details["online"] is False and row.details["source"] == "counter"
    with counter.session() as session:  # an access row is never changed afterwards
        changed = session.get(PetitionerAccess, access.id)
        assert changed is not None
        changed.username = "someone-else"
        session.commit()
    assert counter.client(InProcessTransport(server.client, token)).sync().rejected == 1
    assert [row.username for row in _audit(server, person)] == [username]
    other = open_replica(tmp_path / "other.sqlite")
    other.client(InProcessTransport(server.client, token)).sync()
    assert rows(other.engine, PetitionerAccess) == {}  # the access log only goes up


def test_contact_edits_are_audited_and_a_resend_is_not_audited_twice(server: ServerUnderTest, tmp_path: Path) -> None:
    user_id, username, unit_id, token = _clerk(server)
    a, b = open_replica(tmp_path / "a.sqlite"), open_replica(tmp_path / "b.sqlite")
    a.client(InProcessTransport(server.client, token)).sync()
    person, _ = register_petition(a, unit_id=unit_id, town_id=None, user_id=user_id)
    a.client(InProcessTransport(server.client, token)).sync()
    b.client(InProcessTransport(server.client, token)).sync()
    set_phone(b, person, "13904770002")  # b edits the phone offline...
    with a.session() as session:  # ...while a edits the phone, address and note
        save_contacts(session, person, validated_contacts(["13904770003"], "札萨克镇新街 8 号", "白天联系"))
        session.commit()
    a.client(InProcessTransport(server.client, token)).sync()
    b.client(InProcessTransport(server.client, token)).sync()
    audit = _audit(server, person)
    assert {(row.action, row.details["table"]) for row in audit} >= {
        ("update", "petitioner"),
        ("create", "petitioner_phone"),
        ("delete", "petitioner_phone"),
        ("update", "petitioner_phone"),
    }
    assert all(row.user_id == user_id and row.username == username for row in audit)
    address = next(row for row in audit if row.details["table"] == "petitioner")
    assert address.details["fields"] == ["address", "note"]
    with server.sessions() as session:  # b's phone edit lost to nothing (a tombstoned that row): history kept
        history = session.scalars(select(RecordHistory).where(RecordHistory.field == "phone")).all()
        assert [h.new_value for h in history] == ["13904770002"]
    count = len(audit)
    change = {
        "change_id": str(uuid.uuid4()),
        "table": "petitioner",
        "row_id": person,
        "op": "upsert",
        "values": {"note": "再次修改"},
        "client_time": datetime.now(UTC).isoformat(),
    }
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(2):  # the second delivery is answered from the receipt and audits nothing
        answer = server.client.post("/api/v1/sync/push", json={"protocol": 1, "changes": [change]}, headers=headers)
        assert answer.json()["results"][0]["outcome"] == "accepted"
    assert len(_audit(server, person)) == count + 1
