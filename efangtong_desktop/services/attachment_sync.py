"""Moving attachment bytes after each sync: uploads of this counter's files, downloads of pulled rows' files.

Rows and bytes travel separately (DESIGN.md §3): the sync engine carries the attachment rows, this step the bytes, in
resumable chunks through `sync.attachments.AttachmentTransfer`. An upload starts only once its row was accepted by the
server (the row has a server_seq), so the server can tell whose file it is; an upload interrupted by a crash or a
dropped connection resumes from where the server stands. Bytes the server does not have yet (a row that arrived
before its bytes) are tried again at later syncs, after the files not tried yet: a failed download leaves an empty
marker file whose time says when it failed, so files the server lacks never hold back the others. Sent files are
remembered by an empty marker file next to the store, so each is offered once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select

from efangtong_core.models import Attachment
from sync.attachments import AttachmentTransfer, AttachmentTransferError, LocalAttachmentStore

log = logging.getLogger(__name__)

MAX_DOWNLOADS_PER_SYNC = 50
"""Downloads per sync run, so that a first sync of a big replica does not hold the next sync back for long."""


@dataclass
class AttachmentSyncResult:
    """What one run moved, and what it could not (tried again next time)."""

    uploaded: list[str] = field(default_factory=list)
    downloaded: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    """sha256 → the Chinese reason."""


def _sent_marker(store: LocalAttachmentStore, sha256: str) -> Path:
    return store.root / "sent" / sha256


def _uploads_due(engine: Engine, store: LocalAttachmentStore) -> list[tuple[str, str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(Attachment.sha256, Attachment.mime, Attachment.kind)
            .where(Attachment.server_seq.is_not(None), Attachment.deleted_at.is_(None))
            .distinct()
        ).all()
    return [
        (sha256, mime, kind)
        for sha256, mime, kind in rows
        if store.has(sha256) and not _sent_marker(store, sha256).exists()
    ]


def _failed_marker(store: LocalAttachmentStore, sha256: str) -> Path:
    return store.root / "failed" / sha256


def _failed_at(store: LocalAttachmentStore, sha256: str) -> float:
    """When the last download of `sha256` failed (0 when it never did)."""
    try:
        return _failed_marker(store, sha256).stat().st_mtime
    except FileNotFoundError:
        return 0.0


def _downloads_due(engine: Engine, store: LocalAttachmentStore, limit: int) -> list[str]:
    """The missing files to fetch: those never tried first, then those whose last failure is the oldest."""
    with engine.connect() as connection:
        hashes = connection.scalars(
            select(Attachment.sha256).where(Attachment.deleted_at.is_(None)).distinct().order_by(Attachment.sha256)
        ).all()
    missing = [sha256 for sha256 in hashes if not store.has(sha256)]
    return sorted(missing, key=lambda sha256: _failed_at(store, sha256))[:limit]


def _note_failure(store: LocalAttachmentStore, sha256: str) -> None:
    marker = _failed_marker(store, sha256)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()


def transfer_attachments(
    engine: Engine, transfer: AttachmentTransfer, *, max_downloads: int = MAX_DOWNLOADS_PER_SYNC
) -> AttachmentSyncResult:
    """Upload what the server lacks and download what this counter lacks; failures are reported, not raised."""
    store = transfer.store
    result = AttachmentSyncResult()
    for sha256, mime, kind in _uploads_due(engine, store):
        try:
            transfer.upload(sha256, mime=mime, kind=kind)
        except AttachmentTransferError as error:
            result.failed[sha256] = error.message
            if error.status is None:
                return result  # the server is gone: the rest waits for the next sync
            continue
        marker = _sent_marker(store, sha256)
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
        result.uploaded.append(sha256)
    for sha256 in _downloads_due(engine, store, max_downloads):
        try:
            transfer.download(sha256)
        except AttachmentTransferError as error:
            result.failed[sha256] = error.message
            if error.status is None:
                return result  # the server is gone: not the file's fault, its place in the queue stays
            _note_failure(store, sha256)
            continue
        _failed_marker(store, sha256).unlink(missing_ok=True)
        result.downloaded.append(sha256)
    if result.failed:
        log.info("attachment transfer: %d failed, tried again at the next sync", len(result.failed))
    return result
