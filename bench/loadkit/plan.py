"""What the simulated users may write, read from the freshly seeded database.

The demo mentor's active courses (logbook entries dated today), and for time entries the
days they may still take: in the course, not in the future, not in a claimed period or an
approved month, and below the 24-hour day total, so no write is refused by a domain rule
(a refusal would count as an error).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from logbook.models import MonthApproval, TimeEntry
from reports.models import RefundClaim
from service.auth.models import User
from service.core import clock
from service.core.db import make_engine
from service.corps.models import Mentor, Referral

DEMO_MENTOR = "mentor@demo.mentorkorps.dk"
DAYS_BACK = 60  # time entries are spread over the open days of the last two months
DAY_MINUTES = 24 * 60


@dataclass
class Plan:
    referral_ids: list[int]  # the demo mentor's active courses that include today
    time_slots: list[list]  # [referral_id, day, minutes still free] for time entries
    refund_from: dt.date  # the refund preview's period: last month
    refund_to: dt.date

    def take_minute(self, n: int) -> tuple[int, dt.date]:
        """The n-th time entry's course and day (one minute each, spread over the slots)."""
        for offset in range(len(self.time_slots)):
            slot = self.time_slots[(n + offset) % len(self.time_slots)]
            if slot[2] > 0:
                slot[2] -= 1
                return slot[0], slot[1]
        raise RuntimeError("no day left for a time entry")


def make_plan(url: str) -> Plan:
    today = clock.today()
    engine = make_engine(url, pool_size=1)
    try:
        with Session(engine) as session:
            mentor_id = session.exec(
                select(Mentor.id).join(User, col(User.id) == col(Mentor.user_id))
                .where(User.email == DEMO_MENTOR)
            ).one()  # fmt: skip
            courses = session.exec(
                select(col(Referral.id), col(Referral.start_date), col(Referral.end_date))
                .where(Referral.mentor_id == mentor_id, Referral.status == "active")
                .where(Referral.start_date <= today, Referral.end_date >= today)
                .order_by(col(Referral.id))
            ).all()  # fmt: skip
            claimed = session.exec(
                select(col(RefundClaim.period_from), col(RefundClaim.period_to))
            ).all()
            approved = set(
                session.exec(
                    select(col(MonthApproval.month)).where(
                        MonthApproval.mentor_id == mentor_id,
                        col(MonthApproval.reopened_at).is_(None),
                    )
                ).all()
            )
            used: dict[dt.date, int] = dict(
                session.exec(
                    select(col(TimeEntry.date), func.sum(col(TimeEntry.minutes)))
                    .where(TimeEntry.mentor_id == mentor_id)
                    .group_by(col(TimeEntry.date))
                ).all()
            )  # fmt: skip
    finally:
        engine.dispose()
    if not courses:
        raise RuntimeError("the demo mentor has no active course today")
    slots: list[list] = []
    days = [today - dt.timedelta(days=n) for n in range(DAYS_BACK)]
    for day in days:
        if day.replace(day=1) in approved or any(a <= day <= b for a, b in claimed):
            continue
        fitting = [course_id for course_id, start, end in courses if start <= day <= end]
        if fitting:
            free = DAY_MINUTES - int(used.get(day, 0))
            slots.append([fitting[len(slots) % len(fitting)], day, free])
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    return Plan(
        referral_ids=[course_id for course_id, _, _ in courses],
        time_slots=slots,
        refund_from=last_month,
        refund_to=this_month - dt.timedelta(days=1),
    )
