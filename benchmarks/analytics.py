"""Benchmark: each analytics query's time over N demo petitions (default 1,000,000) on SQLite and PostgreSQL.

Generates the data once per database with the demo seeder (a SQLite file, and a database in a throwaway PostgreSQL
cluster started by tests/support/postgres.py, or an existing one given by --postgres), then times each figure for a
month and for a year ending at `--today` (median of `--rounds` runs, after one warm-up), for three users: the county
(the bureau's roles), a town's user (the town with the most petitions: its matters and the cases in its hands) and the
county with a unit filter (the lead unit with the most petitions). Goal (DESIGN.md §6): ≤ 300 ms each. A database
given by path or URL is reused (seeded only when empty) and upgraded to the head revision first; the upgrade's time
is printed (on a database from before migration 0006 it is the analytics columns' backfill; 0010 recounts the
rollups).

    .venv/bin/python benchmarks/analytics.py --petitions 200000 [--sqlite path] [--postgres URL] [--skip-postgres]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from efangtong_core.analytics import (
    COUNTY_SCOPE,
    AnalyticsScope,
    DashboardFilters,
    Figure,
    PeriodKind,
    hotwords,
    people,
    rates,
    surges,
    volume,
)
from efangtong_core.analytics.drilldown import figure_cases
from efangtong_core.analytics.periods import period_containing
from efangtong_core.analytics.query import load_reference, petition_conditions
from efangtong_core.db import open_database, session_factory
from efangtong_core.demo.seed import database_is_empty, seed_demo
from efangtong_core.models import Petition

TODAY = date(2026, 3, 20)
GOAL_MS = 300.0


def users(session: Session) -> dict[str, tuple[AnalyticsScope, frozenset[str]]]:
    """The users timed: scope and unit filter of the county, of the busiest town's user, of a filter on the busiest
    lead unit."""
    busiest = {}
    for column in (Petition.town_id, Petition.lead_unit_id):
        busiest[column.key] = session.scalar(
            select(column).where(column.is_not(None)).group_by(column).order_by(func.count().desc()).limit(1)
        )
    found: dict[str, tuple[AnalyticsScope, frozenset[str]]] = {"county": (COUNTY_SCOPE, frozenset())}
    if busiest["town_id"]:
        found["town"] = (AnalyticsScope(county=False, unit_ids=frozenset({busiest["town_id"]})), frozenset())
    if busiest["lead_unit_id"]:
        found["unit"] = (COUNTY_SCOPE, frozenset({busiest["lead_unit_id"]}))
    return found


def queries(
    session: Session,
    kind: PeriodKind,
    today: date,
    scope: AnalyticsScope = COUNTY_SCOPE,
    units: frozenset[str] = frozenset(),
) -> dict[str, Callable[[], object]]:
    """The figures' queries for the period of `kind` containing `today`, within `scope` and the unit filter."""
    filters = DashboardFilters(period_containing(kind, today), unit_ids=units)
    ref = load_reference(session)
    c, p = petition_conditions(filters, scope, ref), filters.period
    return {
        "reference tables": lambda: load_reference(session),
        "volume (总量/形式/分类/属地/集体访/重复)": lambda: volume.volume(session, p, c, ref),
        "trend by day": lambda: volume.trend_daily(session, p, c, ref),
        "trend by month (12)": lambda: volume.trend_monthly(session, p, c, ref),
        "及时受理率": lambda: rates.timely_acceptance(session, p, c, ref),
        "按期办结率": lambda: rates.on_time_closure(session, p, c, ref),
        "参评率 + 满意率": lambda: rates.evaluation_rates(session, p, c, ref),
        "overdue by unit": lambda: people.overdue_by_unit(session, today, c, ref),
        "top repeat petitioners": lambda: people.top_repeat_petitioners(session, p, c),
        "hot words (warm jieba)": lambda: hotwords.hot_words(session, p, c, ref),
        "surges": lambda: surges.surges(session, p, today, c, ref),
        "drill-down 超期办结 (first page)": lambda: figure_cases(
            session, Figure.CLOSED_LATE, None, filters, scope=scope, today=today
        ),
        "drill-down 超期受理 (first page)": lambda: figure_cases(
            session, Figure.ACCEPTED_LATE, None, filters, scope=scope, today=today
        ),
    }


def time_all(url: str, rounds: int, today: date) -> dict[tuple[str, str, str], float]:
    """Median milliseconds of each query, by (user, query, period kind)."""
    started = time.perf_counter()
    engine = open_database(url)
    print(f"  opened and upgraded to the head revision in {time.perf_counter() - started:.1f} s", flush=True)
    found: dict[tuple[str, str, str], float] = {}
    try:
        with session_factory(engine)() as session:
            for user, (scope, units) in users(session).items():
                for kind in (PeriodKind.MONTH, PeriodKind.YEAR):
                    for name, run in queries(session, kind, today, scope, units).items():
                        run()
                        times = []
                        for _ in range(rounds):
                            start = time.perf_counter()
                            run()
                            times.append((time.perf_counter() - start) * 1000)
                        found[(user, name, kind.value)] = statistics.median(times)
    finally:
        engine.dispose()
    return found


def seed(url: str, petitions: int, today: date) -> float:
    """Seed `url` unless it already holds data (after upgrading it to the head revision, timed); seconds taken."""
    started = time.perf_counter()
    engine = open_database(url)
    print(f"  upgraded to the head revision in {time.perf_counter() - started:.1f} s", flush=True)
    try:
        if not database_is_empty(engine):
            return 0.0
        start = time.perf_counter()
        seed_demo(engine, petitions=petitions, seed=2026, today=today)
        return time.perf_counter() - start
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    """Seed, time and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--petitions", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sqlite", type=Path, help="SQLite file to use (seeded when empty); default temporary")
    parser.add_argument("--postgres", help="existing PostgreSQL database URL (seeded when empty); default throwaway")
    parser.add_argument("--today", type=date.fromisoformat, default=TODAY, help="the data's last day (YYYY-MM-DD)")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args(argv)
    results: dict[str, dict[tuple[str, str, str], float]] = {}
    with tempfile.TemporaryDirectory(prefix="eft-analytics-") as scratch:
        if not args.skip_sqlite:
            sqlite_url = f"sqlite:///{args.sqlite or Path(scratch) / 'analytics.sqlite'}"
            print(f"SQLite: seeded in {seed(sqlite_url, args.petitions, args.today):.0f} s", flush=True)
            results["SQLite"] = time_all(sqlite_url, args.rounds, args.today)
        if args.postgres:
            print(f"PostgreSQL: seeded in {seed(args.postgres, args.petitions, args.today):.0f} s", flush=True)
            results["PostgreSQL"] = time_all(args.postgres, args.rounds, args.today)
        elif not args.skip_postgres:
            sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
            from tests.support.postgres import start_cluster

            cluster = start_cluster()
            try:
                url = cluster.create_database().render_as_string(hide_password=False)
                print(f"PostgreSQL: seeded in {seed(url, args.petitions, args.today):.0f} s", flush=True)
                results["PostgreSQL"] = time_all(url, args.rounds, args.today)
            finally:
                cluster.stop()
    databases = list(results)
    if not databases:
        return 0
    print(f"\n分析查询耗时（毫秒，中位数，{args.petitions:,} 件信访件，目标 ≤ {GOAL_MS:.0f} ms）")
    print("user: county = 全旗范围; town = 最大乡镇的用户（属地或主办为本镇）; unit = 全旗范围 + 主办单位筛选")
    print(f"{'user':6} {'query':42} {'period':6} " + " ".join(f"{db:>11}" for db in databases))
    for key in results[databases[0]]:
        cells = " ".join(
            f"{results[db][key]:9.1f}{' !' if results[db][key] > GOAL_MS else '  '}" if key in results[db] else " " * 11
            for db in databases
        )
        print(f"{key[0]:6} {key[1]:42} {key[2]:6} {cells}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
