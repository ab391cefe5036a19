"""Identity verification cache (联网核验缓存): server-local, never replicated, keyed by a hash, not the number."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from efangtong_core.models.base import Base, LocalRecord, UtcDateTime, utcnow


class VerificationCache(LocalRecord, Base):
    """The last definitive answer of the verification service for one name + ID number pair."""

    __tablename__ = "verification_cache"

    subject_hash: Mapped[str] = mapped_column(
        String(64), unique=True, index=True, comment="姓名与证件号码的 HMAC-SHA256（不存号码本身）"
    )
    result: Mapped[str] = mapped_column(String(16), comment="核验结果：match 一致 / mismatch 不一致 / not_found 查无")
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, comment="核验时间")
