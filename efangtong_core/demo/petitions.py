"""The demo petition stream: petitions in time order over three years, generated batch by batch with flat memory.

Ordinal i of N gets a registration time by the inverse of a daily-weight distribution (weekdays, seasons, holidays,
a slow upward trend), so ordinals are in time order and a repeat always comes after what it repeats. Repeats come
from two bounded pools: recent matters (any may recur) and a few persistent ones (the long tail of people who petition
many times about the same matter). A fixed set of "showcase" ordinals forces every state, form and purpose to appear
even in a small data set.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate

from efangtong_core.categories import leaf_categories
from efangtong_core.demo.cases import CasePlan
from efangtong_core.demo.people import Person
from efangtong_core.demo.places import pick_town, pick_village
from efangtong_core.demo.texts import Matter, new_matter
from efangtong_core.lifecycle import PetitionState
from efangtong_core.vocabulary import TOWNS, PetitionForm, PetitionPurpose, ReplyOutcome, Satisfaction
from efangtong_core.workdays import HolidayCalendar

S = PetitionState
YEARS = 3

FORM_WEIGHTS = {
    PetitionForm.ONLINE: 37,
    PetitionForm.VISIT: 35,
    PetitionForm.LETTER: 12,
    PetitionForm.PHONE: 9,
    PetitionForm.AGENT: 6,
    PetitionForm.FAX: 1,
}
PURPOSE_WEIGHTS = {
    PetitionPurpose.REQUEST: 62,
    PetitionPurpose.APPEAL: 10,
    PetitionPurpose.ACCUSATION: 8,
    PetitionPurpose.SUGGESTION: 8,
    PetitionPurpose.CONSULTATION: 9,
    PetitionPurpose.OTHER: 3,
}
# First-level category weights (城乡建设, 劳动社保, 农村农业 and the coal county's 国土资源 lead).
_TOP_WEIGHTS = {
    "01": 18, "02": 16, "03": 14, "04": 14, "05": 6, "06": 4, "07": 3, "08": 3,
    "09": 5, "10": 7, "11": 3, "12": 2, "13": 2, "14": 2, "15": 1,
}  # fmt: skip
_HEAVY_LEAVES = {"0101": 2.0, "0201": 3.0, "0302": 1.8, "0303": 1.8, "0402": 2.0, "0403": 2.0, "1001": 1.5}
OFFICE_OPENS = 8 * 60
OFFICE_MINUTES = 10 * 60
"""Petitions are registered 08:00-18:00 China Standard Time."""
_MONTH_FACTOR = (1.25, 0.8, 1.15, 1.0, 0.95, 1.0, 1.0, 0.95, 1.0, 0.9, 1.05, 1.25)

# Showcase plans: the target state each forces, longest paths first (they get the earliest slots).
SHOWCASE_STATES: tuple[PetitionState, ...] = (
    S.RE_REVIEWED, S.RE_REVIEWING, S.REVIEWED, S.REVIEWING, S.CLOSED, S.EVALUATED, S.REPLIED, S.REPLY_PENDING,
    S.EXTENSION_PENDING, S.IN_PROGRESS, S.PENDING_ACCEPTANCE, S.ASSIGNED, S.TRANSFERRED, S.REGISTERED,
    S.NOT_ACCEPTED, S.NOT_REACCEPTED, S.MERGED,
)  # fmt: skip


def showcase_plan(state: PetitionState) -> CasePlan:
    """A plan whose walk ends in `state` (given enough time before `now`)."""
    plan = CasePlan(notes=1, outcome=ReplyOutcome.EXPLAINED)
    if state in (S.NOT_ACCEPTED, S.NOT_REACCEPTED):
        plan.decision = str(state)
    elif state is S.MERGED:
        plan.decision = "merge"
    elif state in (S.REVIEWING, S.REVIEWED, S.RE_REVIEWING, S.RE_REVIEWED):
        plan.satisfaction, plan.review = Satisfaction.DISSATISFIED, True
        plan.re_review = state in (S.RE_REVIEWING, S.RE_REVIEWED)
        plan.close = False
    elif state is S.EXTENSION_PENDING:
        plan.extension = "approved"
    plan.assign = state is S.ASSIGNED
    if state not in (S.CLOSED, S.RE_REVIEWED, S.NOT_ACCEPTED, S.NOT_REACCEPTED, S.MERGED):
        plan.stop_at = state
    return plan


@dataclass
class OpenMatter:
    """A matter that may come back: who raised it, where, its first and latest petitions."""

    matter: Matter
    category_code: str
    town_code: str
    person: Person
    representatives: list[str]
    head_count: int
    first_petition_id: str
    last_at: datetime
    final_state: PetitionState | None = None
    open_until: datetime | None = None
    remaining: int = 0
    count: int = 1


@dataclass
class Timeline:
    """Maps an ordinal 0..N-1 to a registration time (China Standard Time), non-decreasing in the ordinal."""

    start: date
    days: int
    cumulative: list[float] = field(default_factory=list)
    last_day_minutes: int = OFFICE_MINUTES
    """Office minutes of the last day that lie before the end of the data (all of them for a past day)."""

    @classmethod
    def ending(cls, now: datetime, calendar: HolidayCalendar) -> Timeline:
        """Three years of days ending at `now`, weighted by weekday, month, holidays and trend."""
        today = now.date()
        elapsed = min(max(now.hour * 60 + now.minute - OFFICE_OPENS, 0), OFFICE_MINUTES)
        if elapsed < 10:  # before office hours: the data ends with yesterday
            today, elapsed = today - timedelta(days=1), OFFICE_MINUTES
        start = years_before(today, YEARS) + timedelta(days=1)
        days = (today - start).days + 1
        weights = []
        for offset in range(days):
            day = start + timedelta(days=offset)
            weight = _MONTH_FACTOR[day.month - 1] * (0.85 + 0.3 * offset / days)
            if not calendar.is_working_day(day):
                weight *= 0.3
            weights.append(weight)
        weights[-1] *= elapsed / OFFICE_MINUTES
        return cls(start, days, list(accumulate(weights)), elapsed - 1)

    def moment(self, ordinal: int, total: int, jitter: float) -> datetime:
        """The registration time of `ordinal` of `total` (`jitter` in [0, 1) spreads it within its slot)."""
        target = (ordinal + jitter) / total * self.cumulative[-1]
        index = min(bisect_left(self.cumulative, target), self.days - 1)
        below = self.cumulative[index - 1] if index else 0.0
        fraction = min(max((target - below) / (self.cumulative[index] - below), 0.0), 0.9999)
        span = self.last_day_minutes if index == self.days - 1 else OFFICE_MINUTES
        minutes = OFFICE_OPENS + int(fraction * span)  # in order within the day
        day = self.start + timedelta(days=index)
        return datetime.combine(day, time(minutes // 60, minutes % 60, int(jitter * 60)))


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (28 February for a 29 February that has none)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


class CategoryPicker:
    """Draws second-level categories with the bureau's typical proportions."""

    def __init__(self) -> None:
        leaves = leaf_categories()
        counts: dict[str, int] = {}
        for leaf in leaves:
            counts[leaf.parent_code or ""] = counts.get(leaf.parent_code or "", 0) + 1
        self.codes = [leaf.code for leaf in leaves]
        weights = [
            _TOP_WEIGHTS[leaf.parent_code or ""] / counts[leaf.parent_code or ""] * _HEAVY_LEAVES.get(leaf.code, 1.0)
            for leaf in leaves
        ]
        self._cumulative = list(accumulate(weights))

    def pick(self, rng: random.Random) -> str:
        """A second-level category code."""
        return rng.choices(self.codes, cum_weights=self._cumulative)[0]


class MatterPools:
    """Bounded pools of matters that may recur: recent ones and a few persistent ones (the long tail)."""

    def __init__(self, total: int) -> None:
        self.recent: deque[OpenMatter] = deque(maxlen=5000)
        self.persistent: list[OpenMatter] = []
        self.persistent_limit = max(3, total // 1000)

    def add(self, rng: random.Random, entry: OpenMatter) -> None:
        """Remember a new matter; a few become persistent with a heavy-tailed number of repeats to come."""
        self.recent.append(entry)
        if len(self.persistent) < self.persistent_limit and rng.random() < 0.04:
            entry.remaining = min(int(rng.paretovariate(1.1) * 4), 250)
            self.persistent.append(entry)

    def pick_repeat(self, rng: random.Random) -> OpenMatter | None:
        """A matter to petition about again, or None when there is none yet."""
        if self.persistent and rng.random() < 0.3:
            entry = rng.choice(self.persistent)
            entry.remaining -= 1
            if entry.remaining <= 0:
                self.persistent.remove(entry)
            return entry
        return rng.choice(self.recent) if self.recent else None


@dataclass(frozen=True)
class Hotspot:
    """A surge: from `first` to `last`, a share of new matters is about one category in one town (or anywhere)."""

    first: date
    last: date
    category_code: str
    town_code: str | None
    share: float


def hotspots(end: date) -> tuple[Hotspot, ...]:
    """The surges of the demo data, placed relative to its last day, so analytics has surges to find."""

    def days(before: int, length: int) -> tuple[date, date]:
        return end - timedelta(days=before), end - timedelta(days=before - length)

    spots = [
        # A land acquisition for a new project: compensation complaints in 红庆河镇 right now.
        Hotspot(*days(18, 18), "0303", "150627105", 0.12),
        # Subsidence around a mine in 纳林陶亥镇 about four months ago.
        Hotspot(*days(130, 25), "0402", "150627103", 0.10),
        # Coal dust in 乌兰木伦镇 the summer before last.
        Hotspot(*days(500, 30), "0505", "150627102", 0.08),
    ]
    # Unpaid wages before every Spring Festival, anywhere in the banner.
    for year in range(end.year - YEARS, end.year + 1):
        spots.append(Hotspot(date(year, 12, 15), date(year + 1, 1, 25), "0201", None, 0.10))
    return tuple(spots)


def draw_matter(
    rng: random.Random, categories: CategoryPicker, at: datetime, surges: tuple[Hotspot, ...] = ()
) -> tuple[Matter, str]:
    """A new matter (category, town, village, details) first raised at `at`; returns it with its town code."""
    code = categories.pick(rng)
    town_code, town_name = pick_town(rng)
    day = at.date()
    for spot in surges:
        if spot.first <= day <= spot.last and rng.random() < spot.share:
            code = spot.category_code
            if spot.town_code is not None:
                town_code, town_name = spot.town_code, dict(TOWNS)[spot.town_code]
            break
    village = pick_village(rng, town_code)
    return new_matter(rng, code, town_name, village, at.date()), town_code


def draw_plan(rng: random.Random, purpose: PetitionPurpose, repeat: OpenMatter | None, at: datetime) -> CasePlan:
    """The plan of a non-showcase case, with the proportions of a county bureau."""
    plan = CasePlan(notes=rng.choice((0, 1, 1, 2, 3)))
    if repeat is not None:
        if repeat.final_state is S.RE_REVIEWED and rng.random() < 0.7:
            plan.decision = "not_reaccepted"
            return plan
        if (repeat.open_until is None or repeat.open_until > at) and rng.random() < 0.4:
            plan.decision, plan.merge_into = "merge", repeat.first_petition_id
            return plan
    roll = rng.random()
    if roll < 0.04:
        plan.decision = "not_accepted"
        return plan
    if (purpose is PetitionPurpose.CONSULTATION and rng.random() < 0.6) or roll < 0.07:
        plan.decision = "bureau"
    plan.assign = rng.random() < 0.25
    plan.misroute = rng.random() < 0.03
    plan.unit_refuses = rng.random() < 0.02
    plan.slow_routing = rng.random() < 0.04
    plan.supervise = rng.random() < 0.12
    extension = rng.random()
    plan.extension = "approved" if extension < 0.06 else "refused" if extension < 0.075 else None
    plan.late = rng.random() < 0.09
    plan.reply_returned = rng.random() < 0.06
    plan.outcome = rng.choices(tuple(ReplyOutcome), weights=(45, 40, 15))[0]
    plan.evaluate = rng.random() < 0.87
    plan.re_review = rng.random() < 0.35
    plan.close = rng.random() < 0.95
    if rng.random() < 0.025:
        plan.stop_at = rng.choice(
            (S.REGISTERED, S.TRANSFERRED, S.PENDING_ACCEPTANCE, S.IN_PROGRESS, S.IN_PROGRESS, S.REPLIED, S.EVALUATED)
        )
    return plan
