"""The interactive API documentation (Swagger UI), for signed-in users only.

It is served from our own static files (static/swagger-ui/, static/api-docs.js) under the
same Content-Security-Policy as every page. The route lives under /api/ but is a page: the
session cookie admits, not a bearer token. /openapi.json stays public (the contract).
"""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse

from service.auth.models import User
from service.web.guard import optional_user
from service.web.routing import Router
from service.web.templates import render

router = Router()


@router.get("/api/docs", name="api_docs")
def api_docs(request: Request, user: User | None = Depends(optional_user)):
    if user is None:
        login = request.url_for("login").path
        return RedirectResponse(f"{login}?next=/api/docs", status_code=303)
    return render(request, "base/api_docs.html", {"openapi_url": request.app.openapi_url})
