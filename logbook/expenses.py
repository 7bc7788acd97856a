"""Training expenses: a mentor's course costs, refunded like mentor hours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlmodel import Session

from logbook import claimed_periods
from logbook.models import TrainingExpense
from service.audit.service import Actor, record
from service.core import clock
from service.core.errors import Invalid
from service.corps.models import Mentor


def create_training_expense(
    *,
    session: Session,
    actor: Actor,
    mentor_id: int,
    date: dt.date,
    description: str,
    amount: Decimal,
) -> TrainingExpense:
    """Register a mentor's training expense (refunded like mentor hours)."""
    if session.get(Mentor, mentor_id) is None:
        raise Invalid("Mentoren findes ikke.", field="mentor_id")
    text = (description or "").strip()
    if not text:
        raise Invalid("Skriv en beskrivelse.", field="description")
    if len(text) > 500:
        raise Invalid("Beskrivelsen må højst være 500 tegn.", field="description")
    if Decimal(amount) <= 0:
        raise Invalid("Beløbet skal være større end 0.", field="amount")
    if date > clock.today():
        raise Invalid("Datoen må ikke ligge i fremtiden.", field="date")
    claimed_periods.check_not_claimed(session, date)
    claimed_periods.lock_for_write(session, "training_expense")
    claimed_periods.check_not_claimed(session, date)  # again, under the lock
    expense = TrainingExpense(
        mentor_id=mentor_id, date=date, description=text, amount=amount, created_by=actor.user_id
    )
    session.add(expense)
    session.flush()
    record(
        session,
        actor,
        "create",
        purpose="refund",
        entity="training_expense",
        entity_id=expense.id,
        detail={"mentor_id": mentor_id, "date": date.isoformat(), "amount": f"{amount:.2f}"},
    )
    session.flush()
    return expense
