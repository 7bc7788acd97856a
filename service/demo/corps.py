"""Demo data of the corps: mentors, the shared contacts and crisis plan, and referrals."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from service.audit.service import Actor
from service.auth.models import Role, User
from service.demo.contacts import seed_contacts
from service.demo.mentors import seed_mentors
from service.demo.referrals import CITIZENS, seed_referrals


def seed_corps(session: Session, users: dict[Role, User], progress: Callable[[str], None]) -> None:
    """Add the demo corps: mentors with rates and absences, shared tools and referrals."""
    coordinator = Actor(users[Role.coordinator], "seed-demo")
    caseworker = Actor(users[Role.caseworker], "seed-demo")
    corps = seed_mentors(session, users, coordinator)
    progress(f"{len(corps)} mentorer med satser og fravær oprettet")
    seed_contacts(session, coordinator)
    progress("Kontaktliste og kriseplan oprettet")
    seed_referrals(session, caseworker, coordinator, corps)
    progress(f"{len(CITIZENS)} henvisninger oprettet")
