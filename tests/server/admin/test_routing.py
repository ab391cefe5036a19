"""Routing rules: references must exist, identical rules refused, deletion by tombstone."""

from __future__ import annotations

from efangtong_core.models import RoutingRule
from tests.server.admin.conftest import AdminApi

PATH = "/api/v1/admin/routing-rules"


def test_routing_rule_routes(api: AdminApi) -> None:
    town = api.town("纳林陶亥镇")
    department = api.ok(
        "POST",
        "/api/v1/admin/org-units",
        201,
        json={"name": "旗住建局", "kind": "department", "parent_id": api.bureau_id},
    )["id"]
    category = api.ok("POST", "/api/v1/admin/categories", 201, json={"code": "01", "name": "城乡建设"})["id"]

    body = {"category_id": category, "town_id": town, "unit_id": department, "priority": 10}
    rule = api.ok("POST", PATH, 201, json=body)
    assert (rule["category_name"], rule["town_name"], rule["unit_name"]) == ("城乡建设", "纳林陶亥镇", "旗住建局")
    assert api.refused("POST", PATH, 409, json=body) == "已有相同内容分类、问题属地和承办单位的分办规则"
    assert api.refused("POST", PATH, 400, json=body | {"category_id": "missing"}) == "内容分类不存在"
    assert api.refused("POST", PATH, 400, json=body | {"unit_id": "missing"}) == "承办单位不存在"
    detail = api.refused("POST", PATH, 400, json=body | {"town_id": department})
    assert detail == "「旗住建局」不是镇或开发区，不能作为问题属地"
    assert "priority" in api.refused("POST", PATH, 422, json=body | {"priority": 10**12})
    anywhere = api.ok("POST", PATH, 201, json={"unit_id": town})
    assert anywhere["category_id"] is None and anywhere["town_id"] is None

    changed = api.ok("PATCH", f"{PATH}/{rule['id']}", json={"town_id": None, "priority": 20})
    assert changed["town_id"] is None and changed["priority"] == 20
    assert api.refused("PATCH", f"{PATH}/{rule['id']}", 400, json={"unit_id": None}) == "承办单位不能为空"
    assert [r["id"] for r in api.ok("GET", PATH)] == [rule["id"], anywhere["id"]]

    api.ok("DELETE", f"{PATH}/{rule['id']}")
    assert api.refused("GET", f"{PATH}/{rule['id']}", 404) == "分办规则不存在"
    assert [r["id"] for r in api.ok("GET", PATH)] == [anywhere["id"]]
    with api.sessions() as session:
        stored = session.get(RoutingRule, rule["id"])
        assert stored is not None and stored.deleted_at is not None
    assert [row.action for row in api.audit_rows("routing_rule", rule["id"])] == ["create", "update", "delete"]
