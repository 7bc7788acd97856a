"""The `mentorkorps` command against a temporary SQLite database."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from service.cli import app
from service.core.db import get_engine
from service.core.settings import get_settings


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    get_settings.cache_clear()
    get_engine.cache_clear()
    runner = CliRunner()
    yield lambda *args, stdin=None: runner.invoke(app, list(args), input=stdin)
    get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()


def test_migrate_twice_changes_nothing(cli):
    first = cli("migrate")
    assert first.exit_code == 0, first.output
    second = cli("migrate")
    assert second.exit_code == 0 and first.output == second.output


def test_serve_refuses_an_unmigrated_database(cli):
    result = cli("serve", "--port", "1")
    assert result.exit_code == 1
    assert "mentorkorps migrate" in result.output


def test_user_create_reads_the_password_from_stdin(cli):
    cli("migrate")
    result = cli(
        "user",
        "create",
        "--email",
        "It@Kommune.dk",
        "--name",
        "IT",
        "--role",
        "admin",
        stdin="a-long-enough-password\n",
    )
    assert result.exit_code == 0, result.output
    assert "it@kommune.dk" in result.output
    again = cli(
        "user",
        "create",
        "--email",
        "it@kommune.dk",
        "--name",
        "IT",
        "--role",
        "admin",
        stdin="a-long-enough-password\n",
    )
    assert again.exit_code == 1 and "findes allerede" in again.output


def test_user_create_refuses_a_short_password(cli):
    cli("migrate")
    result = cli(
        "user", "create", "--email", "a@b.dk", "--name", "A", "--role", "mentor", stdin="short\n"
    )
    assert result.exit_code == 1 and "mindst 12 tegn" in result.output


def test_user_create_refuses_a_common_password(cli):
    cli("migrate")
    result = cli(
        "user",
        "create",
        "--email",
        "a@b.dk",
        "--name",
        "A",
        "--role",
        "mentor",
        stdin="123456789012\n",
    )
    assert result.exit_code == 1 and "for let at gætte" in result.output


def test_seed_demo_fills_an_empty_database_once(cli, tmp_path):
    cli("migrate")
    first = cli("seed-demo")
    assert first.exit_code == 0, first.output
    assert "koordinator@demo.mentorkorps.dk" in first.output
    assert (tmp_path / "var" / "demo-logins.txt").exists()
    refused = cli("seed-demo")
    assert refused.exit_code == 1 and "ikke tom" in refused.output
    skipped = cli("seed-demo", "--if-empty")
    assert skipped.exit_code == 0


def test_jobs_run_unknown_name_is_an_error(cli):
    cli("migrate")
    result = cli("jobs", "run", "findes_ikke", "--today", "2026-11-23")
    assert result.exit_code == 2 and "ukendt job" in result.output


def test_secret_key_is_generated_once_and_kept(cli, tmp_path):
    first = get_settings().resolved_secret_key()
    path = tmp_path / "var" / "secret_key"
    assert path.exists() and oct(path.stat().st_mode)[-3:] == "600"
    assert get_settings().resolved_secret_key() == first and len(first) >= 40


def test_verify_on_a_fresh_database_is_ok_and_refuses_an_unmigrated_one(cli):
    unmigrated = cli("verify")
    assert unmigrated.exit_code == 2 and "mentorkorps migrate" in unmigrated.output
    cli("migrate")
    result = cli("verify")
    assert result.exit_code == 0, result.output
    assert result.output == "OK: audit_event 0 rækker, logbook_version 0 rækker\n"
