"""Device routes under /api/v1/admin/devices."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from efangtong_core.models import Device
from efangtong_server.access.dependencies import AdminAccess
from efangtong_server.admin.common import AdminRoute, actor_of
from efangtong_server.admin.devices import service
from efangtong_server.admin.devices.schemas import DeviceOut
from efangtong_server.admin.fields import ID_PATTERN, IdPath
from efangtong_server.database import DbSession

router = APIRouter(prefix="/api/v1/admin/devices", tags=["系统设置：终端设备"], route_class=AdminRoute)


def _out(device: Device, open_sessions: int) -> DeviceOut:
    return DeviceOut(
        id=device.id,
        name=device.name,
        org_unit_id=device.org_unit_id,
        org_unit_name=device.org_unit.name if device.org_unit else None,
        registered_by_id=device.registered_by_id,
        registered_by_name=device.registered_by.display_name if device.registered_by else None,
        client_version=device.client_version,
        schema_revision=device.schema_revision,
        created_at=device.created_at,
        last_seen_at=device.last_seen_at,
        last_seen_ip=device.last_seen_ip,
        revoked_at=device.revoked_at,
        open_sessions=open_sessions,
    )


def _one(session: Session, device: Device) -> DeviceOut:
    return _out(device, service.open_session_counts(session, device_ids=[device.id]).get(device.id, 0))


@router.get("", summary="终端设备列表")
def list_devices(
    access: AdminAccess,
    session: DbSession,
    revoked: Annotated[bool | None, Query(description="是否已停用")] = None,
    org_unit_id: Annotated[str | None, Query(pattern=ID_PATTERN, description="所在单位")] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[DeviceOut]:
    """Registered devices, most recently seen first, with their open session count."""
    devices = service.list_devices(session, revoked=revoked, org_unit_id=org_unit_id, offset=offset, limit=limit)
    counts = service.open_session_counts(session, device_ids=[device.id for device in devices])
    return [_out(device, counts.get(device.id, 0)) for device in devices]


@router.get("/{device_id}", summary="终端设备详情")
def get_device(device_id: IdPath, access: AdminAccess, session: DbSession) -> DeviceOut:
    """One registered device."""
    return _one(session, service.get_device(session, device_id=device_id))


@router.post("/{device_id}/revoke", summary="停用终端设备")
def revoke_device(device_id: IdPath, request: Request, access: AdminAccess, session: DbSession) -> DeviceOut:
    """Revoke a device; every session on it ends at once."""
    return _one(session, service.revoke_device(session, actor=actor_of(access, request), device_id=device_id))


@router.post("/{device_id}/restore", summary="恢复终端设备")
def restore_device(device_id: IdPath, request: Request, access: AdminAccess, session: DbSession) -> DeviceOut:
    """Let a revoked device sign in again."""
    return _one(session, service.restore_device(session, actor=actor_of(access, request), device_id=device_id))
