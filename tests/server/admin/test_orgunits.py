"""Org-unit administration: tree order, cycles, unique division codes, deactivation rules, audit, reference read."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from efangtong_core.models import AuditLog
from efangtong_core.vocabulary import Role
from efangtong_server.admin.common import Conflict, NotFound, Refused
from efangtong_server.admin.orgunits import service
from efangtong_server.audit.service import Actor
from tests.server.admin.conftest import AdminApi

ACTOR = Actor(user_id=None, username="tester", device_id=None, ip="127.0.0.1")


def _create(session: Session, name: str, kind: str = "town", parent_id: str | None = None, **extra: object) -> str:
    values = {"name": name, "kind": kind, "parent_id": parent_id, **extra}
    return service.create_unit(session, actor=ACTOR, values=values).id


def test_tree_order_cycles_and_division_codes(db_engine: Engine) -> None:
    with Session(db_engine, expire_on_commit=False) as session:
        bureau = _create(session, "伊金霍洛旗信访局", "bureau")
        town_b = _create(session, "札萨克镇", parent_id=bureau, sort_order=2, division_code="150627101")
        town_a = _create(session, "阿勒腾席热镇", parent_id=bureau, sort_order=1)
        village = _create(session, "某某嘎查", "department", parent_id=town_b)
        tree = [(unit.name, depth) for unit, depth in service.unit_tree(session)]
        assert tree == [("伊金霍洛旗信访局", 0), ("阿勒腾席热镇", 1), ("札萨克镇", 1), ("某某嘎查", 2)]
        with pytest.raises(Refused, match="不能把单位设为自己或自己下级单位的下级"):
            service.update_unit(session, actor=ACTOR, unit_id=town_b, values={"parent_id": village})
        with pytest.raises(Refused, match="不能把单位设为自己或自己下级单位的下级"):
            service.update_unit(session, actor=ACTOR, unit_id=town_b, values={"parent_id": town_b})
        with pytest.raises(Conflict, match="行政区划代码 150627101 已被单位「札萨克镇」使用"):
            service.update_unit(session, actor=ACTOR, unit_id=town_a, values={"division_code": "150627101"})
        with pytest.raises(Refused, match="上级单位不存在"):
            _create(session, "无主单位", parent_id="no-such-unit")
        with pytest.raises(NotFound, match="单位不存在"):
            service.get_unit(session, unit_id="no-such-unit")
        moved = service.update_unit(session, actor=ACTOR, unit_id=village, values={"parent_id": town_a})
        assert service.unit_depth(session, unit=moved) == 2
        audit = session.scalars(select(AuditLog).where(AuditLog.entity_id == village).order_by(AuditLog.id)).all()
        assert [row.action for row in audit] == ["create", "update"]
        assert audit[1].details == {"parent_id": {"old": town_b, "new": town_a}}


def test_org_unit_routes(api: AdminApi) -> None:
    created = api.ok(
        "POST",
        "/api/v1/admin/org-units",
        201,
        json={"name": "乌兰木伦镇", "kind": "town", "parent_id": api.bureau_id, "division_code": "150627102"},
    )
    assert created["kind_label"] == "镇" and created["depth"] == 1 and created["active"] is True
    unit_id = created["id"]
    assert api.ok("GET", f"/api/v1/admin/org-units/{unit_id}")["division_code"] == "150627102"
    changed = api.ok("PATCH", f"/api/v1/admin/org-units/{unit_id}", json={"short_name": "乌镇", "sort_order": 3})
    assert changed["short_name"] == "乌镇"
    rows = api.audit_rows("org_unit", unit_id)
    assert [row.action for row in rows] == ["create", "update"]
    assert rows[1].details == {"short_name": {"old": None, "new": "乌镇"}, "sort_order": {"old": 0, "new": 3}}
    assert rows[1].username == "root"

    assert api.refused("PATCH", f"/api/v1/admin/org-units/{unit_id}", 400, json={"name": None}) == "单位名称不能为空"
    detail = api.refused(
        "POST", "/api/v1/admin/org-units", 409, json={"name": "重复", "kind": "town", "division_code": "150627102"}
    )
    assert detail == "行政区划代码 150627102 已被单位「乌兰木伦镇」使用"
    assert "kind" in api.refused("POST", "/api/v1/admin/org-units", 422, json={"name": "某单位", "kind": "village"})
    assert api.refused("GET", "/api/v1/admin/org-units/00000000-0000-0000-0000-000000000000", 404) == "单位不存在"

    child = api.ok(
        "POST", "/api/v1/admin/org-units", 201, json={"name": "某社区", "kind": "department", "parent_id": unit_id}
    )
    _, user_id = api.user(Role.HANDLER, unit_id)
    detail = api.refused("POST", f"/api/v1/admin/org-units/{unit_id}/deactivate", 400)
    assert detail == "该单位还有 1 个在用的用户账号，请先调整或停用这些账号"
    api.ok("POST", f"/api/v1/admin/users/{user_id}/disable")
    detail = api.refused("POST", f"/api/v1/admin/org-units/{unit_id}/deactivate", 400)
    assert detail == "该单位还有 1 个启用的下级单位，请先停用下级单位"
    api.ok("POST", f"/api/v1/admin/org-units/{child['id']}/deactivate")
    assert api.ok("POST", f"/api/v1/admin/org-units/{unit_id}/deactivate")["active"] is False
    assert api.refused("POST", f"/api/v1/admin/org-units/{unit_id}/deactivate", 409) == "该单位已停用"
    detail = api.refused("POST", f"/api/v1/admin/org-units/{child['id']}/reactivate", 400)
    assert detail == "上级单位已停用，请先启用上级单位"

    listed = api.ok("GET", "/api/v1/admin/org-units")
    assert [unit["name"] for unit in listed] == ["伊金霍洛旗信访局", "乌兰木伦镇", "某社区"]
    active_only = api.ok("GET", "/api/v1/admin/org-units", params={"include_inactive": "false"})
    assert [unit["name"] for unit in active_only] == ["伊金霍洛旗信访局"]
    assert [row.action for row in api.audit_rows("org_unit", unit_id)][-1] == "deactivate"


def test_reference_units_for_every_role_and_admin_routes_for_admins_only(api: AdminApi) -> None:
    town = api.town("红庆河镇")
    clerk, _ = api.user(Role.CLERK)
    token = api.login(clerk)
    reference = api.call("GET", "/api/v1/reference/org-units", token=token)
    assert reference.status_code == 200
    assert {unit["id"] for unit in reference.json()} == {api.bureau_id, town}
    assert api.call("GET", "/api/v1/reference/categories", token=token).status_code == 200
    for method, path in [
        ("GET", "/api/v1/admin/org-units"),
        ("POST", f"/api/v1/admin/org-units/{town}/deactivate"),
        ("GET", "/api/v1/admin/users"),
        ("GET", "/api/v1/admin/parameters"),
        ("GET", "/api/v1/audit"),
    ]:
        answer = api.call(method, path, token=token)
        assert answer.status_code == 403, (method, path)
        assert answer.json() == {"detail": "没有权限执行此操作"}
    assert api.client.get("/api/v1/admin/org-units").status_code == 401
