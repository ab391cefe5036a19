"""The server's database: one engine per process, a session per request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


def get_engine(request: Request) -> Engine:
    """The engine the application opened at start-up."""
    engine: Engine = request.app.state.engine
    return engine


def get_session(request: Request) -> Iterator[Session]:
    """A session for one request, closed when the request ends."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    with factory() as session:
        yield session


DbEngine = Annotated[Engine, Depends(get_engine)]
DbSession = Annotated[Session, Depends(get_session)]
