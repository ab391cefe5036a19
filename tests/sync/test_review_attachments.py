"""Attachment bytes on the counter, reviewed against issue #4 on a real server (SQLite and PostgreSQL): a row that
arrives before its bytes is fetched once they are there, and bytes that do not hash to their name are refused by the
counter, nothing of them kept."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sync.attachments import DOWNLOAD_CORRUPT, AttachmentTransferError
from tests.sync.test_attachments import CHUNK, Live, _file, live

__all__ = ["live"]


def test_a_row_before_its_bytes_is_fetched_once_they_arrive(live: Live, tmp_path: Path) -> None:
    uploader = live.transfer(tmp_path / "uploader")
    source = _file(tmp_path, 2 * CHUNK + 1)
    sha256, size = uploader.store.import_file(source)
    live.add_row(sha256, size)  # the row is synced; its bytes are still on the first counter
    downloader = live.transfer(tmp_path / "other", user="b")
    with pytest.raises(AttachmentTransferError) as early:
        downloader.download(sha256)
    assert early.value.status == 404 and "尚未上传" in early.value.message
    assert not downloader.store.has(sha256)
    uploader.upload(sha256, mime="video/mp4")
    assert downloader.download(sha256).transferred == size
    assert downloader.store.blob_path(sha256).read_bytes() == source.read_bytes()


def test_bytes_that_do_not_match_their_hash_are_refused_and_not_kept(live: Live, tmp_path: Path) -> None:
    uploader = live.transfer(tmp_path / "uploader")
    sha256, size = uploader.store.import_file(_file(tmp_path, 3 * CHUNK))
    uploader.upload(sha256, mime="video/mp4")
    live.add_row(sha256, size)
    [stored] = [path for path in (live.store_root / "blobs").rglob(sha256)]
    original = stored.read_bytes()
    stored.write_bytes(os.urandom(size))  # the server's copy went bad on its disk
    try:
        downloader = live.transfer(tmp_path / "other", user="b")
        with pytest.raises(AttachmentTransferError) as refused:
            downloader.download(sha256)
        assert refused.value.message == DOWNLOAD_CORRUPT and "校验失败" in refused.value.message
        assert not downloader.store.has(sha256)
        assert not downloader.store.partial_path(sha256).exists()
    finally:
        stored.write_bytes(original)
    assert downloader.download(sha256).transferred == size  # good bytes again: accepted
