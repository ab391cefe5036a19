"""Input types shared by the administration schemas: single-line text without control characters, ids, times."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator, StringConstraints

SINGLE_LINE = r"^[^\x00-\x1f\x7f]*$"
"""No control characters at all (PostgreSQL refuses NUL; a name has no line breaks)."""
MULTI_LINE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
"""Line breaks and tabs allowed, other control characters not."""
ID_PATTERN = r"^[A-Za-z0-9-]{1,36}$"
"""A row id (UUID text) or a device id as the login route accepts it."""


def line(max_length: int, min_length: int = 1) -> StringConstraints:
    """Constraints of a single line of text, surrounding blanks removed."""
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length, pattern=SINGLE_LINE)


def paragraph(max_length: int, min_length: int = 0) -> StringConstraints:
    """Constraints of free text that may span lines."""
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length, pattern=MULTI_LINE)


RowId = Annotated[str, StringConstraints(min_length=1, max_length=36, pattern=ID_PATTERN)]
"""A reference to a row in a request body or query."""

IdPath = Annotated[str, Path(min_length=1, max_length=36, pattern=ID_PATTERN, description="记录标识")]
"""A row id in the path."""


def _utc(value: datetime) -> datetime:
    try:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError:
        raise ValueError("时间超出范围") from None


UtcTime = Annotated[datetime, AfterValidator(_utc)]
"""A time, converted to UTC (a naive time is taken as UTC); out-of-range times are refused."""
