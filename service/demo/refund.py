"""Demo refund data: the default refund rule and, when demo time exists, a claimed month."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session, func, select

from logbook.approval import month_start
from logbook.models import TimeEntry
from reports import claims, rules
from service.audit.service import Actor
from service.auth.models import Role, User
from service.core import clock
from service.core.errors import DomainError

DEMO_RULE_FROM = date(2019, 1, 1)


def seed_refund(
    session: Session,
    users: dict[Role, User],
    progress: Callable[[str], None],
    *,
    default_rate: Decimal,
) -> None:
    """The default rule (0.50, four categories from 2019) and a claim for the oldest month."""
    admin, finance = users.get(Role.admin), users.get(Role.finance)
    if admin is not None:
        rules.add_rule(
            session=session,
            actor=Actor(admin, "seed-demo"),
            valid_from=DEMO_RULE_FROM,
            rate=Decimal("0.50"),
            refundable_categories=rules.REFUNDABLE_CHOICES,
        )
    if finance is None:
        return
    oldest = session.exec(select(func.min(TimeEntry.date))).one()
    # A whole month before last month, so last month stays open for the draft and the pages.
    last_open = month_start(month_start(clock.today()) - timedelta(days=1))
    if oldest is None or month_start(oldest) >= last_open:
        progress("Refusionsregel oprettet (ingen tid at kræve refusion for)")
        return
    first = month_start(oldest)
    end = month_start(first + timedelta(days=32)) - timedelta(days=1)
    try:
        claim = claims.create_claim(
            session=session,
            actor=Actor(finance, "seed-demo"),
            start=first,
            end=end,
            default_rate=default_rate,
        )
    except DomainError as error:
        progress(f"Refusionskrav ikke oprettet: {error.message}")
        return
    progress(f"Refusionsregel og refusionskrav nr. {claim.id} ({first:%m/%Y}) oprettet")
