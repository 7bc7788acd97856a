"""The application factory."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.types import ASGIApp

from reports import work
from service.api.router import api_router
from service.auth.tokens import Tokens
from service.core import logscrub
from service.core.db import DatabaseSlots, get_engine, new_session, pool_capacity
from service.core.migrate import schema_problem
from service.core.settings import Settings, get_settings
from service.jobs.schedule import JobScheduler
from service.pages.router import pages_router
from service.web import errors
from service.web.db_outage import RetryReads
from service.web.nul_guard import NulGuard
from service.web.routing import AnswerRoute
from service.web.security_headers import SecurityHeaders

log = logging.getLogger(__name__)


class SchemaOutdated(RuntimeError):
    """The database is not at the newest schema: run `mentorkorps migrate`."""


class App(FastAPI):
    """FastAPI with the security headers outside every other layer (the 500 page too)."""

    def build_middleware_stack(self) -> ASGIApp:
        hsts = self.state.settings.cookie_secure
        return SecurityHeaders(super().build_middleware_stack(), hsts=hsts)


def create_app(
    settings: Settings | None = None,
    engine: Engine | None = None,
    session_factory: Callable[[], Session] | None = None,
    check_schema: bool = True,
) -> FastAPI:
    """Build the app for a database; refuse to serve one that is not migrated."""
    logscrub.install()  # no CPR, health or logbook text in any log line (logscrub.py)
    settings = settings or get_settings()
    engine = engine or get_engine()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if check_schema and (problem := schema_problem(engine)):
            raise SchemaOutdated(problem)
        # Background work a dead process left behind (service/core/background.py).
        try:
            app.state.background_work = work.resume_in_background(
                app.state.session_factory, settings.default_hourly_rate
            )
        except sa.exc.SQLAlchemyError:
            log.exception("could not look for background work left behind")
            app.state.background_work = None
        jobs = None
        if settings.scheduler_enabled:  # one runner per database: see service/jobs/schedule.py
            scheduler = JobScheduler(engine, settings.default_hourly_rate)
            jobs = app.state.job_scheduler = scheduler.start()
        try:
            yield
        finally:
            if jobs is not None:
                jobs.stop()

    # /api/docs is a page for signed-in users: service/pages/api_docs.py.
    app = App(title="Mentorkorps", version="1.0", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.router.route_class = AnswerRoute  # the app's own routes (/healthz) too
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = session_factory or (lambda: new_session(engine))
    app.state.db_slots = DatabaseSlots(pool_capacity(engine))
    app.state.tokens = Tokens(settings.resolved_secret_key(), settings.token_hours)
    app.mount("/static", StaticFiles(directory=Path(__file__).parents[1] / "static"), name="static")
    errors.install(app)
    app.add_middleware(RetryReads)  # a GET whose DB connection died runs once more
    app.add_middleware(NulGuard)  # added last, so it runs first: NUL text never goes further
    app.include_router(api_router)
    app.include_router(pages_router)

    @app.get(
        "/healthz",
        tags=["health"],
        responses={503: {"description": "The database does not answer"}},
    )
    def healthz():
        try:
            with engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        except sa.exc.SQLAlchemyError:
            return JSONResponse({"status": "error", "db": "error"}, status_code=503)
        return {"status": "ok", "db": "ok"}

    return app
