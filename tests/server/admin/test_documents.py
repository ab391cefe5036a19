"""Notice templates (文书模板): built-in texts until saved, placeholders checked at save time, versions, audit, sync."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from efangtong_core.db import open_database
from efangtong_core.demo.seed import seed_demo
from efangtong_core.models import DocumentTemplate
from efangtong_core.notice_templates import DEFAULT_BODIES, NOTICE_KINDS, TemplateError, fill, placeholders
from efangtong_core.vocabulary import Role
from sync.protocol import PullRequest
from sync.pull import pull_page
from sync.scope import Visibility
from tests.server.admin.conftest import AdminApi

PATH = "/api/v1/admin/document-templates"
BODY = "{petitioner_name}：\n你的信访事项（{case_number}）已受理。\n{issuing_unit}\n{issue_date}"


def test_every_built_in_body_uses_known_placeholders_and_cites_the_regulation() -> None:
    assert [kind.code for kind in NOTICE_KINDS] == list(DEFAULT_BODIES)
    for body in DEFAULT_BODIES.values():
        assert {"petitioner_name", "case_number", "issuing_unit", "issue_date"} <= set(placeholders(body))
        assert "《信访工作条例》第" in body


def test_placeholder_rules_and_fill() -> None:
    assert placeholders(BODY) == ["petitioner_name", "case_number", "issuing_unit", "issue_date"]
    with pytest.raises(TemplateError, match=r"模板中的参数 \{nickname\} 不认识"):
        placeholders("{nickname}您好")
    with pytest.raises(TemplateError, match="花括号不成对"):
        placeholders("{case_number")
    with pytest.raises(TemplateError, match="参数名只能由"):
        placeholders("{case_number!r}")
    filled = fill("{petitioner_name}：编号 {case_number}，{{原样}}", {"petitioner_name": "巴特尔"})
    assert filled == "巴特尔：编号 ，{原样}"


def test_document_template_routes(api: AdminApi) -> None:
    listed = api.ok("GET", PATH)
    assert [row["code"] for row in listed] == [kind.code for kind in NOTICE_KINDS]
    assert all(row["stored"] is False and row["id"] is None for row in listed)
    assert listed[0]["name"] == "受理告知书" and listed[0]["body"] == DEFAULT_BODIES["acceptance"]

    created = api.ok("POST", PATH, 201, json={"code": "acceptance", "body": BODY})
    assert created["stored"] is True and created["version"] == 1 and created["name"] == "受理告知书"
    assert created["placeholders"] == ["petitioner_name", "case_number", "issuing_unit", "issue_date"]
    assert api.refused("POST", PATH, 409, json={"code": "acceptance"}) == "受理告知书的模板已存在，请修改已有模板"
    assert api.refused("POST", PATH, 400, json={"code": "letter"}).startswith("文书种类 letter 不存在")
    unknown = api.refused("POST", PATH, 400, json={"code": "extension", "body": "延期 {new_deadlin}"})
    assert unknown.startswith("模板中的参数 {new_deadlin} 不认识")
    assert "过短" in api.refused("POST", PATH, 422, json={"code": "extension", "body": ""})
    defaults = api.ok("POST", PATH, 201, json={"code": "extension"})
    assert defaults["body"] == DEFAULT_BODIES["extension"]

    template_id = created["id"]
    assert api.ok("GET", f"{PATH}/{template_id}")["body"] == BODY
    renamed = api.ok("PATCH", f"{PATH}/{template_id}", json={"name": "受理告知书（2026版）"})
    assert renamed["version"] == 1
    changed = api.ok("PATCH", f"{PATH}/{template_id}", json={"body": "{petitioner_name}：已受理。"})
    assert changed["version"] == 2 and changed["placeholders"] == ["petitioner_name"]
    refused = api.refused("PATCH", f"{PATH}/{template_id}", 400, json={"body": "{petitioner_name}：{query_code}"})
    assert refused.startswith("模板中的参数 {query_code} 不认识")
    assert api.refused("PATCH", f"{PATH}/{template_id}", 400, json={"body": None}) == "模板正文不能为空"
    assert api.ok("GET", f"{PATH}/{template_id}")["body"] == "{petitioner_name}：已受理。"
    assert api.ok("POST", f"{PATH}/{template_id}/deactivate")["active"] is False
    assert api.refused("POST", f"{PATH}/{template_id}/deactivate", 409) == "该模板已停用"
    api.ok("POST", f"{PATH}/{template_id}/reactivate")
    rows = api.audit_rows("document_template", template_id)
    assert [row.action for row in rows] == ["create", "update", "update", "deactivate", "reactivate"]
    assert rows[2].details["body"]["old"] == BODY and rows[2].details["version"] == {"old": 1, "new": 2}
    assert api.refused("GET", f"{PATH}/missing", 404) == "文书模板不存在"

    listed = api.ok("GET", PATH)
    assert [row["code"] for row in listed] == [kind.code for kind in NOTICE_KINDS]
    assert [row["code"] for row in listed if row["stored"]] == ["acceptance", "extension"]
    with api.sessions() as session:
        stored = session.scalars(select(DocumentTemplate).order_by(DocumentTemplate.code)).all()
        assert [row.code for row in stored] == ["acceptance", "extension"]
        assert all(row.server_seq is not None for row in stored)  # so the change replicates to the counters


def test_only_the_administrator_edits_templates(api: AdminApi) -> None:
    username, _ = api.user(Role.DISPATCHER)
    token = api.login(username)
    assert api.call("GET", PATH, token=token).status_code == 403
    assert api.call("POST", PATH, token=token, json={"code": "acceptance"}).status_code == 403
    assert api.ok("GET", PATH)[0]["stored"] is False


def test_a_saved_template_reaches_a_town_handlers_pull(api: AdminApi) -> None:
    created = api.ok("POST", PATH, 201, json={"code": "handling_opinion", "body": BODY})
    town = api.town("札萨克镇")
    visibility = Visibility(county=False, unit_ids=frozenset({town}), roles=frozenset({"handler"}))
    with api.sessions() as session:
        page = pull_page(session.connection(), PullRequest(cursor=0, limit=1000), visibility)
    pulled = [row for row in page.rows if row.table == "document_template"]
    assert [(row.values["id"], row.values["body"]) for row in pulled] == [(created["id"], BODY)]


def test_demo_data_has_every_template(tmp_path: Path) -> None:
    engine = open_database(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    try:
        assert seed_demo(engine, petitions=0, hash_password=lambda password: "not-a-hash").seeded
        with engine.connect() as connection:
            rows = connection.execute(select(DocumentTemplate.code, DocumentTemplate.server_seq)).all()
        assert sorted(code for code, _ in rows) == sorted(kind.code for kind in NOTICE_KINDS)
        assert all(seq is not None for _, seq in rows)
    finally:
        engine.dispose()
