"""Benchmark: the 信访人 page's queries over a replica of N demo petitions (default 200,000) on SQLite.

Seeds a SQLite replica once with the demo seeder (or reuses `--sqlite path`), then prints, per query, the median and
p95 of `--rounds` runs after one warm-up:
- search by each kind of term (name part, pinyin initials, full ID, ID last 4, phone start, address part), first page
  of 50 with its total and the tags of the page's people;
- a profile (identity, phones, petitions, timeline, tags) of the person with the most petitions;
- the tags of 500 people at once (one grouped query) against 500 single-person calls (the N+1 it replaces);
- each analytics figure over the last 12 months.

    .venv/bin/python benchmarks/petitioners.py --petitions 200000 [--sqlite path] [--rounds 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from efangtong_core.db import open_database, session_factory
from efangtong_core.demo.seed import database_is_empty, seed_demo
from efangtong_core.models import Petition, Petitioner, PetitionerPhone
from efangtong_core.petitioner_analytics import by_category, by_town, monthly_trend, top_repeat_petitioners
from efangtong_core.petitioner_records import load_profile, search_petitioners
from efangtong_core.petitioner_tags import tags_of

TODAY = date(2026, 3, 20)
NOW = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)


def timed(work: Callable[[], object], rounds: int) -> tuple[float, float]:
    """Median and p95 milliseconds of `rounds` runs after one warm-up."""
    work()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def sample_terms(session: Session) -> dict[str, str]:
    """Search terms taken from the data: one of each kind."""
    person = session.scalars(
        select(Petitioner).where(Petitioner.id_number.is_not(None), Petitioner.address.is_not(None)).limit(1)
    ).one()
    phone = session.scalar(select(PetitionerPhone.phone).limit(1)) or "139"
    return {
        "姓名片段": person.name[1:] or person.name,
        "拼音首字母": (person.name_initials or "z")[:2],
        "身份证号": person.id_number or "",
        "身份证后4位": (person.id_number or "0000")[-4:],
        "电话开头": phone[:7],
        "住址片段": (person.address or "镇")[6:10],
    }


def main() -> None:
    """Seed (or reuse) the replica and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--petitions", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--sqlite", type=Path, default=None, help="replica file to reuse (seeded when empty)")
    args = parser.parse_args()
    path = args.sqlite or Path(tempfile.mkdtemp()) / "replica.sqlite"
    engine = open_database(f"sqlite:///{path}")
    if database_is_empty(engine):
        start = time.perf_counter()
        seed_demo(engine, petitions=args.petitions, seed=11, today=TODAY)
        print(f"seeded {args.petitions:,} petitions in {time.perf_counter() - start:.1f} s ({path})")
    sessions = session_factory(engine)
    with sessions() as session:
        people = session.scalar(select(func.count()).select_from(Petitioner)) or 0
        petitions = session.scalar(select(func.count()).select_from(Petition)) or 0
        print(f"replica: {petitions:,} petitions, {people:,} petitioners; rounds {args.rounds}")
        print(f"{'query':<34}{'median ms':>12}{'p95 ms':>10}")
        for kind, term in sample_terms(session).items():
            median, p95 = timed(lambda term=term: search_petitioners(session, term, now=NOW), args.rounds)
            total = search_petitioners(session, term, now=NOW).total
            print(f"{'search ' + kind + f' ({total} hits)':<34}{median:>12.1f}{p95:>10.1f}")
        median, p95 = timed(lambda: search_petitioners(session, "", now=NOW, page=3), args.rounds)
        print(f"{'list everyone, page 4':<34}{median:>12.1f}{p95:>10.1f}")
        busiest = session.scalar(
            select(Petition.petitioner_id)
            .where(Petition.petitioner_id.is_not(None))
            .group_by(Petition.petitioner_id)
            .order_by(func.count().desc())
            .limit(1)
        )
        assert busiest is not None
        profile = load_profile(session, busiest, now=NOW)
        assert profile is not None
        median, p95 = timed(lambda: load_profile(session, busiest, now=NOW), args.rounds)
        label = f"profile ({len(profile.petitions)} petitions, {len(profile.timeline)} steps)"
        print(f"{label:<34}{median:>12.1f}{p95:>10.1f}")
        ids = list(session.scalars(select(Petitioner.id).order_by(Petitioner.id).limit(500)))
        median, p95 = timed(lambda: tags_of(session, ids, NOW), args.rounds)
        print(f"{'tags of 500 people, grouped':<34}{median:>12.1f}{p95:>10.1f}")
        median_single, _ = timed(lambda: [tags_of(session, [one], NOW) for one in ids], max(1, args.rounds // 3))
        print(
            f"{'tags of 500 people, one by one':<34}{median_single:>12.1f}{'':>10}  ratio {median_single / median:.1f}×"
        )
        figures: dict[str, Callable[[], object]] = {
            "analytics: top repeat petitioners": lambda: top_repeat_petitioners(session, NOW),
            "analytics: by town": lambda: by_town(session, NOW),
            "analytics: by category": lambda: by_category(session, NOW),
            "analytics: monthly trend": lambda: monthly_trend(session, NOW),
        }
        for name, work in figures.items():
            median, p95 = timed(work, args.rounds)
            print(f"{name:<34}{median:>12.1f}{p95:>10.1f}")
    print(f"window: {NOW - timedelta(days=365):%Y-%m-%d} .. {NOW:%Y-%m-%d}")
    engine.dispose()


if __name__ == "__main__":
    main()
