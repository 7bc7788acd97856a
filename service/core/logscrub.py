"""Keep CPR numbers, health information and logbook text out of the server log.

Database errors carry personal data in their text: SQLAlchemy's bound parameters, and the
driver's own message (PostgreSQL's `DETAIL:  Key (cpr)=(0101901234) already exists`). So a
logged database error is reduced to its class and SQLSTATE, SQLAlchemy's row echo is
hidden, and every other line has CPR-shaped numbers masked and DETAIL lines dropped.

`install()` puts the scrubbing into the log record factory, so it applies to every logger
(the app's, SQLAlchemy's, psycopg's, uvicorn's) and every handler, whatever configures
logging later. `PersonalDataFilter` does the same for a logging config file's handlers.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import traceback

import sqlalchemy as sa

try:
    import psycopg
except ImportError:  # pragma: no cover - psycopg is a dependency, but SQLite needs none
    psycopg = None  # type: ignore[assignment]

CPR = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")  # ten digits, or ddmmyy-xxxx
CPR_MASK = "**********"
# PostgreSQL's extra lines show the values of keys and rows; SQLAlchemy's show parameters.
EXTRA_LINES = re.compile(
    r"^[ \t]*(DETAIL|HINT|CONTEXT|WHERE|\[parameters:|\[SQL parameters).*(\n|$)", re.M
)
# pydantic quotes what was typed: `input_value='...', input_type=str`
INPUT_VALUE = re.compile(r"input_value=.*?(?=, input_type=|\]$)", re.M | re.S)
_DB_ERRORS: tuple[type[BaseException], ...] = (sa.exc.SQLAlchemyError, sqlite3.Error) + (
    (psycopg.Error,) if psycopg else ()
)
_HIDDEN_ROW = "[row hidden]"


def scrub(text: str) -> str:
    """Drop DETAIL/parameter lines and mask CPR-shaped numbers."""
    text = EXTRA_LINES.sub("", text)
    text = INPUT_VALUE.sub("input_value=[hidden]", text)
    return CPR.sub(CPR_MASK, text)


def sqlstate(error: BaseException) -> str | None:
    """The SQLSTATE of a database error (SQLite: its extended error name), if any."""
    orig = getattr(error, "orig", None) or error
    return (
        getattr(orig, "sqlstate", None)
        or getattr(orig, "pgcode", None)
        or getattr(orig, "sqlite_errorname", None)
    )


def describe(error: BaseException) -> str:
    """One line about an error that holds no personal data."""
    name = f"{type(error).__module__}.{type(error).__qualname__}"
    if isinstance(error, _DB_ERRORS):
        code = sqlstate(error)
        return f"{name} (SQLSTATE {code})" if code else name
    if isinstance(error, BaseExceptionGroup):
        return f"{name}: " + "; ".join(describe(e) for e in error.exceptions)
    return f"{name}: {scrub(str(error))}"


def format_exception(error: BaseException) -> str:
    """A traceback like Python's, each exception's message replaced by `describe`."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    parts: list[str] = []
    for position, item in enumerate(reversed(chain)):
        if position:
            parts.append("\nThe above exception led to the following one:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(item.__traceback__))
        parts.append(describe(item) + "\n")
    return scrub("".join(parts)).rstrip("\n")


def scrub_record(record: logging.LogRecord) -> logging.LogRecord:
    """Rewrite a record in place so that no handler can see personal data."""
    if getattr(record, "_scrubbed", False):
        return record
    record._scrubbed = True
    if isinstance(record.msg, BaseException):
        record.msg = describe(record.msg)
    if record.name.startswith("sqlalchemy.engine") and str(record.msg).startswith("Row "):
        record.args = (_HIDDEN_ROW,)
    if isinstance(record.args, tuple):
        record.args = tuple(
            describe(a) if isinstance(a, BaseException) else scrub(a) if isinstance(a, str) else a
            for a in record.args
        )
    if not record.name.startswith("uvicorn.access"):  # its formatter needs the args
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call must not raise where it logs
            message = f"{record.msg} [arguments hidden: they do not fit the message]"
        record.msg = scrub(str(message))
        record.args = ()
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text = format_exception(record.exc_info[1])
        record.exc_info = None
    elif record.exc_text:
        record.exc_text = scrub(record.exc_text)
    if record.stack_info:
        record.stack_info = scrub(record.stack_info)
    return record


class PersonalDataFilter(logging.Filter):
    """A handler filter doing what `install()` does for every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        scrub_record(record)
        return True


def install() -> None:
    """Scrub every log record of this process when it is created (idempotent)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "scrubs_personal_data", False):
        return

    def scrubbing_factory(*args, **kwargs) -> logging.LogRecord:
        return scrub_record(factory(*args, **kwargs))

    scrubbing_factory.scrubs_personal_data = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(scrubbing_factory)
