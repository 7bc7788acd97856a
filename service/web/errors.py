"""One place that maps errors to API answers (JSON) and to Danish pages."""

from __future__ import annotations

import logging
from urllib.parse import quote

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.core.errors import DomainError, Locked
from service.core.logscrub import describe
from service.web import db_outage
from service.web.guard import LoginRequired, is_api
from service.web.templates import render, request_path

log = logging.getLogger(__name__)

HEADINGS = {
    400: ("Ugyldig forespørgsel", "Forespørgslen kunne ikke behandles."),
    401: ("Log ind", "Du skal logge ind for at se siden."),
    403: ("Ingen adgang", "Din rolle giver ikke adgang til denne side."),
    404: ("Siden findes ikke", "Siden eller posten findes ikke, eller du har ikke adgang til den."),
    405: ("Handlingen er ikke tilladt", "Denne handling kan ikke udføres på siden."),
    409: ("Handlingen kan ikke udføres", "Handlingen er i konflikt med postens tilstand."),
    422: ("Ugyldige oplysninger", "Nogle oplysninger er ugyldige."),
    429: ("For mange forsøg", "Prøv igen senere."),
    500: ("Der opstod en fejl", "Der opstod en uventet fejl. Prøv igen, eller kontakt support."),
    503: ("Prøv igen om lidt", "Databasen svarer ikke lige nu. Prøv igen om lidt."),
}


def error_page(request: Request, status: int, message: str | None = None):
    heading, default = HEADINGS.get(status, HEADINGS[400])
    context = {"heading": heading, "message": message or default}
    return render(request, "errors/error.html", context, status=status)


def _danish(detail: object) -> str | None:
    """Keep our own Danish messages; replace Starlette's English defaults."""
    if isinstance(detail, str) and detail not in {
        "Not Found",
        "Method Not Allowed",
        "Not authenticated",
        "Forbidden",
    }:
        return detail
    return None


MAX_ID = 2**31 - 1  # PostgreSQL's integer; SQLite holds more, but ids never get there


def _huge_path_param(request: Request) -> bool:
    values = request.path_params.values()
    return any(str(v).isdigit() and int(v) > MAX_ID for v in values)


# FastAPI answers 400 to a body it cannot decode (not UTF-8); like invalid JSON it is 422.
UNREADABLE_BODY = [
    {"loc": ["body"], "msg": "The body is not JSON in UTF-8", "type": "json_invalid"}
]


def _unreadable_body(exc: StarletteHTTPException) -> bool:
    return exc.status_code == 400 and isinstance(exc.__cause__, ValueError)


def install(app: FastAPI) -> None:
    """Register the handlers on the app.

    Through the decorator form: its typing takes a handler of a narrower exception.
    """
    app.exception_handler(LoginRequired)(login_required)
    app.exception_handler(DomainError)(domain_error)
    app.exception_handler(StarletteHTTPException)(http_error)
    app.exception_handler(RequestValidationError)(invalid)
    app.exception_handler(sa.exc.DataError)(out_of_range)
    app.exception_handler(OverflowError)(out_of_range)
    for error in db_outage.UNAVAILABLE:
        app.add_exception_handler(error, database_unavailable)
    app.exception_handler(Exception)(crash)


async def login_required(request: Request, _exc: LoginRequired):
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    login = request_path(request, "login")
    return RedirectResponse(f"{login}?next={quote(target)}", status_code=303)


async def domain_error(request: Request, exc: DomainError):
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Locked) else None
    if is_api(request):
        detail: object = exc.message
        if exc.status == 422:
            detail = [
                {
                    "loc": ["body", exc.field or "body"],
                    "msg": exc.message,
                    "type": "value_error",
                }
            ]
        return JSONResponse({"detail": detail}, status_code=exc.status, headers=headers)
    return error_page(request, exc.status, exc.message)


async def http_error(request: Request, exc: StarletteHTTPException):
    if is_api(request) and _unreadable_body(exc):
        return JSONResponse({"detail": UNREADABLE_BODY}, status_code=422)
    if is_api(request):
        return JSONResponse(
            {"detail": exc.detail},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )
    return error_page(request, exc.status_code, _danish(exc.detail))


async def invalid(request: Request, exc: RequestValidationError):
    errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
    if is_api(request):
        return JSONResponse({"detail": errors}, status_code=422)
    if any(e["loc"] and e["loc"][0] == "path" for e in errors):
        return error_page(request, 404)
    fields = ", ".join(str(e["loc"][-1]) for e in errors)
    return error_page(request, 422, f"Ugyldige oplysninger i feltet: {fields}.")


async def out_of_range(request: Request, _exc: Exception):
    # A number no column can hold: an id in the path names no record (404); anything
    # else is invalid input (422). The transaction has been rolled back by now.
    status = 404 if _huge_path_param(request) else 422
    if is_api(request):
        detail = (
            "Not Found"
            if status == 404
            else [{"loc": ["body"], "msg": "a number is out of range", "type": "value_error"}]
        )
        return JSONResponse({"detail": detail}, status_code=status)
    return error_page(
        request,
        status,
        None if status == 404 else "Et tal i formularen er uden for det tilladte interval.",
    )


async def database_unavailable(request: Request, exc: Exception):
    # An outage is not the client's fault: 503, and a GET may be retried (db_outage.py).
    log.warning("database unavailable: %s", describe(exc))
    if db_outage.connection_lost(exc):
        setattr(request.state, db_outage.LOST, True)
    headers = {"Retry-After": str(db_outage.RETRY_AFTER_SECONDS)}
    heading, message = HEADINGS[503]
    if is_api(request):
        return JSONResponse({"detail": message}, status_code=503, headers=headers)
    context = {"heading": heading, "message": message}
    response = render(request, "errors/unavailable.html", context, status=503)
    response.headers.update(headers)
    return response


async def crash(request: Request, exc: Exception):
    log.exception("unhandled error", exc_info=exc)
    if is_api(request):
        return JSONResponse({"detail": "Internal server error"}, status_code=500)
    return error_page(request, 500)
