"""Refuse NUL characters in any text the service is sent (path, query, form and JSON bodies).

SQLite would store them and PostgreSQL refuses them mid-transaction, so they are stopped at
the door with 422: FastAPI's error shape on the API, the Danish error page on pages.
In multipart bodies only the text fields are checked; file uploads pass untouched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.web.errors import error_page

MESSAGE = "Teksten indeholder et ugyldigt tegn."
NUL = "\x00"
Loc = list[str | int]


def _pairs(text: str) -> list[tuple[str, str]]:
    return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="replace")


def _in_pairs(where: str, text: str) -> Loc | None:
    for key, value in _pairs(text):
        if NUL in key or NUL in value:
            return [where, key.replace(NUL, "")]
    return None


def _strings(document: object) -> Iterator[tuple[Loc, str]]:
    """Every key and string value of a JSON document with its location (no recursion)."""
    stack: list[tuple[Loc, object]] = [([], document)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, str):
            yield loc, value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield loc, key
                stack.append(([*loc, key], item))
        elif isinstance(value, list):
            stack.extend(([*loc, i], item) for i, item in enumerate(value))


def _in_multipart(content_type: str, body: bytes) -> Loc | None:
    boundary = re.search(r'boundary="?([^";]+)"?', content_type)
    if boundary is None:
        return None
    for part in body.split(b"--" + boundary.group(1).encode("latin-1")):
        head, _, content = part.partition(b"\r\n\r\n")
        if b"filename=" in head or b"\x00" not in content:
            continue
        name = re.search(rb'name="([^"]*)"', head)
        return ["body", name.group(1).decode("utf-8", "replace")] if name else ["body"]
    return None


def _in_body(content_type: str, body: bytes) -> Loc | None:
    if not body:
        return None
    if content_type.lower().startswith("multipart/"):
        return _in_multipart(content_type, body)
    if content_type.lower().startswith("application/x-www-form-urlencoded"):
        return _in_pairs("body", body.decode("latin-1"))
    if b"\x00" in body:
        return ["body"]
    if b"\\u0000" not in body:
        return None
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return None  # not JSON: the route answers for it
    for loc, text in _strings(document):
        if NUL in text:
            return ["body", *(str(p).replace(NUL, "") if isinstance(p, str) else p for p in loc)]
    return None  # the text "\\u0000" (an escaped backslash), not a NUL


def _where(scope: Scope) -> Loc | None:
    if NUL in scope.get("path", ""):
        return ["path"]
    return _in_pairs("query", scope.get("query_string", b"").decode("latin-1"))


class NulGuard:
    """Pure ASGI middleware: reads the body once, then hands it on unchanged."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if loc := _where(scope):
            await self._refuse(scope, receive, send, loc)
            return
        headers = dict(scope.get("headers") or [])
        content_type = headers.get(b"content-type", b"").decode("latin-1")
        messages: list[Message] = []
        more = True
        while more:
            message = await receive()
            messages.append(message)
            more = message["type"] == "http.request" and message.get("more_body", False)
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
        if loc := _in_body(content_type, body):
            await self._refuse(scope, receive, send, loc)
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, loc: Loc) -> None:
        if scope.get("path", "").startswith("/api/"):
            error = {"loc": loc, "msg": MESSAGE, "type": "value_error"}
            response = JSONResponse({"detail": [error]}, status_code=422)
        else:
            scope.setdefault("router", scope["app"].router)  # for url_for in the layout
            field = f" (feltet {loc[-1]})" if len(loc) > 1 else ""
            response = error_page(Request(scope, receive), 422, MESSAGE[:-1] + field + ".")
        await response(scope, receive, send)
