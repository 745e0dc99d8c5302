"""The reconciliation in words: the terms, the month lines, the notes and the letter's amounts,
from the catalogues (``payouts.*``), shared by the CLI, the xlsx and the web page.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ...i18n import t
from .reconcile import METHOD_RULE, MonthResult, Reconciliation
from .terms import Terms

__all__ = ["TABLE_COLUMNS", "amount", "letter_values", "month_row", "month_text", "note_lines",
           "percent", "terms_lines"]

_ALWAYS = date(1900, 1, 1)


def amount(value: Decimal | None, lang: str) -> str:
    """¥ amounts as 1,234.56; an unknown amount in words."""
    return t("payouts.unknown", lang) if value is None else f"{value:,.2f}"


def percent(value: Decimal | None, lang: str) -> str:
    if value is None:
        return t("payouts.unknown", lang)
    text = f"{(value * 100).normalize():f}"
    return f"{text}%"


def month_text(month: date) -> str:
    return month.strftime("%Y-%m")


def _steps(steps, lang: str, kind: str, fmt) -> str:
    sep = "，" if lang == "zh" else ", "
    return sep.join(
        t(f"payouts.terms.{kind}_always", lang, **fmt(s.value)) if s.start == _ALWAYS else
        t(f"payouts.terms.{kind}_step", lang, month=month_text(s.start), **fmt(s.value))
        for s in steps)


def terms_lines(terms: Terms, book, today: date, lang: str) -> list[str]:
    """The contract terms as read, so the user sees what the figures rest on."""
    from .reconcile import DAY_COUNT_RULE

    lines = [t("payouts.terms.heading", lang, source=terms.source)]
    if terms.split:
        lines.append(t("payouts.terms.split", lang, steps=_steps(
            terms.split, lang, "split", lambda v: {"share": percent(v, lang)})))
    else:
        lines.append(t("payouts.terms.split_none", lang))
    if terms.guarantee:
        lines.append(t("payouts.terms.guarantee", lang, steps=_steps(
            terms.guarantee, lang, "guarantee", lambda v: {"amount": amount(v, lang)})))
    else:
        lines.append(t("payouts.terms.guarantee_none", lang))
    lines.append(t("payouts.terms.pay_day", lang, day=terms.pay_day) if terms.pay_day
                 else t("payouts.terms.pay_day_none", lang))
    if terms.rate is None:
        lines.append(t("payouts.terms.rate_none", lang))
    elif terms.rate_per == "day":
        lines.append(t("payouts.terms.rate_day", lang, rate=percent(terms.rate, lang)))
    else:
        lines.append(t("payouts.terms.rate_year", lang, rate=percent(terms.rate, lang),
                       days=book.value(DAY_COUNT_RULE, today)))
    return lines


def note_lines(result: Reconciliation, book, lang: str) -> list[str]:
    """The notes that apply to this result: rounding, what received means, interest, …"""
    from ...money.continuity import cumulative_since

    keys = ["rounding", *result.notes, "guarantee_rule"]
    lines = [t(f"payouts.note.{k}", lang) for k in keys]
    if any(m.platform_withholds for m in result.months):
        start = cumulative_since(book)
        reference = str(book.rule(METHOD_RULE).reference).split("；")[-1].split("（")[0].strip()
        lines.append(t("payouts.note.withholding", lang,
                       start=start.isoformat() if start else "-", reference=reference))
    lines.append(t("payouts.note.not_advice", lang))
    return lines


def _parts(month: MonthResult) -> tuple[Decimal, Decimal]:
    """(gift share owed, guarantee top-up owed) of a month's shortfall: what was received
    pays the share first, then the top-up; a missing month is all guarantee."""
    short = month.shortfall or Decimal("0")
    if month.share is None:
        return Decimal("0.00"), short
    gift = min(max(month.share - month.received, Decimal("0")), short)
    return gift, short - gift


def letter_values(result: Reconciliation, lang: str) -> dict[str, str]:
    """The settlement demand's amount blanks (by their words) filled from the result."""
    sep = "、" if lang == "zh" else ", "
    gift_months, guarantee_months = [], []
    gift_total = guarantee_total = Decimal("0.00")
    for month in result.months:
        gift, top = _parts(month)
        if gift:
            gift_total += gift
            gift_months.append(t("payouts.letter.month_amount", lang, month=month_text(
                month.month), amount=amount(gift, lang)))
        if top:
            guarantee_total += top
            guarantee_months.append(t("payouts.letter.month_amount", lang, month=month_text(
                month.month), amount=amount(top, lang)))
    none = t("payouts.letter.none", lang)
    gift_text = t("payouts.letter.gift", lang, amount=amount(gift_total, lang),
                  months=sep.join(gift_months)) if gift_months else none
    top_text = t("payouts.letter.guarantee", lang, amount=amount(guarantee_total, lang),
                 months=sep.join(guarantee_months)) if guarantee_months else none
    if lang == "zh":
        return {"金额（元）和所属月份": gift_text, "金额（元）和月份": top_text}
    # the English letter asks the same words for both items: one value names both parts
    return {"amount (CNY) and months": t(
        "payouts.letter.both_en", lang, total=amount(gift_total + guarantee_total, lang),
        gift=amount(gift_total, lang), gift_months=sep.join(gift_months) or "-",
        guarantee=amount(guarantee_total, lang),
        guarantee_months=sep.join(guarantee_months) or "-")}


def month_row(month: MonthResult, lang: str) -> dict[str, str]:
    """One month as the table and the phone cards show it (strings, in ``lang``)."""
    withheld = amount(month.withheld, lang) if month.withheld or month.platform_withholds \
        else "-"
    if month.platform_withholds:
        withheld += t("payouts.platform_mark", lang)
    dash = "-"
    return {
        "month": month_text(month.month),
        "turnover": amount(month.turnover, lang) if month.turnover is not None else dash,
        "split": percent(month.split, lang) if month.turnover is not None and
        month.split is not None else dash,
        "share": amount(month.share, lang) if month.share is not None else dash,
        "expected": amount(month.expected, lang),
        "top_up": amount(month.top_up, lang) if month.top_up else dash,
        "received": amount(month.received, lang),
        "withheld": withheld,
        "shortfall": amount(month.shortfall, lang),
        "interest": amount(month.interest, lang) if month.interest is not None else dash,
        "status": t(f"payouts.status.{month.status}", lang),
        "state": month.status,
    }


TABLE_COLUMNS = ("month", "turnover", "split", "expected", "top_up", "received", "withheld",
                 "shortfall", "interest", "status")
