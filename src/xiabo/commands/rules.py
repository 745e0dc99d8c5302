"""``xiabo rules``: list, show, check and compare the rule packs."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from ..errors import UserError
from ..i18n import t
from ._common import (
    CatalogueCommand,
    CatalogueGroup,
    catalogue_option,
    lang_option,
    parse_date,
    rules_option,
    today_option,
)


@click.group(name="rules", cls=CatalogueGroup, help_key="cmd.help.rules")
@lang_option
def cli(lang) -> None:
    pass


def _value_text(rule, on: date, lang: str) -> str:
    from ..vocabulary import rule_value

    return rule_value(rule, lang, on)


@cli.command(name="list", cls=CatalogueCommand, help_key="cmd.help.rules_list")
@catalogue_option("--platform", default=None, key="cmd.opt.platform")
@catalogue_option("--source", type=click.Choice(["guide", "law", "practice"]), default=None,
                  key="cmd.opt.source")
@catalogue_option("--json", "as_json", is_flag=True, key="cmd.opt.json")
@today_option
@rules_option
@lang_option
def list_rules(platform, source, as_json, today, rules, lang):
    from ..rules import load_rulebook

    on = parse_date(today, "--today") or date.today()
    book = load_rulebook(rules)
    if platform and platform not in book.platforms:
        raise UserError("rules.unknown_platform", {"platform": platform,
                                                   "choices": ", ".join(book.platform_ids())},
                        field="--platform", fix_key="rules.fix_unknown_platform")
    selected = [r for r in sorted(book.rules.values(), key=lambda r: r.id)
                if (not platform or r.platform in (platform, "common"))
                and (not source or r.source == source)]
    if as_json:
        click.echo(json.dumps([{"id": r.id, "title": r.title, "value": _jsonable(r.value_at(on)),
                                "unit": r.unit, "source": r.source, "quality": r.quality,
                                "reference": r.reference,
                                "verified": r.verified, "last_verified": r.last_verified.isoformat()}
                               for r in selected], ensure_ascii=False, indent=2))
        return
    yes, no = t("rules.yes", lang), t("rules.no", lang)
    for r in selected:
        value = _value_text(r, on, lang)
        if len(value) > 40:
            value = value[:39] + "…"
        click.echo(f"{r.id}\t{r.title.get(lang, r.title['zh'])}\t{value}\t{r.unit}\t"
                   f"{t(f'rules.sources.{r.source}', lang)}\t{yes if r.verified else no}")


def _jsonable(value):
    from ..roadmap.plan import _jsonable as conv

    return conv(value)


@cli.command(name="show", cls=CatalogueCommand, help_key="cmd.help.rules_show")
@click.argument("rule_id")
@catalogue_option("--json", "as_json", is_flag=True, key="cmd.opt.json")
@today_option
@rules_option
@lang_option
def show(rule_id, as_json, today, rules, lang):
    from ..rules import load_rulebook

    on = parse_date(today, "--today") or date.today()
    book = load_rulebook(rules)
    rule = book.rules.get(rule_id)
    if rule is None:
        raise UserError("rules.unknown_rule", {"id": rule_id}, field="RULE_ID",
                        fix_key="rules.fix_unknown_rule")
    contrasted_by = [r.id for r in book.rules.values() if rule.id in r.contrasts]
    data = {"id": rule.id, "title": rule.title, "value": _jsonable(rule.value_at(on)),
            "values": {d.isoformat(): _jsonable(v) for d, v in rule.values}, "unit": rule.unit,
            "source": rule.source, "quality": rule.quality, "check": rule.check,
            "reference": rule.reference,
            "last_verified": rule.last_verified.isoformat(), "verified": rule.verified,
            "note": rule.note, "contrasts": list(rule.contrasts) + contrasted_by, "file": rule.file,
            "citations": [dict(c) for c in rule.citations]}
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    label = lambda k: t(f"rules.show.{k}", lang)  # noqa: E731
    click.echo(f"{label('id')}: {rule.id}")
    click.echo(f"{label('title')}: {rule.title.get(lang, rule.title['zh'])}")
    click.echo(f"{label('value')}: {_value_text(rule, on, lang)}")
    for d, v in rule.values:
        from ..vocabulary import render_text_param

        click.echo(f"  {label('history')} {d.isoformat()}: {render_text_param(v, lang)}")
    click.echo(f"{label('unit')}: {rule.unit}")
    click.echo(f"{label('source')}: {t(f'rules.sources.{rule.source}', lang)}")
    click.echo(f"{label('quality')}: {t(f'rules.quality.{rule.quality}', lang)}")
    click.echo(f"{label('reference')}: {rule.reference}")
    click.echo(f"{label('last_verified')}: {rule.last_verified.isoformat()}")
    click.echo(f"{label('verified')}: {t('rules.yes' if rule.verified else 'rules.no', lang)}")
    if rule.note:
        click.echo(f"{label('note')}: {rule.note.get(lang, rule.note['zh'])}")
    if data["contrasts"]:
        click.echo(f"{label('contrasts')}: {', '.join(data['contrasts'])}")
    from ..rules.quotes import check_citation

    for cite in rule.citations:  # where it comes from, and whether its quote checks out
        quote = cite.get("quote") or ""
        quote = "……".join(quote) if isinstance(quote, list) else quote
        n = cite.get("article")
        where = "" if not n else f" 第{n}条" if lang == "zh" else f" Art. {n}"
        status = t(f"rules.quote_status.{check_citation(cite).status}", lang)
        click.echo(f"{label('citation')}: {cite['title']}{where}"
                   + (f"「{quote}」" if quote else "")
                   + (f"（{status}）" if lang == "zh" else f" ({status})"))
    click.echo(f"{label('file')}: {rule.file}")


@cli.command(name="check", cls=CatalogueCommand, help_key="cmd.help.rules_check")
@click.argument("directory")
@lang_option
def check(directory, lang):
    from ..roadmap.calendar import for_book
    from ..roadmap.engine import REQUIRED_KEYS
    from ..rules import load_rulebook
    from ..rules.loader import check_dir

    files, count = check_dir(Path(directory))
    book = load_rulebook([directory], use_cache=False, use_env=False)
    for_book(book)  # a holiday calendar in the overlay is read (and refused if malformed)
    problems = []
    for pid in book.platform_ids():
        view = book.platform(pid)
        missing = [k for k in REQUIRED_KEYS if view.find(k) is None]
        if missing:
            problems.append(t("rules.check_missing", lang, platform=pid, keys=", ".join(missing)))
    if problems:
        raise UserError("rules.check_failed", {"problems": "\n".join(problems)}, file=directory,
                        fix_key="rules.fix_check_missing")
    click.echo(t("rules.check_ok", lang, files=files, rules=count))


@cli.command(name="compare", cls=CatalogueCommand, help_key="cmd.help.rules_compare")
@click.argument("platforms", nargs=-1)
@catalogue_option("--platforms", "chosen", default=None, key="cmd.opt.rules_compare_platforms")
@catalogue_option("--width", "width", type=int, default=None, key="cmd.opt.rules_compare_width")
@catalogue_option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text",
                  key="cmd.opt.format")
@today_option
@rules_option
@lang_option
def compare(platforms, chosen, width, fmt, today, rules, lang):
    from ..rules import load_rulebook
    from ..rules.compare import comparison_tables

    on = parse_date(today, "--today") or date.today()
    book = load_rulebook(rules)
    wanted = [p for p in platforms] + [p for p in (chosen or "").split(",") if p.strip()]
    ids = []
    for p in wanted:
        found = _platform_id(book, p)
        if found is None:
            raise UserError("rules.unknown_platform", {"platform": p,
                                                       "choices": ", ".join(book.platform_ids())},
                            field="--platforms", fix_key="rules.fix_unknown_platform")
        ids.append(found)
    tables = comparison_tables(book, list(dict.fromkeys(ids)) or None, lang, on)
    if fmt == "json":
        click.echo(json.dumps([tb.to_dict() for tb in tables], ensure_ascii=False, indent=2))
        return
    for tb in tables:
        if fmt == "md":
            click.echo(f"### {tb.title}\n")
            click.echo("| " + " | ".join(tb.columns) + " |")
            click.echo("|" + "---|" * len(tb.columns))
            for row in tb.rows:
                click.echo("| " + " | ".join(row) + " |")
            click.echo("\n" + t("rules.head_source", lang) + ": " +
                       ", ".join(sorted({s for row in tb.sources for s in row if s})) + "\n")
        else:
            from .compare_grid import grid

            click.echo(grid(tb, width or _terminal_width(), lang))


def _platform_id(book, name: str) -> str | None:
    """A platform by its id or any of its names (斗鱼, B站, youtube)."""
    name = name.strip().lower()
    return next((p for p in book.platform_ids() if name in book.platforms[p].names()), None)


def _terminal_width() -> int:
    import shutil

    return max(shutil.get_terminal_size((100, 24)).columns, 60)


@cli.command(name="audit", cls=CatalogueCommand, help_key="cmd.help.rules_audit")
@catalogue_option("--json", "as_json", is_flag=True, key="cmd.opt.json")
@rules_option
@lang_option
def audit(as_json, rules, lang):
    """Every rule: kind of source, quote status, verified flag, last checked; then the counts."""
    from collections import Counter

    from ..rules import load_rulebook
    from ..rules.quotes import audit as audit_rows

    rows = audit_rows(load_rulebook(rules))
    counts = {"rules": len(rows), "verified": sum(r.verified for r in rows),
              "quote": dict(Counter(r.quote for r in rows)),
              "problems": sum(len(r.problems) for r in rows)}
    if as_json:
        click.echo(json.dumps({"rules": [r.to_dict() for r in rows], "counts": counts},
                              ensure_ascii=False, indent=2))
    else:
        yes, no = t("rules.yes", lang), t("rules.no", lang)
        click.echo("\t".join(t("rules.audit_head", lang)))
        for r in rows:
            kinds = ", ".join(t(f"rules.kinds.{k}", lang) for k in r.kinds) or \
                t(f"rules.sources.{r.source}", lang)
            click.echo(f"{r.id}\t{kinds}\t{t(f'rules.quote_status.{r.quote}', lang)}\t"
                       f"{yes if r.verified else no}\t{r.last_verified}")
            for problem in r.problems:
                click.echo(f"  ! {problem}")
        quotes = ("，" if lang == "zh" else ", ").join(f"{t(f'rules.quote_status.{k}', lang)} {v}"
                          for k, v in sorted(counts["quote"].items()))
        click.echo(t("rules.audit_counts", lang, rules=counts["rules"],
                     verified=counts["verified"], quotes=quotes, problems=counts["problems"]))
    if counts["problems"]:
        raise SystemExit(1)


@cli.command(name="test", cls=CatalogueCommand, help_key="cmd.help.rules_test")
@click.argument("directory", required=False)
@catalogue_option("--json", "as_json", is_flag=True, key="cmd.opt.json")
@rules_option
@lang_option
def test(directory, as_json, rules, lang):
    """Run the YAML rule tests in DIRECTORY (default: the project's own cases)."""
    from ..ruletests import BUILTIN_CASES, run_dir

    results = run_dir(Path(directory) if directory else BUILTIN_CASES, list(rules or ()))
    failed = [r for r in results if not r.ok]
    if as_json:
        click.echo(json.dumps([{"file": r.file, "name": r.name, "ok": r.ok,
                                "diffs": [{"what": w, "expected": e, "got": g}
                                          for w, e, g in r.diffs]} for r in results],
                              ensure_ascii=False, indent=2))
    else:
        for r in results:
            click.echo(("✓ " if r.ok else "✗ ") + r.name)
            for what, expected, got in r.diffs:
                click.echo("  " + t("rules.test_diff", lang, what=what, expected=expected,
                                    got=got))
        click.echo(t("rules.test_counts", lang, n=len(results), failed=len(failed)))
    if failed:
        raise SystemExit(1)
