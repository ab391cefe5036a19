"""`efangtong-server` commands: init-db, create-admin (arguments and interactive), seed-demo (only when empty)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.support.server import running_server


def run_cli(db_url: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `efangtong-server ARGS` against `db_url`."""
    env = {**os.environ, "EFT_DATABASE_URL": db_url}
    return subprocess.run(
        [sys.executable, "-m", "efangtong_server.cli", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_init_db_and_create_admin_then_sign_in(db_url: str, tmp_path: Path) -> None:
    init = run_cli(db_url, "init-db")
    assert init.returncode == 0, init.stderr
    assert "数据库已就绪" in init.stdout
    created = run_cli(db_url, "create-admin", "--username", "boss", "--password", "Strong#Pass1")
    assert created.returncode == 0, created.stderr
    assert "已创建系统管理员 boss" in created.stdout
    again = run_cli(db_url, "create-admin", "--username", "boss", "--password", "Strong#Pass1")
    assert again.returncode == 2
    assert "用户名 boss 已存在" in again.stderr
    weak = run_cli(db_url, "create-admin", "--username", "boss2", "--password", "short")
    assert weak.returncode == 2
    assert "密码长度至少 8 位" in weak.stderr
    with running_server(db_url, tmp_path) as server:
        answer = httpx.post(
            f"{server.base_url}/api/v1/auth/login",
            json={"username": "boss", "password": "Strong#Pass1", "device_id": "cli-test"},
        )
        assert answer.status_code == 200
        assert answer.json()["user"]["roles"] == ["admin"]
        assert answer.json()["user"]["must_change_password"] is False
        refused = httpx.post(
            f"{server.base_url}/api/v1/auth/login",
            json={"username": "boss2", "password": "short", "device_id": "cli-test"},
        )
        assert refused.status_code == 401


def test_create_admin_interactively(sqlite_url: str) -> None:
    mismatch = run_cli(sqlite_url, "create-admin", stdin="chief\nStrong#Pass1\nOther#Pass2\n")
    assert mismatch.returncode == 2
    assert "两次输入的密码不一致" in mismatch.stderr
    created = run_cli(sqlite_url, "create-admin", stdin="chief\nStrong#Pass1\nStrong#Pass1\n")
    assert created.returncode == 0, created.stderr
    assert "已创建系统管理员 chief" in created.stdout


def test_seed_demo_fills_only_an_empty_database(sqlite_url: str) -> None:
    first = run_cli(sqlite_url, "seed-demo", "--petitions", "40", "--seed", "7")
    assert first.returncode == 0, first.stderr
    assert "已生成演示数据：信访件 40 件" in first.stdout
    second = run_cli(sqlite_url, "seed-demo", "--petitions", "40")
    assert second.returncode == 0
    assert "已生成演示数据" not in second.stdout
    negative = run_cli(sqlite_url, "seed-demo", "--petitions", "-1")
    assert negative.returncode == 2
    assert "信访件数量不能为负数" in negative.stderr
