"""Attachment transfer logic: type and size rules, resumable uploads, who may download, byte ranges."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from efangtong_core.models import Attachment
from efangtong_server.access.principal import Access
from efangtong_server.attachments import texts
from efangtong_server.attachments.schemas import UploadState
from efangtong_server.attachments.storage import (
    AttachmentStorage,
    BeyondDeclaredSize,
    ContentMismatch,
    FolderStorage,
    OffsetMismatch,
    UnknownUpload,
)
from efangtong_server.settings import Settings
from sync.scope import Visibility, visible_filter

ALLOWED_TYPES: dict[str, frozenset[str]] = {
    "image": frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "image/tiff", "image/heic"}),
    "card_photo": frozenset({"image/jpeg", "image/png", "image/bmp"}),
    "scan": frozenset({"application/pdf", "image/jpeg", "image/png", "image/tiff"}),
    "document": frozenset({"application/pdf"}),
    "audio": frozenset(
        {"audio/mpeg", "audio/mp4", "audio/aac", "audio/wav", "audio/x-wav", "audio/amr", "audio/ogg", "audio/webm"}
    ),
    "video": frozenset(
        {
            "video/mp4",
            "video/quicktime",
            "video/x-msvideo",
            "video/webm",
            "video/3gpp",
            "video/mpeg",
            "video/x-matroska",
        }
    ),
}
"""The MIME types each attachment kind accepts."""

_KIND_OF_TYPE = {"image": "image", "audio": "audio", "video": "video", "application/pdf": "document"}
_RANGE = re.compile(r"bytes=(\d*)-(\d*)", re.ASCII)
_UPLOAD_NAMESPACE = uuid.UUID("5b0c1c52-93a4-4c1e-9a57-2f3d3c7be0a1")


class AttachmentRefusal(Exception):
    """A refused request: an HTTP status, a Chinese message and optional answer headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


def storage_for(settings: Settings) -> AttachmentStorage:
    """The attachment store the settings configure (a folder for now; S3 later behind the same interface)."""
    return FolderStorage(settings.attachments_root())


def normalise_mime(mime: str) -> str:
    """`mime` without parameters, in lower case ("Image/JPEG; q=1" → "image/jpeg")."""
    return mime.split(";", 1)[0].strip().lower()


def checked_kind(*, mime: str, kind: str | None, size: int, settings: Settings) -> str:
    """The attachment kind after checking the declared type and size against it; refusal 415 / 413 otherwise."""
    if kind is None:
        kind = _KIND_OF_TYPE.get(mime) or _KIND_OF_TYPE.get(mime.split("/", 1)[0])
        if kind is None:
            raise AttachmentRefusal(415, texts.NO_KIND_FOR_TYPE.format(mime=mime))
    allowed = ALLOWED_TYPES.get(kind)
    if allowed is None:
        raise AttachmentRefusal(415, texts.UNKNOWN_KIND.format(kind=kind))
    label = texts.KIND_LABELS.get(kind, kind)
    if mime not in allowed:
        raise AttachmentRefusal(415, texts.WRONG_TYPE.format(mime=mime, kind=label, allowed="、".join(sorted(allowed))))
    limit = settings.attachment_limit(kind)
    if size > limit:
        message = texts.TOO_LARGE.format(kind=label, limit=texts.human_size(limit), size=texts.human_size(size))
        raise AttachmentRefusal(413, message)
    return kind


def upload_id_for(*, user_id: str, sha256: str, size: int) -> str:
    """The id of a user's upload of one file: the same on every try, so an upload resumes whatever the client lost."""
    return str(uuid.uuid5(_UPLOAD_NAMESPACE, f"{user_id}/{sha256}/{size}"))


def mark_bytes_present(session: Session, *, sha256: str) -> None:
    """Every attachment row of `sha256` now has its bytes on the server; commits.

    Through the ORM, so that the server's sequencing (sync.sequence) gives the rows a new server_seq and counters
    learn from their next pull that the bytes can be downloaded.
    """
    rows = session.scalars(
        select(Attachment).where(Attachment.sha256 == sha256, Attachment.bytes_present.is_(False))
    ).all()
    for row in rows:
        row.bytes_present = True
    session.commit()


def bytes_stored(settings: Settings, *, sha256: str) -> bool:
    """True when the store holds the bytes of `sha256`: what a row arriving after its bytes sets bytes_present to."""
    return storage_for(settings).exists(sha256)


def _state(upload_id: str, sha256: str, size: int, offset: int, settings: Settings) -> UploadState:
    return UploadState(
        upload_id=upload_id,
        sha256=sha256,
        size=size,
        offset=offset,
        complete=offset == size and storage_for(settings).exists(sha256),
        chunk_bytes=settings.attachment_chunk_bytes,
    )


def _finish(storage: AttachmentStorage, session: Session, *, upload_id: str, sha256: str) -> None:
    try:
        storage.assemble(upload_id)
    except ContentMismatch:
        raise AttachmentRefusal(422, texts.CONTENT_MISMATCH) from None
    except UnknownUpload:
        if not storage.exists(sha256):
            raise AttachmentRefusal(404, texts.UNKNOWN_UPLOAD) from None
    mark_bytes_present(session, sha256=sha256)


def start_upload(
    session: Session, *, settings: Settings, user_id: str, sha256: str, size: int, mime: str, kind: str | None
) -> UploadState:
    """Start the upload of a file or tell how far it got; complete at once when the server holds these bytes already."""
    checked_kind(mime=normalise_mime(mime), kind=kind, size=size, settings=settings)
    storage = storage_for(settings)
    upload_id = upload_id_for(user_id=user_id, sha256=sha256, size=size)
    if storage.exists(sha256):
        if storage.partial(upload_id) is not None:
            storage.delete_partial(upload_id)
        mark_bytes_present(session, sha256=sha256)
        return _state(upload_id, sha256, size, size, settings)
    partial = storage.start_partial(upload_id, sha256=sha256, size=size)
    if partial.received == size:  # the last chunk arrived but the server stopped before verifying it
        _finish(storage, session, upload_id=upload_id, sha256=sha256)
    return _state(upload_id, sha256, size, partial.received, settings)


def put_chunk(
    session: Session, *, settings: Settings, user_id: str, upload_id: str, offset: int, data: bytes
) -> UploadState:
    """Store one chunk of the user's upload at `offset`; verify and finish the upload when it was the last."""
    storage = storage_for(settings)
    partial = storage.partial(upload_id)
    if partial is None or upload_id != upload_id_for(user_id=user_id, sha256=partial.sha256, size=partial.size):
        raise AttachmentRefusal(404, texts.UNKNOWN_UPLOAD)
    if not data:
        raise AttachmentRefusal(400, texts.CHUNK_EMPTY)
    if storage.exists(partial.sha256):  # another upload of the same content finished meanwhile
        storage.delete_partial(upload_id)
        mark_bytes_present(session, sha256=partial.sha256)
        return _state(upload_id, partial.sha256, partial.size, partial.size, settings)
    try:
        received = storage.put_chunk(upload_id, offset, data)
    except OffsetMismatch as mismatch:
        message = texts.OFFSET_MISMATCH.format(offset=offset, received=mismatch.received)
        raise AttachmentRefusal(409, message, {"Upload-Offset": str(mismatch.received)}) from None
    except BeyondDeclaredSize:
        raise AttachmentRefusal(400, texts.BEYOND_DECLARED_SIZE) from None
    except UnknownUpload:
        raise AttachmentRefusal(404, texts.UNKNOWN_UPLOAD) from None
    if received == partial.size:
        _finish(storage, session, upload_id=upload_id, sha256=partial.sha256)
    return _state(upload_id, partial.sha256, partial.size, received, settings)


def visible_attachment(session: Session, *, access: Access, sha256: str) -> Attachment | None:
    """An attachment row of `sha256` the user may see (the sync pull's visibility rule for attachments), or None."""
    roles = frozenset(grant.role.value for grant in access.principal.grants)
    visibility = Visibility(county=access.scope.county, unit_ids=access.scope.unit_ids, roles=roles)
    return session.scalar(
        select(Attachment)
        .where(Attachment.sha256 == sha256, Attachment.deleted_at.is_(None))
        .where(visible_filter("attachment", visibility))
        .order_by(Attachment.created_at)
        .limit(1)
    )


@dataclass(frozen=True)
class ByteRange:
    """Bytes `start` to `end` inclusive of a blob of `size` bytes."""

    start: int
    end: int
    size: int

    @property
    def length(self) -> int:
        """How many bytes the range covers."""
        return self.end - self.start + 1


def requested_range(header: str | None, size: int) -> ByteRange | None:
    """The single byte range of a `Range` header, None for the whole blob; refusal 416 when it lies past the end.

    A header we cannot read (or asking for several ranges) is ignored, as RFC 9110 allows: the whole blob is sent.
    """
    match = _RANGE.fullmatch(header.strip()) if header else None
    if match is None or not (match[1] or match[2]):
        return None
    first, last = match[1], match[2]
    if not first:  # a suffix: the last N bytes
        length = int(last)
        if length == 0:
            raise _unsatisfiable(size)
        return ByteRange(max(size - length, 0), size - 1, size)
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size:
        raise _unsatisfiable(size)
    if end < start:
        return None
    return ByteRange(start, end, size)


def _unsatisfiable(size: int) -> AttachmentRefusal:
    return AttachmentRefusal(416, texts.RANGE_NOT_SATISFIABLE.format(size=size), {"Content-Range": f"bytes */{size}"})
