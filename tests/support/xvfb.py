"""A real X server for end-to-end desktop tests: Xvfb with two 1920×1080 screens, like a counter PC with a big screen.

Xvfb picks a free display number itself and writes it to the `-displayfd` pipe once it accepts connections, so
there is no guessing of numbers (no races between parallel runs) and no sleeping: we wait on that pipe.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.components import component_unavailable

DEFAULT_SCREENS: tuple[tuple[int, int], ...] = ((1920, 1080), (1920, 1080))
START_TIMEOUT = 30.0


class XvfbUnavailable(RuntimeError):
    """Xvfb is not installed or did not start."""


@dataclass
class XvfbServer:
    """A running Xvfb and the DISPLAY value that reaches it."""

    display: str
    process: subprocess.Popen[bytes]
    log_path: Path
    screens: tuple[tuple[int, int], ...] = field(default=DEFAULT_SCREENS)

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """An environment for a Qt program on this server (xcb platform, no Wayland)."""
        env = dict(os.environ if base is None else base)
        env.pop("WAYLAND_DISPLAY", None)
        env.update(DISPLAY=self.display, QT_QPA_PLATFORM="xcb")
        return env

    def stop(self) -> None:
        """Terminate the server and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log_path.unlink(missing_ok=True)


def _read_display_number(read_fd: int, process: subprocess.Popen[bytes], timeout: float) -> str:
    deadline = time.monotonic() + timeout
    received = b""
    while not received.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise XvfbUnavailable(f"Xvfb 在 {timeout:.0f} 秒内没有报告显示号")
        ready, _, _ = select.select([read_fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(read_fd, 64)
        if not chunk:  # the write end closed: Xvfb exited before it was ready
            process.wait(timeout=10)
            raise XvfbUnavailable(f"Xvfb 启动失败（退出码 {process.returncode}）")
        received += chunk
    return received.decode("ascii").strip()


def start_xvfb(screens: Sequence[tuple[int, int]] = DEFAULT_SCREENS, depth: int = 24) -> XvfbServer:
    """Start Xvfb with one X screen per (width, height) and return once it accepts connections."""
    executable = shutil.which("Xvfb")
    if executable is None:
        raise XvfbUnavailable("找不到 Xvfb 程序（Debian 软件包 xvfb）")
    command = [executable, "-displayfd", "", "-nolisten", "tcp", "-noreset"]
    for number, (width, height) in enumerate(screens):
        command += ["-screen", str(number), f"{width}x{height}x{depth}"]
    log = tempfile.NamedTemporaryFile(prefix="xvfb-", suffix=".log", delete=False)  # noqa: SIM115 - kept for errors
    read_fd, write_fd = os.pipe()
    command[2] = str(write_fd)
    try:
        process = subprocess.Popen(
            command, pass_fds=(write_fd,), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
    except OSError as error:
        os.close(read_fd)
        raise XvfbUnavailable(f"无法运行 Xvfb：{error}") from error
    finally:
        os.close(write_fd)
        log.close()
    try:
        display_number = _read_display_number(read_fd, process, START_TIMEOUT)
    except XvfbUnavailable as error:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        output = Path(log.name).read_text(encoding="utf-8", errors="replace").strip()[-2000:]
        Path(log.name).unlink(missing_ok=True)
        raise XvfbUnavailable(f"{error}\n{output}") from None
    finally:
        os.close(read_fd)
    return XvfbServer(display=f":{display_number}", process=process, log_path=Path(log.name), screens=tuple(screens))


@pytest.fixture(scope="session")
def xvfb() -> Iterator[XvfbServer]:
    """A two-screen Xvfb for the session; fails under CI and skips elsewhere when it cannot start."""
    try:
        server = start_xvfb()
    except XvfbUnavailable as error:
        component_unavailable("Xvfb", str(error))
    try:
        yield server
    finally:
        server.stop()
