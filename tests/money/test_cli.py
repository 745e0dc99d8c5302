"""``xiabo tax …`` in-process: JSON content, text labels, bad input exits 2."""

import json

import pytest

LEDGER = ("日期,平台,收入(税前),已扣税\n2026-01-10,快手,10000,90\n2026-02-10,快手,20000,330\n"
          "2026-03-10,快手,3000,0\n2026-04-10,快手,50000,1700\n2026-02-01,抖音,5000,0\n")


@pytest.fixture
def ledger(tmp_path):
    path = tmp_path / "收入台账.csv"
    path.write_bytes(LEDGER.encode("gbk"))
    return path


def test_labour_json_before_switch(cli):
    r = cli("tax", "labour", "--amount", "30000", "--date", "2025-09-30", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["tax"] == "5200.00" and data["net"] == "24800.00"
    assert data["taxable"] == "24000.00" and data["rate"] == "0.30"
    assert data["quick_deduction"] == "2000.00" and data["method"] == "per_payment"
    assert data["superseded"] is False and data["cumulative_first_month"] is None
    assert data["rules"]["tax"] == ["common.tax.labour_per_payment_table"]


def test_labour_after_switch_points_to_cumulative(cli):
    r = cli("tax", "labour", "--amount", "10000", "--date", "2025-10-01", "--json", "--lang", "en")
    data = json.loads(r.out)
    assert data["method"] == "cumulative" and data["superseded"] is True
    assert data["tax"] == "1600.00"  # the per-payment figure, labelled as superseded
    first = data["cumulative_first_month"]
    assert first["withholding"] == "90.00" and first["cumulative_taxable"] == "3000.00"
    assert first["net"] == "9910.00"
    assert "cumulative" in data["notice"] and "2025-10-01" in data["notice"]
    text = cli("tax", "labour", "--amount", "10000", "--date", "2025-10-01").out
    assert "仅供对照" in text and "xiabo tax cumulative" in text and "90.00" in text


def test_labour_text_zh(cli):
    r = cli("tax", "labour", "--amount", "2000", "--today", "2025-03-01")
    assert r.code == 0
    assert "2025-03-01" in r.out and "240.00" in r.out and "1760.00" in r.out
    assert "common.tax.labour_fixed_cost_cny" in r.out


def test_cumulative_json(cli, ledger):
    r = cli("tax", "cumulative", "--ledger", str(ledger), "--year", "2026", "--platform", "快手",
            "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    (k,) = data["platforms"]
    assert k["platform"] == "kuaishou"
    assert [m["withholding"] for m in k["months"]] == ["90.00", "330.00", "0.00", "1700.00"]
    assert k["total_withholding"] == "2120.00" and k["difference"] == "0.00"


def test_cumulative_text_all_platforms(cli, ledger):
    r = cli("tax", "cumulative", "--ledger", str(ledger), "--year", "2026", "--lang", "en")
    assert r.code == 0, r.err
    assert "douyin" in r.out and "kuaishou" in r.out and "1700.00" in r.out


def test_annual_json(cli, ledger):
    r = cli("tax", "annual", "--ledger", str(ledger), "--year", "2026", "--wages", "0", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    # labour 88,000 → 70,400 − 60,000 = 10,400 × 3% = 312; withheld 2,120 → refund 1,808
    assert data["labour_gross"] == "88000.00" and data["taxable"] == "10400.00"
    assert data["tax_due"] == "312.00" and data["withheld"] == "2120.00"
    assert data["refund"] == "1808.00" and data["filing_status"] == "refund_optional"
    assert data["filing_required"] is False
    assert data["window_start"] == "2027-03-01" and data["window_end"] == "2027-06-30"
    lines = {line["key"]: line for line in data["lines"]}
    assert lines["basic_deduction"]["rules"] == ["common.tax.annual_basic_deduction_cny"]
    assert "1808.00" in data["message"] and "2027-03-01" in data["message"]


def test_annual_without_ledger_required_filing(cli):
    r = cli("tax", "annual", "--year", "2026", "--wages", "300000", "--lang", "en")
    assert r.code == 0, r.err
    # 300,000 − 60,000 = 240,000 × 20% − 16,920 = 31,080, nothing withheld
    assert "31080.00" in r.out and "must file" in r.out and "2027-06-30" in r.out


def test_studio(cli):
    r = cli("tax", "studio", "--profit", "100000", "--year", "2026", "--json")
    data = json.loads(r.out)
    assert data["tax"] == "9500.00" and data["after_tax"] == "90500.00"
    r = cli("tax", "studio", "--profit", "100000", "--year", "2026", "--no-comprehensive-income")
    assert "2500.00" in r.out


@pytest.mark.parametrize("args, field", [
    (("labour", "--amount", "-5"), "--amount"),
    (("labour", "--amount", "abc"), "--amount"),
    (("labour", "--amount", "1", "--date", "2025-02-30"), "--date"),
    (("labour", "--amount", "1", "--date", "2010-01-01"), "--date"),
    (("studio", "--profit", "1", "--year", "20x6"), "--year"),
    (("annual", "--year", "2026", "--wages", "1e"), "--wages"),
])
def test_bad_input_exits_2(cli, args, field):
    r = cli("tax", *args, "--lang", "en")
    assert r.code == 2
    assert f"Option: {field}" in r.err and "How to fix:" in r.err
    assert "Traceback" not in r.err


def test_missing_and_bad_ledger(cli, tmp_path):
    r = cli("tax", "annual", "--ledger", str(tmp_path / "none.csv"), "--year", "2026")
    assert r.code == 2 and "找不到收入台账文件" in r.err and "怎么改" in r.err
    bad = tmp_path / "bad.csv"
    bad.write_text("date,platform,gross,withheld\n2026-01-01,ks,x,0\n2026-01-02,ks,1,y\n",
                   encoding="utf-8")
    r = cli("tax", "cumulative", "--ledger", str(bad), "--year", "2026", "--lang", "en")
    assert r.code == 2
    assert "line 2, column gross" in r.err and "line 3, column withheld" in r.err
    assert f"File: {bad}" in r.err


def test_no_payouts_for_year(cli, ledger):
    r = cli("tax", "cumulative", "--ledger", str(ledger), "--year", "2024")
    assert r.code == 2 and "2024" in r.err


def test_help_is_translated(cli):
    zh = cli("tax", "labour", "--help")
    en = cli("tax", "labour", "--help", "--lang", "en")
    assert zh.code == 0 and "按次预扣" in zh.out and "税前金额" in zh.out
    assert "per-payment" in en.out and "before tax" in en.out
