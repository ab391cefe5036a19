"""What a real start (`app.main` in a fresh process) has and has not done at the main window's first paint.

Not created before it: PySide's Python enums of the `Qt` namespace (~14 ms; the generated forms set enum properties
by key names, scripts/uic_postprocess.py). Not imported: the ID card modules. Automatic garbage collection: off while
the window is built and afterwards (the GUI thread's timer collects instead). Shown at it: the 登记 form's start
message and "not saved" line in their colours (roles set before the first polish, without a re-polish).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from efangtong_desktop.views.register import texts

REPO = Path(__file__).resolve().parents[2]
START_AND_REPORT = """
import gc, json, sys
import PySide6.QtCore
from PySide6.QtGui import QPalette
from efangtong_desktop import app
seen = {}
CARD_MODULES = ("efangtong_core.idcard", "efangtong_desktop.cardreader.base", "efangtong_desktop.cardreader.qt")

def at_first_paint(window):
    seen["qt_namespace_created"] = "Qt" in vars(PySide6.QtCore)
    seen["card_modules"] = [name for name in CARD_MODULES if name in sys.modules]
    ui = window.register_page.ui
    seen["message"] = [ui.messageLabel.text(), ui.messageLabel.palette().color(QPalette.ColorRole.WindowText).name()]
    seen["result"] = [ui.resultLabel.text(), ui.resultLabel.palette().color(QPalette.ColorRole.WindowText).name()]

class Window(app.MainWindow):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        seen["gc_enabled_while_building"] = gc.isenabled()
        self.after_first_paint(lambda: at_first_paint(self))
        self.when_ready(lambda: seen.setdefault("gc_enabled_when_ready", gc.isenabled()))
        self.when_ready(lambda: seen.setdefault("collector", type(app.collect_on_gui_thread(self.app())).__name__))

    @staticmethod
    def app():
        from PySide6.QtWidgets import QApplication
        return QApplication.instance()

app.MainWindow = Window
seen["gc_enabled_after_imports"] = gc.isenabled()
seen["code"] = app.main(["--data-dir", sys.argv[1], "--quit-after-ready", "--size", "1366x768"])
print(json.dumps(seen, ensure_ascii=False))
"""


def test_at_the_first_paint(tmp_path: Path) -> None:
    environment = dict(os.environ, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "xdg-data"))
    arguments = [sys.executable, "-c", START_AND_REPORT, str(tmp_path / "client")]
    done = subprocess.run(arguments, cwd=REPO, env=environment, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["code"] == 0
    assert seen["qt_namespace_created"] is False, "no Qt.* enum looked up or returned before the first paint"
    assert seen["card_modules"] == [], "the card side is named only for types until the data layer is in"
    assert seen["gc_enabled_after_imports"] is True
    assert seen["gc_enabled_while_building"] is False and seen["gc_enabled_when_ready"] is False
    assert seen["collector"] == "GuiThreadCollector", "collections run on the GUI thread's timer"
    assert seen["message"] == [texts.LOADING, "#23874b"], "formOk in the 登记 form's style sheet"
    assert seen["result"] == [texts.NOT_SAVED, "#5b6675"], "fieldHint"
