"""PostgreSQL least privilege: the app serves as a runtime role that owns nothing.

Migrations run as the tables' owner (MIGRATION_DATABASE_URL). `grant_runtime` (run as the
owner by `mentorkorps db grant`, and by `mentorkorps migrate` when RUNTIME_ROLE is set)
creates the runtime role when missing and grants exactly:

- the journal tables: SELECT and INSERT only (refund_claim also UPDATE of its workbook's
  build columns); the triggers refuse the rest, and only the owner may disable them;
- alembic_version and retention_pass: SELECT only;
- every other table: SELECT, INSERT, UPDATE, DELETE; every sequence: USAGE and SELECT.

Grants are per existing table, so a table added by a later migration needs the grant again
(ALTER DEFAULT PRIVILEGES would cover only tables the granting role creates).
"""

from __future__ import annotations

import re

import sqlalchemy as sa

JOURNAL = (
    "logbook_entry",
    "logbook_version",
    "logbook_shown",
    "audit_event",
    "referral_event",
    "refund_claim",
    "chain_gap",
    "verify_run",
)
CLAIM_BUILD_COLUMNS = ("status", "workbook", "sha256")
READ_ONLY = ("alembic_version", "retention_pass")
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RoleProblem(Exception):
    """The runtime role cannot be set up as asked (the message says why, in Danish)."""


def grant_runtime(connection: sa.Connection, role: str) -> list[str]:
    """Create `role` if missing (LOGIN) and grant it the runtime privileges; idempotent.

    Run as the owner of the tables, inside the caller's transaction. Returns what was done.
    """
    if connection.dialect.name != "postgresql":
        raise RoleProblem("En driftsrolle findes kun på PostgreSQL; SQLite har ingen roller.")
    if not ROLE_NAME.match(role):
        raise RoleProblem("Rollens navn må kun have små bogstaver a-z, cifre og _ (højst 63 tegn).")
    me, schema, database = _one(
        connection, "SELECT current_user, current_schema(), current_database()"
    )
    if role == me:
        raise RoleProblem(f"Driftsrollen kan ikke være ejeren selv ({me}).")
    done = _ensure_role(connection, role, schema)
    done.append(_grant_tables(connection, role, schema, database))
    creatable = _one(
        connection, "SELECT has_schema_privilege(:r, :s, 'CREATE') AS yes", r=role, s=schema
    )
    if creatable.yes:
        done.append(
            f"ADVARSEL: {role} kan oprette objekter i skemaet {schema}; kør som superbruger: "
            f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC"
        )
    return done


def _one(connection: sa.Connection, sql: str, **params):
    return connection.execute(sa.text(sql), params).one_or_none()


def _ensure_role(connection: sa.Connection, role: str, schema: str) -> list[str]:
    """Create the role when missing; refuse a superuser or a role with the owner's rights."""
    q = connection.dialect.identifier_preparer.quote
    done: list[str] = []
    found = _one(connection, "SELECT rolsuper FROM pg_roles WHERE rolname = :r", r=role)
    if found is None:
        connection.exec_driver_sql(f"CREATE ROLE {q(role)} LOGIN")
        done.append(f"rollen {role} er oprettet (LOGIN; sæt selv en adgangskode)")
    elif found.rolsuper:
        raise RoleProblem(f"Rollen {role} er superbruger og kan ikke være driftsrolle.")
    ownerish = _one(
        connection,
        "SELECT count(*) AS n FROM pg_tables WHERE schemaname = :s "
        "AND pg_has_role(:r, tableowner, 'USAGE')",
        s=schema,
        r=role,
    )
    if ownerish.n:
        raise RoleProblem(f"Rollen {role} ejer tabeller (eller har ejerens rettigheder).")
    return done


def _grant_tables(connection: sa.Connection, role: str, schema: str, database: str) -> str:
    """Grant each table's privileges from nothing; say what the role may now do."""
    q = connection.dialect.identifier_preparer.quote
    run = connection.exec_driver_sql
    tables = [
        name
        for (name,) in connection.execute(
            sa.text("SELECT tablename FROM pg_tables WHERE schemaname = :s ORDER BY tablename"),
            {"s": schema},
        )
    ]
    run(f"GRANT CONNECT ON DATABASE {q(database)} TO {q(role)}")
    run(f"GRANT USAGE ON SCHEMA {q(schema)} TO {q(role)}")
    # From nothing each time: a privilege granted by hand earlier does not survive.
    run(f"REVOKE ALL ON ALL TABLES IN SCHEMA {q(schema)} FROM {q(role)}")
    run(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {q(schema)} FROM {q(role)}")
    for table in tables:
        if table in JOURNAL:
            privileges = "SELECT, INSERT"
        elif table in READ_ONLY:
            privileges = "SELECT"
        else:
            privileges = "SELECT, INSERT, UPDATE, DELETE"
        run(f"GRANT {privileges} ON {q(schema)}.{q(table)} TO {q(role)}")
    if "refund_claim" in tables:
        columns = ", ".join(q(c) for c in CLAIM_BUILD_COLUMNS)
        run(f"GRANT UPDATE ({columns}) ON {q(schema)}.refund_claim TO {q(role)}")
    run(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {q(schema)} TO {q(role)}")
    journal = sum(t in JOURNAL for t in tables)
    return (
        f"{role}: læse og tilføje i {journal} journaltabeller, "
        f"fuld adgang til rækkerne i {len(tables) - journal - sum(t in READ_ONLY for t in tables)}"
        " andre tabeller"
    )
