"""Benchmark of the counter client: start time vs a bare PySide6 window, registration save, search over N petitions.

Prints, in one run:
- main-window start time (fresh process, offscreen platform, replica already created) and a bare PySide6 window's
  (`benchmarks/minimal_window.py`) in the same run, alternating, medians and their ratio, wall and CPU. Two figures,
  both from spawning the process (interpreter start, imports):
  "painted" (the goal's figure, ≤ 2): the window shown, its first paint done and the event loop running again, so
  it accepts input — e访通's main window with its 登记 form (the data layer is not loaded yet; what is typed is
  kept); "ready": also the data layer loaded, the replica opened and the 登记 page's choice lists (categories,
  towns, agents) filled (`benchmarks/start_app.py`, the entry point with `--quit-after-ready`). For the bare window
  both are its first paint.
  The whole process including quitting and interpreter exit is printed too, and each one's peak resident memory.
  Both get a bytecode cache (PYTHONPYCACHEPREFIX in a temporary directory, filled by a first run), as an installed
  program has its .pyc files;
- registration save latency, from `benchmarks/desktop_save.py` (`measure_registration_save`) when it exists;
- the local search index's initial build time over N petitions, and search p50/p95 for each field type (goal
  p95 ≤ 50 ms): count + first page of hits, as the 查询 page does for each search;
- resident memory of a process with that replica open and searched.

The N-petition replica is the demo data (efangtong_core.demo, 20,000 petitions) copied with Core INSERT … SELECT into
N petitions with their own petitioners, ID numbers, phones, case numbers and query codes; it is cached under
/tmp/eft-search-bench between runs (per schema revision).

    .venv/bin/python benchmarks/desktop.py --petitions 1000000
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: the repository's packages

from benchmarks.search_replica import CACHE, build_replica
from efangtong_desktop.services.search import SearchFilters, SearchRequest

CONTENT_WORDS = ("拆迁", "工资", "补偿", "低保", "宅基地", "采煤沉陷", "物业", "医疗", "养老保险", "草牧场")
SAMPLES = 60

BARE_WINDOW = Path(__file__).with_name("minimal_window.py")
REPO = Path(__file__).resolve().parents[1]


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _sample_queries(db: sqlite3.Connection, rng: random.Random) -> dict[str, list[SearchRequest]]:
    """Queries per field type, drawn from the replica's own rows."""
    people = db.execute(
        "SELECT name, name_initials, id_number FROM petitioner WHERE id_number IS NOT NULL AND name != '匿名' "
        f"ORDER BY random() LIMIT {SAMPLES}"
    ).fetchall()
    phones = [row[0] for row in db.execute(f"SELECT phone FROM petitioner_phone ORDER BY random() LIMIT {SAMPLES}")]
    codes = db.execute(f"SELECT query_code, case_number FROM petition ORDER BY random() LIMIT {SAMPLES}").fetchall()
    towns = [row[0] for row in db.execute("SELECT id FROM org_unit WHERE kind = 'town'")]
    texts = {
        "姓名": [row[0] for row in people],
        "拼音首字母": [row[1] for row in people if row[1]],
        "身份证号": [row[2] for row in people],
        "身份证后4位": [row[2][-4:] for row in people],
        "电话": phones,
        "查询码": [row[0] for row in codes],
        "案件编号": [row[1] for row in codes if row[1]],
        "内容": [rng.choice(CONTENT_WORDS) for _ in range(SAMPLES)],
        "无条件（全部）": [""] * 10,
    }
    queries = {field: [SearchRequest(text) for text in values] for field, values in texts.items()}
    queries["内容+属地"] = [
        SearchRequest(rng.choice(CONTENT_WORDS), SearchFilters(town_id=rng.choice(towns))) for _ in range(20)
    ]
    queries["属地"] = [SearchRequest("", SearchFilters(town_id=town)) for town in towns]
    queries["近一月"] = [SearchRequest("", SearchFilters(date_from=date(2026, 10, 25), date_to=date(2026, 11, 25)))]
    queries["超期"] = [SearchRequest("", SearchFilters(overdue=True))] * 5
    return queries


def measure_search(path: Path, measure_build: bool) -> None:
    """Index build time and search p50/p95 per field type over the replica at `path`."""
    from efangtong_core.db import create_engine_for
    from efangtong_desktop.services import search_index
    from efangtong_desktop.services.search import SearchService

    indexed = path.with_name(path.stem + "-indexed.sqlite")
    if measure_build or not indexed.exists():
        scratch = indexed.with_suffix(".partial")
        shutil.copyfile(path, scratch)
        engine = create_engine_for(f"sqlite:///{scratch}")
        started = time.perf_counter()
        search_index.ensure_search_index(engine)
        done = search_index.refresh(engine)
        elapsed = time.perf_counter() - started
        engine.dispose()
        print(f"index build:        {done:,} petitions in {elapsed:.1f} s ({done / elapsed:,.0f}/s)")
        print(
            f"replica size:       {path.stat().st_size / 2**20:,.0f} MiB without index, "
            f"{scratch.stat().st_size / 2**20:,.0f} MiB with it"
        )
        scratch.rename(indexed)
    engine = create_engine_for(f"sqlite:///{indexed}")
    search_index.ensure_search_index(engine)
    service = SearchService(engine, unmasked=False)
    service.prepare()
    db = sqlite3.connect(indexed)
    queries = _sample_queries(db, random.Random(2026))
    db.close()
    print(f"{'field':<14}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'median hits':>13}")
    for field, requests in queries.items():
        times: list[float] = []
        counts: list[int] = []
        for request in requests:
            started = time.perf_counter()
            service.prepare()
            count = service.count(request)
            service.page(request)
            times.append((time.perf_counter() - started) * 1000)
            counts.append(count)
        print(
            f"{field:<14}{len(requests):>8}{_percentile(times, 0.5):>9.1f}{_percentile(times, 0.95):>9.1f}"
            f"{max(times):>9.1f}{statistics.median(counts):>13,.0f}"
        )
    engine.dispose()


def _resident_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass(frozen=True)
class StartRun:
    """One start of a window in a fresh process."""

    painted_wall: float
    """Seconds from spawning the process to its "painted" line (window shown and painted, accepting input)."""
    painted_cpu: float
    ready_wall: float
    """Seconds from spawning the process to its "ready" line (painted, and the 登记 page's data in)."""
    ready_cpu: float
    """CPU seconds (user + system, all threads) the process had used when ready."""
    exit_wall: float
    """Seconds from spawning to the end of the process (quit, background reads finished, interpreter exit)."""
    exit_cpu: float
    peak_mib: float


def _time_process(arguments: list[str], environment: dict[str, str]) -> StartRun:
    """Time one run of `arguments`, which prints "ready <CPU seconds>" when its window is ready, then exits."""
    started = time.perf_counter()
    process = subprocess.Popen(arguments, env=environment, stdout=subprocess.PIPE, text=True, cwd=REPO)
    assert process.stdout is not None
    painted_wall, painted_cpu = float("nan"), float("nan")
    ready_wall, ready_cpu = float("nan"), float("nan")
    for line in process.stdout:
        if line.startswith("painted "):
            painted_wall, painted_cpu = time.perf_counter() - started, float(line.split()[1])
        if line.startswith("ready "):
            ready_wall, ready_cpu = time.perf_counter() - started, float(line.split()[1])
    _, status, usage = os.wait4(process.pid, 0)
    exit_wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0 or ready_wall != ready_wall or painted_wall != painted_wall:
        raise subprocess.CalledProcessError(process.returncode, arguments, "no painted or ready line")
    return StartRun(
        painted_wall,
        painted_cpu,
        ready_wall,
        ready_cpu,
        exit_wall,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,
    )


def measure_start(rounds: int) -> None:
    """Main-window start vs a bare PySide6 window start, each in a fresh process, alternating."""
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="eft-start-") as scratch:
        environment = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPYCACHEPREFIX=f"{scratch}/pycache")
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        app = [sys.executable, "-m", "benchmarks.start_app", "--data-dir", f"{scratch}/data", "--quit-after-ready"]
        app += ["--size", "1366x768", "--server", "http://127.0.0.1:9"]
        bare = [sys.executable, str(BARE_WINDOW)]
        _time_process(app, environment)  # creates and migrates the replica once, as a first run would; fills the cache
        _time_process(bare, environment)
        app_runs, bare_runs = [], []
        for _ in range(rounds):
            app_runs.append(_time_process(app, environment))
            bare_runs.append(_time_process(bare, environment))
    figures = (
        ("start to painted, wall", "painted_wall"),
        ("start to painted, CPU", "painted_cpu"),
        ("start to ready (data), wall", "ready_wall"),
        ("start to ready, CPU", "ready_cpu"),
        ("whole process incl. exit, wall", "exit_wall"),
        ("whole process incl. exit, CPU", "exit_cpu"),
    )
    for label, field in figures:
        app_median = statistics.median(getattr(run, field) for run in app_runs)
        bare_median = statistics.median(getattr(run, field) for run in bare_runs)
        goal = " (goal ≤ 2)" if field.startswith("painted") else ""
        print(
            f"{label:<31} (median of {rounds}): bare PySide6 window {bare_median * 1000:6.0f} ms, "
            f"e访通 main window {app_median * 1000:6.0f} ms, ratio {app_median / bare_median:5.2f}{goal}"
        )
    print(
        f"{'load average (1 min)':<31}: {load_before:.2f} before, {os.getloadavg()[0]:.2f} after "
        f"({os.cpu_count()} CPUs; other processes slow both windows alike, the ratio less than the times)"
    )
    print(
        f"{'peak resident memory':<31}: bare PySide6 window {max(run.peak_mib for run in bare_runs):4.0f} MiB, "
        f"e访通 main window {max(run.peak_mib for run in app_runs):4.0f} MiB"
    )


def measure_save() -> None:
    """Registration save latency (benchmarks/desktop_save.py): p50/p95 wall clock and CPU, fsync, load average."""
    if str(REPO) not in sys.path:  # run as a script: the repository root makes `benchmarks` importable
        sys.path.insert(0, str(REPO))
    from benchmarks.desktop_save import measure_registration_save, print_figures

    print_figures(measure_registration_save())


def measure_memory(path: Path) -> None:
    """Resident memory of a fresh process that opens the indexed replica as the client does and searches it."""
    indexed = path.with_name(path.stem + "-indexed.sqlite")
    root = str(Path(__file__).parents[1])
    code = f"import sys; sys.path.insert(0, {root!r})\nfrom benchmarks.desktop import _memory_child\n"
    code += f"_memory_child({str(indexed)!r})\n"
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    output = subprocess.run([sys.executable, "-c", code], env=environment, check=True, capture_output=True, text=True)
    print(output.stdout.strip())


def _memory_child(indexed: str) -> None:
    """In a child process: RSS before, with the replica open, and after searches shown in the 查询 page's model."""
    from PySide6.QtWidgets import QApplication

    from efangtong_core.db import create_engine_for
    from efangtong_desktop.services.search import SearchRequest, SearchService

    app = QApplication([])
    before = _resident_mib()
    engine = create_engine_for(f"sqlite:///{indexed}")
    service = SearchService(engine, unmasked=False)
    service.prepare()
    opened = _resident_mib()
    for text in ("", "拆迁", "工资", "zs"):
        request = SearchRequest(text)
        service.count(request)
        for offset in (0, 200, 400_000):
            service.page(request, offset=offset)
    searched = _resident_mib()
    print(
        f"resident memory:    {before:.0f} MiB Qt only, {opened:.0f} MiB replica open, "
        f"{searched:.0f} MiB after searches"
    )
    engine.dispose()
    del app


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--petitions", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5, help="start-time runs of each window")
    parser.add_argument("--measure-build", action="store_true", help="build the index again even when cached")
    parser.add_argument("--parts", default="start,save,search,memory", help="comma-separated parts to run")
    args = parser.parse_args(argv)
    parts = set(args.parts.split(","))
    CACHE.mkdir(parents=True, exist_ok=True)
    if "start" in parts:
        measure_start(args.rounds)
    if "save" in parts:
        measure_save()
    if parts & {"search", "memory"}:
        path = build_replica(args.petitions)
        if "search" in parts:
            measure_search(path, args.measure_build)
        if "memory" in parts:
            measure_memory(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
