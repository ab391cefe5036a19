"""Alembic revisions, one file per schema version; Alembic skips this file."""
