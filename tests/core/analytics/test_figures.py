"""Each figure's definition on the hand-built data set (tests/core/analytics/dataset.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from efangtong_core.analytics import COUNTY_SCOPE, AnalyticsScope, DashboardFilters, Figure, PeriodKind, Rate
from efangtong_core.analytics import compute_dashboard as compute
from efangtong_core.analytics.drilldown import figure_cases
from efangtong_core.analytics.periods import period_containing
from efangtong_core.db import session_factory
from tests.core.analytics import dataset as d

MARCH = DashboardFilters(period_containing(PeriodKind.MONTH, date(2026, 3, 15)))
TOWN_A_SCOPE = AnalyticsScope(county=False, unit_ids=frozenset({d.TOWN_A}))


@pytest.fixture
def session(db_engine: Engine) -> Iterator[Session]:
    with session_factory(db_engine)() as session:
        d.build(session)
        yield session


def test_volume_figures_count_batches_and_persons(session: Session) -> None:
    snap = compute(session, MARCH, scope=COUNTY_SCOPE, today=d.TODAY)
    # p1, p2 (12 persons), p3, p8 (23:30 on 3-31); not p7 (February), p9 (April by China time), p12 (tombstone).
    assert (snap.totals.batches, snap.totals.persons) == (4, 15)
    assert (snap.group_visits.batches, snap.group_visits.persons) == (1, 12)
    assert (snap.first_time.batches, snap.first_time.persons) == (3, 14)
    assert (snap.repeats.batches, snap.repeats.persons) == (1, 1)
    forms = {c.key: (c.batches, c.persons) for c in snap.by_form}
    assert forms == {"visit": (2, 13), "letter": (1, 1), "phone": (1, 1), "online": (0, 0), "fax": (0, 0),
                     "agent": (0, 0)}  # fmt: skip
    assert [(c.key, c.label, c.batches, c.persons) for c in snap.by_category] == [
        (d.L1, "劳动社保", 2, 13), (d.L2, "城乡建设", 1, 1), ("", "未填写", 1, 1)
    ]  # fmt: skip
    assert [(c.label, c.batches) for c in snap.by_town] == [("红庆河镇", 2), ("乌兰木伦镇", 1), ("未填写", 1)]


def test_rates(session: Session) -> None:
    snap = compute(session, MARCH, scope=COUNTY_SCOPE, today=d.TODAY)
    # Accepted in March: p1 timely, p2 late (signed 3-02, due 3-17), p3 by the bureau (from registration) timely.
    assert snap.timely_acceptance == Rate(2, 3)
    # Replied in March: p2 on time, p4 late, p5 on time thanks to its approved extension.
    assert snap.on_time_closure == Rate(2, 3)
    # p4 was never evaluated; p2 不满意, p5 基本满意.
    assert snap.evaluation_rate == Rate(2, 3)
    assert snap.satisfaction_rate == Rate(1, 2)
    assert snap.satisfaction_rate.value == 0.5


def test_april_counts_the_reply_of_p1_and_the_petition_after_midnight(session: Session) -> None:
    april = DashboardFilters(period_containing(PeriodKind.MONTH, date(2026, 4, 1)))
    snap = compute(session, april, scope=COUNTY_SCOPE, today=d.TODAY)
    assert snap.totals.batches == 1  # p9
    assert snap.on_time_closure == Rate(1, 1)
    assert snap.satisfaction_rate == Rate(1, 1)


def test_overdue_repeaters_and_trends(session: Session) -> None:
    snap = compute(session, MARCH, scope=COUNTY_SCOPE, today=d.TODAY)
    assert [(u.unit_id, u.overdue, u.open) for u in snap.overdue_by_unit] == [
        (d.TOWN_A, 1, 3)
    ]  # open: p1, p2 (evaluated, not 办结), p10
    assert [(r.masked_name, r.masked_id_number, r.petitions, r.repeats) for r in snap.top_repeat_petitioners] == [
        ("张**", "150627********1234", 2, 1)
    ]
    assert len(snap.trend_daily) == 31 and sum(p.batches for p in snap.trend_daily) == 4
    by_month = {p.start: p.batches for p in snap.trend_monthly}
    assert len(snap.trend_monthly) == 12
    assert by_month[date(2026, 3, 1)] == 4 and by_month[date(2026, 2, 1)] == 3 and by_month[date(2025, 12, 1)] == 2
    assert snap.hot_words and snap.surges == ()


def test_a_town_scope_sees_its_territory_and_its_cases(session: Session) -> None:
    snap = compute(session, MARCH, scope=TOWN_A_SCOPE, today=d.TODAY)
    assert (snap.totals.batches, snap.totals.persons) == (2, 13)
    assert snap.timely_acceptance == Rate(1, 2)
    assert snap.on_time_closure == Rate(1, 1)
    assert [u.unit_id for u in snap.overdue_by_unit] == [d.TOWN_A]  # p10 is in 乌兰木伦镇 but 红庆河镇 handles it
    nothing = compute(session, MARCH, scope=AnalyticsScope(county=False), today=d.TODAY)
    assert nothing.totals.batches == 0 and nothing.overdue_by_unit == ()


def test_a_unit_filter_counts_the_cases_its_units_lead(session: Session) -> None:
    year = period_containing(PeriodKind.YEAR, date(2026, 3, 15))
    town_a = compute(session, DashboardFilters(year, unit_ids=frozenset({d.TOWN_A})), scope=COUNTY_SCOPE, today=d.TODAY)
    assert (town_a.totals.batches, town_a.totals.persons) == (3, 14)  # p1, p2 and p10 (乌兰木伦镇's matter)
    assert [(c.key, c.batches) for c in town_a.by_town] == [(d.TOWN_A, 2), (d.TOWN_B, 1)]
    assert town_a.timely_acceptance == Rate(1, 2)  # p1 on time, p2 late
    # 红庆河镇's user filtering on 乌兰木伦镇's cases: p10 is not its own (乌兰木伦镇 leads p11, about 乌兰木伦镇).
    town_b = DashboardFilters(year, unit_ids=frozenset({d.TOWN_B}))
    assert compute(session, town_b, scope=TOWN_A_SCOPE, today=d.TODAY).totals.batches == 0
    assert compute(session, town_b, scope=COUNTY_SCOPE, today=d.TODAY).totals.batches == 1  # p11
    # The bureau's sub-units are the towns: every routed case of the year (p7's null lead unit is not).
    bureau = compute(session, DashboardFilters(year, unit_ids=frozenset({d.BUREAU})), scope=COUNTY_SCOPE, today=d.TODAY)
    assert bureau.totals.batches == 5  # p1, p2, p3, p10, p11


def test_filters_by_first_level_category_and_town(session: Session) -> None:
    by_category = DashboardFilters(MARCH.period, category_ids=frozenset({d.L1}))
    assert compute(session, by_category, scope=COUNTY_SCOPE, today=d.TODAY).totals.batches == 2
    by_town = DashboardFilters(MARCH.period, town_ids=frozenset({d.TOWN_B}))
    assert compute(session, by_town, scope=COUNTY_SCOPE, today=d.TODAY).totals.batches == 1


@pytest.mark.parametrize(
    ("figure", "key", "expected"),
    [
        (Figure.TOTAL, None, {"p1", "p2", "p3", "p8"}),
        (Figure.GROUP_VISIT, None, {"p2"}),
        (Figure.REPEAT, None, {"p3"}),
        (Figure.TOWN, d.TOWN_A, {"p1", "p2"}),
        (Figure.TOWN, "", {"p8"}),
        (Figure.CATEGORY, d.L1, {"p1", "p2"}),
        (Figure.ACCEPTED_LATE, None, {"p2"}),
        (Figure.CLOSED_LATE, None, {"p4"}),
        (Figure.UNEVALUATED, None, {"p4"}),
        (Figure.DISSATISFIED, None, {"p2"}),
        (Figure.OVERDUE, None, {"p10"}),
        (Figure.REPEAT_PETITIONER, d.P, {"p1", "p3"}),
    ],
)
def test_drill_down_lists_the_cases_behind_a_figure(
    session: Session, figure: Figure, key: str | None, expected: set[str]
) -> None:
    page = figure_cases(session, figure, key, MARCH, scope=COUNTY_SCOPE, today=d.TODAY)
    assert page.total == len(expected)
    assert {row.id for row in page.rows} == expected
    assert all("*" in row.petitioner or row.petitioner == "" for row in page.rows)
