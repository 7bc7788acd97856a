"""All web pages: every page area is included here."""

from fastapi import APIRouter

from service.pages import admin, auth, home

pages_router = APIRouter(include_in_schema=False)
for module in (auth, home, admin):
    pages_router.include_router(module.router)
