"""xiabo payouts: the month table, JSON, the xlsx with formulas, bad input (exit 2), the letter."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

FIXTURES = Path(__file__).parents[2] / "fixtures" / "payouts"
EXAMPLES = Path(__file__).parents[3] / "examples"
STATEMENT = str(FIXTURES / "agency_2025h2.csv")
TERMS = str(FIXTURES / "terms.yaml")


def test_month_table_in_chinese(cli):
    r = cli("dispute", "payouts", STATEMENT, "--terms", TERMS, "--today", "2026-01-10")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    header = next(x for x in lines if x.startswith("月份"))
    assert "应得" in header and "欠付" in header and "代扣个税" in header
    aug = next(x for x in lines if x.startswith("2025-08"))
    assert "3,000.00" in aug and "1,000.00" in aug and "58.50" in aug and "欠付" in aug
    assert next(x for x in lines if x.startswith("2025-09")).endswith("缺结算单")
    assert "500.00 *" in next(x for x in lines if x.startswith("2025-10"))
    assert "欠付 ¥6,000.00（4 个月）" in r.out and "逾期利息 ¥230.00" in r.out
    assert "2025-10：结算单按 50% 分成，合同这个月是 60%" in r.out
    assert "不是法律意见" in r.out and "国家税务总局公告2025年第16号" in r.out
    assert "split" not in r.out and "not_due" not in r.out  # no keys in what a user reads


def test_english(cli):
    r = cli("dispute", "payouts", STATEMENT, "--terms", TERMS, "--today", "2026-01-10", "--lang", "en")
    assert r.code == 0, r.err
    assert "Owed ¥6,000.00 (4 months)" in r.out and "no statement" in r.out


def test_json(cli):
    r = cli("dispute", "payouts", STATEMENT, "--terms", TERMS, "--today", "2026-01-10", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["schema"] == "xiabo.payouts/1" and data["shortfall_total"] == "6000.00"
    assert [m["month"] for m in data["months"]][:3] == ["2025-07", "2025-08", "2025-09"]
    assert data["months"][1]["interest"] == "58.50"
    assert "common.tax.labour_withholding_method" in data["rules"]


def test_xlsx_has_formulas_and_values(cli, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "对账.xlsx"
    r = cli("dispute", "payouts", STATEMENT, "--terms", TERMS, "--today", "2026-01-10", "--xlsx", str(out))
    assert r.code == 0, r.err
    ws = load_workbook(out).active
    assert ws["A2"].value == "月份" and ws["A4"].value == "2025-08"
    assert ws["D4"].value == 2000 and ws["F4"].value == 1000  # share, top-up
    assert ws["G4"].value == "=D4+F4" and ws["L4"].value == "=MAX(G4-K4,0)"
    assert ws["K4"].value == "=H4+I4" and ws["O4"].value == 58.5
    assert ws["J6"].value == "*" and ws["J4"].value is None  # the platform withholds from 10-01
    assert ws["L8"].value == 0  # December: not due yet, a value, not the formula
    assert ws["A9"].value == "合计" and ws["L9"].value == "=SUM(L3:L8)"


def test_xlsx_opens_in_libreoffice_and_the_formulas_agree(cli, tmp_path):
    import csv
    import shutil
    import subprocess

    import pytest

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-calc-nogui)")
    out = tmp_path / "out.xlsx"
    assert cli("dispute", "payouts", STATEMENT, "--terms", TERMS, "--today", "2026-01-10",
               "--xlsx", str(out)).code == 0
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir",
                    str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    rows = list(csv.reader((tmp_path / "out.csv").read_text("utf-8").splitlines()))
    # LibreOffice computed the formulas: August owed 1,000; the total owed 6,000
    assert rows[3][0] == "2025-08" and rows[3][11] == "1,000.00"
    assert rows[8][0] == "合计" and rows[8][11] == "6,000.00" and rows[8][14] == "230.00"


def test_xlsx_statement_and_two_files(cli, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["平台结算明细"])
    ws.append(["所属月份", "收入", "已结算金额"])
    ws.append(["2025-09", 2000, 500])
    wb.save(tmp_path / "platform.xlsx")
    r = cli("dispute", "payouts", STATEMENT, str(tmp_path / "platform.xlsx"), "--terms", TERMS,
            "--today", "2026-01-10", "--json")
    assert r.code == 0, r.err
    sep = json.loads(r.out)["months"][2]
    # 2,000 × 50 % = 1,000 < 3,000 → expected 3,000; received 500 → owed 2,500
    assert (sep["status"], sep["expected"], sep["shortfall"]) == ("short", "3000.00", "2500.00")


def test_unknown_layout_lists_columns_and_how_to_map(cli, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("期间,主播收入,发放\n2025-07,1000,500\n", encoding="utf-8")
    r = cli("dispute", "payouts", str(odd), "--terms", TERMS)
    assert r.code == 2
    assert "期间、主播收入、发放" in r.err and "--map" in r.err and "2025-07" not in r.err
    assert "Traceback" not in r.err
    r = cli("dispute", "payouts", str(odd), "--terms", TERMS, "--map", "发放=paid",
            "--map", "主播收入=turnover", "--today", "2025-09-01", "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["months"][0]["received"] == "500.00"


def test_bad_cell_names_file_row_column(cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("月份,流水,实发\n2025-07,1000,500\n2025-08,一千,500\n", encoding="utf-8")
    before = bad.read_bytes()
    r = cli("dispute", "payouts", str(bad), "--terms", TERMS)
    assert r.code == 2 and "bad.csv" in r.err and "第 3 行" in r.err and "流水" in r.err
    assert "一千" in r.err and bad.read_bytes() == before


def test_bad_terms_name_the_key(cli, tmp_path):
    terms = tmp_path / "terms.yaml"
    terms.write_text("split: [{from: 2025-13, share: 50%}]\n", encoding="utf-8")
    r = cli("dispute", "payouts", STATEMENT, "--terms", str(terms))
    assert r.code == 2 and "split[1].from" in r.err and "2025-13" in r.err
    terms.write_text("split: 150%\n", encoding="utf-8")
    r = cli("dispute", "payouts", STATEMENT, "--terms", str(terms))
    assert r.code == 2 and "split" in r.err
    r = cli("dispute", "payouts", STATEMENT, "--terms", str(tmp_path / "nope.yaml"))
    assert r.code == 2 and "nope.yaml" in r.err
    r = cli("dispute", "payouts", STATEMENT, "--terms", TERMS, "--map", "x=nothing")
    assert r.code == 2 and "nothing" in r.err


def test_dispute_profile_keys_are_read(cli, tmp_path):
    dispute = tmp_path / "dispute.yaml"
    dispute.write_text("contract:\n  split: 50%\n  guarantee_cny: 3000\nfacts: {clock_in: true}\n",
                       encoding="utf-8")
    r = cli("dispute", "payouts", STATEMENT, "--terms", str(dispute), "--today", "2026-01-10", "--json")
    assert r.code == 0, r.err
    # 50 % all through: October 10,000 × 50 % = 5,000, received 5,000 → nothing owed
    months = {m["month"]: m for m in json.loads(r.out)["months"]}
    assert months["2025-10"]["shortfall"] == "0.00"
    assert months["2025-08"]["shortfall"] == "1000.00"


def test_fills_the_settlement_demand(cli, tmp_path):
    profile = tmp_path / "profile.yaml"
    shutil.copy(EXAMPLES / "kuaishou.yaml", profile)
    r = cli("letters", "new", "settlement", str(profile), "--today", "2026-01-10")
    assert r.code == 0, r.err
    lid = r.out.strip()
    r = cli("dispute", "payouts", STATEMENT, "--terms", TERMS, "--today", "2026-01-10",
            "--letter", lid, "--profile", str(profile))
    assert r.code == 0, r.err
    text = (tmp_path / "letters" / lid / "letter.md").read_text("utf-8")
    # gift share owed: Oct 6,000 − 5,000 = 1,000; guarantee top-ups owed: Aug 1,000, Sep 3,000,
    # Nov 1,000 (received 2,000 paid the 2,000 share first)
    assert "直播打赏分成：¥1,000.00（2025-10 ¥1,000.00）" in text
    assert "保底收入或报酬：¥5,000.00（2025-08 ¥1,000.00、2025-09 ¥3,000.00、2025-11 ¥1,000.00）" \
        in text
    assert "金额（元）和所属月份" not in text
    r = cli("dispute", "payouts", STATEMENT, "--terms", TERMS, "--letter", lid)
    assert r.code == 2 and "--profile" in r.err


def test_help_example_is_a_valid_terms_file():
    import yaml

    from xiabo.dispute.payouts import terms_from_dict
    from xiabo.i18n import t

    for lang in ("zh", "en"):
        example = t("payouts.help.example", lang).split("\\b", 1)[1]
        terms = terms_from_dict(yaml.safe_load(example))
        assert len(terms.split) == 2 and terms.pay_day == 15 and terms.rate_per == "day"


def test_hidden_but_runnable(cli):
    r = cli("--help")
    assert "payouts" not in r.out
    r = cli("dispute", "payouts", "--help")
    assert r.code == 0 and "terms.yaml" in r.out


def test_log_records_the_statements_as_evidence(cli, tmp_path):
    from xiabo.evidence.log import EvidenceLog

    folder = tmp_path / "ev"
    r = cli("dispute", "payouts", STATEMENT, "--terms", TERMS, "--today", "2026-01-10",
            "--evidence", str(folder))
    assert r.code == 0, r.err
    assert "已把 1 个结算单记进证据日志" in r.out
    entries = [json.loads(p) for i, p in EvidenceLog.open(folder).entries() if i]
    assert entries[0]["file"] == "agency_2025h2.csv" and entries[0]["task"] == "payouts"
