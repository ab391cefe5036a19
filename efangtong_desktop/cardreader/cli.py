"""`efangtong-card`: the technicians' reader check — list readers, read one card as JSON, or print events (--watch).

It needs no display and no Qt: it drives the same backends and the same checks as the counter client.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import threading
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

from efangtong_desktop.cardreader import texts
from efangtong_desktop.cardreader.base import (
    CardRead,
    CardReaderBackend,
    CardReadError,
    ErrorKind,
    ReaderEvent,
    ReadFailed,
    RecordRead,
    event_label,
)
from efangtong_desktop.cardreader.photo import WltDecoder, card_photo
from efangtong_desktop.cardreader.profile import load_profiles, profile_for
from efangtong_desktop.cardreader.sdk import PollingSdkBackend
from efangtong_desktop.cardreader.service import check_valid, validity_text

BACKENDS = ("pcsc", "sdtapi", "termb")


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter with a Chinese usage prefix."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        """Format the usage line with "用法："."""
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose error line is in Chinese."""

    def error(self, message: str) -> NoReturn:
        """Print usage and a Chinese error line, exit with status 2."""
        self.print_usage(sys.stderr)
        self.exit(2, texts.CLI_ERROR.format(message=message) + "\n")


def build_parser() -> argparse.ArgumentParser:
    """The command line of efangtong-card."""
    parser = _Parser(
        prog="efangtong-card", description=texts.CLI_DESCRIPTION, formatter_class=_HelpFormatter, add_help=False
    )
    parser._positionals.title = texts.CLI_COMMANDS_TITLE
    parser._optionals.title = texts.CLI_OPTIONS_TITLE
    parser.add_argument("-h", "--help", action="help", help=texts.CLI_HELP)
    parser.add_argument("--backend", choices=BACKENDS, default="pcsc", help=texts.CLI_BACKEND)
    parser.add_argument("--library", type=Path, help=texts.CLI_LIBRARY)
    parser.add_argument("--port", type=int, default=1001, help=texts.CLI_PORT)
    parser.add_argument("--profiles", type=Path, help=texts.CLI_PROFILES)
    parser.add_argument("--photo-decoder", type=Path, help=texts.CLI_PHOTO_DECODER)
    parser.add_argument("--watch", action="store_true", help=texts.CLI_WATCH)
    commands = parser.add_subparsers(dest="command", metavar="{list,read}")
    commands.add_parser("list", help=texts.CLI_LIST, formatter_class=_HelpFormatter)
    read = commands.add_parser("read", help=texts.CLI_READ, formatter_class=_HelpFormatter)
    read.add_argument("--reader", help=texts.CLI_READER)
    return parser


def make_backend(options: argparse.Namespace) -> CardReaderBackend:
    """The backend the options name; raises CardReadError for a bad configuration."""
    if options.backend == "pcsc":
        from efangtong_desktop.cardreader.pcsc import PcscBackend

        return PcscBackend(load_profiles(options.profiles))
    if options.library is None:
        raise CardReadError(ErrorKind.CONFIG, texts.CLI_LIBRARY_REQUIRED)
    if options.backend == "sdtapi":
        from efangtong_desktop.cardreader.sdtapi import SdtapiBackend

        return SdtapiBackend(options.library, options.port)
    from efangtong_desktop.cardreader.termb import TermbBackend

    return TermbBackend(options.library, options.port)


def _value(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "value") and hasattr(value, "label"):
        return {"code": value.value, "label": value.label}
    return value


def card_json(card: CardRead, decoder: WltDecoder | None, today: date) -> dict[str, Any]:
    """A read card as JSON-ready data (record fields, validity, whether expired, photo)."""
    record = card.record
    data: dict[str, Any] = {"reader": card.reader}
    data.update({key: _value(value) for key, value in record.__dict__.items()})
    data["valid_to"] = texts.LONG_TERM if record.valid_to is None else record.valid_to.isoformat()
    data["validity"] = validity_text(record)
    try:
        check_valid(record, today)
        data["expired"], data["message"] = False, None
    except CardReadError as error:
        data["expired"], data["message"] = True, error.message
    photo = card_photo(card, decoder)
    data["photo_wlt"] = base64.b64encode(card.photo_wlt).decode() if card.photo_wlt else None
    data["photo_image"] = base64.b64encode(photo.image).decode() if photo.image else None
    data["photo_note"] = photo.note
    return data


def _list(backend: CardReaderBackend, options: argparse.Namespace) -> int:
    readers = backend.scan() if isinstance(backend, PollingSdkBackend) else backend.readers()
    if not readers:
        print(texts.CLI_NO_READERS)
        return 1
    profiles = load_profiles(options.profiles) if options.backend == "pcsc" else []
    for index, reader in enumerate(readers, start=1):
        profile = profile_for(reader, profiles).name if profiles else options.backend
        print(texts.CLI_READER_LINE.format(index=index, reader=reader, profile=profile))
    return 0


def _describe(event: ReaderEvent, decoder: WltDecoder | None) -> str:
    stamp = datetime.now().strftime("%H:%M:%S.%f")[:-3]
    reader = getattr(event, "reader", None) or "-"
    detail = ""
    if isinstance(event, RecordRead):
        detail = json.dumps(card_json(event.card, decoder, date.today()) | {"photo_wlt": None}, ensure_ascii=False)
    elif isinstance(event, ReadFailed):
        detail = event.error.message
    return f"{stamp} {event_label(event)} {reader} {detail}".rstrip()


def _watch(backend: CardReaderBackend, decoder: WltDecoder | None) -> int:
    print(texts.CLI_WATCHING, flush=True)
    done = threading.Event()
    backend.start(lambda event: print(_describe(event, decoder), flush=True))
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    finally:
        backend.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run efangtong-card; returns the exit status (0 done, 1 reader problem, 2 bad usage)."""
    parser = build_parser()
    options = parser.parse_args(argv)
    if not options.watch and options.command is None:
        parser.print_help()
        return 2
    decoder = WltDecoder(options.photo_decoder) if options.photo_decoder else None
    try:
        backend = make_backend(options)
        if options.watch:
            return _watch(backend, decoder)
        if options.command == "list":
            return _list(backend, options)
        card = backend.read(options.reader)
        print(json.dumps(card_json(card, decoder, date.today()), ensure_ascii=False, indent=2))
        return 0
    except CardReadError as error:
        print(texts.CLI_ERROR.format(message=error.message), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
