"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from efangtong_core.db import open_database, session_factory, writing_engine
from efangtong_server.admin.routers import ADMIN_ROUTERS, REFERENCE_ROUTERS
from efangtong_server.analytics.routes import router as analytics_router
from efangtong_server.attachments.routes import router as attachments_router
from efangtong_server.audit.routes import router as audit_router
from efangtong_server.auth.routes import router as auth_router
from efangtong_server.cases.numbers import number_unnumbered_petitions
from efangtong_server.errors import ERROR_RESPONSES, install_error_handlers
from efangtong_server.health.routes import router as health_router
from efangtong_server.input_safety import reject_unsafe_text
from efangtong_server.petitioners.routes import router as petitioners_router
from efangtong_server.routing.routes import router as routing_router
from efangtong_server.settings import Settings, get_settings
from efangtong_server.sync.routes import router as sync_router
from efangtong_server.verification.adapter import verifier_from_settings
from efangtong_server.verification.routes import router as verification_router
from efangtong_server.verification.sweep import running_sweep
from sync.sequence import install_server_sequencing, stamp_unsequenced


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the server application; its database is opened and upgraded when it starts."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = open_database(settings.database_url)
        app.state.engine = engine
        app.state.session_factory = session_factory(engine)
        app.state.writing_session_factory = session_factory(writing_engine(engine))
        install_server_sequencing(app.state.writing_session_factory)
        with writing_engine(engine).begin() as connection:
            stamp_unsequenced(connection)
            number_unnumbered_petitions(connection)
        if getattr(app.state, "verifier", None) is None:
            app.state.verifier = verifier_from_settings(settings)
        try:
            async with running_sweep(app.state.writing_session_factory, verifier=app.state.verifier, settings=settings):
                yield
        finally:
            engine.dispose()

    app = FastAPI(
        title="e访通 中心服务器",
        version="0.1.0",
        description="伊金霍洛旗信访信息系统的中心服务器接口",
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
        dependencies=[Depends(reject_unsafe_text)],
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.include_router(health_router)
    app.include_router(auth_router)
    for router in (*ADMIN_ROUTERS, *REFERENCE_ROUTERS, audit_router, attachments_router):
        app.include_router(router)
    app.include_router(sync_router)
    app.include_router(petitioners_router)
    app.include_router(verification_router)
    app.include_router(analytics_router)
    app.include_router(routing_router)
    return app
