"""xiabo orders check: output, the problem CSV, exit codes, bad input."""

from __future__ import annotations

import csv
import json

import pytest

from .exports import order_csv

ROWS = [
    ["2405191234567890123", "待发货", "2026-11-20", "", "", "", "128"],
    ["A002", "已发货", "2026-11-18", "2026-11-19", "", "", "59.9"],
    ["=HYPERLINK(\"http://x\")", "交易成功", "2026-11-10", "2026-11-11", "2026-11-20", "", "1"],
    ["A004", "交易成功", "2026-11-01", "2026-11-02", "2026-11-05", "", "10"],
]


def test_text_report_and_problem_csv(tmp_path, cli):
    src = order_csv(tmp_path / "orders.csv", ROWS)
    out = tmp_path / "problems.csv"
    r = cli("orders", "check", src, "--today", "2026-11-23", "--out", out)
    assert r.code == 1, r.err
    assert "最早可关店日期：2026-12-23" in r.out
    assert "未发货：1 单" in r.out and "已发货、未签收：1 单" in r.out
    assert "《电子商务法》第16条" in r.out and "民法典" in r.out
    assert "还有 3 单需要处理" in r.err
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:3] == ["订单号", "问题", "订单状态"]
    assert rows[1][0] == '="2405191234567890123"' and rows[1][1] == "未发货"
    assert rows[2][0] == "A002"
    assert rows[3][0].startswith("'=HYPERLINK") and rows[3][6] == "2026-11-27"
    assert len(rows) == 4


def test_no_amount_column_no_amount_total(tmp_path, cli):
    from .exports import HEADER

    src = order_csv(tmp_path / "orders.csv", [r[:6] for r in ROWS], header=HEADER[:6])
    r = cli("orders", "check", src, "--today", "2026-11-23")
    assert "未发货：1 单（表里没有金额列，算不出金额）" in r.out and "金额合计" not in r.out
    r = cli("orders", "check", order_csv(tmp_path / "priced.csv", ROWS), "--today", "2026-11-23")
    assert "金额合计 ¥128.00" in r.out


def test_json_output(tmp_path, cli):
    src = order_csv(tmp_path / "orders.csv", ROWS)
    r = cli("orders", "check", src, "--today", "2026-11-23", "--json", "--lang", "en")
    data = json.loads(r.out)
    assert data["earliest_close"] == "2026-12-23" and data["notice_end"] == "2026-12-23"
    assert data["last_window_end"] == "2026-11-27" and data["provisional"] is True
    assert data["counts"]["unshipped"] == 1 and data["amounts"]["unshipped"] == "128"
    assert data["rules"] == {"common.law.consumer_return_days": 7,
                             "common.law.shop_close_notice_days": 30}
    assert [p["order_id"] for p in data["problems"]][:2] == ["2405191234567890123", "A002"]


def test_nothing_left_exits_0(tmp_path, cli):
    src = order_csv(tmp_path / "orders.csv", [["A004", "交易成功", "", "", "2026-11-05", "", "10"]])
    r = cli("orders", "check", src, "--today", "2026-11-23", "--lang", "en")
    assert r.code == 0 and "No orders need attention" in r.out and "2026-12-23" in r.out


@pytest.mark.parametrize("args, needle", [
    (["--today", "23/11/2026"], "--today"),
    (["--map", "nonsense"], "--map"),
    (["--map", "收件时间=delivered"], "delivered"),
    (["--platform", "myspace"], "myspace"),
])
def test_bad_options_exit_2(tmp_path, cli, args, needle):
    src = order_csv(tmp_path / "orders.csv", ROWS)
    r = cli("orders", "check", src, *args)
    assert r.code == 2 and needle in r.err and "Traceback" not in r.err


def test_refuses_to_overwrite_the_export(tmp_path, cli):
    src = order_csv(tmp_path / "orders.csv", ROWS)
    before = src.read_bytes()
    r = cli("orders", "check", src, "--out", src)
    assert r.code == 2 and src.read_bytes() == before


def test_not_an_order_export(tmp_path, cli):
    src = tmp_path / "fans.csv"
    src.write_text("昵称,等级\n张三,3\n", encoding="utf-8")
    r = cli("orders", "check", src)
    assert r.code == 2 and "--map" in r.err


def test_password_protected_export(tmp_path, cli):
    src = tmp_path / "orders.xlsx"
    src.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    r = cli("orders", "check", src)
    assert r.code == 2 and "密码" in r.err
