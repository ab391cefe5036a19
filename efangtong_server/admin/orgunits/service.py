"""Org-unit logic: the tree in display order, create and change without cycles, deactivate only when unused."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from efangtong_core.models import OrgUnit, User
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

ENTITY = "org_unit"
FIELDS = ("name", "short_name", "kind", "parent_id", "division_code", "sort_order")


def unit_tree(session: Session, *, include_inactive: bool = True) -> list[tuple[OrgUnit, int]]:
    """Every org unit without a tombstone, parents before children, siblings by sort order then name, with depth."""
    units = list(session.scalars(select(OrgUnit).where(OrgUnit.deleted_at.is_(None))))
    if not include_inactive:
        units = [unit for unit in units if unit.active]
    known = {unit.id for unit in units}
    children: dict[str | None, list[OrgUnit]] = {}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in known else None
        children.setdefault(parent, []).append(unit)
    for siblings in children.values():
        siblings.sort(key=lambda unit: (unit.sort_order, unit.name, unit.id))
    ordered: list[tuple[OrgUnit, int]] = []
    seen: set[str] = set()
    stack = [(unit, 0) for unit in reversed(children.get(None, []))]
    while stack:
        unit, depth = stack.pop()
        if unit.id in seen:
            continue
        seen.add(unit.id)
        ordered.append((unit, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(unit.id, [])))
    return ordered


def get_unit(session: Session, *, unit_id: str) -> OrgUnit:
    """The org unit `unit_id`; NotFound when missing or tombstoned."""
    unit = session.get(OrgUnit, unit_id)
    if unit is None or unit.deleted_at is not None:
        raise NotFound("单位不存在")
    return unit


def unit_depth(session: Session, *, unit: OrgUnit) -> int:
    """How many ancestors `unit` has."""
    depth, seen, current = 0, {unit.id}, unit.parent_id
    while current is not None and current not in seen:
        parent = session.get(OrgUnit, current)
        if parent is None or parent.deleted_at is not None:
            break
        seen.add(current)
        depth, current = depth + 1, parent.parent_id
    return depth


def _check_parent(session: Session, *, unit_id: str | None, parent_id: str | None) -> None:
    if parent_id is None:
        return
    parent = session.get(OrgUnit, parent_id)
    if parent is None or parent.deleted_at is not None:
        raise Refused("上级单位不存在")
    if not parent.active:
        raise Refused("上级单位已停用")
    seen: set[str] = set()
    current: OrgUnit | None = parent
    while current is not None and current.id not in seen:
        if current.id == unit_id:
            raise Refused("不能把单位设为自己或自己下级单位的下级")
        seen.add(current.id)
        current = session.get(OrgUnit, current.parent_id) if current.parent_id else None


def _check_division_code(session: Session, *, unit_id: str | None, code: str | None) -> None:
    if code is None:
        return
    # The unique constraint covers tombstoned rows too.
    holder = session.scalar(select(OrgUnit).where(OrgUnit.division_code == code, OrgUnit.id != (unit_id or "")))
    if holder is not None:
        raise Conflict(f"行政区划代码 {code} 已被单位「{holder.name}」使用")


def create_unit(session: Session, *, actor: Actor, values: dict[str, Any]) -> OrgUnit:
    """Create an org unit under an existing, active parent."""
    _check_parent(session, unit_id=None, parent_id=values.get("parent_id"))
    _check_division_code(session, unit_id=None, code=values.get("division_code"))
    unit = OrgUnit(**{field: values.get(field) for field in FIELDS}, active=True)
    create_audited(session, actor=actor, entity=ENTITY, row=unit, fields=FIELDS)
    return unit


def update_unit(session: Session, *, actor: Actor, unit_id: str, values: dict[str, Any]) -> OrgUnit:
    """Change the fields in `values`; a new parent may not be the unit itself or one of its descendants."""
    refuse_nulls(values, {"name": "单位名称", "kind": "单位类别", "sort_order": "排序"})
    unit = get_unit(session, unit_id=unit_id)
    if "parent_id" in values and values["parent_id"] != unit.parent_id:
        _check_parent(session, unit_id=unit.id, parent_id=values["parent_id"])
    if "division_code" in values and values["division_code"] != unit.division_code:
        _check_division_code(session, unit_id=unit.id, code=values["division_code"])
    update_audited(session, actor=actor, entity=ENTITY, row=unit, values=values)
    return unit


def set_unit_active(session: Session, *, actor: Actor, unit_id: str, active: bool) -> OrgUnit:
    """Deactivate (only when no active users or sub-units remain) or reactivate (only under an active parent)."""
    unit = get_unit(session, unit_id=unit_id)
    if unit.active == active:
        raise Conflict("该单位已是启用状态" if active else "该单位已停用")
    if active:
        parent = session.get(OrgUnit, unit.parent_id) if unit.parent_id else None
        if parent is not None and parent.deleted_at is None and not parent.active:
            raise Refused("上级单位已停用，请先启用上级单位")
    else:
        users = session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.org_unit_id == unit.id, User.deleted_at.is_(None), User.disabled.is_(False))
        )
        if users:
            raise Refused(f"该单位还有 {users} 个在用的用户账号，请先调整或停用这些账号")
        children = session.scalar(
            select(func.count())
            .select_from(OrgUnit)
            .where(OrgUnit.parent_id == unit.id, OrgUnit.deleted_at.is_(None), OrgUnit.active.is_(True))
        )
        if children:
            raise Refused(f"该单位还有 {children} 个启用的下级单位，请先停用下级单位")
    set_active_audited(session, actor=actor, entity=ENTITY, row=unit, active=active)
    return unit
