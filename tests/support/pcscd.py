"""A private pcscd with vsmartcard's vpcd driver for end-to-end card-reader tests (DESIGN.md §5).

pcsc-lite 1.9.9's daemon always puts its socket in /run/pcscd, while its client library honours
PCSCLITE_CSOCK_NAME. So the daemon runs in its own mount namespace (`unshare --mount`, as root) with a temporary
directory bound over /run/pcscd, and this process points the client library at that directory's socket: the test's
pcscd never meets the system's. Without root, and when no system pcscd is running, it falls back to /run/pcscd
itself. Its reader.conf.d holds one vpcd entry on a free TCP port: vpcd offers the readers "Virtual PCD 00 00" and
"Virtual PCD 00 01" on that port and the next, and a process that connects to one of them is a card put on it.

The client library reads PCSCLITE_CSOCK_NAME once per process, so one socket path serves the whole session; the
daemon may be stopped and started again on it (to unplug every reader at once).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
SYSTEM_SOCKET_DIR = Path("/run/pcscd")
START_TIMEOUT = 20.0
READY_LINE = "daemon ready"
FIRST_READER = "Virtual PCD 00 00"


class PcscdUnavailable(RuntimeError):
    """pcscd or the vpcd driver is not installed, or the daemon did not start."""


def _free_port_pair() -> int:
    """A TCP port p on 127.0.0.1 such that p and p + 1 are both free now."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        if port >= 65535:
            continue
        with socket.socket() as second:
            try:
                second.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise PcscdUnavailable("no two consecutive free TCP ports")


@dataclass
class Pcscd:
    """One pcscd process (restartable) with a vpcd reader pair; `port` is the first reader's vpcd port."""

    base_dir: Path
    private: bool
    port: int = field(default_factory=_free_port_pair)
    process: subprocess.Popen[str] | None = None
    log_lines: list[str] = field(default_factory=list)

    @property
    def socket_dir(self) -> Path:
        """Where the daemon's socket lives, as seen from this process."""
        return self.base_dir / "run" if self.private else SYSTEM_SOCKET_DIR

    @property
    def socket_path(self) -> Path:
        """The daemon's socket (what PCSCLITE_CSOCK_NAME must name)."""
        return self.socket_dir / "pcscd.comm"

    @property
    def config_dir(self) -> Path:
        """The reader.conf.d directory the daemon reads."""
        return self.base_dir / "reader.conf.d"

    def write_config(self) -> None:
        """Write the vpcd reader entry for `port` (the driver takes the port in hex)."""
        self.config_dir.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        (self.config_dir / "vpcd").write_text(
            f'FRIENDLYNAME "Virtual PCD"\nDEVICENAME /dev/null:0x{self.port:04X}\n'
            f"LIBPATH {VPCD_DRIVER}\nCHANNELID 0x{self.port:04X}\n",
            encoding="ascii",
        )

    def _command(self) -> list[str]:
        daemon = ["pcscd", "--foreground", "--info", "--config", str(self.config_dir)]
        if not self.private:
            return daemon
        script = 'mount --bind "$1" /run/pcscd && shift && exec "$@"'
        return [
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            script,
            "sh",
            str(self.socket_dir),
            *daemon,
        ]

    def start(self) -> None:
        """Start the daemon and wait (on its log) until it says it is ready."""
        self.log_lines.clear()
        if self.socket_path.exists():
            self.socket_path.unlink()
        process = subprocess.Popen(
            self._command(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
        )
        self.process = process
        ready = threading.Event()

        def follow() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                self.log_lines.append(line.rstrip())
                if READY_LINE in line:
                    ready.set()
            ready.set()

        threading.Thread(target=follow, name="pcscd-log", daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT
        ready.wait(START_TIMEOUT)
        # pcsc-lite 1.9.9 logs "ready" just before it creates its socket: wait for the socket file too.
        gone = threading.Event()
        while not self.socket_path.exists() and process.poll() is None and time.monotonic() < deadline:
            gone.wait(0.005)
        if not self.socket_path.exists() or process.poll() is not None:
            self.stop()
            raise PcscdUnavailable("pcscd did not start: " + " | ".join(self.log_lines[-5:]))

    def stop(self) -> None:
        """Stop the daemon this fixture started (by its process id) and wait for it."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def can_use_private_namespace() -> bool:
    """Whether this process may make a mount namespace (root, with unshare available)."""
    return os.geteuid() == 0 and shutil.which("unshare") is not None and SYSTEM_SOCKET_DIR.is_dir()


def start_pcscd(base_dir: Path) -> Pcscd:
    """Start a pcscd with vpcd readers under `base_dir`; raises PcscdUnavailable with the reason."""
    if shutil.which("pcscd") is None:
        raise PcscdUnavailable("pcscd is not installed (Debian package pcscd)")
    if not VPCD_DRIVER.exists():
        raise PcscdUnavailable(f"the vpcd driver is not installed ({VPCD_DRIVER}; Debian package vsmartcard-vpcd)")
    private = can_use_private_namespace()
    if not private and (SYSTEM_SOCKET_DIR / "pcscd.comm").exists():
        raise PcscdUnavailable("a system pcscd is running and a private one needs root (unshare --mount)")
    daemon = Pcscd(base_dir=base_dir, private=private)
    daemon.write_config()
    if private:
        os.environ["PCSCLITE_CSOCK_NAME"] = str(daemon.socket_path)
    daemon.start()
    return daemon


def wait_for_card(reader: str, *, present: bool, timeout: float = START_TIMEOUT) -> None:
    """Block on SCardGetStatusChange until `reader` holds a card (or is empty); AssertionError after `timeout`."""
    from smartcard import scard

    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    assert hresult == scard.SCARD_S_SUCCESS, f"pcscd unreachable: {hresult:#x}"
    try:
        state = scard.SCARD_STATE_UNAWARE
        deadline = time.monotonic() + timeout
        while True:
            remaining = max(0, int((deadline - time.monotonic()) * 1000))
            hresult, states = scard.SCardGetStatusChange(context, remaining, [(reader, state)])
            assert hresult == scard.SCARD_S_SUCCESS, f"{reader}: no {'card' if present else 'removal'} in time"
            event = states[0][1]
            if bool(event & scard.SCARD_STATE_PRESENT) == present:
                return
            state = event & ~scard.SCARD_STATE_CHANGED
    finally:
        scard.SCardReleaseContext(context)
