"""``xiabo payouts``: settlement statements against the contract's split and guarantee.

Thin: parse options, call ``xiabo.dispute.payouts``, print the month table (or JSON), write the
xlsx, fill a drafted settlement demand's amount blanks.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from pathlib import Path

import click

from ..cli import cli_lang
from ..errors import UserError
from ..i18n import normalise_lang, t
from ._common import parse_date

_L = cli_lang()


def _h(key: str) -> str:
    return t(f"payouts.help.{key}", _L)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(width - _width(text), 0)
    return gap + text if right else text + gap


def table_lines(rows: list[dict[str, str]], lang: str) -> list[str]:
    """The month table, columns aligned for a terminal (Chinese characters count double)."""
    from ..dispute.payouts.words import TABLE_COLUMNS

    head = {k: t(f"payouts.table.{k}", lang) for k in TABLE_COLUMNS}
    widths = {k: max([_width(head[k])] + [_width(r[k]) for r in rows]) for k in TABLE_COLUMNS}
    left = {"month", "status"}
    out = ["  ".join(_pad(head[k], widths[k], k not in left) for k in TABLE_COLUMNS).rstrip()]
    out += ["  ".join(_pad(r[k], widths[k], k not in left) for k in TABLE_COLUMNS).rstrip()
            for r in rows]
    return out


def _print(result, columns: dict[str, dict], counts: dict[str, int], terms, book,
           lang: str) -> None:
    from ..dispute.payouts.words import (
        amount,
        month_row,
        month_text,
        note_lines,
        percent,
        terms_lines,
    )

    sep = "，" if lang == "zh" else ", "
    echo = click.echo
    echo(t("payouts.heading", lang, today=result.today.isoformat()))
    for name, cols in columns.items():
        pairs = sep.join(t("payouts.column_pair", lang, field=t(f"payouts.table.{k}", lang)
                           if k not in ("due", "paid", "guarantee") else
                           t(f"payouts.xlsx.{ {'due': 'agency_due'}.get(k, k)}", lang),
                           header=v) for k, v in cols.items())
        echo(t("payouts.file_line", lang, file=name, n=counts.get(name, 0), columns=pairs))
    echo("")
    for line in terms_lines(terms, book, result.today, lang):
        echo(line)
    echo("")
    for line in table_lines([month_row(m, lang) for m in result.months], lang):
        echo(line)
    echo("")
    echo(t("payouts.totals.heading", lang))
    echo(t("payouts.totals.expected", lang, amount=amount(result.expected_total, lang)))
    echo(t("payouts.totals.received", lang, amount=amount(result.received_total, lang),
           withheld=amount(result.withheld_total, lang)))
    echo(t("payouts.totals.shortfall", lang, amount=amount(result.shortfall_total, lang),
           months=len(result.short_months)))
    if result.overpaid_total:
        echo(t("payouts.totals.overpaid", lang, amount=amount(result.overpaid_total, lang)))
    if result.interest_total is None:
        echo(t("payouts.totals.interest_none", lang))
    else:
        echo(t("payouts.totals.interest", lang, amount=amount(result.interest_total, lang),
               today=result.today.isoformat()))
    if result.unknown_months:
        echo(t("payouts.totals.unknown", lang,
               months=sep.join(month_text(m) for m in result.unknown_months)))
    if result.short_months:
        echo("")
        echo(t("payouts.short_list", lang))
        for m in result.short_months:
            key = "short_line_missing" if m.status == "missing" else "short_line"
            echo(t(f"payouts.{key}", lang, month=month_text(m.month),
                   expected=amount(m.expected, lang), share=amount(m.share, lang),
                   top_up=amount(m.top_up, lang), received=amount(m.received, lang),
                   shortfall=amount(m.shortfall, lang),
                   pay_by=m.pay_by.isoformat() if m.pay_by else "-", days=m.late_days,
                   rows=sep.join(m.rows) or "-"))
    differs = [m for m in result.months if m.statement_split is not None
               and m.split_from == "contract" and m.statement_split != m.split]
    if differs:
        echo("")
        echo(t("payouts.split_differs_heading", lang))
        for m in differs:
            echo(t("payouts.split_differs", lang, month=month_text(m.month),
                   stated=percent(m.statement_split, lang), contract=percent(m.split, lang)))
    echo("")
    echo(t("payouts.notes_heading", lang))
    for line in note_lines(result, book, lang):
        echo(line)
    if result.shortfall_total:
        echo("")
        echo(t("payouts.hint_letter", lang))


def _fill_letter(result, letter_id: str, profile: str, today: date, lang: str) -> None:
    from ..dispute.payouts.words import letter_values
    from ..letters.fill import fill_blanks
    from ..letters.store import FileStore, default_dir

    if not Path(profile).is_file():
        raise UserError("letters.err.file_missing", {"file": profile}, file=profile,
                        field="--profile", fix_key="letters.fix.file_missing")
    store = FileStore(default_dir(profile))
    letter = store.load(letter_id)
    if letter.kind != "settlement":
        raise UserError("payouts.letter.not_settlement", {"id": letter_id}, field="--letter",
                        fix_key="payouts.letter.not_settlement_fix")
    values = {k: v for k, v in letter_values(result, letter.lang).items()
              if any(k in b for b in letter.blanks)}
    letter = fill_blanks(store, letter_id, values, today=today)
    click.echo(t("payouts.letter.filled", lang, id=letter.id, n=len(letter.blanks)))


@click.command("payouts", help=_h("command"), epilog=_h("example").replace("\\b", "\b"))
@click.argument("statements", nargs=-1, required=True, type=click.Path(path_type=Path),
                metavar="结算单...")
@click.option("--terms", "terms_path", required=True, type=click.Path(path_type=Path),
              help=_h("terms"))
@click.option("--map", "mapping", multiple=True, metavar="列名=字段", help=_h("map"))
@click.option("--xlsx", "xlsx", type=click.Path(path_type=Path), default=None, help=_h("xlsx"))
@click.option("--json", "as_json", is_flag=True, help=_h("json"))
@click.option("--today", "today", default=None, metavar="YYYY-MM-DD", help=_h("today"))
@click.option("--letter", "letter_id", default=None, metavar="ID", help=_h("letter"))
@click.option("--profile", "profile", default=None, metavar="PROFILE", help=_h("profile"))
@click.option("--log", "log", is_flag=True, help=_h("log"))
@click.option("--case", "case", default="default", metavar="NAME", help=_h("case"))
@click.option("--evidence", "evidence", default=None, type=click.Path(path_type=Path),
              metavar="DIR", help=_h("evidence"))
@click.option("--lang", type=click.Choice(["zh", "en"]), envvar="XIABO_LANG", default="zh",
              show_default=True, help=_h("lang"), callback=lambda c, p, v: normalise_lang(v))
def cli(statements: tuple[Path, ...], terms_path: Path, mapping: tuple[str, ...],
        xlsx: Path | None, as_json: bool, today: str | None, letter_id: str | None,
        profile: str | None, log: bool, case: str, evidence: Path | None, lang: str) -> None:
    from ..dispute.payouts import load_terms, parse_mapping, read_statement, reconcile
    from ..rules import load_rulebook

    day = parse_date(today, "--today") or date.today()
    if letter_id and not profile:
        raise UserError("payouts.err.letter_needs_profile", field="--letter",
                        fix_key="payouts.fix.letter_needs_profile")
    columns_map = parse_mapping(mapping) or None
    terms = load_terms(terms_path)
    lines, columns, counts = [], {}, {}
    for path in statements:
        found, cols = read_statement(path, columns_map)
        lines += found
        columns[str(path)], counts[str(path)] = cols, len(found)
    if not lines:
        raise UserError("payouts.err.no_statements", file=str(statements[0]),
                        fix_key="payouts.fix.no_statements")
    book = load_rulebook()
    result = reconcile(lines, terms, book, day)
    if xlsx is not None:
        from ..dispute.payouts.xlsx import write_xlsx

        write_xlsx(result, xlsx, lang, book)
    if as_json:
        data = result.to_dict()
        data["columns"] = columns
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print(result, columns, counts, terms, book, lang)
        if xlsx is not None:
            click.echo(t("payouts.xlsx_written", lang, path=str(xlsx)))
    from ..dispute.payouts.kept import keep_result
    from ..paths import case_dir

    # kept in the case's folder: `xiabo dispute show/bundle --case` read the shortfall from it
    keep_result(case_dir(case) / "payouts", {**result.to_dict(),
                                             "files": [p.name for p in statements]})
    if letter_id:
        _fill_letter(result, letter_id, profile or "", day, lang)
    if log or evidence is not None:
        from ..dispute.payouts.proof import log_statements
        from ..evidence import default_dir

        folder = evidence or default_dir(case)
        n = log_statements(folder, list(statements), t("payouts.web.title", lang) + "：" +
                           "、".join(p.name for p in statements))
        click.echo(t("payouts.logged_cli", lang, n=n, path=str(folder)), err=as_json)
