"""Sync routes: the version handshake, push and pull (DESIGN.md §3); the merge itself lives in `sync/`."""
