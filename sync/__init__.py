"""Replication between counter replicas and the central server (DESIGN.md §3)."""
