"""On a real server subprocess (SQLite and PostgreSQL): concurrent pushes share one gap-free order, concurrent
duplicate delivery is applied once, and a town handler's pull never carries another town's cases or their ids."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from efangtong_core.models import Petitioner, SyncReceipt
from tests.sync.live import Live, live_server, sign_in
from tests.sync.support import open_replica, register_petition

WRITERS = 6


@pytest.fixture
def live(db_url: str, tmp_path: Path) -> Iterator[Live]:
    """A server on `db_url` (both databases)."""
    with live_server(db_url, tmp_path) as running:
        yield running


def _batch(size: int) -> list[dict[str, Any]]:
    now = datetime.now(UTC).isoformat()
    return [
        {
            "change_id": str(uuid.uuid4()),
            "table": "petitioner",
            "row_id": str(uuid.uuid4()),
            "op": "upsert",
            "values": {"name": f"并发{n}"},
            "client_time": now,
        }
        for n in range(size)
    ]


def _push(base_url: str, token: str, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    answer = httpx.post(
        f"{base_url}/api/v1/sync/push",
        json={"protocol": 1, "changes": changes},
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    results: list[dict[str, Any]] = answer.json()["results"]
    return results


def test_concurrent_pushes_and_concurrent_duplicates(live: Live) -> None:
    base = live.server.base_url
    token = sign_in(base, live.accounts.clerk)
    batches = [_batch(40) for _ in range(WRITERS)]
    twice = [*batches, batches[0], batches[1]]  # two batches delivered twice, at the same time as the others
    with ThreadPoolExecutor(len(twice)) as pool:
        answers = list(pool.map(lambda changes: _push(base, token, changes), twice))
    assert all(result["outcome"] == "accepted" for batch in answers for result in batch)
    assert answers[WRITERS] == answers[0] and answers[WRITERS + 1] == answers[1]
    seqs = sorted(result["server_seq"] for batch in answers[:WRITERS] for result in batch)
    assert len(set(seqs)) == WRITERS * 40
    with live.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(SyncReceipt)).scalar_one() == WRITERS * 40
        assert connection.execute(select(func.count()).select_from(Petitioner)).scalar_one() == WRITERS * 40
    pulled: set[str] = set()
    cursor, more = 0, True
    while more:
        page = httpx.get(
            f"{base}/api/v1/sync/pull",
            params={"cursor": cursor, "limit": 50},
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        ).json()
        pulled |= {row["values"]["id"] for row in page["rows"] if row["table"] == "petitioner"}
        cursor, more = page["next_cursor"], page["has_more"]
    assert pulled == {change["row_id"] for batch in batches for change in batch}


def test_town_handler_pull_carries_no_other_town_case_or_id(live: Live, tmp_path: Path) -> None:
    base = live.server.base_url
    accounts = live.accounts
    clerk_token = sign_in(base, accounts.clerk)
    from sync.client import RequestsTransport

    bureau = open_replica(tmp_path / "bureau.sqlite")
    engine = bureau.client(RequestsTransport(base, lambda: clerk_token))
    engine.sync()
    ours = register_petition(bureau, unit_id=accounts.bureau, town_id=accounts.wulan, name="乌兰木伦镇人")
    theirs = register_petition(bureau, unit_id=accounts.bureau, town_id=accounts.zhasake, name="札萨克镇人")
    engine.sync()
    token = sign_in(base, accounts.handler)
    page = httpx.get(
        f"{base}/api/v1/sync/pull", params={"limit": 2000}, headers={"Authorization": f"Bearer {token}"}, timeout=60
    ).json()
    text = json.dumps(page, ensure_ascii=False)
    assert all(row_id in text for row_id in ours)
    assert not any(row_id in text for row_id in theirs) and "札萨克镇人" not in text
    assert "password_hash" not in text
