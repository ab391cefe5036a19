"""installer.nsi compiles with makensis into a Windows setup program (DESIGN.md §5: makensis on Linux)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.components import component_unavailable

REPO = Path(__file__).resolve().parents[1]
INSTALLER = REPO / "installer.nsi"


@pytest.fixture
def makensis() -> str:
    """The makensis executable; fails under CI and skips elsewhere when it is missing."""
    executable = shutil.which("makensis")
    if executable is None:
        component_unavailable("makensis", "找不到 makensis（Debian 软件包 nsis）")
    return executable


def stand_in_bundle(directory: Path) -> Path:
    """A directory shaped like PyInstaller's one-folder output, with a stand-in efangtong.exe."""
    (directory / "_internal").mkdir(parents=True)
    (directory / "efangtong.exe").write_bytes(b"MZ stand-in for the PyInstaller bootloader")
    (directory / "_internal" / "base_library.zip").write_bytes(b"stand-in")
    return directory


def compile_installer(makensis: str, *defines: str) -> subprocess.CompletedProcess[str]:
    """Run makensis on installer.nsi with `defines` (-DNAME=value)."""
    return subprocess.run(
        [makensis, "-V2", *defines, str(INSTALLER)],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=300,
        check=False,
    )


def test_installer_compiles_into_a_setup_program(makensis: str, tmp_path: Path) -> None:
    bundle = stand_in_bundle(tmp_path / "dist" / "efangtong")
    setup = tmp_path / "setup.exe"
    result = compile_installer(makensis, f"-DDIST_DIR={bundle}", f"-DOUTFILE={setup}", "-DVERSION=0.1.0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert setup.is_file()
    assert setup.read_bytes()[:2] == b"MZ", "a Windows executable"
    assert setup.stat().st_size > 30_000


def test_installer_says_in_chinese_when_the_bundle_is_missing(makensis: str, tmp_path: Path) -> None:
    result = compile_installer(makensis, f"-DDIST_DIR={tmp_path / 'missing'}", f"-DOUTFILE={tmp_path / 'setup.exe'}")
    assert result.returncode != 0
    assert "找不到" in result.stdout + result.stderr
    assert not (tmp_path / "setup.exe").exists()


def test_installer_script_declares_what_windows_needs() -> None:
    script = INSTALLER.read_text(encoding="utf-8")
    for needed in (
        "Unicode true",
        '!insertmacro MUI_LANGUAGE "SimpChinese"',
        "WriteUninstaller",
        "$SMPROGRAMS",
        "$DESKTOP",
        r"Software\Microsoft\Windows\CurrentVersion\Uninstall",
        "UninstallString",
    ):
        assert needed in script, needed
