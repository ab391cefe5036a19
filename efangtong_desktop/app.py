"""Entry point of the counter client (console script `efangtong`): arguments, QApplication, context, main window."""

from __future__ import annotations

import efangtong_desktop.startup  # noqa: F401  (first, before PySide6: see that module)

# isort: split
import argparse
import gc
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NoReturn

from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication

from efangtong_desktop import texts
from efangtong_desktop.context import AppContext
from efangtong_desktop.gui_collector import collect_on_gui_thread
from efangtong_desktop.resources import resource_path
from efangtong_desktop.settings import default_data_dir, load_settings
from efangtong_desktop.views.feedback import describe
from efangtong_desktop.views.main_window import APP_ICON, MainWindow, app_version

gc.freeze()  # what the imports made lives as long as the program: no collection needs to look at it again
gc.enable()  # off since efangtong_desktop.startup; the application collects on its GUI thread (create_application)

EXIT_NO_DISPLAY = 3
EXIT_REPLICA_FAILED = 4
EXIT_SCREENSHOT_FAILED = 5
EXIT_SIGN_IN_FAILED = 6
AUTOLOGIN_VARIABLE = "EFT_AUTOLOGIN_PASSWORD"
MIN_WINDOW_SIDE = 320
FONT_FAMILIES = ["Microsoft YaHei", "Microsoft YaHei UI", "WenQuanYi Micro Hei", "Noto Sans CJK SC", "PingFang SC"]


class _ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse's formatter with a Chinese usage prefix."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        """Format the usage line with "用法：" instead of "usage: "."""
        super().add_usage(usage, actions, groups, texts.CLI_USAGE_PREFIX if prefix is None else prefix)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        """--data-dir's help names the default directory, worked out only when the help is shown."""
        if action.dest == "data_dir":
            return texts.CLI_DATA_DIR.format(default=str(default_data_dir()).replace("%", "%%"))
        return super()._get_help_string(action)


class _VersionAction(argparse.Action):
    """--version: print the version (read from the installed distribution only when asked) and exit."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[object] | None,
        option_string: str | None = None,
    ) -> NoReturn:
        """Print "e访通 <version>" and exit with status 0."""
        print(f"e访通 {app_version()}")
        parser.exit()


class _ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose error line is in Chinese."""

    def error(self, message: str) -> NoReturn:
        """Print usage and a Chinese error line, exit with status 2."""
        self.print_usage(sys.stderr)
        self.exit(2, texts.CLI_ERROR.format(prog=self.prog, message=message))


def parse_size(text: str) -> tuple[int, int]:
    """Parse "1366x768" into (width, height)."""
    parts = text.lower().replace("×", "x").split("x")
    try:
        width, height = (int(part) for part in parts)
    except ValueError:
        width = height = 0
    if width < MIN_WINDOW_SIDE or height < MIN_WINDOW_SIDE:
        raise argparse.ArgumentTypeError(texts.CLI_BAD_SIZE.format(minimum=MIN_WINDOW_SIDE, value=text))
    return width, height


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser, all help in Chinese."""
    parser = _ChineseArgumentParser(
        prog="efangtong",
        description=texts.APP_DESCRIPTION,
        epilog=texts.CLI_EPILOG,
        formatter_class=_ChineseHelpFormatter,
        add_help=False,
    )
    options = parser.add_argument_group(texts.CLI_OPTIONS_TITLE)
    options.add_argument("-h", "--help", action="help", help=texts.CLI_HELP)
    options.add_argument("--version", action=_VersionAction, help=texts.CLI_VERSION)
    options.add_argument("--server", metavar="URL", help=texts.CLI_SERVER)
    options.add_argument("--data-dir", metavar="DIR", type=Path, help=texts.CLI_DATA_DIR)  # see _get_help_string
    options.add_argument("--user", metavar="NAME", help=texts.CLI_USER)
    options.add_argument("--bigscreen", action="store_true", help=texts.CLI_BIGSCREEN)
    options.add_argument("--screenshot", metavar="PATH", type=Path, help=texts.CLI_SCREENSHOT)
    options.add_argument("--size", metavar="WxH", type=parse_size, help=texts.CLI_SIZE)
    options.add_argument("--quit-after-ready", action="store_true", help=texts.CLI_QUIT_AFTER_READY)
    return parser


def has_display(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether Qt can open a window: always on Windows and macOS; elsewhere a display server or a chosen QPA plugin."""
    if platform.startswith(("win", "darwin")):
        return True
    return any(environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def create_application() -> QApplication:
    """The QApplication with the e访通 identity, icon, fonts and theme (the version is set once the window is ready)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(["efangtong"])
    app.setOrganizationName("伊金霍洛旗信访局")
    app.setApplicationName("efangtong")
    app.setWindowIcon(QIcon(str(resource_path(APP_ICON))))
    font = QFont(app.font())
    font.setFamilies([*FONT_FAMILIES, *font.families()])
    app.setFont(font)
    app.setStyleSheet(resource_path("theme.qss").read_text(encoding="utf-8"))
    collect_on_gui_thread(app)
    return app


def _report_replica_failure(settings_path: Path, error: Exception, *, interactive: bool) -> None:
    message = texts.DATABASE_OPEN_FAILED.format(path=settings_path, reason=error)
    print(message, file=sys.stderr)
    if interactive:
        from PySide6.QtWidgets import QMessageBox  # only on failure: not a type the first paint needs

        QMessageBox.critical(None, texts.DATABASE_OPEN_FAILED_TITLE, message)


def _save_screenshot_and_quit(app: QApplication, window: MainWindow, path: Path) -> None:
    app.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    if window.grab().save(str(path), "PNG"):
        app.exit(0)
    else:
        print(texts.SCREENSHOT_FAILED.format(path=path), file=sys.stderr)
        app.exit(EXIT_SCREENSHOT_FAILED)


def _quit_if_replica_failed(app: QApplication, context: AppContext, outcome: object, *, interactive: bool) -> None:
    """The 登记 page's data could not be loaded because the replica did not open: say why and stop."""
    if isinstance(outcome, Exception) and not context.replica_open:
        _report_replica_failure(context.settings.replica_path, outcome, interactive=interactive)
        app.exit(EXIT_REPLICA_FAILED)


def _close_and_quit(app: QApplication, window: MainWindow) -> None:
    window.close()
    app.exit(0)


def _sign_in(context: AppContext, username: str | None, *, unattended: bool) -> int | None:
    """Sign in before the main window; None to go on, or the exit status when the program should stop."""
    password = os.environ.get(AUTOLOGIN_VARIABLE)
    if unattended and not password:
        return None  # screenshots and start-time runs need no user
    from efangtong_desktop.views.sign_in import (
        change_password_if_required,
        sign_in_automatically,
        sign_in_interactively,
    )

    if password:
        try:
            sign_in_automatically(context, username, password)
        except Exception as error:  # ApiError / ValueError carry the Chinese reason; anything else stays short
            message = texts.AUTOLOGIN_FAILED.format(reason=describe(error))
            print(message, file=sys.stderr)
            if not unattended:
                from PySide6.QtWidgets import QMessageBox

                QMessageBox.critical(None, texts.APP_NAME, message)
            return EXIT_SIGN_IN_FAILED
        user = context.signed_in
        if unattended and user is not None and user.must_change_password:
            reason = texts.AUTOLOGIN_MUST_CHANGE.format(user=user.username)
            print(texts.AUTOLOGIN_FAILED.format(reason=reason), file=sys.stderr)
            return EXIT_SIGN_IN_FAILED
        return None if change_password_if_required(context) else 0
    return None if sign_in_interactively(context, username) else 0


def _freeze_what_start_made() -> None:
    """The window is painted: what building it made lives as long as the window; collections leave it out."""
    gc.freeze()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the counter client; returns the process exit status."""
    args = build_parser().parse_args(argv)
    if not has_display(os.environ):
        print(texts.NO_DISPLAY, file=sys.stderr)
        return EXIT_NO_DISPLAY
    settings = load_settings(data_dir=args.data_dir, server_url=args.server, user=args.user)
    app = create_application()
    unattended = bool(args.screenshot or args.quit_after_ready)
    try:
        # The replica is opened after the first paint (by the 登记 page, in a worker), or by a sign-in that needs it.
        context = AppContext.prepare(settings)
    except Exception as error:  # any failure to open the replica must reach the user as a message, not a traceback
        _report_replica_failure(settings.replica_path, error, interactive=not unattended)
        return EXIT_REPLICA_FAILED
    try:
        stop = _sign_in(context, args.user, unattended=unattended)
        if stop is not None:
            return stop
        window = MainWindow(context)
        if args.size:
            window.resize(*args.size)
        window.register_page.choices_loaded.connect(
            lambda outcome: _quit_if_replica_failed(app, context, outcome, interactive=not unattended)
        )
        window.after_first_paint(_freeze_what_start_made)
        window.show()
        # The sync service (timer, F5) once the window is painted and the data layer in (imports one at a time).
        window.when_ready(lambda: app.setApplicationVersion(app_version()))
        if not unattended:
            window.when_ready(window.start_services)
        if args.bigscreen:
            window.open_big_screen()
        if args.screenshot:
            window.when_ready(lambda: _save_screenshot_and_quit(app, window, args.screenshot))
        elif args.quit_after_ready:
            window.when_ready(lambda: _close_and_quit(app, window))
        return app.exec()
    finally:
        context.close()


if __name__ == "__main__":
    sys.exit(main())
