"""``xiabo tax``: labour, cumulative, annual and studio income-tax figures.

Thin layer: parse and check the options (bad input → UserError, exit 2), call
``xiabo.money.tax``, print a plain report or ``--json`` (money as decimal strings).
"""

from __future__ import annotations

import json
import os
from datetime import date

import click

from ..errors import UserError
from ..i18n import normalise_lang, t
from ._common import argv_lang as _argv_lang
from ._common import catalogue_option

__all__ = ["cli"]


class _Cmd(click.Command):
    """A command whose help text comes from the message catalogue (tax.help.<name>)."""

    def format_help_text(self, ctx, formatter):
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(t(f"tax.help.{self.name}", _argv_lang()))


class _Group(click.Group):
    def format_help_text(self, ctx, formatter):
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(t("tax.help.group", _argv_lang()))

    def format_commands(self, ctx, formatter):
        rows = [(n, t(f"tax.help.{n}", _argv_lang())) for n in self.list_commands(ctx)]
        with formatter.section(t("cli.commands_heading", _argv_lang())):
            formatter.write_dl(rows)


def _opt(*decls, key: str, **kw):
    return catalogue_option(*decls, key=f"tax.opt.{key}", **kw)


def _common(f):
    f = _opt("--lang", key="lang", default=lambda: os.environ.get("XIABO_LANG", "zh"),
             show_default="zh")(f)
    f = _opt("--json", "as_json", key="json", is_flag=True)(f)
    return f


# ---------------------------------------------------------------- parsing options
def _amount(text: str | None, field: str, lang: str, default=None):
    from ..money.amounts import parse_amount

    if text is None:
        return default
    try:
        return parse_amount(text)
    except ValueError as exc:
        raise UserError("tax.err.bad_amount", {"field": field, "value": text,
                                               "reason": t(str(exc), lang)},
                        field=field, fix_key="tax.fix.amount") from None


def _first_year(book) -> date:
    from ..money.tax import R

    return book.rule(R.ANNUAL_TABLE).values[0][0]


def _date(text: str | None, field: str, book, default: date | None = None) -> date:
    from ..money.amounts import parse_date

    if text is None:
        return default or date.today()
    try:
        value = parse_date(text)
    except ValueError:
        raise UserError("tax.err.bad_date", {"field": field, "value": text}, field=field,
                        fix_key="tax.fix.date") from None
    first = _first_year(book)
    if value < first:
        raise UserError("tax.err.too_early", {"field": field, "value": value.isoformat(),
                                              "first": first.isoformat()},
                        field=field, fix_key="tax.fix.date")
    return value


def _year(text: str | None, field: str, book, default: int | None = None) -> int:
    first = _first_year(book).year
    if text is None and default is not None:
        return default
    raw = (text or "").strip()
    if not raw.isdigit() or not first <= int(raw) <= 9999:
        raise UserError("tax.err.bad_year", {"field": field, "value": text, "first": first},
                        field=field, fix_key="tax.fix.year")
    return int(raw)


def _book():
    from ..rules import load_rulebook

    return load_rulebook()


def _emit(data: dict) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _rules_suffix(ids) -> str:
    return f"  [{', '.join(ids)}]" if ids else ""


def _pct(rate) -> str:
    from ..money.brackets import dec, percent

    return percent(dec(rate))


def _line(label: str, value: str, ids=(), lang: str = "zh") -> str:
    return f"  {label}：{value}{_rules_suffix(ids)}" if lang == "zh" else \
        f"  {label}: {value}{_rules_suffix(ids)}"


# ---------------------------------------------------------------- commands
@click.group(name="tax", cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """个人所得税计算。"""


@cli.command("labour", cls=_Cmd)
@_opt("--amount", key="amount", required=True)
@_opt("--date", "on", key="date")
@_opt("--today", key="today")
@_common
def labour_cmd(amount, on, today, as_json, lang):
    from ..money.ledger import Payout
    from ..money.tax import CUMULATIVE_RULES, R, cumulative, labour_per_payment, to_json

    lang = normalise_lang(lang)
    book = _book()
    gross = _amount(amount, "--amount", lang)
    today_d = _date(today, "--today", book)
    day = _date(on, "--date", book, today_d)
    res = labour_per_payment(book, gross, day)
    first = None
    if res.superseded:
        first = cumulative(book, [Payout(day, "-", gross)], day.year).months[0]
    since = next((d for d, v in book.rule(R.METHOD).values if v == res.method), day)
    data = to_json(res)
    data["cumulative_first_month"] = None if first is None else {
        **to_json(first), "net": str(gross - first.withholding),
        "rules": list(CUMULATIVE_RULES)}
    data["notice"] = t("tax.labour.superseded", lang, since=since.isoformat()) \
        if res.superseded else None
    if as_json:
        _emit(data)
        return
    L = lambda k: t(f"tax.label.{k}", lang)  # noqa: E731
    heading = "tax.labour.heading_superseded" if res.superseded else "tax.labour.heading"
    out = [t(heading, lang, date=day.isoformat()),
           _line(L("gross"), str(res.gross), (), lang),
           _line(L("cost"), str(res.cost), res.rules["cost"], lang),
           _line(L("taxable"), str(res.taxable), (), lang),
           _line(L("rate"), f"{_pct(res.rate)}  {L('quick_deduction')} {res.quick_deduction}",
                 res.rules["rate"], lang),
           _line(L("tax"), str(res.tax), (), lang),
           _line(L("net"), str(res.net), (), lang)]
    if first is not None:
        out += ["", data["notice"], t("tax.labour.first_month_heading", lang),
                "  " + t("tax.labour.first_month_line", lang, tax=first.withholding,
                         taxable=first.cumulative_taxable, net=gross - first.withholding,
                         cost_rate=_pct(book.value(R.COST_RATE, day)),
                         monthly=book.value(R.MONTHLY_DEDUCTION, day))
                + _rules_suffix(CUMULATIVE_RULES)]
    click.echo("\n".join(out))


def _ledger(paths):
    from ..money.ledger import read_ledger

    return read_ledger(*paths)


@cli.command("cumulative", cls=_Cmd)
@_opt("--ledger", "ledgers", key="ledger", required=True, multiple=True)
@_opt("--year", key="year", required=True)
@_opt("--platform", key="platform")
@_common
def cumulative_cmd(ledgers, year, platform, as_json, lang):
    from ..money.amounts import parse_platform
    from ..money.continuity import continuity, explain
    from ..money.tax import READINGS, to_json

    lang = normalise_lang(lang)
    book = _book()
    y = _year(year, "--year", book)
    payouts = [p for p in _ledger(ledgers) if p.date.year == y]
    wanted = parse_platform(platform) if platform else None
    if wanted:
        payouts = [p for p in payouts if p.platform == wanted]
    if not payouts:
        raise UserError("tax.err.no_payouts", {"year": y, "platform": f" {wanted}" if wanted else ""},
                        file=", ".join(ledgers), field="--year", fix_key="tax.fix.no_payouts")
    both = continuity(book, payouts, y)
    results = [both.readings[name][READINGS[0]] for name in both.platforms]
    if as_json:
        _emit({"year": y, "platforms": [to_json(r) for r in results],
               "readings": {name: {k: to_json(v) for k, v in both.readings[name].items()}
                            for name in both.platforms},
               "totals": to_json(both.totals), "gaps": to_json(both.gaps),
               "words": both.words, "switched": both.switched,
               "platform_withholds_since": to_json(both.since),
               "guide": {"rate": str(both.guide_rate), "gross": str(both.gross),
                         "tax": str(both.guide_tax)},
               "notes": explain(both, lang)})
        return
    none = t("tax.cumulative.none", lang)
    out: list[str] = []
    for r in results:
        name = r.platform
        out.append(t("tax.cumulative.heading", lang, platform=name, year=y))
        rows = [t("tax.cumulative.columns", lang).split("|")]
        for m in r.months:
            rows.append([f"{m.month:02d}", t(f"tax.method.{m.method}", lang), str(m.gross),
                         str(m.cumulative_taxable) if m.cumulative_taxable is not None else none,
                         _pct(m.rate) if m.rate is not None else none,
                         str(m.cumulative_tax) if m.cumulative_tax is not None else none,
                         str(m.withholding), str(m.actual_withheld)])
        out += _table(rows)
        out.append(t("tax.cumulative.total", lang, total=r.total_withholding,
                     actual=r.actual_withheld, difference=r.difference))
        if r.over_withheld > 0:
            out.append(t("tax.cumulative.over_withheld", lang, amount=r.over_withheld))
        out.append(t("tax.rules", lang) + ": " + ", ".join(r.rules["months"]))
        out.append("")
    out += explain(both, lang)
    click.echo("\n".join(out).rstrip())


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(r[i]) for r in rows if i < len(r)) for i in range(len(rows[0]))]
    return ["  " + "  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths)).rstrip()
            for r in rows]


@cli.command("annual", cls=_Cmd)
@_opt("--ledger", "ledgers", key="ledger", multiple=True)
@_opt("--year", key="year", required=True)
@_opt("--wages", key="wages")
@_opt("--wages-withheld", key="wages_withheld")
@_opt("--special-deductions", key="special")
@_opt("--additional-deductions", key="additional")
@_common
def annual_cmd(ledgers, year, wages, wages_withheld, special_deductions,
               additional_deductions, as_json, lang):
    from decimal import Decimal

    from ..money.tax import R, annual, to_json

    lang = normalise_lang(lang)
    book = _book()
    y = _year(year, "--year", book)
    zero = Decimal("0.00")
    payouts = _ledger(ledgers) if ledgers else []
    res = annual(book, y, payouts,
                 wages=_amount(wages, "--wages", lang, zero),
                 wages_withheld=_amount(wages_withheld, "--wages-withheld", lang, zero),
                 special_deductions=_amount(special_deductions, "--special-deductions", lang, zero),
                 additional_deductions=_amount(additional_deductions, "--additional-deductions",
                                               lang, zero))
    limits = {R.EXEMPT_INCOME: ("income", book.value(R.EXEMPT_INCOME, date(y, 12, 31))),
              R.EXEMPT_TOPUP: ("topup", book.value(R.EXEMPT_TOPUP, date(y, 12, 31)))}
    reasons = "；".join(t(f"tax.annual.reason.{limits[r][0]}", lang, limit=limits[r][1])
                       for r in res.exemptions) if lang == "zh" else \
        "; ".join(t(f"tax.annual.reason.{limits[r][0]}", lang, limit=limits[r][1])
                  for r in res.exemptions)
    status = t(f"tax.annual.status.{res.filing_status}", lang, top_up=res.top_up,
               refund=res.refund, start=res.window_start.isoformat(),
               end=res.window_end.isoformat(), reasons=reasons)
    if as_json:
        data = to_json(res)
        data["lines"] = [{"key": k, "amount": str(v), "rules": list(ids)}
                         for k, v, ids in res.lines()]
        data["message"] = status
        _emit(data)
        return
    out = [t("tax.annual.heading", lang, year=y)]
    for key, value, ids in res.lines():
        shown = _pct(value) if key == "rate" else str(value)
        out.append(_line(t(f"tax.annual.lines.{key}", lang), shown, ids, lang))
    status_rules = {"required": res.rules["filing_status"] + res.rules["window"],
                    "exempt": res.exemptions, "refund_optional": res.rules["window"]}
    out += ["", status + _rules_suffix(status_rules.get(res.filing_status, ()))]
    click.echo("\n".join(out))


@cli.command("studio", cls=_Cmd)
@_opt("--profit", key="profit", required=True)
@_opt("--year", key="year")
@_opt("--today", key="today")
@_opt("--no-comprehensive-income", "no_comprehensive", key="no_comprehensive", is_flag=True)
@_common
def studio_cmd(profit, year, today, no_comprehensive, as_json, lang):
    from ..money.tax import business, to_json

    lang = normalise_lang(lang)
    book = _book()
    amount = _amount(profit, "--profit", lang)
    today_d = _date(today, "--today", book)
    y = _year(year, "--year", book, default=today_d.year)
    res = business(book, amount, y, no_comprehensive_income=no_comprehensive)
    if as_json:
        _emit(to_json(res))
        return
    L = lambda k: t(f"tax.label.{k}", lang)  # noqa: E731
    out = [t("tax.studio.heading", lang, year=y),
           _line(t("tax.studio.profit", lang), str(res.profit), (), lang)]
    if res.basic_deduction:
        out.append(_line(t("tax.studio.basic_deduction", lang), str(res.basic_deduction),
                         res.rules["basic_deduction"], lang))
    out += [_line(L("taxable"), str(res.taxable), (), lang),
            _line(L("rate"), f"{_pct(res.rate)}  {L('quick_deduction')} {res.quick_deduction}",
                  res.rules["rate"], lang),
            _line(L("tax"), str(res.tax), (), lang),
            _line(t("tax.studio.after_tax", lang), str(res.after_tax), (), lang)]
    click.echo("\n".join(out))
