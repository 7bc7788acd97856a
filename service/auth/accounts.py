"""Accounts: create, authenticate with lock-out (service.auth.lockout), reset passwords, unblock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from service.audit.service import Actor, record
from service.auth import lockout
from service.auth.models import Role, User, WebSession
from service.auth.passwords import hash_password, password_problem, verify_password
from service.core.clock import utcnow
from service.core.emailaddr import valid_email
from service.core.errors import Conflict, Invalid, NotFound

MAX_FAILURES = 5
LOCK_MINUTES = 30
ACCOUNT_RULE = lockout.Rule(
    MAX_FAILURES, timedelta(minutes=LOCK_MINUTES), timedelta(minutes=LOCK_MINUTES)
)
# Failures from one address, whatever accounts, before it is refused for the window.
ADDRESS_MAX_FAILURES = 20
ADDRESS_WINDOW = timedelta(minutes=15)


def normalise_email(email: str) -> str:
    """E-mails compare case-insensitively."""
    return email.strip().lower()


def get_user(session: Session, user_id: int) -> User:
    """Return the user or raise NotFound."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Brugeren findes ikke.")
    return user


def find_by_email(session: Session, email: str) -> User | None:
    """Return the user with this e-mail, if any."""
    return session.exec(select(User).where(User.email == normalise_email(email))).first()


def list_users(session: Session) -> list[User]:
    """Return all users by name."""
    return list(session.exec(select(User).order_by(col(User.name))))


def create_user(
    session: Session, *, email: str, name: str, role: str, password: str, actor: Actor
) -> User:
    """Create an account; duplicate e-mail is a Conflict; a bad role, e-mail or password Invalid."""
    try:
        known_role = Role(role)
    except ValueError:
        raise Invalid("Ukendt rolle.", field="role") from None
    if not name.strip():
        raise Invalid("Navn skal udfyldes.", field="name")
    if problem := password_problem(password):
        raise Invalid(problem, field="password")
    email = valid_email(email)
    if find_by_email(session, email):
        raise Conflict("Der findes allerede en bruger med denne e-mail.", field="email")
    user = User(
        email=email, name=name.strip(), role=known_role, password_hash=hash_password(password)
    )
    session.add(user)
    session.flush()
    record(
        session,
        actor,
        "create",
        purpose="administration",
        entity="user",
        entity_id=user.id,
        detail={"email": email, "role": known_role.value},
    )
    return user


def reset_password(session: Session, *, user: User, password: str, actor: Actor) -> None:
    """Set a new password; existing tokens and web sessions stop working."""
    if problem := password_problem(password):
        raise Invalid(problem, field="password")
    user.password_hash = hash_password(password)
    user.token_version += 1
    session.add(user)
    record(
        session,
        actor,
        "update",
        purpose="administration",
        entity="user",
        entity_id=user.id,
        detail={"change": "password_reset"},
    )


def unblock(session: Session, *, user: User, actor: Actor) -> None:
    """Lift the account's locks, from every address."""
    lockout.clear_email(session, user.email)
    record(
        session,
        actor,
        "update",
        purpose="administration",
        entity="user",
        entity_id=user.id,
        detail={"change": "unblocked"},
    )


def set_active(session: Session, *, user: User, active: bool, actor: Actor) -> None:
    """Activate or deactivate an account (accounts are never deleted: the audit refers to them)."""
    user.active = active
    user.token_version += 1
    session.add(user)
    record(
        session,
        actor,
        "update",
        purpose="administration",
        entity="user",
        entity_id=user.id,
        detail={"change": "activated" if active else "deactivated"},
    )


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    locked_until: datetime | None = None
    locked: str = ""  # "account" or "address" when refused for a lock

    @property
    def retry_after(self) -> int:
        if not self.locked_until:
            return 0
        return max(1, int((self.locked_until - utcnow()).total_seconds()))


def authenticate(
    session: Session,
    *,
    email: str,
    password: str,
    ip: str,
    address_limit: int = ADDRESS_MAX_FAILURES,
) -> LoginResult:
    """Check credentials; 5 failures of one e-mail from one address lock that pair.

    The attempt is counted before the (slow) password check, so parallel guesses cannot
    outrun the lock; a success clears the count. Unknown e-mails are counted and answered
    like real ones. Never raises for bad credentials, so that the caller's transaction
    commits the counts and the audit rows of failed attempts.
    """
    now = utcnow()
    typed = normalise_email(email)[:254]
    user = find_by_email(session, typed)
    if address_limit and (until := lockout.locked_until(session, lockout.address_key(ip), now)):
        _audit_failure(session, user, typed, ip, "address_locked")
        return LoginResult(None, until, "address")
    key = lockout.account_key(typed, ip)
    attempt = lockout.count(session, key=key, email=typed, rule=ACCOUNT_RULE, now=now)
    if attempt.failures > MAX_FAILURES:
        _audit_failure(session, user, typed, ip, "locked")
        return LoginResult(None, attempt.locked_until or now + ACCOUNT_RULE.lock, "account")
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        if address_limit:
            rule = lockout.Rule(address_limit, ADDRESS_WINDOW, ADDRESS_WINDOW)
            lockout.count(session, key=lockout.address_key(ip), email=None, rule=rule, now=now)
        _audit_failure(session, user, typed, ip, "inactive" if ok else "bad_credentials")
        return LoginResult(None)
    lockout.clear(session, key)
    record(
        session,
        Actor(user, ip),
        "login",
        purpose="authentication",
        entity="user",
        entity_id=user.id,
    )
    return LoginResult(user)


def _audit_failure(session: Session, user: User | None, email: str, ip: str, why: str) -> None:
    record(
        session,
        Actor(user, ip),
        "failed_login",
        purpose="authentication",
        entity="user",
        entity_id=user.id if user else None,
        detail={"reason": why},
        actor_label=email,
    )


def locks(session: Session) -> dict[str, datetime]:
    """E-mail → end of the account's latest lock in force (from any address)."""
    return lockout.locks_by_email(session, utcnow())


def locked_count(session: Session) -> int:
    """How many accounts are locked right now (from at least one address)."""
    return lockout.locked_accounts(session, utcnow())


def end_sessions(session: Session, user_id: int) -> None:
    """Remove a user's web sessions (logout everywhere)."""
    for row in session.exec(select(WebSession).where(WebSession.user_id == user_id)):
        session.delete(row)
