"""The one role guard every route uses: who is asking, may they, and is the form genuine."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlmodel import Session

from service.audit.service import Actor
from service.auth.models import Role, User, WebSession
from service.auth.tokens import CSRF_COOKIE, SESSION_COOKIE, session_id
from service.core.clock import utcnow
from service.core.db import session_dependency
from service.notifications.inbox import unread_count
from service.web.settings import app_settings

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# scope="function": commit before the response is sent, so no client is told "saved" about
# a transaction that then fails to commit (FastAPI's default ends yield dependencies after).
SessionDep = Annotated[Session, Depends(session_dependency, scope="function")]


@dataclass(frozen=True)
class UserView:
    """What pages show of the logged-in user; survives a rolled-back session."""

    id: int
    email: str
    name: str
    role: Role
    unread: int = 0  # unread notifications, for the page header


def remember_user(request: Request, user: User | None, session: Session | None = None) -> None:
    """Keep what pages show of the user; with `session`, their unread count too."""
    if user is None:
        request.state.user = None
        return
    unread = unread_count(session, user_id=user.id) if session is not None else 0
    request.state.user = UserView(user.id, user.email, user.name, user.role, unread)


class LoginRequired(Exception):
    """A page needs a logged-in user: the handler redirects to the login page."""


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


async def csrf_check(request: Request) -> None:
    """Refuse an unsafe web request whose form token does not match the CSRF cookie."""
    if request.method in SAFE_METHODS or is_api(request):
        return
    form = await request.form()
    sent = str(form.get("csrf_token") or "")
    cookie = request.cookies.get(CSRF_COOKIE) or ""
    tokens = request.app.state.tokens
    if not sent or not cookie or not tokens.unsign(cookie):
        raise HTTPException(403, "Formularen er udløbet. Genindlæs siden og prøv igen.")
    if not hmac.compare_digest(sent, cookie):
        raise HTTPException(403, "Formularen er udløbet. Genindlæs siden og prøv igen.")


def _api_user(request: Request, session: Session) -> User | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    parsed = request.app.state.tokens.read_api_token(token.strip())
    if parsed is None:
        return None
    user = session.get(User, parsed[0])
    if user is None or not user.active or user.token_version != parsed[1]:
        return None
    return user


def web_session(request: Request, session: Session) -> WebSession | None:
    """Return the live web session of the request's cookie (idle ones have expired)."""
    tokens = request.app.state.tokens
    secret = tokens.unsign(request.cookies.get(SESSION_COOKIE))
    if secret is None:
        return None
    row = session.get(WebSession, session_id(secret))
    if row is None:
        return None
    now = utcnow()
    idle = timedelta(minutes=app_settings(request).session_idle_minutes)
    if row.last_seen_at + idle < now:
        session.delete(row)
        return None
    if (now - row.last_seen_at).total_seconds() > 60:  # one write a minute, not per request
        row.last_seen_at = now
        session.add(row)
    return row


def _page_user(request: Request, session: Session) -> User | None:
    row = web_session(request, session)
    if row is None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active or user.token_version != row.token_version:
        return None
    return user


def current_user(request: Request, session: Session) -> User | None:
    """The user behind the request's bearer token (API) or session cookie (pages)."""
    return _api_user(request, session) if is_api(request) else _page_user(request, session)


def requires(*roles: Role) -> Callable[..., Actor]:
    """Return the dependency that admits the given roles (all roles when none given)."""

    def guard(request: Request, session: SessionDep, _csrf: None = Depends(csrf_check)) -> Actor:
        user = current_user(request, session)
        if user is None:
            if is_api(request):
                raise HTTPException(401, "Not authenticated", {"WWW-Authenticate": "Bearer"})
            raise LoginRequired()
        remember_user(request, user, None if is_api(request) else session)
        if roles and user.role not in roles:
            raise HTTPException(403, "Din rolle giver ikke adgang til dette.")
        return Actor(user, client_ip(request))

    return guard


def optional_user(request: Request, session: SessionDep) -> User | None:
    """The logged-in user of a page, or None (for the login page and the front page)."""
    user = _page_user(request, session)
    remember_user(request, user, session)
    return user
