"""orders.check: classification, the return window edge, the closing date, readers."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiabo.errors import UserError
from xiabo.orders import check

from .exports import order_csv, order_xlsx

TODAY = date(2026, 11, 23)


def ids(orders) -> list[str]:
    return [o.order_id for o in orders]


def test_each_kind_of_order(tmp_path):
    path = order_csv(tmp_path / "o.csv", [
        ['="2405191234567890123"', "待发货", "2026-11-20 10:00:00", "", "", "", "¥128.00"],
        ["A002", "已发货", "2026-11-18", "2026-11-19 09:00", "", "", "59.9"],
        ["A003", "交易成功", "2026-11-10", "2026-11-11", "2026-11-16 12:00", "", "1,299.00"],
        ["A004", "交易成功", "2026-11-01", "2026-11-02", "2026-11-05", "", "10"],
        ["A005", "交易关闭", "2026-11-01", "", "", "退款成功", "10"],
        ["A006", "交易成功", "2026-11-01", "2026-11-02", "2026-11-05", "退款中", "10"],
        ["A007", "等待买家付款", "2026-11-22", "", "", "", "5"],
        ["合计", "", "", "", "", "", "1521.9"],
    ], preamble=[["店铺订单导出 2026-11-23"]])
    report = check(path, TODAY)
    assert ids(report.unshipped) == ["2405191234567890123"]
    assert ids(report.in_transit) == ["A002"]
    assert ids(report.in_return_window) == ["A003"]
    assert ids(report.open_after_sale) == ["A006"]
    assert report.unpaid == 1 and len(report.orders) == 7
    assert report.amounts["unshipped"] == Decimal("128.00")
    assert report.amounts["return_window"] == Decimal("1299.00")
    assert report.columns["amount"] == "实付金额(元)" and report.columns["order_id"] == "订单编号"
    assert report.return_days == 7 and report.notice_days == 30
    assert report.earliest_close == TODAY + timedelta(days=30)
    assert report.provisional


@pytest.mark.parametrize("received, today, inside", [
    (date(2026, 11, 16), date(2026, 11, 23), True),   # exactly 7 days later: last day
    (date(2026, 11, 16), date(2026, 11, 24), False),  # 8 days later: over
    (date(2026, 11, 23), date(2026, 11, 23), True),   # received today (not counted)
    (date(2026, 9, 30), date(2026, 10, 7), True),     # window ends inside National Day week…
    (date(2026, 9, 30), date(2026, 10, 8), False),    # …and is not extended by it
])
def test_return_window_edges(tmp_path, received, today, inside):
    path = order_csv(tmp_path / "o.csv", [["B1", "已签收", "", "", received.isoformat(), "", "1"]])
    report = check(path, today)
    assert (ids(report.in_return_window) == ["B1"]) is inside
    assert report.orders[0].window_end == received + timedelta(days=7)


def test_today_on_a_holiday_changes_nothing(tmp_path):
    path = order_csv(tmp_path / "o.csv", [["B1", "待发货", "2026-09-28", "", "", "", "1"]])
    national_day = date(2026, 10, 1)
    assert check(path, national_day).earliest_close == date(2026, 10, 31)
    assert check(path, date(2026, 10, 8)).earliest_close == date(2026, 11, 7)


def test_a_return_window_later_than_the_notice_wins(tmp_path, monkeypatch):
    overlay = tmp_path / "rules"
    overlay.mkdir()
    (overlay / "short.yaml").write_text("""rules:
  - id: common.law.shop_close_notice_days
    title: {zh: 测试, en: test}
    values: {2019-01-01: 3}
    unit: natural_days
    source: law
    reference: test overlay
    last_verified: 2026-11-23
    verified: false
""", encoding="utf-8")
    monkeypatch.setenv("XIABO_RULES", str(overlay))
    path = order_csv(tmp_path / "o.csv", [
        ["C1", "交易成功", "", "", "2026-11-21", "", "1"],
        ["C2", "交易成功", "", "", "2026-11-22", "", "1"],
    ])
    report = check(path, TODAY)
    assert report.notice_days == 3 and report.notice_end == date(2026, 11, 26)
    assert report.last_window_end == date(2026, 11, 29)
    assert report.earliest_close == date(2026, 11, 29)
    assert not report.provisional


def test_platform_rules_fall_back_to_common(tmp_path):
    path = order_csv(tmp_path / "o.csv", [["D1", "待发货", "", "", "", "", "1"]])
    assert check(path, TODAY, platform="douyin").notice_days == 30
    with pytest.raises(UserError) as exc:
        check(path, TODAY, platform="myspace")
    assert exc.value.key == "orders.bad_platform"


@pytest.mark.parametrize("encoding", ["gbk", "utf-8", "utf-8-sig"])
def test_encodings(tmp_path, encoding):
    path = order_csv(tmp_path / "o.csv", [["E1", "买家已付款，等待卖家发货", "", "", "", "", "1"]],
                     encoding=encoding)
    assert ids(check(path, TODAY).unshipped) == ["E1"]


def test_xlsx_with_an_explanation_sheet_and_typed_cells(tmp_path):
    path = order_xlsx(tmp_path / "o.xlsx", {
        "说明": [["本表由店铺后台导出"], ["请勿修改"]],
        "订单": [["订单号", "订单状态", "下单时间", "发货时间", "签收时间", "售后状态", "订单金额"],
                 ["F1", "待发货", datetime(2026, 11, 20, 9), None, None, None, 99.9],
                 ["F2", "已完成", datetime(2026, 11, 1), datetime(2026, 11, 2), datetime(2026, 11, 20, 18),
                  "无", 12]],
    })
    report = check(path, TODAY)
    assert ids(report.unshipped) == ["F1"] and ids(report.in_return_window) == ["F2"]
    assert report.orders[0].sheet == "订单" and report.orders[0].row == 2
    assert report.amounts["unshipped"] == Decimal("99.9")


def test_english_headers_and_dates(tmp_path):
    path = order_csv(tmp_path / "o.csv", [
        ["G1", "Awaiting shipment", "2026-11-20T10:00:00+08:00", "", "", "", "$10.00"],
        ["G2", "Delivered", "2026/11/18", "2026/11/19", "2026-11-20T17:00:00Z", "none", "5"],
        ["G3", "Shipped", "20261118", "1763600000", "", "Refund requested", "(3.50)"],
    ], header=["Order ID", "Order Status", "Created At", "Shipped At", "Delivered At",
               "Refund Status", "Amount"])
    report = check(path, TODAY)
    assert ids(report.unshipped) == ["G1"]
    assert report.orders[1].received_at == date(2026, 11, 21)  # 17:00 UTC is the 21st in China
    assert ids(report.in_transit) == ["G3"] and ids(report.open_after_sale) == ["G3"]
    assert report.orders[2].amount == Decimal("-3.50")


def test_map_names_unknown_columns(tmp_path):
    header = ["单据编号", "物流状态", "收件时间"]
    path = order_csv(tmp_path / "o.csv", [["H1", "待发货", ""], ["H2", "已签收", "2026-11-22"]],
                     header=header)
    with pytest.raises(UserError) as exc:
        check(path, TODAY)
    assert exc.value.key == "orders.no_header"
    report = check(path, TODAY, {"单据编号": "order_id", "物流状态": "status", "收件时间": "received_at"})
    assert ids(report.unshipped) == ["H1"] and ids(report.in_return_window) == ["H2"]


def test_promised_ship_time_is_not_a_ship_time(tmp_path):
    path = order_csv(tmp_path / "o.csv", [["I1", "待发货", "2026-11-25"]],
                     header=["订单号", "订单状态", "承诺发货时间"])
    report = check(path, TODAY)
    assert "shipped_at" not in report.columns and ids(report.unshipped) == ["I1"]


def test_unreadable_dates_are_reported_not_guessed(tmp_path):
    path = order_csv(tmp_path / "o.csv", [["J1", "已签收", "", "", "上周五", "", "1"]])
    report = check(path, TODAY)
    assert report.orders[0].problems == ("unreadable",) and report.no_receipt_date == 0


def test_money_is_decimal(tmp_path):
    path = order_csv(tmp_path / "o.csv", [["K1", "待发货", "", "", "", "", "0.1"],
                                          ["K2", "待发货", "", "", "", "", "0.2"]])
    assert check(path, TODAY).amounts["unshipped"] == Decimal("0.3")


def test_one_row_per_item_counts_orders_once(tmp_path):
    path = order_csv(tmp_path / "o.csv", [["L1", "待发货", "", "", "", "", "1"],
                                          ["L1", "待发货", "", "", "", "", "2"]])
    report = check(path, TODAY)
    assert report.counts["unshipped"] == 1 and report.amounts["unshipped"] == Decimal(3)


@settings(max_examples=60, deadline=None)
@given(ages=st.lists(st.integers(-1, 400), min_size=1, max_size=6),
       today=st.dates(date(2026, 1, 1), date(2027, 1, 31)))
def test_closing_date_is_never_before_notice_or_an_open_window(ages, today):
    received = [today - timedelta(days=age) for age in ages]  # a receipt is never after tomorrow
    rows = [[f"P{i}", "交易成功", "", "", d.isoformat(), "", "1"] for i, d in enumerate(received)]
    with tempfile.TemporaryDirectory() as tmp:
        report = check(order_csv(Path(tmp) / "o.csv", rows), today)
    close = report.earliest_close
    assert close >= today + timedelta(days=30)
    for order, day in zip(report.orders, received):
        inside = 0 <= (today - day).days <= 7 or day > today
        assert ("return_window" in order.problems) == (today <= day + timedelta(days=7))
        if inside:
            assert close >= day + timedelta(days=7)
    assert close == max([today + timedelta(days=30)] +
                        [d + timedelta(days=7) for d in received if today <= d + timedelta(days=7)])


def test_a_receipt_in_year_9999_or_after_today_is_a_clear_error(tmp_path):
    """Issue 15, finding 7: a 9999 receipt date was an OverflowError (exit 70)."""
    for value in ("9999-12-31", "9999-12-31 23:59:59+00:00", "2027-06-01"):
        path = order_csv(tmp_path / "o.csv", [["F1", "交易成功", "", "", value, "", "1"]])
        with pytest.raises(UserError) as exc:
            check(path, TODAY)
        assert exc.value.key == "orders.date_out_of_range" and exc.value.file == str(path)
        assert exc.value.params["row"] == "2" and exc.value.field


def test_an_absurd_amount_is_unreadable_not_a_crash(tmp_path):
    path = order_csv(tmp_path / "o.csv", [["F1", "待发货", "", "", "", "", "1e30000"]])
    assert "unreadable" in check(path, TODAY).orders[0].problems
