"""Notice-template routes under /api/v1/admin/document-templates."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from efangtong_core.models import DocumentTemplate
from efangtong_server.access.dependencies import AdminAccess
from efangtong_server.admin.common import AdminRoute, Refused, actor_of
from efangtong_server.admin.documents import service
from efangtong_server.admin.documents.schemas import (
    DocumentTemplateCreate,
    DocumentTemplateOut,
    DocumentTemplateUpdate,
)
from efangtong_server.admin.fields import IdPath
from efangtong_server.database import DbSession

router = APIRouter(prefix="/api/v1/admin/document-templates", tags=["系统设置：文书模板"], route_class=AdminRoute)


def _out(template: DocumentTemplate, stored: bool = True) -> DocumentTemplateOut:
    try:
        names = service.placeholders(template.body)
    except Refused:
        names = []  # a row written elsewhere with a malformed body still lists
    return DocumentTemplateOut(
        id=template.id if stored else None,
        code=template.code,
        name=template.name,
        body=template.body,
        active=template.active,
        version=template.version,
        stored=stored,
        placeholders=names,
    )


@router.get("", summary="文书模板列表")
def list_templates(access: AdminAccess, session: DbSession) -> list[DocumentTemplateOut]:
    """Every kind's template: stored ones, then the built-in text of kinds never saved."""
    return [_out(template, stored) for template, stored in service.list_templates(session)]


@router.get("/{template_id}", summary="文书模板详情")
def get_template(template_id: IdPath, access: AdminAccess, session: DbSession) -> DocumentTemplateOut:
    """One stored template."""
    return _out(service.get_template(session, template_id=template_id))


@router.post("", status_code=status.HTTP_201_CREATED, summary="保存文书模板")
def create_template(
    body: DocumentTemplateCreate, request: Request, access: AdminAccess, session: DbSession
) -> DocumentTemplateOut:
    """Store the template of a kind of notice for the first time."""
    return _out(service.create_template(session, actor=actor_of(access, request), values=body.model_dump()))


@router.patch("/{template_id}", summary="修改文书模板")
def update_template(
    template_id: IdPath, body: DocumentTemplateUpdate, request: Request, access: AdminAccess, session: DbSession
) -> DocumentTemplateOut:
    """Change a template's name or body."""
    values = body.model_dump(exclude_unset=True)
    actor = actor_of(access, request)
    return _out(service.update_template(session, actor=actor, template_id=template_id, values=values))


@router.post("/{template_id}/deactivate", summary="停用文书模板")
def deactivate_template(
    template_id: IdPath, request: Request, access: AdminAccess, session: DbSession
) -> DocumentTemplateOut:
    """Deactivate a template."""
    actor = actor_of(access, request)
    return _out(service.set_template_active(session, actor=actor, template_id=template_id, active=False))


@router.post("/{template_id}/reactivate", summary="启用文书模板")
def reactivate_template(
    template_id: IdPath, request: Request, access: AdminAccess, session: DbSession
) -> DocumentTemplateOut:
    """Reactivate a template."""
    actor = actor_of(access, request)
    return _out(service.set_template_active(session, actor=actor, template_id=template_id, active=True))
