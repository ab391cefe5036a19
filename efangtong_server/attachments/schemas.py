"""Request and response bodies of the attachment routes."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Path
from pydantic import BaseModel, Field, StringConstraints

SHA256_PATTERN = r"^[0-9a-f]{64}$"

Sha256 = Annotated[str, StringConstraints(min_length=64, max_length=64, pattern=SHA256_PATTERN)]
"""A SHA-256 in lowercase hexadecimal."""

Sha256Path = Annotated[
    str, Path(min_length=64, max_length=64, pattern=SHA256_PATTERN, description="附件内容的 SHA-256（十六进制小写）")
]

UploadIdPath = Annotated[
    str,
    Path(
        min_length=36,
        max_length=36,
        pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        description="上传标识",
    ),
]

AttachmentKind = Literal["image", "audio", "video", "scan", "document", "card_photo"]
"""efangtong_core.models.attachments.ATTACHMENT_KINDS as a type."""


class UploadStart(BaseModel):
    """Start or resume the upload of one file: what its bytes are."""

    sha256: Sha256 = Field(description="整个文件的 SHA-256（十六进制小写）")
    size: int = Field(ge=1, le=2**53, description="文件字节数")
    mime: str = Field(min_length=3, max_length=100, pattern=r"^[!-~]+$", description="MIME 类型，如 image/jpeg")
    kind: AttachmentKind | None = Field(default=None, description="附件类别；省略时按 MIME 类型判断")


class UploadState(BaseModel):
    """Where an upload stands: send the next chunk at `offset`; `complete` once the server holds the verified file."""

    upload_id: str = Field(description="上传标识（同一用户同一文件始终相同，可用于续传）")
    sha256: str
    size: int
    offset: int = Field(description="服务器已持久保存的字节数，下一分块从此处开始")
    complete: bool = Field(description="服务器已保存并校验了整个文件")
    chunk_bytes: int = Field(description="每个分块的最大字节数")
