"""The OAuth2 password-flow token endpoint."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from service.api.responses import TOKEN_ERRORS
from service.auth import accounts
from service.web.guard import SessionDep, client_ip
from service.web.routing import Router, commit_answer
from service.web.settings import app_settings

router = Router(tags=["auth"])
LOCKED = {
    "account": "Account locked after repeated failed logins",
    "address": "Too many failed logins from this address",
}


class TokenPublic(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 (the OAuth2 token type, not a secret)


@router.post(
    "/auth/token",
    response_model=TokenPublic,
    responses=TOKEN_ERRORS,
)
def token(
    request: Request,
    session: SessionDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
):
    result = accounts.authenticate(
        session,
        email=form.username,
        password=form.password,
        ip=client_ip(request),
        address_limit=app_settings(request).login_address_max_failures,
    )
    if result.user is None:
        commit_answer(request)  # the refusal's count and audit rows are kept
        if result.locked_until:
            return JSONResponse(
                {
                    "detail": LOCKED[result.locked],
                    "locked_until": result.locked_until.isoformat(),
                    "retry_after": result.retry_after,
                },
                status_code=429,
                headers={"Retry-After": str(result.retry_after)},
            )
        return JSONResponse(
            {"detail": "Incorrect username or password"},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    tokens = request.app.state.tokens
    return TokenPublic(
        access_token=tokens.issue_api_token(result.user.id, result.user.token_version)
    )
