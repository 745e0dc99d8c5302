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
        day = date.fromisoformat(value)
        if not 1900 <= day.year <= 2999:  # the calendar xiabo plans in (no year 9999)
            raise ValueError(value)
        return day
    except ValueError:
        raise UserError("cmd.bad_date", {"value": value, "option": field}, field=field,
                        fix_key="cmd.fix_date") from None


def lang_option(func):
    return catalogue_option("--lang", "lang", default=None, metavar="zh|en", key="cmd.opt.lang",
                            callback=lambda c, p, v: normalise_lang(v) if v else argv_lang())(func)


def today_option(func):
    return catalogue_option("--today", "today", default=None, metavar="YYYY-MM-DD",
                            key="cmd.opt.today")(func)


def rules_option(func):
    return catalogue_option("--rules", "rules", multiple=True, metavar="DIR",
                            key="cmd.opt.rules")(func)


def argv_lang() -> str:
    """The language asked for on the command line (for help texts, before parsing)."""
    from ..cli import cli_lang

    return cli_lang()


class CatalogueOption(click.Option):
    """An option whose help text is a message-catalogue entry, in the user's language."""

    def __init__(self, *args, help_key: str, **kw):
        super().__init__(*args, **kw)
        self.help_key = help_key

    def get_help_record(self, ctx):
        from ..i18n import t

        self.help = t(self.help_key, argv_lang())
        return super().get_help_record(ctx)


def catalogue_option(*decls, key: str, **kw):
    """``click.option`` whose help is the catalogue entry ``key``."""
    return click.option(*decls, cls=CatalogueOption, help_key=key, **kw)


class CatalogueCommand(click.Command):
    """A command whose help text is the catalogue entry ``help_key``."""

    def __init__(self, *args, help_key: str, help_params=None, **kw):
        super().__init__(*args, **kw)
        self.help_key = help_key
        self.help_params = help_params  # lang → placeholders (lists read from the packs)

    def _help(self) -> str:
        from ..i18n import t

        lang = argv_lang()
        return t(self.help_key, lang, **(self.help_params(lang) if self.help_params else {}))

    def get_short_help_str(self, limit: int = 45) -> str:
        return self._help().split("\n")[0]

    def format_help_text(self, ctx, formatter):
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(self._help())


class CatalogueGroup(CatalogueCommand, click.Group):
    """A group whose help text is the catalogue entry ``help_key``."""
