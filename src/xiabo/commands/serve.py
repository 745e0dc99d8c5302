"""``xiabo serve``: the web pages and JSON API (single-user on 127.0.0.1, login for agencies)."""

from __future__ import annotations

import click

from ..errors import UserError
from ..i18n import t
from ._common import parse_date

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but 127.0.0.1 turns on agency mode (login).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a browser.")
@click.option("--agency", is_flag=True, help="Require login even on 127.0.0.1.")
@click.option("--today", default=None, metavar="YYYY-MM-DD",
              help="Plan as if today were this date (demos, screenshots).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes (an agency server: about 2 per CPU core).")
@click.option("--lang", default=None, envvar="XIABO_LANG", metavar="zh|en")
def cli(host, port, open_browser, agency, today, lang, workers):
    """网页界面 / Serve the web pages and the JSON API."""
    from datetime import date

    from ..i18n import normalise_lang
    from ..store.db import Database
    from ..store.users import user_count

    lang = normalise_lang(lang)
    fixed = parse_date(today, "--today")
    db = Database()
    db.require_current()
    users = user_count(db)
    db.dispose()
    agency = agency or host not in LOOPBACK
    if agency and users == 0:
        raise UserError("web.serve.no_users", fix_key="web.serve.no_users_fix")
    auth = agency or users > 0

    import uvicorn

    from ..web import WebConfig, create_app

    config = WebConfig(auth=auth, today=(lambda: fixed) if fixed else date.today,
                       allowed_hosts=None if auth else LOOPBACK)
    app = create_app(config)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    click.echo(t("web.serve.starting", lang, url=url))
    click.echo(t("web.serve.mode_agency", lang, n=users) if auth else
               t("web.serve.mode_single", lang))
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    common = dict(host=host, port=port, log_level="warning", proxy_headers=True,
                  forwarded_allow_ips="127.0.0.1", server_header=False)
    try:
        if workers > 1:
            import os

            # each worker builds its own app from the environment (xiabo.web.asgi:create)
            os.environ["XIABO_DATABASE_URL"] = db.url
            os.environ["XIABO_WEB_AUTH"] = "1" if auth else "0"
            if not auth:
                os.environ["XIABO_ALLOWED_HOSTS"] = ",".join(LOOPBACK)
            if fixed:
                os.environ["XIABO_TODAY"] = fixed.isoformat()
            app.state.db.dispose()
            uvicorn.run("xiabo.web.asgi:create", factory=True, workers=workers, **common)
        else:
            uvicorn.run(app, **common)
    except OSError:
        raise UserError("web.serve.bad_port", {"port": port}) from None
