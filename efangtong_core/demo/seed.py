"""`seed_demo`: fill an empty, migrated database with realistic synthetic data for 伊金霍洛旗 (demo and benchmarks).

What it writes: the org units (信访局, the seven towns, development zones, departments), users of every role with
grants scoped to units (one demo account per role, username = role code), 代办员, the default content categories,
deadline rules and holiday calendar, routing rules, and `petitions` petitions over the three years ending at `today`
with their petitioners, phones, group representatives, handling units and case event histories (each event applied
through `lifecycle`). Same seed and `today` → identical rows, UUIDs included. Rows are generated and inserted per
batch with Core `insert()` executemany, so memory stays flat in the number of petitions.
"""

from __future__ import annotations

import random
import time as timer
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import cache
from typing import Any

from sqlalchemy import Connection, Dialect, Engine, func, select

from efangtong_core.categories import default_categories
from efangtong_core.deadlines import DEFAULT_DEADLINE_RULES
from efangtong_core.demo.generator import BATCH_TABLES, Lookups, PetitionGenerator
from efangtong_core.demo.ids import IdSource, ServerSequence
from efangtong_core.demo.org import DEMO_PASSWORD, OrgDirectory, Row, base_row, build_org, resolve_password_hash
from efangtong_core.demo.people import utc
from efangtong_core.demo.petitions import YEARS, years_before
from efangtong_core.demo.places import departments_for_category
from efangtong_core.models import Base, OrgUnit, Petition, User, UtcDateTime
from efangtong_core.notice_templates import DEFAULT_BODIES, NOTICE_KINDS
from efangtong_core.sms_notices import DEFAULT_SMS_TEMPLATES
from efangtong_core.workdays import HolidayCalendar, default_calendar

CHINA_TZ = timezone(timedelta(hours=8))
DEFAULT_BATCH = 5000
SQLITE_CACHE_KIB = 64 * 1024
"""Page cache of the seeding connection: random UUID keys touch index pages all over a multi-GB file."""
DATA_DAY_ENDS = time(18, 0)
"""With an explicit `today`, the data runs up to 18:00 China Standard Time that day."""

Progress = Callable[[int, int], None]
"""Called after each batch with (petitions written, petitions asked for)."""


@dataclass(frozen=True)
class SeedSummary:
    """What `seed_demo` did: whether it wrote anything, a Chinese message, and the row counts by table."""

    seeded: bool
    message: str
    petitions: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        """All rows written."""
        return sum(self.rows.values())


def database_is_empty(engine: Engine) -> bool:
    """True when the database has no org units, users or petitions (so demo data may be seeded)."""
    with engine.connect() as connection:
        for model in (OrgUnit, User, Petition):
            if connection.execute(select(func.count()).select_from(model)).scalar_one():
                return False
    return True


def seed_demo(
    engine: Engine,
    *,
    petitions: int,
    seed: int = 2026,
    today: date | None = None,
    progress: Progress | None = None,
    demo_password: str = DEMO_PASSWORD,
    hash_password: Callable[[str], str] | None = None,
    batch_size: int = DEFAULT_BATCH,
) -> SeedSummary:
    """Fill an empty migrated database with demo data; on a non-empty database do nothing and say so."""
    if petitions < 0:
        raise ValueError("信访件数量不能为负数")
    if not database_is_empty(engine):
        return SeedSummary(False, "数据库中已有数据，未生成演示数据。")
    started = timer.perf_counter()
    now = _data_end(today)
    calendar = default_calendar()
    ids, seq = IdSource(seed), ServerSequence()
    counts: dict[str, int] = {}
    origin_at = utc(datetime.combine(years_before(now.date(), YEARS), time(8, 0)))
    password_hash = resolve_password_hash(demo_password, hash_password)
    org = build_org(random.Random(f"{seed}:org"), ids, seq, at=origin_at, password_hash=password_hash)
    with engine.begin() as connection:
        _insert(connection, org.rows, counts)
        lookups = _write_configuration(connection, org, ids, seq, origin_at, calendar, counts)
    generator = PetitionGenerator(
        seed=seed, total=petitions, now=now, calendar=calendar, org=org, lookups=lookups, ids=ids, seq=seq
    )
    # Generate and insert batch by batch: memory holds one batch, whatever the number of petitions. (A writer
    # thread overlapping the two was measured and gained nothing: the GIL hand-over per inserted row eats it.)
    for start in range(0, petitions, batch_size):
        stop = min(start + batch_size, petitions)
        rows = generator.batch(start, stop)
        with engine.begin() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
            _insert(connection, {table: rows[table] for table in BATCH_TABLES}, counts)
            if sqlite:  # the pooled connection goes back with SQLite's default cache
                connection.exec_driver_sql("PRAGMA cache_size=-2000")
        del rows
        if progress is not None:
            progress(stop, petitions)
    with engine.begin() as connection:  # written last, so the ids and sequence numbers above stay as they were
        _insert(connection, {"document_template": _notice_templates(IdSource(seed + 1), seq, origin_at)}, counts)
    seconds = timer.perf_counter() - started
    message = f"已生成演示数据：信访件 {petitions} 件，共 {sum(counts.values())} 行，用时 {seconds:.1f} 秒。"
    return SeedSummary(True, message, petitions, counts, seconds)


def _notice_templates(ids: IdSource, seq: ServerSequence, at: datetime) -> list[Row]:
    """The written-notice templates (文书模板) with their built-in texts, as an administrator would have saved them."""
    return [
        base_row(ids, seq, at)
        | {"code": kind.code, "name": kind.name, "body": DEFAULT_BODIES[kind.code], "active": True, "version": 1}
        for kind in NOTICE_KINDS
    ]


def _data_end(today: date | None) -> datetime:
    """The moment the demo data ends (China Standard Time, naive): 18:00 of `today`, or now when today is None."""
    if today is not None:
        return datetime.combine(today, DATA_DAY_ENDS)
    return datetime.now(UTC).astimezone(CHINA_TZ).replace(tzinfo=None, microsecond=0)


def _insert(connection: Connection, rows_by_table: dict[str, list[Row]], counts: dict[str, int]) -> None:
    """Insert rows table by table with one DBAPI executemany each."""
    for sql, params in _prepare(connection.dialect, rows_by_table, counts):
        connection.exec_driver_sql(sql, params)


def _prepare(
    dialect: Dialect, rows_by_table: dict[str, list[Row]], counts: dict[str, int]
) -> list[tuple[str, list[Any]]]:
    """The INSERT statement and driver parameters of each table's rows, values converted once per column."""
    statements: list[tuple[str, list[Any]]] = []
    for table_name, rows in rows_by_table.items():
        if not rows:
            continue
        sql, converters, positional = _insert_plan(dialect, table_name)
        # A column added later and not generated here gets its scalar default (or NULL).
        if positional:
            params: list[Any] = [
                tuple(row.get(name, fallback) if convert is None else convert(row.get(name, fallback))
                      for name, convert, fallback in converters)
                for row in rows
            ]  # fmt: skip
        else:
            params = [
                {name: row.get(name, fallback) if convert is None else convert(row.get(name, fallback))
                 for name, convert, fallback in converters}
                for row in rows
            ]  # fmt: skip
        statements.append((sql, params))
        counts[table_name] = counts.get(table_name, 0) + len(rows)
    return statements


Converter = Callable[[Any], Any]


@cache
def _insert_plan(dialect: Dialect, table_name: str) -> tuple[str, list[tuple[str, Converter | None, Any]], bool]:
    """The compiled INSERT of a table and how to convert each value for the driver.

    The same conversion SQLAlchemy's executemany does, minus its per-value overhead: a demo seed of 1,000,000
    petitions writes some 12 million rows. UTC timestamps are formatted directly on SQLite (in the layout
    SQLAlchemy's SQLite DATETIME uses) and passed as aware datetimes to other drivers.
    """
    table = Base.metadata.tables[table_name]
    compiled = table.insert().compile(dialect=dialect)
    names = list(compiled.positiontup or ()) if compiled.positional else [column.key for column in table.columns]
    converters: list[tuple[str, Converter | None, Any]] = []
    for name in names:
        column = table.columns[name]
        convert: Converter | None
        if isinstance(column.type, UtcDateTime):
            convert = _sqlite_timestamp if dialect.name == "sqlite" else None
        else:
            convert = column.type.dialect_impl(dialect).bind_processor(dialect)
        default = column.default
        fallback = default.arg if default is not None and default.is_scalar else None  # type: ignore[attr-defined]
        converters.append((name, convert, fallback))
    return str(compiled), converters, bool(compiled.positional)


def _sqlite_timestamp(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(" ", "microseconds")


def _write_configuration(
    connection: Connection,
    org: OrgDirectory,
    ids: IdSource,
    seq: ServerSequence,
    at: datetime,
    calendar: HolidayCalendar,
    counts: dict[str, int],
) -> Lookups:
    """Categories, deadline rules, the holiday calendar, routing rules and SMS templates; returns the ids used."""
    category_ids: dict[str, str] = {}
    categories: list[Row] = []
    for category in default_categories():
        row = base_row(ids, seq, at) | {
            "parent_id": category_ids.get(category.parent_code or ""),
            "code": category.code,
            "name": category.name,
            "sort_order": category.sort_order,
            "active": True,
        }
        category_ids[category.code] = str(row["id"])
        categories.append(row)
    rules = [
        base_row(ids, seq, at)
        | {
            "code": rule.code,
            "name": rule.name,
            "article": rule.article,
            "days": rule.days,
            "day_kind": str(rule.day_kind),
            "starts_at": str(rule.starts_at),
            "note": rule.note,
            "active": True,
        }
        for rule in DEFAULT_DEADLINE_RULES
    ]
    holidays = [
        base_row(ids, seq, at) | {"day": day, "kind": kind, "name": calendar.name_of(day) or None}
        for day, kind in _calendar_days(calendar)
    ]
    routing = [
        base_row(ids, seq, at)
        | {
            "category_id": category_ids[category.code],
            "town_id": None,
            "unit_id": org.departments[departments_for_category(category.code)[0].code].unit_id,
            "priority": 0,
            "active": True,
        }
        for category in default_categories()
        if category.level == 2
    ]
    sms_templates = [
        base_row(ids, seq, at) | {"code": t.code, "name": t.name, "text": t.text, "active": True}
        for t in DEFAULT_SMS_TEMPLATES
    ]
    _insert(
        connection,
        {
            "content_category": categories,
            "deadline_rule": rules,
            "holiday": holidays,
            "routing_rule": routing,
            "sms_template": sms_templates,
        },
        counts,
    )
    town_ids = {code: staff.unit_id for code, staff in org.towns.items()}
    return Lookups(category_ids=category_ids, town_ids=town_ids)


def _calendar_days(calendar: HolidayCalendar) -> Iterable[tuple[date, str]]:
    days = [(day, "holiday") for day in calendar.holidays] + [(day, "workday") for day in calendar.workdays]
    return sorted(days)
