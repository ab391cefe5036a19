"""System-parameter routes under /api/v1/admin/parameters."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from efangtong_server.access.dependencies import AdminAccess
from efangtong_server.admin.common import AdminRoute, actor_of
from efangtong_server.admin.parameters import service
from efangtong_server.admin.parameters.schemas import ParameterOut, ParameterSet
from efangtong_server.database import DbSession

router = APIRouter(prefix="/api/v1/admin/parameters", tags=["系统设置：系统参数"], route_class=AdminRoute)

Key = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,63}$", description="参数名")]


def _out(current: service.ParameterValue) -> ParameterOut:
    spec = current.spec
    return ParameterOut(
        key=spec.key,
        value=current.value,
        default=spec.default,
        is_default=current.is_default,
        type=spec.type,
        minimum=spec.minimum,
        maximum=spec.maximum,
        description=spec.description,
        updated_at=current.updated_at,
    )


@router.get("", summary="系统参数列表")
def list_parameters(access: AdminAccess, session: DbSession) -> list[ParameterOut]:
    """Every known parameter with its current value and description."""
    return [_out(current) for current in service.list_parameters(session)]


@router.get("/{key}", summary="系统参数详情")
def get_parameter(key: Key, access: AdminAccess, session: DbSession) -> ParameterOut:
    """One parameter."""
    return _out(service.get_parameter(session, key=key))


@router.put("/{key}", summary="设置系统参数")
def set_parameter(
    key: Key, body: ParameterSet, request: Request, access: AdminAccess, session: DbSession
) -> ParameterOut:
    """Set a parameter; the new value takes effect at once."""
    return _out(service.set_parameter(session, actor=actor_of(access, request), key=key, value=body.value))
