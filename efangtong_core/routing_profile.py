"""The learned half of routing suggestions: which units handled past cases of a category, a town and similar content.

A `RoutingProfile` is built once from historical routed cases (category, town, content, lead unit) and then answers
queries without touching the database:

- counts of lead units per category, per (category, town), per first-level category and per town, for a smoothed
  estimate of P(unit | category, town) that backs off to the wider groups when a group has little history;
- an inverted index of character bigrams (TF-IDF weighted, cosine-normalised) per category, for the k nearest past
  cases by content, whose units vote by similarity.

A case handled by the town it is about is learned as handled by "its own town" (`LOCAL`), so that what the towns do
for a category pools across towns: a new matter of that category in another town suggests that other town.

Both parts are plain dictionaries (postings are compact arrays, which the garbage collector does not walk), so a
query costs a few dictionary look-ups plus the postings of its `QUERY_GRAMS` most telling bigrams within its category.
"""

from __future__ import annotations

import dataclasses
import heapq
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

HISTORY_LIMIT = 20_000
"""The most recent routed cases a profile learns from (older routing says less about today's units)."""
CONTENT_CHARS = 240
"""Characters of a case's content that enter the bigram index (the gist comes first)."""
NEIGHBOURS = 15
"""How many most similar past cases vote by content."""
CONTENT_WEIGHT = 0.35
"""Share of the content vote in the learned score; the rest is the category × town history."""
SMOOTHING = 3.0
"""Pseudo-count by which a narrow group (category × town) is pulled towards its wider group."""
QUERY_GRAMS = 32
"""How many of a query's bigrams (the highest TF-IDF weights) are looked up."""
COMMON_SHARE = 0.2
"""Bigrams found in more than this share of a category's cases (反映, 请求, 问题…) are not indexed for it: they tell
the cases apart little and would make every lookup walk most of the category."""
COMMON_FLOOR = 50
"""…unless they are in at most this many cases (small categories keep every bigram)."""
LOCAL = "<town-of-the-matter>"
"""The label of "the town the matter is about" in the counts and the content index."""
SAME_TOWN_BOOST = 1.5
"""A similar past case of the same town counts this much more (the same matter is often handled locally)."""

_NOT_TEXT = re.compile(r"[^0-9A-Za-z\u3400-\u9fff]+")


def bigrams(text: str) -> Counter[str]:
    """Character bigrams of `text` (letters, digits and CJK only; punctuation and spaces split runs)."""
    grams: Counter[str] = Counter()
    for run in _NOT_TEXT.split(text[:CONTENT_CHARS]):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams


@dataclass(frozen=True)
class HistoricalCase:
    """One past case as the profile learns it: where it was about, what it said, which unit led it."""

    category_id: str | None
    town_id: str | None
    content: str
    unit_id: str


@dataclass(frozen=True)
class LearnedScore:
    """A unit's learned score in [0, 1] and the evidence behind it (for the Chinese reason)."""

    unit_id: str
    score: float
    group_cases: int
    group_unit_cases: int
    group: str
    similar_cases: int


@dataclass
class RoutingProfile:
    """Counts and a content index learned from historical cases; `rank` scores the units for a new case."""

    parents: Mapping[str, str | None] = field(default_factory=dict)
    by_category_town: dict[tuple[str | None, str | None], Counter[str]] = field(default_factory=dict)
    by_category: dict[str | None, Counter[str]] = field(default_factory=dict)
    by_parent: dict[str | None, Counter[str]] = field(default_factory=dict)
    by_town: dict[str | None, Counter[str]] = field(default_factory=dict)
    overall: Counter[str] = field(default_factory=Counter)
    postings: dict[str | None, dict[str, tuple[array[int], array[float]]]] = field(default_factory=dict)
    case_units: list[str] = field(default_factory=list)
    case_towns: list[str | None] = field(default_factory=list)
    idf: dict[str, float] = field(default_factory=dict)
    cases: int = 0

    @classmethod
    def build(cls, cases: Iterable[HistoricalCase], parents: Mapping[str, str | None] | None = None) -> RoutingProfile:
        """A profile learned from `cases`; `parents` maps a second-level category to its first level."""
        profile = cls(parents=dict(parents or {}))
        grams_of: list[tuple[str | None, Counter[str]]] = []
        frequency: Counter[str] = Counter()
        for case in cases:
            profile._count(case)
            grams = bigrams(case.content)
            frequency.update(grams.keys())
            grams_of.append((case.category_id, grams))
            profile.case_units.append(_label(case.unit_id, case.town_id))
            profile.case_towns.append(case.town_id)
        total = max(len(grams_of), 1)
        profile.idf = {gram: math.log((1 + total) / (1 + df)) + 1.0 for gram, df in frequency.items()}
        lists: dict[str | None, dict[str, tuple[list[int], list[float]]]] = {}
        for index, (category_id, grams) in enumerate(grams_of):
            weights = {gram: count * profile.idf[gram] for gram, count in grams.items()}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            index_of_category = lists.setdefault(category_id, {})
            for gram, weight in weights.items():
                cases_of_gram, weights_of_gram = index_of_category.setdefault(gram, ([], []))
                cases_of_gram.append(index)
                weights_of_gram.append(weight / norm)
        sizes = Counter(category_id for category_id, _ in grams_of)
        profile.postings = {
            category_id: {
                gram: (array("l", ids), array("d", ws))
                for gram, (ids, ws) in grams_index.items()
                if len(ids) <= max(COMMON_SHARE * sizes[category_id], COMMON_FLOOR)
            }
            for category_id, grams_index in lists.items()
        }
        profile.cases = len(grams_of)
        return profile

    def _count(self, case: HistoricalCase) -> None:
        unit = _label(case.unit_id, case.town_id)
        self.by_category_town.setdefault((case.category_id, case.town_id), Counter())[unit] += 1
        self.by_category.setdefault(case.category_id, Counter())[unit] += 1
        self.by_parent.setdefault(self._parent(case.category_id), Counter())[unit] += 1
        self.by_town.setdefault(case.town_id, Counter())[unit] += 1
        self.overall[unit] += 1

    def _parent(self, category_id: str | None) -> str | None:
        return self.parents.get(category_id, category_id) if category_id is not None else None

    def _group_estimate(
        self, category_id: str | None, town_id: str | None
    ) -> tuple[dict[str, float], str, Counter[str]]:
        """Smoothed P(unit | category, town), backing off category × town → category → first level → town."""
        chain: list[tuple[str, Counter[str]]] = []
        if category_id is not None:
            chain.append(("category_town", self.by_category_town.get((category_id, town_id), Counter())))
            chain.append(("category", self.by_category.get(category_id, Counter())))
            parent = self._parent(category_id)
            if parent != category_id:
                chain.append(("parent", self.by_parent.get(parent, Counter())))
        if town_id is not None:
            chain.append(("town", self.by_town.get(town_id, Counter())))
        chain.append(("overall", self.overall))
        estimate: dict[str, float] = {}
        # Fold from the widest group to the narrowest: each narrower group is its counts plus SMOOTHING × the wider.
        for _, counts in reversed(chain):
            total = sum(counts.values())
            units = set(counts) | set(estimate)
            estimate = {u: (counts.get(u, 0) + SMOOTHING * estimate.get(u, 0.0)) / (total + SMOOTHING) for u in units}
        narrowest = next(((name, counts) for name, counts in chain if counts), chain[-1])
        return estimate, narrowest[0], narrowest[1]

    def similar(
        self, category_id: str | None, content: str, town_id: str | None = None, k: int = NEIGHBOURS
    ) -> list[tuple[int, float]]:
        """The k past cases of the category most similar to `content` (cosine, same town boosted), best first."""
        index = self.postings.get(category_id)
        grams = bigrams(content)
        if not index or not grams:
            return []
        weights = {gram: count * self.idf[gram] for gram, count in grams.items() if gram in self.idf}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        scores: defaultdict[int, float] = defaultdict(float)
        for gram in heapq.nlargest(QUERY_GRAMS, weights, key=weights.__getitem__):
            found = index.get(gram)
            if found is None:
                continue
            weight = weights[gram] / norm
            for case_index, case_weight in zip(*found, strict=True):
                scores[case_index] += case_weight * weight
        if town_id is not None:
            for case_index in scores:
                if self.case_towns[case_index] == town_id:
                    scores[case_index] *= SAME_TOWN_BOOST
        return heapq.nlargest(k, scores.items(), key=lambda item: item[1])

    def rank(self, *, category_id: str | None, town_id: str | None, content: str) -> list[LearnedScore]:
        """Every unit with learned evidence for this case, best first (empty when there is no history)."""
        if self.cases == 0:
            return []
        estimate, group, group_counts = self._group_estimate(category_id, town_id)
        neighbours = self.similar(category_id, content, town_id)
        votes: defaultdict[str, float] = defaultdict(float)
        similar_counts: Counter[str] = Counter()
        for case_index, similarity in neighbours:
            votes[self.case_units[case_index]] += similarity
            similar_counts[self.case_units[case_index]] += 1
        vote_total = sum(votes.values())
        content_weight = CONTENT_WEIGHT if vote_total > 0 else 0.0
        group_total = sum(group_counts.values())
        scores = []
        for unit in set(estimate) | set(votes):
            share = votes.get(unit, 0.0) / vote_total if vote_total else 0.0
            score = (1 - content_weight) * estimate.get(unit, 0.0) + content_weight * share
            scores.append(
                LearnedScore(unit, score, group_total, group_counts.get(unit, 0), group, similar_counts.get(unit, 0))
            )
        return _resolve_local(scores, town_id)


def _label(unit_id: str, town_id: str | None) -> str:
    """`LOCAL` when the unit is the town the matter is about, else the unit."""
    return LOCAL if town_id is not None and unit_id == town_id else unit_id


def _resolve_local(scores: list[LearnedScore], town_id: str | None) -> list[LearnedScore]:
    """Scores with `LOCAL` replaced by the case's town (merged with the town's own entry), best first."""
    merged: dict[str, LearnedScore] = {}
    for item in scores:
        unit = town_id if item.unit_id == LOCAL else item.unit_id
        if unit is None:
            continue
        earlier = merged.get(unit)
        if earlier is not None:
            item = LearnedScore(
                unit,
                earlier.score + item.score,
                item.group_cases,
                earlier.group_unit_cases + item.group_unit_cases,
                item.group,
                earlier.similar_cases + item.similar_cases,
            )
        merged[unit] = dataclasses.replace(item, unit_id=unit)
    return sorted(merged.values(), key=lambda s: (-s.score, s.unit_id))
