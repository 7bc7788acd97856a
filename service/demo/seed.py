"""Demo data for a pilot laptop: one user per role (later areas add their own data)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from decimal import Decimal

from sqlmodel import Session, func, select

from service.audit.service import Actor
from service.auth import accounts
from service.auth.models import Role, User
from service.core.settings import DEFAULT_HOURLY_RATE
from service.demo.corps import seed_corps
from service.demo.logbook import seed_logbook
from service.demo.matching import seed_matching
from service.demo.refund import seed_refund

DEMO_USERS = [
    ("admin@demo.mentorkorps.dk", "Anna Admin", Role.admin),
    ("koordinator@demo.mentorkorps.dk", "Karen Koordinator", Role.coordinator),
    ("sagsbehandler@demo.mentorkorps.dk", "Søren Sagsbehandler", Role.caseworker),
    ("mentor@demo.mentorkorps.dk", "Mette Mentor", Role.mentor),
    ("okonomi@demo.mentorkorps.dk", "Ole Økonomi", Role.finance),
]

# Later areas append a function (session, users_by_role, progress) that adds their demo data.
EXTENSIONS: list[Callable[[Session, dict[Role, User], Callable[[str], None]], None]] = []


class NotEmpty(RuntimeError):
    """seed-demo refuses a database that already holds users."""


def is_empty(session: Session) -> bool:
    return session.exec(select(func.count()).select_from(User)).one() == 0


def seed(
    session: Session,
    progress: Callable[[str], None] = lambda _m: None,
    *,
    default_rate: Decimal = DEFAULT_HOURLY_RATE,
) -> dict[str, str]:
    """Fill an empty database with demo data; return e-mail → password of the demo users.

    `default_rate` prices the demo claim: the CLI passes the process's DEFAULT_HOURLY_RATE.
    """
    if not is_empty(session):
        raise NotEmpty("Databasen er ikke tom; demodata indlæses kun i en tom database.")
    system = Actor(None, "seed-demo")
    credentials: dict[str, str] = {}
    users: dict[Role, User] = {}
    for email, name, role in DEMO_USERS:
        password = f"demo-{role}-{secrets.token_hex(4)}"
        users[role] = accounts.create_user(
            session, email=email, name=name, role=role, password=password, actor=system
        )
        credentials[email] = password
    progress(f"{len(users)} demobrugere oprettet")
    seed_corps(session, users, progress)
    seed_matching(session, users, progress)
    for extend in EXTENSIONS:
        extend(session, users, progress)
    seed_logbook(session, users, progress)
    seed_refund(session, users, progress, default_rate=default_rate)
    return credentials
