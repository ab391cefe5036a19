"""Run under a real X server: the 登记 page at a given size, a registration typed in, one field refused; save a PNG.

Usage: python -m tests.e2e.shoot_register DATA_DIR OUT.png [WIDTHxHEIGHT]
Prints the font family the form's Chinese text is drawn with.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtGui import QFontInfo
from PySide6.QtTest import QTest

from efangtong_desktop.app import create_application
from efangtong_desktop.context import AppContext
from efangtong_desktop.services.api_client import SignedInUser
from efangtong_desktop.settings import load_settings
from efangtong_desktop.views.main_window import MainWindow
from efangtong_desktop.views.register.fields import select_value
from tests.desktop.register.reference import RESIDENT_ID, seed_reference


def main(argv: list[str]) -> int:
    """Take the screenshot; 0 on success."""
    data_dir, out = Path(argv[0]), Path(argv[1])
    width, height = (int(part) for part in (argv[2] if len(argv) > 2 else "1366x768").split("x"))
    app = create_application()
    context = AppContext.open(load_settings(data_dir=data_dir, server_url="http://127.0.0.1:9", user="登记员"))
    ref = seed_reference(context.engine)
    context.signed_in = SignedInUser(
        ref.clerk_id, "clerk", "登记员", ref.bureau_id, "伊金霍洛旗信访局", ("clerk",), False
    )
    window = MainWindow(context)
    window.resize(width, height)
    window.show()
    QTest.qWaitForWindowExposed(window)
    page = window.register_page
    deadline = time.monotonic() + 30
    while page.fields.choices is None:
        if time.monotonic() > deadline:
            print("the form's lists did not load", file=sys.stderr)
            return 1
        QTest.qWait(10)
    ui = page.ui
    ui.idNumberEdit.setText(RESIDENT_ID)
    ui.nameEdit.setText("巴特尔")
    select_value(ui.nationCombo, "蒙古族")
    ui.phonesEdit.setText("139 4771 2345")
    ui.addressEdit.setText("内蒙古自治区伊金霍洛旗阿勒腾席热镇天骄路1号")
    select_value(ui.formCombo, "visit")
    select_value(ui.purposeCombo, "request")
    select_value(ui.categoryCombo, ref.category_parent_id)
    select_value(ui.subcategoryCombo, ref.category_id)
    ui.contentEdit.setPlainText("某工地拖欠农民工工资三个月，多次讨要未果，要求尽快解决。")
    page.save()  # the town is missing: the field is outlined and the message says so
    QTest.qWait(50)
    app.processEvents()
    print(QFontInfo(ui.nameEdit.font()).family())
    ok = window.grab().save(str(out), "PNG")
    window.close()
    context.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
