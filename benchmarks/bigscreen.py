"""Big-screen refresh time: one full data refresh (the screen's figures on the replica); goal ≤ 500 ms.

Seeds a temporary replica with N demo petitions (default 20,000), or uses an existing replica file (--database, e.g. a
1,000,000-petition one), then refreshes `--rounds` times. A refresh has two steps, as on the screen: the figures
(tiles, charts, map: drawn when they arrive) and then the hot words (their own task). The first refresh (cold: the
replica's pages read, jieba's dictionary loaded, every hot-word text segmented) and the median of the rest (warm: what
the screen's one-minute timer sees) are printed for each step and for the whole.

    .venv/bin/python -m benchmarks.bigscreen [PETITIONS] [--database replica.sqlite3 --today 2026-11-25]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from efangtong_core.db import open_database, session_factory
from efangtong_core.demo.seed import database_is_empty, seed_demo
from efangtong_desktop.bigscreen.data import replica_loader

TODAY = date(2026, 11, 20)
GOAL_MS = 500.0


def main(argv: list[str]) -> int:
    """Seed (or open), refresh, print each time, the cold one and the warm median against the goal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("petitions", type=int, nargs="?", default=20_000)
    parser.add_argument("--database", type=Path, help="existing replica file (seeded when empty)")
    parser.add_argument("--today", type=date.fromisoformat, default=TODAY)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        engine = open_database(f"sqlite:///{args.database or Path(folder) / 'replica.sqlite3'}")
        if database_is_empty(engine):
            seed_demo(engine, petitions=args.petitions, seed=3, today=args.today)
        load = replica_loader(session_factory(engine), offline=lambda: True, today=lambda: args.today)
        figures, words = [], []
        for _ in range(args.rounds):
            started = time.perf_counter()
            data = load()
            shown = time.perf_counter()
            load.hot_words()
            figures.append((shown - started) * 1000)
            words.append((time.perf_counter() - shown) * 1000)
        engine.dispose()
    whole = [a + b for a, b in zip(figures, words, strict=True)]
    print(f"大屏刷新（期间内 {data.batches:,} 批），毫秒：")
    for name, times in (("指标与图表", figures), ("热点词", words), ("合计", whole)):
        warm = statistics.median(times[1:]) if len(times) > 1 else times[0]
        print(f"  {name}：" + "、".join(f"{t:.0f}" for t in times)
              + f"；首次（冷启动）{times[0]:.0f}，其后中位数 {warm:.0f}")  # fmt: skip
    warm = statistics.median(whole[1:]) if len(whole) > 1 else whole[0]
    verdict = "达标" if warm <= GOAL_MS else "未达标"
    print(f"一次完整刷新其后中位数 {warm:.0f} 毫秒，目标 ≤ {GOAL_MS:.0f} 毫秒：{verdict}；"
          f"冷启动时首屏指标 {figures[0]:.0f} 毫秒后显示")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
