"""``xiabo privacy``: scan exports for fans' personal data and write cleaned copies.

Thin: parse options, call ``xiabo.privacy``, print. The detector and table readers load inside
the commands. Output never contains a full identifier, only masks.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..cli import cli_lang
from ..errors import UserError, VerificationFailed
from ..i18n import normalise_lang, t

_L = cli_lang()
_TYPES = ("id_card", "mobile", "bank_card", "email", "wechat", "qq", "address")
_TEXT_LIMIT = 20


def _h(key: str) -> str:
    return t(f"privacy.help.{key}", _L)


def _lang_option(f):
    return click.option("--lang", type=click.Choice(["zh", "en"]), envvar="XIABO_LANG",
                        default="zh", show_default=True, help=_h("lang"),
                        callback=lambda c, p, v: normalise_lang(v))(f)


def _types_option(f):
    return click.option("--types", "types", multiple=True, metavar="TYPE[,TYPE…]",
                        help=_h("types"))(f)


def _parse_types(values: tuple[str, ...]) -> list[str] | None:
    """``--types mobile,email --types qq`` -> ['mobile', 'email', 'qq']; unknown names exit 2."""
    names = [n.strip() for v in values for n in v.split(",") if n.strip()]
    if not names:
        return None
    unknown = [n for n in names if n not in _TYPES]
    if unknown:
        raise UserError("privacy.bad_types", {"types": ", ".join(unknown), "known": ", ".join(_TYPES)},
                        field="--types", fix_key="privacy.fix_bad_types")
    return names


def _type_name(kind: str, lang: str) -> str:
    return t(f"privacy.types.{kind}", lang)


@click.group(help=_h("group"))
def cli() -> None:
    """xiabo privacy"""


def _where(loc, lang: str, text_lines: bool) -> str:
    from ..privacy.scan import column_letter

    parts = []
    if loc.sheet:
        parts.append(t("privacy.scan.sheet", lang, sheet=loc.sheet))
    parts.append(t("privacy.scan.line" if text_lines else "privacy.scan.row", lang, row=loc.row))
    if loc.column is not None:
        header = t("privacy.scan.header", lang, header=loc.header) if loc.header else ""
        parts.append(t("privacy.scan.column", lang, column=column_letter(loc.column - 1),
                       header=header))
    return " ".join(parts)


def _print_report(report, lang: str, limit: int) -> None:
    rows = f"{report.rows:,}"
    if report.encoding:
        click.echo(t("privacy.scan.heading", lang, file=report.file, format=report.format.upper(),
                     encoding=report.encoding, rows=rows))
    else:
        click.echo(t("privacy.scan.heading_no_encoding", lang, file=report.file,
                     format=report.format.upper(), rows=rows))
    if not report.total:
        click.echo(t("privacy.scan.none", lang))
        return
    for kind in _TYPES:
        if report.counts.get(kind):
            click.echo(t("privacy.scan.count_line", lang, type=_type_name(kind, lang),
                         count=f"{report.counts[kind]:,}"))
    shown = report.findings[:limit]
    if shown:
        click.echo(t("privacy.scan.locations", lang, shown=len(shown), total=f"{report.total:,}"))
        for loc in shown:
            click.echo(t("privacy.scan.location", lang, where=_where(loc, lang, report.format == "txt"),
                         type=_type_name(loc.type, lang), masked=loc.masked))


@cli.command("scan", help=_h("scan"))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_types_option
@click.option("--limit", type=click.IntRange(min=0), default=None, help=_h("limit"))
@click.option("--json", "as_json", is_flag=True, help=_h("json"))
@_lang_option
def scan(files: tuple[Path, ...], types: tuple[str, ...], limit: int | None, as_json: bool,
         lang: str) -> None:
    from ..privacy.scan import scan_file

    wanted = _parse_types(types)
    keep = limit if (limit is not None or as_json) else _TEXT_LIMIT
    reports, errors = [], []
    for path in files:
        try:
            reports.append(scan_file(path, wanted, keep=keep))
        except UserError as err:
            errors.append((path, err))
    total = sum(r.total for r in reports)
    if as_json:
        click.echo(json.dumps({
            "files": [r.to_dict() for r in reports],
            "total": total,
            "counts": {k: sum(r.counts[k] for r in reports) for k in _TYPES},
            "address_best_effort": True,
            "errors": [{"file": str(p), "message": e.render(lang)} for p, e in errors],
        }, ensure_ascii=False, indent=2))
    else:
        for report in reports:
            _print_report(report, lang, keep if keep is not None else _TEXT_LIMIT)
            click.echo("")
        if reports:
            click.echo(t("privacy.scan.total", lang, total=f"{total:,}", files=len(reports)))
            if wanted is None or "address" in wanted:
                click.echo(t("privacy.scan.best_effort", lang))
    if errors:
        for _path, err in errors[1:]:
            click.echo(err.render(lang), err=True)
        raise errors[0][1]
    if total:
        raise VerificationFailed("privacy.scan.found", {"total": f"{total:,}"})


@cli.command("purge", help=_h("purge"))
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help=_h("out"))
@click.option("--mode", "mode", default="mask", show_default=True,
              metavar="mask|drop-column|drop-row", help=_h("mode"))
@_types_option
@click.option("--force", is_flag=True, help=_h("force"))
@click.option("--json", "as_json", is_flag=True, help=_h("json"))
@_lang_option
def purge(file: Path, out: Path, mode: str, types: tuple[str, ...], force: bool, as_json: bool,
          lang: str) -> None:
    from ..privacy.purge import purge_file

    summary = purge_file(file, out, mode=mode, types=_parse_types(types), force=force)
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(t("privacy.purge.done", lang, out=summary.out, source=summary.source))
    click.echo(t("privacy.purge.mode_line", lang, mode=t(f"privacy.modes.{mode}", lang)))
    click.echo(t("privacy.purge.acted", lang))
    if summary.total:
        for kind in _TYPES:
            if summary.counts.get(kind):
                click.echo(t("privacy.purge.count_line", lang, type=_type_name(kind, lang),
                             count=f"{summary.counts[kind]:,}"))
    else:
        click.echo(t("privacy.purge.nothing", lang))
    click.echo(t("privacy.purge.rows", lang, rows_in=f"{summary.rows_in:,}",
                 rows_out=f"{summary.rows_out:,}", rows_dropped=f"{summary.rows_dropped:,}"))
    click.echo(t("privacy.purge.cells", lang, cells=f"{summary.cells_changed:,}"))
    if summary.columns_dropped:
        click.echo(t("privacy.purge.columns", lang, columns=", ".join(summary.columns_dropped)))
