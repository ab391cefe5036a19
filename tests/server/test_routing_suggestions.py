"""Routing suggestions (分办建议): rules first, then history by category × town and by similar content; the route
answers a dispatcher for a petition or for facts, refuses nothing-to-go-on in Chinese (both databases)."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from efangtong_core import routing_suggestions
from efangtong_core.db import session_factory
from efangtong_core.models import ContentCategory, OrgUnit, Petition, RoutingRule
from efangtong_core.routing_profile import HistoricalCase, RoutingProfile, bigrams
from efangtong_core.routing_suggestions import forget_profiles, suggest_units, suggested_ids
from efangtong_core.vocabulary import Role
from tests.server.conftest import ServerUnderTest

WAGES = "某建筑公司拖欠农民工工资三个月，包工头失联，请求帮助追讨。"
LAND = "村里征地补偿款分配不公，外嫁女没有分到补偿款。"
_codes = itertools.count(1)


@dataclass
class World:
    """Units and categories of a small county."""

    bureau: str
    town_a: str
    town_b: str
    labour: str
    land: str
    closed_unit: str
    wages: str
    compensation: str


def _world(session: Session) -> World:
    bureau = OrgUnit(name="伊金霍洛旗信访局", kind="bureau")
    session.add(bureau)
    session.flush()
    units = {
        name: OrgUnit(name=name, kind=kind, parent_id=bureau.id, active=name != "撤并单位")
        for name, kind in (
            ("札萨克镇", "town"),
            ("乌兰木伦镇", "town"),
            ("人社局", "department"),
            ("自然资源局", "department"),
            ("撤并单位", "department"),
        )
    }
    labour, land = ContentCategory(code="90", name="劳动社保"), ContentCategory(code="91", name="城乡建设")
    session.add_all([*units.values(), labour, land])
    session.flush()
    wages = ContentCategory(code="9001", name="拖欠工资", parent_id=labour.id)
    compensation = ContentCategory(code="9101", name="征地补偿", parent_id=land.id)
    session.add_all([wages, compensation])
    session.commit()
    return World(
        bureau.id,
        units["札萨克镇"].id,
        units["乌兰木伦镇"].id,
        units["人社局"].id,
        units["自然资源局"].id,
        units["撤并单位"].id,
        wages.id,
        compensation.id,
    )


def _history(session: Session, world: World, cases: list[tuple[str, str, str, str]]) -> None:
    """Routed past cases: (category, town, content, lead unit)."""
    start = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
    for number, (category, town, content, unit) in enumerate(cases):
        session.add(
            Petition(
                query_code=f"H{next(_codes):07d}",
                form="visit",
                purpose="request",
                category_id=category,
                town_id=town,
                content=content,
                registering_unit_id=world.bureau,
                registered_at=start + timedelta(hours=number),
                state="closed",
                lead_unit_id=unit,
            )
        )
    session.commit()


@pytest.fixture
def world(db_engine: Engine) -> World:
    forget_profiles()
    with session_factory(db_engine)() as session:
        return _world(session)


def test_rules_come_first_then_history_with_chinese_reasons(db_engine: Engine, world: World) -> None:
    with session_factory(db_engine)() as session:
        session.add_all(
            [
                RoutingRule(category_id=world.wages, town_id=None, unit_id=world.labour),
                RoutingRule(category_id=world.wages, town_id=world.town_a, unit_id=world.town_a, priority=1),
                RoutingRule(category_id=world.wages, town_id=None, unit_id=world.land, active=False),
            ]
        )
        _history(session, world, [(world.wages, world.town_b, WAGES, world.land)] * 4)
        found = suggest_units(session, category_id=world.wages, town_id=world.town_a, content=WAGES)
    assert suggested_ids(found) == [world.town_a, world.labour, world.land]
    assert [s.source for s in found] == ["rule", "rule", "history"]
    assert found[0].score == 1.0 and found[1].score == 0.95 and 0 < found[2].score < 0.9
    assert found[0].reason == "符合分办规则（内容分类「拖欠工资」，问题属地「札萨克镇」）"
    assert found[1].reason == "符合分办规则（内容分类「拖欠工资」，不限属地）"
    assert "由该单位主办" in found[2].reason and found[2].unit_name == "自然资源局"


def test_a_town_handling_its_own_matters_suggests_the_town_of_a_new_matter(db_engine: Engine, world: World) -> None:
    with session_factory(db_engine)() as session:
        _history(session, world, [(world.wages, world.town_b, WAGES, world.town_b)] * 4)
        _history(session, world, [(world.wages, world.town_b, WAGES, world.labour)])
        found = suggest_units(session, category_id=world.wages, town_id=world.town_a, content=WAGES)
    assert suggested_ids(found) == [world.town_a, world.labour]
    assert found[0].unit_name == "札萨克镇" and found[0].source == "history"


def test_history_ranks_by_category_and_town_and_skips_closed_units(db_engine: Engine, world: World) -> None:
    with session_factory(db_engine)() as session:
        _history(
            session,
            world,
            [(world.wages, world.town_a, WAGES, world.labour)] * 5
            + [(world.wages, world.town_a, WAGES, world.town_a)] * 2
            + [(world.wages, world.town_b, WAGES, world.town_b)] * 6
            + [(world.wages, world.town_a, WAGES, world.closed_unit)] * 9,
        )
        found = suggest_units(session, category_id=world.wages, town_id=world.town_a, content=WAGES, limit=2)
        nothing = suggest_units(session, category_id=world.wages, town_id=world.town_a, content=WAGES, limit=0)
    assert suggested_ids(found) == [world.labour, world.town_a]
    assert found[0].reason.startswith("历史案件：同一分类、同一属地的 16 件中有 5 件由该单位主办")
    assert nothing == []


def test_similar_content_decides_between_units_of_one_category() -> None:
    cases = [HistoricalCase("c", "t", WAGES, "labour")] * 3 + [HistoricalCase("c", "t", LAND, "land")] * 3
    profile = RoutingProfile.build(cases)
    wages = profile.rank(category_id="c", town_id="t", content="工资被拖欠，包工头失联")
    land = profile.rank(category_id="c", town_id="t", content="征地补偿款分配")
    assert wages[0].unit_id == "labour" and land[0].unit_id == "land"
    assert RoutingProfile.build([]).rank(category_id="c", town_id="t", content=WAGES) == []
    assert bigrams("工资，拖欠")["工资"] == 1 and "资，" not in bigrams("工资，拖欠")


def test_a_new_case_is_learned_after_the_profile_is_refreshed(db_engine: Engine, world: World) -> None:
    with session_factory(db_engine)() as session:
        assert suggest_units(session, category_id=world.compensation, town_id=world.town_b, content=LAND) == []
        _history(session, world, [(world.compensation, world.town_b, LAND, world.land)])
        forget_profiles()
        [first] = suggest_units(session, category_id=world.compensation, town_id=world.town_b, content=LAND, limit=1)
    assert first.unit_id == world.land


def _dispatcher_headers(server: ServerUnderTest, role: Role = Role.DISPATCHER) -> dict[str, str]:
    return server.headers(server.user(role, unit="伊金霍洛旗信访局"))


def test_route_suggests_for_a_petition_or_for_facts(server: ServerUnderTest) -> None:
    forget_profiles()
    with server.sessions() as session:
        world = _world(session)
        session.add(RoutingRule(category_id=world.wages, town_id=None, unit_id=world.labour))
        _history(session, world, [(world.wages, world.town_a, WAGES, world.town_a)] * 3)
        new = Petition(
            query_code="NEW00001",
            form="visit",
            purpose="request",
            category_id=world.wages,
            town_id=world.town_a,
            content=WAGES,
            registering_unit_id=world.bureau,
            state="registered",
        )
        session.add(new)
        session.commit()
        new_id = new.id
    headers = _dispatcher_headers(server)
    answer = server.client.get("/api/v1/routing/suggestions", params={"petition_id": new_id}, headers=headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["petition_id"] == new_id
    assert [item["unit_id"] for item in body["items"]] == [world.labour, world.town_a]
    assert body["items"][0]["unit_name"] == "人社局" and body["items"][0]["source"] == "rule"
    by_facts = server.client.get(
        "/api/v1/routing/suggestions",
        params={"category_id": world.wages, "town_id": world.town_a, "content": WAGES, "limit": 1},
        headers=_dispatcher_headers(server, Role.LEADER),
    )
    assert [item["unit_id"] for item in by_facts.json()["items"]] == [world.labour]
    missing = server.client.get(
        "/api/v1/routing/suggestions", params={"petition_id": "0" * 8 + "-0000-4000-8000-" + "0" * 12}, headers=headers
    )
    assert missing.status_code == 404 and missing.json()["detail"] == "信访件不存在"
    empty = server.client.get("/api/v1/routing/suggestions", headers=headers)
    assert empty.status_code == 422 and "至少一项" in str(empty.json()["detail"])
    handler = server.headers(server.user(Role.HANDLER, unit="札萨克镇"))
    refused = server.client.get("/api/v1/routing/suggestions", params={"content": WAGES}, headers=handler)
    assert refused.status_code == 403


def test_a_stale_profile_is_rebuilt_in_the_background_while_the_old_one_serves(
    db_engine: Engine, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routing_suggestions, "REBUILD_AFTER", 0.0)
    with session_factory(db_engine)() as session:
        _history(session, world, [(world.compensation, world.town_b, LAND, world.labour)])
        first = routing_suggestions.profile_for(session)
        assert routing_suggestions.profile_for(session) is first  # nothing changed: the same profile
        _history(session, world, [(world.compensation, world.town_b, LAND, world.land)] * 3)
        assert routing_suggestions.profile_for(session) is first  # changed: served while a new one is built
        deadline = time.monotonic() + 30
        while routing_suggestions.profile_for(session) is first:  # wait for the refresh, with a timeout
            assert time.monotonic() < deadline, "the profile was not refreshed"
            time.sleep(0.01)
        [top] = suggest_units(session, category_id=world.compensation, town_id=world.town_b, content=LAND, limit=1)
    assert top.unit_id == world.land
