"""The error answers of the API, documented once in the OpenAPI schema.

Every error is `{"detail": "message"}`, except 422, which keeps FastAPI's validation shape
(`{"detail": [{"loc": [...], "msg": ..., "type": ...}]}`); see service/web/errors.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class Error(BaseModel):
    detail: str


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrors(BaseModel):
    detail: list[FieldError]


class LockedOut(Error):
    # Optional: whether to tell when the lock ends is the lock-out's business (service/auth).
    locked_until: datetime | None = None
    retry_after: int | None = None


# FastAPI's `responses=`: extra answers by status code.
Responses = dict[int | str, dict[str, Any]]


def _header(description: str) -> dict[str, Any]:
    return {"description": description, "schema": {"type": "string"}}


# Every API answer may be one of these two.
COMMON: Responses = {
    422: {"model": ValidationErrors, "description": "Invalid input; `loc` names the field"},
    503: {
        "model": Error,
        "description": "The database does not answer; try again (service/db_outage.py)",
        "headers": {"Retry-After": _header("Seconds to wait")},
    },
}

# Applied to every API router but the token endpoint's (service/api/router.py). A route's
# own `responses=` replaces a status here whole: give it `"model": Error` as well.
ERRORS: Responses = {
    401: {
        "model": Error,
        "description": "Not signed in: no bearer token, or an expired or revoked one",
        "headers": {"WWW-Authenticate": _header("Bearer")},
    },
    403: {"model": Error, "description": "The user's role may not call this operation"},
    404: {"model": Error, "description": "No such record, or one the user may not see"},
    409: {
        "model": Error,
        "description": "The record's state does not allow it (a transition, a claimed "
        "period, a duplicate)",
    },
    **COMMON,
}

TOKEN_ERRORS: Responses = {
    401: {
        "model": Error,
        "description": "Wrong e-mail or password",
        "headers": {"WWW-Authenticate": _header("Bearer")},
    },
    429: {
        "model": LockedOut,
        "description": "Locked out, or too many failures from this address",
        "headers": {"Retry-After": _header("Seconds until the next attempt")},
    },
    **COMMON,
}
