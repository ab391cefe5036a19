"""Start the real central server as a subprocess on a loopback port and wait until it answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx


def free_loopback_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class RunningServer:
    """A server subprocess and the address it answers on."""

    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path


def wait_until_healthy(
    base_url: str, process: subprocess.Popen[bytes], log_path: Path, timeout: float, *, path: str = "/api/v1/health"
) -> None:
    """Return once GET `path` answers 200; fail if the process dies or the timeout passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log_path.read_text(errors='replace')}")
        try:
            if httpx.get(f"{base_url}{path}", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)  # poll interval of a condition wait, not a wait for time to pass
    raise TimeoutError(f"server not healthy after {timeout}s:\n{log_path.read_text(errors='replace')}")


@contextmanager
def running_server(database_url: str, workdir: Path, *, timeout: float = 60.0) -> Iterator[RunningServer]:
    """Run `efangtong-server serve` on a free loopback port against `database_url`."""
    port = free_loopback_port()
    log_path = workdir / f"server-{port}.log"
    env = {**os.environ, "EFT_DATABASE_URL": database_url, "EFT_DATA_DIR": str(workdir / "server-data")}
    command = [sys.executable, "-m", "efangtong_server.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base_url, process, log_path, timeout)
        yield RunningServer(base_url=base_url, process=process, log_path=log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
