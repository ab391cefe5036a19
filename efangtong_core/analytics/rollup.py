"""The analytics rollups (models/analytics.py), kept exact by triggers on `petition` in SQLite and PostgreSQL.

- `petition_day_count`: live petitions per local registration day × town × lead unit × category × form × group
  visit × repeat,
  with 批次 and 人次. Each insert, delete or update of a counted column adds the new row's contribution and takes
  the old one's away (an upsert of +1/−1 and ± head count), so the table is exact whatever writes the petition:
  the server's registration, a counter's replica, sync's merge, the demo seeder or a tombstone (deleted_at).
- `repeater_day_count`: petitions per local day × town × lead unit of every petitioner with at least one live repeat
  petition. A write recomputes the touched petitioner's rows from their own petitions (a few rows along
  ix_petition_petitioner_id), so it does not depend on the order in which one statement's rows fire.

The figures read them when the triggers are in place (`rollup_ready`): the town, lead unit and scope (town or lead
unit in the user's units) are keys of both, so every scope and filter is exact on them — except a category filter
for the repeaters, which then read the petition rows (as does everything without the triggers). SQLite's batch
migrations recreate the table they alter and lose its triggers: a revision that batch-alters `petition` must call
`install_rollup` afterwards (a test checks the triggers at head).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import ColumnElement
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from efangtong_core.analytics.snapshot import Period
from efangtong_core.models import PetitionDayCount, RepeaterDayCount
from efangtong_core.vocabulary import PetitionForm

GROUP_VISIT_MIN_PERSONS = 5
"""集体访: a 来访 of five or more people (the regulation's group-visit threshold)."""

COUNTED = (
    "registered_at", "town_id", "lead_unit_id", "category_id", "form", "head_count", "repeat_of_id", "deleted_at",
)  # fmt: skip
"""The petition columns `petition_day_count` depends on."""
PERSON_COUNTED = ("petitioner_id", "registered_at", "town_id", "lead_unit_id", "repeat_of_id", "deleted_at")
"""The petition columns `repeater_day_count` depends on."""
SQLITE_TRIGGERS = ("petition_rollup_insert", "petition_rollup_update", "petition_rollup_delete")
PG_TRIGGER = "petition_rollup"
_DAY_KEY = "day, town_id, lead_unit_id, category_id, form, is_group, is_repeat"
_PERSON_KEY = "petitioner_id, day, town_id, lead_unit_id"
LOCK_CLASS = 20091
"""First key of the PostgreSQL advisory locks the trigger takes per petitioner (the second is the id's hash)."""


@dataclass(frozen=True)
class RollupFilter:
    """The filters and scope as the rollups apply them: town, category and lead unit ids (sub-units included), and
    the user's units (None: the county scope; a petition counts when its town or its lead unit is one of them)."""

    town_ids: tuple[str, ...] = ()
    category_ids: tuple[str, ...] = ()
    unit_ids: tuple[str, ...] = ()
    scope_unit_ids: tuple[str, ...] | None = None

    @property
    def repeaters_apply(self) -> bool:
        """True when the repeater rollup can apply the filters (it has no category)."""
        return not self.category_ids


def _keyed(table: type[PetitionDayCount] | type[RepeaterDayCount], found: RollupFilter) -> list[ColumnElement[bool]]:
    """The town, lead unit and scope conditions on a rollup table ("" keys never match a unit id)."""
    conditions: list[ColumnElement[bool]] = []
    if found.town_ids:
        conditions.append(table.town_id.in_(found.town_ids))
    if found.unit_ids:
        conditions.append(table.lead_unit_id.in_(found.unit_ids))
    if found.scope_unit_ids is not None:
        units = found.scope_unit_ids
        conditions.append(sa.or_(table.town_id.in_(units), table.lead_unit_id.in_(units)) if units else sa.false())
    return conditions


class Conditions(list[ColumnElement[bool]]):
    """The filter and scope conditions on `petition`, and the same filters for the rollups (None: they cannot)."""

    rollup: RollupFilter | None = None


def usable_rollup(session: Session, conditions: list[ColumnElement[bool]]) -> RollupFilter | None:
    """The rollup filter of `conditions` when the figures may read the rollups, else None (read the rows)."""
    found = getattr(conditions, "rollup", None)
    if not isinstance(found, RollupFilter) or not rollup_ready(session):
        return None
    return found


def day_conditions(period: Period, found: RollupFilter) -> list[ColumnElement[bool]]:
    """`petition_day_count` rows of the local days of `period` within the filters."""
    table = PetitionDayCount
    conditions = [table.day >= period.start, table.day <= period.end, *_keyed(table, found)]
    if found.category_ids:
        conditions.append(table.category_id.in_(found.category_ids))
    return conditions


def repeater_conditions(period: Period, found: RollupFilter) -> list[ColumnElement[bool]]:
    """`repeater_day_count` rows of the local days of `period` within the town, unit and scope filters."""
    table = RepeaterDayCount
    return [table.day >= period.start, table.day <= period.end, *_keyed(table, found)]


def _local_day(row: str, dialect: str) -> str:
    if dialect == "postgresql":
        return f"({row}.registered_at AT TIME ZONE 'Asia/Shanghai')::date"
    return f"date({row}.registered_at, '+8 hours')"


def _day_key(row: str, dialect: str) -> list[str]:
    """The petition_day_count key of one petition row (`row` is NEW, OLD or a table name)."""
    visit = PetitionForm.VISIT.value
    return [
        _local_day(row, dialect),
        f"COALESCE({row}.town_id, '')",
        f"COALESCE({row}.lead_unit_id, '')",
        f"COALESCE({row}.category_id, '')",
        f"{row}.form",
        f"CASE WHEN {row}.form = '{visit}' AND {row}.head_count >= {GROUP_VISIT_MIN_PERSONS} THEN 1 ELSE 0 END",
        f"CASE WHEN {row}.repeat_of_id IS NOT NULL THEN 1 ELSE 0 END",
    ]


def _day_values(row: str, sign: str, dialect: str) -> str:
    """SELECT list of one petition row's contribution to petition_day_count (sign '' or '-')."""
    return ", ".join([*_day_key(row, dialect), f"{sign}1", f"{sign}COALESCE({row}.head_count, 0)"])


def _day_upsert(row: str, sign: str, dialect: str, when: str) -> str:
    return (
        f"INSERT INTO petition_day_count ({_DAY_KEY}, batches, persons) SELECT {_day_values(row, sign, dialect)} "
        f"WHERE {when} ON CONFLICT ({_DAY_KEY}) DO UPDATE SET batches = petition_day_count.batches + "
        "excluded.batches, persons = petition_day_count.persons + excluded.persons"
    )


def _repeater_recompute(person: str, dialect: str, when: str) -> list[str]:
    """Statements recounting the rows of petitioner `person` (an SQL expression) from their live petitions when
    `when` holds: upserted over the rows there, then the rows of days without petitions (all of them when the
    petitioner has no live repeat any more) removed — idempotent, whatever order one statement's rows fire in."""
    day = _local_day("p", dialect)
    places = "COALESCE(p.town_id, ''), COALESCE(p.lead_unit_id, '')"
    live_repeat = (
        f"EXISTS (SELECT 1 FROM petition r WHERE r.petitioner_id = {person} AND r.deleted_at IS NULL "
        "AND r.repeat_of_id IS NOT NULL)"
    )
    return [
        f"INSERT INTO repeater_day_count ({_PERSON_KEY}, petitions, repeats) "
        f"SELECT p.petitioner_id, {day}, {places}, COUNT(*), "
        "SUM(CASE WHEN p.repeat_of_id IS NOT NULL THEN 1 ELSE 0 END) "
        f"FROM petition p WHERE p.petitioner_id = {person} AND p.deleted_at IS NULL AND ({when}) AND {live_repeat} "
        f"GROUP BY p.petitioner_id, {day}, {places} "
        f"ON CONFLICT ({_PERSON_KEY}) DO UPDATE SET petitions = excluded.petitions, repeats = excluded.repeats",
        f"DELETE FROM repeater_day_count WHERE petitioner_id = {person} AND (NOT {live_repeat} OR NOT EXISTS ("
        f"SELECT 1 FROM petition p WHERE p.petitioner_id = {person} AND p.deleted_at IS NULL "
        f"AND {day} = repeater_day_count.day AND COALESCE(p.town_id, '') = repeater_day_count.town_id "
        "AND COALESCE(p.lead_unit_id, '') = repeater_day_count.lead_unit_id))",
    ]


def _is_repeater(person: str) -> str:
    return f"EXISTS (SELECT 1 FROM repeater_day_count k WHERE k.petitioner_id = {person})"


def _sqlite_person_statements(*, new: bool, old: bool) -> list[str]:
    """The repeaters' recount for the new row's petitioner (when the row is a repeat or they are a repeater) and
    the old row's (when they are a repeater — losing a petition never makes one) in a SQLite trigger."""
    statements = []
    if new:
        when = f"NEW.repeat_of_id IS NOT NULL OR {_is_repeater('NEW.petitioner_id')}"
        statements += _repeater_recompute("NEW.petitioner_id", "sqlite", when)
    if old:
        other = "OLD.petitioner_id IS NOT NEW.petitioner_id AND " if new else ""
        statements += _repeater_recompute("OLD.petitioner_id", "sqlite", f"{other}{_is_repeater('OLD.petitioner_id')}")
    return statements


def _changed(columns: tuple[str, ...], dialect: str) -> str:
    op = "IS DISTINCT FROM" if dialect == "postgresql" else "IS NOT"
    return " OR ".join(f"OLD.{name} {op} NEW.{name}" for name in columns)


def sqlite_trigger_ddl() -> list[str]:
    """CREATE TRIGGER statements of the rollups on SQLite."""
    d = "sqlite"
    add, sub = _day_upsert("NEW", "", d, "NEW.deleted_at IS NULL"), _day_upsert("OLD", "-", d, "OLD.deleted_at IS NULL")
    columns = tuple(dict.fromkeys((*COUNTED, *PERSON_COUNTED)))
    update = [sub, add, *_sqlite_person_statements(new=True, old=True)]
    bodies = {
        "petition_rollup_insert": ("AFTER INSERT ON petition", [add, *_sqlite_person_statements(new=True, old=False)]),
        "petition_rollup_delete": ("AFTER DELETE ON petition", [sub, *_sqlite_person_statements(new=False, old=True)]),
        "petition_rollup_update": (
            f"AFTER UPDATE OF {', '.join(columns)} ON petition WHEN {_changed(columns, d)}",
            update,
        ),
    }
    return [
        f"CREATE TRIGGER {name} {head} BEGIN {'; '.join(statements)}; END"
        for name, (head, statements) in bodies.items()
    ]


def postgresql_trigger_ddl() -> list[str]:
    """The trigger function and trigger of the rollups on PostgreSQL."""
    d = "postgresql"
    columns = tuple(dict.fromkeys((*COUNTED, *PERSON_COUNTED)))
    add, sub = _day_upsert("NEW", "", d, "NEW.deleted_at IS NULL"), _day_upsert("OLD", "-", d, "OLD.deleted_at IS NULL")
    new_person = "; ".join(_repeater_recompute("NEW.petitioner_id", d, "TRUE"))
    old_person = "; ".join(_repeater_recompute("OLD.petitioner_id", d, "TRUE"))
    # A transaction lock per petitioner: a concurrent writer of the same petitioner's petitions waits for this one's
    # commit, so its recount (a new snapshot per statement under READ COMMITTED) sees them.
    function = f"""
CREATE OR REPLACE FUNCTION {PG_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NOT ({_changed(columns, d)}) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {sub};
        IF OLD.petitioner_id IS NOT NULL AND (TG_OP = 'DELETE' OR OLD.petitioner_id IS DISTINCT FROM NEW.petitioner_id)
        THEN
            PERFORM pg_advisory_xact_lock({LOCK_CLASS}, hashtext(OLD.petitioner_id));
            IF {_is_repeater("OLD.petitioner_id")} THEN
                {old_person};
            END IF;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {add};
        IF NEW.petitioner_id IS NOT NULL THEN
            PERFORM pg_advisory_xact_lock({LOCK_CLASS}, hashtext(NEW.petitioner_id));
            IF NEW.repeat_of_id IS NOT NULL OR {_is_repeater("NEW.petitioner_id")} THEN
                {new_person};
            END IF;
        END IF;
    END IF;
    RETURN NULL;
END
$$"""
    trigger = (
        f"CREATE TRIGGER {PG_TRIGGER} AFTER INSERT OR DELETE OR UPDATE OF {', '.join(columns)} ON petition "
        f"FOR EACH ROW EXECUTE FUNCTION {PG_TRIGGER}()"
    )
    return [function, trigger]


def drop_triggers(connection: Connection) -> None:
    """Drop the rollup triggers (and PostgreSQL's function) if present."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text(f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON petition"))
        connection.execute(sa.text(f"DROP FUNCTION IF EXISTS {PG_TRIGGER}()"))
        return
    for name in SQLITE_TRIGGERS:
        connection.execute(sa.text(f"DROP TRIGGER IF EXISTS {name}"))


def rebuild_rollup(connection: Connection) -> None:
    """Recount both rollups from the live petition rows."""
    d = connection.dialect.name
    key = ", ".join(f"{expression} AS k{n}" for n, expression in enumerate(_day_key("petition", d)))
    groups = ", ".join(f"k.k{n}" for n in range(7))
    connection.execute(sa.text("DELETE FROM petition_day_count"))
    connection.execute(
        sa.text(
            f"INSERT INTO petition_day_count ({_DAY_KEY}, batches, persons) SELECT {groups}, COUNT(*), SUM(k.p) "
            f"FROM (SELECT {key}, COALESCE(petition.head_count, 0) AS p FROM petition "
            f"WHERE petition.deleted_at IS NULL) k GROUP BY {groups}"
        )
    )
    day = _local_day("petition", d)
    places = "COALESCE(petition.town_id, ''), COALESCE(petition.lead_unit_id, '')"
    connection.execute(sa.text("DELETE FROM repeater_day_count"))
    connection.execute(
        sa.text(
            f"INSERT INTO repeater_day_count ({_PERSON_KEY}, petitions, repeats) "
            f"SELECT petition.petitioner_id, {day}, {places}, COUNT(*), "
            "SUM(CASE WHEN petition.repeat_of_id IS NOT NULL THEN 1 ELSE 0 END) FROM petition "
            "WHERE petition.deleted_at IS NULL AND petition.petitioner_id IN (SELECT r.petitioner_id FROM petition r "
            "WHERE r.deleted_at IS NULL AND r.repeat_of_id IS NOT NULL) "
            f"GROUP BY petition.petitioner_id, {day}, {places}"
        )
    )


def install_rollup(connection: Connection) -> None:
    """(Re)create the rollup triggers and recount the rollups (migration 0010; after a batch-alter of petition)."""
    drop_triggers(connection)
    ddl = postgresql_trigger_ddl() if connection.dialect.name == "postgresql" else sqlite_trigger_ddl()
    for statement in ddl:
        connection.exec_driver_sql(statement)
    rebuild_rollup(connection)


def triggers_installed(connection: Connection) -> bool:
    """True when the rollup triggers are on `petition` (SQLite loses them when a batch migration recreates it)."""
    if connection.dialect.name == "postgresql":
        found = connection.scalar(sa.text(
            "SELECT COUNT(*) FROM pg_trigger WHERE tgrelid = to_regclass('petition') AND tgname = :name "
            "AND tgenabled <> 'D'"
        ), {"name": PG_TRIGGER})  # fmt: skip
        return bool(found)
    found = connection.scalar(
        sa.text("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'petition' AND name IN "
                "(:a, :b, :c)"),
        dict(zip("abc", SQLITE_TRIGGERS, strict=True)),
    )  # fmt: skip
    return found == len(SQLITE_TRIGGERS)


_READY = "analytics_rollup_ready"


def rollup_ready(session: Session) -> bool:
    """True when the rollups can be read (remembered for the session: a computation asks several times)."""
    ready = session.info.get(_READY)
    if ready is None:
        ready = session.info[_READY] = triggers_installed(session.connection())
    return bool(ready)
