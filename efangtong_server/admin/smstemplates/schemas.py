"""Request and response bodies of the SMS-template routes."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from efangtong_server.admin.fields import line, paragraph

ProviderCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_.-]{1,64}$")]


class SmsTemplateCreate(BaseModel):
    """A new SMS template."""

    model_config = ConfigDict(extra="forbid")

    code: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z][a-z0-9_]{0,31}$")] = Field(
        description="模板代码（小写字母开头，字母、数字、下划线，至多 32 位）"
    )
    name: Annotated[str, line(100)] = Field(description="模板名称")
    text: Annotated[str, paragraph(500, min_length=1)] = Field(description="模板内容，参数写作 {name}")
    provider_template_code: ProviderCode | None = Field(default=None, description="短信服务商的模板编号")


class SmsTemplateUpdate(BaseModel):
    """Changes to a template; only the fields sent are changed (its code never changes)."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, line(100)] | None = None
    text: Annotated[str, paragraph(500, min_length=1)] | None = None
    provider_template_code: ProviderCode | None = None


class SmsTemplateOut(BaseModel):
    """An SMS template and the placeholders its text uses."""

    id: str
    code: str
    name: str
    text: str
    provider_template_code: str | None
    active: bool
    placeholders: list[str]
