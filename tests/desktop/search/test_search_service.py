"""The search service over a real replica: each field type finds its petition, filters narrow, masking by role."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime

import pytest

from efangtong_desktop.context import AppContext
from efangtong_desktop.services import search_index
from efangtong_desktop.services.search import QueryError, SearchFilters, SearchRequest, SearchService
from tests.desktop.search.conftest import TODAY, Places, RegisterFn


def _found(context: AppContext, text: str, filters: SearchFilters | None = None) -> list[str]:
    service = SearchService(context.engine, unmasked=True)
    service.prepare()
    request = SearchRequest(text, filters or SearchFilters())
    ids = [hit.petition_id for hit in service.page(request, today=TODAY)]
    assert service.count(request, TODAY) == len(ids)
    return ids


QUERIES = (
    ("王小明", "name"),
    ("小明", "part of the name"),
    ("wxm", "pinyin initials"),
    ("WX", "start of the initials"),
    ("150627198503071233", "full ID number"),
    ("１５０６２７１９８５０３０７１２３３", "full-width ID number"),
    ("1233", "last 4 of the ID number"),
    ("150627198503", "start of the ID number"),
    ("13912349876", "phone"),
    ("9876", "last 4 of the phone"),
    ("ABCD2345", "query code"),
    ("abcd", "start of the query code"),
    ("拆迁", "two-character word"),
    ("拆迁补偿", "four-character phrase"),
    ("工资", "another word"),
    ("拆", "one character"),
    ("伊信〔2026〕000123号", "case number"),
    ("2026000123", "case number digits"),
    ("王小明 拆迁", "two words, both must match"),
)


def test_each_field_finds_the_registered_petition(context: AppContext, register: RegisterFn) -> None:
    wanted = register(
        name="王小明",
        initials="wxm",
        id_number="150627198503071233",
        phones=["13912349876"],
        query_code="ABCD2345",
        case_number="伊信〔2026〕000123号",
        content="因房屋拆迁补偿标准过低，且拖欠工资未付，请求解决。",
    )
    other = register(content="反映邻里纠纷问题。", query_code="ZZZZ9999")
    for query, what in QUERIES:
        found = _found(context, query)
        assert wanted in found, what
        assert other not in found, what
    assert _found(context, "王小明 纠纷") == []


def test_two_character_word_is_not_a_substring_match_across_words(context: AppContext, register: RegisterFn) -> None:
    register(content="拆了院墙，迁走了羊圈。")
    assert _found(context, "拆迁") == []


def test_a_row_written_by_sync_core_inserts_is_found(
    context: AppContext, register: RegisterFn, pull_row: RegisterFn
) -> None:
    _found(context, "")  # the index is built before the pulled row arrives
    pulled = pull_row(name="李四", initials="ls", content="拖欠工资两年。", id_number="150627199001011234")
    assert _found(context, "李四") == [pulled]
    assert _found(context, "ls") == [pulled]
    assert _found(context, "工资") == [pulled]


def test_changes_to_petition_and_petitioner_reindex(context: AppContext, register: RegisterFn) -> None:
    from efangtong_core.models import Petition, Petitioner, PetitionerPhone

    pid = register(name="赵六", initials="zl", content="道路维修。")
    assert _found(context, "赵六") == [pid]
    with context.session_factory.begin() as session:
        petition = session.get(Petition, pid)
        assert petition is not None and petition.petitioner_id is not None
        petition.content = "供暖不热。"
        person = session.get(Petitioner, petition.petitioner_id)
        assert person is not None
        person.name = "赵七"
        session.add(PetitionerPhone(petitioner_id=person.id, phone="15500001111", position=1))
    assert _found(context, "赵六") == []
    assert _found(context, "赵七") == [pid]
    assert _found(context, "供暖") == [pid]
    assert _found(context, "道路") == []
    assert _found(context, "15500001111") == [pid]
    with context.session_factory.begin() as session:
        petition = session.get(Petition, pid)
        assert petition is not None
        petition.deleted_at = datetime.now(UTC)
    assert _found(context, "赵七") == []


def test_results_are_newest_first_and_paged(context: AppContext, register: RegisterFn) -> None:
    ids = [register(registered_at=datetime(2026, 3, day, 1, 0, tzinfo=UTC), content="工资") for day in (3, 1, 2)]
    same = [register(registered_at=datetime(2026, 3, 4, 1, 0, tzinfo=UTC), content="工资") for _ in range(3)]
    service = SearchService(context.engine, unmasked=True)
    service.prepare()
    request = SearchRequest("工资")
    keys = service.keys(request)
    assert len(keys) == 6 and keys == sorted(keys, reverse=True)
    hits = service.hits(keys)
    assert set(hit.petition_id for hit in hits[:3]) == set(same)
    assert [hit.petition_id for hit in hits[3:]] == [ids[0], ids[2], ids[1]]
    assert service.keys(request, before_key=keys[2], limit=2) == keys[3:5]
    assert service.keys(request, offset=4, limit=10) == keys[4:]


def test_filters(context: AppContext, register: RegisterFn, places: Places) -> None:
    march = register(registered_at=datetime(2026, 3, 5, 17, 0, tzinfo=UTC), form="letter")  # 3月6日 in China
    april = register(registered_at=datetime(2026, 4, 2, 1, 0, tzinfo=UTC), town_id=places.other_town)
    wages = register(category_id=places.wages, state="closed", deadline=date(2026, 3, 1))
    late = register(state="in_progress", deadline=date(2026, 3, 19))
    on_time = register(state="in_progress", deadline=date(2026, 3, 20))
    everyone = {march, april, wages, late, on_time}
    assert set(_found(context, "")) == everyone
    assert _found(context, "", SearchFilters(date_from=date(2026, 3, 6), date_to=date(2026, 3, 6))) == [march]
    assert march not in _found(context, "", SearchFilters(date_to=date(2026, 3, 5)))
    assert _found(context, "", SearchFilters(form="letter")) == [march]
    assert _found(context, "张三", SearchFilters(town_id=places.other_town)) == [april]
    assert _found(context, "", SearchFilters(category_id=places.wages)) == [wages]
    assert wages not in _found(context, "", SearchFilters(category_id=places.land))
    assert len(_found(context, "", SearchFilters(category_id=places.land))) == 4
    assert _found(context, "", SearchFilters(state="closed")) == [wages]
    assert _found(context, "", SearchFilters(overdue=True)) == [late]


def test_masking_by_role(context: AppContext, register: RegisterFn) -> None:
    register(id_number="150627198503071233", phones=["13912349876", "04778612345"])
    for unmasked, number, phones in (
        (True, "150627198503071233", "13912349876,04778612345"),
        (False, "150627********1233", "139****9876,047****2345"),
    ):
        service = SearchService(context.engine, unmasked=unmasked)
        service.prepare()
        (hit,) = service.page(SearchRequest(""))
        assert (hit.id_number, hit.phones) == (number, phones)


def test_unsearchable_text_is_refused_with_a_message(context: AppContext) -> None:
    service = SearchService(context.engine, unmasked=True)
    service.prepare()
    with pytest.raises(QueryError, match="无法识别"):
        service.count(SearchRequest("？？！"))


def test_another_program_writing_the_replica_keeps_the_index_current(context: AppContext, register: RegisterFn) -> None:
    """The triggers are plain SQL: a connection without any Python function of ours can write, and is indexed."""
    pid = register(name="钱八", initials="qb")
    _found(context, "")
    database = context.engine.url.database
    assert database is not None
    other = sqlite3.connect(database)
    with other:
        other.execute("UPDATE petition SET content = '草牧场纠纷' WHERE id = ?", (pid,))
    other.close()
    assert _found(context, "草牧场") == [pid]


def test_lost_triggers_mean_a_rebuild(context: AppContext, register: RegisterFn) -> None:
    pid = register(name="孙九", initials="sj")
    _found(context, "")
    with context.engine.begin() as connection:  # as a batch migration recreating the table would
        connection.exec_driver_sql("DROP TRIGGER search_petition_update")
        connection.exec_driver_sql("UPDATE petition SET content = '采煤沉陷' WHERE id = ?", (pid,))
    search_index.ensure_search_index(context.engine)
    assert not search_index.is_built(context.engine)
    assert _found(context, "采煤") == [pid]
    assert search_index.is_built(context.engine)


def test_an_interrupted_build_resumes(
    context: AppContext, register: RegisterFn, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = {register(content="物业") for _ in range(12)}
    monkeypatch.setattr(search_index, "_BATCH", 1)  # batches of 5 petitions
    seen: list[tuple[int, int]] = []

    def stop_after_first_batch(done: int, total: int) -> None:
        seen.append((done, total))
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        search_index.refresh(context.engine, stop_after_first_batch)
    assert seen == [(5, 12)]
    assert not search_index.is_built(context.engine)
    search_index.refresh(context.engine, lambda done, total: seen.append((done, total)))
    assert seen[1:] == [(10, 12), (12, 12), (12, 12)]
    assert set(_found(context, "物业")) == ids


def test_a_batch_migration_can_recreate_the_tables_and_the_index_is_rebuilt(
    context: AppContext, register: RegisterFn
) -> None:
    """Alembic's batch mode on SQLite copies a table, drops it and renames the copy: the triggers must not stop it."""
    pid = register(name="吴十一", initials="wsy", phones=["13700001111"])
    _found(context, "")
    with context.engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        for table in ("petition", "petitioner", "petitioner_phone", "petition_representative"):
            raw.execute(f"CREATE TABLE _alembic_tmp_{table} AS SELECT * FROM {table}")
            raw.execute(f"DROP TABLE {table}")
            raw.execute(f"ALTER TABLE _alembic_tmp_{table} RENAME TO {table}")
        raw.execute("UPDATE petition SET content = '供水管网' WHERE id = ?", (pid,))
        raw.execute("PRAGMA foreign_keys=ON")
    search_index.ensure_search_index(context.engine)
    assert not search_index.is_built(context.engine), "the triggers went with the tables: build again"
    assert _found(context, "供水") == [pid]
    assert _found(context, "13700001111") == [pid]


def test_sync_upserts_of_known_rows_are_indexed(context: AppContext, register: RegisterFn) -> None:
    """The sync engine applies pulled rows with INSERT … ON CONFLICT DO UPDATE; the marks must not fail it."""
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    from efangtong_core.models import Petition, Petitioner

    pid = register(name="郑十二", initials="zse", content="道路")
    _found(context, "")
    with context.engine.begin() as connection:
        petition = connection.execute(Petition.__table__.select().where(Petition.id == pid)).mappings().one()
        person_id = petition["petitioner_id"]
        for _ in range(2):  # the same page delivered twice
            statement = sqlite_insert(Petition.__table__).values(dict(petition) | {"content": "桥梁"})
            connection.execute(statement.on_conflict_do_update(index_elements=["id"], set_={"content": "桥梁"}))
        statement = sqlite_insert(Petitioner.__table__).values(id=person_id, name="郑十三", sex="male")
        connection.execute(statement.on_conflict_do_update(index_elements=["id"], set_={"name": "郑十三"}))
    assert _found(context, "桥梁") == [pid]
    assert _found(context, "郑十三") == [pid]
    assert _found(context, "道路") == []


def test_triggers_of_an_older_version_are_replaced_without_a_rebuild(context: AppContext, register: RegisterFn) -> None:
    pid = register()
    _found(context, "")
    with context.engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER search_petition_update")
        connection.exec_driver_sql(
            "CREATE TRIGGER search_petition_update AFTER UPDATE ON petition BEGIN "
            "INSERT OR IGNORE INTO search_dirty (petition_id) VALUES (NEW.id); END"
        )
    search_index.ensure_search_index(context.engine)
    assert search_index.is_built(context.engine)
    with context.engine.connect() as connection:
        sql = connection.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'search_petition_update'").scalar()
    assert sql is not None and "OR IGNORE" not in sql
    assert _found(context, "张三") == [pid]
