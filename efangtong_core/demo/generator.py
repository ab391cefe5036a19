"""Turns the petition stream into rows: petitioners, phones, petitions, representatives, units, events, agent cases."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from efangtong_core.analytics.derived import FIGURE_COLUMNS
from efangtong_core.demo import texts
from efangtong_core.demo.cases import CaseHistory, CaseWalker
from efangtong_core.demo.ids import IdSource, QueryCodes, ServerSequence, case_number
from efangtong_core.demo.org import OrgDirectory, Row, UnitStaff, base_row
from efangtong_core.demo.people import PeopleFactory, Person, utc
from efangtong_core.demo.petitions import (
    FORM_WEIGHTS,
    PURPOSE_WEIGHTS,
    SHOWCASE_STATES,
    CategoryPicker,
    MatterPools,
    OpenMatter,
    Timeline,
    draw_matter,
    draw_plan,
    hotspots,
    showcase_plan,
)
from efangtong_core.demo.places import departments_for_category
from efangtong_core.models.petitions import UNIT_ROLE_CO, UNIT_ROLE_LEAD
from efangtong_core.vocabulary import MAX_GROUP_REPRESENTATIVES, PetitionForm, PetitionPurpose
from efangtong_core.workdays import HolidayCalendar

BATCH_TABLES = (
    "petitioner",
    "petitioner_phone",
    "petition",
    "petition_representative",
    "petition_unit",
    "case_event",
    "agent_case",
)
"""Tables a batch fills, in insertion order (parents first)."""

_FORMS = tuple(FORM_WEIGHTS)
_FORM_WEIGHTS = tuple(FORM_WEIGHTS.values())
_PURPOSES = tuple(PURPOSE_WEIGHTS)
_PURPOSE_WEIGHTS = tuple(PURPOSE_WEIGHTS.values())


@dataclass(frozen=True)
class Lookups:
    """Ids of rows written before the petitions: categories by code, towns by code."""

    category_ids: dict[str, str]
    town_ids: dict[str, str]


class PetitionGenerator:
    """Generates the rows of petitions in ordinal (= time) order, one batch at a time."""

    def __init__(
        self,
        *,
        seed: int,
        total: int,
        now: datetime,
        calendar: HolidayCalendar,
        org: OrgDirectory,
        lookups: Lookups,
        ids: IdSource,
        seq: ServerSequence,
    ) -> None:
        self._rng = random.Random(f"{seed}:petitions")
        self._total = total
        self._org = org
        self._lookups = lookups
        self._ids = ids
        self._seq = seq
        self._timeline = Timeline.ending(now, calendar)
        self._hotspots = hotspots(now.date())
        self._walker = CaseWalker(random.Random(f"{seed}:cases"), org, now, calendar)
        self._people = PeopleFactory(random.Random(f"{seed}:people"), ids, seq)
        self._codes = QueryCodes(seed)
        self._categories = CategoryPicker()
        self._pools = MatterPools(total)
        self._year_counts: dict[int, int] = {}
        self._last_petition_id: str | None = None
        count = len(SHOWCASE_STATES)
        self._showcase = {total * (k + 1) // (count + 2): k for k in range(count)} if total >= 2 * count else {}

    def batch(self, start: int, stop: int) -> dict[str, list[Row]]:
        """The rows of petitions with ordinals start..stop-1, by table."""
        rows: dict[str, list[Row]] = {table: [] for table in BATCH_TABLES}
        for ordinal in range(start, stop):
            self._petition(ordinal, rows)
        return rows

    def _petition(self, ordinal: int, rows: dict[str, list[Row]]) -> None:
        rng = self._rng
        at = self._timeline.moment(ordinal, self._total, rng.random())
        showcase = self._showcase.get(ordinal)
        form = rng.choices(_FORMS, weights=_FORM_WEIGHTS)[0]
        purpose = rng.choices(_PURPOSES, weights=_PURPOSE_WEIGHTS)[0]
        if showcase is not None:
            form, purpose = _FORMS[showcase % len(_FORMS)], _PURPOSES[showcase % len(_PURPOSES)]
        repeat = self._pools.pick_repeat(rng) if showcase is None and rng.random() < 0.24 else None
        if repeat is not None and repeat.person.name == "匿名":
            repeat = None
        if repeat is not None:
            entry = repeat
            entry.count += 1
            head_count = max(5, entry.head_count + rng.randint(-3, 3)) if entry.head_count > 1 else 1
            if head_count > 1:
                form = PetitionForm.VISIT
        else:
            entry = self._new_matter(rng, at, form, purpose, showcase, rows)
            head_count = entry.head_count
        if entry.category_code.startswith("11") and showcase is None and rng.random() < 0.7:
            purpose = PetitionPurpose.ACCUSATION
        if showcase is not None:
            plan = showcase_plan(SHOWCASE_STATES[showcase])
            plan.merge_into = self._last_petition_id
        else:
            plan = draw_plan(rng, purpose, repeat, at)
        petition_id = self._ids.new()
        registrar, registering_unit = self._registrar(rng, form, entry.town_code)
        units = self._units(rng, entry)
        history = self._walker.walk(
            plan, registered=at, registrar=(registrar, registering_unit), units=units, matter=entry.matter
        )
        content = texts.petition_text(
            rng, entry.matter, purpose=purpose, head_count=head_count, earlier=entry.last_at.date() if repeat else None
        )
        year = at.year
        self._year_counts[year] = number = self._year_counts.get(year, 0) + 1
        status = history.status
        assert status is not None
        last = history.events[-1].at
        rows["petition"].append(
            base_row(self._ids, self._seq, utc(at))
            | {
                "id": petition_id,
                "updated_at": utc(last),
                "case_number": case_number(year, number),
                "provisional_number": None,
                "query_code": self._codes.code(ordinal),
                "form": str(form),
                "purpose": str(purpose),
                "category_id": self._lookups.category_ids[entry.category_code],
                "town_id": self._lookups.town_ids[entry.town_code],
                "head_count": head_count,
                "title": entry.matter.summary,
                "content": content,
                "registering_unit_id": registering_unit,
                "registered_at": utc(at),
                "registered_by_id": registrar,
                "petitioner_id": entry.person.id,
                "agent_id": None,
                "repeat_of_id": entry.first_petition_id if repeat else None,
                "merged_into_id": plan.merge_into if status.merged_into else None,
                "state": str(status.state),
                "deadline": status.next_due,
                "lead_unit_id": history.lead_unit.unit_id if history.lead_unit else None,
                "accepted_at": utc(history.accepted_at) if history.accepted_at else None,
                "closed_at": utc(history.closed_at) if history.closed_at and status.closed_on else None,
                "event_count": len(history.events),
            }
            | {name: history.figures.get(name) for name in FIGURE_COLUMNS}
            | {"extension_days": history.figures.get("extension_days") or 0}
        )
        petition = rows["petition"][-1]
        self._representatives(rng, petition_id, entry, at, rows)
        self._unit_rows(rng, petition_id, history, entry, rows)
        self._events(petition_id, history, rows)
        if form is PetitionForm.AGENT:
            self._agent_case(rng, petition, entry, history, rows)
        if repeat is None:
            entry.first_petition_id = petition_id
            self._pools.add(rng, entry)
        entry.last_at = at
        entry.final_state = status.state
        entry.open_until = history.closed_at
        self._last_petition_id = petition_id

    def _new_matter(
        self,
        rng: random.Random,
        at: datetime,
        form: PetitionForm,
        purpose: PetitionPurpose,
        showcase: int | None,
        rows: dict[str, list[Row]],
    ) -> OpenMatter:
        matter, town_code = draw_matter(rng, self._categories, at, self._hotspots)
        group = form is PetitionForm.VISIT and (rng.random() < 0.07 or showcase == 1)
        head_count = rng.choice((rng.randint(5, 15), rng.randint(5, 30), rng.randint(10, 80))) if group else 1
        existing = rng.random() < 0.05 and self._pools.recent and not group
        if existing:
            person = rng.choice(self._pools.recent).person
        else:
            anonymous = form is PetitionForm.LETTER and rng.random() < (
                0.4 if purpose is PetitionPurpose.ACCUSATION else 0.05
            )
            with_id = not (form is PetitionForm.PHONE and rng.random() < 0.4)
            person = self._person(rows, at, town_code, matter.village, with_id, anonymous, form is PetitionForm.VISIT)
        representatives = [person.id]
        if group:
            for _ in range(rng.randint(1, MAX_GROUP_REPRESENTATIVES) - 1):
                representatives.append(self._person(rows, at, town_code, matter.village, True, False, True).id)
        return OpenMatter(matter, matter.category_code, town_code, person, representatives, head_count, "", at)

    def _person(
        self, rows: dict[str, list[Row]], at: datetime, town: str, village: str, with_id: bool, anon: bool, card: bool
    ) -> Person:
        person, row, phones = self._people.new(
            utc(at), town_code=town, village=village, with_id=with_id, anonymous=anon, verified=card
        )
        rows["petitioner"].append(row)
        rows["petitioner_phone"].extend(phones)
        return person

    def _registrar(self, rng: random.Random, form: PetitionForm, town_code: str) -> tuple[str, str]:
        org = self._org
        at_town = form is PetitionForm.AGENT or (form is PetitionForm.VISIT and rng.random() < 0.2)
        if at_town:
            return org.town_clerks[town_code], org.towns[town_code].unit_id
        return rng.choice(org.clerks), org.bureau.unit_id

    def _units(self, rng: random.Random, entry: OpenMatter) -> tuple[UnitStaff, UnitStaff]:
        """The unit that will handle the matter and another (the wrong one, if first misrouted)."""
        org = self._org
        town = org.towns[entry.town_code]
        department = org.departments[departments_for_category(entry.category_code)[0].code]
        roll = rng.random()
        if roll < 0.05 and entry.category_code[:2] in ("01", "02", "04", "05"):
            return rng.choice(org.zones), town
        return (town, department) if roll < 0.55 else (department, town)

    def _representatives(
        self, rng: random.Random, petition_id: str, entry: OpenMatter, at: datetime, rows: dict[str, list[Row]]
    ) -> None:
        if entry.head_count <= 1:
            return
        for position, petitioner_id in enumerate(entry.representatives, start=1):
            rows["petition_representative"].append(
                base_row(self._ids, self._seq, utc(at))
                | {"petition_id": petition_id, "petitioner_id": petitioner_id, "position": position}
            )

    def _unit_rows(
        self, rng: random.Random, petition_id: str, history: CaseHistory, entry: OpenMatter, rows: dict[str, list[Row]]
    ) -> None:
        if history.lead_unit is None or history.routed_at is None:
            return
        routed = utc(history.routed_at)
        signed = utc(history.signed_at) if history.signed_at else None
        lead = {"petition_id": petition_id, "role": UNIT_ROLE_LEAD, "assigned_at": routed, "signed_at": signed}
        rows["petition_unit"].append(
            base_row(self._ids, self._seq, routed) | lead | {"unit_id": history.lead_unit.unit_id}
        )
        town = self._org.towns[entry.town_code]
        if history.lead_unit is not town and history.accepted_at and rng.random() < 0.1:
            co = {"petition_id": petition_id, "role": UNIT_ROLE_CO, "assigned_at": routed, "signed_at": signed}
            rows["petition_unit"].append(base_row(self._ids, self._seq, routed) | co | {"unit_id": town.unit_id})

    def _events(self, petition_id: str, history: CaseHistory, rows: dict[str, list[Row]]) -> None:
        for number, event in enumerate(history.events, start=1):
            at = utc(event.at)
            rows["case_event"].append(
                base_row(self._ids, self._seq, at)
                | {
                    "petition_id": petition_id,
                    "type": str(event.type),
                    "at": at,
                    "actor_id": event.actor_id,
                    "actor_unit_id": event.unit_id,
                    "role": str(event.role),
                    "payload": event.payload,
                    "seq": number,
                }
            )

    def _agent_case(
        self, rng: random.Random, petition: Row, entry: OpenMatter, history: CaseHistory, rows: dict[str, list[Row]]
    ) -> None:
        agent_id, _ = rng.choice(self._org.agents[entry.town_code])
        petition["agent_id"] = agent_id
        finished = petition["closed_at"]
        rows["agent_case"].append(
            base_row(self._ids, self._seq, petition["registered_at"])
            | {
                "agent_id": agent_id,
                "petition_id": petition["id"],
                "state": "done" if finished else "open",
                "taken_at": petition["registered_at"],
                "finished_at": finished,
                "note": "代办员陪同信访人反映诉求并跟踪办理进度。",
            }
        )
