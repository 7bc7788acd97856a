"""Routers whose routes tell the request's session how the request was answered.

The session dependency (service/core/db.py) commits an answer below 400 and rolls back the
rest. It ends after the endpoint and before the response is sent, and a yield dependency
never sees the response, so every route leaves the status in the request's scope. Every
router of the app is a `Router` (tests/service/test_db.py checks).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute

from service.core.db import ANSWER_COMMITS, ANSWER_STATUS


class AnswerRoute(APIRoute):
    """A route that records its response's status for the session dependency."""

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
