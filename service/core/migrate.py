"""Run Alembic from code, and tell whether a database is at the newest schema."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parents[1] / "migrations"


def alembic_config(url: str) -> Config:
    """Return an Alembic config for the database at `url`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    config.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    return config


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema; running it twice changes nothing."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def head_revision() -> str:
    """Return the newest revision of the migration history."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    heads = script.get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migration history has {len(heads)} heads: {heads}")
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    """Return the database's revision (None when unmigrated)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_problem(engine: Engine) -> str | None:
    """Return a message when the database is not at the newest schema, else None."""
    current = current_revision(engine)
    if current is None:
        return "Databasen er ikke oprettet. Kør `mentorkorps migrate` før serveren startes."
    if current != head_revision():
        return (
            f"Databasen har en forældet struktur ({current}). "
            "Kør `mentorkorps migrate` før serveren startes."
        )
    return None
