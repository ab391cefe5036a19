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


READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request) -> Iterator[Session]:
    """A session for one request, closed when the request ends; requests that may write take the write lock up front."""
    state = request.app.state
    factory: sessionmaker[Session] = (
        state.session_factory if request.method in READ_ONLY_METHODS else state.writing_session_factory
    )
    with factory() as session:
        yield session


def get_read_session(request: Request) -> Iterator[Session]:
    """A session that only reads, whatever the request's method."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    with factory() as session:
        yield session


def get_writing_session(request: Request) -> Iterator[Session]:
    """A session that will write, whatever the method (e.g. a read that leaves an audit row)."""
    factory: sessionmaker[Session] = request.app.state.writing_session_factory
    with factory() as session:
        yield session


DbEngine = Annotated[Engine, Depends(get_engine)]
ReadSession = Annotated[Session, Depends(get_read_session)]
DbSession = Annotated[Session, Depends(get_session)]
WritingSession = Annotated[Session, Depends(get_writing_session)]
