"""The annual income-tax reconciliation from the web: a form instead of ``xiabo tax annual``.

The figures are ``xiabo.money.tax.annual``'s (rates, deductions and windows from the
``common.tax.*`` rules); each line carries its rules behind a 「来源」 disclosure. Amounts are
read as a person writes them (12,000 / 1.2万 / ￥12000) with the interview's number parser,
then rounded to the fen as the CLI does; money stays Decimal throughout.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fastapi import APIRouter, Depends
from starlette.datastructures import FormData

from ...errors import UserError
from ...i18n import t
from ...store.models import Case
from ..context import Ctx, get_ctx, render
from ..deps import CaseId, checked_form, visible_case

router = APIRouter(include_in_schema=False)

# form field -> its label key (tools.tax.<field>), in the order the form asks
FIELDS = ("labour", "labour_withheld", "wages", "wages_withheld", "special", "additional")


def parse_money(text: str | None, field: str, lang: str) -> Decimal:
    """A yuan amount as typed; blank is 0. Bad input names the field in words."""
    from ...interview.answers import AnswerError, parse_number
    from ...money.amounts import parse_amount

    raw = (text or "").strip()
    if not raw:
        return Decimal("0.00")
    try:
        return parse_amount(parse_number(raw, integer=False)) + 0  # -0.00 reads as 0.00
    except AnswerError as err:
        reason = "negative" if err.key == "init.err_negative" else "not_number"
    except ValueError as err:
        reason = "too_large" if str(err) == "tax.reason.too_large" else "not_number"
    except ArithmeticError:  # 1e999999999: beyond what Decimal holds
        reason = "too_large"
    raise UserError("tools.tax.bad_amount",
                    {"field": t(f"tools.tax.{field}", lang), "value": raw[:40],
                     "reason": t(f"tools.tax.reason.{reason}", lang)},
                    field=field, fix_key="tools.tax.bad_amount_fix")


def year_range(book, today: date) -> tuple[int, int]:
    from ...money.tax import R

    return book.rule(R.ANNUAL_TABLE).values[0][0].year, today.year


def parse_year(text: str | None, book, today: date) -> int:
    first, last = year_range(book, today)
    raw = (text or "").strip()
    if raw.isdigit() and len(raw) == 4 and first <= int(raw) <= last:
        return int(raw)
    raise UserError("tools.tax.bad_year", {"value": raw[:20], "first": first, "last": last,
                                           "year": max(first, today.year - 1)},
                    field="year", fix_key="tools.tax.bad_year_fix")


def compute(book, year: int, amounts: dict[str, Decimal]):
    """``money.tax.annual`` for the form's amounts (platform income as one year's payout)."""
    from ...money.ledger import Payout
    from ...money.tax import annual

    payouts = [Payout(date=date(year, 12, 31), platform="", gross=amounts["labour"],
                      withheld=amounts["labour_withheld"])]
    return annual(book, year, payouts, wages=amounts["wages"],
                  wages_withheld=amounts["wages_withheld"],
                  special_deductions=amounts["special"],
                  additional_deductions=amounts["additional"])


def parse_months(text: str | None, book, year: int, lang: str) -> list:
    """The month-by-month box: one line per month, 「月份 金额 [平台]」; a new platform's name
    starts its own count (switching mid-year). Blank: no monthly figures."""
    from ...money.amounts import parse_platform
    from ...money.ledger import Payout

    names = {str(v).lower(): pid for pid, p in book.platforms.items()
             for v in (pid, *p.name.values())}
    payouts = []
    for n, line in enumerate((text or "").splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        month = parts[0].removesuffix("月")
        if len(parts) < 2 or not month.isdigit() or not 1 <= int(month) <= 12:
            raise UserError("tools.tax.bad_month_line", {"line": n, "value": line.strip()[:40]},
                            field="months", fix_key="tools.tax.bad_month_line_fix")
        gross = parse_money(parts[1], "months", lang)
        label = " ".join(parts[2:])
        platform = (names.get(label.lower()) or parse_platform(label) if label
                    else t("tools.tax.this_platform", lang))
        payouts.append(Payout(date=date(year, int(month), 15), platform=platform, gross=gross))
    return payouts


def continuity_view(book, payouts: list, year: int, lang: str) -> dict | None:
    """Both readings of a gap month side by side, with the rule's words (money.continuity)."""
    from ...money.continuity import continuity, explain
    from ...money.tax import READINGS

    if not payouts:
        return None
    c = continuity(book, payouts, year)
    tables = []
    for name in c.platforms:
        known = c.names.get(name)
        both = c.readings[name]
        rows = [{"month": f"{a.month:02d}", "gross": f"{a.gross:,.2f}",
                 "withholding": {r: f"{m.withholding:,.2f}" for r, m in zip(
                     READINGS, (a, b))}, "counted": a.months_counted}
                for a, b in zip(both[READINGS[0]].months, both[READINGS[1]].months)]
        tables.append({"platform": str(known.get(lang) or known.get("zh")) if known else name,
                       "rows": rows, "gaps": c.gaps[name],
                       "totals": {r: f"{both[r].total_withholding:,.2f}" for r in READINGS}})
    return {"tables": tables, "readings": READINGS, "notes": explain(c, lang),
            "open": c.open, "gross": c.gross,
            "sources": _sources(book, c.rules, lang)}


def _sources(book, ids, lang: str) -> list[dict]:
    out = []
    for rid in ids:
        rule = book.rule(rid)
        out.append({"title": rule.title.get(lang) or rule.title.get("zh") or "",
                    "source": t(f"rules.sources.{rule.source}", lang),
                    "reference": rule.reference, "verified": rule.verified,
                    "last_verified": rule.last_verified.isoformat()})
    return out


def result_view(book, res, lang: str) -> dict:
    """Lines (label, figure, sources) and the verdict in words, as the CLI's annual report."""
    from ...money.brackets import dec, percent
    from ...money.tax import R

    lines = []
    for key, value, ids in res.lines():
        shown = percent(dec(value)) if key == "rate" else f"{value:,.2f}"
        lines.append({"key": key, "label": t(f"tax.annual.lines.{key}", lang), "value": shown,
                      "sources": _sources(book, ids, lang)})
    on = date(res.year, 12, 31)
    limits = {R.EXEMPT_INCOME: ("income", book.value(R.EXEMPT_INCOME, on)),
              R.EXEMPT_TOPUP: ("topup", book.value(R.EXEMPT_TOPUP, on))}
    sep = "；" if lang == "zh" else "; "
    reasons = sep.join(t(f"tax.annual.reason.{limits[r][0]}", lang, limit=limits[r][1])
                       for r in res.exemptions)
    status = t(f"tax.annual.status.{res.filing_status}", lang, top_up=f"{res.top_up:,.2f}",
               refund=f"{res.refund:,.2f}", start=res.window_start.isoformat(),
               end=res.window_end.isoformat(), reasons=reasons)
    status_rules = {"required": res.rules["filing_status"] + res.rules["window"],
                    "exempt": res.exemptions, "refund_optional": res.rules["window"]}
    return {"lines": lines, "status": status, "required": res.filing_required,
            "status_sources": _sources(book, status_rules.get(res.filing_status, ()), lang)}


def _page(ctx: Ctx, case, status_code: int = 200, values: dict | None = None, **extra):
    from ...cases import rulebook

    first, last = year_range(rulebook(), ctx.today)
    default_year = str(max(first, last - 1))
    return render(ctx, "tax.html", status_code=status_code, case=case, fields=FIELDS,
                  values=values or {"year": default_year}, example_year=default_year,
                  T=lambda k, **p: t(k, ctx.lang, **p), **extra)


@router.get("/cases/{case_id}/tax")
def tax_page(case_id: CaseId, ctx: Ctx = Depends(get_ctx), case: Case = Depends(visible_case)):
    return _page(ctx, case)


@router.post("/cases/{case_id}/tax")
def tax_compute(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                form: FormData = Depends(checked_form), case: Case = Depends(visible_case)):
    from ...cases import rulebook

    values = {k: str(form.get(k) or "")[:60] for k in ("year", *FIELDS)}
    values["months"] = str(form.get("months") or "")[:2000]
    book = rulebook()
    errors = []
    amounts: dict[str, Decimal] = {}
    year = None
    try:
        year = parse_year(values["year"], book, ctx.today)
    except UserError as err:
        errors.append(err)
    for name in FIELDS:
        try:
            amounts[name] = parse_money(values[name], name, ctx.lang)
        except UserError as err:
            errors.append(err)
    payouts = []
    if year is not None:
        try:
            payouts = parse_months(values["months"], book, year, ctx.lang)
        except UserError as err:
            errors.append(err)
    if errors:  # every problem of the form at once, each with its fix
        shown = [{"field": e.field, "message": t(e.key, ctx.lang, **(e.params or {})),
                  "fix": t(e.fix_key, ctx.lang, **(e.params or {}))} for e in errors]
        return _page(ctx, case, status_code=422, values=values, errors=shown,
                     bad={e.field for e in errors})
    if payouts and not values["labour"].strip():  # the months add up to the year's income
        amounts["labour"] = sum((p.gross for p in payouts), Decimal("0.00"))
    try:
        res = compute(book, year, amounts)
    except UserError as err:  # tax withheld beyond any possible tax: the field it concerns
        field = "labour_withheld" if ".labour_" in err.key else "wages_withheld"
        shown = [{"field": field, "message": t(err.key, ctx.lang, **(err.params or {})),
                  "fix": t(err.fix_key, ctx.lang)}]
        return _page(ctx, case, status_code=422, values=values, errors=shown, bad={field})
    return _page(ctx, case, values=values, result=result_view(book, res, ctx.lang), year=year,
                 continuity=continuity_view(book, payouts, year, ctx.lang))
