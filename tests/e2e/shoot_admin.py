"""Run under a real X server: sign in as administrator, open 系统设置 on one tab, save a PNG of the main window.

Usage: python -m tests.e2e.shoot_admin SERVER_URL DATA_DIR OUT.png TAB_INDEX [WIDTHxHEIGHT]
(the password comes from EFT_AUTOLOGIN_PASSWORD, the username from EFT_SHOT_USER).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtTest import QTest

from efangtong_desktop.app import create_application
from efangtong_desktop.context import AppContext
from efangtong_desktop.settings import load_settings
from efangtong_desktop.views.admin.page import TAB_CLASSES
from efangtong_desktop.views.main_window import SETTINGS_PAGE, MainWindow
from efangtong_desktop.views.sign_in import sign_in_automatically


def main(argv: list[str]) -> int:
    """Take the screenshot; 0 on success."""
    server_url, data_dir, out, tab_index = argv[0], Path(argv[1]), Path(argv[2]), int(argv[3])
    width, height = (int(part) for part in (argv[4] if len(argv) > 4 else "1366x768").split("x"))
    app = create_application()
    context = AppContext.open(load_settings(data_dir=data_dir, server_url=server_url))
    sign_in_automatically(context, os.environ["EFT_SHOT_USER"], os.environ["EFT_AUTOLOGIN_PASSWORD"])
    window = MainWindow(context)
    window.resize(width, height)
    window.show()
    QTest.qWaitForWindowExposed(window)
    window.navigate(SETTINGS_PAGE)
    tab = window.admin_page.show_tab(TAB_CLASSES[tab_index]) if window.admin_page.allowed else None
    deadline = time.monotonic() + 30
    while tab is not None and not (tab.loaded and tab.busy == 0):
        if time.monotonic() > deadline:
            print("tab did not load", file=sys.stderr)
            return 1
        QTest.qWait(10)
    if tab is not None and hasattr(tab, "select_user"):
        tab.select_user("admin")
    QTest.qWait(50)
    app.processEvents()
    ok = window.grab().save(str(out), "PNG")
    window.close()
    context.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
