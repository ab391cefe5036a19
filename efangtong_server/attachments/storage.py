"""The attachment store: one interface for partial uploads and content-addressed blobs, and its folder implementation.

A blob is named by the SHA-256 of its bytes. An upload collects its bytes in a partial (data + a small JSON record of
what was declared and how many bytes are durably received); `assemble` verifies the whole and moves it into place
atomically. An S3-compatible store (multipart upload) will implement the same interface (DESIGN.md §7).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

try:
    import fcntl
except ImportError:  # Windows: one server process per store, the in-process lock is enough
    fcntl = None  # type: ignore[assignment]

READ_BLOCK = 1024 * 1024


@dataclass(frozen=True)
class PartialUpload:
    """An upload in progress: what was declared, and how many bytes the store holds durably."""

    upload_id: str
    sha256: str
    size: int
    received: int


class StorageRefusal(Exception):
    """The store refuses a chunk or an assembly."""


class OffsetMismatch(StorageRefusal):
    """A chunk does not start where the received bytes end (and is not an identical re-send)."""

    def __init__(self, received: int) -> None:
        super().__init__(received)
        self.received = received


class BeyondDeclaredSize(StorageRefusal):
    """A chunk would make the upload longer than its declared size."""


class ContentMismatch(StorageRefusal):
    """The assembled bytes do not hash to the declared SHA-256 (the partial has been discarded)."""


class UnknownUpload(StorageRefusal):
    """No partial upload has this id (never started, finished, or discarded)."""


class AttachmentStorage(Protocol):
    """Where attachment bytes live: partial uploads and finished, content-addressed blobs."""

    def start_partial(self, upload_id: str, *, sha256: str, size: int) -> PartialUpload:
        """Create the partial `upload_id`, or return it as it stands when it exists already."""
        ...

    def partial(self, upload_id: str) -> PartialUpload | None:
        """The partial `upload_id`, or None."""
        ...

    def put_chunk(self, upload_id: str, offset: int, data: bytes) -> int:
        """Store `data` at `offset` durably; the received byte count after it."""
        ...

    def assemble(self, upload_id: str) -> None:
        """Verify the complete partial against its SHA-256 and make it a blob (discarding it on a mismatch)."""
        ...

    def delete_partial(self, upload_id: str) -> None:
        """Forget the partial `upload_id` and its bytes (no error when it is gone)."""
        ...

    def exists(self, sha256: str) -> bool:
        """True when the blob `sha256` is stored."""
        ...

    def size(self, sha256: str) -> int | None:
        """The byte count of blob `sha256`, or None when it is not stored."""
        ...

    def open(self, sha256: str, *, start: int = 0) -> BinaryIO:
        """The blob `sha256` for reading, positioned at `start`; FileNotFoundError when it is not stored."""
        ...


def _fsync_directory(path: Path) -> None:
    if os.name == "nt":
        return  # directories cannot be opened for fsync on Windows; NTFS journals the rename
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_durably(path: Path, content: bytes) -> None:
    temporary = path.with_name(f"{path.name}.tmp")
    with temporary.open("wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    _fsync_directory(path.parent)


def file_sha256(path: Path) -> str:
    """The SHA-256 (lowercase hex) of the file at `path`."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(READ_BLOCK):
            digest.update(block)
    return digest.hexdigest()


class FolderStorage:
    """The attachment store in a folder: `blobs/ab/cd/<sha256>`, partial uploads in `partial/`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.blobs = root / "blobs"
        self.partials = root / "partial"
        self._local_locks: dict[str, threading.Lock] = {}
        self._local_locks_guard = threading.Lock()

    def blob_path(self, sha256: str) -> Path:
        """Where blob `sha256` lives."""
        return self.blobs / sha256[:2] / sha256[2:4] / sha256

    def _meta_path(self, upload_id: str) -> Path:
        return self.partials / f"{upload_id}.json"

    def _data_path(self, upload_id: str) -> Path:
        return self.partials / f"{upload_id}.data"

    def _read_meta(self, upload_id: str) -> PartialUpload | None:
        try:
            raw = json.loads(self._meta_path(upload_id).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return PartialUpload(**raw)

    def _write_meta(self, partial: PartialUpload) -> None:
        _write_durably(self._meta_path(partial.upload_id), json.dumps(asdict(partial)).encode("utf-8"))

    @contextlib.contextmanager
    def _locked(self, upload_id: str) -> Iterator[None]:
        """Serialise work on one upload across threads and (with flock) across server processes on this host."""
        with self._local_locks_guard:
            local = self._local_locks.setdefault(upload_id, threading.Lock())
        with local:
            self.partials.mkdir(parents=True, exist_ok=True)
            if fcntl is None:
                yield
                return
            with (self.partials / f"{upload_id}.lock").open("a") as lock_file:
                fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)

    def start_partial(self, upload_id: str, *, sha256: str, size: int) -> PartialUpload:
        """Create the partial `upload_id`, or return it as it stands when it exists already."""
        with self._locked(upload_id):
            existing = self._read_meta(upload_id)
            if existing is not None:
                return existing
            self._data_path(upload_id).touch()
            created = PartialUpload(upload_id=upload_id, sha256=sha256, size=size, received=0)
            self._write_meta(created)
            return created

    def partial(self, upload_id: str) -> PartialUpload | None:
        """The partial `upload_id`, or None."""
        return self._read_meta(upload_id)

    def put_chunk(self, upload_id: str, offset: int, data: bytes) -> int:
        """Store `data` at `offset` durably; an identical re-send of stored bytes is accepted and changes nothing."""
        with self._locked(upload_id):
            partial = self._read_meta(upload_id)
            if partial is None:
                raise UnknownUpload(upload_id)
            end = offset + len(data)
            if offset < partial.received and end <= partial.received:
                with self._data_path(upload_id).open("rb") as handle:
                    handle.seek(offset)
                    if handle.read(len(data)) == data:
                        return partial.received
                raise OffsetMismatch(partial.received)
            if offset != partial.received:
                raise OffsetMismatch(partial.received)
            if end > partial.size:
                raise BeyondDeclaredSize(upload_id)
            with self._data_path(upload_id).open("r+b") as handle:
                handle.truncate(offset)  # bytes past the durable count are from an interrupted write
                handle.seek(offset)
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            self._write_meta(PartialUpload(upload_id, partial.sha256, partial.size, end))
            return end

    def assemble(self, upload_id: str) -> None:
        """Verify the complete partial against its SHA-256 and move it into place; discard it on a mismatch."""
        with self._locked(upload_id):
            partial = self._read_meta(upload_id)
            if partial is None:
                raise UnknownUpload(upload_id)
            data_path = self._data_path(upload_id)
            with data_path.open("r+b") as handle:
                handle.truncate(partial.received)
            if partial.received != partial.size or file_sha256(data_path) != partial.sha256:
                self._delete_partial_files(upload_id)
                raise ContentMismatch(upload_id)
            target = self.blob_path(partial.sha256)
            if target.exists():  # the same content arrived through another upload first
                self._delete_partial_files(upload_id)
                return
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(data_path, target)
            _fsync_directory(target.parent)
            self._delete_partial_files(upload_id)

    def _delete_partial_files(self, upload_id: str) -> None:
        for path in (self._data_path(upload_id), self._meta_path(upload_id)):
            path.unlink(missing_ok=True)
        # the lock file stays: removing it while another process waits on it would let two holders in

    def delete_partial(self, upload_id: str) -> None:
        """Forget the partial `upload_id` and its bytes."""
        with self._locked(upload_id):
            self._delete_partial_files(upload_id)

    def exists(self, sha256: str) -> bool:
        """True when the blob `sha256` is stored."""
        return self.blob_path(sha256).is_file()

    def size(self, sha256: str) -> int | None:
        """The byte count of blob `sha256`, or None."""
        try:
            return self.blob_path(sha256).stat().st_size
        except FileNotFoundError:
            return None

    def open(self, sha256: str, *, start: int = 0) -> BinaryIO:
        """The blob `sha256` for reading, positioned at `start`."""
        handle = self.blob_path(sha256).open("rb")
        handle.seek(start)
        return handle
