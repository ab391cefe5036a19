"""Attachment transfer routes on SQLite and PostgreSQL: chunked upload, resume answers, refusals, ranged download."""

from __future__ import annotations

import hashlib
import os
import uuid

import httpx
from sqlalchemy import select

from efangtong_core.models import Attachment, AuditLog
from efangtong_core.vocabulary import Role
from tests.server.conftest import ServerUnderTest

UPLOADS = "/api/v1/attachments/uploads"
CHUNK = 64 * 1024
OCTET = {"Content-Type": "application/octet-stream"}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _start(server: ServerUnderTest, headers: dict[str, str], data: bytes, **overrides: object) -> httpx.Response:
    body = {"sha256": _sha(data), "size": len(data), "mime": "image/jpeg", **overrides}
    return server.client.post(UPLOADS, json=body, headers=headers)


def _put(server: ServerUnderTest, headers: dict[str, str], upload_id: str, offset: int, chunk: bytes) -> httpx.Response:
    return server.client.put(
        f"{UPLOADS}/{upload_id}", params={"offset": offset}, content=chunk, headers={**headers, **OCTET}
    )


def _upload(
    server: ServerUnderTest, headers: dict[str, str], data: bytes, mime: str = "image/jpeg"
) -> dict[str, object]:
    state = _start(server, headers, data, mime=mime).json()
    while not state["complete"]:
        offset = state["offset"]
        answer = _put(server, headers, state["upload_id"], offset, data[offset : offset + CHUNK])
        assert answer.status_code == 200, answer.text
        state = answer.json()
    return dict(state)


def _add_row(server: ServerUnderTest, data: bytes, kind: str = "image") -> str:
    with server.sessions() as session:
        row = Attachment(sha256=_sha(data), size=len(data), mime="image/jpeg", kind=kind, original_name="现场照片.jpg")
        session.add(row)
        session.commit()
        return row.id


def _bytes_present(server: ServerUnderTest, row_id: str) -> bool:
    with server.sessions() as session:
        row = session.get(Attachment, row_id)
        assert row is not None
        return row.bytes_present


def test_chunked_upload_then_whole_and_ranged_download(server: ServerUnderTest) -> None:
    headers = server.headers(server.user(Role.CLERK))
    data = os.urandom(3 * CHUNK + 123)
    row_id = _add_row(server, data)  # the row arrives before its bytes
    assert not _bytes_present(server, row_id)
    started = _start(server, headers, data)
    assert started.status_code == 200
    assert started.json()["offset"] == 0 and not started.json()["complete"]
    state = _upload(server, headers, data)
    assert state["complete"] and state["offset"] == len(data)
    assert _bytes_present(server, row_id)
    url = f"/api/v1/attachments/{_sha(data)}"
    head = server.client.head(url, headers=headers)
    assert head.status_code == 200 and head.headers["content-length"] == str(len(data))
    whole = server.client.get(url, headers=headers)
    assert whole.status_code == 200 and whole.content == data
    assert whole.headers["content-type"] == "application/octet-stream"
    tail = server.client.get(url, headers={**headers, "Range": "bytes=1000-"})
    assert tail.status_code == 206 and tail.content == data[1000:]
    assert tail.headers["content-range"] == f"bytes 1000-{len(data) - 1}/{len(data)}"
    middle = server.client.get(url, headers={**headers, "Range": "bytes=10-19"})
    assert middle.status_code == 206 and middle.content == data[10:20]
    suffix = server.client.get(url, headers={**headers, "Range": "bytes=-7"})
    assert suffix.status_code == 206 and suffix.content == data[-7:]
    past_end = server.client.get(url, headers={**headers, "Range": f"bytes={len(data)}-"})
    assert past_end.status_code == 416 and past_end.headers["content-range"] == f"bytes */{len(data)}"
    assert "超出" in past_end.json()["detail"]
    unreadable = server.client.get(url, headers={**headers, "Range": "items=1-2"})
    assert unreadable.status_code == 200 and unreadable.content == data
    with server.sessions() as session:
        audited = session.scalars(select(AuditLog).where(AuditLog.entity_id == row_id)).all()
    assert {row.action for row in audited} == {"download"}


def test_resume_answer_idempotent_resend_and_offset_mismatch(server: ServerUnderTest) -> None:
    headers = server.headers(server.user(Role.HANDLER, unit="乌兰木伦镇"))
    data = os.urandom(2 * CHUNK + 5)
    upload_id = _start(server, headers, data).json()["upload_id"]
    assert _put(server, headers, upload_id, 0, data[:CHUNK]).json()["offset"] == CHUNK
    again = _start(server, headers, data).json()
    assert again["upload_id"] == upload_id and again["offset"] == CHUNK  # what a client asks after a crash
    resent = _put(server, headers, upload_id, 0, data[:CHUNK])
    assert resent.status_code == 200 and resent.json()["offset"] == CHUNK
    gap = _put(server, headers, upload_id, 2 * CHUNK, data[2 * CHUNK :])
    assert gap.status_code == 409 and gap.headers["upload-offset"] == str(CHUNK)
    assert "不一致" in gap.json()["detail"]
    different = _put(server, headers, upload_id, 0, os.urandom(CHUNK))
    assert different.status_code == 409
    assert _put(server, headers, upload_id, CHUNK, data[CHUNK:]).json()["complete"]


def test_hash_mismatch_is_refused_and_discarded(server: ServerUnderTest) -> None:
    headers = server.headers(server.user(Role.CLERK))
    data = os.urandom(CHUNK)
    claimed = os.urandom(CHUNK)
    upload_id = _start(server, headers, data, sha256=_sha(claimed)).json()["upload_id"]
    refused = _put(server, headers, upload_id, 0, data)
    assert refused.status_code == 422 and "SHA-256" in refused.json()["detail"]
    assert server.client.head(f"/api/v1/attachments/{_sha(claimed)}", headers=headers).status_code == 404
    assert _start(server, headers, data, sha256=_sha(claimed)).json()["offset"] == 0  # nothing kept


def test_size_type_and_chunk_refusals(server: ServerUnderTest) -> None:
    headers = server.headers(server.user(Role.CLERK))
    data = os.urandom(100)
    too_large = _start(server, headers, data, size=21 * 1024 * 1024)
    assert too_large.status_code == 413 and "过大" in too_large.json()["detail"]
    assert _start(server, headers, data, mime="video/mp4", size=3 * 1024**3).status_code == 413
    wrong_type = _start(server, headers, data, mime="text/html")
    assert wrong_type.status_code == 415 and "text/html" in wrong_type.json()["detail"]
    assert _start(server, headers, data, mime="image/jpeg", kind="document").status_code == 415
    assert _start(server, headers, data, mime="application/x-msdownload", kind="image").status_code == 415
    assert _start(server, headers, data, mime="application/pdf").json()["offset"] == 0
    upload_id = _start(server, headers, data).json()["upload_id"]
    beyond = _put(server, headers, upload_id, 0, data + b"x")
    assert beyond.status_code == 400 and "大小" in beyond.json()["detail"]
    big = os.urandom(1024 * 1024 + 1)
    big_id = _start(server, headers, big, mime="video/mp4").json()["upload_id"]
    assert _put(server, headers, big_id, 0, big).status_code == 413
    as_json = server.client.put(f"{UPLOADS}/{upload_id}", params={"offset": 0}, json={}, headers=headers)
    assert as_json.status_code == 415
    assert _put(server, headers, upload_id, 0, b"").status_code == 400


def test_download_needs_a_visible_row_and_uploads_stay_private(server: ServerUnderTest) -> None:
    clerk = server.headers(server.user(Role.CLERK))
    other = server.headers(server.user(Role.DISPATCHER))
    data = os.urandom(1000)
    url = f"/api/v1/attachments/{_sha(data)}"
    upload_id = _start(server, clerk, data).json()["upload_id"]
    assert _put(server, other, upload_id, 0, data).status_code == 404  # another user's upload
    assert _put(server, clerk, upload_id, 0, data).json()["complete"]
    assert server.client.head(url, headers=other).status_code == 200
    no_row = server.client.get(url, headers=other)
    assert no_row.status_code == 404 and "附件" in no_row.json()["detail"]
    _add_row(server, data)
    assert server.client.get(url, headers=other).content == data
    # the same content declared again by anyone completes at once: one blob
    assert _start(server, other, data).json() | {"upload_id": ""} == {
        "upload_id": "",
        "sha256": _sha(data),
        "size": len(data),
        "offset": len(data),
        "complete": True,
        "chunk_bytes": 1024 * 1024,
    }
    bigscreen = server.headers(server.user(Role.BIGSCREEN))
    assert server.client.get(url, headers=bigscreen).status_code == 403
    assert _start(server, bigscreen, data).status_code == 403
    missing = server.client.get(f"/api/v1/attachments/{_sha(b'never')}", headers=clerk)
    assert missing.status_code == 404
    assert _put(server, clerk, str(uuid.uuid4()), 0, data).status_code == 404


def test_bytes_before_row_and_row_before_bytes(server: ServerUnderTest) -> None:
    headers = server.headers(server.user(Role.CLERK))
    early, late = os.urandom(500), os.urandom(500)
    _upload(server, headers, early)
    early_row = _add_row(server, early)
    late_row = _add_row(server, late)
    assert not _bytes_present(server, late_row)
    _upload(server, headers, late)
    assert _bytes_present(server, late_row)
    # a row that arrives after its bytes: declaring the upload (what the client does) marks it at once
    assert _start(server, headers, early).json()["complete"]
    assert _bytes_present(server, early_row)


def test_download_follows_the_sync_scope_and_arrival_of_bytes_replicates(server: ServerUnderTest) -> None:
    clerk = server.headers(server.user(Role.CLERK))
    town_handler = server.headers(server.user(Role.HANDLER, unit="乌兰木伦镇"))
    data = os.urandom(700)
    row_id = _add_row(server, data)  # a row of no petition in the town's scope
    _upload(server, clerk, data)
    url = f"/api/v1/attachments/{_sha(data)}"
    assert server.client.get(url, headers=clerk).content == data
    assert server.client.get(url, headers=town_handler).status_code == 404
    with server.sessions() as session:
        row = session.get(Attachment, row_id)
        assert row is not None and row.bytes_present and row.server_seq is not None  # counters pull the change
