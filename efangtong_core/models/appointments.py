"""Appointments (领导接访预约): leaders' reception sessions, bookings with check-in, and reception records."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from efangtong_core.models.base import ID_LENGTH, Base, Replicated, UtcDateTime, utcnow
from efangtong_core.models.org import User
from efangtong_core.models.people import Petitioner
from efangtong_core.models.petitions import Petition

BOOKING_STATES: tuple[str, ...] = ("booked", "checked_in", "received", "cancelled", "no_show")
"""Codes of booking.state."""


class ReceptionSession(Replicated, Base):
    """A leader's reception session (领导接访日): a date, a time span, a place and a number of slots."""

    __tablename__ = "reception_session"
    __table_args__ = (Index("ix_reception_session_day_leader", "day", "leader_id"),)

    leader_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("user_account.id"), comment="接访领导")
    day: Mapped[date] = mapped_column(comment="接访日期")
    starts_at: Mapped[time | None] = mapped_column(comment="开始时间（当地）")
    ends_at: Mapped[time | None] = mapped_column(comment="结束时间（当地）")
    place: Mapped[str] = mapped_column(String(200), comment="地点")
    slot_capacity: Mapped[int] = mapped_column(Integer, comment="可预约名额")
    topic: Mapped[str | None] = mapped_column(String(200), comment="接访主题")
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="取消时间")

    leader: Mapped[User] = relationship()
    bookings: Mapped[list[Booking]] = relationship(back_populates="session")


class Booking(Replicated, Base):
    """A petitioner's booking of a reception session (预约), with its check-in (签到)."""

    __tablename__ = "booking"

    session_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("reception_session.id"), index=True, comment="接访场次"
    )
    petitioner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("petitioner.id"), index=True, comment="信访人"
    )
    petition_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("petition.id"), index=True, comment="相关信访件"
    )
    state: Mapped[str] = mapped_column(String(16), default="booked", comment="状态：booked/checked_in/received/...")
    channel: Mapped[str] = mapped_column(String(16), default="counter", comment="预约渠道：counter 柜台 / mobile 手机")
    booked_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, comment="预约时间")
    checked_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="签到时间")
    note: Mapped[str | None] = mapped_column(String(500), comment="备注")

    session: Mapped[ReceptionSession] = relationship(back_populates="bookings")
    petitioner: Mapped[Petitioner] = relationship()
    petition: Mapped[Petition | None] = relationship()


class ReceptionRecord(Replicated, Base):
    """What happened at a leader's reception (接访记录): the leader's instructions on the matter."""

    __tablename__ = "reception_record"

    session_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("reception_session.id"), index=True, comment="接访场次"
    )
    booking_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), ForeignKey("booking.id"), comment="预约")
    petition_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("petition.id"), index=True, comment="信访件"
    )
    leader_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("user_account.id"), comment="接访领导")
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, comment="接访时间")
    summary: Mapped[str] = mapped_column(Text, default="", comment="接访情况")
    instructions: Mapped[str | None] = mapped_column(Text, comment="领导批示")
    recorded_by_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("user_account.id"), comment="记录人"
    )

    session: Mapped[ReceptionSession | None] = relationship()
    booking: Mapped[Booking | None] = relationship()
    petition: Mapped[Petition | None] = relationship()
    leader: Mapped[User] = relationship(foreign_keys=[leader_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
