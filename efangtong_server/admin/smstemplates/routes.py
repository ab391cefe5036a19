"""SMS-template routes under /api/v1/admin/sms-templates."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from efangtong_core.models import SmsTemplate
from efangtong_server.access.dependencies import AdminAccess
from efangtong_server.admin.common import AdminRoute, Refused, actor_of
from efangtong_server.admin.fields import IdPath
from efangtong_server.admin.smstemplates import service
from efangtong_server.admin.smstemplates.schemas import SmsTemplateCreate, SmsTemplateOut, SmsTemplateUpdate
from efangtong_server.database import DbSession

router = APIRouter(prefix="/api/v1/admin/sms-templates", tags=["系统设置：短信模板"], route_class=AdminRoute)


def _out(template: SmsTemplate) -> SmsTemplateOut:
    try:
        names = service.placeholders(template.text)
    except Refused:
        names = []  # a row written elsewhere with a malformed text still lists
    return SmsTemplateOut(
        id=template.id,
        code=template.code,
        name=template.name,
        text=template.text,
        provider_template_code=template.provider_template_code,
        active=template.active,
        placeholders=names,
    )


@router.get("", summary="短信模板列表")
def list_templates(access: AdminAccess, session: DbSession) -> list[SmsTemplateOut]:
    """Every SMS template, active or not, by code."""
    return [_out(template) for template in service.list_templates(session)]


@router.get("/{template_id}", summary="短信模板详情")
def get_template(template_id: IdPath, access: AdminAccess, session: DbSession) -> SmsTemplateOut:
    """One SMS template."""
    return _out(service.get_template(session, template_id=template_id))


@router.post("", status_code=status.HTTP_201_CREATED, summary="新增短信模板")
def create_template(
    body: SmsTemplateCreate, request: Request, access: AdminAccess, session: DbSession
) -> SmsTemplateOut:
    """Create an SMS template."""
    return _out(service.create_template(session, actor=actor_of(access, request), values=body.model_dump()))


@router.patch("/{template_id}", summary="修改短信模板")
def update_template(
    template_id: IdPath, body: SmsTemplateUpdate, request: Request, access: AdminAccess, session: DbSession
) -> SmsTemplateOut:
    """Change a template's name, text or provider template code."""
    values = body.model_dump(exclude_unset=True)
    actor = actor_of(access, request)
    return _out(service.update_template(session, actor=actor, template_id=template_id, values=values))


@router.post("/{template_id}/deactivate", summary="停用短信模板")
def deactivate_template(
    template_id: IdPath, request: Request, access: AdminAccess, session: DbSession
) -> SmsTemplateOut:
    """Deactivate a template."""
    actor = actor_of(access, request)
    return _out(service.set_template_active(session, actor=actor, template_id=template_id, active=False))


@router.post("/{template_id}/reactivate", summary="启用短信模板")
def reactivate_template(
    template_id: IdPath, request: Request, access: AdminAccess, session: DbSession
) -> SmsTemplateOut:
    """Reactivate a template."""
    actor = actor_of(access, request)
    return _out(service.set_template_active(session, actor=actor, template_id=template_id, active=True))
