"""Routing-rule routes under /api/v1/admin/routing-rules, reference read under /api/v1/reference."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from efangtong_core.models import RoutingRule
from efangtong_server.access.dependencies import AdminAccess, ReferenceAccess
from efangtong_server.admin.common import AdminRoute, actor_of
from efangtong_server.admin.fields import IdPath
from efangtong_server.admin.routing import service
from efangtong_server.admin.routing.schemas import RoutingRuleCreate, RoutingRuleOut, RoutingRuleUpdate
from efangtong_server.database import DbSession

router = APIRouter(prefix="/api/v1/admin/routing-rules", tags=["系统设置：分办规则"], route_class=AdminRoute)
reference_router = APIRouter(prefix="/api/v1/reference", tags=["基础数据"], route_class=AdminRoute)


def _out(rule: RoutingRule) -> RoutingRuleOut:
    return RoutingRuleOut(
        id=rule.id,
        category_id=rule.category_id,
        category_name=rule.category.name if rule.category else None,
        town_id=rule.town_id,
        town_name=rule.town.name if rule.town else None,
        unit_id=rule.unit_id,
        unit_name=rule.unit.name,
        priority=rule.priority,
        active=rule.active,
    )


@router.get("", summary="分办规则列表")
def list_rules(access: AdminAccess, session: DbSession) -> list[RoutingRuleOut]:
    """Every routing rule, highest priority first."""
    return [_out(rule) for rule in service.list_rules(session)]


@router.get("/{rule_id}", summary="分办规则详情")
def get_rule(rule_id: IdPath, access: AdminAccess, session: DbSession) -> RoutingRuleOut:
    """One routing rule."""
    return _out(service.get_rule(session, rule_id=rule_id))


@router.post("", status_code=status.HTTP_201_CREATED, summary="新增分办规则")
def create_rule(body: RoutingRuleCreate, request: Request, access: AdminAccess, session: DbSession) -> RoutingRuleOut:
    """Create a routing rule."""
    return _out(service.create_rule(session, actor=actor_of(access, request), values=body.model_dump()))


@router.patch("/{rule_id}", summary="修改分办规则")
def update_rule(
    rule_id: IdPath, body: RoutingRuleUpdate, request: Request, access: AdminAccess, session: DbSession
) -> RoutingRuleOut:
    """Change a routing rule's category, town, unit, priority or whether it is in force."""
    values = body.model_dump(exclude_unset=True)
    return _out(service.update_rule(session, actor=actor_of(access, request), rule_id=rule_id, values=values))


@router.delete("/{rule_id}", summary="删除分办规则")
def delete_rule(rule_id: IdPath, request: Request, access: AdminAccess, session: DbSession) -> RoutingRuleOut:
    """Delete a routing rule."""
    return _out(service.delete_rule(session, actor=actor_of(access, request), rule_id=rule_id))


@reference_router.get("/routing-rules", summary="分办规则（基础数据）")
def reference_rules(access: ReferenceAccess, session: DbSession) -> list[RoutingRuleOut]:
    """The routing rules in force, for every signed-in client."""
    return [_out(rule) for rule in service.list_rules(session) if rule.active]
