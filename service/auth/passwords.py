"""Password hashing with argon2id, and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 200
# zxcvbn's score 0-4 estimates guesses needed; 3 is "safely unguessable" offline-ish.
MIN_SCORE = 3
# zxcvbn's time grows fast with length; a prefix this long that is weak makes the whole weak.
_SCORED_PREFIX = 72
# Words an attacker of this service would try first.
_SERVICE_WORDS = ["mentorkorps", "mentor", "jobcenter", "kommune", "adgangskode", "borger"]
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
    """Return a Danish message when the password is too short, too long or too easy to guess.

    Too easy: common words and passwords, repetitions, sequences and keyboard rows, as zxcvbn
    scores them (below 3 of 4).
    """
    if len(password) < MIN_LENGTH:
        return f"Adgangskoden skal være mindst {MIN_LENGTH} tegn."
    if len(password) > MAX_LENGTH:
        return f"Adgangskoden må højst være {MAX_LENGTH} tegn."
    prefix = password[:_SCORED_PREFIX]
    if zxcvbn(prefix, user_inputs=_SERVICE_WORDS, max_length=_SCORED_PREFIX)["score"] < MIN_SCORE:
        return (
            "Adgangskoden er for let at gætte: undgå almindelige ord og adgangskoder, "
            "gentagelser og talrækker. Brug fx flere tilfældige ord."
        )
    return None
