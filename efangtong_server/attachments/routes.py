"""Attachment transfer routes under /api/v1/attachments: resumable chunked upload, ranged download, existence check.

Protocol: `POST /uploads` declares a file (sha256, size, mime) and answers its upload id and the byte offset the server
holds; `PUT /uploads/{id}?offset=N` sends the next chunk (application/octet-stream) exactly at N; the chunk that
completes the file makes the server verify the SHA-256 of the whole and store it as a blob. After a crash or a dropped
connection the client simply asks `POST /uploads` again. `GET /{sha256}` downloads with HTTP Range support.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, BinaryIO

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import ClientDisconnect

from efangtong_server.access.dependencies import AppSettings, Authorize
from efangtong_server.access.permissions import Permission
from efangtong_server.access.principal import Access
from efangtong_server.attachments import service, texts
from efangtong_server.attachments.schemas import Sha256Path, UploadIdPath, UploadStart, UploadState
from efangtong_server.audit.service import Actor, record_audit
from efangtong_server.database import DbSession, ReadSession
from efangtong_server.errors import ErrorAnswer

TransferAccess = Annotated[Access, Depends(Authorize(Permission.TRANSFER_ATTACHMENTS))]

OCTET_STREAM = "application/octet-stream"
SEND_BLOCK = 64 * 1024
_BINARY = {OCTET_STREAM: {"schema": {"type": "string", "format": "binary"}}}


def _answer(description: str) -> dict[str, Any]:
    return {"model": ErrorAnswer, "description": description}


router = APIRouter(
    prefix="/api/v1/attachments",
    tags=["附件"],
    responses={413: _answer("文件或分块过大"), 415: _answer("不支持的文件类型或请求内容类型")},
)


def _http(refusal: service.AttachmentRefusal) -> HTTPException:
    return HTTPException(refusal.status, refusal.message, headers=refusal.headers)


@router.post("/uploads", summary="开始或续传上传")
def start_upload(body: UploadStart, access: TransferAccess, session: DbSession, settings: AppSettings) -> UploadState:
    """Declare a file to upload; the answer says from which offset to send (size equal to offset: nothing to send)."""
    try:
        return service.start_upload(
            session,
            settings=settings,
            user_id=access.principal.user_id,
            sha256=body.sha256,
            size=body.size,
            mime=body.mime,
            kind=body.kind,
        )
    except service.AttachmentRefusal as refusal:
        raise _http(refusal) from refusal


async def _read_chunk(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, texts.CHUNK_TOO_LARGE.format(limit=limit))
    pieces: list[bytes] = []
    total = 0
    try:
        async for piece in request.stream():
            total += len(piece)
            if total > limit:
                raise HTTPException(413, texts.CHUNK_TOO_LARGE.format(limit=limit))
            pieces.append(piece)
    except ClientDisconnect:
        raise HTTPException(400, texts.CONNECTION_LOST) from None
    return b"".join(pieces)


@router.put(
    "/uploads/{upload_id}",
    summary="上传一个分块",
    responses={409: {"model": ErrorAnswer, "description": "分块位置与已接收的字节数不一致（响应头 Upload-Offset）"}},
    openapi_extra={"requestBody": {"required": True, "description": "分块的字节", "content": _BINARY}},
)
async def put_chunk(
    upload_id: UploadIdPath,
    offset: Annotated[int, Query(ge=0, le=2**53, description="该分块在文件中的起始字节位置")],
    request: Request,
    access: TransferAccess,
    session: DbSession,
    settings: AppSettings,
) -> UploadState:
    """Store the chunk that starts at `offset`; re-sending a chunk the server already holds is accepted."""
    # The access check ran in a writing transaction; end it so no database lock is held while the body arrives.
    await run_in_threadpool(session.rollback)
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type != OCTET_STREAM:
        raise HTTPException(415, texts.CHUNK_NOT_OCTET_STREAM)
    data = await _read_chunk(request, settings.attachment_chunk_bytes)
    try:
        return await run_in_threadpool(
            lambda: service.put_chunk(
                session,
                settings=settings,
                user_id=access.principal.user_id,
                upload_id=upload_id,
                offset=offset,
                data=data,
            )
        )
    except service.AttachmentRefusal as refusal:
        raise _http(refusal) from refusal


@router.head("/{sha256}", summary="附件内容是否已在服务器", response_class=Response)
def bytes_exist(sha256: Sha256Path, access: TransferAccess, settings: AppSettings) -> Response:
    """200 with Content-Length when the server holds these bytes, 404 otherwise."""
    size = service.storage_for(settings).size(sha256)
    if size is None:
        raise HTTPException(404, texts.BYTES_MISSING)
    return Response(status_code=200, headers={"Content-Length": str(size), "Accept-Ranges": "bytes"})


def _stream(handle: BinaryIO, length: int) -> Iterator[bytes]:
    with handle:
        remaining = length
        while remaining > 0:
            block = handle.read(min(SEND_BLOCK, remaining))
            if not block:
                return
            remaining -= len(block)
            yield block


def _audit_download(request: Request, access: Access, attachment_id: str, sha256: str) -> None:
    factory: sessionmaker[Session] = request.app.state.writing_session_factory
    principal = access.principal
    actor = Actor(
        user_id=principal.user_id,
        username=principal.username,
        device_id=principal.device_id,
        ip=request.client.host if request.client else None,
    )
    with factory() as session:
        details = {"sha256": sha256}
        record_audit(
            session, actor=actor, action="download", entity="attachment", entity_id=attachment_id, details=details
        )
        session.commit()


@router.get(
    "/{sha256}",
    summary="下载附件",
    response_class=Response,  # no media type of its own: error answers stay documented as JSON
    responses={
        200: {"content": _BINARY, "description": "整个附件"},
        206: {"content": _BINARY, "description": "请求的字节范围（Range），用于续传"},
        416: _answer("请求的范围超出附件大小"),
    },
)
def download(
    sha256: Sha256Path,
    request: Request,
    access: TransferAccess,
    session: ReadSession,
    settings: AppSettings,
    range_header: Annotated[str | None, Header(alias="range", description="字节范围，如 bytes=1048576-")] = None,
) -> Response:
    """The attachment's bytes, or the byte range asked for; the row must be visible to the user."""
    attachment = service.visible_attachment(session, access=access, sha256=sha256)
    if attachment is None:
        raise HTTPException(404, texts.NOT_FOUND)
    storage = service.storage_for(settings)
    size = storage.size(sha256)
    if size is None:
        raise HTTPException(404, texts.BYTES_MISSING)
    try:
        byte_range = service.requested_range(range_header, size)
    except service.AttachmentRefusal as refusal:
        raise _http(refusal) from refusal
    session.rollback()
    if byte_range is None or byte_range.start == 0:
        _audit_download(request, access, attachment.id, sha256)
    headers = {"Accept-Ranges": "bytes", "ETag": f'"{sha256}"', "X-Content-Type-Options": "nosniff"}
    if byte_range is None:
        headers["Content-Length"] = str(size)
        return StreamingResponse(_stream(storage.open(sha256), size), media_type=OCTET_STREAM, headers=headers)
    headers["Content-Length"] = str(byte_range.length)
    headers["Content-Range"] = f"bytes {byte_range.start}-{byte_range.end}/{size}"
    handle = storage.open(sha256, start=byte_range.start)
    return StreamingResponse(
        _stream(handle, byte_range.length), status_code=206, media_type=OCTET_STREAM, headers=headers
    )
