"""SMS templates: placeholder syntax, unique codes, changes and deactivation."""

from __future__ import annotations

import pytest

from efangtong_server.admin.common import Refused
from efangtong_server.admin.smstemplates.service import placeholders
from tests.server.admin.conftest import AdminApi

PATH = "/api/v1/admin/sms-templates"
TEXT = "{name}您好，您的信访事项已受理，查询码 {query_code}。{name}"


def test_placeholders() -> None:
    assert placeholders(TEXT) == ["name", "query_code"]
    assert placeholders("花括号本身写作 {{ 和 }}") == []
    for text in ("{name", "name}", "{name}}", "{{name}"):
        with pytest.raises(Refused, match="花括号不成对"):
            placeholders(text)
    for text in ("{}", "{0}", "{名字}", "{name!r}", "{name:>10}", "{a.b}", "{a[0]}"):
        with pytest.raises(Refused, match="参数名只能由"):
            placeholders(text)


def test_sms_template_routes(api: AdminApi) -> None:
    body = {"code": "accepted", "name": "受理通知", "text": TEXT, "provider_template_code": "SMS_1234"}
    created = api.ok("POST", PATH, 201, json=body)
    assert created["placeholders"] == ["name", "query_code"] and created["active"] is True
    assert api.refused("POST", PATH, 409, json=body) == "模板代码 accepted 已存在"
    detail = api.refused("POST", PATH, 400, json=body | {"code": "broken", "text": "查询码 {query_code"})
    assert detail == "模板内容的花括号不成对（参数应写作 {参数名}，花括号本身写作 {{ 或 }}）"
    assert "code" in api.refused("POST", PATH, 422, json=body | {"code": "Bad Code"})
    assert "text" in api.refused("POST", PATH, 422, json=body | {"code": "empty", "text": ""})

    template_id = created["id"]
    changed = api.ok("PATCH", f"{PATH}/{template_id}", json={"text": "您的事项已受理，查询码 {query_code}"})
    assert changed["placeholders"] == ["query_code"]
    assert api.refused("PATCH", f"{PATH}/{template_id}", 400, json={"text": "{bad"}).startswith(
        "模板内容的花括号不成对"
    )
    assert api.refused("PATCH", f"{PATH}/{template_id}", 400, json={"name": None}) == "模板名称不能为空"
    assert api.ok("POST", f"{PATH}/{template_id}/deactivate")["active"] is False
    assert api.refused("POST", f"{PATH}/{template_id}/deactivate", 409) == "该模板已停用"
    assert [t["active"] for t in api.ok("GET", PATH)] == [False]
    api.ok("POST", f"{PATH}/{template_id}/reactivate")
    rows = api.audit_rows("sms_template", template_id)
    assert [row.action for row in rows] == ["create", "update", "deactivate", "reactivate"]
    assert rows[1].details["text"]["old"] == TEXT
    assert api.refused("GET", f"{PATH}/missing", 404) == "短信模板不存在"
