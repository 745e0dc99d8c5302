"""``xiabo opinion``: ingest comment exports, report sentiment and spikes, watch a folder.

Thin: parse options, call ``xiabo.opinion``, print. jieba, the model, fpdf load inside the
commands that need them; ``xiabo opinion --help`` imports none of them.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from ..cli import cli_lang
from ..errors import UserError
from ..i18n import normalise_lang, t
from ._common import parse_date

_L = cli_lang()


def _h(key: str) -> str:
    return t(f"opinion.help.{key}", _L)


def _lang_option(f):
    return click.option("--lang", type=click.Choice(["zh", "en"]), envvar="XIABO_LANG",
                        default="zh", show_default=True, help=_h("lang"),
                        callback=lambda c, p, v: normalise_lang(v))(f)


def _dir_option(f):
    return click.option("--dir", "directory", required=True, type=click.Path(path_type=Path),
                        help=_h("dir"))(f)


@click.group(help=_h("group"), context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """xiabo opinion"""


def _print_ingest(result, lang: str) -> None:
    click.echo(t("opinion.ingest.file_line", lang, file=result.file, rows=f"{result.rows:,}",
                 added=f"{result.added:,}", negative=f"{result.by_label[-1]:,}",
                 neutral=f"{result.by_label[0]:,}", positive=f"{result.by_label[1]:,}"))
    if result.duplicates:
        click.echo(t("opinion.ingest.duplicates", lang, count=f"{result.duplicates:,}"))
    if result.empty:
        click.echo(t("opinion.ingest.empty", lang, count=f"{result.empty:,}"))
    if result.bad_time:
        row, value = result.bad_time_example or (0, "")
        click.echo(t("opinion.ingest.bad_time", lang, count=f"{result.bad_time:,}", row=row,
                     value=value))


def _print_total(store, lang: str) -> None:
    span = store.span()
    if span:
        click.echo(t("opinion.ingest.total", lang, total=f"{store.count():,}",
                     first=span[0].isoformat(), last=span[1].isoformat()))


@cli.command("ingest", help=_h("ingest"))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_dir_option
@click.option("--map", "mapping", multiple=True, metavar="ROLE=COLUMN", help=_h("map"))
@click.option("--json", "as_json", is_flag=True, help=_h("json"))
@_lang_option
def ingest(files: tuple[Path, ...], directory: Path, mapping: tuple[str, ...], as_json: bool,
           lang: str) -> None:
    from ..opinion.ingest import ingest_file, parse_map
    from ..opinion.sentiment import Scorer
    from ..opinion.store import open_store

    columns = parse_map(mapping)
    scorer = Scorer()
    results = []
    with open_store(directory) as store:
        for path in files:
            results.append(ingest_file(store, path, scorer, columns=columns))
            if not as_json:
                _print_ingest(results[-1], lang)
        if as_json:
            click.echo(json.dumps({"files": [r.to_dict() for r in results],
                                   "total": store.count()}, ensure_ascii=False, indent=2))
        else:
            _print_total(store, lang)


def _write_out(report, out: Path, lang: str) -> None:
    suffix = out.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise UserError("opinion.err.bad_out", {"path": str(out)}, field="--out",
                        fix_key="opinion.fix.bad_out")
    from ..fsutil import atomic_write

    if suffix == ".pdf":
        from ..opinion.pdf import render_pdf

        data = render_pdf(report, lang)
    else:
        from ..opinion.html import render_html

        data = render_html(report, lang).encode("utf-8")
    atomic_write(out, data)


@cli.command("report", help=_h("report"))
@_dir_option
@click.option("--since", default=None, metavar="YYYY-MM-DD", help=_h("since"))
@click.option("--until", default=None, metavar="YYYY-MM-DD", help=_h("until"))
@click.option("--last-live", "last_live", default=None, metavar="YYYY-MM-DD",
              help=_h("last_live"))
@click.option("--json", "as_json", is_flag=True, help=_h("json"))
@click.option("--out", default=None, type=click.Path(path_type=Path), help=_h("out"))
@click.option("--today", default=None, metavar="YYYY-MM-DD", help=_h("today"))
@_lang_option
def report(directory: Path, since: str | None, until: str | None, last_live: str | None,
           as_json: bool, out: Path | None, today: str | None, lang: str) -> None:
    from ..opinion.report import report_for_dir
    from ..opinion.summary import render_text

    rep = report_for_dir(directory, since=parse_date(since, "--since"),
                         until=parse_date(until, "--until"), today=parse_date(today, "--today"),
                         last_live=parse_date(last_live, "--last-live"))
    if out is not None:
        _write_out(rep, out, lang)
    if as_json:
        click.echo(json.dumps(rep.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(render_text(rep, lang))
    if out is not None:
        click.echo("")
        click.echo(t("opinion.report.written", lang, path=str(out)))


@cli.command("watch", help=_h("watch"))
@click.argument("folder", type=click.Path(path_type=Path))
@_dir_option
@click.option("--once", is_flag=True, help=_h("once"))
@click.option("--interval", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help=_h("interval"))
@click.option("--today", default=None, metavar="YYYY-MM-DD", help=_h("today"))
@_lang_option
def watch(folder: Path, directory: Path, once: bool, interval: float, today: str | None,
          lang: str) -> None:
    from ..opinion.watch import Watcher

    if not folder.is_dir():
        raise UserError("opinion.err.watch_dir", {"path": str(folder)}, file=str(folder),
                        fix_key="opinion.fix.watch_dir")
    watcher = Watcher(folder, directory, today=parse_date(today, "--today"))
    if not once:
        click.echo(t("opinion.watch.start", lang, dir=str(folder), interval=f"{interval:g}"))
    try:
        while True:
            for line in watcher.poll(lang):
                click.echo(line)
            if once:
                return
            time.sleep(interval)
    finally:
        watcher.close()
