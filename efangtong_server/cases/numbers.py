"""Case numbers (案件编号): `伊信〔2026〕000123号`, unique per year, given by the server to each petition it accepts.

The year is the year of registration (China Standard Time), so a petition registered offline on 31 December keeps
that year's number even when it reaches the server in January. The number counts per year from 1, six digits, the
format the demo data and the notices' 文号 use. A counter offline shows the petition's provisional_number until the
server's number arrives with the next pull.

The per-year counter is a row of `sync_sequence` named `case_number:<year>` (no table of its own): it is locked by an
UPDATE in the writing transaction, after the global sequence lock every accepted change takes, so concurrent pushes
on PostgreSQL get distinct, gap-free numbers; a year's first number continues after the highest number already
stored for that year (demo data, imported data).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.engine import Connection

from efangtong_core.models import Petition, SyncSequence, utcnow
from sync.sequence import SequenceAllocator, lock_sequence

PREFIX = "伊信"
DIGITS = 6
COUNTER_PREFIX = "case_number:"
CHINA_TZ = timezone(timedelta(hours=8))

_SEQ: Table = SyncSequence.__table__  # type: ignore[assignment]
_PETITION: Table = Petition.__table__  # type: ignore[assignment]
_NUMBER = re.compile(rf"^{PREFIX}〔(\d{{4}})〕(\d+)号$")


def format_case_number(year: int, number: int) -> str:
    """The case number of the `number`-th petition of `year`, e.g. 伊信〔2026〕000123号."""
    return f"{PREFIX}〔{year}〕{number:0{DIGITS}d}号"


def parse_case_number(text: str | None) -> tuple[int, int] | None:
    """(year, number) of a case number in this format; None for anything else."""
    match = _NUMBER.match(text or "")
    return None if match is None else (int(match.group(1)), int(match.group(2)))


def registration_year(registered_at: datetime | None) -> int:
    """The year (China Standard Time) a petition was registered in; this year when unknown."""
    moment = registered_at or datetime.now(CHINA_TZ)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CHINA_TZ).year


def _highest_stored(connection: Connection, year: int) -> int:
    pattern = f"{PREFIX}〔{year}〕%"
    numbers = connection.execute(select(_PETITION.c.case_number).where(_PETITION.c.case_number.like(pattern)))
    return max((parsed[1] for (text,) in numbers if (parsed := parse_case_number(text))), default=0)


def take_numbers(connection: Connection, year: int, count: int) -> list[str]:
    """The next `count` case numbers of `year`, reserved in the caller's transaction."""
    if count <= 0:
        return []
    lock_sequence(connection)  # serialises first use of a year's counter between concurrent writers
    name = f"{COUNTER_PREFIX}{year}"
    last = connection.execute(
        update(_SEQ).where(_SEQ.c.name == name).values(value=_SEQ.c.value + count).returning(_SEQ.c.value)
    ).scalar_one_or_none()
    if last is None:
        last = _highest_stored(connection, year) + count
        connection.execute(insert(_SEQ).values(name=name, value=last))
    first = int(last) - count + 1
    return [format_case_number(year, number) for number in range(first, int(last) + 1)]


def assign_case_numbers(connection: Connection, petition_ids: Iterable[str]) -> dict[str, str]:
    """Give each petition without a case number the next number of its registration year and a new server_seq.

    Returns petition id → the number given. Deleted petitions and those already numbered are left as they are.
    """
    ids = sorted(set(petition_ids))
    if not ids:
        return {}
    lock_sequence(connection)
    p = _PETITION
    rows = connection.execute(
        select(p.c.id, p.c.registered_at)
        .where(p.c.id.in_(ids), p.c.case_number.is_(None), p.c.deleted_at.is_(None))
        .order_by(p.c.registered_at, p.c.id)
    ).all()
    by_year: dict[int, list[str]] = {}
    for row in rows:
        by_year.setdefault(registration_year(row.registered_at), []).append(row.id)
    given: dict[str, str] = {}
    for year, year_ids in sorted(by_year.items()):
        given.update(zip(year_ids, take_numbers(connection, year, len(year_ids)), strict=True))
    if given:
        allocator = SequenceAllocator(connection)
        params = [{"_id": pid, "_number": number, "_seq": allocator.take()} for pid, number in given.items()]
        connection.execute(
            update(p)
            .where(p.c.id == bindparam("_id"))
            .values(case_number=bindparam("_number"), server_seq=bindparam("_seq"), updated_at=utcnow()),
            params,
        )
        allocator.store()
    return given


def number_unnumbered_petitions(connection: Connection, *, batch: int = 1000) -> int:
    """Give a case number to every stored petition still without one (those that reached the server before numbering).

    Runs when the server starts; numbers follow registration order within each year, like `assign_case_numbers`.
    Returns how many petitions were numbered.
    """
    p = _PETITION
    unnumbered = select(p.c.id).where(p.c.case_number.is_(None), p.c.deleted_at.is_(None))
    given = 0
    while ids := connection.execute(unnumbered.order_by(p.c.registered_at, p.c.id).limit(batch)).scalars().all():
        numbered = len(assign_case_numbers(connection, ids))
        if not numbered:
            break
        given += numbered
    return given
