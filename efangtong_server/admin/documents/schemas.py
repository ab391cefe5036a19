"""Request and response bodies of the notice-template routes."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from efangtong_server.admin.fields import line, paragraph

BODY_LIMIT = 10_000


class DocumentTemplateCreate(BaseModel):
    """The first stored template of a kind of notice (name and body default to the built-in ones)."""

    model_config = ConfigDict(extra="forbid")

    code: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z][a-z0-9_]{0,31}$")] = Field(
        description="文书种类代码（acceptance 受理告知书、non_acceptance 不予受理告知书 等）"
    )
    name: Annotated[str, line(100)] | None = Field(default=None, description="文书名称（默认为种类名称）")
    body: Annotated[str, paragraph(BODY_LIMIT, min_length=1)] | None = Field(
        default=None, description="模板正文，参数写作 {name}（默认为内置正文）"
    )


class DocumentTemplateUpdate(BaseModel):
    """Changes to a template; only the fields sent are changed (its code never changes)."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, line(100)] | None = None
    body: Annotated[str, paragraph(BODY_LIMIT, min_length=1)] | None = None


class DocumentTemplateOut(BaseModel):
    """A notice template, whether it is stored (else the built-in text) and the placeholders its body uses."""

    id: str | None
    code: str
    name: str
    body: str
    active: bool
    version: int
    stored: bool
    placeholders: list[str]
