"""Continuity of a platform's cumulative withholding: the two readings of a gap, side by side.

Since 2025-10-01 an internet platform withholds its streamers' labour income itself, by the
cumulative method of 公告2025年第16号, counting 「当年截至本月在本互联网平台企业连续取得劳务报酬的
月份数」: months on *this* platform, *consecutive*. Two things follow that a streamer leaving
should see:

- a month without income ends the run. The text is open on what restarts: the month count only
  (income and tax keep running) or every running total. Both readings are computed, shown with
  the rule's words, and the annual settlement (综合所得汇算) decides the real tax either way;
- a platform switched to mid-year starts its own count: each platform withholds on its own
  months, and only the annual settlement adds them up.

The guide's flat 20 % stays beside as the guide's number. Every figure comes from rule packs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .brackets import ZERO, money, percent, rule_decimal
from .ledger import Payout
from .tax import READINGS, CumulativeResult, R, cumulative_readings

__all__ = ["Continuity", "continuity", "rule_words", "cumulative_since", "explain",
           "GUIDE_RATE"]

GUIDE_RATE = "common.finance.withholding_rate"


def rule_words(book) -> str:
    """The announcement's own words for the month count (the rule's quote)."""
    for cite in book.rule(R.MONTHLY_DEDUCTION).citations:
        quote = cite.get("quote")
        if quote:
            return quote if isinstance(quote, str) else "……".join(quote)
    return book.rule(R.MONTHLY_DEDUCTION).reference


def cumulative_since(book) -> date | None:
    """The first day platforms withhold cumulatively (the method rule's dated value)."""
    return next((d for d, v in book.rule(R.METHOD).values if v == "cumulative"), None)


@dataclass(frozen=True)
class Continuity:
    """A year of payouts, per platform, under both readings of a gap month."""

    year: int
    platforms: tuple[str, ...]
    readings: dict[str, dict[str, CumulativeResult]]  # platform → reading → result
    gaps: dict[str, tuple[int, ...]]  # platform → months without income inside its run
    totals: dict[str, Decimal]  # reading → withholding summed over the platforms
    gross: Decimal
    guide_rate: Decimal
    guide_tax: Decimal  # the guide's flat rate on the year's gross (the guide's number)
    words: str  # the rule's words for the month count
    since: date | None  # platforms withhold themselves (cumulatively) from this day
    switched: bool  # more than one platform paid this year
    rules: tuple[str, ...]
    names: dict[str, dict]  # platform → {zh, en} name where the packs know it

    @property
    def open(self) -> bool:
        """The readings differ: a gap month makes the text's open question matter."""
        return len(set(self.totals.values())) > 1


def continuity(book, payouts: Iterable[Payout], year: int) -> Continuity:
    items = [p for p in payouts if p.date.year == year]
    names = tuple(sorted({p.platform for p in items}))
    readings = {name: cumulative_readings(book, [p for p in items if p.platform == name], year)
                for name in names}
    totals = {r: sum((readings[n][r].total_withholding for n in names), ZERO) for r in READINGS}
    gross = sum((p.gross for p in items), ZERO)
    rate = rule_decimal(book, GUIDE_RATE, date(year, 12, 31))
    return Continuity(
        year=year, platforms=names, readings=readings,
        gaps={n: readings[n][READINGS[0]].gaps for n in names}, totals=totals, gross=gross,
        guide_rate=rate, guide_tax=money(gross * rate), words=rule_words(book),
        since=cumulative_since(book), switched=len(names) > 1,
        rules=(R.MONTHLY_DEDUCTION, R.METHOD, GUIDE_RATE),
        names={n: dict(book.platforms[n].name) for n in names if n in book.platforms})


def explain(c: Continuity, lang: str) -> list[str]:
    """What a person reads beside the figures: platform withholding, switching, both readings."""
    from ..i18n import t

    def name(platform: str) -> str:
        known = c.names.get(platform)
        return str(known.get(lang) or known.get("zh")) if known else platform

    lines = []
    if c.since is not None:
        lines.append(t("tax.continuity.platform_withholds", lang, since=c.since.isoformat(),
                       words=c.words))
    if c.switched:
        lines.append(t("tax.continuity.switched", lang, n=len(c.platforms),
                       platforms=("、" if lang == "zh" else ", ").join(map(name, c.platforms))))
    for name_ in c.platforms:
        gaps = c.gaps[name_]
        if not gaps:
            continue
        both = c.readings[name_]
        lines.append(t("tax.continuity.gap", lang, platform=name(name_),
                       months=", ".join(f"{m:02d}" for m in gaps), words=c.words))
        for reading in READINGS:
            lines.append("  " + t(f"tax.continuity.reading.{reading}", lang,
                                  total=both[reading].total_withholding))
    if c.open or any(c.gaps.values()):
        lines.append(t("tax.continuity.settlement_decides", lang))
    lines.append(t("tax.continuity.guide", lang, rate=percent(c.guide_rate), gross=c.gross,
                   tax=c.guide_tax))
    return lines
