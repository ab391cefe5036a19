"""The workspace's figure table as plain rows (Qt-free): each figure of a snapshot, its drill-down, and a comparison."""

from __future__ import annotations

from dataclasses import dataclass

from efangtong_core.analytics import Count, DashboardSnapshot, Figure, Rate
from efangtong_desktop.views.analysis import texts


@dataclass(frozen=True)
class FigureRow:
    """One line of the figure table: what it counts, its value, and the drill-down behind it (None: a heading)."""

    key: str
    """Stable identity of the line (to match the line of a compared snapshot)."""
    label: str
    value: float | None
    text: str
    figure: Figure | None = None
    figure_key: str | None = None
    is_rate: bool = False


def _count(key: str, label: str, value: int, figure: Figure | None, figure_key: str | None = None) -> FigureRow:
    return FigureRow(key, label, float(value), f"{value:,}", figure, figure_key)


def _rate(key: str, label: str, rate: Rate, figure: Figure) -> FigureRow:
    value = rate.value
    text = texts.NO_VALUE if value is None else f"{value * 100:.1f}%（{rate.numerator:,}/{rate.denominator:,}）"
    return FigureRow(key, label, value, text, figure, None, is_rate=True)


def _heading(label: str) -> FigureRow:
    return FigureRow(f"heading:{label}", label, None, "")


def _groups(prefix: str, counts: tuple[Count, ...], figure: Figure) -> list[FigureRow]:
    return [_count(f"{prefix}:{c.key}", f"　{c.label}", c.batches, figure, c.key) for c in counts]


def figure_rows(snap: DashboardSnapshot) -> list[FigureRow]:
    """Every figure of `snap` in table order."""
    dissatisfied = snap.satisfaction_rate.denominator - snap.satisfaction_rate.numerator
    rows = [
        _count("total", "信访总量（批次）", snap.totals.batches, Figure.TOTAL),
        _count("persons", "信访人次", snap.totals.persons, Figure.TOTAL),
        _count("group", "集体访（批次）", snap.group_visits.batches, Figure.GROUP_VISIT),
        _count("group_persons", "集体访（人次）", snap.group_visits.persons, Figure.GROUP_VISIT),
        _count("first", "初信初访", snap.first_time.batches, Figure.FIRST_TIME),
        _count("repeat", "重复信访", snap.repeats.batches, Figure.REPEAT),
        _rate("timely", "及时受理率", snap.timely_acceptance, Figure.ACCEPTED),
        _count("accepted_late", "　超期受理", _misses(snap.timely_acceptance), Figure.ACCEPTED_LATE),
        _rate("on_time", "按期办结率", snap.on_time_closure, Figure.REPLIED),
        _count("closed_late", "　超期办结", _misses(snap.on_time_closure), Figure.CLOSED_LATE),
        _rate("evaluated", "参评率", snap.evaluation_rate, Figure.REPLIED),
        _count("unevaluated", "　未参评", _misses(snap.evaluation_rate), Figure.UNEVALUATED),
        _rate("satisfied", "满意率", snap.satisfaction_rate, Figure.EVALUATED),
        _count("dissatisfied", "　不满意", dissatisfied, Figure.DISSATISFIED),
        _count("overdue", "当前超期", sum(unit.overdue for unit in snap.overdue_by_unit), Figure.OVERDUE),
        _heading(texts.SECTION_FORM),
        *_groups("form", snap.by_form, Figure.FORM),
        _heading(texts.SECTION_CATEGORY),
        *_groups("category", snap.by_category, Figure.CATEGORY),
        _heading(texts.SECTION_TOWN),
        *_groups("town", snap.by_town, Figure.TOWN),
    ]
    if snap.overdue_by_unit:
        rows.append(_heading(texts.SECTION_OVERDUE))
        rows += [_count(f"overdue:{u.unit_id}", f"　{u.label}", u.overdue, Figure.OVERDUE, u.unit_id)
                 for u in snap.overdue_by_unit]  # fmt: skip
    if snap.top_repeat_petitioners:
        rows.append(_heading(texts.SECTION_REPEATERS))
        rows += [_count(f"repeater:{p.petitioner_id}", f"　{p.masked_name}", p.petitions, Figure.REPEAT_PETITIONER,
                        p.petitioner_id) for p in snap.top_repeat_petitioners]  # fmt: skip
    return rows


def _misses(rate: Rate) -> int:
    return rate.denominator - rate.numerator


def change_text(row: FigureRow, other: FigureRow | None) -> str:
    """How `row` differs from the compared line: +n / −n for counts, ±percentage points for rates."""
    if other is None or row.value is None or other.value is None:
        return texts.NO_VALUE if row.value is not None else ""
    diff = row.value - other.value
    if row.is_rate:
        return f"{diff * 100:+.1f} 个百分点"
    if other.value:
        return f"{diff:+,.0f}（{diff / other.value * 100:+.1f}%）"
    return f"{diff:+,.0f}"


def compared_rows(rows: list[FigureRow], others: list[FigureRow]) -> list[tuple[FigureRow, FigureRow | None]]:
    """Each line of `rows` with the line of the same key in `others` (None when it has none)."""
    index = {row.key: row for row in others}
    return [(row, index.get(row.key)) for row in rows]
