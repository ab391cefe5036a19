"""Request and response bodies of the system-parameter routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr


class ParameterSet(BaseModel):
    """A new value for a parameter (its type and range are those of the parameter)."""

    model_config = ConfigDict(extra="forbid")

    value: StrictBool | StrictInt | Annotated[StrictStr, Field(max_length=200)] = Field(description="参数值")


class ParameterOut(BaseModel):
    """A parameter: its current value (the default when never set), type, range and description."""

    key: str
    value: bool | int | str
    default: bool | int | str
    is_default: bool
    type: str
    minimum: int | None
    maximum: int | None
    description: str
    updated_at: datetime | None
