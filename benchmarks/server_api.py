"""Server API latency under 50 concurrent clients on loopback: login, a list route and a detail route of e访通,
and the same three for a minimal FastAPI app in the same run; prints p50/p95, throughput and the ratios.

    .venv/bin/python benchmarks/server_api.py [--clients 50] [--requests 3000] [--logins 300] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.load import LoadResult, run_load  # noqa: E402
from efangtong_core.db import open_database, session_factory  # noqa: E402
from efangtong_core.models import OrgUnit, RoleGrant, User  # noqa: E402
from efangtong_server.auth.admin_account import bureau_unit, create_admin  # noqa: E402
from efangtong_server.auth.passwords import hash_password  # noqa: E402
from tests.support.server import free_loopback_port, wait_until_healthy  # noqa: E402

ADMIN, PASSWORD = "bench-admin", "Bench#Admin2026"


def prepare_database(url: str, users: int) -> None:
    """An administrator and `users` further users spread over ten units."""
    engine = open_database(url)
    with session_factory(engine)() as session:
        create_admin(session, username=ADMIN, password=PASSWORD)
        bureau = bureau_unit(session)
        units = [OrgUnit(name=f"测试单位{n}", kind="department", parent_id=bureau.id) for n in range(10)]
        session.add_all(units)
        session.flush()
        password_hash = hash_password(PASSWORD)
        for n in range(users):
            user = User(
                username=f"user{n:04d}",
                display_name=f"用户{n}",
                password_hash=password_hash,
                must_change_password=False,
                org_unit_id=units[n % 10].id,
            )
            session.add(user)
            session.flush()
            session.add(RoleGrant(user_id=user.id, role="clerk", scope_unit_id=user.org_unit_id))
        session.commit()
    engine.dispose()


@contextmanager
def serve(app: str, env: dict[str, str], workdir: Path, *, factory: bool) -> Iterator[str]:
    """Run `app` under uvicorn (one process, no access log) on a free loopback port; yields its base URL."""
    port = free_loopback_port()
    log_path = workdir / f"{port}.log"
    command = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--no-access-log", "--log-level", "warning"] + (["--factory"] if factory else [])
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base_url, process, log_path, 60.0, path="/openapi.json")
        yield base_url
    except Exception:
        print(log_path.read_text(errors="replace")[-3000:], file=sys.stderr)
        raise
    finally:
        process.terminate()
        process.wait(timeout=10)


def measure(base: str, paths: dict[str, str], args: argparse.Namespace) -> dict[str, LoadResult]:
    """Login, list and detail under load against one server."""
    login_body = {"username": ADMIN, "password": PASSWORD, "device_id": str(uuid.uuid4())}
    token = httpx.post(base + paths["login"], json=login_body).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    detail = paths["detail"]
    run_load(lambda n: ("GET", base + paths["list"], auth, None), clients=args.clients, total=200)  # warm-up
    return {
        "login": run_load(
            lambda n: ("POST", base + paths["login"], {}, login_body), clients=args.clients, total=args.logins
        ),
        "list": run_load(
            lambda n: ("GET", base + paths["list"], auth, None), clients=args.clients, total=args.requests
        ),
        "detail": run_load(lambda n: ("GET", base + detail, auth, None), clients=args.clients, total=args.requests),
    }


def main() -> None:
    """Run both servers, load each in turn, print the figures and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--logins", type=int, default=300)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--database-url", help="默认：临时目录中的 SQLite 文件")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="eft-bench-") as tmp:
        workdir = Path(tmp)
        url = args.database_url or f"sqlite:///{workdir / 'server.sqlite'}"
        prepare_database(url, args.users)
        env = {**os.environ, "EFT_DATABASE_URL": url, "EFT_DATA_DIR": str(workdir / "data")}
        with serve("efangtong_server.app:create_app", env, workdir, factory=True) as base:
            some_user = httpx.get(
                f"{base}/api/v1/admin/users",
                headers={
                    "Authorization": "Bearer "
                    + httpx.post(
                        f"{base}/api/v1/auth/login",
                        json={"username": ADMIN, "password": PASSWORD, "device_id": str(uuid.uuid4())},
                    ).json()["access_token"]
                },
                params={"limit": 1},
            ).json()
            first_id = (some_user["items"] if isinstance(some_user, dict) else some_user)[0]["id"]
            ours = measure(
                base,
                {
                    "login": "/api/v1/auth/login",
                    "list": "/api/v1/admin/users?limit=50",
                    "detail": f"/api/v1/admin/users/{first_id}",
                },
                args,
            )
        with serve("benchmarks.minimal_app:app", env, workdir, factory=False) as base:
            bare = measure(base, {"login": "/login", "list": "/items", "detail": "/items/7"}, args)
    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"e访通 server API vs minimal FastAPI — {args.clients} concurrent clients on loopback, database {database}")
    for name in ("login", "list", "detail"):
        print(ours[name].line(f"e访通 {name}"))
        print(bare[name].line(f"minimal FastAPI {name}"))
        print(
            f"{'ratio ' + name:<28} p50 ×{ours[name].p50_ms / bare[name].p50_ms:.2f}  "
            f"p95 ×{ours[name].p95_ms / bare[name].p95_ms:.2f}  "
            f"throughput ×{ours[name].throughput / bare[name].throughput:.2f}"
        )


if __name__ == "__main__":
    main()
