"""Run under a real X server: a replica with demo petitions, the 查询 page searched for 拆迁, a PNG of the main window.

Usage: python -m tests.e2e.shoot_search DATA_DIR OUT.png [WIDTHxHEIGHT]; prints the hit count.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from PySide6.QtTest import QTest

from efangtong_core.demo.seed import seed_demo
from efangtong_desktop.app import create_application
from efangtong_desktop.context import AppContext
from efangtong_desktop.services.api_client import SignedInUser
from efangtong_desktop.settings import load_settings
from efangtong_desktop.views.main_window import MainWindow

SEARCH_PAGE = 1
QUERY = "拆迁"


def main(argv: list[str]) -> int:
    """Take the screenshot; 0 on success."""
    data_dir, out = Path(argv[0]), Path(argv[1])
    width, height = (int(part) for part in (argv[2] if len(argv) > 2 else "1366x768").split("x"))
    app = create_application()
    context = AppContext.open(load_settings(data_dir=data_dir, server_url="http://127.0.0.1:9", user="登记员"))
    seed_demo(context.engine, petitions=400, today=date(2026, 11, 25))
    context.signed_in = SignedInUser("clerk", "clerk", "登记员", "", "伊金霍洛旗信访局", ("clerk",), False)
    window = MainWindow(context)
    window.resize(width, height)
    window.show()
    QTest.qWaitForWindowExposed(window)
    counts: list[int] = []
    window.search_page.searched.connect(counts.append)
    window.navigate(SEARCH_PAGE)
    window.search_page.ui.queryEdit.setText(QUERY)
    window.search_page.search()
    deadline = time.monotonic() + 60
    while not counts or window.search_page.model.pending_windows:
        if time.monotonic() > deadline:
            print("search did not finish", file=sys.stderr)
            return 1
        QTest.qWait(10)
    QTest.qWait(50)
    app.processEvents()
    ok = window.grab().save(str(out), "PNG")
    print(counts[-1])
    window.close()
    context.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
