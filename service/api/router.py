"""The /api/v1 router: every API area is included here."""

from fastapi import APIRouter

from service.api import (
    auth,
    citizens,
    logbook,
    matching,
    mentors,
    notifications,
    referrals,
    refund,
    time_entries,
    users,
)

api_router = APIRouter(prefix="/api/v1")
for module in (
    auth,
    users,
    mentors,
    referrals,
    logbook,
    time_entries,
    citizens,
    notifications,
    refund,
    matching,
):
    api_router.include_router(module.router)
