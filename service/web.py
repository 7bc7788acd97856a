"""The shared templates object, page rendering, flash messages and the CSRF cookie."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from service import formatting
from service.auth.tokens import CSRF_COOKIE, FLASH_COOKIE
from service.navigation import menu_for

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
for _name in (
    "dato",
    "tidspunkt",
    "kr",
    "tal",
    "timer",
    "minutter_som_timer",
    "cpr_masked",
    "cpr_full",
):
    templates.env.filters[_name] = getattr(formatting, _name)


def _csrf_token(request: Request) -> tuple[str, bool]:
    """Return the request's CSRF token and whether it is new (must be set as a cookie)."""
    tokens = request.app.state.tokens
    cookie = request.cookies.get(CSRF_COOKIE)
    if cookie and tokens.unsign(cookie):
        return cookie, False
    pending = getattr(request.state, "new_csrf", None)
    if pending:
        return pending, True
    token = tokens.new_csrf_token()
    request.state.new_csrf = token
    return token, True


def set_cookie(request: Request, response, name: str, value: str, max_age: int | None = None):
    """Set a cookie the way every cookie of ours is set: HttpOnly, SameSite=Lax."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        path="/",
        secure=request.app.state.settings.cookie_secure,
    )


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """Render a page with the user, the menu, flash messages and the CSRF token."""
    token, new = _csrf_token(request)
    user = getattr(request.state, "user", None)
    flashes = request.app.state.tokens.read_flash(request.cookies.get(FLASH_COOKIE))
    page = {
        "request": request,
        "user": user,
        "menu": menu_for(user, request),
        "csrf_token": token,
        "flashes": flashes,
        **(context or {}),
    }
    response = templates.TemplateResponse(request, template, page, status_code=status)
    if new:
        set_cookie(request, response, CSRF_COOKIE, token)
    if flashes:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def redirect(request: Request, url: str, message: str | None = None, kind: str = "success"):
    """Redirect after a POST (303), with an optional message shown on the next page."""
    response = RedirectResponse(url, status_code=303)
    if message:
        tokens = request.app.state.tokens
        current = tokens.read_flash(request.cookies.get(FLASH_COOKIE))
        set_cookie(request, response, FLASH_COOKIE, tokens.sign_flash([*current, [kind, message]]))
    return response


def role_label(role: str | None) -> str:
    from service.auth.models import ROLE_LABELS

    return ROLE_LABELS.get(role, role or "")  # type: ignore[arg-type]


templates.env.globals["role_label"] = role_label
