"""Where the counter client finds its theme and icons: the repository's `resources/` or a PyInstaller bundle's."""

from __future__ import annotations

import sys
from pathlib import Path

RESOURCES_DIRNAME = "resources"


def resources_dir() -> Path:
    """The directory holding `theme.qss` and `icons/`, in a source checkout or in a frozen bundle."""
    bundle_root = getattr(sys, "_MEIPASS", None)  # set by PyInstaller's bootloader in a frozen build
    if bundle_root is not None:
        return Path(bundle_root) / RESOURCES_DIRNAME
    return Path(__file__).resolve().parent.parent / RESOURCES_DIRNAME


def resource_path(name: str) -> Path:
    """The path of resource `name` (e.g. "theme.qss", "icons/app.svg"); raises FileNotFoundError if it is missing."""
    path = resources_dir() / name
    if not path.is_file():
        raise FileNotFoundError(f"缺少资源文件：{path}")
    return path
