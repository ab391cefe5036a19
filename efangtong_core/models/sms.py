"""SMS (短信): templates, the outbound message queue with delivery receipts, and verification codes (server-only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from efangtong_core.models.base import ID_LENGTH, Base, LocalRecord, Replicated, UtcDateTime, utcnow
from efangtong_core.models.petitions import Petition

SMS_STATES: tuple[str, ...] = ("queued", "sending", "sent", "delivered", "failed", "cancelled")
"""Codes of sms_message.state."""


class SmsTemplate(Replicated, Base):
    """An SMS template (短信模板) with `{placeholder}` parameters; the provider's template code alongside."""

    __tablename__ = "sms_template"

    code: Mapped[str] = mapped_column(String(32), index=True, unique=True, comment="模板代码（如 accepted）")
    name: Mapped[str] = mapped_column(String(100), comment="模板名称")
    text: Mapped[str] = mapped_column(Text, comment="模板内容，含 {参数} 占位符")
    provider_template_code: Mapped[str | None] = mapped_column(String(64), comment="短信服务商的模板编号")
    active: Mapped[bool] = mapped_column(Boolean, default=True, comment="是否启用")


class SmsMessage(LocalRecord, Base):
    """An outbound SMS (短信发送记录): queued, sent through a provider, its delivery receipt."""

    __tablename__ = "sms_message"
    __table_args__ = (Index("ix_sms_message_state_next", "state", "next_attempt_at"),)

    to_phone: Mapped[str] = mapped_column(String(20), index=True, comment="接收号码")
    template_code: Mapped[str] = mapped_column(String(32), comment="模板代码")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, comment="模板参数（JSON）")
    petition_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("petition.id"), index=True, comment="相关信访件"
    )
    state: Mapped[str] = mapped_column(String(16), default="queued", comment="状态（SMS_STATES）")
    provider: Mapped[str | None] = mapped_column(String(32), comment="服务商")
    provider_id: Mapped[str | None] = mapped_column(String(100), index=True, comment="服务商回执编号")
    attempts: Mapped[int] = mapped_column(Integer, default=0, comment="已尝试次数")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="下次尝试时间")
    last_error: Mapped[str | None] = mapped_column(Text, comment="最近一次错误")
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="发送时间")
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="送达时间")
    receipt_status: Mapped[str | None] = mapped_column(String(64), comment="状态报告")

    petition: Mapped[Petition | None] = relationship()


class VerificationCode(LocalRecord, Base):
    """A one-time SMS verification code (验证码); only its hash is kept."""

    __tablename__ = "verification_code"
    __table_args__ = (Index("ix_verification_code_phone_purpose", "phone", "purpose", "created_at"),)

    phone: Mapped[str] = mapped_column(String(20), comment="手机号")
    code_hash: Mapped[str] = mapped_column(String(128), comment="验证码散列")
    purpose: Mapped[str] = mapped_column(String(32), comment="用途：login/query/booking ...")
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), comment="过期时间")
    attempts: Mapped[int] = mapped_column(Integer, default=0, comment="已校验次数")
    consumed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="使用时间")
    requested_ip: Mapped[str | None] = mapped_column(String(45), comment="请求来源地址")
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, comment="发送时间")
