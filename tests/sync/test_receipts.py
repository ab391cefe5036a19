"""Receipts of pushed changes (both databases): written in bulk by the driver, each holding what the answer said,
and a digest that still recognises changes whose receipts were stored by a server before orjson."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from efangtong_core.models import SyncReceipt
from efangtong_core.vocabulary import Role
from sync.protocol import Change, ChangeResult, Outcome
from sync.server import _answer
from tests.server.conftest import ServerUnderTest


def _change(**values: object) -> dict[str, Any]:
    return {
        "change_id": str(uuid.uuid4()),
        "table": "petitioner",
        "row_id": str(uuid.uuid4()),
        "op": "upsert",
        "values": {"name": "乌云其木格", "sex": "female", **values},
        "client_time": datetime.now(UTC).isoformat(),
    }


def _push(server: ServerUnderTest, token: str, *changes: dict[str, Any]) -> list[dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    body = json.dumps({"protocol": 1, "changes": list(changes)}, ensure_ascii=False).encode()
    answer = server.client.post("/api/v1/sync/push", content=body, headers=headers)
    assert answer.status_code == 200, answer.text
    return list(answer.json()["results"])


def test_receipts_hold_each_answer_and_the_time_received(server: ServerUnderTest) -> None:
    token = str(server.login(server.user(Role.CLERK))["access_token"])
    before = datetime.now(UTC) - timedelta(seconds=1)
    good, bad = _change(), _change(no_such_field="？")
    answers = _push(server, token, good, bad)
    assert [answer["outcome"] for answer in answers] == ["accepted", "rejected"]
    with server.sessions() as session:
        receipts = {row.change_id: row for row in session.scalars(select(SyncReceipt))}
    accepted, rejected = receipts[good["change_id"]], receipts[bad["change_id"]]
    assert (accepted.outcome, accepted.server_seq, accepted.table_name) == (
        "accepted",
        answers[0]["server_seq"],
        "petitioner",
    )
    assert accepted.row_id == good["row_id"] and accepted.code is None
    assert (rejected.outcome, rejected.server_seq, rejected.code) == ("rejected", None, answers[1]["code"])
    assert rejected.reason == answers[1]["reason"]
    assert before <= accepted.received_at <= datetime.now(UTC) + timedelta(seconds=1)
    assert accepted.received_at.tzinfo is not None


def test_a_receipt_stored_with_the_old_digest_still_answers_a_resend(server: ServerUnderTest) -> None:
    token = str(server.login(server.user(Role.CLERK))["access_token"])
    change = _change()
    first = _push(server, token, change)[0]
    old = Change.model_validate(change).legacy_digest()
    with server.sessions() as session:
        session.execute(update(SyncReceipt).where(SyncReceipt.change_id == change["change_id"]).values(digest=old))
        session.commit()
    again = _push(server, token, change)[0]
    assert (again["outcome"], again["server_seq"]) == ("accepted", first["server_seq"])
    other = _push(server, token, {**change, "values": {**change["values"], "name": "阿·巴特尔"}})[0]
    assert (other["outcome"], other["code"]) == ("conflict", "change_id_conflict")


def test_a_value_beyond_64_bits_is_digested_and_its_resend_answered_the_same(server: ServerUnderTest) -> None:
    token = str(server.login(server.user(Role.CLERK))["access_token"])
    change = _change(note=2**70)
    first = _push(server, token, change)[0]
    assert (first["outcome"], first["code"]) == ("rejected", "invalid_value")
    assert _push(server, token, change)[0] == first
    changed = _push(server, token, {**change, "values": {**change["values"], "note": 2**71}})[0]
    assert changed["outcome"] == "conflict"


def test_answers_built_by_the_merge_equal_validated_ones() -> None:
    change_id = uuid.uuid4()
    for outcome, seq, code, reason in [("accepted", 7, None, None), ("rejected", None, "invalid_value", "字段无效")]:
        built = _answer(change_id, Outcome(outcome), seq, code, reason)
        validated = ChangeResult(change_id=change_id, outcome=outcome, server_seq=seq, code=code, reason=reason)
        assert built == validated
        assert built.model_dump_json() == validated.model_dump_json()
        assert built.model_copy(update={"code": "x"}).code == "x"
