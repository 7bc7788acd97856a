"""The serving app's settings, the one way routes and request helpers read settings.

An app is built with its settings (`create_app(settings=...)`); the process default
(`get_settings()`) is read only where an app or the CLI starts.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.core.settings import Settings


def app_settings(request: Request) -> Settings:
    """The settings of the app serving the request."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(app_settings)]
