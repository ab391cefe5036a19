"""Petitioner records on both databases: search by each field with pages, the profile timeline, contact edits,
the access log and the analytics figures."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from efangtong_core.models import PetitionerAccess, PetitionerPhone
from efangtong_core.petitioner_analytics import petitioner_analytics
from efangtong_core.petitioner_contacts import record_access, save_contacts, validated_contacts
from efangtong_core.petitioner_records import RecordsError, load_profile, search_petitioners
from efangtong_core.petitioner_tags import Tag
from tests.core import petitioner_sample
from tests.core.petitioner_sample import NOW, World, person, petition, reference

ZHANG_ID = "150627198503121234"
LI_ID = "15062719900101567X"


module_engine = petitioner_sample.module_engine  # one database per module and kind
session = petitioner_sample.session


@pytest.fixture
def world(session: Session) -> World:
    """Reference rows."""
    return reference(session)


@pytest.fixture
def people(session: Session, world: World) -> dict[str, str]:
    """Three people with distinct names, initials, ID numbers, phones and addresses."""
    zhang = person(
        session,
        "张建军",
        initials="zjj",
        id_number=ZHANG_ID,
        phones=("13904771111", "04778123456"),
        address="札萨克镇门克庆嘎查",
    )
    li = person(session, "李桂兰", initials="lgl", id_number=LI_ID, phones=("13500002222",), address="阿勒腾席热镇")
    zhao = person(session, "张丽", initials="zl", phones=("18600009999",), address="乌兰木伦镇 50%_路")
    return {"zhang": zhang, "li": li, "zhao": zhao}


def _names(session: Session, text: str) -> list[str]:
    return [item.name for item in search_petitioners(session, text, now=NOW).items]


def test_search_by_each_field(session: Session, people: dict[str, str]) -> None:
    assert _names(session, "张") == ["张丽", "张建军"]  # part of the name, ordered by name
    assert _names(session, "建军") == ["张建军"]
    assert _names(session, "ZJ") == ["张建军"]  # pinyin initials, any case
    assert _names(session, "l") == ["李桂兰"]
    assert _names(session, ZHANG_ID) == ["张建军"]  # full ID number
    assert _names(session, LI_ID.lower()) == ["李桂兰"]  # x as X
    assert _names(session, "１２３４") == ["张建军"]  # last four of the ID, full-width digits
    assert _names(session, "567X") == ["李桂兰"]
    assert _names(session, "9999") == ["张丽"]  # last four of a phone
    assert _names(session, "139047") == ["张建军"]  # start of a phone
    assert _names(session, "0477-81") == ["张建军"]  # the second phone, typed with a hyphen
    assert _names(session, "门克庆") == ["张建军"]  # part of the address
    assert _names(session, "张 乌兰木伦") == ["张丽"]  # every term must match
    assert _names(session, "50%_") == ["张丽"]  # LIKE wildcards are taken literally
    assert _names(session, "%%") == []
    assert _names(session, "王") == []


def test_search_pages_and_bad_input(session: Session, world: World) -> None:
    for n in range(7):
        person(session, f"王{n}", initials="w")
    first = search_petitioners(session, "w", now=NOW, page=0, page_size=3)
    last = search_petitioners(session, "w", now=NOW, page=2, page_size=3)
    assert (first.total, first.page_count) == (7, 3)
    assert [i.name for i in first.items] == ["王0", "王1", "王2"]
    assert [i.name for i in last.items] == ["王6"]
    with pytest.raises(RecordsError, match="过长"):
        search_petitioners(session, "张" * 101, now=NOW)
    with pytest.raises(RecordsError):
        search_petitioners(session, "w", now=NOW, page=-1)


def test_results_carry_counts_and_tags(session: Session, world: World, people: dict[str, str]) -> None:
    for days in (3, 30, 90):
        petition(session, world, people["zhang"], days_ago=days)
    petition(session, world, people["li"], days_ago=5, representatives=(people["zhao"],))
    items = {item.name: item for item in search_petitioners(session, "", now=NOW).items}
    assert (items["张建军"].petition_count, items["张建军"].tags) == (3, (Tag.REPEATED,))
    assert items["张建军"].phone == "13904771111"
    assert items["张丽"].petition_count == 1  # as a representative
    assert items["李桂兰"].last_petition_at is not None


def test_profile_timeline_in_order(session: Session, world: World, people: dict[str, str]) -> None:
    zhang = people["zhang"]
    old = petition(
        session,
        world,
        zhang,
        days_ago=400,
        state="in_progress",
        title="征地补偿",
        events=(("transferred", 2, {}), ("accepted", 5, {"note": "已受理，依法办理"})),
    )
    represented = petition(session, world, people["li"], days_ago=10, representatives=(zhang,), head_count=6)
    profile = load_profile(session, zhang, now=NOW)
    assert profile is not None
    assert [p.role for p in profile.petitions] == ["第一信访人", "代表"]
    assert [(e.petition_id, e.title) for e in profile.timeline] == [
        (old, "登记"),
        (old, "转送"),
        (old, "受理"),
        (represented, "登记"),
    ]
    assert profile.timeline[0].detail == "征地补偿"
    assert profile.timeline[2].detail == "已受理，依法办理"
    assert profile.petitions[0].category == "征地拆迁" and profile.petitions[0].town == "札萨克镇"
    assert profile.tags == (Tag.LONG_TERM,)
    assert [p.phone for p in profile.phones] == ["13904771111", "04778123456"]
    assert load_profile(session, "no-such-person", now=NOW) is None


def test_contact_edits_validate_and_tombstone_removed_phones(session: Session, people: dict[str, str]) -> None:
    zhang = people["zhang"]
    with pytest.raises(RecordsError, match="无效"):
        validated_contacts(["1390477"], "", "")
    with pytest.raises(RecordsError, match="无效"):
        validated_contacts(["abc12345"], "", "")
    with pytest.raises(RecordsError, match="重复"):
        validated_contacts(["13904771111", "139 0477 1111"], "", "")
    contacts = validated_contacts(["0477-8123456", "  ", "139 0477 2222"], " 新地址 ", "")
    assert contacts.phones == ("04778123456", "13904772222") and contacts.address == "新地址"
    assert save_contacts(session, zhang, contacts) is True
    session.flush()
    rows = session.scalars(select(PetitionerPhone).where(PetitionerPhone.petitioner_id == zhang)).all()
    live = sorted((r.position, r.phone) for r in rows if r.deleted_at is None)
    assert live == [(0, "04778123456"), (1, "13904772222")]
    assert [r.phone for r in rows if r.deleted_at is not None] == ["13904771111"]  # kept as a tombstone
    assert save_contacts(session, zhang, contacts) is False
    with pytest.raises(RecordsError):
        save_contacts(session, "no-such-person", contacts)


def test_record_access_adds_an_access_row(session: Session, people: dict[str, str]) -> None:
    record_access(session, petitioner_id=people["li"], user_id="u1", username="clerk", online=False)
    session.commit()
    row = session.scalars(select(PetitionerAccess)).one()
    assert (row.petitioner_id, row.action, row.username, row.online) == (people["li"], "view", "clerk", False)


def test_analytics_figures(session: Session, world: World, people: dict[str, str]) -> None:
    zhang, li, zhao = people["zhang"], people["li"], people["zhao"]
    for days in (3, 40, 70, 500):
        petition(session, world, zhang, days_ago=days)
    for days in (5, 45, 80):
        petition(session, world, li, days_ago=days, town=world.other_town, category=world.labour)
    petition(session, world, zhao, days_ago=6, representatives=(zhang,))
    figures = petitioner_analytics(session, NOW)
    assert [(t.name, t.petitions) for t in figures.top] == [("张建军", 4), ("李桂兰", 3)]
    assert figures.top[0].tags == (Tag.REPEATED,)
    towns = {g.label: (g.people, g.petitions) for g in figures.by_town}
    assert towns == {"札萨克镇": (2, 4), "乌兰木伦镇": (1, 3)}
    categories = {g.label: (g.people, g.petitions) for g in figures.by_category}
    assert categories == {"城乡建设": (2, 4), "劳动社保": (1, 3)}
    assert len(figures.trend) == 12 and figures.trend[-1].label == "2026-11"
    months = {g.label: (g.people, g.petitions) for g in figures.trend}
    assert months["2026-11"] == (3, 3)  # 3, 5 and 6 days before 20 Nov: zhang twice (own + representative), li, zhao
    assert sum(g.petitions for g in figures.trend) == 7
