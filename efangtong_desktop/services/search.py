"""Searching the local replica: one query box parsed into field queries, filters, counted and paged results.

What a word of the query box means (words separated by spaces must all match):
- 18 (or 15) digits, the last may be X: a full ID number. 4 digits (or 3 + X): the last 4 of an ID number or of a
  phone. Other runs of 5+ digits: the start of an ID number, a phone or a case number's digits.
- Letters only: pinyin initials of a name (zs ← 张三), from the start; 4+ letters may also start a query code.
- Letters and digits: a query code (查询码), from the start.
- Han characters: a name or the title/content (拆迁, 工资); with 〔…〕 or 号 a case number.
Filters: registration date range (China's calendar), form, category (a first-level one includes its sub-categories),
town, state and overdue (an open case whose duty deadline ended before today). Results: newest registration first,
ID numbers and phones masked unless the user's roles need them (`efangtong_core.masking`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from efangtong_core.analytics.people import OPEN_STATES
from efangtong_core.case_states import PetitionState
from efangtong_core.idnumber import normalise_text
from efangtong_core.masking import shown_id_number, shown_phone
from efangtong_core.vocabulary import PetitionForm
from efangtong_desktop.services import search_index
from efangtong_desktop.services.search_index import compact_code, registration_key

CHINA = ZoneInfo("Asia/Shanghai")
PAGE_SIZE = 100
UNRECOGNISED_QUERY = "查询内容无法识别：请输入姓名、拼音首字母、证件号码、电话、查询码、案件编号或信访内容中的词语。"
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9A-Za-z]+")
_WORD_SPLIT = re.compile(r"[\s,，;；、]+")
_ID_FULL = re.compile(r"^(\d{17}[\dX]|\d{15})$")
_TAIL = re.compile(r"^\d{3}[\dX]$")
_ID_PARTIAL = re.compile(r"^\d{5,17}X?$")
_LETTERS = re.compile(r"^[A-Za-z]+$")
_CODE = re.compile(r"^[A-Za-z0-9]+$")


class QueryError(ValueError):
    """The query box holds nothing searchable; the message says so in Chinese."""


@dataclass(frozen=True)
class SearchFilters:
    """The filters beside the query box; None means "any"."""

    date_from: date | None = None
    date_to: date | None = None
    form: str | None = None
    category_id: str | None = None
    town_id: str | None = None
    state: str | None = None
    overdue: bool = False


@dataclass(frozen=True)
class SearchRequest:
    """What the user asked: the query box text and the filters."""

    text: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)


@dataclass(frozen=True)
class SearchHit:
    """One result row as the list shows it (ID number and phones already masked when the user may not see them)."""

    key: int
    petition_id: str
    number: str
    query_code: str
    registered_at: datetime
    petitioner: str
    id_number: str
    phones: str
    form: str
    category: str
    town: str
    state: str
    deadline: str
    overdue: bool
    title: str


def _phrase(run: str) -> str:
    """The FTS5 phrase of a run of Han characters in the bigram index (a single character is a prefix query)."""
    if len(run) == 1:
        return f'"{run}"*'
    return '"' + " ".join(run[i : i + 2] for i in range(len(run) - 1)) + '"'


def word_expression(word: str) -> str | None:
    """The FTS5 expression of one word of the query box, or None when it holds nothing searchable."""
    word = normalise_text(word).upper() if not _HAN.search(word) else normalise_text(word)
    if not word:
        return None
    if _HAN.search(word):
        if "〔" in word or "[" in word or word.endswith("号"):
            code = compact_code(word)
            return f'{{code}} : "{code}"*' if code else None
        runs = _RUNS.findall(word)
        parts = [
            f"{{name body}} : {_phrase(run)}" if _HAN.match(run) else f'{{body code}} : "{run.lower()}"*'
            for run in runs
        ]
        return " AND ".join(f"({part})" for part in parts) if parts else None
    if _ID_FULL.match(word):
        return f'{{ident}} : "{word.lower()}"'
    if _TAIL.match(word):
        return f'{{tail}} : "{word.lower()}"'
    if _ID_PARTIAL.match(word):
        return f'{{ident phone code}} : "{word.lower()}"*'
    if word.isdigit():
        return f'{{tail phone}} : "{word}"*'
    if _LETTERS.match(word):
        if len(word) <= 3:
            return f'{{initials}} : "{word.lower()}"*'
        return f'{{initials code}} : "{word.lower()}"*'
    if _CODE.match(word):
        return f'{{code}} : "{word.lower()}"*'
    cleaned = re.sub(r"[^0-9A-Za-z]", "", word)
    return word_expression(cleaned) if cleaned and cleaned != word else None


def match_expression(text: str) -> str | None:
    """The FTS5 MATCH expression of the whole query box (all words must match); None for an empty box."""
    words = [word for word in _WORD_SPLIT.split(text.strip()) if word]
    if not words:
        return None
    expressions = [word_expression(word) for word in words]
    usable = [expression for expression in expressions if expression]
    if not usable:
        raise QueryError(UNRECOGNISED_QUERY)
    return " AND ".join(f"({expression})" for expression in usable)


def _day_key(day: date) -> int:
    start = datetime.combine(day, time.min, tzinfo=CHINA).astimezone(UTC)
    return registration_key(start)


def _conditions(filters: SearchFilters, today: date) -> tuple[list[str], list[Any], list[str], list[Any]]:
    """SQL conditions on the key alone (usable without search_doc) and on search_doc's columns, with their values."""
    key_sql: list[str] = []
    key_args: list[Any] = []
    if filters.date_from is not None:
        key_sql.append("{key} >= ?")
        key_args.append(_day_key(filters.date_from))
    if filters.date_to is not None:
        key_sql.append("{key} < ?")
        key_args.append(_day_key(filters.date_to + timedelta(days=1)))
    doc_sql: list[str] = []
    doc_args: list[Any] = []
    if filters.form:
        doc_sql.append("d.form = ?")
        doc_args.append(filters.form)
    if filters.category_id:
        doc_sql.append("d.category_id IN (SELECT id FROM content_category WHERE id = ? OR parent_id = ?)")
        doc_args.extend((filters.category_id, filters.category_id))
    if filters.town_id:
        doc_sql.append("d.town_id = ?")
        doc_args.append(filters.town_id)
    if filters.state:
        doc_sql.append("d.state = ?")
        doc_args.append(filters.state)
    if filters.overdue:
        doc_sql.append(f"d.state IN ({','.join('?' * len(OPEN_STATES))}) AND d.deadline < ?")
        doc_args.extend((*OPEN_STATES, today.isoformat()))
    return key_sql, key_args, doc_sql, doc_args


@dataclass(frozen=True)
class _Plan:
    """The FROM part, the conditions and their values of a request, and which column is the registration key."""

    source: str
    where: list[str]
    args: list[Any]
    key: str

    def sql(self, what: str, extra: str | None = None) -> str:
        where = [*self.where, extra] if extra else self.where
        return f"SELECT {what} FROM {self.source}" + (" WHERE " + " AND ".join(where) if where else "")


def _plan(request: SearchRequest, today: date) -> _Plan:
    """How to select the matches of `request`: from the FTS table alone, joined with search_doc, or search_doc alone."""
    expression = match_expression(request.text)
    key_sql, key_args, doc_sql, doc_args = _conditions(request.filters, today)
    if expression is None:
        key = "d.doc_key"
        return _Plan("search_doc d", [c.format(key=key) for c in key_sql] + doc_sql, key_args + doc_args, key)
    key = "f.rowid"
    where = ["search_fts MATCH ?"] + [c.format(key=key) for c in key_sql] + doc_sql
    # CROSS JOIN keeps the FTS table the outer loop: the other order would run the MATCH once per search_doc row.
    source = "search_fts f CROSS JOIN search_doc d ON d.doc_key = f.rowid" if doc_sql else "search_fts f"
    return _Plan(source, where, [expression, *key_args, *doc_args], key)


class SearchService:
    """Searches of one user over the replica; `unmasked` when the user's roles may see ID numbers and phones."""

    def __init__(self, engine: Engine, *, unmasked: bool) -> None:
        self.engine = engine
        self.unmasked = unmasked
        self._ensured = False

    def prepare(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Bring the index up to date (created on first use); how many petitions were (re)indexed."""
        if not self._ensured:
            search_index.ensure_search_index(self.engine)
            self._ensured = True
        return search_index.refresh(self.engine, progress)

    def count(self, request: SearchRequest, today: date | None = None) -> int:
        """How many petitions match `request`."""
        plan = _plan(request, today or date.today())
        return int(self._fetch(plan.sql("count(*)"), plan.args)[0][0])

    def keys(
        self,
        request: SearchRequest,
        *,
        offset: int = 0,
        limit: int = PAGE_SIZE,
        before_key: int | None = None,
        today: date | None = None,
    ) -> list[int]:
        """Registration keys of matches, newest first: from `offset`, or (faster) those older than `before_key`."""
        plan = _plan(request, today or date.today())
        order = f" ORDER BY {plan.key} DESC LIMIT ? OFFSET ?"
        if before_key is None:
            return [row[0] for row in self._fetch(plan.sql(plan.key) + order, [*plan.args, limit, offset])]
        sql = plan.sql(plan.key, f"{plan.key} < ?") + order
        return [row[0] for row in self._fetch(sql, [*plan.args, before_key, limit, 0])]

    def hits(self, keys: list[int], today: date | None = None) -> list[SearchHit]:
        """The rows of `keys` as the list shows them, in the order of `keys`."""
        if not keys:
            return []
        rows = self._fetch(_HITS_SQL.format(marks=",".join("?" * len(keys))), list(keys))
        by_key = {row[0]: self._hit(row, today or date.today()) for row in rows}
        return [by_key[key] for key in keys if key in by_key]

    def page(
        self, request: SearchRequest, *, offset: int = 0, limit: int = PAGE_SIZE, today: date | None = None
    ) -> list[SearchHit]:
        """The hits from `offset` on, newest first."""
        return self.hits(self.keys(request, offset=offset, limit=limit, today=today), today)

    def _fetch(self, sql: str, args: list[Any]) -> list[Any]:
        pooled = self.engine.raw_connection()
        try:
            raw = pooled.driver_connection
            assert raw is not None
            return list(raw.execute(sql, args).fetchall())
        finally:
            pooled.close()

    def _hit(self, row: Any, today: date) -> SearchHit:
        (key, pid, case_number, provisional, query_code, registered_at, form, state, deadline, title) = row[:10]
        category, town, name, id_number, phones = row[10:15]
        moment = datetime.fromisoformat(registered_at).replace(tzinfo=UTC).astimezone(CHINA)
        overdue = bool(deadline) and state in OPEN_STATES and str(deadline) < today.isoformat()
        return SearchHit(
            key=key,
            petition_id=pid,
            number=case_number or provisional or "",
            query_code=query_code or "",
            registered_at=moment,
            petitioner=name or "",
            id_number=shown_id_number(id_number, unmasked=self.unmasked),
            phones=shown_phone(phones, unmasked=self.unmasked),
            form=_FORM_LABELS.get(form, form or ""),
            category=category or "",
            town=town or "",
            state=_STATE_LABELS.get(state, state or ""),
            deadline=str(deadline or ""),
            overdue=overdue,
            title=title or "",
        )


_FORM_LABELS = {member.value: member.label for member in PetitionForm}
_STATE_LABELS = {member.value: member.label for member in PetitionState}
_HITS_SQL = (
    "SELECT d.doc_key, p.id, p.case_number, p.provisional_number, p.query_code, p.registered_at, p.form, p.state, "
    "p.deadline, p.title, c.name, t.name, pe.name, pe.id_number, "
    "(SELECT group_concat(phone, ',') FROM (SELECT phone FROM petitioner_phone ph "
    " WHERE ph.petitioner_id = pe.id AND ph.deleted_at IS NULL ORDER BY ph.position)) "
    "FROM search_doc d JOIN petition p ON p.id = d.petition_id "
    "LEFT JOIN content_category c ON c.id = p.category_id LEFT JOIN org_unit t ON t.id = p.town_id "
    "LEFT JOIN petitioner pe ON pe.id = p.petitioner_id WHERE d.doc_key IN ({marks})"
)


@dataclass(frozen=True)
class FilterOptions:
    """The choices of the category and town filters: (id, name, is_sub_category) and (id, name)."""

    categories: list[tuple[str, str, bool]]
    towns: list[tuple[str, str]]


def load_filter_options(engine: Engine) -> FilterOptions:
    """Active content categories (first level, each followed by its sub-categories) and towns, from the replica."""
    pooled = engine.raw_connection()
    try:
        raw = pooled.driver_connection
        assert raw is not None
        categories = raw.execute(
            "SELECT id, name, parent_id IS NOT NULL FROM content_category "
            "WHERE deleted_at IS NULL AND active ORDER BY code"
        ).fetchall()
        towns = raw.execute(
            "SELECT id, name FROM org_unit WHERE kind = 'town' AND deleted_at IS NULL AND active "
            "ORDER BY sort_order, name"
        ).fetchall()
    finally:
        pooled.close()
    return FilterOptions([(cid, name, bool(sub)) for cid, name, sub in categories], [tuple(town) for town in towns])
