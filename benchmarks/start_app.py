"""Child process of benchmarks/desktop.py's start time: the `efangtong` entry point, saying on stdout when it is ready.

Runs `efangtong_desktop.app.main` exactly as the console script does; with `--quit-after-ready` the window quits once
it has been shown and painted with its 登记 page and that page has its choice lists; just before, this prints
"ready <CPU seconds so far>".
"""

from __future__ import annotations

import resource
import sys

from efangtong_desktop import app

_close_and_quit = app._close_and_quit


def _report_ready_and_quit(qt_app: app.QApplication, window: app.MainWindow) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"ready {usage.ru_utime + usage.ru_stime:.6f}", flush=True)
    _close_and_quit(qt_app, window)


app._close_and_quit = _report_ready_and_quit

if __name__ == "__main__":
    sys.exit(app.main(sys.argv[1:]))
