"""Big-screen refresh time: one full data refresh (snapshot on the replica + adaptation) on demo data; goal ≤ 500 ms.

Usage: python -m benchmarks.bigscreen [PETITIONS]   (prints the figures; the replica is a temporary SQLite file)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from efangtong_core.db import open_database, session_factory
from efangtong_core.demo.seed import seed_demo
from efangtong_desktop.bigscreen.data import replica_loader

TODAY = date(2026, 11, 20)
GOAL_MS = 500.0


def main(argv: list[str]) -> int:
    """Seed, refresh five times, print each time and the median against the goal."""
    petitions = int(argv[0]) if argv else 20_000
    with tempfile.TemporaryDirectory() as folder:
        engine = open_database(f"sqlite:///{Path(folder) / 'replica.sqlite3'}")
        seed_demo(engine, petitions=petitions, seed=3, today=TODAY)
        load = replica_loader(session_factory(engine), offline=lambda: True, today=lambda: TODAY)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            data = load()
            times.append((time.perf_counter() - started) * 1000)
        engine.dispose()
    median = statistics.median(times)
    print(
        f"大屏刷新（{petitions} 件演示数据，期间内 {data.batches} 批）："
        + "、".join(f"{t:.0f}" for t in times)
        + " 毫秒"
    )
    print(f"中位数 {median:.0f} 毫秒，目标 ≤ {GOAL_MS:.0f} 毫秒：{'达标' if median <= GOAL_MS else '未达标'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
