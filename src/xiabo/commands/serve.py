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
@catalogue_option("--lan", is_flag=True, key="reach.serve.opt_lan")
@catalogue_option("--base-url", "base_url", default=None, metavar="URL",
                  key="reach.serve.opt_base_url")
@catalogue_option("--case", "pair_case", default=None, type=click.IntRange(1, 2**31 - 1),
                  key="reach.serve.opt_case")
def cli(host, port, open_browser, agency, today, lang, workers, forwarded, lan, base_url,
        pair_case):
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
    lan_ip = None
    if lan:
        if agency:
            raise UserError("reach.serve.lan_agency", field="--lan",
                            fix_key="reach.serve.lan_agency_fix")
        lan_ip = _lan_address(host)
        host = "127.0.0.1"  # and lan_ip beside it (below); other devices must pair
    if base_url:
        from ..web.auth.lan import check_base_url

        base_url = check_base_url(base_url)
    elif lan_ip:
        from ..web.auth.lan import base_url as make_base

        base_url = make_base(lan_ip, port)
    agency = agency or host not in LOOPBACK
    if agency and users == 0:
        raise UserError("web.serve.no_users", fix_key="web.serve.no_users_fix")
    auth = agency or users > 0

    import uvicorn

    from ..web import WebConfig, create_app

    hosts = LOOPBACK + tuple(h for h in (lan_ip, _host_of(base_url)) if h)
    config = WebConfig(auth=auth, today=(lambda: fixed) if fixed else date.today,
                       allowed_hosts=None if auth else hosts, lan=bool(lan_ip),
                       base_url=base_url)
    app = create_app(config)
    from ..jobs.inprocess import start_threads, wanted

    if workers == 1 and wanted():  # several workers: each process starts its own (web.asgi)
        start_threads(db.url)
    if workers == 1 and not auth:  # the pairing page may turn phone access on and off
        from ..web.auth.lan_switch import LanSwitch

        app.state.lan_switch = LanSwitch(port, fixed_address=lan_ip)
    # the addresses really listened on: several workers share one socket, the LAN one
    listen = [lan_ip] if lan_ip and workers > 1 else (
        ["127.0.0.1", lan_ip] if lan_ip else [host])
    urls = [f"http://{f'[{h}]' if ':' in h else h}:{port}/" for h in listen]
    url = urls[0]
    click.echo(t("web.serve.starting", lang, url="  ".join(urls)))
    click.echo(t("web.serve.mode_agency", lang, n=users) if auth else
               t("reach.serve.mode_lan" if lan_ip else "web.serve.mode_single", lang))
    if lan_ip:
        _print_pairing(app, base_url, pair_case, lang)
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    if workers == 1:  # several workers: each process settles its own (web.asgi)
        from ..web.settle import settle

        settle()
    common = dict(host=host, port=port, log_level="warning", server_header=False,
                  **proxy_settings(forwarded))
    try:
        if workers > 1:
            import os

            # each worker builds its own app from the environment (xiabo.web.asgi:create)
            os.environ["XIABO_DATABASE_URL"] = db.url
            os.environ["XIABO_WEB_AUTH"] = "1" if auth else "0"
            if not auth:
                os.environ["XIABO_ALLOWED_HOSTS"] = ",".join(hosts)
            if base_url:
                os.environ["XIABO_BASE_URL"] = base_url
            if lan_ip:  # workers share one address: the LAN one (this computer counts as local)
                os.environ["XIABO_WEB_LAN"] = "1"
                common["host"] = lan_ip
            if fixed:
                os.environ["XIABO_TODAY"] = fixed.isoformat()
            app.state.db.dispose()
            uvicorn.run("xiabo.web.asgi:create", factory=True, workers=workers, **common)
        elif lan_ip:  # this computer on loopback, phones on the LAN address
            server = uvicorn.Server(uvicorn.Config(app, **common))
            from ..web.auth.lan import bind_socket

            server.run(sockets=[bind_socket("127.0.0.1", port), bind_socket(lan_ip, port)])
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


def _lan_address(host: str) -> str:
    """The address phones use: ``--host`` when it is not loopback, else the best LAN one."""
    from ..web.auth.lan import lan_addresses

    if host not in LOOPBACK and host not in ("0.0.0.0", "::"):
        return host
    found = lan_addresses()
    if not found:
        raise UserError("reach.serve.no_lan", fix_key="reach.serve.no_lan_fix")
    return found[0]


def _host_of(url: str | None) -> str | None:
    from ..web.auth.lan import url_host

    return url_host(url) if url else None


def _print_pairing(app, base_url: str, case_id: int | None, lang: str) -> None:
    """Print the phone address and, for one case, a one-time pairing QR code."""
    from ..web.auth.lan import qr_text
    from ..web.auth.pairing import new_link, settings

    click.echo(t("reach.serve.lan_url", lang, url=base_url + "/"))
    db = app.state.db
    if case_id is None:
        from sqlalchemy import select

        from ..store.models import Case

        with db.read() as s:
            ids = list(s.execute(select(Case.id).where(Case.status != "archived")
                                 .limit(2)).scalars())
        if len(ids) != 1:
            click.echo(t("reach.serve.choose_case" if ids else "reach.serve.no_case", lang))
            return
        case_id = ids[0]
    token, _ = new_link(db, case_id, app.state.config.clock())
    link = f"{base_url}/pair/{token}"
    click.echo(t("reach.serve.qr_intro", lang, minutes=settings()["link_minutes"]))
    click.echo(qr_text(link))
    click.echo(t("reach.serve.qr_link", lang, link=link))
