"""Sync throughput and memory, against a real server subprocess on loopback (DESIGN.md §6):

1. 10,000 changes (new petitioners written through the counter's outbox) pushed and applied, and the time of a raw
   bulk insert (one SQLAlchemy Core executemany, sequence numbers included, committed) of the same rows into the
   same database; their ratio (goal ≤ 3). The merge writes the new rows the same way (SQLAlchemy Core executemany);
   only its receipts (one per change, no counterpart in the raw insert) go through the driver's executemany. The
   push is timed after the client's handshake (a real sync starts with it; the server builds its routes on the first
   request). Where the time goes is printed too: the client's outbox work, the HTTP round trips and, from the
   server's Server-Timing header, the merge, the post-merge hooks (case numbers, SMS notices, audit) and the commit;
   and the merge alone, in-process. Timings on a busy machine vary: `--repeat N` pushes N times (into the same
   database, from a fresh outbox each time) and prints the fastest push, raw insert and merge.
2. Initial pull of 100,000 rows into an empty replica, in a child process: time and peak RSS, and the same for
   a third of them, so that "memory flat in the number of rows" can be read off (goal: initial pull ≤ 60 s).

    .venv/bin/python benchmarks/sync.py [--changes 10000] [--batch 2000] [--pull-rows 100000] [--repeat 1]
                                        [--database-url URL | --postgres]

`--postgres` runs against a fresh database of a throwaway PostgreSQL cluster (the tests' one: `EFT_TEST_PG_URL`
names an existing server, otherwise initdb starts one).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

import sync.client as sync_client  # noqa: E402
from efangtong_core.db import open_database, writing_engine  # noqa: E402
from efangtong_core.models import Petitioner, new_id, utcnow  # noqa: E402
from sync.client import RequestsTransport, SyncClient  # noqa: E402
from sync.protocol import MAX_PUSH_BATCH, Change, ChangeOp  # noqa: E402
from sync.scope import Visibility  # noqa: E402
from sync.sequence import SequenceAllocator  # noqa: E402
from sync.server import Actor, merge_push  # noqa: E402
from tests.support.postgres import running_cluster  # noqa: E402
from tests.support.server import running_server  # noqa: E402
from tests.sync.live import Accounts, prepare_accounts, sign_in  # noqa: E402
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


def merge_only(url: str, count: int, batch: int) -> float:
    """Seconds to merge `count` petitioner changes in-process (no HTTP), `batch` per transaction."""
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
    for start in range(0, count, batch):
        with writing_engine(engine).begin() as connection:
            merge_push(connection, changes[start : start + batch], actor)
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


class TimedTransport(RequestsTransport):
    """A `RequestsTransport` that adds up its push round trips and the server's Server-Timing figures."""

    def __init__(self, base_url: str, token: str) -> None:
        super().__init__(base_url, lambda: token)
        self.round_trips = 0.0
        self.server: dict[str, float] = {}
        self.http.hooks["response"].append(self._record)

    def _record(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        for part in response.headers.get("Server-Timing", "").split(","):
            name, _, duration = part.strip().partition(";dur=")
            if duration:
                self.server[name] = self.server.get(name, 0.0) + float(duration) / 1000

    def post(self, path: str, body: Any) -> Any:
        """POST, timing the round trip."""
        started = time.perf_counter()
        try:
            return super().post(path, body)
        finally:
            self.round_trips += time.perf_counter() - started


def timed(name: str, spent: dict[str, float], function: Callable[..., Any]) -> Callable[..., Any]:
    """`function`, adding the seconds of each call to `spent[name]`."""

    def run(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

    return run


def measure_push(url: str, work: Path, accounts: Accounts, changes: int, batch: int) -> dict[str, Any]:
    """Push `changes` outbox entries to a server on `url`, then the raw insert and the merge alone; their figures."""
    outbox = work / f"counter-{new_id()}.sqlite"
    fill_outbox(outbox, changes)
    with running_server(url, work) as server:
        token = sign_in(server.base_url, accounts.clerk)
        counter = open_database(f"sqlite:///{outbox}")
        transport = TimedTransport(server.base_url, token)
        client = SyncClient(counter, transport, batch_size=batch)
        client.hello()
        spent: dict[str, float] = {}
        with (
            mock.patch.object(sync_client, "read_batch", timed("read", spent, sync_client.read_batch)),
            mock.patch.object(sync_client, "record_answers", timed("record", spent, sync_client.record_answers)),
        ):
            started = time.perf_counter()
            accepted, rejected = client.push()
            pushed = time.perf_counter() - started
        assert (accepted, rejected) == (changes, 0), (accepted, rejected)
        counter.dispose()
        raw = raw_bulk_insert(url, changes)
        merged = merge_only(url, changes, batch)
    return {
        "pushed": pushed,
        "spent": spent,
        "round_trips": transport.round_trips,
        "server": transport.server,
        "raw": raw,
        "merged": merged,
    }


def print_push(figures: dict[str, Any], changes: int, batch: int) -> None:
    """Print the figures of one `measure_push`."""
    pushed, raw, merged, spent = figures["pushed"], figures["raw"], figures["merged"], figures["spent"]
    on_server: dict[str, float] = figures["server"]
    framework = figures["round_trips"] - sum(on_server.values())
    print(f"推送并应用 {changes} 条变更（HTTP，{batch} 条一批）：{pushed:.2f} s")
    overlap = "（除最后一批的答复外，都与服务器处理重叠）"
    print(f"  客户端：读发件箱 {spent['read']:.2f} s，记录答复 {spent['record']:.2f} s{overlap}")
    print(
        f"  HTTP 往返共 {figures['round_trips']:.2f} s：服务器合并 {on_server.get('merge', 0):.2f} s，"
        f"合并后处理（案件编号、短信、审计）{on_server.get('hooks', 0):.2f} s，"
        f"提交 {on_server.get('commit', 0):.2f} s，HTTP/请求校验/框架 {framework:.2f} s"
    )
    print(f"  服务器合并（进程内，无 HTTP，含提交）：{merged:.2f} s")
    print(f"同一数据库批量插入相同行（SQLAlchemy Core 一次 executemany，与合并写新行的方式相同，含提交）：{raw:.2f} s")
    print(f"比值 推送/批量插入：{pushed / raw:.2f}（目标 ≤ 3）；合并/批量插入：{merged / raw:.2f}")


def measure_pull(url: str, work: Path, accounts: Accounts, pull_rows: int, base: int) -> None:
    """Initial pulls of a third of `pull_rows` and of all of them into empty replicas; print time and memory."""
    with running_server(url, work) as server:
        token = sign_in(server.base_url, accounts.clerk)
        for target in (pull_rows // 3, pull_rows):
            seed_rows(url, max(0, target - base))
            base = max(base, target)
            seconds, rss, rows = pull_in_child(work / f"pull-{target}.sqlite", server.base_url, token)
            rate = rows / seconds
            print(f"初次拉取 {rows} 行：{seconds:.1f} s，{rate:.0f} 行/秒，峰值内存 {rss:.0f} MiB（目标 ≤ 60 s）")


def run(url: str, work: Path, args: argparse.Namespace) -> None:
    """Both measurements against the database at `url`."""
    engine = open_database(url)
    accounts = prepare_accounts(engine)
    engine.dispose()
    runs = [measure_push(url, work, accounts, args.changes, args.batch) for _ in range(max(1, args.repeat))]
    if len(runs) > 1:
        print(f"（{len(runs)} 次推送中最快的一次；批量插入与进程内合并各取最快）")
    best = min(runs, key=lambda figures: figures["pushed"])
    best = {**best, "raw": min(r["raw"] for r in runs), "merged": min(r["merged"] for r in runs)}
    print_push(best, args.changes, args.batch)
    if args.pull_rows:
        # Rows already there: the pushed, the raw and the merged ones, plus the accounts.
        measure_pull(url, work, accounts, args.pull_rows, 3 * args.changes * len(runs) + 50)


def main() -> None:
    """Run both measurements and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=MAX_PUSH_BATCH)
    parser.add_argument("--repeat", type=int, default=1, help="push this many times, print the fastest")
    parser.add_argument("--pull-rows", type=int, default=100_000)
    parser.add_argument("--database-url")
    parser.add_argument("--postgres", action="store_true", help="a fresh database of a throwaway PostgreSQL cluster")
    parser.add_argument("--pull-child", nargs=3)
    args = parser.parse_args()
    if args.pull_child:
        pull_child(*args.pull_child)
        return
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        if args.postgres:
            with running_cluster() as cluster:
                url = cluster.create_database()
                print(f"数据库：PostgreSQL（{url.render_as_string(hide_password=True)}）")
                try:
                    run(url.render_as_string(hide_password=False), work, args)
                finally:
                    cluster.drop_database(url)
            return
        url = args.database_url or f"sqlite:///{work / 'server.sqlite'}"
        print(f"数据库：{make_url(url).get_backend_name()}")
        run(url, work, args)


if __name__ == "__main__":
    main()
