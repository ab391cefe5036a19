"""Sync throughput and memory, against a real server subprocess on loopback (DESIGN.md §6):

1. 10,000 changes (new petitioners written through the counter's outbox) pushed and applied, and the time of a raw
   bulk insert (one executemany) of the same rows into the same database; their ratio (goal ≤ 3). The merge alone
   (in-process, no HTTP) is printed too, to show where the time goes.
2. Initial pull of 100,000 rows into an empty replica, in a child process: time and peak RSS, and the same for
   a third of them, so that "memory flat in the number of rows" can be read off (goal: initial pull ≤ 60 s).

    .venv/bin/python benchmarks/sync.py [--changes 10000] [--pull-rows 100000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from efangtong_core.db import open_database, writing_engine  # noqa: E402
from efangtong_core.models import Petitioner, new_id, utcnow  # noqa: E402
from sync.client import RequestsTransport, SyncClient  # noqa: E402
from sync.protocol import Change, ChangeOp  # noqa: E402
from sync.scope import Visibility  # noqa: E402
from sync.sequence import SequenceAllocator  # noqa: E402
from sync.server import Actor, merge_push  # noqa: E402
from tests.support.server import running_server  # noqa: E402
from tests.sync.live import prepare_accounts, sign_in  # noqa: E402
from tests.sync.support import open_replica  # noqa: E402


def petitioner_values(number: int) -> dict[str, object]:
    """The columns of one synthetic petitioner."""
    return {
        "name": f"信访人{number:06d}",
        "name_initials": "xfr",
        "sex": "female" if number % 2 else "male",
        "nation": "汉",
        "address": f"伊金霍洛旗阿勒腾席热镇第{number % 97}街区{number}号",
        "id_number": f"150627199{number % 10}0101{number % 10000:04d}"[:18],
    }


def fill_outbox(replica_path: Path, count: int) -> None:
    """Write `count` new petitioners through the outbox, as a counter offline would."""
    replica = open_replica(replica_path, "bench-pc")
    with replica.session() as session:
        session.add_all(Petitioner(**petitioner_values(n)) for n in range(count))  # type: ignore[arg-type]
        session.commit()
    replica.engine.dispose()


def raw_bulk_insert(url: str, count: int) -> float:
    """Seconds for one executemany of `count` petitioner rows (the same columns) into the server's database."""
    engine = open_database(url)
    now = utcnow()
    rows = [
        {
            **petitioner_values(n),
            "id": new_id(),
            "created_at": now,
            "updated_at": now,
            "origin": "bench",
            "anonymous": False,
            "id_type": "resident",
            "verification_status": "unverified",
        }
        for n in range(count)
    ]
    started = time.perf_counter()
    with writing_engine(engine).begin() as connection:
        allocator = SequenceAllocator(connection)
        for row in rows:
            row["server_seq"] = allocator.take()
        allocator.store()
        connection.execute(insert(Petitioner), rows)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def merge_only(url: str, count: int) -> float:
    """Seconds to merge `count` petitioner changes in-process (no HTTP), 500 per transaction."""
    engine = open_database(url)
    now = utcnow()
    changes = [
        Change(
            change_id=new_id(),
            table="petitioner",
            row_id=new_id(),
            op=ChangeOp.UPSERT,
            values=petitioner_values(n),
            client_time=now,
        )
        for n in range(count)
    ]
    actor = Actor(user_id="bench", device_id="bench", visibility=Visibility(True, frozenset(), frozenset({"clerk"})))
    started = time.perf_counter()
    for start in range(0, count, 500):
        with writing_engine(engine).begin() as connection:
            merge_push(connection, changes[start : start + 500], actor)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def seed_rows(url: str, count: int) -> None:
    """Put `count` petitioners with server_seq straight into the server's database."""
    engine = open_database(url)
    now = utcnow()
    with writing_engine(engine).begin() as connection:
        allocator = SequenceAllocator(connection)
        for start in range(0, count, 5000):
            rows = [
                {
                    **petitioner_values(n),
                    "id": new_id(),
                    "created_at": now,
                    "updated_at": now,
                    "anonymous": False,
                    "id_type": "resident",
                    "verification_status": "unverified",
                    "server_seq": allocator.take(),
                }
                for n in range(start, min(count, start + 5000))
            ]
            connection.execute(insert(Petitioner), rows)
        allocator.store()
    engine.dispose()


def pull_in_child(replica: Path, base_url: str, token: str) -> tuple[float, float, int]:
    """Run an initial pull in a child process; (seconds, peak RSS in MiB, rows)."""
    command = [sys.executable, __file__, "--pull-child", str(replica), base_url, token]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    assert process.stdout is not None
    output = process.stdout.read().decode().split()
    if status != 0:
        raise RuntimeError(f"pull child failed: {status}")
    return elapsed, usage.ru_maxrss / 1024, int(output[-1])


def pull_child(replica: str, base_url: str, token: str) -> None:
    """The child side of `pull_in_child`."""
    engine = open_database(f"sqlite:///{replica}")
    pulled, _ = SyncClient(engine, RequestsTransport(base_url, lambda: token), page_size=1000).pull()
    print(pulled)


def main() -> None:
    """Run both measurements and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--pull-rows", type=int, default=100_000)
    parser.add_argument("--database-url")
    parser.add_argument("--pull-child", nargs=3)
    args = parser.parse_args()
    if args.pull_child:
        pull_child(*args.pull_child)
        return
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        url = args.database_url or f"sqlite:///{work / 'server.sqlite'}"
        engine = open_database(url)
        accounts = prepare_accounts(engine)
        engine.dispose()
        fill_outbox(work / "counter.sqlite", args.changes)
        with running_server(url, work) as server:
            token = sign_in(server.base_url, accounts.clerk)
            counter = open_database(f"sqlite:///{work / 'counter.sqlite'}")
            started = time.perf_counter()
            accepted, rejected = SyncClient(
                counter, RequestsTransport(server.base_url, lambda: token), batch_size=500
            ).push()
            pushed = time.perf_counter() - started
            assert (accepted, rejected) == (args.changes, 0), (accepted, rejected)
            raw = raw_bulk_insert(url, args.changes)
            merged = merge_only(url, args.changes)
            print(f"推送并应用 {args.changes} 条变更（HTTP，500 条一批）：{pushed:.2f} s")
            print(f"  其中服务器合并（进程内，无 HTTP）：{merged:.2f} s")
            print(f"同一数据库批量插入相同行：{raw:.2f} s")
            print(f"比值 推送/批量插入：{pushed / raw:.2f}（目标 ≤ 3）；合并/批量插入：{merged / raw:.2f}")

            base = 3 * args.changes + 50  # rows already there: the pushed, the raw and the merged ones, plus accounts
            for target in (args.pull_rows // 3, args.pull_rows):
                seed_rows(url, max(0, target - base))
                base = max(base, target)
                seconds, rss, rows = pull_in_child(work / f"pull-{target}.sqlite", server.base_url, token)
                rate = rows / seconds
                print(f"初次拉取 {rows} 行：{seconds:.1f} s，{rate:.0f} 行/秒，峰值内存 {rss:.0f} MiB（目标 ≤ 60 s）")


if __name__ == "__main__":
    main()
