"""Text no database can store safely is refused before any route sees it: NUL and other control characters,
and unpaired UTF-16 surrogates (PostgreSQL rejects both; SQLite would store them and break exports)."""

from __future__ import annotations

import contextlib
import json
import re

from fastapi import HTTPException, Request, status

_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_RAW_SUSPECTS = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xED])
"""Raw bytes of a JSON body that may decode to unsafe text: control bytes and the lead byte of a UTF-8-encoded
surrogate (json.loads lets those through)."""
_ESCAPE_SUSPECTS = re.compile(rb"\\u(?:00[01]|007[fF]|[dD][89a-fA-F])|\\[bf]")
"""JSON escapes that may stand for a control character or a surrogate."""
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


def _may_hide_unsafe_text(body: bytes) -> bool:
    """False only when a JSON body cannot decode to unsafe text (checked at C speed, without decoding it)."""
    if len(body.translate(None, _RAW_SUSPECTS)) != len(body):
        return True
    return b"\\" in body and _ESCAPE_SUSPECTS.search(body) is not None


async def reject_unsafe_text(request: Request) -> None:
    """App-wide dependency: 422 when the path, query or JSON body carries unsafe text."""
    values: list[object] = [*request.path_params.values(), *request.query_params.keys()]
    values += request.query_params.values()
    if "json" in request.headers.get("content-type", ""):
        body = await request.body()
        # Large sync batches are almost always clean: decode and walk the body only when its bytes may hide unsafe text.
        if _may_hide_unsafe_text(body):
            with contextlib.suppress(ValueError):  # malformed JSON is answered by the body validation itself
                values.append(json.loads(body))
    if contains_unsafe_text(values):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, MESSAGE)
