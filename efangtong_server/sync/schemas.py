"""Sync request and answer models: the wire protocol of `sync.protocol`, shared with the counter client."""

from __future__ import annotations

from sync.protocol import Hello, PullPage, PushRequest, PushResult

__all__ = ["Hello", "PullPage", "PushRequest", "PushResult"]
