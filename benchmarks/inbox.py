"""待办 inbox load time: every queue of a role read from a replica of demo data, as the page does off the GUI thread.

Usage: python -m benchmarks.inbox [PETITIONS]   (prints the figures; the replica is a temporary SQLite file)
The demo accounts give the roles: the bureau's dispatcher and leader (whole county), a town's handler and unit head.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import select

from efangtong_core.db import open_database, session_factory
from efangtong_core.demo.seed import seed_demo
from efangtong_core.models import User
from efangtong_desktop.services.inbox import InboxUser, load_inbox

TODAY = date(2026, 11, 20)
ROLES = ("dispatcher", "leader", "handler", "unit_head")


def main(argv: list[str]) -> int:
    """Seed, then load each role's inbox five times; print the times, the median and the queue sizes."""
    petitions = int(argv[0]) if argv else 20_000
    with tempfile.TemporaryDirectory() as folder:
        engine = open_database(f"sqlite:///{Path(folder) / 'replica.sqlite3'}")
        seed_demo(engine, petitions=petitions, seed=3, today=TODAY, hash_password=lambda password: "-")
        sessions = session_factory(engine)
        print(f"待办读取（{petitions} 件演示数据，SQLite 副本，今天 {TODAY}）")
        for role in ROLES:
            with sessions() as session:
                unit_id = session.scalar(select(User.org_unit_id).where(User.username == role))
            assert unit_id is not None
            user = InboxUser(unit_id=unit_id, roles=(role,))
            times = []
            for _ in range(5):
                with sessions() as session:
                    started = time.perf_counter()
                    inbox = load_inbox(session, user=user, today=TODAY)
                    times.append((time.perf_counter() - started) * 1000)
            sizes = "、".join(f"{queue.label} {inbox.count(queue)}" for queue in inbox.queues)
            print(
                f"  {role:<10} 中位数 {statistics.median(times):6.1f} 毫秒（"
                + "、".join(f"{t:.0f}" for t in times)
                + f"）；{sizes}"
            )
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
