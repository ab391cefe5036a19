"""Sync test fixtures: the server fixtures of tests/server, reused."""

from tests.server.conftest import server

__all__ = ["server"]
