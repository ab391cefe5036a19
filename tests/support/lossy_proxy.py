"""A loopback HTTP/1.1 proxy for sync fault tests: loses answers, delivers requests twice, or runs a hook mid-request.

Each request is read whole (head and Content-Length body) and forwarded on a fresh upstream connection. Armed faults
apply to the next request whose path contains a given text:
- `lose_answer`: the request reaches the server (which commits), the answer is dropped and the client's connection
  is cut — the client never learns what happened;
- `duplicate`: the same request bytes are delivered twice; the client receives the second answer;
- `on_forward`: a callback runs once the request has been forwarded and before its answer is read (e.g. kill the
  server mid-batch); the client's connection is then cut if no answer comes.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Fault:
    """One armed fault."""

    path: str
    kind: str
    hook: Callable[[], None] | None = None


@dataclass
class ProxyLog:
    """What the proxy did, for assertions."""

    requests: list[str] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)


def _read_message(sock: socket.socket, buffer: bytearray) -> bytes | None:
    """One HTTP message (head + Content-Length body) from `sock`; None when the peer closed first."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buffer.extend(chunk)
    head_end = buffer.index(b"\r\n\r\n") + 4
    length = 0
    for line in bytes(buffer[:head_end]).split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    while len(buffer) < head_end + length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buffer.extend(chunk)
    message = bytes(buffer[: head_end + length])
    del buffer[: head_end + length]
    return message


class LossyProxy:
    """Forwards 127.0.0.1:<port> to a loopback server port (changeable, e.g. after a server restart)."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self.log = ProxyLog()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def base_url(self) -> str:
        """The address clients use."""
        return f"http://127.0.0.1:{self.port}"

    def arm(self, path: str, kind: str, hook: Callable[[], None] | None = None) -> None:
        """Apply fault `kind` (lose_answer, duplicate, on_forward) to the next request whose path contains `path`."""
        with self._lock:
            self._faults.append(Fault(path, kind, hook))

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.path in path:
                    self._faults.remove(fault)
                    return fault
        return None

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _exchange(self, request: bytes) -> bytes | None:
        try:
            with socket.create_connection(("127.0.0.1", self.target_port), timeout=60) as upstream:
                upstream.sendall(request)
                return _read_message(upstream, bytearray())
        except OSError:
            return None

    def _serve(self, client: socket.socket) -> None:
        buffer = bytearray()
        with client:
            while True:
                try:
                    request = _read_message(client, buffer)
                except OSError:
                    return
                if request is None:
                    return
                path = request.split(b"\r\n", 1)[0].decode("latin-1")
                self.log.requests.append(path)
                fault = self._take_fault(path)
                if fault is not None and fault.kind == "on_forward":
                    answer = self._forward_with_hook(request, fault)
                else:
                    answer = self._exchange(request)
                if fault is not None and fault.kind == "duplicate":
                    answer = self._exchange(request)
                if fault is not None:
                    self.log.faults.append(f"{fault.kind} {path}")
                if answer is None or (fault is not None and fault.kind == "lose_answer"):
                    client.shutdown(socket.SHUT_RDWR)
                    return
                client.sendall(answer)

    def _forward_with_hook(self, request: bytes, fault: Fault) -> bytes | None:
        try:
            with socket.create_connection(("127.0.0.1", self.target_port), timeout=60) as upstream:
                upstream.sendall(request)
                assert fault.hook is not None
                fault.hook()
                return _read_message(upstream, bytearray())
        except OSError:
            return None

    def close(self) -> None:
        """Stop accepting connections."""
        self._closed = True
        self._listener.close()
