"""Child process of benchmarks/desktop.py's start time: the `efangtong` entry point, saying on stdout when it is
painted and when it is ready.

Runs `efangtong_desktop.app.main` exactly as the console script does. It prints "painted <CPU seconds so far>" once the
main window has been shown and its first paint is done and the event loop runs again (the window accepts input: the
same point `benchmarks/minimal_window.py` reports for a bare window), and "ready <CPU seconds so far>" once, with
`--quit-after-ready`, the 登记 page also has its data layer and choice lists; then the window quits.
"""

from __future__ import annotations

import resource
import sys

from efangtong_desktop import app

_close_and_quit = app._close_and_quit


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _report_ready_and_quit(qt_app: app.QApplication, window: app.MainWindow) -> None:
    print(f"ready {_cpu_seconds():.6f}", flush=True)
    _close_and_quit(qt_app, window)


class _ReportingMainWindow(app.MainWindow):
    """The main window, printing "painted" after its first paint."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.after_first_paint(lambda: print(f"painted {_cpu_seconds():.6f}", flush=True))


app._close_and_quit = _report_ready_and_quit
app.MainWindow = _ReportingMainWindow  # type: ignore[misc]

if __name__ == "__main__":
    sys.exit(app.main(sys.argv[1:]))
