"""A loopback TCP proxy that cuts a connection after a given number of bytes, to test dropped connections.

`arm(upstream=N)` cuts the connection that carries the N-th client→server byte from now on (the server sees a request
body end early); `arm(downstream=N)` does the same for server→client bytes (the client loses an answer the server
already committed). Each arm cuts once; everything else passes through unchanged.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

UP, DOWN = "upstream", "downstream"


class CuttingProxy:
    """Forwards 127.0.0.1:<port> to a target on loopback, cutting connections when armed."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Condition()
        self._limits: dict[str, int | None] = {UP: None, DOWN: None}
        self.forwarded: dict[str, int] = {UP: 0, DOWN: 0}
        self.cuts = 0
        self.connections = 0
        self._sockets: list[socket.socket] = []
        self._closed = False
        threading.Thread(target=self._accept, name="cutting-proxy", daemon=True).start()

    @property
    def base_url(self) -> str:
        """The proxy's address as an HTTP base URL."""
        return f"http://127.0.0.1:{self.port}"

    def arm(self, *, upstream: int | None = None, downstream: int | None = None) -> None:
        """Cut once after `upstream` more client→server bytes and/or `downstream` more server→client bytes."""
        with self._lock:
            if upstream is not None:
                self._limits[UP] = self.forwarded[UP] + upstream
            if downstream is not None:
                self._limits[DOWN] = self.forwarded[DOWN] + downstream

    def wait_for_cuts(self, count: int, timeout: float = 30.0) -> bool:
        """Block until `count` cuts happened (True) or the timeout passed (False)."""
        with self._lock:
            return self._lock.wait_for(lambda: self.cuts >= count, timeout)

    def close(self) -> None:
        """Stop accepting and drop every open connection."""
        with self._lock:
            self._closed = True
            sockets = list(self._sockets)
        self._listener.close()
        for sock in sockets:
            _abort(sock)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target)
            except OSError:
                _abort(client)
                continue
            with self._lock:
                if self._closed:
                    _abort(client)
                    _abort(server)
                    return
                self.connections += 1
                self._sockets += [client, server]
            for source, sink, direction in ((client, server, UP), (server, client, DOWN)):
                threading.Thread(target=self._pump, args=(source, sink, direction, client, server), daemon=True).start()

    def _pump(
        self, source: socket.socket, sink: socket.socket, direction: str, client: socket.socket, server: socket.socket
    ) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            if not data:
                # orderly end of one direction: pass the half-close on
                with suppress(OSError):
                    sink.shutdown(socket.SHUT_WR)
                return
            with self._lock:
                limit = self._limits[direction]
                cut = limit is not None and self.forwarded[direction] + len(data) >= limit
                if cut and limit is not None:
                    data = data[: max(limit - self.forwarded[direction], 0)]
                    self._limits[direction] = None
                self.forwarded[direction] += len(data)
            try:
                sink.sendall(data)
            except OSError:  # the other direction ended the connection
                _abort(client)
                _abort(server)
                return
            if cut:
                _abort(client)
                _abort(server)
                with self._lock:
                    self.cuts += 1
                    self._lock.notify_all()
                return


def _abort(sock: socket.socket) -> None:
    """Drop the connection with a reset (SO_LINGER 0), as a failed network link looks to the other end."""
    with suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    # close() alone waits for the other pump thread's blocking recv on this socket; SHUT_RD wakes it first
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RD)
    with suppress(OSError):
        sock.close()


@contextmanager
def cutting_proxy(target_port: int) -> Iterator[CuttingProxy]:
    """A running proxy to `target_port` on loopback, closed afterwards."""
    proxy = CuttingProxy(target_port)
    try:
        yield proxy
    finally:
        proxy.close()
