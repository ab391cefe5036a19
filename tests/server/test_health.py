"""The server skeleton: health, OpenAPI and Chinese error answers, over real HTTP on loopback."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.support.server import running_server


def test_health_answers_on_both_databases(db_url: str, tmp_path: Path) -> None:
    with running_server(db_url, tmp_path) as server:
        answer = httpx.get(f"{server.base_url}/api/v1/health").json()
    assert answer["status"] == "ok"
    assert answer["database"] == db_url.split(":")[0].split("+")[0]
    assert answer["schema_revision"]


def test_openapi_and_chinese_errors(tmp_path: Path) -> None:
    with running_server(f"sqlite:///{tmp_path / 'server.sqlite'}", tmp_path) as server:
        spec = httpx.get(f"{server.base_url}/openapi.json").json()
        missing = httpx.get(f"{server.base_url}/api/v1/no-such-route")
        wrong_method = httpx.delete(f"{server.base_url}/api/v1/health")
    assert "/api/v1/health" in spec["paths"]
    assert missing.status_code == 404
    assert missing.json() == {"detail": "请求的内容不存在"}
    assert wrong_method.status_code == 405
    assert wrong_method.json() == {"detail": "不支持的请求方法"}
