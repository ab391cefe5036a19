"""Alembic environment: the models' metadata, batch mode for SQLite, a connection handed in by efangtong_core.db."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from efangtong_core import models

config = context.config
target_metadata = models.Base.metadata


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table, PostgreSQL just ALTERs
        compare_type=True,
        compare_server_default=False,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on the connection in `config.attributes`, or on a fresh engine for `sqlalchemy.url`."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    from efangtong_core.db import create_engine_for

    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("未指定数据库地址（sqlalchemy.url）。")
    engine = create_engine_for(url)
    try:
        with engine.connect() as fresh:
            _configure_and_run(fresh)
            fresh.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("不支持离线（生成 SQL 脚本）模式。")
run_migrations_online()
