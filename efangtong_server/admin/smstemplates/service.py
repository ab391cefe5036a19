"""SMS-template logic: unique codes, placeholder syntax checked, deactivation instead of deletion."""

from __future__ import annotations

import re
from string import Formatter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from efangtong_core.models import SmsTemplate
from efangtong_server.admin.common import (
    Conflict,
    NotFound,
    Refused,
    create_audited,
    refuse_nulls,
    set_active_audited,
    update_audited,
)
from efangtong_server.audit.service import Actor

ENTITY = "sms_template"
FIELDS = ("code", "name", "text", "provider_template_code")
_PLACEHOLDER = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def placeholders(text: str) -> list[str]:
    """The `{name}` placeholders of a template text in order of first use; Refused when the text is malformed."""
    names: list[str] = []
    try:
        parsed = list(Formatter().parse(text))
    except ValueError as error:
        raise Refused("模板内容的花括号不成对（参数应写作 {参数名}，花括号本身写作 {{ 或 }}）") from error
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not _PLACEHOLDER.match(name) or spec or conversion:
            raise Refused(f"参数 {{{name}}} 无效：参数名只能由小写字母开头的字母、数字、下划线组成")
        if name not in names:
            names.append(name)
    return names


def list_templates(session: Session) -> list[SmsTemplate]:
    """Every template without a tombstone, by code."""
    query = select(SmsTemplate).where(SmsTemplate.deleted_at.is_(None)).order_by(SmsTemplate.code)
    return list(session.scalars(query))


def get_template(session: Session, *, template_id: str) -> SmsTemplate:
    """The template `template_id`; NotFound when missing or tombstoned."""
    template = session.get(SmsTemplate, template_id)
    if template is None or template.deleted_at is not None:
        raise NotFound("短信模板不存在")
    return template


def create_template(session: Session, *, actor: Actor, values: dict[str, Any]) -> SmsTemplate:
    """Create a template whose code is new and whose text is well formed."""
    placeholders(values["text"])
    if session.scalar(select(SmsTemplate.id).where(SmsTemplate.code == values["code"])) is not None:
        raise Conflict(f"模板代码 {values['code']} 已存在")
    template = SmsTemplate(**{field: values.get(field) for field in FIELDS}, active=True)
    create_audited(session, actor=actor, entity=ENTITY, row=template, fields=FIELDS)
    return template


def update_template(session: Session, *, actor: Actor, template_id: str, values: dict[str, Any]) -> SmsTemplate:
    """Change a template's name, text or provider template code."""
    refuse_nulls(values, {"name": "模板名称", "text": "模板内容"})
    if values.get("text") is not None:
        placeholders(values["text"])
    template = get_template(session, template_id=template_id)
    update_audited(session, actor=actor, entity=ENTITY, row=template, values=values)
    return template


def set_template_active(session: Session, *, actor: Actor, template_id: str, active: bool) -> SmsTemplate:
    """Deactivate a template (no message is sent with it) or reactivate it."""
    template = get_template(session, template_id=template_id)
    if template.active == active:
        raise Conflict("该模板已是启用状态" if active else "该模板已停用")
    set_active_audited(session, actor=actor, entity=ENTITY, row=template, active=active)
    return template
