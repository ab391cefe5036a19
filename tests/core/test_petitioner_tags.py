"""Computed petitioner tags at their edges (3 petitions in 12 months, 365/366 days, organisers), on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from efangtong_core.models import Petition
from efangtong_core.petitioner_tags import Tag, tag_counts, tags_of, year_before
from tests.core import petitioner_sample
from tests.core.petitioner_sample import NOW, World, person, petition, reference

module_engine = petitioner_sample.module_engine  # one database per module and kind
session = petitioner_sample.session


@pytest.fixture
def world(session: Session) -> World:
    """Reference rows."""
    return reference(session)


def test_three_petitions_in_the_last_twelve_months_make_a_repeated_petitioner(session: Session, world: World) -> None:
    exactly = person(session, "恰好三次")
    for days in (1, 100, 364.9):
        petition(session, world, exactly, days_ago=days)
    two_and_old = person(session, "两次加一旧")
    for days in (1, 100, 365.1):
        petition(session, world, two_and_old, days_ago=days)
    as_representative = person(session, "代表一次")
    for days in (5, 50):
        petition(session, world, as_representative, days_ago=days)
    leader = person(session, "集体访人")
    petition(session, world, leader, days_ago=10, representatives=(as_representative,))
    both = person(session, "既是信访人又是代表")
    petition(session, world, both, days_ago=3, representatives=(both,))  # counts once
    petition(session, world, both, days_ago=4)
    tags = tags_of(session, [exactly, two_and_old, as_representative, both], NOW)
    assert tags[exactly] == (Tag.REPEATED,)
    assert tags[two_and_old] == ()
    assert tags[as_representative] == (Tag.REPEATED,)
    assert tags[both] == ()
    assert tag_counts(session, [both], NOW)[both].recent_petitions == 2


def test_twelve_months_are_calendar_months_366_days_over_a_29_february(session: Session, world: World) -> None:
    later = datetime(2028, 11, 19, 4, 0, tzinfo=UTC)  # its last 12 months hold 29 February 2028: 366 days

    def before_later(days: float) -> float:
        return (NOW - (later - timedelta(days=days))) / timedelta(days=1)

    inside = person(session, "闰年窗口内")
    for days in (1, 100, 365.5):
        petition(session, world, inside, days_ago=before_later(days))
    outside = person(session, "闰年窗口外")
    for days in (1, 100, 366.1):
        petition(session, world, outside, days_ago=before_later(days))
    tags = tags_of(session, [inside, outside], later)
    assert tags[inside] == (Tag.REPEATED,) and tags[outside] == ()
    assert year_before(later) == datetime(2027, 11, 19, 4, 0, tzinfo=UTC)
    assert year_before(datetime(2028, 2, 29, tzinfo=UTC)) == datetime(2027, 2, 28, tzinfo=UTC)


def test_a_matter_open_or_repeated_for_over_a_year_is_long_term(session: Session, world: World) -> None:
    open_366 = person(session, "未结366天")
    petition(session, world, open_366, days_ago=366, state="in_progress")
    open_364 = person(session, "未结364天")
    petition(session, world, open_364, days_ago=364, state="in_progress")
    closed_old = person(session, "已结很久")
    petition(session, world, closed_old, days_ago=800, state="closed")
    repeat_late = person(session, "重复跨年")
    original = petition(session, world, repeat_late, days_ago=500)
    petition(session, world, repeat_late, days_ago=134, repeat_of=original)  # 366 days after the original
    repeat_soon = person(session, "重复未跨年")
    first = petition(session, world, repeat_soon, days_ago=400)
    petition(session, world, repeat_soon, days_ago=36, repeat_of=first)  # 364 days after
    chained = person(session, "链式重复")
    root = petition(session, world, chained, days_ago=600)
    middle = petition(session, world, chained, days_ago=400, repeat_of=root)  # 200 days
    petition(session, world, chained, days_ago=200, repeat_of=middle)  # 200 after the middle, 400 after the root
    tags = tags_of(session, [open_366, open_364, closed_old, repeat_late, repeat_soon, chained], NOW)
    assert tags[open_366] == (Tag.LONG_TERM,)
    assert tags[open_364] == ()
    assert tags[closed_old] == ()
    assert tags[repeat_late] == (Tag.LONG_TERM,)
    assert tags[repeat_soon] == ()
    assert tags[chained] == (Tag.LONG_TERM,)


def test_group_visit_organiser_leads_two_group_visits(session: Session, world: World) -> None:
    organiser = person(session, "组织者")
    representative = person(session, "两次代表")
    once = person(session, "一次代表")
    small = person(session, "小团体")
    petition(session, world, organiser, days_ago=900, head_count=30, representatives=(representative, once))
    petition(session, world, organiser, days_ago=20, head_count=5, representatives=(representative,))
    petition(session, world, small, days_ago=20, head_count=4)  # 4 persons: not a group visit
    petition(session, world, small, days_ago=30, head_count=4)
    petition(session, world, small, days_ago=40, head_count=8, form="letter")  # a letter is no visit
    tags = tags_of(session, [organiser, representative, once, small], NOW)
    assert tags[organiser] == (Tag.GROUP_ORGANISER,)
    assert tags[representative] == (Tag.GROUP_ORGANISER,)
    assert tags[once] == ()
    assert tags[small] == (Tag.REPEATED,)


def test_the_first_petitioner_of_one_group_visit_organised_it(session: Session, world: World) -> None:
    leader = person(session, "带队人")
    spokesman = person(session, "代表")
    petition(session, world, leader, days_ago=700, head_count=12, representatives=(spokesman,))
    four = person(session, "四人来访")
    petition(session, world, four, days_ago=10, head_count=4)
    tags = tags_of(session, [leader, spokesman, four], NOW)
    assert tags[leader] == (Tag.GROUP_ORGANISER,)
    assert tags[spokesman] == (), "one group visit as representative is not organising"
    assert tags[four] == ()
    counts = tag_counts(session, [leader, spokesman], NOW)
    assert (counts[leader].group_visits_first, counts[leader].group_visits_led) == (1, 1)
    assert (counts[spokesman].group_visits_first, counts[spokesman].group_visits_led) == (0, 1)


def test_tags_of_many_people_take_one_query(session: Session, world: World, module_engine: Engine) -> None:
    people = [person(session, f"人{n}") for n in range(30)]
    for who in people:
        petition(session, world, who, days_ago=10)
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(module_engine, "before_cursor_execute", count)
    try:
        tags = tags_of(session, [*people, "no-such-person"], NOW)
    finally:
        event.remove(module_engine, "before_cursor_execute", count)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
    assert tags["no-such-person"] == () and all(tags[who] == () for who in people)


def test_deleted_petitions_do_not_count(session: Session, world: World) -> None:
    who = person(session, "有撤销")
    ids = [petition(session, world, who, days_ago=days) for days in (1, 2, 3)]
    row = session.get(Petition, ids[0])
    assert row is not None
    row.mark_deleted()
    session.flush()
    assert tags_of(session, [who], NOW)[who] == ()
