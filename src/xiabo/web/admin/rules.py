"""The rules page: the guide's platform comparison and every rule with source and status."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from ...cases import rulebook
from ..context import Ctx, get_ctx, render
from ..features import features

router = APIRouter(include_in_schema=False)


def rule_rows(book, lang: str, on, platform: str | None = None) -> list[dict]:
    from ...vocabulary import rule_value, source_label

    rows = []
    for rule in sorted(book.rules.values(), key=lambda r: r.id):
        if platform and rule.platform not in (platform, "common"):
            continue
        value = rule.value_at(on)
        rows.append({"id": rule.id, "platform": rule.platform,
                     "title": rule.title.get(lang, rule.title.get("zh", rule.id)),
                     "value": rule_value(rule, lang, on), "raw_value": value,
                     "unit": rule.unit, "source": rule.source, "quality": rule.quality,
                     "source_label": source_label(rule.source, lang), "reference": rule.reference,
                     "verified": rule.verified, "last_verified": rule.last_verified,
                     "section": rule.section or rule.key.split(".", 1)[0]})
    return rows


def _section_tables(book, lang: str, on, platforms: list[str]):
    """Fallback comparison: one row per rule key, one column per platform."""
    from ...vocabulary import rule_value

    keys = sorted({r.key for r in book.rules.values() if r.platform in platforms and r.unit
                   not in ("table",)})
    rows = []
    for key in keys:
        cells = []
        for p in platforms:
            rule = book.platform(p).find(key)
            cells.append(rule_value(rule, lang, on) if rule else "—")
        rows.append((key, cells))
    return rows


# the sections of "all rules", in the order of an exit (the plan's modules first)
SECTION_ORDER = ("account", "data", "contract", "fans", "equipment", "finance", "comeback",
                 "legal", "schedule", "input")


def rule_sections(rows: list[dict], lang: str) -> list[dict]:
    """Rules grouped by section, each with its name and counts (a fold on the rules page)."""
    from ...i18n import lookup

    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["section"], []).append(row)
    order = {key: i for i, key in enumerate(SECTION_ORDER)}
    out = []
    for key in sorted(groups, key=lambda k: (order.get(k, len(order)), k)):
        name = next((found for found in (lookup(f"plan.modules.{key}", lang),
                                          lookup(f"phone.rules.sections.{key}", lang),
                                          lookup(f"phone.rules.sections.{key}", "zh"))
                     if found), None)
        out.append({"key": key, "name": name or lookup("phone.rules.sections.other", lang),
                    "rows": groups[key],
                    "unverified": sum(1 for r in groups[key] if not r["verified"])})
    return out


@router.get("/rules")
async def rules_page(platform: str | None = None, compare: list[str] | None = Query(None),
                     ctx: Ctx = Depends(get_ctx)):
    book = rulebook()
    every = [p for p in book.platform_ids() if book.platforms[p].comparison]
    # the platforms the comparison shows (a phone picks a few); unknown ids are ignored
    platforms = [p for p in every if p in (compare or ())] or every
    names = {p: book.platforms[p].name.get(ctx.lang, book.platforms[p].name.get("zh", p))
             for p in book.platform_ids()}
    tables, fallback = [], None
    if features()["compare"]:
        from ...rules.compare import comparison_tables

        tables = comparison_tables(book, platforms, ctx.lang, ctx.today)
    else:
        fallback = _section_tables(book, ctx.lang, ctx.today, platforms)
    if platform not in book.platforms:
        platform = None
    rows = rule_rows(book, ctx.lang, ctx.today, platform)
    return render(ctx, "rules.html", tables=tables, fallback=fallback, platforms=platforms,
                  every=every,
                  names=names, rows=rows, platform=platform,
                  sections=rule_sections(rows, ctx.lang),
                  unverified=sum(1 for r in rows if not r["verified"]))
