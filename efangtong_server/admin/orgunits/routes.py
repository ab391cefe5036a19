"""Org-unit routes: administration under /api/v1/admin/org-units, read-only reference under /api/v1/reference."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from efangtong_core.models import OrgUnit
from efangtong_core.vocabulary import OrgUnitKind
from efangtong_server.access.dependencies import AdminAccess, ReferenceAccess
from efangtong_server.admin.common import AdminRoute, actor_of
from efangtong_server.admin.fields import IdPath
from efangtong_server.admin.orgunits import service
from efangtong_server.admin.orgunits.schemas import OrgUnitCreate, OrgUnitOut, OrgUnitReference, OrgUnitUpdate
from efangtong_server.database import DbSession

router = APIRouter(prefix="/api/v1/admin/org-units", tags=["系统设置：单位"], route_class=AdminRoute)
reference_router = APIRouter(prefix="/api/v1/reference", tags=["基础数据"], route_class=AdminRoute)


def _out(unit: OrgUnit, depth: int) -> OrgUnitOut:
    kind_label = OrgUnitKind.from_code(unit.kind).label if OrgUnitKind.has_code(unit.kind) else unit.kind
    return OrgUnitOut(
        id=unit.id,
        name=unit.name,
        short_name=unit.short_name,
        kind=unit.kind,
        kind_label=kind_label,
        parent_id=unit.parent_id,
        division_code=unit.division_code,
        sort_order=unit.sort_order,
        active=unit.active,
        depth=depth,
    )


@router.get("", summary="单位列表（树形顺序）")
def list_units(
    access: AdminAccess,
    session: DbSession,
    include_inactive: Annotated[bool, Query(description="是否包括已停用的单位")] = True,
) -> list[OrgUnitOut]:
    """Every org unit in tree order (parents before children), with its depth."""
    return [_out(unit, depth) for unit, depth in service.unit_tree(session, include_inactive=include_inactive)]


@router.get("/{unit_id}", summary="单位详情")
def get_unit(unit_id: IdPath, access: AdminAccess, session: DbSession) -> OrgUnitOut:
    """One org unit."""
    unit = service.get_unit(session, unit_id=unit_id)
    return _out(unit, service.unit_depth(session, unit=unit))


@router.post("", status_code=status.HTTP_201_CREATED, summary="新增单位")
def create_unit(body: OrgUnitCreate, request: Request, access: AdminAccess, session: DbSession) -> OrgUnitOut:
    """Create an org unit."""
    values = body.model_dump(mode="json")
    unit = service.create_unit(session, actor=actor_of(access, request), values=values)
    return _out(unit, service.unit_depth(session, unit=unit))


@router.patch("/{unit_id}", summary="修改单位")
def update_unit(
    unit_id: IdPath, body: OrgUnitUpdate, request: Request, access: AdminAccess, session: DbSession
) -> OrgUnitOut:
    """Change an org unit's name, short name, kind, parent, division code or sort order."""
    values = body.model_dump(mode="json", exclude_unset=True)
    unit = service.update_unit(session, actor=actor_of(access, request), unit_id=unit_id, values=values)
    return _out(unit, service.unit_depth(session, unit=unit))


@router.post("/{unit_id}/deactivate", summary="停用单位")
def deactivate_unit(unit_id: IdPath, request: Request, access: AdminAccess, session: DbSession) -> OrgUnitOut:
    """Deactivate an org unit that has no active users and no active sub-units."""
    unit = service.set_unit_active(session, actor=actor_of(access, request), unit_id=unit_id, active=False)
    return _out(unit, service.unit_depth(session, unit=unit))


@router.post("/{unit_id}/reactivate", summary="启用单位")
def reactivate_unit(unit_id: IdPath, request: Request, access: AdminAccess, session: DbSession) -> OrgUnitOut:
    """Reactivate a deactivated org unit."""
    unit = service.set_unit_active(session, actor=actor_of(access, request), unit_id=unit_id, active=True)
    return _out(unit, service.unit_depth(session, unit=unit))


@reference_router.get("/org-units", summary="单位（基础数据）")
def reference_units(access: ReferenceAccess, session: DbSession) -> list[OrgUnitReference]:
    """The active org units in tree order, for every signed-in client."""
    return [
        OrgUnitReference(
            id=unit.id,
            name=unit.name,
            short_name=unit.short_name,
            kind=unit.kind,
            parent_id=unit.parent_id,
            division_code=unit.division_code,
            depth=depth,
        )
        for unit, depth in service.unit_tree(session, include_inactive=False)
    ]
