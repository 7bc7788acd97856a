"""Create, list and mark notifications. Producers pass a dedup key: notifying is idempotent.

Texts name a citizen by first name at most, plus the referral number: never a CPR number
and never health information (`scrub` removes anything shaped like a CPR number anyway).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

from service.auth.models import Role, User
from service.core.clock import utcnow
from service.core.db import insert_ignoring_conflict, rowcount, table_of
from service.core.errors import NotFound
from service.notifications.models import Notification

CPR_SHAPED = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")


def scrub(text: str) -> str:
    """Replace anything shaped like a CPR number (defence in depth)."""
    return CPR_SHAPED.sub("[skjult]", text)


def notify(
    session: Session,
    *,
    user_ids: Iterable[int | None],
    kind: str,
    text: str,
    referral_id: int | None = None,
    dedup_key: str,
    link: str = "",
) -> int:
    """Notify each user once per dedup key; return how many notifications were created."""
    created = 0
    now = utcnow()
    for user_id in sorted({u for u in user_ids if u is not None}):
        values = {
            "user_id": user_id,
            "kind": kind,
            "text": scrub(text)[:1000],
            "link": link,
            "referral_id": referral_id,
            "created_at": now,
            "dedup_key": dedup_key[:200],
        }
        created += insert_ignoring_conflict(
            session, table_of(Notification), values, ["user_id", "dedup_key"]
        )
    return created


def user_ids_with_role(session: Session, *roles: Role) -> list[int]:
    """Ids of the active users with any of the roles."""
    return list(
        session.exec(
            select(User.id).where(col(User.role).in_(roles), col(User.active).is_(True))
        ).all()
    )


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


# Links are page paths (the Danish URLs of service/pages/), never API paths: the inbox's
# "open" button goes there. tests/service/notifications/test_links.py opens every kind.
def referral_link(referral_id: int) -> str:
    """The referral's page."""
    return f"/henvisninger/{referral_id}"


def logbook_link(referral_id: int, entry_id: int | None = None) -> str:
    """The referral's logbook page, at one entry when given."""
    return f"/logbog/{referral_id}" + (f"#entry-{entry_id}" if entry_id is not None else "")


def agreement_link(agreement_id: int) -> str:
    """A mentor agreement's page."""
    return f"/matchning/aftaler/{agreement_id}"


TIME_LINK = "/tid"
AUDIT_LINK = "/admin/logning"


def refund_link(first: date, last: date) -> str:
    """The refund statement of a period."""
    return f"/refusion?from={first.isoformat()}&to={last.isoformat()}"


def key_figures_link(month: date) -> str:
    """The key figures of a month."""
    return f"/noegletal?month={month:%Y-%m}"


_OLD_REFERRAL_LINK = re.compile(r"/referrals/(\d+)")


def page_link(link: str) -> str:
    """Where a stored link leads now: links made before 2026-12 named /referrals/<id>.

    Links to the pages' former English paths (/refund...) answer 308 (service/pages/moved.py).
    """
    old = _OLD_REFERRAL_LINK.fullmatch(link)
    return referral_link(int(old[1])) if old else link


# The inbox's open button names where its link leads (issue 13: "Åbn henvisning nr. 12"
# opened the agreement). First match wins; the number group fills "{0}".
_LINK_LABELS = (
    (re.compile(r"/henvisninger/(\d+)"), "Åbn henvisning nr. {0}"),
    (re.compile(r"/matchning/aftaler/\d+"), "Åbn mentoraftalen"),
    (re.compile(r"/logbog/\d+#entry-\d+"), "Åbn logbogsnotatet"),
    (re.compile(r"/logbog/\d+"), "Åbn logbogen"),
    (re.compile(re.escape(TIME_LINK)), "Åbn tidsregistrering"),
    (re.compile(r"/refusion(\?.*)?"), "Åbn refusionsopgørelsen"),
    (re.compile(r"/noegletal(\?.*)?"), "Åbn nøgletal"),
    (re.compile(re.escape(AUDIT_LINK)), "Åbn logning"),
)


def link_label(link: str) -> str:
    """The open button's words for a stored link: what the page is, in Danish."""
    link = page_link(link)
    for pattern, label in _LINK_LABELS:
        found = pattern.fullmatch(link)
        if found:
            return label.format(*found.groups())
    return "Åbn"


# Texts stored before 2026-12 ended with the agreement's path ("Se aftalen: /matchning/…").
_OLD_AGREEMENT_PATH = re.compile(r" Se aftalen: /\S+")


def display_text(text: str) -> str:
    """A stored text as the inbox shows it: an old text's raw path becomes plain Danish."""
    return _OLD_AGREEMENT_PATH.sub(" Mentoraftalen er klar.", text)


def list_for(session: Session, *, user_id: int, unread: bool = False, limit: int = 200):
    """The user's notifications, newest first."""
    query = select(Notification).where(Notification.user_id == user_id)
    if unread:
        query = query.where(col(Notification.read_at).is_(None))
    query = query.order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
    return list(session.exec(query.limit(limit)).all())


def unread_count(session: Session, *, user_id: int) -> int:
    """How many of the user's notifications are unread (one indexed count)."""
    return session.exec(
        select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, col(Notification.read_at).is_(None))
    ).one()


def mark_read(session: Session, *, user_id: int, notification_id: int) -> Notification:
    """Mark one of the user's notifications read; another user's is NotFound."""
    row = session.get(Notification, notification_id)
    if row is None or row.user_id != user_id:
        raise NotFound("Notifikationen findes ikke.")
    if row.read_at is None:
        row.read_at = utcnow()
        session.add(row)
        session.flush()
    return row


def mark_all_read(session: Session, *, user_id: int) -> int:
    """Mark all the user's unread notifications read; return how many."""
    result = session.execute(
        sa.update(Notification)
        .where(col(Notification.user_id) == user_id, col(Notification.read_at).is_(None))
        .values(read_at=utcnow())
    )
    return rowcount(result)


def set_email_digest(session: Session, *, user_id: int, digest: bool) -> None:
    """Choose a daily digest (True) or one e-mail per notification (False)."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Brugeren findes ikke.")
    user.email_digest = digest
    session.add(user)
    session.flush()
