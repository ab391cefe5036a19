"""Analytics routes: the dashboard and the drill-down, scoped by role and unit, with their parameters checked."""

from __future__ import annotations

import pytest

from efangtong_core.vocabulary import Role
from tests.core.analytics import dataset as d
from tests.server.conftest import ServerUnderTest

MARCH = {"period": "month", "day": "2026-03-15"}


@pytest.fixture
def data(server: ServerUnderTest) -> ServerUnderTest:
    with server.sessions() as session:
        d.build(session)
    return server


def test_a_leader_sees_the_county(data: ServerUnderTest) -> None:
    headers = data.headers(data.user(Role.LEADER))
    answer = data.client.get("/api/v1/analytics/dashboard", params=MARCH, headers=headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["filters"]["period"] == {"kind": "month", "start": "2026-03-01", "end": "2026-03-31"}
    assert (body["totals"]["batches"], body["totals"]["persons"]) == (4, 15)
    assert body["timely_acceptance"] == {"numerator": 2, "denominator": 3, "value": pytest.approx(2 / 3)}
    assert body["satisfaction_rate"]["value"] == 0.5
    assert body["top_repeat_petitioners"][0]["masked_id_number"] == "150627********1234"


def test_a_town_handler_sees_only_their_town(data: ServerUnderTest) -> None:
    headers = data.headers(data.user(Role.HANDLER, unit="红庆河镇"))
    body = data.client.get("/api/v1/analytics/dashboard", params=MARCH, headers=headers).json()
    assert (body["totals"]["batches"], body["totals"]["persons"]) == (2, 13)
    assert [town["key"] for town in body["by_town"]] == [d.TOWN_A]
    cases = data.client.get("/api/v1/analytics/cases", params={**MARCH, "figure": "total"}, headers=headers).json()
    assert cases["total"] == 2 and {row["id"] for row in cases["rows"]} == {"p1", "p2"}
    other_town = {**MARCH, "figure": "town", "key": d.TOWN_B}
    assert data.client.get("/api/v1/analytics/cases", params=other_town, headers=headers).json()["total"] == 0


def test_drill_down_pages_with_masked_names(data: ServerUnderTest) -> None:
    headers = data.headers(data.user(Role.INSPECTOR))
    params = {**MARCH, "figure": "total", "limit": 3, "offset": 0}
    first = data.client.get("/api/v1/analytics/cases", params=params, headers=headers).json()
    rest = data.client.get("/api/v1/analytics/cases", params={**params, "offset": 3}, headers=headers).json()
    assert first["total"] == 4 and len(first["rows"]) == 3 and len(rest["rows"]) == 1
    names = {row["petitioner"] for row in first["rows"] + rest["rows"]}
    assert names <= {"张**", "李*", ""}


def test_custom_period_and_filters(data: ServerUnderTest) -> None:
    headers = data.headers(data.user(Role.DISPATCHER))
    params = {"period": "custom", "start": "2026-03-01", "end": "2026-03-31", "category": [d.L1]}
    body = data.client.get("/api/v1/analytics/dashboard", params=params, headers=headers).json()
    assert body["totals"]["batches"] == 2


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"period": "custom", "start": "2026-03-31", "end": "2026-03-01"}, 400),
        ({"period": "custom", "start": "2026-03-01"}, 400),
        ({"period": "month", "start": "2026-03-01"}, 400),
        ({"period": "custom", "start": "2001-01-01", "end": "2099-01-01"}, 400),
        ({"period": "fortnight"}, 422),
        ({"day": "1900-01-01"}, 422),
        ({"day": "2026-02-30"}, 422),
        ({"town": "not an id!"}, 422),
    ],
)
def test_bad_parameters_are_refused_in_chinese(data: ServerUnderTest, params: dict[str, str], status: int) -> None:
    headers = data.headers(data.user(Role.LEADER))
    answer = data.client.get("/api/v1/analytics/dashboard", params=params, headers=headers)
    assert answer.status_code == status, answer.text


def test_drill_down_needs_a_key_for_grouped_figures(data: ServerUnderTest) -> None:
    headers = data.headers(data.user(Role.LEADER))
    answer = data.client.get("/api/v1/analytics/cases", params={**MARCH, "figure": "town"}, headers=headers)
    assert answer.status_code == 400
    assert "须指定分组" in answer.json()["detail"]
