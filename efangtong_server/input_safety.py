"""Text no database can store safely is refused before any route sees it: NUL and other control characters,
and unpaired UTF-16 surrogates (PostgreSQL rejects both; SQLite would store them and break exports)."""

from __future__ import annotations

import contextlib
import json
import re

from fastapi import HTTPException, Request, status

_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_MAYBE_UNSAFE_JSON = re.compile(
    rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xed[\xa0-\xbf]|\\u00[01]|\\u007[fF]|\\u[dD][89a-fA-F]|\\[bf]"
)
"""Bytes of a JSON body that may decode to unsafe text: raw control bytes, UTF-8 surrogates (json.loads passes them),
and the escapes that stand for control characters or surrogates. A body without any holds no unsafe text."""
_SUSPECT_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xED, ord("\\")])
"""The first byte of every `_MAYBE_UNSAFE_JSON` match; a body without any is clean (checked at C speed)."""
MESSAGE = "提交的内容包含不允许的控制字符或无效字符"


def contains_unsafe_text(value: object) -> bool:
    """True when any string inside `value` (nested lists and dicts included, keys too) has an unsafe character."""
    if isinstance(value, str):
        return _UNSAFE.search(value) is not None
    if isinstance(value, dict):
        return any(contains_unsafe_text(key) or contains_unsafe_text(item) for key, item in value.items())
    if isinstance(value, list):
        return any(contains_unsafe_text(item) for item in value)
    return False


async def reject_unsafe_text(request: Request) -> None:
    """App-wide dependency: 422 when the path, query or JSON body carries unsafe text."""
    values: list[object] = [*request.path_params.values(), *request.query_params.keys()]
    values += request.query_params.values()
    if "json" in request.headers.get("content-type", ""):
        body = await request.body()
        # Large sync batches are almost always clean: decode and walk the body only when its bytes may hide unsafe text.
        if len(body.translate(None, _SUSPECT_BYTES)) != len(body) and _MAYBE_UNSAFE_JSON.search(body):
            with contextlib.suppress(ValueError):  # malformed JSON is answered by the body validation itself
                values.append(json.loads(body))
    if contains_unsafe_text(values):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, MESSAGE)
