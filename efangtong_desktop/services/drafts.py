"""Draft autosave of the registration form: what was typed survives a crash or a power cut.

A draft is a small JSON file under `data_dir/drafts/`, replaced atomically (written to a temporary file in the same
folder, fsynced, then renamed over the old one), so after a power cut the file holds either the previous draft or
the new one, never half of one. The form saves it on every edit (debounced by the view), offers it back on start and
clears it after a successful save. The draft carries the form's registration token, so a registration that was
saved just before a crash is found again instead of being registered twice.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DRAFT_FOLDER = "drafts"
DRAFT_VERSION = 1


@dataclass(frozen=True)
class Draft:
    """A saved draft: the form's registration token, its field values and when it was saved."""

    token: str
    values: dict[str, Any]
    saved_at: datetime


class DraftStore:
    """One named draft file in the data directory."""

    def __init__(self, data_dir: Path, name: str = "registration") -> None:
        self.folder = data_dir / DRAFT_FOLDER
        self.path = self.folder / f"{name}.json"

    def save(self, token: str, values: dict[str, Any]) -> None:
        """Replace the draft atomically with `values` (JSON-ready) under `token`."""
        import json  # here and in load: json (and uuid below) are not needed before the first paint

        self.folder.mkdir(parents=True, exist_ok=True)
        record = {"version": DRAFT_VERSION, "token": token, "saved_at": datetime.now(UTC).isoformat(), "values": values}
        text = json.dumps(record, ensure_ascii=False, sort_keys=True)
        descriptor, temporary = tempfile.mkstemp(dir=self.folder, prefix=".draft-", suffix=".tmp")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as writer:
                writer.write(text)
                writer.flush()
                os.fsync(writer.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _fsync_folder(self.folder)

    def load(self) -> Draft | None:
        """The saved draft, or None when there is none or it cannot be read (a damaged file is set aside)."""
        import json

        try:
            record = json.loads(self.path.read_text(encoding="utf-8"))
            draft = Draft(
                token=str(record["token"]),
                values=dict(record["values"]),
                saved_at=datetime.fromisoformat(record["saved_at"]),
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            self.path.replace(self.path.with_suffix(".damaged"))
            return None
        return draft

    def clear(self) -> None:
        """Delete the draft (after a successful save, or when the clerk discards it)."""
        self.path.unlink(missing_ok=True)

    def exists(self) -> bool:
        """True when a draft is waiting."""
        return self.path.is_file()


def keep_typing_before_load(data_dir: Path, typed: dict[str, Any]) -> None:
    """Keep what was typed before the data layer was in (the window closed first): laid over the waiting draft."""
    import uuid

    store = DraftStore(data_dir)
    earlier = store.load()
    kept = {key: value for key, value in typed.items() if value}
    if kept:
        values = {**(earlier.values if earlier else {}), **kept}
        store.save(earlier.token if earlier else str(uuid.uuid4()), values)


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
