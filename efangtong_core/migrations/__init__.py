"""Alembic environment and revisions of the e访通 schema (run through `efangtong_core.db.upgrade_to_head`)."""
