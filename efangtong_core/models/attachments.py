"""Attachments (附件): content-addressed blobs whose metadata replicates and whose bytes travel separately."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from efangtong_core.models.base import ID_LENGTH, Base, Replicated

if TYPE_CHECKING:
    from efangtong_core.models.people import Petitioner
    from efangtong_core.models.petitions import CaseEvent, Petition

ATTACHMENT_KINDS: tuple[str, ...] = ("image", "audio", "video", "scan", "document", "card_photo")
"""Codes of attachment.kind."""


class Attachment(Replicated, Base):
    """An attachment's metadata; the bytes are stored by sha256 and may arrive after the row (bytes_present)."""

    __tablename__ = "attachment"

    sha256: Mapped[str] = mapped_column(String(64), index=True, comment="内容 SHA-256（十六进制小写）")
    size: Mapped[int] = mapped_column(BigInteger, comment="字节数")
    mime: Mapped[str] = mapped_column(String(100), comment="MIME 类型")
    original_name: Mapped[str | None] = mapped_column(String(255), comment="原文件名")
    kind: Mapped[str] = mapped_column(String(16), comment="类别：image/audio/video/scan/document/card_photo")
    petition_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("petition.id"), index=True, comment="所属信访件"
    )
    case_event_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("case_event.id"), index=True, comment="所属案件事件"
    )
    petitioner_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("petitioner.id"), index=True, comment="所属信访人（证件照等）"
    )
    bytes_present: Mapped[bool] = mapped_column(Boolean, default=False, comment="内容已在本地存储")

    petition: Mapped[Petition | None] = relationship()
    case_event: Mapped[CaseEvent | None] = relationship()
    petitioner: Mapped[Petitioner | None] = relationship()
