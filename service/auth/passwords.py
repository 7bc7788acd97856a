"""Password hashing with argon2id."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
_hasher = PasswordHasher()
# Verifying against this keeps the time of an unknown e-mail equal to a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password-000")


def hash_password(password: str) -> str:
    """Return an argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Tell whether the password matches the hash (constant work for a missing user)."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    """Return a Danish message when the password is too weak, else None."""
    if len(password) < MIN_LENGTH:
        return f"Adgangskoden skal være mindst {MIN_LENGTH} tegn."
    return None
