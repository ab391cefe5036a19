"""Content categories: two levels, stable unique codes, deactivation order, reference tree."""

from __future__ import annotations

from efangtong_core.vocabulary import Role
from tests.server.admin.conftest import AdminApi

PATH = "/api/v1/admin/categories"


def test_two_level_categories(api: AdminApi) -> None:
    top = api.ok("POST", PATH, 201, json={"code": "01", "name": "城乡建设"})
    child = api.ok(
        "POST", PATH, 201, json={"code": "0102", "name": "拆迁安置", "parent_id": top["id"], "sort_order": 2}
    )
    api.ok("POST", PATH, 201, json={"code": "0101", "name": "住房保障", "parent_id": top["id"], "sort_order": 1})
    other = api.ok("POST", PATH, 201, json={"code": "02", "name": "农村农业"})

    assert api.refused("POST", PATH, 400, json={"code": "0103", "name": "二级没有上级"}) == "一级分类代码应为 2 位数字"
    detail = api.refused("POST", PATH, 422, json={"code": "010201", "name": "三级", "parent_id": child["id"]})
    assert "code" in detail  # a 6-digit code fails validation before the level rule
    detail = api.refused("POST", PATH, 400, json={"code": "0109", "name": "三级", "parent_id": child["id"]})
    assert detail == "只能在一级分类下新增二级分类（分类最多两级）"
    detail = api.refused("POST", PATH, 400, json={"code": "0201", "name": "错位", "parent_id": top["id"]})
    assert detail == "二级分类代码应为上级代码 01 加 2 位数字"
    assert api.refused("POST", PATH, 409, json={"code": "02", "name": "重复"}) == "分类代码 02 已被「农村农业」使用"
    assert "name" in api.refused("POST", PATH, 422, json={"code": "03", "name": "  "})

    tree = api.ok("GET", PATH)
    assert [(node["code"], [c["code"] for c in node["children"]]) for node in tree] == [
        ("01", ["0101", "0102"]),
        ("02", []),
    ]
    renamed = api.ok("PATCH", f"{PATH}/{child['id']}", json={"name": "征地拆迁"})
    assert renamed["name"] == "征地拆迁" and renamed["code"] == "0102"
    assert "code" in api.refused("PATCH", f"{PATH}/{child['id']}", 422, json={"code": "0199"})

    detail = api.refused("POST", f"{PATH}/{top['id']}/deactivate", 400)
    assert detail == "该分类下还有 2 个启用的二级分类，请先停用二级分类"
    for node in tree[0]["children"]:
        api.ok("POST", f"{PATH}/{node['id']}/deactivate")
    api.ok("POST", f"{PATH}/{top['id']}/deactivate")
    detail = api.refused("POST", f"{PATH}/{child['id']}/reactivate", 400)
    assert detail == "上级分类「城乡建设」已停用，请先启用上级分类"
    assert api.refused("POST", f"{PATH}/{other['id']}/reactivate", 409) == "该分类已是启用状态"

    clerk, _ = api.user(Role.CLERK)
    reference = api.call("GET", "/api/v1/reference/categories", token=api.login(clerk)).json()
    assert [node["code"] for node in reference] == ["02"]
    actions = [row.action for row in api.audit_rows("content_category", child["id"])]
    assert actions == ["create", "update", "deactivate"]
    assert api.refused("GET", f"{PATH}/no-such-category", 404) == "内容分类不存在"
