"""Options and parsing shared by the sub-commands (kept light: click + stdlib only)."""

from __future__ import annotations

from datetime import date

import click

from ..errors import UserError
from ..i18n import normalise_lang


def parse_date(value: str | None, field: str) -> date | None:
    """An ISO date from the command line, or a UserError naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError("cmd.bad_date", {"value": value, "option": field}, field=field,
                        fix_key="cmd.fix_date") from None


def lang_option(func):
    return click.option("--lang", "lang", default=None, metavar="zh|en",
                        help="zh (default) or en", callback=lambda c, p, v: normalise_lang(v))(func)


def today_option(func):
    return click.option("--today", "today", default=None, metavar="YYYY-MM-DD",
                        help="Plan as if today were this date (default: the real date).")(func)


def rules_option(func):
    return click.option("--rules", "rules", multiple=True, metavar="DIR",
                        help="Rule overlay folder (repeatable; also XIABO_RULES).")(func)
