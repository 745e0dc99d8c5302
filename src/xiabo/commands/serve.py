"""``xiabo serve``: the web pages and JSON API (single-user on 127.0.0.1, login for agencies)."""

from __future__ import annotations

import click

from ..errors import UserError
from ..i18n import t
from ._common import CatalogueCommand, catalogue_option, parse_date

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@click.command(name="serve", cls=CatalogueCommand, help_key="cmd.help.serve")
@catalogue_option("--host", default="127.0.0.1", show_default=True, key="cmd.opt.host")
@catalogue_option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
                  key="cmd.opt.port")
@catalogue_option("--open", "open_browser", is_flag=True, key="cmd.opt.open")
@catalogue_option("--agency", is_flag=True, key="cmd.opt.agency")
@catalogue_option("--today", default=None, metavar="YYYY-MM-DD", key="cmd.opt.today")
@catalogue_option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
                  key="cmd.opt.workers")
@catalogue_option("--lang", default=None, envvar="XIABO_LANG", metavar="zh|en", key="cmd.opt.lang")
@catalogue_option("--forwarded-allow-ips", "forwarded", default=None, metavar="IP,IP",
                  envvar="XIABO_FORWARDED_ALLOW_IPS", key="security.opt.forwarded_allow_ips")
def cli(host, port, open_browser, agency, today, lang, workers, forwarded):
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
    common = dict(host=host, port=port, log_level="warning", server_header=False,
                  **proxy_settings(forwarded))
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


def proxy_settings(forwarded: str | None) -> dict:
    """uvicorn's proxy settings: X-Forwarded-For is believed only from the listed addresses.

    Without ``--forwarded-allow-ips`` nobody is trusted (not even loopback, where any local
    process could otherwise choose the address its failed logins are counted against).
    """
    ips = ",".join(p.strip() for p in (forwarded or "").split(",") if p.strip())
    if not ips:
        return {"proxy_headers": False, "forwarded_allow_ips": ""}
    return {"proxy_headers": True, "forwarded_allow_ips": ips}
