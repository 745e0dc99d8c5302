"""Property tests: tax is never negative and never falls as income grows; net + tax = gross;
cumulative withholdings add up to the year's cumulative tax (plus any over-withholding)."""

import csv
import io
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from xiabo.money.ledger import Payout, parse_rows
from xiabo.money.tax import annual, business, cumulative, labour_per_payment
from xiabo.rules import load_rulebook

BOOK = load_rulebook()
money = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False,
                    allow_infinity=False)
days = st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31))


@settings(max_examples=300, deadline=None)
@given(a=money, b=money, on=days)
def test_per_payment_monotone_and_adds_up(a, b, on):
    lo, hi = sorted((a, b))
    r_lo, r_hi = labour_per_payment(BOOK, lo, on), labour_per_payment(BOOK, hi, on)
    assert Decimal(0) <= r_lo.tax <= r_hi.tax
    assert r_lo.net + r_lo.tax == r_lo.gross == lo
    assert r_lo.tax <= r_lo.gross


@settings(max_examples=200, deadline=None)
@given(a=money, b=money, wages=money)
def test_annual_monotone(a, b, wages):
    lo, hi = sorted((a, b))
    t_lo = annual(BOOK, 2026, [Payout(date(2026, 5, 1), "ks", lo)], wages=wages).tax_due
    t_hi = annual(BOOK, 2026, [Payout(date(2026, 5, 1), "ks", hi)], wages=wages).tax_due
    assert Decimal(0) <= t_lo <= t_hi


@settings(max_examples=200, deadline=None)
@given(a=money, b=money, flag=st.booleans())
def test_business_monotone(a, b, flag):
    lo, hi = sorted((a, b))
    r_lo = business(BOOK, lo, 2026, no_comprehensive_income=flag)
    r_hi = business(BOOK, hi, 2026, no_comprehensive_income=flag)
    assert Decimal(0) <= r_lo.tax <= r_hi.tax
    assert r_lo.after_tax + r_lo.tax == lo


month_amounts = st.lists(st.one_of(st.none(), money), min_size=12, max_size=12)


@settings(max_examples=200, deadline=None)
@given(amounts=month_amounts, year=st.sampled_from([2025, 2026, 2027]))
def test_cumulative_withholdings_sum_to_the_years_tax(amounts, year):
    payouts = [Payout(date(year, m + 1, 15), "ks", a) for m, a in enumerate(amounts)
               if a is not None]
    r = cumulative(BOOK, payouts, year)
    cum = [m for m in r.months if m.method == "cumulative"]
    assert all(m.withholding >= 0 for m in r.months)
    assert sum((m.withholding for m in cum), Decimal(0)) == r.cumulative_tax + r.over_withheld
    assert r.over_withheld >= 0
    # withheld so far is the highest year-to-date tax seen
    running = Decimal(0)
    for m in cum:
        running += m.withholding
        assert running == max(x.cumulative_tax for x in cum[: cum.index(m) + 1])


@settings(max_examples=200, deadline=None)
@given(amounts=st.lists(st.decimals(min_value=6250, max_value=1_000_000, places=2),
                        min_size=1, max_size=12))
def test_cumulative_exact_when_monthly_income_covers_the_deduction(amounts):
    # with ≥ 6,250 a month (× 80% ≥ 5,000) the running taxable never falls: nothing over-withheld
    payouts = [Payout(date(2026, m + 1, 1), "ks", a) for m, a in enumerate(amounts)]
    r = cumulative(BOOK, payouts, 2026)
    assert r.over_withheld == 0
    assert r.total_withholding == r.cumulative_tax


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.tuples(days, st.sampled_from(["快手", "抖音", "taobao"]), money, money),
                     min_size=1, max_size=20),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk"]))
def test_ledger_round_trip(rows, encoding):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["日期", "平台", "收入(税前)", "已扣税"])
    rows = [(d, p, g, min(wh, g)) for d, p, g, wh in rows]
    for d, p, g, wh in rows:
        w.writerow([d.isoformat(), p, f"{g:,}", str(wh)])
    raw = buf.getvalue().encode(encoding)
    from xiabo.money.ledger import _decode

    text = _decode(raw, "x.csv")
    parsed = parse_rows(((i + 1, r) for i, r in enumerate(csv.reader(io.StringIO(text)))))
    assert [(p.date, p.gross, p.withheld) for p in parsed] == [(d, g, wh) for d, _, g, wh in rows]
