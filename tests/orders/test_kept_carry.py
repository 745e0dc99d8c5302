"""The kept export's check carried to a later day gives exactly what a new check of the same
file on that day gives (``orders.kept.earliest_close_on``): the closing day and the last open
return window, for any mix of orders and any number of days later."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from xiabo.jobs.orders import snapshot
from xiabo.orders import check
from xiabo.orders.kept import earliest_close_on

from .exports import order_csv

DAY = date(2026, 12, 1)
STATES = ("待发货", "已发货", "已签收", "已完成", "交易关闭", "待付款", "看不懂的状态")
AFTER = ("", "", "退款中", "退款成功")

orders = st.lists(st.tuples(st.sampled_from(STATES), st.sampled_from(AFTER),
                            st.one_of(st.none(), st.integers(0, 40)),   # shipped, days ago
                            st.one_of(st.none(), st.integers(0, 30))),  # received, days ago
                  min_size=1, max_size=25)


def _rows(spec) -> list[list[str]]:
    out = []
    for n, (status, after, shipped, received) in enumerate(spec):
        day = lambda k: (DAY - timedelta(days=k)).isoformat() if k is not None else ""  # noqa: E731
        out.append([f"B{n:03d}", status, day(45), day(shipped), day(received), after, "12.50"])
    return out


@settings(max_examples=60, deadline=None)
@given(spec=orders, later=st.integers(0, 40))
def test_a_carried_check_is_a_new_check_of_the_same_file(spec, later):
    with tempfile.TemporaryDirectory() as tmp:
        path = order_csv(Path(tmp) / "orders.csv", _rows(spec))
        report = snapshot(check(path, DAY))
        today = DAY + timedelta(days=later)
        fresh = check(path, today)
        assert earliest_close_on(report, today) == (fresh.earliest_close, fresh.last_window_end)


def test_an_earlier_day_or_other_rules_cannot_be_carried(tmp_path):
    path = order_csv(tmp_path / "orders.csv", _rows([("已签收", "", 5, 2)]))
    report = snapshot(check(path, DAY))
    assert earliest_close_on(report, DAY - timedelta(days=1)) is None
    assert earliest_close_on(dict(report, return_days=report["return_days"] + 1), DAY) is None
    assert earliest_close_on(dict(report, today="not a day"), DAY) is None


def test_the_last_day_of_a_return_window_still_holds_the_shop(tmp_path):
    """Every day around a window's end, for orders received on different days."""
    for received in range(0, 10):
        path = order_csv(tmp_path / f"r{received}.csv",
                         _rows([("已签收", "", received + 1, received), ("已签收", "", 12, 11)]))
        report = snapshot(check(path, DAY))
        for later in range(0, 13):
            today = DAY + timedelta(days=later)
            fresh = check(path, today)
            assert earliest_close_on(report, today) == (fresh.earliest_close,
                                                        fresh.last_window_end), (received, later)
