"""Routing suggestions for the dispatcher (分办建议): which unit should handle a new case, with the reason in Chinese.

`suggest_units` ranks the routing rules the administrator keeps (`routing_rule`: category × town → unit) first — the
rule matching the category exactly and the town comes before a rule on the first-level category or on any town — and
then the units a `RoutingProfile` learned from historical cases (same category and town, similar content: see
`efangtong_core.routing_profile`). It runs on the server and, offline, on a counter's replica (same tables).

The profile is built once per database and kept in memory (the first call waits for it). When the petitions changed
(their highest server_seq or the number of local-only rows) and the profile is at least `REBUILD_AFTER` seconds old,
a background thread builds a new one while calls go on with the old, so a busy server neither rebuilds on every call
nor makes a dispatcher wait. Rules and unit names are read on every call, so an administrator's change shows at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from efangtong_core.models import ContentCategory, OrgUnit, Petition, RoutingRule
from efangtong_core.routing_profile import CONTENT_CHARS, HISTORY_LIMIT, HistoricalCase, LearnedScore, RoutingProfile

REBUILD_AFTER = 60.0
"""Seconds a profile is kept after the petitions changed before it is rebuilt."""

RULE_SCORES = (1.0, 0.95, 0.9)
"""Scores of rule matches: category and town exact; category exact (any town) or first level and town; wider."""
HISTORY_SCALE = 0.89
"""Learned scores (a share in [0, 1]) are scaled below the rules' band, so that scores follow the ranking."""

GROUP_LABELS = {
    "category_town": "同一分类、同一属地",
    "category": "同一分类",
    "parent": "同一大类",
    "town": "同一属地",
    "overall": "全部",
}
RULE_REASON = "符合分办规则（{category}，{town}）"
ANY_CATEGORY = "不限分类"
ANY_TOWN = "不限属地"
HISTORY_REASON = "历史案件：{group}的 {total} 件中有 {count} 件由该单位主办"
SIMILAR_REASON = "内容相近的 {count} 件案件由该单位办理"
REASON_SEPARATOR = "；"


@dataclass(frozen=True)
class UnitSuggestion:
    """A unit suggested for a case: its id and name, a score in [0, 1], why (Chinese), and from rules or history."""

    unit_id: str
    unit_name: str
    score: float
    reason: str
    source: str
    """"rule" (a routing rule matched) or "history" (learned from past cases)."""


@dataclass
class _CachedProfile:
    profile: RoutingProfile
    fingerprint: tuple[int, int]
    built_at: float


_profiles: dict[str, _CachedProfile] = {}
_refreshing: set[str] = set()
_generation = 0
_lock = threading.Lock()
log = logging.getLogger(__name__)


def forget_profiles() -> None:
    """Drop every cached profile (the next call rebuilds it; a refresh under way is discarded)."""
    global _generation
    with _lock:
        _profiles.clear()
        _generation += 1


def _fingerprint(connection: Connection) -> tuple[int, int]:
    seq = Petition.__table__.c.server_seq
    highest = connection.execute(select(func.max(seq))).scalar()
    local = connection.execute(select(func.count()).select_from(Petition).where(seq.is_(None))).scalar()
    return int(highest or 0), int(local or 0)


def category_parents(connection: Connection) -> dict[str, str | None]:
    """Category id → its first-level category id (a first-level category maps to itself)."""
    rows = connection.execute(select(ContentCategory.id, ContentCategory.parent_id))
    return {row.id: row.parent_id or row.id for row in rows}


def load_history(connection: Connection, limit: int = HISTORY_LIMIT) -> list[HistoricalCase]:
    """The most recent routed cases (lead unit known, not deleted), newest first."""
    query = (
        select(
            Petition.category_id,
            Petition.town_id,
            func.substr(Petition.content, 1, CONTENT_CHARS),
            Petition.lead_unit_id,
        )
        .where(Petition.lead_unit_id.is_not(None), Petition.deleted_at.is_(None))
        .order_by(Petition.registered_at.desc())
        .limit(limit)
    )
    return [HistoricalCase(row[0], row[1], row[2] or "", row[3]) for row in connection.execute(query)]


def build_profile(connection: Connection, limit: int = HISTORY_LIMIT) -> RoutingProfile:
    """A profile learned from the database's routed cases."""
    return RoutingProfile.build(load_history(connection, limit), category_parents(connection))


def profile_for(session: Session) -> RoutingProfile:
    """The cached profile of the session's database; built on first use, refreshed in the background when stale."""
    connection = session.connection()
    key = connection.engine.url.render_as_string(hide_password=True)
    fingerprint = _fingerprint(connection)
    now = time.monotonic()
    with _lock:
        cached = _profiles.get(key)
        if cached is not None:
            stale = cached.fingerprint != fingerprint and now - cached.built_at >= REBUILD_AFTER
            if stale and key not in _refreshing:
                _refreshing.add(key)
                args = (connection.engine, key, fingerprint, _generation)
                threading.Thread(target=_refresh, args=args, name="routing-profile", daemon=True).start()
            return cached.profile
    profile = build_profile(connection)
    with _lock:
        _profiles[key] = _CachedProfile(profile, fingerprint, now)
    return profile


def _refresh(engine: Engine, key: str, fingerprint: tuple[int, int], generation: int) -> None:
    """Build a new profile on a connection of its own and put it in place of the old one."""
    try:
        with engine.connect() as connection:
            profile = build_profile(connection)
        with _lock:
            if generation == _generation:
                _profiles[key] = _CachedProfile(profile, fingerprint, time.monotonic())
    except Exception:  # the old profile goes on serving; the next stale call tries again
        log.exception("routing profile refresh failed")
    finally:
        with _lock:
            _refreshing.discard(key)


@dataclass(frozen=True)
class _RuleMatch:
    unit_id: str
    rank: int
    priority: int
    category_id: str | None
    town_id: str | None


def _rule_matches(
    session: Session, category_id: str | None, town_id: str | None, parent: str | None
) -> list[_RuleMatch]:
    categories = [c for c in (category_id, parent) if c is not None]
    towns = [town_id] if town_id is not None else []
    r = RoutingRule
    query = select(r.unit_id, r.priority, r.category_id, r.town_id).where(
        r.active.is_(True),
        r.deleted_at.is_(None),
        or_(r.category_id.is_(None), r.category_id.in_(categories)),
        or_(r.town_id.is_(None), r.town_id.in_(towns)),
    )
    matches = []
    for rule in session.execute(query):
        exact_category = category_id is not None and rule.category_id == category_id
        on_town = rule.town_id is not None
        if exact_category and on_town:
            rank = 0
        elif exact_category or (rule.category_id is not None and on_town):
            rank = 1
        else:
            rank = 2
        matches.append(_RuleMatch(rule.unit_id, rank, rule.priority or 0, rule.category_id, rule.town_id))
    matches.sort(key=lambda m: (m.rank, -m.priority, m.unit_id))
    return matches


def _parent_of(session: Session, profile: RoutingProfile, category_id: str | None) -> str | None:
    """The first-level category of `category_id` (from the profile when it knows it)."""
    if category_id is None:
        return None
    if category_id in profile.parents:
        return profile.parents[category_id]
    return session.scalar(select(ContentCategory.parent_id).where(ContentCategory.id == category_id))


def _units(session: Session, ids: set[str]) -> tuple[dict[str, str], set[str]]:
    """(id → name of the units not deleted, ids of those also active)."""
    if not ids:
        return {}, set()
    query = select(OrgUnit.id, OrgUnit.name, OrgUnit.active).where(
        OrgUnit.id.in_(sorted(ids)), OrgUnit.deleted_at.is_(None)
    )
    names, active = {}, set()
    for row in session.execute(query):
        names[row.id] = row.name
        if row.active:
            active.add(row.id)
    return names, active


def _category_names(session: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    query = select(ContentCategory.id, ContentCategory.name).where(ContentCategory.id.in_(sorted(ids)))
    return {row.id: row.name for row in session.execute(query)}


def _history_reason(learned: LearnedScore) -> str:
    parts = []
    if learned.group_unit_cases:
        group = GROUP_LABELS.get(learned.group, learned.group)
        parts.append(HISTORY_REASON.format(group=group, total=learned.group_cases, count=learned.group_unit_cases))
    if learned.similar_cases:
        parts.append(SIMILAR_REASON.format(count=learned.similar_cases))
    return REASON_SEPARATOR.join(parts)


def suggest_units(
    session: Session,
    *,
    category_id: str | None,
    town_id: str | None,
    content: str,
    limit: int = 3,
    profile: RoutingProfile | None = None,
) -> list[UnitSuggestion]:
    """Up to `limit` units for a case, rule matches first, then learned from history; each with its reason."""
    if limit < 1:
        return []
    profile = profile or profile_for(session)
    rules = _rule_matches(session, category_id, town_id, _parent_of(session, profile, category_id))
    learned = profile.rank(category_id=category_id, town_id=town_id, content=content)
    learned_by_unit = {item.unit_id: item for item in learned}
    wanted = {m.unit_id for m in rules} | {m.town_id for m in rules if m.town_id}
    names, active = _units(session, wanted | {item.unit_id for item in learned[: limit * 4]})
    units = {unit_id: names[unit_id] for unit_id in active}
    categories = _category_names(session, {m.category_id for m in rules if m.category_id})
    suggestions: list[UnitSuggestion] = []
    seen: set[str] = set()
    for match in rules:
        if match.unit_id in seen or match.unit_id not in units:
            continue
        seen.add(match.unit_id)
        reason = RULE_REASON.format(
            category=f"内容分类「{categories.get(match.category_id, '')}」" if match.category_id else ANY_CATEGORY,
            town=f"问题属地「{names.get(match.town_id, '')}」" if match.town_id else ANY_TOWN,
        )
        evidence = learned_by_unit.get(match.unit_id)
        if evidence is not None and _history_reason(evidence):
            reason += REASON_SEPARATOR + _history_reason(evidence)
        suggestions.append(UnitSuggestion(match.unit_id, units[match.unit_id], RULE_SCORES[match.rank], reason, "rule"))
    for item in learned:
        if len(suggestions) >= limit:
            break
        if item.unit_id in seen or item.unit_id not in units or item.score <= 0:
            continue
        seen.add(item.unit_id)
        suggestions.append(
            UnitSuggestion(
                item.unit_id,
                units[item.unit_id],
                round(HISTORY_SCALE * item.score, 4),
                _history_reason(item),
                "history",
            )
        )
    return suggestions[:limit]


def suggested_ids(suggestions: Sequence[UnitSuggestion]) -> list[str]:
    """The unit ids of `suggestions`, in order."""
    return [s.unit_id for s in suggestions]
