"""A throwaway PostgreSQL cluster for the test session, and fresh databases in it.

`EFT_TEST_PG_URL` names an existing server to use instead (its user must be allowed to CREATE DATABASE). Otherwise the
cluster is created with `initdb` in a temporary directory (as the `postgres` user when the tests run as root, because
initdb refuses root), listens on a free loopback port with its unix socket in that directory, trusts loopback
connections, and is stopped and removed at the end of the session.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

ENV_URL = "EFT_TEST_PG_URL"
PG_BIN_CANDIDATES = ("/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin")


class PostgresUnavailable(RuntimeError):
    """The test PostgreSQL server could not be started or reached."""


def find_pg_bin() -> Path:
    """The directory holding initdb and pg_ctl."""
    for candidate in PG_BIN_CANDIDATES:
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise PostgresUnavailable("找不到 initdb（PostgreSQL 服务器程序未安装）")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class PostgresCluster:
    """A running PostgreSQL cluster (ours or the one named by the environment)."""

    admin_url: URL
    """Connects as a superuser (or a role that may create databases) to the `postgres` database."""
    directory: Path | None = None
    """Our cluster's temporary directory; None for an external server."""
    pg_bin: Path | None = None
    run_as: str | None = None

    def create_database(self) -> URL:
        """Create an empty database and return its URL."""
        name = f"eft_test_{uuid.uuid4().hex[:12]}"
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
        finally:
            engine.dispose()
        return self.admin_url.set(database=name)

    def drop_database(self, url: URL) -> None:
        """Drop a database made by `create_database`, disconnecting whoever still uses it."""
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        finally:
            engine.dispose()

    def stop(self) -> None:
        """Stop our cluster and remove its directory (nothing for an external server)."""
        if self.directory is None or self.pg_bin is None:
            return
        _run(self.run_as, [str(self.pg_bin / "pg_ctl"), "-D", str(self.directory / "data"), "-m", "immediate", "stop"])
        shutil.rmtree(self.directory, ignore_errors=True)


def _run(user: str | None, argv: list[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    if user is not None:
        argv = ["runuser", "-u", user, "--", *argv]
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)


def _check_reachable(url: URL) -> None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        raise PostgresUnavailable(f"无法连接 {url.render_as_string(hide_password=True)}：{error}") from error
    finally:
        engine.dispose()


def start_cluster() -> PostgresCluster:
    """Start a throwaway cluster, or adopt the server named by EFT_TEST_PG_URL."""
    external = os.environ.get(ENV_URL)
    if external:
        url = make_url(external)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        _check_reachable(url)
        return PostgresCluster(admin_url=url)

    pg_bin = find_pg_bin()
    run_as = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError as error:
            raise PostgresUnavailable("以 root 运行但系统没有 postgres 用户（initdb 拒绝以 root 运行）") from error
        run_as = "postgres"
    directory = Path(tempfile.mkdtemp(prefix="eft-pg-"))
    if run_as is not None:
        shutil.chown(directory, user=run_as)
    data = directory / "data"
    init = _run(
        run_as,
        [str(pg_bin / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"],
    )
    if init.returncode != 0:
        shutil.rmtree(directory, ignore_errors=True)
        raise PostgresUnavailable(f"initdb 失败：{init.stderr.strip() or init.stdout.strip()}")
    port = free_port()
    options = (
        f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=200"
    )
    log = directory / "server.log"
    start = _run(run_as, [str(pg_bin / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start"])
    cluster = PostgresCluster(
        admin_url=URL.create(
            "postgresql+psycopg", username="postgres", host="127.0.0.1", port=port, database="postgres"
        ),
        directory=directory,
        pg_bin=pg_bin,
        run_as=run_as,
    )
    if start.returncode != 0:
        detail = log.read_text(errors="replace")[-2000:] if log.exists() else start.stderr
        cluster.stop()
        raise PostgresUnavailable(f"pg_ctl start 失败：{detail.strip()}")
    try:
        _check_reachable(cluster.admin_url)
    except PostgresUnavailable:
        cluster.stop()
        raise
    return cluster


@contextlib.contextmanager
def running_cluster() -> Iterator[PostgresCluster]:
    """A cluster for the duration of the block."""
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        cluster.stop()
