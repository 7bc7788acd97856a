"""The front page: each role's starting point."""

from __future__ import annotations

from fastapi import Depends, Request

from service.audit.service import Actor
from service.web.guard import requires
from service.web.routing import Router
from service.web.templates import render

router = Router()


@router.get("/", name="home")
def home(request: Request, actor: Actor = Depends(requires())):
    return render(request, "base/home.html", {"actor": actor})
