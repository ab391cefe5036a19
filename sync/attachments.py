"""Counter side of attachment transfer: a local content-addressed store, chunked resumable upload, ranged download.

The server protocol (efangtong_server/attachments/routes.py): `POST /attachments/uploads` declares a file and answers
the upload id and how many bytes the server holds; `PUT /attachments/uploads/{id}?offset=N` sends the chunk at N;
`GET /attachments/{sha256}` with `Range: bytes=N-` resumes a download. A crash or a dropped connection loses nothing:
the next try asks the server where it stands (uploads) or continues the partial file (downloads); both ends verify the
SHA-256 of the whole. No Qt, no web framework: the desktop calls this from its background-task helper.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

API_PREFIX = "/api/v1/attachments"
DEFAULT_CHUNK_BYTES = 1024 * 1024
READ_BLOCK = 64 * 1024

# Every Chinese message of this module, in one place.
UNREACHABLE = "无法连接服务器，附件传输将在网络恢复后继续"
HTTP_ERROR = "服务器返回错误（{status}）"
BAD_ANSWER = "服务器的应答无法识别"
NOT_IN_STORE = "本地附件库中没有该文件：{sha256}"
DOWNLOAD_CORRUPT = "下载的附件校验失败（SHA-256 不一致），已丢弃，请重新下载"
TOO_MANY_RESETS = "服务器多次拒绝上传位置，请稍后重试"

Progress = Callable[[int, int], None]
"""Called after each chunk with (bytes the other end holds, total bytes)."""


class AttachmentTransferError(Exception):
    """A failed transfer: the HTTP status (None when the server was not reached) and a Chinese message."""

    def __init__(self, status: int | None, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class TransferResult:
    """A finished transfer: what moved, and how much of it this call had to send or receive."""

    sha256: str
    size: int
    resumed_from: int
    transferred: int


def _fsync_directory(path: Path) -> None:
    if os.name != "nt":  # directories cannot be opened for fsync on Windows
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def file_sha256(path: Path) -> str:
    """The SHA-256 (lowercase hex) of the file at `path`."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


class LocalAttachmentStore:
    """The counter's attachment bytes: `ab/cd/<sha256>`, partial downloads in `partial/`, upload state in `uploads/`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def blob_path(self, sha256: str) -> Path:
        """Where the bytes of `sha256` live."""
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def partial_path(self, sha256: str) -> Path:
        """The file a download of `sha256` grows in until it is verified."""
        return self.root / "partial" / f"{sha256}.part"

    def upload_state_path(self, sha256: str) -> Path:
        """The small JSON record of an upload in progress (upload id, offset)."""
        return self.root / "uploads" / f"{sha256}.json"

    def has(self, sha256: str) -> bool:
        """True when the bytes of `sha256` are in the store."""
        return self.blob_path(sha256).is_file()

    def import_file(self, source: Path) -> tuple[str, int]:
        """Copy `source` into the store; its (sha256, size)."""
        temporary_dir = self.root / "partial"
        temporary_dir.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        with source.open("rb") as reader, tempfile.NamedTemporaryFile(dir=temporary_dir, delete=False) as writer:
            while block := reader.read(1024 * 1024):
                digest.update(block)
                writer.write(block)
                size += len(block)
            writer.flush()
            os.fsync(writer.fileno())
        sha256 = digest.hexdigest()
        self.adopt(Path(writer.name), sha256)
        return sha256, size

    def adopt(self, path: Path, sha256: str) -> None:
        """Move the verified file at `path` into the store as the bytes of `sha256` (dropped if already there)."""
        target = self.blob_path(sha256)
        if target.exists():
            path.unlink()
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        _fsync_directory(target.parent)

    def save_upload_state(self, sha256: str, state: Mapping[str, Any]) -> None:
        """Record an upload in progress (written whole, then renamed, so a crash leaves the old or the new record)."""
        path = self.upload_state_path(sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.tmp")
        temporary.write_text(json.dumps(dict(state)), encoding="utf-8")
        os.replace(temporary, path)

    def pending_uploads(self) -> list[dict[str, Any]]:
        """The uploads a crash or a lost connection interrupted (to resume them)."""
        folder = self.root / "uploads"
        states = []
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            with contextlib.suppress(ValueError, OSError):
                states.append(json.loads(path.read_text(encoding="utf-8")))
        return states


def _default_backoff(attempt: int) -> None:
    time.sleep(min(0.5 * 2**attempt, 30.0))


def _error_from_response(response: requests.Response) -> AttachmentTransferError:
    with contextlib.suppress(ValueError):
        body = response.json()
        if isinstance(body, dict) and isinstance(body.get("detail"), str) and body["detail"]:
            return AttachmentTransferError(response.status_code, body["detail"])
    return AttachmentTransferError(response.status_code, HTTP_ERROR.format(status=response.status_code))


class AttachmentTransfer:
    """Moves attachment bytes between a local store and the central server, resuming whatever was interrupted."""

    def __init__(
        self,
        base_url: str,
        store: LocalAttachmentStore,
        *,
        auth_headers: Callable[[], Mapping[str, str]],
        session: requests.Session | None = None,
        chunk_bytes: int = DEFAULT_CHUNK_BYTES,
        timeout: tuple[float, float] = (5.0, 60.0),
        attempts: int = 5,
        backoff: Callable[[int], None] = _default_backoff,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.store = store
        self.auth_headers = auth_headers
        self.http = session or requests.Session()
        self.chunk_bytes = chunk_bytes
        self.timeout = timeout
        self.attempts = attempts
        self.backoff = backoff

    def _request(self, method: str, path: str, **options: Any) -> requests.Response:
        headers = {**self.auth_headers(), **options.pop("headers", {})}
        return self.http.request(
            method, f"{self.base_url}{API_PREFIX}{path}", headers=headers, timeout=self.timeout, **options
        )

    def _with_retries(self, attempt: Callable[[], TransferResult]) -> TransferResult:
        failures = 0
        while True:
            try:
                return attempt()
            except requests.RequestException:
                failures += 1
                if failures >= self.attempts:
                    raise AttachmentTransferError(None, UNREACHABLE) from None
                self.backoff(failures)

    # -- upload -----------------------------------------------------------------------------------------------------

    def upload(
        self, sha256: str, *, mime: str, kind: str | None = None, progress: Progress | None = None
    ) -> TransferResult:
        """Send the stored bytes of `sha256` to the server in chunks, resuming where the server stands."""
        path = self.store.blob_path(sha256)
        if not path.is_file():
            raise AttachmentTransferError(None, NOT_IN_STORE.format(sha256=sha256))
        size = path.stat().st_size
        first: dict[str, int] = {}

        def attempt() -> TransferResult:
            for _ in range(self.attempts):
                state = self._start_upload(sha256, size=size, mime=mime, kind=kind)
                first.setdefault("offset", int(state["offset"]))
                first.setdefault("sent", 0)
                if state["complete"] or self._send_chunks(path, state, first, progress):
                    self.store.upload_state_path(sha256).unlink(missing_ok=True)
                    return TransferResult(sha256, size, resumed_from=first["offset"], transferred=first["sent"])
            raise AttachmentTransferError(None, TOO_MANY_RESETS)

        return self._with_retries(attempt)

    def _start_upload(self, sha256: str, *, size: int, mime: str, kind: str | None) -> dict[str, Any]:
        body = {"sha256": sha256, "size": size, "mime": mime, "kind": kind}
        response = self._request("POST", "/uploads", json=body)
        if not response.ok:
            raise _error_from_response(response)
        state = self._json(response)
        self.store.save_upload_state(sha256, {**state, "mime": mime, "kind": kind})
        return state

    def _send_chunks(
        self, path: Path, state: dict[str, Any], counters: dict[str, int], progress: Progress | None
    ) -> bool:
        """Send chunks from the server's offset on; True once complete, False when the upload must be started again."""
        chunk_bytes = min(self.chunk_bytes, int(state["chunk_bytes"]))
        offset, size, resets = int(state["offset"]), int(state["size"]), 0
        with path.open("rb") as handle:
            while not state["complete"]:
                handle.seek(offset)
                data = handle.read(chunk_bytes)
                response = self._request(
                    "PUT",
                    f"/uploads/{state['upload_id']}",
                    params={"offset": offset},
                    data=data,
                    headers={"Content-Type": "application/octet-stream"},
                )
                if response.status_code == 404:  # finished by another upload, or discarded: ask again
                    return False
                if response.status_code == 409 and resets < self.attempts:
                    resets += 1  # the server holds a different count (an answer got lost): continue from there
                    offset = int(response.headers.get("Upload-Offset", offset))
                    continue
                if not response.ok:
                    raise _error_from_response(response)
                state = self._json(response)
                counters["sent"] += len(data)
                offset = int(state["offset"])
                self.store.save_upload_state(str(state["sha256"]), state)
                if progress is not None:
                    progress(offset, size)
        return True

    @staticmethod
    def _json(response: requests.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            raise AttachmentTransferError(response.status_code, BAD_ANSWER) from None
        if not isinstance(body, dict):
            raise AttachmentTransferError(response.status_code, BAD_ANSWER)
        return body

    # -- download ---------------------------------------------------------------------------------------------------

    def download(self, sha256: str, *, progress: Progress | None = None) -> TransferResult:
        """Fetch the bytes of `sha256` into the store, continuing a partial download; verified before it counts."""
        partial = self.store.partial_path(sha256)
        if self.store.has(sha256):
            size = self.store.blob_path(sha256).stat().st_size
            return TransferResult(sha256, size, resumed_from=size, transferred=0)
        partial.parent.mkdir(parents=True, exist_ok=True)
        first = {"offset": partial.stat().st_size if partial.exists() else 0, "received": 0}
        return self._with_retries(lambda: self._download_once(sha256, partial, first, progress))

    def _download_once(
        self, sha256: str, partial: Path, counters: dict[str, int], progress: Progress | None
    ) -> TransferResult:
        start = partial.stat().st_size if partial.exists() else 0
        headers = {"Range": f"bytes={start}-"} if start else {}
        with self._request("GET", f"/{sha256}", headers=headers, stream=True) as response:
            if response.status_code == 416:  # the partial is longer than the blob: it cannot be ours
                partial.unlink(missing_ok=True)
                raise requests.ConnectionError("partial download longer than the attachment")
            if not response.ok:
                raise _error_from_response(response)
            if response.status_code == 200:
                start = 0
            total = self._total_size(response, start)
            with partial.open("r+b" if start else "wb") as handle:
                handle.truncate(start)
                handle.seek(start)
                done = start
                try:
                    for block in response.iter_content(READ_BLOCK):
                        handle.write(block)
                        done += len(block)
                        counters["received"] += len(block)
                        if progress is not None:
                            handle.flush()
                            progress(done, total)
                finally:
                    handle.flush()
                    os.fsync(handle.fileno())
        if done < total:
            raise requests.ConnectionError("download ended early")
        if file_sha256(partial) != sha256:
            partial.unlink(missing_ok=True)
            raise AttachmentTransferError(None, DOWNLOAD_CORRUPT)
        self.store.adopt(partial, sha256)
        return TransferResult(sha256, total, resumed_from=counters["offset"], transferred=counters["received"])

    @staticmethod
    def _total_size(response: requests.Response, start: int) -> int:
        content_range = response.headers.get("Content-Range", "")
        if response.status_code == 206 and "/" in content_range:
            if not content_range.startswith(f"bytes {start}-"):
                raise AttachmentTransferError(response.status_code, BAD_ANSWER)
            return int(content_range.rsplit("/", 1)[1])
        return int(response.headers.get("Content-Length", "0"))
