"""Repeat recognition on SQLite and PostgreSQL: history by ID number, a paraphrased repeat ranks first, groups."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from efangtong_core.db import session_factory
from efangtong_core.models import OrgUnit, Petition, Petitioner, PetitionRepresentative
from efangtong_core.repeats import find_same_matter, person_history, repeat_candidates, same_matter_candidates
from efangtong_core.text_similarity import similarity, tokens
from efangtong_core.vocabulary import OrgUnitKind, PetitionForm, PetitionPurpose

ID_NUMBER = "150627198503071233"
WAGES = (
    "我是札萨克镇门克庆嘎查的群众，现反映如下问题：2023年我在鑫源建筑工程有限公司承建的门克庆嘎查安置房项目务工，"
    "工程结束后公司拖欠我和工友工资8.6万元，多次讨要无果。请求有关部门尽快协调解决。"
)
WAGES_PARAPHRASE = (
    "关于此事，我2024年3月曾到信访部门反映，至今仍未解决。鑫源建筑工程有限公司在门克庆嘎查安置房工地欠我们工友的"
    "工钱8.6万元一直不给，我们找了很多次都没有结果。恳请领导重视，督促相关单位依法依规处理。"
)
GRASSLAND = (
    "本人系札萨克镇门克庆嘎查居民。2019年我家承包的草场320亩被蒙泰煤矿占用修建运煤道路，草原补偿款至今未发放。"
    "希望政府帮助解决实际困难。"
)
SCHOOL = "我家孩子在伊金霍洛旗第二小学上学，学校食堂饭菜质量差，价格偏高，家长意见很大。建议有关部门加强监管。"
T0 = datetime(2025, 6, 1, 2, 0, tzinfo=UTC)


def test_bigrams_ignore_punctuation_and_unify_full_width() -> None:
    assert tokens("拖欠工资，８．６万元！") == ["拖欠", "欠工", "工资", "8.6", "万元"]
    assert tokens("") == []
    assert similarity("", WAGES) == 0.0
    assert similarity(WAGES, WAGES) == pytest.approx(1.0)


def test_a_paraphrase_is_closer_than_another_matter() -> None:
    assert similarity(WAGES, WAGES_PARAPHRASE) > 0.35
    assert similarity(WAGES, GRASSLAND) < 0.25
    assert similarity(WAGES, SCHOOL) < 0.15


@pytest.fixture
def session(db_engine: Engine) -> Iterator[Session]:
    """A session on an empty database at head (both databases)."""
    with session_factory(db_engine)() as session:
        yield session


def _unit(session: Session, name: str, kind: OrgUnitKind) -> OrgUnit:
    unit = OrgUnit(name=name, kind=kind)
    session.add(unit)
    session.flush()
    return unit


def _petition(session: Session, unit: OrgUnit, person: Petitioner | None, content: str, **fields: object) -> Petition:
    petition = Petition(
        query_code=f"Q{session.info.setdefault('n', [0])[0]}",
        form=PetitionForm.VISIT,
        purpose=PetitionPurpose.REQUEST,
        registering_unit_id=unit.id,
        petitioner_id=person.id if person else None,
        content=content,
        **{"state": "registered", "registered_at": T0, **fields},
    )
    session.info["n"][0] += 1
    session.add(petition)
    session.flush()
    return petition


def test_history_across_records_of_one_id_number(session: Session) -> None:
    bureau = _unit(session, "伊金霍洛旗信访局", OrgUnitKind.BUREAU)
    first = Petitioner(name="巴特尔", id_number=ID_NUMBER)
    again = Petitioner(name="巴特尔", id_number=ID_NUMBER)  # created offline by another counter
    other = Petitioner(name="其木格", id_number="150627199001011234")
    session.add_all([first, again, other])
    session.flush()
    _petition(session, bureau, first, WAGES, state="closed", registered_at=T0 - timedelta(days=300))
    _petition(session, bureau, again, GRASSLAND, state="in_progress", registered_at=T0 - timedelta(days=20))
    group = _petition(session, bureau, other, SCHOOL, head_count=3, registered_at=T0 - timedelta(days=5))
    session.add(PetitionRepresentative(petition_id=group.id, petitioner_id=first.id, position=1))
    _petition(session, bureau, other, WAGES)
    session.commit()

    history = person_history(session, " 150627198503071233 ")
    assert set(history.petitioner_ids) == {first.id, again.id}
    assert history.petition_count == 3
    assert history.open_count == 2
    assert history.states == {"closed": 1, "in_progress": 1, "registered": 1}
    assert [p.content for p in history.recent] == [SCHOOL, GRASSLAND, WAGES]
    assert history.first_at == T0 - timedelta(days=300)
    assert history.recent[1].state_label == "办理中"
    unknown = person_history(session, "110101199003074514")
    assert not unknown.known and unknown.recent == ()


def test_a_paraphrased_repeat_ranks_first_and_unrelated_is_not_likely(session: Session) -> None:
    bureau = _unit(session, "伊金霍洛旗信访局", OrgUnitKind.BUREAU)
    person = Petitioner(name="巴特尔", id_number=ID_NUMBER)
    session.add(person)
    session.flush()
    original = _petition(session, bureau, person, WAGES, case_number="伊信2024-0001", registered_at=T0)
    _petition(session, bureau, person, GRASSLAND, registered_at=T0 + timedelta(days=30))
    _petition(session, bureau, person, SCHOOL, registered_at=T0 + timedelta(days=60))
    session.commit()

    ranked = repeat_candidates(session, id_number=ID_NUMBER, content=WAGES_PARAPHRASE)
    assert ranked[0].petition.id == original.id
    assert ranked[0].petition.number == "伊信2024-0001"
    assert ranked[0].likely_repeat
    assert [c.likely_repeat for c in ranked[1:]] == [False, False]
    no_text = repeat_candidates(session, id_number=ID_NUMBER, content="")
    assert [c.petition.content for c in no_text] == [SCHOOL, GRASSLAND, WAGES]  # newest first until text is typed
    excluded = repeat_candidates(session, id_number=ID_NUMBER, content=WAGES, exclude_petition_id=original.id)
    assert original.id not in {c.petition.id for c in excluded}


def test_same_matter_by_different_people_is_a_group(session: Session) -> None:
    bureau = _unit(session, "伊金霍洛旗信访局", OrgUnitKind.BUREAU)
    town = _unit(session, "札萨克镇", OrgUnitKind.TOWN)
    elsewhere = _unit(session, "红庆河镇", OrgUnitKind.TOWN)
    people = [Petitioner(name=f"工友{i}", id_number=None) for i in range(4)]
    session.add_all(people)
    session.flush()
    first = _petition(session, bureau, people[0], WAGES, town_id=town.id)
    joined = _petition(session, bureau, people[1], WAGES_PARAPHRASE, town_id=town.id, registered_at=T0 + timedelta(7))
    _petition(session, bureau, people[2], GRASSLAND, town_id=town.id)  # same town, another matter
    _petition(session, bureau, people[3], WAGES, town_id=elsewhere.id)  # same words, another town
    _petition(session, bureau, people[3], WAGES, town_id=town.id, registered_at=T0 + timedelta(days=400))  # too late
    _petition(session, bureau, people[0], WAGES, town_id=town.id, registered_at=T0 + timedelta(1))  # the same person
    session.commit()

    group = find_same_matter(session, first.id)
    assert [hit.petition.id for hit in group.hits] == [joined.id]
    assert group.petitioner_ids == {people[1].id}
    assert find_same_matter(session, "no-such-petition").hits == ()
    typed = same_matter_candidates(session, content=WAGES, town_id=town.id, category_id=None, around=T0)
    assert {c.petition.petitioner_id for c in typed} == {people[0].id, people[1].id}


def test_another_place_or_amount_in_the_same_words_is_another_matter() -> None:
    other_village = WAGES.replace("门克庆嘎查", "布尔台格村").replace("鑫源建筑", "众鑫商贸")
    other_amount = WAGES.replace("8.6万元", "3.2万元")
    assert similarity(WAGES, other_village) < 0.35 < similarity(WAGES, WAGES_PARAPHRASE)
    assert similarity(WAGES, other_amount) < 0.45  # one conflict: the same words, another sum
    assert similarity(WAGES, WAGES.replace("门克庆嘎查", "布尔台格村")) > 0.6  # the same company's wages
    assert similarity(WAGES, WAGES.replace("请求有关部门尽快协调解决。", "")) > 0.9
