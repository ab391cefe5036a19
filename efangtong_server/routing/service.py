"""Routing suggestions for a petition the caller may see, or for a category, a town and a text."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from efangtong_core.models import Petition
from efangtong_core.routing_suggestions import UnitSuggestion, suggest_units
from efangtong_server.access.principal import Access
from efangtong_server.sync.service import visibility_of
from sync.scope import visible_filter


class PetitionNotFound(LookupError):
    """No petition of that id within the caller's scope."""


@dataclass(frozen=True)
class CaseFacts:
    """What a suggestion is computed from."""

    category_id: str | None
    town_id: str | None
    content: str


def facts_of_petition(session: Session, *, access: Access, petition_id: str) -> CaseFacts:
    """The category, town and content of a petition the caller may see; PetitionNotFound otherwise."""
    row = session.execute(
        select(Petition.category_id, Petition.town_id, Petition.title, Petition.content)
        .where(Petition.id == petition_id, Petition.deleted_at.is_(None))
        .where(visible_filter("petition", visibility_of(access)))
    ).first()
    if row is None:
        raise PetitionNotFound(petition_id)
    text = "\n".join(part for part in (row.title, row.content) if part)
    return CaseFacts(category_id=row.category_id, town_id=row.town_id, content=text)


def suggestions(
    session: Session,
    *,
    access: Access,
    petition_id: str | None,
    category_id: str | None,
    town_id: str | None,
    content: str,
    limit: int,
) -> list[UnitSuggestion]:
    """Suggested units: from the petition's facts when `petition_id` is given, else from the facts passed."""
    facts = (
        facts_of_petition(session, access=access, petition_id=petition_id)
        if petition_id is not None
        else CaseFacts(category_id=category_id, town_id=town_id, content=content)
    )
    return suggest_units(
        session, category_id=facts.category_id, town_id=facts.town_id, content=facts.content, limit=limit
    )
