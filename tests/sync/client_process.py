"""The sync engine in a process of its own, to be killed with SIGKILL at a chosen point (tests/sync/test_faults.py).

    python -m tests.sync.client_process REPLICA BASE_URL TOKEN STOP [BATCH] [PAGE]

STOP is `none`, `after-push-answer:N` (the N-th push was answered by the server but the answer is not yet recorded)
or `mid-pull-apply:N` (the N-th page's rows are written but its transaction has not committed). At the stop the
process prints `blocked` and waits on stdin, which the test never writes: it is killed there.
"""

from __future__ import annotations

import sys
from typing import Any

from efangtong_core.db import open_database
from sync import client as client_module
from sync.client import RequestsTransport, SyncClient


def _block() -> None:
    print("blocked", flush=True)
    sys.stdin.readline()  # the test kills this process while it waits here
    raise SystemExit("not killed")


class StoppingTransport(RequestsTransport):
    """A transport that stops the process after the N-th push answer arrived."""

    def __init__(self, base_url: str, token: str, stop_after_push: int | None) -> None:
        super().__init__(base_url, lambda: token)
        self.stop_after_push = stop_after_push
        self.pushes = 0

    def post(self, path: str, body: Any) -> Any:
        """POST, then stop if this was the chosen push."""
        answer = super().post(path, body)
        if path == "/sync/push":
            self.pushes += 1
            print(f"answered {self.pushes}", flush=True)
            if self.pushes == self.stop_after_push:
                _block()
        return answer


def main(argv: list[str]) -> int:
    """Run one sync, stopping where asked."""
    replica, base_url, token, stop = argv[:4]
    batch = int(argv[4]) if len(argv) > 4 else 200
    page = int(argv[5]) if len(argv) > 5 else 500
    kind, _, number = stop.partition(":")
    engine = open_database(f"sqlite:///{replica}")
    transport = StoppingTransport(base_url, token, int(number) if kind == "after-push-answer" else None)
    if kind == "mid-pull-apply":
        pages = {"count": 0}
        original = client_module.write_state

        def write_state(connection: Any, key: str, value: str | None) -> None:
            if key == client_module.CURSOR:
                pages["count"] += 1
                print(f"page {pages['count']}", flush=True)
                if pages["count"] == int(number):
                    _block()
            original(connection, key, value)

        client_module.write_state = write_state  # type: ignore[assignment]
    report = SyncClient(engine, transport, batch_size=batch, page_size=page).sync()
    print(f"done {report.accepted} {report.rejected} {report.pulled}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
