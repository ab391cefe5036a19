"""Routing-rule logic: references checked, identical rules refused, deletion by tombstone."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from efangtong_core.models import ContentCategory, OrgUnit, RoutingRule
from efangtong_core.vocabulary import OrgUnitKind
from efangtong_server.admin.common import (
    Conflict,
    NotFound,
    Refused,
    audit,
    commit,
    create_audited,
    refuse_nulls,
    update_audited,
)
from efangtong_server.audit.service import Actor

ENTITY = "routing_rule"
FIELDS = ("category_id", "town_id", "unit_id", "priority", "active")
TOWN_KINDS = frozenset({OrgUnitKind.TOWN.value, OrgUnitKind.ZONE.value})


def list_rules(session: Session) -> list[RoutingRule]:
    """Every routing rule without a tombstone, highest priority first."""
    query = select(RoutingRule).where(RoutingRule.deleted_at.is_(None))
    return list(session.scalars(query.order_by(RoutingRule.priority.desc(), RoutingRule.created_at, RoutingRule.id)))


def get_rule(session: Session, *, rule_id: str) -> RoutingRule:
    """The routing rule `rule_id`; NotFound when missing or tombstoned."""
    rule = session.get(RoutingRule, rule_id)
    if rule is None or rule.deleted_at is not None:
        raise NotFound("分办规则不存在")
    return rule


def _check_references(session: Session, values: dict[str, Any]) -> None:
    category_id, town_id, unit_id = values.get("category_id"), values.get("town_id"), values.get("unit_id")
    if category_id is not None:
        category = session.get(ContentCategory, category_id)
        if category is None or category.deleted_at is not None:
            raise Refused("内容分类不存在")
        if not category.active:
            raise Refused(f"内容分类「{category.name}」已停用")
    if town_id is not None:
        town = session.get(OrgUnit, town_id)
        if town is None or town.deleted_at is not None:
            raise Refused("问题属地不存在")
        if town.kind not in TOWN_KINDS:
            raise Refused(f"「{town.name}」不是镇或开发区，不能作为问题属地")
    if unit_id is not None:
        unit = session.get(OrgUnit, unit_id)
        if unit is None or unit.deleted_at is not None:
            raise Refused("承办单位不存在")
        if not unit.active:
            raise Refused(f"承办单位「{unit.name}」已停用")


def _check_duplicate(session: Session, rule_id: str | None, values: dict[str, Any]) -> None:
    query = select(RoutingRule.id).where(
        RoutingRule.deleted_at.is_(None),
        RoutingRule.unit_id == values["unit_id"],
        RoutingRule.id != (rule_id or ""),
    )
    for field in ("category_id", "town_id"):
        column = getattr(RoutingRule, field)
        query = query.where(column.is_(None) if values.get(field) is None else column == values[field])
    if session.scalar(query) is not None:
        raise Conflict("已有相同内容分类、问题属地和承办单位的分办规则")


def create_rule(session: Session, *, actor: Actor, values: dict[str, Any]) -> RoutingRule:
    """Create a routing rule whose category, town and unit exist."""
    _check_references(session, values)
    _check_duplicate(session, None, values)
    rule = RoutingRule(**{field: values.get(field) for field in FIELDS})
    create_audited(session, actor=actor, entity=ENTITY, row=rule, fields=FIELDS)
    return rule


def update_rule(session: Session, *, actor: Actor, rule_id: str, values: dict[str, Any]) -> RoutingRule:
    """Change a routing rule."""
    refuse_nulls(values, {"unit_id": "承办单位", "priority": "优先级", "active": "是否启用"})
    rule = get_rule(session, rule_id=rule_id)
    _check_references(session, {field: value for field, value in values.items() if value != getattr(rule, field)})
    _check_duplicate(session, rule.id, {field: values.get(field, getattr(rule, field)) for field in FIELDS})
    update_audited(session, actor=actor, entity=ENTITY, row=rule, values=values)
    return rule


def delete_rule(session: Session, *, actor: Actor, rule_id: str) -> RoutingRule:
    """Delete a routing rule (tombstone)."""
    rule = get_rule(session, rule_id=rule_id)
    rule.mark_deleted()
    details = {field: {"old": getattr(rule, field), "new": None} for field in FIELDS}
    audit(session, actor=actor, action="delete", entity=ENTITY, entity_id=rule.id, details=details)
    commit(session)
    return rule
