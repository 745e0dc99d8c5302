"""``xiabo db``: the store's schema (Alembic migrations) for SQLite or PostgreSQL."""

from __future__ import annotations

import json

import click

from ..i18n import t
from ._common import CatalogueCommand, CatalogueGroup


@click.group(name="db", cls=CatalogueGroup, help_key="cmd.help.db")
def cli():
    pass


@cli.command("upgrade", cls=CatalogueCommand, help_key="cmd.help.db_upgrade")
@click.option("--lang", default=None, envvar="XIABO_LANG", metavar="zh|en")
@click.option("--json", "as_json", is_flag=True)
def upgrade(lang, as_json):
    from ..i18n import normalise_lang
    from ..store.db import Database, _redact

    lang = normalise_lang(lang)
    db = Database()
    before, after = db.upgrade()
    if as_json:
        click.echo(json.dumps({"url": _redact(db.url), "before": before, "after": after}))
    else:
        click.echo(t("web.db.upgraded", lang, before=before or "-", after=after,
                     url=_redact(db.url)))
    db.dispose()


@cli.command("current", cls=CatalogueCommand, help_key="cmd.help.db_current")
@click.option("--lang", default=None, envvar="XIABO_LANG", metavar="zh|en")
@click.option("--json", "as_json", is_flag=True)
def current(lang, as_json):
    from ..i18n import normalise_lang
    from ..store.db import Database, _redact

    lang = normalise_lang(lang)
    db = Database()
    cur, head = db.current_revision(), db.head_revision()
    db.dispose()
    if as_json:
        click.echo(json.dumps({"url": _redact(db.url), "current": cur, "head": head,
                               "up_to_date": cur == head}))
    else:
        click.echo(t("web.db.current", lang, url=_redact(db.url), current=cur or "-", head=head))
        click.echo(t("web.db.up_to_date" if cur == head else "web.db.needs_upgrade", lang))
    if cur != head:
        raise SystemExit(1)
