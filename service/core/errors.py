"""Domain errors. Services raise these; `service.web.app` maps them to HTTP and pages."""

from __future__ import annotations


class DomainError(Exception):
    """Base of all domain errors; `status` is the HTTP status the API answers with."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


class IllegalTransition(Conflict):
    pass


class PeriodClaimed(Conflict):
    pass


class Invalid(DomainError):
    """Input that is well-formed but breaks a rule; `field` names the field."""

    status = 422


class Locked(DomainError):
    status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
