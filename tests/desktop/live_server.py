"""A real central server on loopback for desktop tests, an administrator on it, and a keyring in a temporary home.

Import the fixtures into a test module (`from tests.desktop.live_server import live_server, keyring_home`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.backend
import pytest
from PySide6.QtTest import QTest

from efangtong_desktop.services.api_client import ApiClient
from efangtong_desktop.services.token_store import MemoryTokenStore
from tests.support.server import RunningServer, running_server

ADMIN = "admin"
ADMIN_PASSWORD = "Root#2026pw"
USER_PASSWORD = "Counter#2026"
"""The initial password the administrator gives a new user."""
READY_PASSWORD = "Ready#2026pw"
"""The password of a user made with `must_change_password=False` (they changed the initial one already)."""
WAIT_MS = 20000


@dataclass
class LiveServer:
    """A running server with its first administrator."""

    server: RunningServer
    database_url: str

    @property
    def url(self) -> str:
        """The base URL."""
        return self.server.base_url

    def admin_client(self) -> ApiClient:
        """A fresh client signed in as the administrator (tokens in memory)."""
        client = ApiClient(self.url, MemoryTokenStore())
        client.login(ADMIN, ADMIN_PASSWORD, device_id=str(uuid.uuid4()), device_name="test-admin")
        return client

    def bureau_id(self) -> str:
        """The id of the bureau's org unit."""
        units = self.admin_client().get("/admin/org-units")
        return next(unit["id"] for unit in units if unit["kind"] == "bureau")

    def make_user(self, role: str, *, must_change_password: bool = False, display_name: str = "测试用户") -> str:
        """Create a user of the bureau holding `role`; returns the username.

        The password is USER_PASSWORD when it must still be changed, READY_PASSWORD otherwise.
        """
        admin = self.admin_client()
        bureau = self.bureau_id()
        username = f"{role}{uuid.uuid4().hex[:6]}"
        body = {"username": username, "display_name": display_name, "org_unit_id": bureau, "password": USER_PASSWORD}
        user = admin.post("/admin/users", body)
        admin.post(f"/admin/users/{user['id']}/grants", {"role": role, "scope_unit_id": bureau})
        if not must_change_password:
            own = ApiClient(self.url, MemoryTokenStore())
            own.login(username, USER_PASSWORD, device_id=str(uuid.uuid4()), device_name="test")
            assert not own.change_password(USER_PASSWORD, READY_PASSWORD).must_change_password
        return username


def create_admin(database_url: str, workdir: Path) -> None:
    """`efangtong-server create-admin` on the database."""
    env = {**os.environ, "EFT_DATABASE_URL": database_url, "EFT_DATA_DIR": str(workdir / "server-data")}
    command = [sys.executable, "-m", "efangtong_server.cli", "create-admin", "--username", ADMIN]
    command += ["--password", ADMIN_PASSWORD]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server per test module on a SQLite file, with the administrator `admin`."""
    workdir = tmp_path_factory.mktemp("server")
    database_url = f"sqlite:///{workdir / 'server.sqlite3'}"
    create_admin(database_url, workdir)
    with running_server(database_url, workdir) as server:
        yield LiveServer(server=server, database_url=database_url)


@pytest.fixture
def keyring_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A home whose keyringrc.cfg selects keyrings.alt's file backend; the application's own detection finds it."""
    config = tmp_path / "xdg-config"
    data = tmp_path / "xdg-data"
    (config / "python_keyring").mkdir(parents=True)
    (config / "python_keyring" / "keyringrc.cfg").write_text(
        "[backend]\ndefault-keyring=keyrings.alt.file.PlaintextKeyring\n", encoding="utf-8"
    )
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    previous: keyring.backend.KeyringBackend = keyring.get_keyring()
    yield data
    keyring.set_keyring(previous)


def wait_until(condition: Callable[[], object], timeout_ms: int = WAIT_MS) -> None:
    """Process Qt events until `condition()` holds; fail after the timeout (PySide6 has no QTest.qWaitFor)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        QTest.qWait(10)  # runs the event loop for 10 ms: queued task results are delivered meanwhile
