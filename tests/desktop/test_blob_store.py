"""The counter's attachment store: content-addressed, verified, described for attachment rows."""

from __future__ import annotations

import hashlib
from pathlib import Path

from efangtong_desktop.services.blob_store import blob_store, kind_for, path_for, put_bytes, put_file
from efangtong_desktop.settings import load_settings


def test_bytes_and_files_land_under_their_hash_once(tmp_path: Path) -> None:
    store = blob_store(load_settings(data_dir=tmp_path / "data"))
    data = "拆迁补偿材料".encode() * 100
    first = put_bytes(store, data, name="回执.pdf")
    assert first.sha256 == hashlib.sha256(data).hexdigest()
    assert (first.size, first.mime, first.kind) == (len(data), "application/pdf", "document")
    source = tmp_path / "照片.jpg"
    source.write_bytes(data)
    again = put_file(store, source)
    assert again.sha256 == first.sha256 and again.kind == "image"
    stored = path_for(store, first.sha256)
    assert stored is not None and stored.read_bytes() == data
    assert not list((store.root / "partial").iterdir())  # no temporary file is left behind
    assert path_for(store, "0" * 64) is None


def test_kinds_follow_mime_types() -> None:
    assert [kind_for(m) for m in ("audio/mpeg", "video/mp4", "image/png", "text/plain")] == [
        "audio",
        "video",
        "image",
        "document",
    ]
