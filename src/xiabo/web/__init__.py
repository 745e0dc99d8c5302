"""The web face of xiabo: ``xiabo serve`` (FastAPI + Jinja2, server-rendered pages, JSON API).

    from xiabo.web import create_app, WebConfig
    app = create_app(WebConfig(database_url="sqlite:///x.sqlite3"))
"""

from __future__ import annotations

from .config import WebConfig

__all__ = ["WebConfig", "create_app"]


def create_app(config: WebConfig | None = None):
    from .app import create_app as _create

    return _create(config)
