"""``xiabo users``: accounts for agency mode (admin, operator, streamer)."""

from __future__ import annotations

import json
import sys

import click

from ..errors import UserError
from ..i18n import t
from ._common import CatalogueCommand, CatalogueGroup, catalogue_option

_LANG = catalogue_option("--lang", default=None, envvar="XIABO_LANG", metavar="zh|en",
                         key="cmd.opt.lang")


def _password(lang: str, from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise UserError("web.users.empty_stdin")
        return line
    first = click.prompt(t("web.users.prompt_password", lang), hide_input=True)
    second = click.prompt(t("web.users.prompt_repeat", lang), hide_input=True)
    if first != second:
        raise UserError("web.users.mismatch")
    return first


def _db():
    from ..store.db import Database

    db = Database()
    db.require_current()
    return db


@click.group(name="users", cls=CatalogueGroup, help_key="cmd.help.users")
def cli():
    pass


@cli.command("add", cls=CatalogueCommand, help_key="cmd.help.users_add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["admin", "operator", "streamer", "adviser"]))
@catalogue_option("--case", "cases", multiple=True, type=int, key="cmd.opt.user_case")
@catalogue_option("--password-stdin", is_flag=True, key="cmd.opt.password_stdin")
@_LANG
def add(name, role, cases, password_stdin, lang):
    from ..i18n import normalise_lang
    from ..store.users import add_user

    lang = normalise_lang(lang)
    db = _db()
    password = _password(lang, password_stdin)
    add_user(db, name, role, password, case_ids=list(cases))
    click.echo(t("web.users.added", lang, name=name, role=t(f"web.roles.{role}", lang)))


@cli.command("list", cls=CatalogueCommand, help_key="cmd.help.users_list")
@click.option("--json", "as_json", is_flag=True)
@_LANG
def list_(as_json, lang):
    from ..i18n import normalise_lang
    from ..store.users import list_users, user_cases

    lang = normalise_lang(lang)
    db = _db()
    users = list_users(db)
    cases = user_cases(db)  # an operator's assigned cases, a streamer's own one
    if as_json:
        click.echo(json.dumps([{"name": u.name, "role": u.role, "case": u.case_id,
                                "cases": cases.get(u.id, [])}
                               for u in users], ensure_ascii=False))
        return
    if not users:
        click.echo(t("web.users.none", lang))
        return
    click.echo(t("web.users.list_header", lang))
    for u in users:
        names = cases.get(u.id, [])
        shown = t("web.users.cases", lang, n=len(names),
                  names=("、" if lang == "zh" else ", ").join(names[:5])) if names else "—"
        click.echo(f"{u.name}\t{t(f'web.roles.{u.role}', lang)}\t{shown}")


@cli.command("remove", cls=CatalogueCommand, help_key="cmd.help.users_remove")
@click.argument("name")
@_LANG
def remove(name, lang):
    from ..i18n import normalise_lang
    from ..store.users import remove_user

    lang = normalise_lang(lang)
    remove_user(_db(), name)
    click.echo(t("web.users.removed", lang, name=name))


@cli.command("passwd", cls=CatalogueCommand, help_key="cmd.help.users_passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True)
@_LANG
def passwd(name, password_stdin, lang):
    from ..i18n import normalise_lang
    from ..store.users import set_password

    lang = normalise_lang(lang)
    db = _db()
    set_password(db, name, _password(lang, password_stdin))
    click.echo(t("web.users.password_set", lang, name=name))
