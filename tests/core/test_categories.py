"""The default content category table: two levels, unique stable codes, every child under a parent."""

from __future__ import annotations

import pytest

from efangtong_core.categories import (
    InvalidCategoryTable,
    category_path,
    default_categories,
    leaf_categories,
    parse_categories,
)


def test_two_levels_with_plausible_sizes() -> None:
    rows = default_categories()
    top = [row for row in rows if row.level == 1]
    leaves = [row for row in rows if row.level == 2]
    assert 12 <= len(top) <= 20
    assert 60 <= len(leaves) <= 90
    assert leaves == leaf_categories()


def test_codes_unique_and_children_under_their_parent() -> None:
    rows = default_categories()
    codes = [row.code for row in rows]
    assert len(codes) == len(set(codes))
    top_codes = {row.code for row in rows if row.level == 1}
    for row in rows:
        if row.parent_code is None:
            assert len(row.code) == 2
        else:
            assert row.parent_code in top_codes
            assert row.code.startswith(row.parent_code) and len(row.code) == 4
    assert all(any(child.parent_code == code for child in rows) for code in top_codes)


def test_names_unique_within_parent_and_local_matters_present() -> None:
    rows = default_categories()
    pairs = [(row.parent_code, row.name) for row in rows]
    assert len(pairs) == len(set(pairs))
    names = {row.name for row in rows}
    for expected in ("城乡建设", "拆迁安置", "草原确权", "煤矿塌陷区治理", "拖欠工资", "涉法涉诉", "其他"):
        assert expected in names


def test_stable_codes() -> None:
    # Codes are stored in petitions and exchanged: these must never change meaning.
    assert category_path("0101") == "城乡建设 / 拆迁安置"
    assert category_path("0302") == "农村农业 / 草原确权"
    assert category_path("0402") == "国土资源 / 煤矿塌陷区治理"
    assert category_path("15") == "其他"


def test_sort_order_follows_file_order() -> None:
    orders = [row.sort_order for row in default_categories()]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)


@pytest.mark.parametrize(
    "text",
    [
        "code\tparent_code\tname\n0101\t01\t孤儿\n",
        "code\tparent_code\tname\n01\t\t甲\n01\t\t乙\n",
        "code\tparent_code\tname\n01\t\t甲\n0201\t01\t错位\n",
        "code\tname\n01\t甲\n",
        "code\tparent_code\tname\n01\t\n",
    ],
)
def test_malformed_tables_rejected(text: str) -> None:
    with pytest.raises(InvalidCategoryTable):
        parse_categories(text)
