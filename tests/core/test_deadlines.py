"""Deadline rules as data: the defaults of 《信访工作条例》, loading from rows, and due dates."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from efangtong_core import deadlines as dl
from efangtong_core.case_states import EventType
from efangtong_core.deadlines import DEFAULT_DEADLINE_RULES, DeadlineRule, due_date, rules_from_rows
from efangtong_core.workdays import DayKind, default_calendar

CAL = default_calendar()
RULES = {rule.code: rule for rule in DEFAULT_DEADLINE_RULES}


@pytest.mark.parametrize(
    ("code", "days", "kind", "article", "starts_at"),
    [
        (dl.ROUTE, 15, DayKind.CALENDAR, "第二十二条", EventType.REGISTERED),
        (dl.ACCEPTANCE_NOTICE, 15, DayKind.CALENDAR, "第二十三条第三款", EventType.SIGNED_FOR),
        (dl.MISROUTE_OBJECTION, 5, DayKind.WORKING, "第二十三条第三款", EventType.SIGNED_FOR),
        (dl.HANDLING, 60, DayKind.CALENDAR, "第三十二条", EventType.ACCEPTED),
        (dl.EXTENSION, 30, DayKind.CALENDAR, "第三十二条", EventType.EXTENSION_APPROVED),
        (dl.REVIEW_REQUEST, 30, DayKind.CALENDAR, "第三十五条", EventType.REPLIED),
        (dl.REVIEW_DECISION, 30, DayKind.CALENDAR, "第三十五条", EventType.REVIEW_REQUESTED),
        (dl.RE_REVIEW_REQUEST, 30, DayKind.CALENDAR, "第三十六条", EventType.REVIEW_DECIDED),
        (dl.RE_REVIEW_DECISION, 30, DayKind.CALENDAR, "第三十六条", EventType.RE_REVIEW_REQUESTED),
    ],
)
def test_default_rules_encode_the_regulation(
    code: str, days: int, kind: DayKind, article: str, starts_at: EventType
) -> None:
    rule = RULES[code]
    assert (rule.days, rule.day_kind, rule.article, rule.starts_at) == (days, kind, article, starts_at)
    assert rule.name and rule.note
    assert rule.citation == f"《信访工作条例》（2022年）{article}"


def test_default_rule_codes_are_unique() -> None:
    assert len(RULES) == len(DEFAULT_DEADLINE_RULES) == 9


def test_due_date_counts_from_the_next_day() -> None:
    # Registered Monday 3 March 2025: 15 days → Tuesday 18 March.
    assert due_date(RULES[dl.ROUTE], date(2025, 3, 3), CAL) == date(2025, 3, 18)
    # Accepted 1 August 2025: 60 days → 30 September (a Tuesday).
    assert due_date(RULES[dl.HANDLING], date(2025, 8, 1), CAL) == date(2025, 9, 30)


def test_calendar_due_date_on_a_holiday_moves_to_the_next_working_day() -> None:
    # Accepted 3 August 2025: 60 days → 2 October, inside 国庆节 (1–8 Oct); 9 Oct is the next working day.
    assert due_date(RULES[dl.HANDLING], date(2025, 8, 3), CAL) == date(2025, 10, 9)
    # Registered 14 January 2025: 15 days → 29 January (春节) → 5 February.
    assert due_date(RULES[dl.ROUTE], date(2025, 1, 14), CAL) == date(2025, 2, 5)


def test_working_day_rule_skips_the_spring_festival_and_counts_adjusted_workdays() -> None:
    # Signed for on Friday 24 January 2025: 26 Jan (调休), 27 Jan, 5, 6, 7 Feb.
    assert due_date(RULES[dl.MISROUTE_OBJECTION], date(2025, 1, 24), CAL) == date(2025, 2, 7)


def test_rules_from_rows_mirror_the_table_columns() -> None:
    rows = [
        {field.name: getattr(rule, field.name) for field in dataclasses.fields(rule)} for rule in DEFAULT_DEADLINE_RULES
    ]
    as_text = [{**row, "days": str(row["days"]), "day_kind": str(row["day_kind"])} for row in rows]
    assert rules_from_rows(rows) == DEFAULT_DEADLINE_RULES
    assert rules_from_rows(as_text) == DEFAULT_DEADLINE_RULES

    class Row:
        code, name, article, days, day_kind, starts_at, note = "x", "测试", "", 3, "working", "registered", ""

    assert DeadlineRule.from_row(Row()) == DeadlineRule("x", "测试", "", 3, DayKind.WORKING, EventType.REGISTERED)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"code": "", "days": 1, "day_kind": "calendar", "starts_at": "registered"}, "缺少代码"),
        ({"code": "x", "days": "十五", "day_kind": "calendar", "starts_at": "registered"}, "天数无效"),
        ({"code": "x", "days": 1, "day_kind": "lunar", "starts_at": "registered"}, "计算方式或起算事件无效"),
        ({"code": "x", "days": 1, "day_kind": "calendar", "starts_at": "born"}, "计算方式或起算事件无效"),
    ],
)
def test_bad_rule_rows_are_refused_in_chinese(row: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DeadlineRule.from_row(row)


def test_inactive_and_deleted_rule_rows_are_left_out() -> None:
    row = {"code": "x", "days": 1, "day_kind": "calendar", "starts_at": "registered"}
    rows = [row, {**row, "code": "y", "active": False}, {**row, "code": "z", "deleted_at": "2025-01-01"}]
    assert [rule.code for rule in rules_from_rows(rows)] == ["x"]


def test_duplicated_rule_codes_are_refused() -> None:
    row = {"code": "x", "days": 1, "day_kind": "calendar", "starts_at": "registered"}
    with pytest.raises(ValueError, match="重复"):
        rules_from_rows([row, row])
