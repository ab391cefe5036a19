"""The analytics rollups equal a recount of the petition rows, after inserts, updates, tombstones and deletes, and the
figures read from them equal the figures read from the rows — on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from efangtong_core.analytics import COUNTY_SCOPE, AnalyticsScope, DashboardFilters, PeriodKind
from efangtong_core.analytics import compute_dashboard as compute
from efangtong_core.analytics.periods import custom_period, local_date, period_containing
from efangtong_core.analytics.query import load_reference, petition_conditions
from efangtong_core.analytics.rollup import _READY, install_rollup, triggers_installed, usable_rollup
from efangtong_core.db import session_factory
from efangtong_core.models import CaseEvent, Petition, PetitionDayCount, RepeaterDayCount
from tests.core.analytics import dataset as d


@pytest.fixture
def session(db_engine: Engine) -> Iterator[Session]:
    with session_factory(db_engine)() as session:
        d.build(session)
        yield session


def _rollups(session: Session) -> tuple[dict[tuple[Any, ...], tuple[int, int]], dict[tuple[Any, ...], tuple[int, int]]]:
    """Both rollups without their zero rows (a count that went back to zero may stay as a row)."""
    days = {
        (r.day, r.town_id, r.lead_unit_id, r.category_id, r.form, r.is_group, r.is_repeat): (r.batches, r.persons)
        for r in session.scalars(select(PetitionDayCount))
        if r.batches or r.persons
    }
    people = {
        (r.petitioner_id, r.day, r.town_id, r.lead_unit_id): (r.petitions, r.repeats)
        for r in session.scalars(select(RepeaterDayCount))
    }
    return days, people


def _recount(session: Session) -> tuple[dict[tuple[Any, ...], tuple[int, int]], dict[tuple[Any, ...], tuple[int, int]]]:
    """Both rollups counted in Python from the live petition rows."""
    live = [p for p in session.scalars(select(Petition)) if p.deleted_at is None]
    days: dict[tuple[Any, ...], tuple[int, int]] = {}
    for p in live:
        key = (local_date(p.registered_at), p.town_id or "", p.lead_unit_id or "", p.category_id or "", p.form,
               int(p.form == "visit" and p.head_count >= 5), int(p.repeat_of_id is not None))  # fmt: skip
        batches, persons = days.get(key, (0, 0))
        days[key] = (batches + 1, persons + p.head_count)
    repeaters = {p.petitioner_id for p in live if p.repeat_of_id is not None and p.petitioner_id is not None}
    people: dict[tuple[Any, ...], tuple[int, int]] = {}
    for p in live:
        if p.petitioner_id in repeaters:
            person = (p.petitioner_id, local_date(p.registered_at), p.town_id or "", p.lead_unit_id or "")
            petitions, repeats = people.get(person, (0, 0))
            people[person] = (petitions + 1, repeats + int(p.repeat_of_id is not None))
    return days, people


def test_the_rollups_count_the_hand_built_set(session: Session) -> None:
    days, people = _rollups(session)
    assert (days, people) == _recount(session)
    # p1 and p3 make person P a repeater (p3 repeats p1); the tombstoned p12 (30 persons) is not counted.
    assert people == {
        (d.P, date(2026, 3, 2), d.TOWN_A, d.TOWN_A): (1, 0),
        (d.P, date(2026, 3, 5), d.TOWN_B, d.BUREAU): (1, 1),
    }
    assert days[(date(2026, 3, 2), d.TOWN_A, d.TOWN_A, d.C1B, "visit", 1, 0)] == (1, 12)
    assert days[(date(2026, 4, 1), "", "", "", "phone", 0, 0)] == (1, 1)  # 00:30 China time on 4-01 is 3-31 in UTC
    assert sum(batches for batches, _ in days.values()) == 10  # p1–p11 without p6 (none) and p12


def test_updates_tombstones_and_deletes_keep_the_rollups_exact(session: Session) -> None:
    session.execute(update(Petition).where(Petition.id == "p3").values(registered_at=d.at("2026-03-07")))
    session.flush()
    assert _rollups(session) == _recount(session)  # P's day 3-05 is gone, 3-07 is there
    # One statement turning two rows of the same petitioner into repeats: their triggers fire in either order.
    session.execute(
        update(Petition).where(Petition.id.in_(["p10", "p11"])).values(petitioner_id=d.Q, repeat_of_id="p2")
    )
    session.flush()
    assert _rollups(session) == _recount(session)
    assert _rollups(session)[1][(d.Q, date(2026, 2, 1), d.TOWN_B, d.TOWN_A)] == (1, 1)  # p10: handled by 红庆河镇
    assert _rollups(session)[1][(d.Q, date(2026, 2, 1), d.TOWN_B, d.TOWN_B)] == (1, 1)
    session.execute(update(Petition).where(Petition.id == "p10").values(lead_unit_id=d.TOWN_B))  # re-routed
    session.flush()
    assert _rollups(session) == _recount(session)
    assert _rollups(session)[1][(d.Q, date(2026, 2, 1), d.TOWN_B, d.TOWN_B)] == (2, 2)
    session.execute(update(Petition).where(Petition.id.in_(["p10", "p11"])).values(petitioner_id=None))
    session.execute(update(Petition).where(Petition.id == "p1").values(town_id=d.TOWN_B, head_count=3))
    session.execute(update(Petition).where(Petition.id == "p2").values(registered_at=d.at("2026-04-02")))
    session.execute(update(Petition).where(Petition.id == "p7").values(petitioner_id=d.Q, repeat_of_id="p2"))
    session.execute(update(Petition).where(Petition.id == "p3").values(deleted_at=datetime.now(UTC)))
    session.execute(update(Petition).where(Petition.id == "p12").values(deleted_at=None))  # a tombstone revived
    session.execute(update(Petition).values(state="closed"))  # a column the rollups do not read
    session.flush()
    assert _rollups(session) == _recount(session)
    _, people = _rollups(session)
    assert {key[0] for key in people} == {d.Q}  # P's only repeat is tombstoned; Q's p7 now repeats p2
    session.execute(update(Petition).where(Petition.petitioner_id == d.Q).values(petitioner_id=d.P))
    session.execute(delete(CaseEvent).where(CaseEvent.petition_id.in_(["p8", "p9"])))
    session.execute(delete(Petition).where(Petition.id.in_(["p8", "p9"])))
    session.commit()
    assert _rollups(session) == _recount(session)
    assert {key[0] for key in _rollups(session)[1]} == {d.P}


def test_a_rebuild_gives_what_the_triggers_kept(session: Session) -> None:
    session.execute(update(Petition).where(Petition.id == "p2").values(form="letter", category_id=None))
    session.commit()
    kept = _rollups(session)
    install_rollup(session.connection())
    assert _rollups(session) == kept == _recount(session)
    assert triggers_installed(session.connection())


@pytest.mark.parametrize(
    "filters",
    [
        DashboardFilters(period_containing(PeriodKind.MONTH, date(2026, 3, 15))),
        DashboardFilters(period_containing(PeriodKind.YEAR, date(2026, 3, 15))),
        DashboardFilters(custom_period(date(2025, 12, 18), date(2026, 4, 1)), town_ids=frozenset({d.TOWN_A})),
        DashboardFilters(period_containing(PeriodKind.WEEK, date(2026, 3, 2)), category_ids=frozenset({d.L2})),
    ],
)
def test_figures_from_the_rollups_equal_figures_from_the_rows(session: Session, filters: DashboardFilters) -> None:
    session.execute(update(Petition).where(Petition.id == "p11").values(petitioner_id=d.P, repeat_of_id="p3"))
    session.commit()
    as_of = datetime(2026, 4, 20, tzinfo=UTC)
    rolled = compute(session, filters, scope=COUNTY_SCOPE, today=d.TODAY, data_as_of=as_of)
    session.info[_READY] = False  # as if the triggers were missing: the figures read the petition rows
    raw = compute(session, filters, scope=COUNTY_SCOPE, today=d.TODAY, data_as_of=as_of)
    assert rolled.totals.batches > 0
    assert rolled == raw


SCOPES = [
    AnalyticsScope(county=False, unit_ids=frozenset({d.TOWN_A})),
    AnalyticsScope(county=False, unit_ids=frozenset({d.TOWN_B})),
    AnalyticsScope(county=False, unit_ids=frozenset({d.BUREAU})),
    AnalyticsScope(county=False, unit_ids=frozenset({d.TOWN_A, d.BUREAU})),
    AnalyticsScope(county=False),
    COUNTY_SCOPE,
]
SCOPED_FILTERS = [
    DashboardFilters(period_containing(PeriodKind.YEAR, date(2026, 3, 15))),
    DashboardFilters(period_containing(PeriodKind.MONTH, date(2026, 3, 15)), unit_ids=frozenset({d.TOWN_A})),
    DashboardFilters(period_containing(PeriodKind.YEAR, date(2026, 3, 15)), unit_ids=frozenset({d.BUREAU})),
    DashboardFilters(
        custom_period(date(2025, 12, 1), date(2026, 4, 1)),
        town_ids=frozenset({d.TOWN_B}),
        unit_ids=frozenset({d.TOWN_A}),
    ),
    DashboardFilters(period_containing(PeriodKind.YEAR, date(2026, 3, 15)), category_ids=frozenset({d.L2})),
]


def test_scoped_and_unit_filtered_figures_from_the_rollups_equal_figures_from_the_rows(session: Session) -> None:
    # A town's user counts the petitions about the town or handled by it (p10: 乌兰木伦镇's matter in 红庆河镇's
    # hands); a unit filter counts a lead unit and its sub-units. Both from the rollups, exactly as from the rows.
    session.execute(update(Petition).where(Petition.id == "p11").values(petitioner_id=d.P, repeat_of_id="p3"))
    session.execute(update(Petition).where(Petition.id == "p10").values(petitioner_id=d.Q, repeat_of_id="p2"))
    session.commit()
    as_of = datetime(2026, 4, 20, tzinfo=UTC)
    ref = load_reference(session)
    seen = set()
    for scope in SCOPES:
        for filters in SCOPED_FILTERS:
            session.info.pop(_READY, None)
            assert usable_rollup(session, petition_conditions(filters, scope, ref)) is not None
            rolled = compute(session, filters, scope=scope, today=d.TODAY, data_as_of=as_of)
            session.info[_READY] = False  # as if the triggers were missing: the figures read the petition rows
            raw = compute(session, filters, scope=scope, today=d.TODAY, data_as_of=as_of)
            assert rolled == raw, (scope, filters)
            seen.add((rolled.totals.batches, len(rolled.top_repeat_petitioners)))
    town_a = compute(session, SCOPED_FILTERS[0], scope=SCOPES[0], today=d.TODAY, data_as_of=as_of)
    assert town_a.totals.batches == 3  # p1, p2 (its town) and p10 (its case), not p3/p11 (乌兰木伦镇, others' hands)
    assert [r.petitioner_id for r in town_a.top_repeat_petitioners] == [d.Q]
    assert len(seen) > 3  # the scopes and filters do narrow the figures


def test_missing_triggers_make_the_figures_read_the_rows(session: Session) -> None:
    connection = session.connection()
    name = "petition_rollup" if connection.dialect.name == "postgresql" else "petition_rollup_insert"
    target = " ON petition" if connection.dialect.name == "postgresql" else ""
    connection.execute(text(f"DROP TRIGGER {name}{target}"))
    assert not triggers_installed(connection)
    session.execute(update(Petition).where(Petition.id == "p12").values(deleted_at=None))
    march = DashboardFilters(period_containing(PeriodKind.MONTH, date(2026, 3, 15)))
    assert compute(session, march, scope=COUNTY_SCOPE, today=d.TODAY).totals.batches == 5  # p12 counted again


def test_the_triggers_are_in_place_at_head(db_engine: Engine) -> None:
    # A later revision that batch-alters petition on SQLite drops them: it must call rollup.install_rollup again.
    with db_engine.connect() as connection:
        assert triggers_installed(connection)


def test_an_upsert_like_syncs_keeps_the_rollups_exact(session: Session) -> None:
    table = Petition.__table__
    dialect_insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for pid, change in (("p1", {"town_id": None, "head_count": 6}), ("p3", {"repeat_of_id": None})):
        row = dict(session.execute(select(table).where(table.c.id == pid)).mappings().one()) | change
        statement = dialect_insert(table).values(row)
        session.execute(statement.on_conflict_do_update(index_elements=["id"], set_=row))
    session.commit()
    days, people = _rollups(session)
    assert (days, people) == _recount(session)
    assert days[(date(2026, 3, 2), "", d.TOWN_A, d.C1A, "visit", 1, 0)] == (1, 6)  # now a group visit without a town
    assert people == {}  # p3 no longer repeats p1: P is no repeat petitioner
