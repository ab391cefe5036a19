"""Request and response bodies of the routing-rule routes."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from efangtong_server.admin.fields import RowId

Priority = Annotated[int, Field(ge=0, le=1000, description="优先级（0–1000，大者优先）")]


class RoutingRuleCreate(BaseModel):
    """A new routing rule: matters of this category (and town) go to this unit."""

    model_config = ConfigDict(extra="forbid")

    category_id: RowId | None = Field(default=None, description="内容分类（空为任意）")
    town_id: RowId | None = Field(default=None, description="问题属地：镇或开发区（空为任意）")
    unit_id: RowId = Field(description="承办单位")
    priority: Priority = 0
    active: bool = True


class RoutingRuleUpdate(BaseModel):
    """Changes to a routing rule; only the fields sent are changed (send null for “any”)."""

    model_config = ConfigDict(extra="forbid")

    category_id: RowId | None = None
    town_id: RowId | None = None
    unit_id: RowId | None = None
    priority: Priority | None = None
    active: bool | None = None


class RoutingRuleOut(BaseModel):
    """A routing rule with the names of what it refers to."""

    id: str
    category_id: str | None
    category_name: str | None
    town_id: str | None
    town_name: str | None
    unit_id: str
    unit_name: str
    priority: int
    active: bool
