"""Deadline rules (built-in defaults until changed) and the holiday calendar: add, remove, import a year."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from efangtong_core.deadlines import DEFAULT_DEADLINE_RULES
from efangtong_core.models import DeadlineRule
from efangtong_server.admin.deadlines import service
from efangtong_server.audit.service import Actor
from tests.server.admin.conftest import AdminApi

RULES = "/api/v1/admin/deadlines/rules"
HOLIDAYS = "/api/v1/admin/deadlines/holidays"
ACTOR = Actor(user_id=None, username="tester", device_id=None, ip=None)


def test_deadline_rules(api: AdminApi) -> None:
    rules = api.ok("GET", RULES)
    assert [rule["code"] for rule in rules] == [rule.code for rule in DEFAULT_DEADLINE_RULES]
    assert all(rule["stored"] is False for rule in rules)
    handling = api.ok("PATCH", f"{RULES}/handling", json={"days": 45, "note": "本县规定"})
    assert handling["days"] == 45 and handling["stored"] is True and handling["starts_at_label"] == "受理"
    again = api.ok("PATCH", f"{RULES}/handling", json={"day_kind": "working"})
    assert again["day_kind_label"] == "工作日" and again["days"] == 45
    assert {rule["code"]: rule["days"] for rule in api.ok("GET", RULES)}["handling"] == 45

    assert "days" in api.refused("PATCH", f"{RULES}/handling", 422, json={"days": 0})
    assert "day_kind" in api.refused("PATCH", f"{RULES}/handling", 422, json={"day_kind": "lunar"})
    assert "starts_at" in api.refused("PATCH", f"{RULES}/handling", 422, json={"starts_at": "birthday"})
    assert api.refused("PATCH", f"{RULES}/handling", 400, json={"days": None}) == "天数不能为空"
    assert api.refused("PATCH", f"{RULES}/nonexistent", 404, json={"days": 3}) == "期限规则 nonexistent 不存在"

    with api.sessions() as session:
        row_id = session.scalar(select(DeadlineRule.id).where(DeadlineRule.code == "handling"))
    assert row_id is not None
    rows = api.audit_rows("deadline_rule", row_id)
    assert [r.action for r in rows] == ["update", "update"]
    assert rows[0].details["days"] == {"old": 60, "new": 45}
    assert rows[0].details["name"] == {"old": None, "new": "办理期限"}  # saved from the built-in default
    assert rows[1].details == {"day_kind": {"old": "calendar", "new": "working"}}


def test_holidays(api: AdminApi) -> None:
    day = api.ok("POST", HOLIDAYS, 201, json={"day": "2027-01-01", "kind": "holiday", "name": "元旦"})
    assert day["kind_label"] == "放假"
    detail = api.refused("POST", HOLIDAYS, 409, json={"day": "2027-01-01", "kind": "holiday"})
    assert detail == "2027-01-01 已在节假日表中（放假）"
    detail = api.refused("POST", HOLIDAYS, 400, json={"day": "2027-01-04", "kind": "workday"})
    assert detail == "2027-01-04 不是周六或周日，不能设为调休上班日"
    assert "day" in api.refused("POST", HOLIDAYS, 422, json={"day": "2027-02-30", "kind": "holiday"})
    assert "day" in api.refused("POST", HOLIDAYS, 422, json={"day": "1899-01-01", "kind": "holiday"})
    assert "year" in api.refused("GET", HOLIDAYS, 422)
    api.ok("POST", HOLIDAYS, 201, json={"day": "2027-01-09", "kind": "workday", "name": "调休上班"})
    assert [d["day"] for d in api.ok("GET", HOLIDAYS, params={"year": 2027})] == ["2027-01-01", "2027-01-09"]

    api.ok("DELETE", f"{HOLIDAYS}/{day['id']}")
    assert api.refused("DELETE", f"{HOLIDAYS}/{day['id']}", 404) == "节假日不存在"
    assert [d["day"] for d in api.ok("GET", HOLIDAYS, params={"year": 2027})] == ["2027-01-09"]
    revived = api.ok("POST", HOLIDAYS, 201, json={"day": "2027-01-01", "kind": "holiday", "name": "元旦节"})
    assert revived["id"] == day["id"] and revived["name"] == "元旦节"
    assert [row.action for row in api.audit_rows("holiday", day["id"])] == ["create", "delete", "create"]

    arrangement = {
        "days": [
            {"day": "2027-01-01", "kind": "holiday", "name": "元旦节"},
            {"day": "2027-02-06", "kind": "holiday", "name": "春节"},
            {"day": "2027-02-07", "kind": "holiday", "name": "春节"},
        ]
    }
    result = api.ok("PUT", f"{HOLIDAYS}/years/2027", json=arrangement)
    assert (result["added"], result["changed"], result["removed"], result["unchanged"]) == (2, 0, 1, 1)
    assert [d["day"] for d in result["days"]] == ["2027-01-01", "2027-02-06", "2027-02-07"]
    wrong_year = {"days": [{"day": "2028-01-01", "kind": "holiday"}]}
    assert api.refused("PUT", f"{HOLIDAYS}/years/2027", 400, json=wrong_year) == "2028-01-01 不属于 2027 年"
    doubled = {"days": [{"day": "2027-05-01", "kind": "holiday"}] * 2}
    assert api.refused("PUT", f"{HOLIDAYS}/years/2027", 400, json=doubled) == "2027-05-01 重复出现"
    imports = api.audit_rows("holiday", "2027")
    assert len(imports) == 1 and imports[0].action == "import"
    assert imports[0].details["removed"] == ["2027-01-09"]
    reference = api.ok("GET", "/api/v1/reference/holidays", params={"year": 2027})
    assert len(reference) == 3


def test_import_year_service_is_idempotent(db_engine: Engine) -> None:
    days = [{"day": date(2030, 10, d), "kind": "holiday", "name": "国庆节"} for d in range(1, 8)]
    with Session(db_engine) as session:
        first = service.import_year(session, actor=ACTOR, year=2030, days=days)
        second = service.import_year(session, actor=ACTOR, year=2030, days=days)
        assert (first.added, second.added, second.unchanged) == (7, 0, 7)
        assert len(service.list_holidays(session, year=2030)) == 7
        assert service.list_holidays(session, year=2031) == []
