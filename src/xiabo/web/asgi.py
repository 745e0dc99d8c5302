"""An app factory for ASGI servers and several worker processes.

    uvicorn --factory xiabo.web.asgi:create --workers 2

Settings come from the environment: ``XIABO_DATABASE_URL`` (the store), ``XIABO_WEB_AUTH=1``
(login required; on by default when users exist), ``XIABO_ALLOWED_HOSTS`` (comma-separated
host names to answer; default any), ``XIABO_TODAY=YYYY-MM-DD`` (a fixed "today",
for demos and benchmarks), ``XIABO_INPROCESS_WORKER=0`` (no job worker thread in this process:
``xiabo worker`` processes run the jobs), ``XIABO_WEB_LAN=1`` (other devices must be paired phones) and
``XIABO_BASE_URL`` (the address in links). ``xiabo serve`` is the usual way in; this is for
deployments.
"""

from __future__ import annotations

import os
from datetime import date

__all__ = ["create"]


def create():
    from ..store.db import Database
    from ..store.users import user_count
    from . import WebConfig, create_app

    fixed = os.environ.get("XIABO_TODAY")
    today = (lambda: date.fromisoformat(fixed)) if fixed else date.today
    auth_env = os.environ.get("XIABO_WEB_AUTH")
    if auth_env is None:
        db = Database()
        auth = user_count(db) > 0
        db.dispose()
    else:
        auth = auth_env.lower() in ("1", "true", "yes")
    pool = int(os.environ.get("XIABO_DB_POOL", "10"))
    hosts = tuple(h for h in os.environ.get("XIABO_ALLOWED_HOSTS", "").split(",") if h) or None
    lan = os.environ.get("XIABO_WEB_LAN", "").lower() in ("1", "true", "yes")
    from ..jobs.inprocess import start_threads, wanted

    if wanted():
        start_threads()
    app = create_app(WebConfig(auth=auth, today=today, pool_size=pool, allowed_hosts=hosts,
                               lan=lan, base_url=os.environ.get("XIABO_BASE_URL") or None))
    from .settle import settle

    settle()  # what every page needs, built now and kept out of the collector's way
    return app
