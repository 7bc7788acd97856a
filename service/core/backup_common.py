"""What the backup and restore of either database share: the error, and the empty check."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

Say = Callable[[str], None]
# alembic_version's and chain_head's rows are part of a migrated schema, not data.
SCHEMA_ROWS = ("alembic_version", "chain_head")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is Danish and says why."""


def refuse_non_empty(objects: list[str], has_rows: Callable[[str], bool]) -> None:
    """Refuse a database that holds any object of its own; name the rows when it has data."""
    if not objects:
        return
    with_rows = [n for n in objects if not n.endswith(SCHEMA_ROWS) and has_rows(n)]
    if with_rows:
        raise BackupError(
            f"Databasen er ikke tom: {', '.join(with_rows[:5])} har rækker. "
            "Gendan kun til en ny, tom database."
        )
    raise BackupError(
        f"Databasen er ikke tom: den har allerede et skema ({len(objects)} objekter, fx "
        f"{', '.join(objects[:3])}). Gendan til en ny, tom database, og kør ikke "
        "`mentorkorps migrate` før gendannelsen."
    )


def describe(url: str) -> str:
    """A database as the messages name it: its name and host."""
    parsed = sa.engine.make_url(url)
    return f"{parsed.database} på {parsed.host or 'localhost'}"
