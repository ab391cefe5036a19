"""The fast paths of a push (both databases): the body validated from its bytes, the unsafe-text check that decodes
a body only when its bytes may hide a control character, the outbox's JSON sent as it is, and the client that
reads the next batch while the server merges the current one."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from efangtong_core.models import Petitioner, SyncOutbox, SyncReceipt
from efangtong_core.vocabulary import Role
from efangtong_server.input_safety import MESSAGE, _may_hide_unsafe_text, contains_unsafe_text
from sync.outbox import PENDING, SENT
from tests.server.conftest import ServerUnderTest
from tests.sync.support import InProcessTransport, open_replica, rows


def _token(server: ServerUnderTest) -> str:
    return str(server.login(server.user(Role.CLERK))["access_token"])


def _change(name: str, **values: object) -> dict[str, object]:
    row_id = str(uuid.uuid4())
    return {
        "change_id": str(uuid.uuid4()),
        "table": "petitioner",
        "row_id": row_id,
        "op": "upsert",
        "values": {"name": name, "sex": "female", **values},
        "client_time": datetime.now(UTC).isoformat(),
    }


def _post(server: ServerUnderTest, token: str, body: bytes) -> Any:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    return server.client.post("/api/v1/sync/push", content=body, headers=headers)


def _count(server: ServerUnderTest, model: Any) -> int:
    with server.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_utf8_push_is_validated_from_its_bytes_and_timed(server: ServerUnderTest) -> None:
    token = _token(server)
    changes = [_change("乌云其木格"), _change("阿·巴特尔", address="伊金霍洛旗札萨克镇")]
    answer = _post(server, token, json.dumps({"protocol": 1, "changes": changes}, ensure_ascii=False).encode())
    assert answer.status_code == 200, answer.text
    assert [item["outcome"] for item in answer.json()["results"]] == ["accepted", "accepted"]
    timing = answer.headers["Server-Timing"]
    assert all(f"{name};dur=" in timing for name in ("merge", "hooks", "commit"))
    with server.sessions() as session:
        names = set(session.scalars(select(Petitioner.name)))
    assert {"乌云其木格", "阿·巴特尔"} <= names


NOT_VALID = [
    (b'{"protocol": 1, "changes": [{"change_id": "not-a-uuid"}]}', "change_id"),
    (b'{"protocol": "x", "changes": []}', "protocol"),
    (b'{"protocol": 1, "changes": [', None),
]
UNSAFE = [
    b'"\\u0007\\u5f20"',  # a control character as an escape, Chinese as escapes too (ensure_ascii)
    b'"\xe5\xbc\xa0\\b"',  # backspace escape in a UTF-8 body
    b'"\xe5\xbc\xa0\xed\xa0\x80"',  # a UTF-8-encoded lone surrogate
    b'"\xe5\xbc\xa0\x1f"',  # a raw control byte (not even valid JSON)
]


def test_a_push_that_does_not_validate_or_hides_unsafe_text_is_answered_422_and_changes_nothing(
    server: ServerUnderTest,
) -> None:
    token = _token(server)
    for body, field in NOT_VALID:
        answer = _post(server, token, body)
        assert answer.status_code == 422
        if field is not None:
            assert field in json.dumps(answer.json(), ensure_ascii=False)
    change = json.dumps(_change("placeholder"), ensure_ascii=False).replace('"placeholder"', "NAME").encode()
    for unsafe in UNSAFE:
        answer = _post(server, token, b'{"protocol": 1, "changes": [' + change.replace(b"NAME", unsafe) + b"]}")
        assert answer.status_code == 422
        assert answer.json()["detail"] == MESSAGE or b"\x1f" in unsafe  # a raw control byte fails as JSON first
    assert _count(server, Petitioner) == 0 and _count(server, SyncReceipt) == 0


def test_a_body_with_a_harmless_escape_is_checked_the_slow_way_and_accepted(server: ServerUnderTest) -> None:
    change = _change("张\\u0000三")  # a backslash followed by "u0000": looks suspicious, is plain text
    answer = _post(server, _token(server), json.dumps({"protocol": 1, "changes": [change]}).encode())
    assert answer.status_code == 200, answer.text
    with server.sessions() as session:
        assert session.scalar(select(Petitioner.name).where(Petitioner.id == change["row_id"])) == "张\\u0000三"


def test_the_byte_check_never_misses_unsafe_text() -> None:
    """Every character, as an escape and raw, in values and keys: unsafe text always sends the body the slow way."""
    samples = [*range(0x300), *range(0xD7F0, 0xE010), 0x4E2D, 0xAC00, 0xFEFF, 0x1F600]
    for point in samples:
        text = f"a{chr(point)}b"
        for ascii_only in (True, False):
            encoded = json.dumps({"k": text, text: 1}, ensure_ascii=ascii_only)
            for variant in (encoded, encoded.replace("\\ud", "\\uD").replace("\\u007f", "\\u007F")):
                body = variant.encode("utf-8", "surrogatepass")
                if contains_unsafe_text(json.loads(body)):
                    assert _may_hide_unsafe_text(body), hex(point)
    assert not _may_hide_unsafe_text(json.dumps({"名字": "伊金霍洛旗\n\t"}, ensure_ascii=False).encode())
    assert not _may_hide_unsafe_text(json.dumps({"名字": "伊金霍洛旗·"}).encode())


class EncodedTransport(InProcessTransport):
    """An in-process transport that takes push bodies as encoded JSON, and checks the order of batches."""

    accepts_encoded_json = True

    def __init__(self, server: ServerUnderTest, token: str) -> None:
        super().__init__(server.client, token)
        self.server = server
        self.batches: list[list[str]] = []

    def post(self, path: str, body: Any) -> Any:
        """POST the bytes as they are, after checking the server has answered every change of the batches before."""
        assert isinstance(body, bytes)
        with self.server.sessions() as session:
            answered = set(session.execute(select(SyncReceipt.change_id)).scalars())
        assert all(change_id in answered for batch in self.batches for change_id in batch)
        self.batches.append([change["change_id"] for change in json.loads(body)["changes"]])
        headers = {**self.headers, "Content-Type": "application/json"}
        return self._check(self.client.post(f"/api/v1{path}", content=body, headers=headers))


@pytest.mark.parametrize("encoded", [True, False])
def test_batches_go_in_outbox_order_each_after_the_answer_before_it(
    server: ServerUnderTest, tmp_path: Path, encoded: bool
) -> None:
    token = _token(server)
    replica = open_replica(tmp_path / "counter.sqlite")
    with replica.session() as session:
        session.add_all(Petitioner(name=f"信访人{n}", sex="male", address=f"第{n}街区") for n in range(7))
        session.commit()
    with replica.engine.connect() as connection:
        written = list(connection.execute(select(SyncOutbox.change_id).order_by(SyncOutbox.position)).scalars())
    transport = EncodedTransport(server, token) if encoded else InProcessTransport(server.client, token)
    assert replica.client(transport, batch_size=3).push() == (7, 0)
    if isinstance(transport, EncodedTransport):
        assert transport.batches == [written[0:3], written[3:6], written[6:7]]
    with replica.engine.connect() as connection:
        answered = connection.execute(select(SyncOutbox.state, SyncOutbox.server_seq).order_by(SyncOutbox.position))
        states, seqs = zip(*answered.all(), strict=True)
    assert set(states) == {SENT} and PENDING not in states
    assert list(seqs) == sorted(seqs) and len(set(seqs)) == 7  # server order follows the order of writing
    pushed = rows(replica.engine, Petitioner)
    with server.sessions() as session:
        stored = dict(session.execute(select(Petitioner.id, Petitioner.address)).all())
    assert {row_id: row.address for row_id, row in pushed.items()} == {row_id: stored[row_id] for row_id in pushed}
