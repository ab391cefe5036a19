"""GB/T 2260 administrative division codes: the shipped table `data/regions.tsv` and full region names.

The table holds every code valid at some time since 1984, so that an old ID number that still carries a
retired code (e.g. 152728 伊克昭盟伊金霍洛旗, 150627 since 2001) gets its historical name.
"""

from __future__ import annotations

import functools

# Names that GB/T 2260 uses for grouping rows rather than for a real place; they are left out of full names.
_PLACEHOLDERS = frozenset({"市辖区", "县", "市"})


@functools.cache
def region_table() -> dict[str, str]:
    """The whole code → name table, loaded once from the shipped TSV file."""
    from importlib import resources  # on first use: its imports (zipfile, tempfile, …) are not needed before that

    text = resources.files("efangtong_core").joinpath("data/regions.tsv").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, name = line.split("\t")
        table[code] = name
    return table


def _is_code(code: str) -> bool:
    return len(code) == 6 and code.isascii() and code.isdigit()


def province_name(code: str) -> str | None:
    """The name of the province-level division that a 6-digit (or 2-digit) code belongs to, or None if unknown."""
    if len(code) == 2 and code.isascii() and code.isdigit():
        code += "0000"
    if not _is_code(code):
        return None
    return region_table().get(code[:2] + "0000")


def _is_placeholder(name: str) -> bool:
    return name in _PLACEHOLDERS or "直辖" in name


def region_name(code: str) -> str | None:
    """The full name (province + prefecture + county) of a 6-digit code; None if its province is unknown.

    A code unknown below a known province gets the name of its deepest known level.
    """
    if not _is_code(code):
        return None
    table = region_table()
    province = table.get(code[:2] + "0000")
    if province is None:
        return None
    parts = [province]
    if code[2:4] != "00":
        prefecture = table.get(code[:4] + "00")
        if prefecture is not None and not _is_placeholder(prefecture):
            parts.append(prefecture)
        if code[4:] != "00":
            county = table.get(code)
            if county is not None and county != "市辖区":
                parts.append(county)
    return "".join(parts)


def is_known_code(code: str) -> bool:
    """Whether the exact 6-digit code is in the table (current or historical)."""
    return code in region_table()
