"""Case actions on a counter replica: latency of each action (event + attachments + outbox + projection in one
transaction) and of reading a case for its window, over a replica holding many cases.

Prints p50/p95 in ms per action (goal: like a registration save, ≤ 20 ms) and for `load_details`.

    .venv/bin/python benchmarks/case_actions.py [--cases 2000] [--acted 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from efangtong_desktop.services import case_actions as actions  # noqa: E402
from efangtong_desktop.services.case_details import load_details  # noqa: E402
from sync.attachments import LocalAttachmentStore  # noqa: E402
from tests.desktop.case.world import make_world  # noqa: E402


def timed(samples: list[float], call: Callable[[], object]) -> None:
    """Run `call` and add its duration in ms to `samples`."""
    start = time.perf_counter()
    call()
    samples.append((time.perf_counter() - start) * 1000)


def report(name: str, samples: list[float]) -> None:
    """Print p50 and p95 of `samples`."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(f"{name:<24} n={len(ordered):<5} p50={statistics.median(ordered):7.2f} ms  p95={p95:7.2f} ms")


def main() -> None:
    """Seed a replica, act on some of its cases, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=2000, help="registered cases in the replica")
    parser.add_argument("--acted", type=int, default=200, help="cases taken through the actions")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        world = make_world(root / "replica.sqlite")
        start = time.perf_counter()
        cases = [world.new_case() for _ in range(args.cases)]
        print(f"seeded {args.cases} cases in {time.perf_counter() - start:.1f} s")
        store = LocalAttachmentStore(root / "blobs")
        photo = root / "photo.jpg"
        photo.write_bytes(bytes(range(256)) * 200)
        f, a, town, dept = world.factory, world.actors, world.units["town_a"], world.units["dept"]
        figures: dict[str, list[float]] = {name: [] for name in ("交办", "签收", "受理", "办理记录+附件", "读取案件")}
        steps: list[tuple[str, Callable[[str], object]]] = [
            ("交办", lambda c: actions.route(f, a["dispatcher"], c, assign=True, unit_id=town, co_unit_ids=[dept])),
            ("签收", lambda c: actions.sign_for(f, a["handler_a"], c)),
            ("受理", lambda c: actions.accept(f, a["handler_a"], c)),
            (
                "办理记录+附件",
                lambda c: actions.add_note(f, a["handler_a"], c, text="走访", attachments=[photo], store=store),
            ),
            ("读取案件", lambda c: load_details(f, a["handler_a"], c, store=store, today=date.today())),
        ]
        for case in cases[: args.acted]:
            for name, step in steps:
                timed(figures[name], partial(step, case))
        for name, samples in figures.items():
            report(name, samples)
        world.engine.dispose()


if __name__ == "__main__":
    main()
