"""All web pages: every page area is included here."""

from fastapi import APIRouter, Depends

from service.pages import (
    admin,
    api_docs,
    auth,
    contacts,
    home,
    logbook,
    mentors,
    notifications,
    referrals,
)
from service.pages import keyfigures as keyfigure_pages
from service.pages import matching as matching_pages
from service.pages import refund as refund_pages
from service.pages import time as time_pages

# keep_session: the header's unread count reads through the request's own session.
pages_router = APIRouter(
    include_in_schema=False,
    dependencies=[Depends(notifications.keep_session, scope="function")],
)
for module in (
    auth,
    home,
    admin,
    notifications,
    referrals,
    mentors,
    contacts,
    logbook,
    time_pages,
    refund_pages,
    keyfigure_pages,
    matching_pages,
    api_docs,
):
    pages_router.include_router(module.router)
