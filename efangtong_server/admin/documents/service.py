"""Notice-template logic: one template per kind of notice, placeholders checked at save time, versions, deactivation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from efangtong_core.models import DocumentTemplate
from efangtong_core.notice_templates import DEFAULT_BODIES, KINDS_BY_CODE, NOTICE_KINDS, TemplateError
from efangtong_core.notice_templates import placeholders as template_placeholders
from efangtong_server.admin.common import (
    Conflict,
    NotFound,
    Refused,
    apply_changes,
    audit,
    commit,
    create_audited,
    refuse_nulls,
    set_active_audited,
)
from efangtong_server.audit.service import Actor

ENTITY = "document_template"
FIELDS = ("code", "name", "body", "version")


def placeholders(body: str) -> list[str]:
    """The placeholders of a template body in order of first use; Refused when malformed or unknown."""
    try:
        return template_placeholders(body)
    except TemplateError as error:
        raise Refused(str(error)) from error


def default_template(code: str) -> DocumentTemplate:
    """The built-in template of kind `code`, not stored (no id is kept for it)."""
    kind = KINDS_BY_CODE[code]
    return DocumentTemplate(code=code, name=kind.name, body=DEFAULT_BODIES[code], active=True, version=0)


def list_templates(session: Session) -> list[tuple[DocumentTemplate, bool]]:
    """Every kind's template in the kinds' order, with whether it is stored (else it is the built-in text)."""
    query = select(DocumentTemplate).where(DocumentTemplate.deleted_at.is_(None))
    stored = {row.code: row for row in session.scalars(query)}
    order = {kind.code: position for position, kind in enumerate(NOTICE_KINDS)}
    rows = [(row, True) for row in stored.values()]
    rows += [(default_template(kind.code), False) for kind in NOTICE_KINDS if kind.code not in stored]
    return sorted(rows, key=lambda pair: (order.get(pair[0].code, len(order)), pair[0].code))


def get_template(session: Session, *, template_id: str) -> DocumentTemplate:
    """The stored template `template_id`; NotFound when missing or tombstoned."""
    template = session.get(DocumentTemplate, template_id)
    if template is None or template.deleted_at is not None:
        raise NotFound("文书模板不存在")
    return template


def create_template(session: Session, *, actor: Actor, values: dict[str, Any]) -> DocumentTemplate:
    """Store the template of a kind not stored yet (its built-in name and body unless given)."""
    code = values["code"]
    kind = KINDS_BY_CODE.get(code)
    if kind is None:
        known = "、".join(f"{kind.code}（{kind.name}）" for kind in NOTICE_KINDS)
        raise Refused(f"文书种类 {code} 不存在。可用的种类：{known}")
    body = values.get("body") or DEFAULT_BODIES[code]
    placeholders(body)
    if session.scalar(select(DocumentTemplate.id).where(DocumentTemplate.code == code)) is not None:
        raise Conflict(f"{kind.name}的模板已存在，请修改已有模板")
    template = DocumentTemplate(code=code, name=values.get("name") or kind.name, body=body, active=True, version=1)
    create_audited(session, actor=actor, entity=ENTITY, row=template, fields=FIELDS)
    return template


def update_template(session: Session, *, actor: Actor, template_id: str, values: dict[str, Any]) -> DocumentTemplate:
    """Change a template's name or body; a changed body gets the next version."""
    refuse_nulls(values, {"name": "文书名称", "body": "模板正文"})
    if values.get("body") is not None:
        placeholders(values["body"])
    template = get_template(session, template_id=template_id)
    changed = apply_changes(template, values)
    if "body" in changed:
        changed |= apply_changes(template, {"version": template.version + 1})
    if changed:
        audit(session, actor=actor, action="update", entity=ENTITY, entity_id=template.id, details=changed)
        commit(session)
    return template


def set_template_active(session: Session, *, actor: Actor, template_id: str, active: bool) -> DocumentTemplate:
    """Deactivate a template (the notice cannot be printed) or reactivate it."""
    template = get_template(session, template_id=template_id)
    if template.active == active:
        raise Conflict("该模板已是启用状态" if active else "该模板已停用")
    set_active_audited(session, actor=actor, entity=ENTITY, row=template, active=active)
    return template
