"""The `mentorkorps` command."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import typer

from service.core.settings import get_settings

app = typer.Typer(help="Mentorkorps: the job centre's mentor corps.", no_args_is_help=True)
user_app = typer.Typer(help="Accounts.", no_args_is_help=True)
jobs_app = typer.Typer(help="Scheduled jobs.", no_args_is_help=True)
db_app = typer.Typer(help="Database roles.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(jobs_app, name="jobs")
app.add_typer(db_app, name="db")


@app.callback()
def main() -> None:
    """Mentorkorps: the job centre's mentor corps."""
    from service.core import logscrub

    logscrub.install()  # no CPR, health or logbook text in any log line


@app.command()
def migrate() -> None:
    """Bring the database to the newest schema, as MIGRATION_DATABASE_URL (else DATABASE_URL).

    With RUNTIME_ROLE set (PostgreSQL), the runtime role is granted again afterwards, so
    tables added by the migration get its privileges too.
    """
    from service.core.migrate import current_revision, upgrade

    engine = _owner_engine()
    try:
        upgrade(engine)
        typer.echo(f"Databasen er på nyeste version ({current_revision(engine)}).")
        role = get_settings().runtime_role
        if role and engine.dialect.name == "postgresql":
            _grant(engine, role)
        elif role:
            typer.echo("RUNTIME_ROLE bruges kun på PostgreSQL; SQLite har ingen roller.")
    finally:
        engine.dispose()


def _owner_engine():
    """An engine on MIGRATION_DATABASE_URL (the tables' owner), else on DATABASE_URL."""
    from service.core.db import make_engine

    settings = get_settings()
    return make_engine(settings.migration_database_url or settings.database_url, pool_size=1)


def _grant(engine, role: str) -> None:
    from service.core.dbroles import RoleProblem, grant_runtime

    try:
        with engine.begin() as connection:
            lines = grant_runtime(connection, role)
    except RoleProblem as error:
        typer.echo(f"Fejl: {error}", err=True)
        raise typer.Exit(1) from error
    for line in lines:
        typer.echo(line)


@db_app.command("grant")
def db_grant(
    runtime_role: str = typer.Option(
        None, "--runtime-role", help="The role the app serves as (default: RUNTIME_ROLE)."
    ),
) -> None:
    """Create the runtime role if missing and (re)grant its privileges (PostgreSQL).

    Runs as MIGRATION_DATABASE_URL (the tables' owner), else DATABASE_URL. Run it again after
    every `migrate`, unless RUNTIME_ROLE is set (then `migrate` does it).
    """
    role = runtime_role or get_settings().runtime_role
    if not role:
        typer.echo("Fejl: angiv --runtime-role (eller RUNTIME_ROLE).", err=True)
        raise typer.Exit(2)
    engine = _owner_engine()
    try:
        _grant(engine, role)
    finally:
        engine.dispose()


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(int(os.environ.get("PORT", "8000")), help="Port."),
    workers: int = typer.Option(
        1, "--workers", min=1, help="Worker processes (more than 1 needs PostgreSQL)."
    ),
) -> None:
    """Serve pages and API, in one process or in several on one PostgreSQL database.

    Every worker runs the whole app; with SCHEDULER_ENABLED=true they compete for the runner
    lock and exactly one runs the jobs (service/jobs/schedule.py).
    """
    import uvicorn

    from service.core.db import get_engine
    from service.core.migrate import schema_problem
    from service.core.settings import get_settings

    engine = get_engine()
    try:
        if problem := schema_problem(engine):
            typer.echo(problem, err=True)
            raise typer.Exit(1)
        if workers > 1 and engine.dialect.name != "postgresql":
            typer.echo(
                "Fejl: --workers over 1 kræver PostgreSQL; SQLite serveres af én proces.",
                err=True,
            )
            raise typer.Exit(2)
    finally:
        engine.dispose()  # the workers open their own connections
    uvicorn.run(**server_options(host, port, get_settings().forwarded_allow_ips, workers))


def server_options(host: str, port: int, forwarded_allow_ips: str, workers: int = 1) -> dict:
    """uvicorn's options: the scheme and client address come from X-Forwarded-* headers,
    believed only from FORWARDED_ALLOW_IPS (the TLS proxy in front). Several workers share
    one listening socket (uvicorn's supervisor restarts a worker that dies)."""
    return {
        "app": "service.main:app",
        "host": host,
        "port": port,
        "workers": workers,
        "proxy_headers": True,
        "forwarded_allow_ips": forwarded_allow_ips,
    }


@app.command()
def verify() -> None:
    """Check the tamper-evidence chains of the audit trail and the logbook versions.

    Prints `OK` with the rows checked per chain, or the first broken row (exit code 1).
    """
    import service.all_models  # noqa: F401  (registers every chained table)
    from service.audit.verify import verify_database
    from service.core.db import get_engine
    from service.core.migrate import schema_problem

    if problem := schema_problem(get_engine()):
        typer.echo(problem, err=True)
        raise typer.Exit(2)
    outcome = verify_database(get_engine(), source="cli")
    typer.echo(outcome.message)
    if not outcome.ok:
        raise typer.Exit(1)


@app.command()
def backup(file: Path = typer.Argument(..., help="The backup file to write.")) -> None:
    """Write a backup of the database (SQLite: online backup; PostgreSQL: pg_dump)."""
    from service.core import backup as backups
    from service.core.backup_common import BackupError

    try:
        backups.backup(backups.database_url(), file, say=typer.echo)
    except BackupError as error:
        typer.echo(f"Fejl: {error}", err=True)
        raise typer.Exit(1) from error


@app.command()
def restore(file: Path = typer.Argument(..., help="A file written by `backup`.")) -> None:
    """Restore a backup into an empty database, then bring its schema to the newest."""
    from service.core import backup as backups
    from service.core.backup_common import BackupError

    try:
        backups.restore(backups.database_url(), file, say=typer.echo)
    except BackupError as error:
        typer.echo(f"Fejl: {error}", err=True)
        raise typer.Exit(1) from error


@user_app.command("create")
def user_create(
    email: str = typer.Option(..., "--email"),
    name: str = typer.Option(..., "--name"),
    role: str = typer.Option(..., "--role"),
) -> None:
    """Create a user; the password is read from standard input."""
    from service.audit.service import Actor
    from service.auth import accounts
    from service.core.db import session_scope
    from service.core.errors import DomainError

    password = (
        sys.stdin.readline().rstrip("\n")
        if not sys.stdin.isatty()
        else typer.prompt("Adgangskode", hide_input=True, confirmation_prompt=True)
    )
    try:
        with session_scope() as session:
            user = accounts.create_user(
                session,
                email=email,
                name=name,
                role=role,
                password=password,
                actor=Actor(None, "cli"),
            )
            typer.echo(f"Bruger oprettet: {user.email} ({user.role}), id {user.id}")
    except DomainError as error:
        typer.echo(f"Fejl: {error.message}", err=True)
        raise typer.Exit(1) from error


@app.command("seed-demo")
def seed_demo(
    if_empty: bool = typer.Option(False, "--if-empty", help="Do nothing when not empty."),
) -> None:
    """Fill an empty database with demo data (refuses a non-empty one)."""
    from service.core.db import session_scope
    from service.demo import seed as demo

    with session_scope() as session:
        if not demo.is_empty(session):
            if if_empty:
                typer.echo("Databasen har allerede data; demodata springes over.")
                return
            typer.echo(
                "Fejl: databasen er ikke tom; demodata indlæses kun i en tom database.", err=True
            )
            raise typer.Exit(1)
        credentials = demo.seed(
            session,
            progress=lambda m: typer.echo(f"  … {m}"),
            default_rate=get_settings().default_hourly_rate,
        )
    lines = [f"{email}  {password}" for email, password in credentials.items()]
    Path("var").mkdir(exist_ok=True)
    keep = Path("var/demo-logins.txt")
    keep.write_text("\n".join(lines) + "\n")
    keep.chmod(0o600)
    typer.echo("Demodata er indlæst. Log ind med (gemt i var/demo-logins.txt):")
    for line in lines:
        typer.echo(f"  {line}")


@jobs_app.command("list")
def jobs_list() -> None:
    """Show every job with its schedule, last run and outcome."""
    from service.core.db import session_scope
    from service.jobs.runner import job_table

    with session_scope() as session:
        rows = job_table(session)
    if not rows:
        typer.echo("Ingen planlagte job.")
    for row in rows:
        typer.echo("  ".join(row))


@jobs_app.command("run")
def jobs_run(
    name: str,
    today: str = typer.Option(None, "--today", help="Run as if today were YYYY-MM-DD."),
) -> None:
    """Run one job by hand."""
    from service.core import clock
    from service.jobs.runner import UnknownJob, run_job

    try:
        day = date.fromisoformat(today) if today else clock.today()
    except ValueError as error:
        typer.echo("Fejl: --today skal være en dato (YYYY-MM-DD).", err=True)
        raise typer.Exit(2) from error
    try:
        outcome = run_job(name, day)
    except UnknownJob as error:
        typer.echo(f"Fejl: {error}", err=True)
        raise typer.Exit(2) from error
    typer.echo(outcome)


if __name__ == "__main__":
    app()
