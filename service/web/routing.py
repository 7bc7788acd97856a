"""Routers whose routes tell the request's session how the request was answered.

The session dependency (service/core/db.py) commits an answer below 400 and rolls back the
rest. It ends after the endpoint and before the response is sent, and a yield dependency
never sees the response, so every route leaves the status in the request's scope. Every
router of the app is a `Router` (tests/service/test_db.py checks).

A sync endpoint settles the session itself, in the worker thread that did the work: its
commit never waits in the thread pool's queue while it holds SQLite's write lock or the
audit chain's lock (issue 16). A read (GET) runs without autoflush, so its writes (audit
rows, a session's `last_seen_at`) are flushed by that commit and hold those locks only for it.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine
from contextlib import nullcontext
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.dependencies.utils import get_typed_signature
from fastapi.routing import APIRoute

from service.core.db import (
    ANSWER_COMMITS,
    ANSWER_STATUS,
    SAFE_METHODS,
    abandon,
    begin_writing,
    request_session,
    settle,
)

_REQUEST = "mentorkorps_request"  # the parameter a settling endpoint gets its request by


def _request_parameter(endpoint: Callable[..., Any]) -> str | None:
    for parameter in get_typed_signature(endpoint).parameters.values():
        annotation = parameter.annotation
        if inspect.isclass(annotation) and issubclass(annotation, Request):
            return parameter.name
    return None


def settling(endpoint: Callable[..., Any], status_code: int | None) -> Callable[..., Any]:
    """Wrap a sync endpoint so that its thread also settles the request's session."""
    if getattr(endpoint, "settles", False):  # a route copied by include_router
        return endpoint
    own = _request_parameter(endpoint)

    @functools.wraps(endpoint)
    def run(**values: Any) -> Any:
        request: Request = values[own] if own else values.pop(_REQUEST)
        session = request_session(request)
        if session is None:
            return endpoint(**values)
        try:
            begin_writing(session, request)
            reading = request.method in SAFE_METHODS
            with session.no_autoflush if reading else nullcontext():
                result = endpoint(**values)
        except BaseException:
            abandon(session)
            raise
        answered = result.status_code if isinstance(result, Response) else status_code or 200
        request.scope[ANSWER_STATUS] = answered
        settle(session, request)
        return result

    if own is None:
        signature = inspect.signature(endpoint)
        extra = inspect.Parameter(_REQUEST, inspect.Parameter.KEYWORD_ONLY, annotation=Request)
        parameters = [*signature.parameters.values(), extra]
        run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    run.settles = True  # type: ignore[attr-defined]
    return run


class AnswerRoute(APIRoute):
    """A route that records its response's status for the session dependency."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if inspect.isfunction(endpoint) and not (
            inspect.iscoroutinefunction(endpoint)
            or inspect.isgeneratorfunction(endpoint)
            or inspect.isasyncgenfunction(endpoint)
        ):
            endpoint = settling(endpoint, kwargs.get("status_code"))
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def answer(request: Request) -> Response:
            response = await handle(request)
            request.scope[ANSWER_STATUS] = response.status_code
            return response

        return answer


class Router(APIRouter):
    """An APIRouter of AnswerRoutes: the only router the app's modules make."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(route_class=AnswerRoute, **kwargs)


def roll_back_answer(request: Request) -> None:
    """Roll back this request although it answers below 400: a redirect after a refusal."""
    request.scope[ANSWER_COMMITS] = False


def commit_answer(request: Request) -> None:
    """Commit this request although it answers 400 or more: a refused login is counted."""
    request.scope[ANSWER_COMMITS] = True
