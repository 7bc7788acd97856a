"""A database that does not answer: 503 with Retry-After, and one more try for reads.

`pool_pre_ping` (db.py) replaces connections the server closed while they sat in the
pool. A connection can still die while a request uses it (a restart, a failover,
pg_terminate_backend). SQLAlchemy then invalidates it, and every older pooled connection,
and the error handler (service/web/errors.py) answers 503 and marks the request. `RetryReads`
sees the mark before the 503 has been sent: a GET or HEAD changed nothing, so it is run
once more from the start, on a fresh connection. A write is never repeated (its COMMIT may
have happened); it answers 503 and its transaction was rolled back by the server.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

# Errors that mean "the database is not answering", not "this request is wrong".
UNAVAILABLE: tuple[type[Exception], ...] = (
    sa.exc.OperationalError,
    sa.exc.InterfaceError,
    sa.exc.DisconnectionError,
    sa.exc.TimeoutError,  # no pooled connection became free in time
)
RETRY_AFTER_SECONDS = 5
LOST = "db_connection_lost"  # the key the error handler sets in the request's state
READS = frozenset({"GET", "HEAD"})


def connection_lost(error: BaseException) -> bool:
    """True when the error killed a connection that was in use (worth one more try)."""
    if isinstance(error, sa.exc.DisconnectionError):
        return True
    return isinstance(error, sa.exc.DBAPIError) and error.connection_invalidated


class RetryReads:
    """Run a GET/HEAD once more when its database connection was lost before it answered."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in READS:
            await self.app(scope, receive, send)
            return
        state = dict(scope.get("state") or {})
        first = {**scope, "state": dict(state)}
        body: list[Message] = []
        retry = False

        async def recording() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                body.append(message)
            return message

        async def unless_lost(message: Message) -> None:
            nonlocal retry
            if message["type"] == "http.response.start" and first["state"].get(LOST):
                retry = True
            if not retry:
                await send(message)

        await self.app(first, recording, unless_lost)
        if not retry:
            return
        log.warning("%s: database connection lost; running it once more", scope["method"])

        async def replay() -> Message:
            return body.pop(0) if body else await receive()

        await self.app({**scope, "state": dict(state)}, replay, send)
