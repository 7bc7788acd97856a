"""The one role guard every route uses: who is asking, may they, and is the form genuine."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, HTTPException, Request
from sqlmodel import Session, col, select

from service.audit.service import Actor
from service.auth.models import Role, User, WebSession
from service.auth.tokens import CSRF_COOKIE, SESSION_COOKIE, session_id
from service.core.clock import utcnow
from service.core.db import session_dependency
from service.notifications.models import Notification
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


def remember_user(request: Request, user: User | None, unread: int = 0) -> User | None:
    """Keep what pages show of the user (and their unread count); return the user."""
    view = UserView(user.id, user.email, user.name, user.role, unread) if user else None
    request.state.user = view
    return user


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


def _live(request: Request, row: WebSession, session: Session) -> bool:
    """False for an idle session (deleted); note the visit at most once a minute."""
    now = utcnow()
    idle = timedelta(minutes=app_settings(request).session_idle_minutes)
    if row.last_seen_at + idle < now:
        session.delete(row)
        return False
    if (now - row.last_seen_at).total_seconds() > 60:  # one write a minute, not per request
        row.last_seen_at = now  # flushed with the request's commit (service/web/routing.py)
        session.add(row)
    return True


def _cookie_session_id(request: Request) -> str | None:
    secret = request.app.state.tokens.unsign(request.cookies.get(SESSION_COOKIE))
    return None if secret is None else session_id(secret)


def web_session(request: Request, session: Session) -> WebSession | None:
    """Return the live web session of the request's cookie (idle ones have expired)."""
    sid = _cookie_session_id(request)
    row = session.get(WebSession, sid) if sid is not None else None
    return row if row is not None and _live(request, row, session) else None


_UNREAD = (
    select(sa.func.count())
    .select_from(Notification)
    .where(col(Notification.user_id) == col(User.id), col(Notification.read_at).is_(None))
    .correlate(User)
    .scalar_subquery()
)


def _page_user(request: Request, session: Session) -> tuple[User, int] | None:
    """The user of the session cookie and their unread count: one query (issue 16)."""
    sid = _cookie_session_id(request)
    if sid is None:
        return None
    query = (
        select(WebSession, User, _UNREAD)
        .join(User, col(User.id) == col(WebSession.user_id))
        .where(col(WebSession.id) == sid)
    )
    found = session.exec(query).first()
    if found is None:
        return None
    row, user, unread = found
    if not _live(request, row, session):
        return None
    if not user.active or user.token_version != row.token_version:
        return None
    return user, unread


def remember_page_user(request: Request, found: tuple[User, int] | None) -> User | None:
    """Keep what pages show of the user `_page_user` found; return the user."""
    return remember_user(request, *found) if found else remember_user(request, None)


def current_user(request: Request, session: Session) -> User | None:
    """The user behind the request's bearer token (API) or session cookie (pages)."""
    if is_api(request):
        return _api_user(request, session)
    found = _page_user(request, session)
    return found[0] if found else None


def requires(*roles: Role) -> Callable[..., Actor]:
    """Return the dependency that admits the given roles (all roles when none given)."""

    def guard(request: Request, session: SessionDep, _csrf: None = Depends(csrf_check)) -> Actor:
        # Nothing is flushed here: a write (last_seen_at) waits for the thread that commits.
        with session.no_autoflush:
            if is_api(request):
                user = _api_user(request, session)
                remember_user(request, user)
            else:
                user = remember_page_user(request, _page_user(request, session))
        if user is None:
            if is_api(request):
                raise HTTPException(401, "Not authenticated", {"WWW-Authenticate": "Bearer"})
            raise LoginRequired()
        if roles and user.role not in roles:
            raise HTTPException(403, "Din rolle giver ikke adgang til dette.")
        return Actor(user, client_ip(request))

    return guard


def optional_user(request: Request, session: SessionDep) -> User | None:
    """The logged-in user of a page, or None (for the login page and the front page)."""
    with session.no_autoflush:
        return remember_page_user(request, _page_user(request, session))
