"""Request and response bodies of the content-category routes."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from efangtong_server.admin.fields import RowId, line

SortOrder = Annotated[int, Field(ge=0, le=9999, description="排序（小者在前）")]


class CategoryCreate(BaseModel):
    """A new category: first level (no parent, 2-digit code) or second level (parent code + 2 digits)."""

    model_config = ConfigDict(extra="forbid")

    code: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{2}([0-9]{2})?$")] = Field(
        description="分类代码：一级 2 位数字，二级为上级代码加 2 位数字"
    )
    name: Annotated[str, line(100)] = Field(description="分类名称")
    parent_id: RowId | None = Field(default=None, description="上级分类（一级分类为空）")
    sort_order: SortOrder = 0


class CategoryUpdate(BaseModel):
    """Changes to a category (its code and level never change)."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, line(100)] | None = None
    sort_order: SortOrder | None = None


class CategoryOut(BaseModel):
    """A category with its second-level children (empty for a second-level row)."""

    id: str
    code: str
    name: str
    parent_id: str | None
    sort_order: int
    active: bool
    children: list[CategoryOut] = []
