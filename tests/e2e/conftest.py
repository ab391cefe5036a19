"""End-to-end fixtures: a real two-screen X server (tests.support.xvfb)."""

from __future__ import annotations

from tests.support.xvfb import xvfb

__all__ = ["xvfb"]
