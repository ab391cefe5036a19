"""Written-notice templates (文书模板): the text of each kind of notice, edited by the administrator, replicated."""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from efangtong_core.models.base import Base, Replicated


class DocumentTemplate(Replicated, Base):
    """The template of one kind of notice (efangtong_core.notice_templates), with `{placeholder}` fields."""

    __tablename__ = "document_template"

    code: Mapped[str] = mapped_column(String(32), index=True, unique=True, comment="文书种类代码（如 acceptance）")
    name: Mapped[str] = mapped_column(String(100), comment="文书名称（如 受理告知书）")
    body: Mapped[str] = mapped_column(Text, comment="正文，含 {参数} 占位符")
    active: Mapped[bool] = mapped_column(Boolean, default=True, comment="是否启用")
    version: Mapped[int] = mapped_column(Integer, default=1, comment="版本号（每次修改正文加一）")
