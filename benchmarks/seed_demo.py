"""Benchmark: generate N demo petitions (default 1,000,000) into a fresh SQLite file; print time, rows/s and memory.

Memory is the process's peak resident set (`ru_maxrss`), printed after every 10% of the petitions: it must stay flat
(the seeder generates and inserts per batch, never holding all rows).

    .venv/bin/python benchmarks/seed_demo.py --petitions 100000
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from efangtong_core.db import open_database
from efangtong_core.demo.seed import DEFAULT_BATCH, seed_demo


def peak_rss_mb() -> float:
    """The process's peak resident set size so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--petitions", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH)
    parser.add_argument("--database", type=Path, help="SQLite file to create (default: a temporary file)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="eft-seed-") as scratch:
        path = args.database or Path(scratch) / "seed.sqlite"
        if path.exists():
            parser.error(f"{path} exists; the benchmark needs a fresh file")
        engine = open_database(f"sqlite:///{path}")
        print(
            f"seeding {args.petitions:,} petitions into {path} (batch {args.batch:,}); "
            f"RSS before: {peak_rss_mb():.0f} MiB"
        )
        started = time.perf_counter()
        step = max(1, args.petitions // 10)
        next_report = [step]

        def progress(done: int, total: int) -> None:
            if done >= next_report[0] or done == total:
                elapsed = time.perf_counter() - started
                print(
                    f"  {done / total:6.1%}  {done:>9,} petitions  {elapsed:7.1f} s  peak RSS {peak_rss_mb():6.0f} MiB"
                )
                while next_report[0] <= done:
                    next_report[0] += step

        summary = seed_demo(
            engine,
            petitions=args.petitions,
            seed=args.seed,
            today=date(2026, 11, 25),
            progress=progress,
            batch_size=args.batch,
        )
        elapsed = time.perf_counter() - started
        engine.dispose()
        size_mb = path.stat().st_size / 2**20
        print(f"petitions:      {summary.petitions:,}")
        print(f"rows:           {summary.total_rows:,} ({', '.join(f'{k} {v:,}' for k, v in summary.rows.items())})")
        print(f"elapsed:        {elapsed:.1f} s")
        print(f"petitions/s:    {summary.petitions / elapsed:,.0f}")
        print(f"rows/s:         {summary.total_rows / elapsed:,.0f}")
        print(f"peak RSS:       {peak_rss_mb():.0f} MiB")
        print(f"database size:  {size_mb:,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
