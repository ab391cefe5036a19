"""The lists the registration form chooses from, read from the replica: categories, towns, agents, nations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from efangtong_core.models import Agent, ContentCategory, OrgUnit
from efangtong_core.nations import NATIONS
from efangtong_core.vocabulary import OrgUnitKind

Choice = tuple[str, str]
"""(label shown, value stored)."""


@dataclass(frozen=True)
class RegistrationChoices:
    """Everything the form's combo boxes list."""

    categories: tuple[Choice, ...]
    subcategories: dict[str, tuple[Choice, ...]]
    """First-level category id → its second-level categories."""
    towns: tuple[Choice, ...]
    agents: tuple[Choice, ...]
    nations: tuple[str, ...]


def load_choices(session: Session) -> RegistrationChoices:
    """Read the active categories (two levels), towns and zones, and active agents of the replica."""
    rows = session.execute(
        select(ContentCategory.id, ContentCategory.parent_id, ContentCategory.code, ContentCategory.name)
        .where(ContentCategory.deleted_at.is_(None), ContentCategory.active.is_(True))
        .order_by(ContentCategory.sort_order, ContentCategory.code)
    ).all()
    first = tuple((f"{row.code} {row.name}", row.id) for row in rows if row.parent_id is None)
    second: dict[str, list[Choice]] = {}
    for row in rows:
        if row.parent_id is not None:
            second.setdefault(row.parent_id, []).append((f"{row.code} {row.name}", row.id))
    towns = session.execute(
        select(OrgUnit.id, OrgUnit.name)
        .where(
            OrgUnit.deleted_at.is_(None),
            OrgUnit.active.is_(True),
            OrgUnit.kind.in_((OrgUnitKind.TOWN.value, OrgUnitKind.ZONE.value)),
        )
        .order_by(OrgUnit.kind.desc(), OrgUnit.sort_order, OrgUnit.name)
    ).all()
    agents = session.execute(
        select(Agent.id, Agent.name, Agent.village, OrgUnit.name.label("town"))
        .join(OrgUnit, OrgUnit.id == Agent.town_id)
        .where(Agent.deleted_at.is_(None), Agent.active.is_(True))
        .order_by(OrgUnit.sort_order, Agent.name)
    ).all()
    return RegistrationChoices(
        categories=first,
        subcategories={key: tuple(value) for key, value in second.items()},
        towns=tuple((row.name, row.id) for row in towns),
        agents=tuple((f"{row.name}（{row.town}{' ' + row.village if row.village else ''}）", row.id) for row in agents),
        nations=tuple(NATIONS.values()),
    )


def newest_files(folder: Path, *, count: int = 1, exclude: frozenset[Path] = frozenset()) -> list[Path]:
    """The `count` most recently modified files of a scanner folder (not hidden, not already picked)."""
    if not folder.is_dir():
        return []
    files = [
        path
        for path in folder.iterdir()
        if path.is_file() and not path.name.startswith(".") and path.resolve() not in exclude
    ]
    files.sort(key=lambda path: path.stat().st_mtime_ns, reverse=True)
    return files[:count]
