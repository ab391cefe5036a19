"""A loopback stand-in for the public-security identity verification service, speaking real HTTP on 127.0.0.1.

It checks HTTP Basic credentials like the real service (401 otherwise) and answers by rule:
- an ID number in `people` with the same name → match, with another name → mismatch;
- an ID number in `failing` → 500 (the service's own error);
- an ID number in `slow` → no answer until the client has given up (held until `release()` or shutdown);
- any other ID number → not_found.
It counts the requests it answered, so tests can tell a cached answer from a fresh one.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

USERNAME = "eft-bureau-150627"
PASSWORD = "verify-secret-2026"
SLOW_HOLD_SECONDS = 30.0
"""Longest a slow answer is held if nobody releases it (far beyond any client timeout in the tests)."""


@dataclass
class FakeVerifier:
    """The running fake: its URL, its rules and what it has seen."""

    url: str = ""
    people: dict[str, str] = field(default_factory=dict)
    failing: set[str] = field(default_factory=set)
    slow: set[str] = field(default_factory=set)
    requests: list[dict[str, str]] = field(default_factory=list)
    refused: int = 0
    _release: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def release(self) -> None:
        """Let held (slow) answers go."""
        self._release.set()

    def answer(self, authorization: str | None, body: bytes) -> tuple[int, dict[str, str]]:
        """The status and JSON the service gives for one request."""
        expected = "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
        if authorization != expected:
            with self._lock:
                self.refused += 1
            return 401, {"error": "unauthorized"}
        try:
            data = json.loads(body.decode("utf-8"))
            name, number = str(data["name"]), str(data["id_number"])
        except (ValueError, KeyError, TypeError):
            return 400, {"error": "bad request"}
        with self._lock:
            self.requests.append({"name": name, "id_number": number})
        if number in self.slow:
            self._release.wait(SLOW_HOLD_SECONDS)
        if number in self.failing:
            return 500, {"error": "internal"}
        if number not in self.people:
            return 200, {"result": "not_found"}
        return 200, {"result": "match" if self.people[number] == name else "mismatch"}


def _handler(fake: FakeVerifier) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            status, payload = fake.answer(self.headers.get("Authorization"), self.rfile.read(length))
            body = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout) before the answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def running_fake_verifier(**rules: object) -> Iterator[FakeVerifier]:
    """Serve a FakeVerifier on a free loopback port for the duration of the block."""
    fake = FakeVerifier(**rules)  # type: ignore[arg-type]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/verify"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="fake-verifier", daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.release()
        server.shutdown()
        server.server_close()
        thread.join()
