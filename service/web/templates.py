"""The shared templates object, page rendering, flash messages and the CSRF cookie."""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context

from service.auth.models import ROLE_LABELS
from service.auth.tokens import CSRF_COOKIE, FLASH_COOKIE
from service.core import formatting
from service.web.navigation import menu_for
from service.web.routing import roll_back_answer
from service.web.settings import app_settings
from service.web.urls import route_path

templates = Jinja2Templates(directory=str(Path(__file__).parents[1] / "templates"))
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


@pass_context
def url_for(context: dict[str, Any], name: str, /, **path_params: Any) -> str:
    """A root-relative URL (path only): never built from the request's Host or scheme,
    which behind a TLS proxy would say http://."""
    return request_path(context["request"], name, **path_params)


def request_path(request: Request, name: str, /, **path_params: Any) -> str:
    """The path of a named route, with the app's root path (service/web/urls.py)."""
    return route_path(request, name, **path_params)


templates.env.globals["url_for"] = url_for


_current_csrf: ContextVar[CsrfToken | None] = ContextVar("csrf", default=None)


class CsrfToken:
    """The CSRF token, set as a cookie only when a rendered page actually holds a form.

    A page without forms (a 404 for a favicon, say) must not replace the cookie that the
    form on another tab was rendered with.
    """

    def __init__(self, request: Request):
        self.request = request
        cookie = request.cookies.get(CSRF_COOKIE)
        self.value = cookie if cookie and request.app.state.tokens.unsign(cookie) else None
        self.new = self.value is None

    def __str__(self) -> str:
        if self.value is None:
            self.value = self.request.app.state.tokens.new_csrf_token()
        return self.value

    __html__ = __str__


def set_cookie(request: Request, response, name: str, value: str, max_age: int | None = None):
    """Set a cookie the way every cookie of ours is set: HttpOnly, SameSite=Lax."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        path="/",
        secure=app_settings(request).cookie_secure,
    )


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """Render a page with the user, the menu, flash messages and the CSRF token."""
    token = CsrfToken(request)
    _current_csrf.set(token)
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
    if token.new and token.value is not None:
        set_cookie(request, response, CSRF_COOKIE, token.value)
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


def refuse(request: Request, url: str, message: str):
    """Redirect after a refused change: the message shows as an error on the next page, and
    the request's writes are rolled back although it answers 303."""
    roll_back_answer(request)
    return redirect(request, url, message, "error")


def role_label(role: str | None) -> str:
    return ROLE_LABELS.get(role or "", role or "")


templates.env.globals["role_label"] = role_label
# Form macros are imported without the page's context; they read the token through this.
templates.env.globals["csrf_value"] = lambda: str(_current_csrf.get() or "")
