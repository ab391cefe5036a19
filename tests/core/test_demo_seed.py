"""The demo seed: deterministic, complete (every form, purpose, state, role), valid histories and identities."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import Row

from efangtong_core import lifecycle
from efangtong_core.categories import leaf_categories
from efangtong_core.db import open_database
from efangtong_core.demo import texts
from efangtong_core.demo.ids import QueryCodes
from efangtong_core.demo.seed import SeedSummary, seed_demo
from efangtong_core.idnumber import parse_id_number
from efangtong_core.lifecycle import CaseEvent as LifecycleEvent
from efangtong_core.lifecycle import EventType, PetitionState
from efangtong_core.models import (
    Base,
    CaseEvent,
    ContentCategory,
    Petition,
    Petitioner,
    PetitionRepresentative,
    RoleGrant,
    User,
)
from efangtong_core.vocabulary import (
    MAX_GROUP_REPRESENTATIVES,
    PetitionForm,
    PetitionPurpose,
    ReplyOutcome,
    Role,
    Sex,
)

TODAY = date(2026, 11, 25)
PETITIONS = 300


def _seed_file(path: Path, *, seed: int = 2026, batch_size: int = 5000) -> tuple[Engine, SeedSummary]:
    engine = open_database(f"sqlite:///{path}")
    return engine, seed_demo(engine, petitions=PETITIONS, seed=seed, today=TODAY, batch_size=batch_size)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, SeedSummary]]:
    """One seeded SQLite file shared by the read-only tests of this module."""
    engine, summary = _seed_file(tmp_path_factory.mktemp("seed") / "demo.sqlite")
    try:
        yield engine, summary
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def engine(seeded: tuple[Engine, SeedSummary]) -> Engine:
    """The seeded engine."""
    return seeded[0]


def _all_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as connection:
        return {
            table.name: [tuple(row) for row in connection.execute(select(table).order_by(*table.primary_key.columns))]
            for table in Base.metadata.sorted_tables
        }


_EVENT_TYPES = {str(member): member for member in EventType}
_ROLES = {str(member): member for member in Role}


def _lifecycle_event(row: Row[Any]) -> LifecycleEvent:
    return LifecycleEvent(_EVENT_TYPES[row.type], row.at, _ROLES[row.role], row.payload or {})


def _petitions(engine: Engine) -> list[Row[Any]]:
    with engine.connect() as connection:
        return list(connection.execute(select(Petition.__table__).order_by(Petition.registered_at)))


def test_summary_counts(seeded: tuple[Engine, SeedSummary]) -> None:
    _, summary = seeded
    assert summary.seeded and summary.petitions == PETITIONS
    assert summary.rows["petition"] == PETITIONS
    assert summary.rows["case_event"] > 3 * PETITIONS
    assert "300" in summary.message


def test_same_seed_gives_identical_rows_whatever_the_batch_size(
    seeded: tuple[Engine, SeedSummary], tmp_path: Path
) -> None:
    other, _ = _seed_file(tmp_path / "again.sqlite", batch_size=70)
    try:
        assert _all_rows(other) == _all_rows(seeded[0])
    finally:
        other.dispose()


def test_another_seed_gives_other_rows(seeded: tuple[Engine, SeedSummary], tmp_path: Path) -> None:
    other, _ = _seed_file(tmp_path / "other.sqlite", seed=7)
    try:
        ours, theirs = _all_rows(seeded[0]), _all_rows(other)
        assert ours["petition"] != theirs["petition"]
        assert ours["content_category"] != theirs["content_category"]  # same codes, different ids
    finally:
        other.dispose()


def test_second_run_does_nothing(engine: Engine) -> None:
    before = _all_rows(engine)
    summary = seed_demo(engine, petitions=10, today=TODAY)
    assert not summary.seeded and summary.total_rows == 0
    assert "已有数据" in summary.message
    assert _all_rows(engine) == before


def test_every_form_purpose_and_state_present(engine: Engine) -> None:
    petitions = _petitions(engine)
    assert {row.form for row in petitions} == {str(form) for form in PetitionForm}
    assert {row.purpose for row in petitions} == {str(purpose) for purpose in PetitionPurpose}
    assert {row.state for row in petitions} == {str(state) for state in PetitionState}
    forms = Counter(row.form for row in petitions)
    assert forms.most_common(2)[0][0] in (PetitionForm.VISIT, PetitionForm.ONLINE)
    assert {forms.most_common(2)[0][0], forms.most_common(2)[1][0]} == {PetitionForm.VISIT, PetitionForm.ONLINE}


def test_every_role_granted_and_one_demo_account_per_role(engine: Engine) -> None:
    with engine.connect() as connection:
        roles = set(connection.scalars(select(RoleGrant.role)))
        users = {row.username: row for row in connection.execute(select(User.__table__))}
        grants = {(row.user_id, row.role) for row in connection.execute(select(RoleGrant.__table__))}
    assert roles == {str(role) for role in Role}
    for role in Role:
        account = users[str(role)]
        assert (account.id, str(role)) in grants
        assert not account.must_change_password and account.password_hash.startswith("$argon2id$")
    argon2 = pytest.importorskip("argon2")
    assert argon2.PasswordHasher().verify(users["admin"].password_hash, "Demo@2026")


def test_event_histories_replay_through_lifecycle(engine: Engine) -> None:
    with engine.connect() as connection:
        events: dict[str, list[Any]] = {}
        for row in connection.execute(select(CaseEvent.__table__).order_by(CaseEvent.petition_id, CaseEvent.seq)):
            events.setdefault(row.petition_id, []).append(row)
    petitions = _petitions(engine)
    extended = reviewed = 0
    for petition in petitions:
        rows = events[petition.id]
        assert [row.seq for row in rows] == list(range(1, len(rows) + 1))
        status = lifecycle.replay(_lifecycle_event(row) for row in rows)
        assert str(status.state) == petition.state
        assert status.next_due == petition.deadline
        assert petition.event_count == len(rows)
        assert rows[0].type == EventType.REGISTERED and rows[0].at == petition.registered_at
        assert all(row.at <= petition.updated_at for row in rows)
        extended += status.extension_used
        reviewed += status.review_requested_on is not None
    assert extended and reviewed


def test_some_cases_overdue_and_some_closed_late(engine: Engine) -> None:
    petitions = _petitions(engine)
    overdue = [row for row in petitions if row.deadline is not None and row.deadline < TODAY]
    assert overdue
    late = 0
    with engine.connect() as connection:
        for row in connection.execute(select(CaseEvent.__table__).where(CaseEvent.type == str(EventType.REPLIED))):
            petition = next(p for p in petitions if p.id == row.petition_id)
            late += petition.accepted_at is not None and (row.at - petition.accepted_at).days > 60
    assert late


def test_id_numbers_valid_unique_and_consistent(engine: Engine) -> None:
    with engine.connect() as connection:
        people = list(connection.execute(select(Petitioner.__table__)))
    numbers = [row.id_number for row in people if row.id_number]
    assert len(numbers) == len(set(numbers))
    assert len(numbers) > 0.8 * len(people)
    for row in people:
        if row.id_number is None:
            continue
        parsed = parse_id_number(row.id_number, today=TODAY)
        assert row.home_division_code == row.id_number[:6]
        assert row.birth_date == parsed.birth_date
        assert row.sex == str(parsed.sex)
    local = sum(number.startswith("150627") for number in numbers)
    inner_mongolia = sum(number.startswith("15") for number in numbers)
    assert 0.55 < local / len(numbers) < 0.85
    assert inner_mongolia < len(numbers)  # some from elsewhere
    nations = Counter(row.nation for row in people if row.nation)
    assert 0.07 < nations["蒙古族"] / sum(nations.values()) < 0.25
    assert len(nations) >= 3


def test_group_visits_have_at_most_five_representatives(engine: Engine) -> None:
    petitions = {row.id: row for row in _petitions(engine)}
    with engine.connect() as connection:
        representatives = list(connection.execute(select(PetitionRepresentative.__table__)))
    by_petition: dict[str, list[int]] = {}
    for row in representatives:
        by_petition.setdefault(row.petition_id, []).append(row.position)
    groups = [row for row in petitions.values() if row.head_count > 1]
    assert groups
    for petition in groups:
        positions = sorted(by_petition[petition.id])
        assert 1 <= len(positions) <= MAX_GROUP_REPRESENTATIVES
        assert positions == list(range(1, len(positions) + 1))
        assert petition.form == PetitionForm.VISIT and 5 <= petition.head_count <= 83


def test_repeat_links_point_to_earlier_petitions_of_the_same_person(engine: Engine) -> None:
    petitions = {row.id: row for row in _petitions(engine)}
    repeats = [row for row in petitions.values() if row.repeat_of_id]
    assert len(repeats) > 0.1 * len(petitions)
    for row in repeats:
        original = petitions[row.repeat_of_id]
        assert original.petitioner_id == row.petitioner_id
        assert original.registered_at < row.registered_at
        assert original.category_id == row.category_id and original.repeat_of_id is None
    per_person = Counter(row.petitioner_id for row in petitions.values())
    assert per_person.most_common(1)[0][1] >= 5  # a long tail: someone petitions many times
    for row in petitions.values():
        if row.state == PetitionState.MERGED:
            assert petitions[row.merged_into_id].registered_at < row.registered_at


def test_numbers_codes_and_categories(engine: Engine) -> None:
    petitions = _petitions(engine)
    assert len({row.query_code for row in petitions}) == len(petitions)
    assert len({row.case_number for row in petitions}) == len(petitions)
    assert all(row.case_number.startswith(f"伊信〔{row.registered_at.year}〕") for row in petitions)
    with engine.connect() as connection:
        categories = {row.id: row for row in connection.execute(select(ContentCategory.__table__))}
    assert all(categories[row.category_id].parent_id is not None for row in petitions)
    years = {row.registered_at.year for row in petitions}
    assert years == {2023, 2024, 2025, 2026}
    assert min(row.registered_at for row in petitions).date() >= date(2023, 11, 25)


def test_query_codes_are_a_bijection() -> None:
    codes = QueryCodes(2026)
    generated = [codes.code(ordinal) for ordinal in range(50_000)]
    assert len(set(generated)) == len(generated)
    assert all(len(code) == 8 for code in generated)


def test_every_category_has_texts_and_repeats_read_alike_but_differ() -> None:
    assert texts.categories_with_templates() == {row.code for row in leaf_categories()}
    rng = random.Random(1)
    for leaf in leaf_categories():
        matter = texts.new_matter(rng, leaf.code, "札萨克镇", "门克庆嘎查", TODAY)
        first = texts.petition_text(rng, matter, purpose=PetitionPurpose.REQUEST)
        again = texts.petition_text(rng, matter, purpose=PetitionPurpose.REQUEST, earlier=TODAY)
        assert matter.facts in first and matter.facts in again and first != again
        reply = texts.reply_text(rng, matter, outcome=ReplyOutcome.SUPPORTED, unit_name="札萨克镇", appeal_to="旗政府")
        assert "复查" in reply


def test_names_by_nation() -> None:
    from efangtong_core.demo.names import person_name

    rng = random.Random(3)
    names = [person_name(rng, Sex.FEMALE, "02") for _ in range(200)]
    assert any(name in ("其木格", "斯琴", "乌云", "萨仁", "图雅", "娜仁") for name in names)


@pytest.mark.slow
def test_seed_on_both_databases(db_url: str) -> None:
    engine = open_database(db_url)
    try:
        summary = seed_demo(engine, petitions=120, today=TODAY, batch_size=50)
        assert summary.seeded
        petitions = _petitions(engine)
        assert len(petitions) == 120
        with engine.connect() as connection:
            events = list(
                connection.execute(select(CaseEvent.__table__).order_by(CaseEvent.petition_id, CaseEvent.seq))
            )
        by_petition: dict[str, list[Any]] = {}
        for row in events:
            by_petition.setdefault(row.petition_id, []).append(row)
        for petition in petitions:
            status = lifecycle.replay(_lifecycle_event(row) for row in by_petition[petition.id])
            assert str(status.state) == petition.state
        assert not seed_demo(engine, petitions=120, today=TODAY).seeded
    finally:
        engine.dispose()


def test_without_today_the_data_ends_now(tmp_path: Path) -> None:
    engine = open_database(f"sqlite:///{tmp_path / 'now.sqlite'}")
    try:
        summary = seed_demo(engine, petitions=60)
        now = datetime.now(UTC)
        assert summary.seeded
        with engine.connect() as connection:
            latest = connection.scalar(select(func.max(CaseEvent.at)))
        assert latest is not None and latest <= now
    finally:
        engine.dispose()


def test_surges_raise_a_town_and_category_above_its_baseline() -> None:
    from efangtong_core.demo.petitions import CategoryPicker, draw_matter, hotspots

    rng, categories, surges = random.Random(5), CategoryPicker(), hotspots(TODAY)
    inside, outside = datetime(2026, 11, 20, 10), datetime(2026, 9, 1, 10)

    def share(at: datetime) -> float:
        drawn = [draw_matter(rng, categories, at, surges) for _ in range(3000)]
        return sum(m.category_code == "0303" and town == "150627105" for m, town in drawn) / len(drawn)

    assert share(inside) > 5 * share(outside)
