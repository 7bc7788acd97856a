"""The one check of an e-mail address we store, for pages, API and CLI alike."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from service.core.errors import Invalid

MESSAGE = "Skriv en gyldig e-mailadresse (fx navn@kommune.dk)."


def valid_email(text: str | None) -> str:
    """Return the address normalised (trimmed, lower case) or raise Invalid(field="email").

    Refuses control characters and whitespace inside (CR/LF would inject mail headers) and
    anything email-validator refuses; no DNS look-up.
    """
    address = (text or "").strip()
    if not address or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in address):
        raise Invalid(MESSAGE, field="email")
    try:
        checked = validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        raise Invalid(MESSAGE, field="email") from None
    return checked.normalized.lower()
