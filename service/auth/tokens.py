"""Signed API bearer tokens and web-session and CSRF cookies."""

from __future__ import annotations

import hashlib
import secrets

from itsdangerous import BadSignature, Signer, URLSafeTimedSerializer

SESSION_COOKIE = "mk_session"
CSRF_COOKIE = "mk_csrf"
FLASH_COOKIE = "mk_flash"


class Tokens:
    """Everything signed with SECRET_KEY."""

    def __init__(self, secret: str, token_hours: int):
        self._api = URLSafeTimedSerializer(secret, salt="api-token")
        self._cookie = Signer(secret, salt="cookie")
        self._flash = URLSafeTimedSerializer(secret, salt="flash")
        self.token_seconds = token_hours * 3600

    def issue_api_token(self, user_id: int, version: int) -> str:
        return self._api.dumps({"u": user_id, "v": version})

    def read_api_token(self, token: str) -> tuple[int, int] | None:
        try:
            data = self._api.loads(token, max_age=self.token_seconds)
            return int(data["u"]), int(data["v"])
        except (BadSignature, KeyError, TypeError, ValueError):
            return None

    def new_cookie_secret(self) -> tuple[str, str]:
        """Return (signed cookie value, database id = sha256 of the secret)."""
        secret = secrets.token_urlsafe(32)
        return self._cookie.sign(secret).decode(), session_id(secret)

    def new_csrf_token(self) -> str:
        return self._cookie.sign(secrets.token_urlsafe(24)).decode()

    def unsign(self, value: str | None) -> str | None:
        if not value:
            return None
        try:
            return self._cookie.unsign(value).decode()
        except BadSignature:
            return None

    def sign_flash(self, messages: list[list[str]]) -> str:
        return self._flash.dumps(messages)

    def read_flash(self, value: str | None) -> list[list[str]]:
        if not value:
            return []
        try:
            return list(self._flash.loads(value, max_age=600))
        except BadSignature:
            return []


def session_id(secret: str) -> str:
    """The database key of a web session: a leaked table gives no usable cookies."""
    return hashlib.sha256(secret.encode()).hexdigest()
