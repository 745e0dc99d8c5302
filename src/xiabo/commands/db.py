"""``xiabo db``: the store's schema (Alembic migrations) for SQLite or PostgreSQL."""

from __future__ import annotations

import json

import click

from ..i18n import t


@click.group(name="db")
def cli():
    """数据库 / The store's database (XIABO_DATABASE_URL, default SQLite in the data folder)."""


@cli.command("upgrade")
@click.option("--lang", default=None, envvar="XIABO_LANG", metavar="zh|en")
@click.option("--json", "as_json", is_flag=True)
def upgrade(lang, as_json):
    """升级到最新的表结构 / Apply every migration."""
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


@cli.command("current")
@click.option("--lang", default=None, envvar="XIABO_LANG", metavar="zh|en")
@click.option("--json", "as_json", is_flag=True)
def current(lang, as_json):
    """显示当前版本 / Show the schema revision (exit 1 when an upgrade is needed)."""
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
