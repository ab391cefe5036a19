"""Device logic: the registry, revoking (the device's sessions end at once) and restoring."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from efangtong_core.models import Device
from efangtong_core.models.auth import AuthSession
from efangtong_server.admin.common import Conflict, NotFound, Refused, audit, commit, jsonable
from efangtong_server.audit.service import Actor
from efangtong_server.auth.service import open_sessions, revoke_sessions

ENTITY = "device"


def list_devices(
    session: Session, *, revoked: bool | None = None, org_unit_id: str | None = None, offset: int = 0, limit: int = 100
) -> list[Device]:
    """Devices matching the filters, most recently seen first."""
    query = select(Device)
    if revoked is not None:
        query = query.where(Device.revoked_at.is_not(None) if revoked else Device.revoked_at.is_(None))
    if org_unit_id is not None:
        query = query.where(Device.org_unit_id == org_unit_id)
    order = (Device.last_seen_at.desc().nulls_last(), Device.created_at.desc(), Device.id)
    return list(session.scalars(query.order_by(*order).offset(offset).limit(limit)))


def open_session_counts(session: Session, *, device_ids: list[str]) -> dict[str, int]:
    """How many unrevoked, unexpired sessions each device has."""
    if not device_ids:
        return {}
    now = datetime.now(UTC)
    rows = session.execute(
        select(AuthSession.device_id, func.count())
        .where(
            AuthSession.device_id.in_(device_ids),
            AuthSession.revoked_at.is_(None),
            AuthSession.expires_at > now,
        )
        .group_by(AuthSession.device_id)
    )
    return {str(device_id): int(count) for device_id, count in rows}


def get_device(session: Session, *, device_id: str) -> Device:
    """The device `device_id`; NotFound when unknown."""
    device = session.get(Device, device_id)
    if device is None:
        raise NotFound("设备不存在")
    return device


def revoke_device(session: Session, *, actor: Actor, device_id: str) -> Device:
    """Revoke a device: its sessions end at once and it cannot sign in until restored."""
    device = get_device(session, device_id=device_id)
    if device.revoked_at is not None:
        raise Conflict("该设备已停用")
    if device.id == actor.device_id:
        raise Refused("不能停用当前正在使用的设备")
    device.revoked_at = datetime.now(UTC)
    revoked = revoke_sessions(session, open_sessions(session, device_id=device.id), reason="设备已停用")
    details = {"revoked_at": {"old": None, "new": jsonable(device.revoked_at)}, "sessions_revoked": revoked}
    audit(session, actor=actor, action="revoke", entity=ENTITY, entity_id=device.id, details=details)
    commit(session)
    return device


def restore_device(session: Session, *, actor: Actor, device_id: str) -> Device:
    """Allow a revoked device to sign in again (its old sessions stay ended)."""
    device = get_device(session, device_id=device_id)
    if device.revoked_at is None:
        raise Conflict("该设备未停用")
    details = {"revoked_at": {"old": jsonable(device.revoked_at), "new": None}}
    device.revoked_at = None
    audit(session, actor=actor, action="restore", entity=ENTITY, entity_id=device.id, details=details)
    commit(session)
    return device
