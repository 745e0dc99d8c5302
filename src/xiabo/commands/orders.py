"""``xiabo orders check``: what a shop must still do before it may close, and from when.

Thin: parse options, call ``xiabo.orders.check``, print, optionally write the problem CSV.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from ..cli import cli_lang
from ..errors import VerificationFailed
from ..i18n import normalise_lang, t
from ._common import parse_date

_L = cli_lang()
_SHOWN = 10


def _h(key: str) -> str:
    return t(f"orders.help.{key}", _L)


@click.group(help=_h("group"))
def cli() -> None:
    """xiabo orders"""


def _print(report, lang: str) -> None:
    orders = len({o.order_id for o in report.orders})
    click.echo(t("orders.heading", lang, file=report.file, orders=orders, rows=len(report.orders)))
    pairs = [t("orders.column_pair", lang, field=t(f"orders.field.{k}", lang), header=v)
             for k, v in report.columns.items()]
    click.echo(t("orders.columns", lang, columns="，".join(pairs) if lang == "zh" else ", ".join(pairs)))
    click.echo(t("orders.today", lang, today=report.today.isoformat()))
    counts, amounts = report.counts, report.amounts
    if not any(counts.values()):
        click.echo(t("orders.none", lang))
    priced = "amount" in report.columns  # no amount column: no 「金额合计 ¥0.00」
    for problem, count in counts.items():
        if count:
            key = problem if priced or problem != "unshipped" else "unshipped_no_amount"
            click.echo(t(f"orders.count.{key}", lang, count=count,
                         amount=f"{amounts[problem]:,.2f}", days=report.return_days,
                         last=report.last_window_end.isoformat() if report.last_window_end else "-"))
    if report.unpaid:
        click.echo(t("orders.unpaid", lang, count=report.unpaid))
    if report.no_receipt_date:
        click.echo(t("orders.no_receipt_date", lang, count=report.no_receipt_date))
    problems = report.problem_orders
    if problems:
        click.echo("")
        click.echo(t("orders.problem_list", lang, shown=min(len(problems), _SHOWN), total=len(problems)))
        sep = "，" if lang == "zh" else ", "
        for order in problems[:_SHOWN]:
            click.echo(t("orders.problem_line", lang, order_id=order.order_id, status=order.status or "-",
                         row=order.row,
                         problems=sep.join(t(f"orders.problem.{p}", lang) for p in order.problems)))
    click.echo("")
    click.echo(t("orders.close.heading", lang, date=report.earliest_close.isoformat()))
    click.echo(t("orders.close.notice", lang, days=report.notice_days, date=report.notice_end.isoformat()))
    if report.last_window_end:
        click.echo(t("orders.close.window", lang, date=report.last_window_end.isoformat(),
                     days=report.return_days))
    else:
        click.echo(t("orders.close.no_window", lang))
    if report.provisional:
        click.echo(t("orders.close.provisional", lang, days=report.return_days))
    click.echo(t("orders.close.natural_days", lang))


@cli.command("check", help=_h("check"))
@click.argument("export", type=click.Path(path_type=Path))
@click.option("--today", "today", default=None, metavar="YYYY-MM-DD", help=_h("today"))
@click.option("--map", "mapping", multiple=True, metavar="COLUMN=FIELD", help=_h("map"))
@click.option("--out", "out", type=click.Path(path_type=Path), default=None, help=_h("out"))
@click.option("--json", "as_json", is_flag=True, help=_h("json"))
@click.option("--platform", "platform", default=None, metavar="PLATFORM",
              help=_h("platform"))
@click.option("--lang", type=click.Choice(["zh", "en"]), envvar="XIABO_LANG", default="zh",
              show_default=True, help=_h("lang"), callback=lambda c, p, v: normalise_lang(v))
def check_cmd(export: Path, today: str | None, mapping: tuple[str, ...], out: Path | None,
              as_json: bool, platform: str | None, lang: str) -> None:
    from ..orders import check, parse_mapping

    day = parse_date(today, "--today") or date.today()
    report = check(export, day, parse_mapping(mapping) or None, platform=platform)
    written = None
    if out is not None:
        from ..orders.output import write_problems_csv

        written = write_problems_csv(report, out, lang)
    if as_json:
        data = report.to_dict()
        data["out"] = str(out) if out is not None else None
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print(report, lang)
        if out is not None:
            click.echo(t("orders.written", lang, path=str(out), count=written))
    pending = len({o.order_id for o in report.problem_orders})
    if pending:
        raise VerificationFailed("orders.found", {"count": pending})
