"""DESIGN.md §1: efangtong_core ← sync ← (efangtong_server, efangtong_desktop), never reversed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

QT_AND_WEB = {"PySide6", "shiboken6", "pyqtgraph", "fastapi", "starlette", "uvicorn"}
FORBIDDEN: dict[str, set[str]] = {
    "efangtong_core": QT_AND_WEB | {"sync", "efangtong_server", "efangtong_desktop"},
    "sync": QT_AND_WEB | {"efangtong_server", "efangtong_desktop"},
    "efangtong_server": {"efangtong_desktop", "PySide6", "shiboken6", "pyqtgraph"},
    "efangtong_desktop": {"efangtong_server", "fastapi", "starlette", "uvicorn"},
}


def imported_top_level_modules(source: str) -> set[str]:
    """Every top-level module a Python source imports, wherever the import statement stands."""
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module.split(".")[0])
    return modules


def test_imports_are_found_anywhere_in_a_module() -> None:
    source = "import os\ndef f():\n    from PySide6.QtCore import Qt\n    import fastapi.routing\n"
    assert imported_top_level_modules(source) == {"os", "PySide6", "fastapi"}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_respects_dependency_direction(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"{package} has no Python files"
    violations = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in files
        for module in sorted(imported_top_level_modules(path.read_text(encoding="utf-8")) & FORBIDDEN[package])
    ]
    assert violations == []
