"""Attachment transfer end to end on a real server subprocess (SQLite and PostgreSQL): chunked round trip, resume after
kill -9 of the client mid-upload and mid-download, dropped connections, refusals, concurrent uploads of one file."""

from __future__ import annotations

import hashlib
import json
import os
import selectors
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core.db import open_database, session_factory
from efangtong_core.models import Attachment, RoleGrant, User
from efangtong_core.vocabulary import Role
from efangtong_desktop.services.attachment_sync import transfer_attachments
from efangtong_server.attachments import texts as attachment_texts
from efangtong_server.auth.admin_account import bureau_unit
from efangtong_server.auth.passwords import hash_password
from sync.attachments import AttachmentTransfer, AttachmentTransferError, LocalAttachmentStore
from tests.conftest import DATABASES
from tests.support.cutting_proxy import cutting_proxy
from tests.support.server import running_server
from tests.sync.support import open_replica

CHUNK = 64 * 1024
IMAGE_LIMIT = 1024 * 1024
PASSWORD = "Counter#2026"
REPOSITORY = Path(__file__).resolve().parents[2]
WAIT = 30.0

# A client process that uploads or downloads and, once the server has answered for some bytes, reports the count
# on stdout and hangs: the test kills it with SIGKILL at exactly that point.
CHILD = """
import sys, threading
from pathlib import Path
from sync.attachments import AttachmentTransfer, LocalAttachmentStore
base_url, token, root, sha256, direction, pause_at = sys.argv[1:7]
def progress(done, total):
    if done >= int(pause_at):
        print(done, flush=True)
        threading.Event().wait()
transfer = AttachmentTransfer(base_url, LocalAttachmentStore(Path(root)), auth_headers=lambda: {"Authorization": token},
                              chunk_bytes=65536, backoff=lambda attempt: None)
if direction == "up":
    transfer.upload(sha256, mime="video/mp4", progress=progress)
else:
    transfer.download(sha256, progress=progress)
"""


@dataclass
class Live:
    """The server subprocess, its database and two signed-in clerks."""

    base_url: str
    port: int
    sessions: sessionmaker[Session]
    store_root: Path
    tokens: dict[str, str]

    def transfer(self, root: Path, user: str = "a", base_url: str | None = None) -> AttachmentTransfer:
        """A client on its own local store, signed in as `user`, retrying at once."""
        token = self.tokens[user]
        return AttachmentTransfer(
            base_url or self.base_url,
            LocalAttachmentStore(root),
            auth_headers=lambda: {"Authorization": token},
            chunk_bytes=CHUNK,
            backoff=lambda attempt: None,
        )

    def add_row(self, sha256: str, size: int, kind: str = "video") -> str:
        """An attachment row (as a sync push would bring it) for these bytes."""
        with self.sessions() as session:
            row = Attachment(sha256=sha256, size=size, mime="video/mp4", kind=kind)
            session.add(row)
            session.commit()
            return row.id


def _make_clerk(sessions: sessionmaker[Session], username: str) -> None:
    with sessions() as session:
        bureau = bureau_unit(session)
        user = User(
            username=username,
            display_name="测试登记员",
            password_hash=hash_password(PASSWORD),
            must_change_password=False,
        )
        user.org_unit_id = bureau.id
        session.add(user)
        session.flush()
        session.add(RoleGrant(user_id=user.id, role=Role.CLERK, scope_unit_id=bureau.id))
        session.commit()


def _sign_in(base_url: str, username: str) -> str:
    answer = requests.post(
        f"{base_url}/api/v1/auth/login",
        json={"username": username, "password": PASSWORD, "device_id": str(uuid.uuid4())},
        timeout=30,
    )
    answer.raise_for_status()
    return f"Bearer {answer.json()['access_token']}"


@pytest.fixture(scope="module", params=DATABASES)
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """One server subprocess per database for the module: 64 KiB chunks, images up to 1 MiB."""
    workdir = tmp_path_factory.mktemp("attachment-server")
    cluster = request.getfixturevalue("postgres_cluster") if request.param == "postgresql" else None
    db = cluster.create_database() if cluster else None
    url = db.render_as_string(hide_password=False) if db else f"sqlite:///{workdir / 'efangtong.sqlite'}"
    engine = open_database(url)
    sessions = session_factory(engine)
    for username in ("clerk-a", "clerk-b"):
        _make_clerk(sessions, username)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("EFT_ATTACHMENT_CHUNK_BYTES", str(CHUNK))
            patch.setenv("EFT_ATTACHMENT_MAX_BYTES", json.dumps({"image": IMAGE_LIMIT}))
            with running_server(url, workdir) as server:
                tokens = {user: _sign_in(server.base_url, f"clerk-{user}") for user in ("a", "b")}
                port = int(server.base_url.rsplit(":", 1)[1])
                store_root = workdir / "server-data" / "attachments"
                yield Live(server.base_url, port, sessions, store_root, tokens)
                assert "Traceback" not in server.log_path.read_text(errors="replace")
    finally:
        engine.dispose()
        if cluster and db:
            cluster.drop_database(db)


def _file(tmp_path: Path, size: int) -> Path:
    path = tmp_path / f"source-{uuid.uuid4().hex}"
    path.write_bytes(os.urandom(size))
    return path


def _read_line(process: subprocess.Popen[str], timeout: float = WAIT) -> str:
    """The child's next stdout line; fails if it exits or stays silent for `timeout`."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            raise AssertionError("the client process reported nothing in time")
    line = process.stdout.readline()
    assert line, f"the client process exited with {process.wait()}"
    return line.strip()


def _child(live: Live, root: Path, sha256: str, direction: str, pause_at: int) -> subprocess.Popen[str]:
    arguments = [live.base_url, live.tokens["a"], str(root), sha256, direction, str(pause_at)]
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, *arguments], cwd=REPOSITORY, stdout=subprocess.PIPE, text=True
    )


def _kill(process: subprocess.Popen[str]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=WAIT) == -signal.SIGKILL
    if process.stdout:
        process.stdout.close()


def _server_offset(live: Live, sha256: str, size: int) -> int:
    answer = requests.post(
        f"{live.base_url}/api/v1/attachments/uploads",
        json={"sha256": sha256, "size": size, "mime": "video/mp4"},
        headers={"Authorization": live.tokens["a"]},
        timeout=30,
    )
    answer.raise_for_status()
    return int(answer.json()["offset"])


def test_round_trip_of_a_multi_chunk_file(live: Live, tmp_path: Path) -> None:
    source = _file(tmp_path, 5 * CHUNK + 17)
    uploader = live.transfer(tmp_path / "counter-a")
    sha256, size = uploader.store.import_file(source)
    row_id = live.add_row(sha256, size)
    sent = uploader.upload(sha256, mime="video/mp4")
    assert (sent.resumed_from, sent.transferred, sent.size) == (0, size, size)
    assert uploader.store.pending_uploads() == []
    with live.sessions() as session:
        row = session.get(Attachment, row_id)
        assert row is not None and row.bytes_present
    downloader = live.transfer(tmp_path / "counter-b", user="b")
    received = downloader.download(sha256)
    assert (received.resumed_from, received.transferred) == (0, size)
    assert downloader.store.blob_path(sha256).read_bytes() == source.read_bytes()
    assert downloader.download(sha256).transferred == 0
    assert uploader.upload(sha256, mime="video/mp4").transferred == 0  # the server holds it: nothing to send


def test_upload_resumes_after_the_client_is_killed(live: Live, tmp_path: Path) -> None:
    root = tmp_path / "counter"
    sha256, size = LocalAttachmentStore(root).import_file(_file(tmp_path, 8 * CHUNK + 5))
    child = _child(live, root, sha256, "up", pause_at=2 * CHUNK)
    try:
        assert int(_read_line(child)) == 2 * CHUNK
        assert _server_offset(live, sha256, size) == 2 * CHUNK  # the server reports bytes held: kill now
    finally:
        _kill(child)
    store = LocalAttachmentStore(root)
    assert [state["offset"] for state in store.pending_uploads()] == [2 * CHUNK]  # what the crash left behind
    resumed = live.transfer(root).upload(sha256, mime="video/mp4")
    assert (resumed.resumed_from, resumed.transferred) == (2 * CHUNK, size - 2 * CHUNK)
    assert store.pending_uploads() == []
    live.add_row(sha256, size)
    check = live.transfer(tmp_path / "check")
    check.download(sha256)
    assert check.store.blob_path(sha256).read_bytes() == store.blob_path(sha256).read_bytes()


def test_download_resumes_after_the_client_is_killed(live: Live, tmp_path: Path) -> None:
    source = _file(tmp_path, 16 * CHUNK + 3)
    uploader = live.transfer(tmp_path / "uploader")
    sha256, size = uploader.store.import_file(source)
    uploader.upload(sha256, mime="video/mp4")
    live.add_row(sha256, size)
    root = tmp_path / "counter"
    child = _child(live, root, sha256, "down", pause_at=3 * CHUNK)
    try:
        reported = int(_read_line(child))
    finally:
        _kill(child)
    store = LocalAttachmentStore(root)
    held = store.partial_path(sha256).stat().st_size
    assert 3 * CHUNK <= reported <= held < size and not store.has(sha256)
    resumed = live.transfer(root).download(sha256)
    assert (resumed.resumed_from, resumed.transferred) == (held, size - held)
    assert store.blob_path(sha256).read_bytes() == source.read_bytes()
    assert not store.partial_path(sha256).exists()


def test_dropped_connections_lose_nothing(live: Live, tmp_path: Path) -> None:
    source = _file(tmp_path, 6 * CHUNK + 99)
    with cutting_proxy(live.port) as proxy:
        client = live.transfer(tmp_path / "counter", base_url=proxy.base_url)
        sha256, size = client.store.import_file(source)
        proxy.arm(upstream=int(2.5 * CHUNK))  # cut in the middle of the third chunk's body
        lost_answer = {"armed": False}

        def lose_next_answer(done: int, total: int) -> None:
            if done == 4 * CHUNK and not lost_answer["armed"]:
                lost_answer["armed"] = True
                proxy.arm(downstream=1)  # the server stores the fifth chunk; its answer never arrives

        sent = client.upload(sha256, mime="video/mp4", progress=lose_next_answer)
        assert sent.size == size and proxy.cuts == 2
        live.add_row(sha256, size)
        downloader = live.transfer(tmp_path / "other", base_url=proxy.base_url)
        proxy.arm(downstream=size // 2)
        received = downloader.download(sha256)
        assert proxy.cuts == 3
        assert received.transferred == size  # resumed with a Range: no byte fetched twice
        assert downloader.store.blob_path(sha256).read_bytes() == source.read_bytes()


def test_refusals_reach_the_client_in_chinese(live: Live, tmp_path: Path) -> None:
    client = live.transfer(tmp_path / "counter")
    large, large_size = client.store.import_file(_file(tmp_path, IMAGE_LIMIT + 1))
    with pytest.raises(AttachmentTransferError) as too_large:
        client.upload(large, mime="image/png")
    assert too_large.value.status == 413 and "过大" in too_large.value.message
    with pytest.raises(AttachmentTransferError) as wrong_type:
        client.upload(large, mime="application/x-sh", kind="document")
    assert wrong_type.value.status == 415 and "不支持" in wrong_type.value.message
    corrupted, size = client.store.import_file(_file(tmp_path, 3 * CHUNK))
    client.store.blob_path(corrupted).write_bytes(os.urandom(size))  # local bytes no longer match their name
    with pytest.raises(AttachmentTransferError) as mismatch:
        client.upload(corrupted, mime="video/mp4")
    assert mismatch.value.status == 422 and "SHA-256" in mismatch.value.message
    assert _server_offset(live, corrupted, size) == 0  # discarded
    fine, fine_size = client.store.import_file(_file(tmp_path, 2 * CHUNK))
    upload_id = requests.post(
        f"{live.base_url}/api/v1/attachments/uploads",
        json={"sha256": fine, "size": fine_size, "mime": "video/mp4"},
        headers={"Authorization": live.tokens["a"]},
        timeout=30,
    ).json()["upload_id"]
    skipped = requests.put(
        f"{live.base_url}/api/v1/attachments/uploads/{upload_id}",
        params={"offset": CHUNK},
        data=b"x" * CHUNK,
        headers={"Authorization": live.tokens["a"], "Content-Type": "application/octet-stream"},
        timeout=30,
    )
    assert skipped.status_code == 409 and skipped.headers["Upload-Offset"] == "0"
    assert "不一致" in skipped.json()["detail"]
    assert large_size > IMAGE_LIMIT


def test_concurrent_uploads_of_the_same_content_converge(live: Live, tmp_path: Path) -> None:
    data = os.urandom(8 * CHUNK + 1)
    sha256 = hashlib.sha256(data).hexdigest()
    clients = [live.transfer(tmp_path / f"counter-{n}", user=user) for n, user in enumerate("aab")]
    for client in clients:
        (source := tmp_path / f"copy-{uuid.uuid4().hex}").write_bytes(data)
        client.store.import_file(source)
    start = threading.Barrier(len(clients))
    results: list[object] = []

    def upload(client: AttachmentTransfer) -> None:
        start.wait(timeout=WAIT)
        try:
            results.append(client.upload(sha256, mime="video/mp4"))
        except AttachmentTransferError as error:
            results.append(error)

    threads = [threading.Thread(target=upload, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert [type(result).__name__ for result in results] == ["TransferResult"] * 3, results
    blobs = [path for path in (live.store_root / "blobs").rglob("*") if path.name == sha256]
    assert len(blobs) == 1 and blobs[0].read_bytes() == data
    leftovers = [p for p in (live.store_root / "partial").glob("*.json") if sha256 in p.read_text()]
    assert leftovers == []


def test_files_the_server_lacks_do_not_hold_back_the_others(live: Live, tmp_path: Path) -> None:
    """Rows that arrived before their bytes are tried after the files not tried yet, so the others still arrive."""
    source = _file(tmp_path, CHUNK + 5)
    uploader = live.transfer(tmp_path / "counter-a")
    present, size = uploader.store.import_file(source)
    live.add_row(present, size)
    uploader.upload(present, mime="video/mp4")
    lacking = [f"{n:064x}" for n in (1, 2)]  # sorted before any real hash: the old order tried them first, forever
    for sha256 in lacking:
        live.add_row(sha256, 10)
    replica = open_replica(tmp_path / "replica.sqlite", "pc-b")
    with replica.sessions() as session:
        session.add_all(Attachment(sha256=sha256, size=10, mime="video/mp4", kind="video") for sha256 in lacking)
        session.add(Attachment(sha256=present, size=size, mime="video/mp4", kind="video"))
        session.commit()
    downloader = live.transfer(tmp_path / "counter-b", user="b")

    first = transfer_attachments(replica.engine, downloader, max_downloads=2)
    assert (first.downloaded, sorted(first.failed)) == ([], lacking)
    assert set(first.failed.values()) == {attachment_texts.BYTES_MISSING}
    second = transfer_attachments(replica.engine, downloader, max_downloads=2)
    assert second.downloaded == [present]
    assert downloader.store.blob_path(present).read_bytes() == source.read_bytes()
    replica.engine.dispose()
