"""The counter's store of attachment bytes: content-addressed files under the data directory.

Views and services put the bytes of a new attachment here (a picked file, a scan, a generated PDF) in the same step as
they write the attachment's row; the background sync uploads them from here, and downloads the bytes of pulled rows
into it. It is `sync.attachments.LocalAttachmentStore` (`ab/cd/<sha256>`, written to a temporary file, fsynced and
renamed, so a crash leaves either nothing or the whole verified file) at the desktop's place, plus the few helpers
the desktop needs to describe a file it adds.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from efangtong_core.models import Attachment
from efangtong_desktop.settings import Settings
from sync.attachments import LocalAttachmentStore

BLOB_FOLDER = "attachments"
"""The store's folder inside the data directory."""

_KIND_BY_MIME_PREFIX = {"image/": "image", "audio/": "audio", "video/": "video"}


@dataclass(frozen=True)
class StoredBlob:
    """A file now in the store: what an attachment row needs to describe it."""

    sha256: str
    size: int
    mime: str
    original_name: str | None
    kind: str


def blob_store(settings: Settings) -> LocalAttachmentStore:
    """The attachment store of the counter whose data directory `settings` names."""
    return LocalAttachmentStore(settings.data_dir / BLOB_FOLDER)


def guess_mime(name: str) -> str:
    """The MIME type of a file name, `application/octet-stream` when unknown."""
    mime, _ = mimetypes.guess_type(name)
    return mime or "application/octet-stream"


def kind_for(mime: str) -> str:
    """The attachment kind (`efangtong_core.models.attachments.ATTACHMENT_KINDS`) of a MIME type."""
    for prefix, kind in _KIND_BY_MIME_PREFIX.items():
        if mime.startswith(prefix):
            return kind
    return "document"


def put_file(store: LocalAttachmentStore, source: Path, *, kind: str | None = None) -> StoredBlob:
    """Copy the file at `source` into the store and describe it."""
    sha256, size = store.import_file(source)
    mime = guess_mime(source.name)
    return StoredBlob(sha256, size, mime, source.name, kind or kind_for(mime))


def put_bytes(
    store: LocalAttachmentStore, data: bytes, *, name: str, mime: str | None = None, kind: str | None = None
) -> StoredBlob:
    """Put `data` (e.g. a generated PDF) into the store under the display name `name` and describe it."""
    folder = store.root / "partial"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, delete=False) as writer:
        writer.write(data)
        writer.flush()
        os.fsync(writer.fileno())
    sha256 = hashlib.sha256(data).hexdigest()
    store.adopt(Path(writer.name), sha256)
    resolved = mime or guess_mime(name)
    return StoredBlob(sha256, len(data), resolved, name, kind or kind_for(resolved))


def path_for(store: LocalAttachmentStore, sha256: str) -> Path | None:
    """The local file holding `sha256`, None while its bytes have not arrived."""
    return store.blob_path(sha256) if store.has(sha256) else None


def keep_generated_pdf(store: LocalAttachmentStore, folder: Path, name: str, pdf: bytes) -> tuple[Path, StoredBlob]:
    """Write a generated PDF (receipt, notice) to `folder/name` for the user to find, and its bytes into the store."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(pdf)
    temporary.replace(path)
    return path, put_bytes(store, pdf, name=name, mime="application/pdf", kind="document")


def attach_once(
    session: Session, blob: StoredBlob, *, petition_id: str, case_event_id: str | None = None, origin: str | None = None
) -> None:
    """Add the attachment row of `blob` to the petition (or its event) unless one of that name is already there."""
    owner = Attachment.case_event_id.is_(None) if case_event_id is None else Attachment.case_event_id == case_event_id
    known = session.scalar(
        select(Attachment.id).where(
            Attachment.petition_id == petition_id,
            owner,
            Attachment.original_name == blob.original_name,
            Attachment.deleted_at.is_(None),
        )
    )
    if known is None:
        session.add(attachment_row(blob, origin, petition_id=petition_id, case_event_id=case_event_id))


def attachment_row(
    blob: StoredBlob,
    origin: str | None,
    *,
    petition_id: str | None = None,
    case_event_id: str | None = None,
    petitioner_id: str | None = None,
) -> Attachment:
    """The attachment row of bytes already in the store, owned by a petition, one of its events or a petitioner."""
    return Attachment(
        sha256=blob.sha256,
        size=blob.size,
        mime=blob.mime,
        original_name=blob.original_name,
        kind=blob.kind,
        petition_id=petition_id,
        case_event_id=case_event_id,
        petitioner_id=petitioner_id,
        bytes_present=True,
        origin=origin,
    )
