"""Request and response bodies of the org-unit routes."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from efangtong_core.vocabulary import OrgUnitKind
from efangtong_server.admin.fields import RowId, line

DivisionCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{6,12}$")]
SortOrder = Annotated[int, Field(ge=0, le=9999, description="排序（小者在前）")]


class OrgUnitCreate(BaseModel):
    """A new org unit."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, line(100)] = Field(description="单位名称")
    short_name: Annotated[str, line(50)] | None = Field(default=None, description="简称")
    kind: OrgUnitKind = Field(description="单位类别：bureau 信访局 / town 镇 / zone 开发区 / department 部门")
    parent_id: RowId | None = Field(default=None, description="上级单位")
    division_code: DivisionCode | None = Field(default=None, description="行政区划代码（6–12 位数字）")
    sort_order: SortOrder = 0


class OrgUnitUpdate(BaseModel):
    """Changes to an org unit; only the fields sent are changed (send null to clear an optional one)."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, line(100)] | None = None
    short_name: Annotated[str, line(50)] | None = None
    kind: OrgUnitKind | None = None
    parent_id: RowId | None = None
    division_code: DivisionCode | None = None
    sort_order: SortOrder | None = None


class OrgUnitOut(BaseModel):
    """An org unit as the administrator sees it; `depth` is its level in the tree (0 for a root)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    short_name: str | None
    kind: str
    kind_label: str
    parent_id: str | None
    division_code: str | None
    sort_order: int
    active: bool
    depth: int


class OrgUnitReference(BaseModel):
    """An active org unit as every signed-in client reads it."""

    id: str
    name: str
    short_name: str | None
    kind: str
    parent_id: str | None
    division_code: str | None
    depth: int
