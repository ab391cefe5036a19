"""How a test reacts when a real component it needs (PostgreSQL, Xvfb, pcscd, Chromium) cannot be started."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def in_ci() -> bool:
    """True when running under CI, where a missing component is a failure, not a skip."""
    return bool(os.environ.get("CI"))


def component_unavailable(component: str, reason: str) -> NoReturn:
    """Fail under CI, skip elsewhere: the test cannot run without `component`."""
    message = f"{component} unavailable: {reason}"
    if in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
