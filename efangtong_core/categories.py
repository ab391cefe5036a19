"""The default two-level content category table (内容分类) shipped with e访通.

The table lives in `efangtong_core/data/categories.tsv` (code, parent code, name). First-level codes have two digits,
second-level codes four (parent code + two digits). Codes are stable: rows are only ever appended, never renumbered,
so that statistics and exchanged data keep their meaning across versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class CategoryRow:
    """One row of the content category table."""

    code: str
    name: str
    parent_code: str | None
    sort_order: int

    @property
    def level(self) -> int:
        """1 for a first-level category, 2 for a second-level one."""
        return 1 if self.parent_code is None else 2


class InvalidCategoryTable(ValueError):
    """The category table file is malformed."""


def parse_categories(text: str) -> list[CategoryRow]:
    """Parse a category table in the TSV format of `data/categories.tsv`, checking its structure."""
    rows: list[CategoryRow] = []
    seen: dict[str, CategoryRow] = {}
    header_seen = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if not header_seen:
            if fields != ["code", "parent_code", "name"]:
                raise InvalidCategoryTable(f"第{number}行：表头应为 code/parent_code/name")
            header_seen = True
            continue
        if len(fields) != 3:
            raise InvalidCategoryTable(f"第{number}行：应有 3 列，实有 {len(fields)} 列")
        code, parent, name = (field.strip() for field in fields)
        if not code.isdigit() or not name:
            raise InvalidCategoryTable(f"第{number}行：编码应为数字且名称不能为空")
        if code in seen:
            raise InvalidCategoryTable(f"第{number}行：编码 {code} 重复")
        parent_code = parent or None
        if parent_code is None:
            if len(code) != 2:
                raise InvalidCategoryTable(f"第{number}行：一级分类编码应为 2 位")
        else:
            parent_row = seen.get(parent_code)
            if parent_row is None or parent_row.level != 1:
                raise InvalidCategoryTable(f"第{number}行：上级分类 {parent_code} 不存在或不是一级分类")
            if len(code) != 4 or not code.startswith(parent_code):
                raise InvalidCategoryTable(f"第{number}行：二级分类编码应为上级编码加 2 位")
        row = CategoryRow(code=code, name=name, parent_code=parent_code, sort_order=len(rows) + 1)
        seen[code] = row
        rows.append(row)
    return rows


@cache
def _default_rows() -> tuple[CategoryRow, ...]:
    text = resources.files("efangtong_core").joinpath("data/categories.tsv").read_text(encoding="utf-8")
    return tuple(parse_categories(text))


def default_categories() -> list[CategoryRow]:
    """The default category table, first-level rows each followed by their children."""
    return list(_default_rows())


def leaf_categories() -> list[CategoryRow]:
    """The second-level rows of the default table (the ones a petition is filed under)."""
    return [row for row in _default_rows() if row.level == 2]


def category_path(code: str) -> str:
    """The display path of a category code, e.g. "城乡建设 / 拆迁安置"."""
    by_code = {row.code: row for row in _default_rows()}
    row = by_code[code]
    if row.parent_code is None:
        return row.name
    return f"{by_code[row.parent_code].name} / {row.name}"
