"""Access log of personal records (个人信息访问记录): every view of a petitioner's profile, written where it happens.

A counter records each profile view (and each export of personal data) as an append-only replicated row, also offline.
The row travels to the server with the next push; the server turns it into an `audit_log` entry when it merges it,
so a view made offline is audited as surely as one made online. Counters never pull these rows back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from efangtong_core.models.base import ID_LENGTH, Base, Replicated, UtcDateTime, utcnow

ACCESS_VIEW = "view"
"""petitioner_access.action: a petitioner's profile was opened."""
ACCESS_EXPORT = "export"
"""petitioner_access.action: personal data was exported to a file."""


class PetitionerAccess(Replicated, Base):
    """One view or export of personal data on a counter (访问记录); inserted once, never changed."""

    __tablename__ = "petitioner_access"

    petitioner_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("petitioner.id"), index=True, comment="被查看的信访人；导出列表时为空"
    )
    action: Mapped[str] = mapped_column(String(16), default=ACCESS_VIEW, comment="view 查看档案 / export 导出")
    # No foreign key: an offline sign-in may know a user the replica has not pulled yet.
    user_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), comment="查看人（用户标识）")
    username: Mapped[str | None] = mapped_column(String(64), comment="查看人用户名")
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, comment="查看时间（柜台时钟）")
    online: Mapped[bool] = mapped_column(default=False, comment="查看时是否在线")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, comment="详情（JSON，如导出行数）")
