"""Request and answer of POST /api/v1/verification."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class VerificationIn(BaseModel):
    """A name and a resident ID number to verify."""

    name: str = Field(min_length=1, max_length=100, description="姓名")
    id_number: str = Field(min_length=15, max_length=20, description="公民身份号码（18 位，或 15 位旧号）")


class VerificationOut(BaseModel):
    """The verification's result with the message the clerk reads."""

    result: Literal["match", "mismatch", "not_found", "error", "timeout"]
    message: str
    cached: bool = Field(description="结果取自缓存，未再次询问核验服务")
    checked_at: datetime
    will_retry: bool = Field(default=False, description="核验失败时：服务器稍后自动重试（信访人记为待核验）")
