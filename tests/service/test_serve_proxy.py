"""`mentorkorps serve` believes X-Forwarded-* only from FORWARDED_ALLOW_IPS (the TLS proxy)."""

from __future__ import annotations

import uvicorn
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from tests.service.test_cli import cli  # noqa: F401  (the fixture)


def served_config(cli, monkeypatch):  # noqa: F811
    """Run `serve` with uvicorn.run caught: the config it would serve with."""
    seen = []
    monkeypatch.setattr(uvicorn, "run", lambda **options: seen.append(uvicorn.Config(**options)))
    assert cli("migrate").exit_code == 0
    result = cli("serve", "--port", "8765")
    assert result.exit_code == 0, result.output
    (config,) = seen
    return config


def test_serve_trusts_the_configured_proxy_only(cli, monkeypatch):  # noqa: F811
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.1.2.3")
    config = served_config(cli, monkeypatch)
    assert config.proxy_headers is True and config.port == 8765
    config.load()
    proxy = config.loaded_app
    assert isinstance(proxy, ProxyHeadersMiddleware)
    assert "10.1.2.3" in proxy.trusted_hosts and "127.0.0.2" not in proxy.trusted_hosts


def test_serve_trusts_localhost_by_default(cli, monkeypatch):  # noqa: F811
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    config = served_config(cli, monkeypatch)
    assert config.forwarded_allow_ips == "127.0.0.1"
