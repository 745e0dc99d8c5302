"""Properties of the reconciliation (hypothesis): shortfall never negative and exact when less
was received than due; totals are the sums of the months; the order of rows does not matter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from xiabo.dispute.payouts import StatementLine, reconcile, terms_from_dict
from xiabo.dispute.payouts.statements import month_of, parse_ratio
from xiabo.rules import load_rulebook

BOOK = load_rulebook()
TODAY = date(2027, 6, 1)

money = st.decimals(min_value=0, max_value=Decimal("1000000"), places=2)
months = st.builds(lambda y, m: date(y, m, 1), st.integers(2023, 2026), st.integers(1, 12))
lines = st.lists(st.builds(
    lambda month, turnover, paid, withheld, n: StatementLine(f"f{n % 3}.csv", n, month,
                                                             turnover=turnover, paid=paid,
                                                             withheld=withheld),
    months, money, money, st.one_of(st.none(), money), st.integers(1, 500)), max_size=25)
terms = st.builds(
    lambda split, guarantee, rate: terms_from_dict(
        {"split": str(split), "guarantee_cny": str(guarantee), "pay_day": 15,
         **({"interest": {"rate": str(rate), "per": "day"}} if rate else {})}),
    st.decimals(min_value=0, max_value=1, places=3), money,
    st.one_of(st.none(), st.decimals(min_value=0, max_value=Decimal("0.01"), places=4)))


@settings(max_examples=150, deadline=None)
@given(lines, terms)
def test_shortfall_never_negative_and_exact(rows, contract):
    res = reconcile(rows, contract, BOOK, TODAY)
    for m in res.months:
        assert m.shortfall is None or m.shortfall >= 0
        if m.expected is not None and m.received <= m.expected and m.status != "not_due":
            assert m.shortfall == m.expected - m.received
            assert m.overpaid == 0
        if m.expected is not None:
            assert m.expected >= m.guarantee and m.top_up >= 0


@settings(max_examples=150, deadline=None)
@given(lines, terms)
def test_totals_are_sums_of_months(rows, contract):
    res = reconcile(rows, contract, BOOK, TODAY)
    due = [m for m in res.months if m.status != "not_due"]
    assert res.shortfall_total == sum((m.shortfall or 0 for m in res.months), Decimal(0))
    assert res.received_total == sum((m.received for m in due), Decimal(0))
    assert res.expected_total == sum((m.expected or 0 for m in due), Decimal(0))
    assert res.withheld_total == sum((m.withheld for m in due), Decimal(0))
    assert res.expected_total - res.received_total == res.shortfall_total - res.overpaid_total \
        or res.unknown_months
    if res.interest_total is not None:
        assert res.interest_total == sum((m.interest or 0 for m in res.months), Decimal(0))


@settings(max_examples=100, deadline=None)
@given(lines, terms, st.randoms(use_true_random=False))
def test_order_of_rows_does_not_matter(rows, contract, rnd):
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert reconcile(rows, contract, BOOK, TODAY) == reconcile(shuffled, contract, BOOK, TODAY)


@given(st.integers(1900, 2999), st.integers(1, 12))
def test_month_spellings(y, m):
    want = date(y, m, 1)
    for text in (f"{y}-{m:02d}", f"{y}年{m}月", f"{y}{m:02d}", f"{y}/{m}/1", f"{y}-{m:02d}-15"):
        assert month_of(text) == want


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_ratio_spellings(pct):
    assert parse_ratio(f"{pct}%") == pct / 100


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(months, money, money, st.decimals(min_value=0, max_value=1, places=2)),
                min_size=1, max_size=15),
       st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
       st.sampled_from(["结算月份,礼物流水,分成比例,实发金额", "月份,收入,分成,已结算"]),
       st.booleans())
def test_statement_round_trip(tmp_path_factory, rows, encoding, header, title):
    """Rows written as a CSV in any common encoding (with or without a title row above the
    header and a 合计 row below) read back as the same months and amounts."""
    from xiabo.dispute.payouts import read_statement

    path = tmp_path_factory.mktemp("stmt") / "s.csv"
    text = ("某某传媒 结算单\r\n" if title else "") + header + "\r\n"
    text += "".join(f"{m:%Y年%m月},\"¥{t:,}\",{s * 100}%,{p}\r\n" for m, t, p, s in rows)
    text += f"合计,{sum(t for _, t, _, _ in rows)},,\r\n"
    path.write_bytes(text.encode(encoding))
    lines, _ = read_statement(path)
    assert [(x.month, x.turnover, x.paid, x.split) for x in lines] == [
        (m, t, p, s) for m, t, p, s in rows]
