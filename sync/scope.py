"""What a user may pull and push: visibility of every replicated table by org-unit scope (DESIGN.md §3, §4).

- Reference tables (org units, users without their local columns, role grants, categories, deadline rules, holidays,
  routing rules, SMS templates, warning rules, agents, reception sessions) go to everyone and are read-only for
  counters: only the server's administration changes them.
- A petition is visible when its town, its registering unit or one of its handling units (petition_unit) is in the
  user's scope; its events, representatives, units, attachments, agent records and reception records follow it.
- Petitioners (and their phones) follow their visible petitions (as first petitioner or representative).
- Early warnings follow their responsible unit, and their subject (a petition, a petitioner) must be visible too;
  record history follows the record it belongs to.
- A county scope (a grant on the bureau) sees everything.
- The access log of personal records (petitioner_access) only goes up: counters append to it, nobody pulls it.
A row that is not visible is never sent, not even its id.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from sqlalchemy import ColumnElement, Select, Table, and_, false, or_, select, true, union

from efangtong_core.models import Base, replicated_tables


@dataclass(frozen=True)
class Visibility:
    """A user's scope for sync: the whole county, or a set of org units (with their sub-units already expanded)."""

    county: bool
    unit_ids: frozenset[str]
    roles: frozenset[str]
    acting_unit_ids: frozenset[str] = frozenset()
    """The units the user's 承办员 / 单位负责人 grants are on: whose cases they handle (a county scope does not make a
    bureau handler the handler of every town's cases)."""


class Rule(Enum):
    """How a table's rows are filtered."""

    REFERENCE = "reference"
    PETITION = "petition"
    FOLLOWS_PETITION = "follows_petition"
    PETITIONER = "petitioner"
    FOLLOWS_PETITIONER = "follows_petitioner"
    ATTACHMENT = "attachment"
    HISTORY = "history"
    UNIT = "unit"
    ACCESS_LOG = "access_log"


TABLE_RULES: dict[str, Rule] = {
    **dict.fromkeys(
        (
            "org_unit",
            "user_account",
            "role_grant",
            "content_category",
            "deadline_rule",
            "holiday",
            "routing_rule",
            "sms_template",
            "document_template",
            "warning_rule",
            "agent",
            "reception_session",
        ),
        Rule.REFERENCE,
    ),
    "petition": Rule.PETITION,
    **dict.fromkeys(
        (
            "case_event",
            "petition_representative",
            "petition_unit",
            "agent_case",
            "agent_evaluation",
            "reception_record",
            "booking",
        ),
        Rule.FOLLOWS_PETITION,
    ),
    "petitioner": Rule.PETITIONER,
    "petitioner_phone": Rule.FOLLOWS_PETITIONER,
    "attachment": Rule.ATTACHMENT,
    "record_history": Rule.HISTORY,
    "warning": Rule.UNIT,
    "petitioner_access": Rule.ACCESS_LOG,
}

READ_ONLY_RULES = frozenset({Rule.REFERENCE, Rule.HISTORY, Rule.UNIT})
"""Tables counters may not change: the server maintains them."""

PETITION_FAMILY = (
    *(name for name, rule in TABLE_RULES.items() if rule is Rule.FOLLOWS_PETITION),
    "attachment",
)
"""Child tables (with a petition_id) re-sent with their petition when it becomes visible to more units."""


def table(name: str) -> Table:
    """The replicated table `name`."""
    return Base.metadata.tables[name]


def pulled_columns(name: str) -> list[str]:
    """The columns of table `name` that leave the server (local columns stay)."""
    from efangtong_core.models import model_for_table

    local = set(model_for_table(name).__local_columns__)
    return [column.name for column in table(name).columns if column.name not in local]


def check_rules_cover_every_table() -> None:
    """Fail loudly when a replicated table has no visibility rule (a new table must decide)."""
    missing = [t.name for t in replicated_tables() if t.name not in TABLE_RULES]
    if missing:
        raise RuntimeError(f"replicated tables without a sync visibility rule: {missing}")


def visible_petition_ids(vis: Visibility) -> Select[tuple[str]]:
    """The ids of the petitions `vis` may see."""
    p, pu = table("petition"), table("petition_unit")
    units = sorted(vis.unit_ids)
    handled = select(pu.c.petition_id).where(pu.c.unit_id.in_(units), pu.c.deleted_at.is_(None))
    return select(p.c.id).where(or_(p.c.town_id.in_(units), p.c.registering_unit_id.in_(units), p.c.id.in_(handled)))


def visible_petitioner_ids(vis: Visibility) -> Select[tuple[str]]:
    """The ids of the petitioners of the petitions `vis` may see."""
    p, rep = table("petition"), table("petition_representative")
    petitions = visible_petition_ids(vis).scalar_subquery()
    first = select(p.c.petitioner_id.label("id")).where(p.c.id.in_(petitions), p.c.petitioner_id.is_not(None))
    representatives = select(rep.c.petitioner_id.label("id")).where(rep.c.petition_id.in_(petitions))
    found = union(first, representatives).subquery()
    return select(found.c.id)


def visible_filter(name: str, vis: Visibility) -> ColumnElement[bool]:
    """The WHERE condition selecting the rows of table `name` that `vis` may see."""
    rule = TABLE_RULES.get(name)
    if rule is Rule.REFERENCE:
        return true()
    if rule is Rule.ACCESS_LOG:
        return false()  # audited on the server; never sent back down, not even to the county
    if vis.county:
        return true() if rule is not None else false()
    t = table(name)
    units = sorted(vis.unit_ids)
    if rule is Rule.PETITION:
        return t.c.id.in_(visible_petition_ids(vis).scalar_subquery())
    if rule is Rule.FOLLOWS_PETITION:
        return t.c.petition_id.in_(visible_petition_ids(vis).scalar_subquery())
    if rule is Rule.PETITIONER:
        return t.c.id.in_(visible_petitioner_ids(vis).scalar_subquery())
    if rule is Rule.FOLLOWS_PETITIONER:
        return t.c.petitioner_id.in_(visible_petitioner_ids(vis).scalar_subquery())
    if rule is Rule.ATTACHMENT:
        events = table("case_event")
        petitions = visible_petition_ids(vis).scalar_subquery()
        of_event = select(events.c.id).where(events.c.petition_id.in_(petitions)).scalar_subquery()
        return or_(
            t.c.petition_id.in_(petitions),
            t.c.case_event_id.in_(of_event),
            t.c.petitioner_id.in_(visible_petitioner_ids(vis).scalar_subquery()),
        )
    if rule is Rule.HISTORY:
        return or_(
            and_(t.c.table_name == "petition", t.c.row_id.in_(visible_petition_ids(vis).scalar_subquery())),
            and_(t.c.table_name == "petitioner", t.c.row_id.in_(visible_petitioner_ids(vis).scalar_subquery())),
        )
    if rule is Rule.UNIT:  # a warning about a case or a person also needs its subject to be visible
        subject = or_(
            t.c.subject_type.not_in(("petition", "petitioner")),
            and_(t.c.subject_type == "petition", t.c.subject_id.in_(visible_petition_ids(vis).scalar_subquery())),
            and_(t.c.subject_type == "petitioner", t.c.subject_id.in_(visible_petitioner_ids(vis).scalar_subquery())),
        )
        return and_(t.c.unit_id.in_(units), subject)
    return false()


def petition_visible(vis: Visibility, petition: dict[str, object] | None, handling_unit_ids: set[str]) -> bool:
    """True when `vis` may see a petition with these values and handling units (None: no such petition)."""
    if petition is None:
        return False
    if vis.county:
        return True
    units = {petition.get("town_id"), petition.get("registering_unit_id"), *handling_unit_ids}
    return bool(units & vis.unit_ids)
