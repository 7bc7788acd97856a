"""Typed settings from the environment and `.env`."""

from __future__ import annotations

import secrets
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

VAR_DIR = Path("var")
DEFAULT_HOURLY_RATE = Decimal("400.00")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = f"sqlite:///{VAR_DIR / 'mentorkorps.sqlite3'}"
    secret_key: str = ""
    default_hourly_rate: Decimal = DEFAULT_HOURLY_RATE
    scheduler_enabled: bool = False
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_from: str = "mentorkorps@localhost"
    session_idle_minutes: int = 30
    token_hours: int = 8
    # Threads that serve sync routes; the connection pool is sized from it (see db.py).
    worker_threads: int = 40
    cookie_secure: bool = False
    # Failed logins from one client address (any accounts) within 15 minutes before that
    # address gets 429 for 15 minutes; 0 turns the address throttle off.
    login_address_max_failures: int = 20
    # PostgreSQL least privilege (issue 11): `migrate`, `db grant` and the retention job
    # connect as the tables' owner; the app serves as RUNTIME_ROLE through DATABASE_URL.
    migration_database_url: str = ""
    runtime_role: str = ""
    # Retention by rule (service/retention/rules.py).
    retention_years: int = 5
    access_log_months: int = 24
    # Addresses whose X-Forwarded-For/-Proto uvicorn believes (the TLS proxy); "*" = any.
    forwarded_allow_ips: str = "127.0.0.1"

    @field_validator("default_hourly_rate")
    @classmethod
    def _two_places(cls, value: Decimal) -> Decimal:
        if value < 0:
            raise ValueError("DEFAULT_HOURLY_RATE must not be negative")
        return value.quantize(Decimal("0.01"))

    @field_validator("retention_years", "access_log_months")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError("RETENTION_YEARS and ACCESS_LOG_MONTHS must be at least 1")
        return value

    def resolved_secret_key(self) -> str:
        """Return SECRET_KEY, generating and keeping one under var/ when unset."""
        if self.secret_key:
            return self.secret_key
        path = VAR_DIR / "secret_key"
        if not path.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings."""
    return Settings()
