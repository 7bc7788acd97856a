"""Login and logout pages."""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from service.audit.service import Actor, record
from service.auth import accounts
from service.auth.models import WebSession
from service.auth.tokens import CSRF_COOKIE, SESSION_COOKIE
from service.core.formatting import tidspunkt
from service.web.forms import Form, Text
from service.web.guard import SessionDep, client_ip, csrf_check, requires, web_session
from service.web.routing import Router, commit_answer
from service.web.settings import app_settings
from service.web.templates import redirect, render, set_cookie

router = Router()
LOCKED = {
    "account": "Kontoen er spærret efter for mange mislykkede forsøg.",
    "address": "For mange mislykkede forsøg fra din adresse.",
}


def _safe_next(url: str | None) -> str:
    """Only local paths: never redirect off-site after login."""
    if url and url.startswith("/") and not url.startswith("//"):
        return url
    return "/"


class LoginForm(Form):
    email = Text()
    password = Text()
    next = Text()


@router.get("/log-ind", name="login")
def login_page(request: Request, next: str = "/"):
    return render(request, "auth/login.html", {"next": _safe_next(next), "errors": {}, "email": ""})


@router.post("/log-ind", name="login_post", dependencies=[Depends(csrf_check)])
def login(
    request: Request,
    session: SessionDep,
    form: LoginForm = Depends(LoginForm.from_request),
):
    result = accounts.authenticate(
        session,
        email=form.email,
        password=form.password,
        ip=client_ip(request),
        address_limit=app_settings(request).login_address_max_failures,
    )
    if result.user is None:
        commit_answer(request)  # the refusal is counted and audited (a lock needs the count)
        headers = {}
        if result.locked_until:
            message = f"{LOCKED[result.locked]} Prøv igen efter {tidspunkt(result.locked_until)}."
            status = 429
            headers = {"Retry-After": str(result.retry_after)}
        else:
            message = "Forkert e-mail eller adgangskode."
            status = 401
        context = {"next": _safe_next(form.next), "errors": {"email": message}, "email": form.email}
        response: Response = render(request, "auth/login.html", context, status=status)
        response.headers.update(headers)
        return response
    old = web_session(request, session)
    if old is not None:  # rotate: never reuse a session id across a login
        session.delete(old)
    cookie, sid = request.app.state.tokens.new_cookie_secret()
    session.add(WebSession(id=sid, user_id=result.user.id, token_version=result.user.token_version))
    response = RedirectResponse(_safe_next(form.next), status_code=303)
    set_cookie(request, response, SESSION_COOKIE, cookie)
    set_cookie(request, response, CSRF_COOKIE, request.app.state.tokens.new_csrf_token())
    return response


@router.post("/log-ud", name="logout")
def logout(request: Request, session: SessionDep, actor: Actor = Depends(requires())):
    row = web_session(request, session)
    if row is not None:
        session.delete(row)
    record(session, actor, "logout", purpose="authentication", entity="user", entity_id=actor.id)
    response = redirect(request, request.url_for("login").path, "Du er logget ud.")
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response
