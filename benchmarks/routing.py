"""Benchmark: accuracy and latency of the dispatcher's routing suggestions on held-out synthetic history.

Seeds N demo petitions (default 20,000) into a SQLite file, sorts the routed cases (lead unit known) by registration
time, learns a `RoutingProfile` from the first 80 % and asks for suggestions for the last 20 %: a suggestion is right
when the case's actual lead unit is the first (top-1) or among the first three (top-3). Printed for the product's
ranking (routing rules first, then history) and for each half alone, with the profile's build time and the latency
of one `suggest_units` call (rules and unit names read from the database, the profile in memory).

The demo generator sends a matter to its town or to the category's department at random, whatever the content (in
20,000 demo petitions the lead unit is the matter's town in 47 % of routed cases, the department in 41 %, the bureau
in 9 %), so no ranking can reach a top-1 much above 47 % on it; top-3 shows whether the right unit is offered at all.
The demo's routing rules send every category to its department, so "rules first" ranks the department first.

    .venv/bin/python benchmarks/routing.py [--petitions 20000] [--sqlite path]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import select

from efangtong_core.db import open_database, session_factory
from efangtong_core.demo.seed import database_is_empty, seed_demo
from efangtong_core.models import Petition
from efangtong_core.routing_profile import HistoricalCase, RoutingProfile
from efangtong_core.routing_suggestions import category_parents, suggest_units

TODAY = date(2026, 11, 1)
HELD_OUT = 0.2


def main() -> None:
    """Seed (when needed), split, learn, evaluate and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--petitions", type=int, default=20_000)
    parser.add_argument("--sqlite", type=Path, help="SQLite file to use (seeded when empty)")
    args = parser.parse_args()
    path = args.sqlite or Path(tempfile.mkdtemp(prefix="eft-routing-")) / "routing.sqlite"
    engine = open_database(f"sqlite:///{path}")
    if database_is_empty(engine):
        started = time.perf_counter()
        seed_demo(engine, petitions=args.petitions, today=TODAY)
        print(f"seeded {args.petitions} demo petitions in {time.perf_counter() - started:.1f} s ({path})")
    sessions = session_factory(engine)
    with sessions() as session:
        query = (
            select(Petition.category_id, Petition.town_id, Petition.content, Petition.lead_unit_id)
            .where(Petition.lead_unit_id.is_not(None), Petition.deleted_at.is_(None))
            .order_by(Petition.registered_at)
        )
        cases = [HistoricalCase(r[0], r[1], r[2] or "", r[3]) for r in session.execute(query)]
        split = int(len(cases) * (1 - HELD_OUT))
        train, test = cases[:split], cases[split:]
        started = time.perf_counter()
        profile = RoutingProfile.build(reversed(train), category_parents(session.connection()))
        build_ms = (time.perf_counter() - started) * 1000
        print(f"routed cases: {len(cases)}; learned from {len(train)}, held out {len(test)} (last {HELD_OUT:.0%})")
        print(f"profile build: {build_ms:.0f} ms")

        def product(case: HistoricalCase) -> list[str]:
            found = suggest_units(
                session, category_id=case.category_id, town_id=case.town_id, content=case.content, profile=profile
            )
            return [s.unit_id for s in found]

        empty = RoutingProfile.build([])

        def rules_only(case: HistoricalCase) -> list[str]:
            found = suggest_units(
                session, category_id=case.category_id, town_id=case.town_id, content=case.content, profile=empty
            )
            return [s.unit_id for s in found]

        def history_only(case: HistoricalCase) -> list[str]:
            ranked = profile.rank(category_id=case.category_id, town_id=case.town_id, content=case.content)
            return [item.unit_id for item in ranked[:3]]

        print(f"{'ranking':<28}{'top-1':>8}{'top-3':>8}{'median ms':>11}{'p95 ms':>9}")
        for name, rank in (
            ("rules first, then history", product),
            ("history only", history_only),
            ("rules only", rules_only),
        ):
            _report(name, rank, test)
    engine.dispose()


def _report(name: str, rank: Callable[[HistoricalCase], list[str]], test: list[HistoricalCase]) -> None:
    top1 = top3 = 0
    times: list[float] = []
    for case in test:
        started = time.perf_counter()
        units = rank(case)
        times.append((time.perf_counter() - started) * 1000)
        top1 += bool(units) and units[0] == case.unit_id
        top3 += case.unit_id in units[:3]
    total = max(len(test), 1)
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else max(times, default=0.0)
    print(f"{name:<28}{top1 / total:>8.1%}{top3 / total:>8.1%}{statistics.median(times or [0.0]):>11.2f}{p95:>9.2f}")


if __name__ == "__main__":
    main()
