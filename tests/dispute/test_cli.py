"""``xiabo dispute``: the profile's errors (file, field, fix, exit 2, file untouched), the
interview, show/checklist in both languages, and the bundle — its PDF shows every checklist
item to pdftotext and its evidence bundle verifies with the bundled verifier."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from xiabo.i18n import t

FULL = {"contract": {"type": "brokerage", "ends_on": "2027-12-31",
                     "penalty": {"kind": "higher_of", "fixed_cny": 1000000, "multiple": 5},
                     "guarantee_monthly_cny": 3000, "streamer_share": 0.6,
                     "non_compete": {"has": True, "months": 12, "pay_monthly_cny": 0}},
        "work": {"hours_set_by_agency": True, "clock_in": True, "fixed_monthly_pay": True},
        "agency": {"claim_cny": 35000, "guarantee_unpaid_months": 2, "promised_traffic_missing": True},
        "streamer": {"student": True, "monthly_income_cny": 4000, "months_performed": 6}}


def _write(path: Path, data) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("text, field", [
    ("contract:\n  streamer_share: 1.5\n", "contract.streamer_share"),
    ("contract:\n  type: 打工\n", "contract.type"),
    ("agency:\n  claim_cny: -5\n", "agency.claim_cny"),
    ("streamer:\n  studnet: true\n", "streamer.studnet"),
])
def test_a_bad_dispute_profile_names_file_field_and_fix(cli, tmp_path, text, field):
    f = tmp_path / "dispute.yaml"
    f.write_text(text, encoding="utf-8")
    r = cli("dispute", "show", "--dispute", str(f), "--today", "2026-12-07")
    assert r.code == 2 and "Traceback" not in r.err
    assert str(f) in r.err and field in r.err
    assert f.read_text(encoding="utf-8") == text


def test_bad_yaml_and_a_missing_file(cli, tmp_path):
    f = tmp_path / "dispute.yaml"
    f.write_text("contract: [\n", encoding="utf-8")
    r = cli("dispute", "show", "--dispute", str(f))
    assert r.code == 2 and "YAML" in r.err
    r = cli("dispute", "show", "--dispute", str(tmp_path / "none.yaml"), "--lang", "en")
    assert r.code == 2 and "xiabo dispute init" in r.err


def test_show_says_the_ranges_the_cases_the_relationship_and_not_advice(cli, tmp_path):
    f = _write(tmp_path / "dispute.yaml", FULL)
    for lang in ("zh", "en"):
        r = cli("dispute", "show", "--dispute", str(f), "--today", "2026-12-07", "--lang", lang)
        assert r.code == 0, r.err
        for key in ("dispute.h.exposure", "dispute.h.cases", "dispute.h.relationship",
                    "dispute.h.checklist", "dispute.h.lawyer", "dispute.not_advice"):
            assert t(key, lang) in r.out
        assert "1,000,000.00" in r.out and "24,960.00" in r.out
    # hours set, clock-in, a fixed pay, and so the revenue share is not the main pay: four
    assert t("dispute.rel.verdict.labour", "en", labour=4, cooperation=0) in r.out
    r = cli("dispute", "show", "--dispute", str(f), "--today", "2026-12-07", "--json")
    data = json.loads(r.out)
    assert data["relationship"]["verdict"] == "labour"
    assert data["exposure"]["as_written"] == "1000000.00"
    assert "non_compete" in data["exposure"]["lawyer_now"] and "labour" in data["exposure"]["lawyer_now"]


def test_init_writes_a_profile_from_answers(cli, tmp_path):
    out = tmp_path / "dispute.yaml"
    # answers in order; Enter skips an optional one
    answers = ["经纪合同", "2025-03-01", "2027-12-31", "两者取高", "100万", "5", "3000", "60", "是", "12",
               "0", "", "是", "是", "否", "", "我自己", "我本人", "2024-05-01", "3万", "2", "是", "", "否",
               "是", "4000", "6"]
    r = cli("dispute", "init", "--out", str(out), "--today", "2026-12-07", stdin="\n".join(answers) + "\n")
    assert r.code == 0, r.out + r.err
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["contract"]["penalty"] == {"kind": "higher_of", "fixed_cny": "1000000", "multiple": "5"}
    assert data["work"] == {"hours_set_by_agency": True, "clock_in": True, "fixed_monthly_pay": False,
                            "account": {"registered_by": "streamer", "real_name": "streamer",
                                        "registered_on": "2024-05-01"}}  # the skipped one is left out
    assert data["contract"]["streamer_share"] == "0.6"
    assert data["work"]["account"]["registered_by"] == "streamer"
    assert data["agency"]["claim_cny"] == "30000"
    shown = cli("dispute", "show", "--dispute", str(out), "--today", "2026-12-07")
    assert t("dispute.account.yours_before", "zh") in shown.out  # registered before signing
    again = cli("dispute", "init", "--out", str(out))
    assert again.code == 2 and "--force" in again.err


def test_checklist_counts_tagged_evidence_and_the_bundle_verifies(cli, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed (poppler-utils)")
    f = _write(tmp_path / "dispute.yaml", FULL)
    contract = tmp_path / "合同.txt"
    contract.write_text("经纪合同全文", encoding="utf-8")
    assert cli("evidence", "init").code == 0
    r = cli("evidence", "add", str(contract), "--task", "dispute.contract", "--kind", "contract")
    assert r.code == 0, r.err
    r = cli("dispute", "checklist", "--dispute", str(f), "--json")
    rows = {row["item"]: row for row in json.loads(r.out)}
    assert rows["contract"]["present"] and rows["contract"]["count"] == 1
    assert not rows["payouts"]["present"] and "worktime" in rows and "non_compete_pay" in rows
    out = tmp_path / "bundle"
    r = cli("dispute", "bundle", "--out", str(out), "--dispute", str(f), "--today", "2026-12-07")
    assert r.code == 0, r.err
    text = subprocess.run(["pdftotext", "-layout", str(out / "dispute.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    for item in rows:
        assert "".join(t(f"dispute.item.{item}", "zh").split()) in flat, item
    assert "".join(t("dispute.check.present", "zh").split()) in flat
    assert "".join(t("dispute.not_advice", "zh").split()) in flat
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(out / "evidence-bundle.zip") as z:
        z.extractall(unpacked)
    v = subprocess.run([sys.executable, str(unpacked / "verify_bundle.py"), str(unpacked)],
                       capture_output=True, text=True)
    assert v.returncode == 0, v.stdout + v.stderr
    assert (unpacked / "files" / "00000001" / "合同.txt").read_text(encoding="utf-8") == "经纪合同全文"


def test_init_asks_again_for_an_answer_the_profile_refuses(cli, tmp_path):
    out = tmp_path / "dispute.yaml"
    # 25 questions (no non-compete); the fixed part in tenths of a fen and a share of 150 % are
    # refused by the profile: each is asked again, alone, and the rest is kept
    answers = ["合作协议", "", "", "两者取高", "1000.555", "5", "", "150", "否"] + [""] * 16 + ["1000.5", "60"]
    r = cli("dispute", "init", "--out", str(out), "--today", "2026-12-07", stdin="\n".join(answers) + "\n")
    assert r.code == 0, r.out + r.err
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["contract"]["penalty"] == {"kind": "higher_of", "fixed_cny": "1000.5", "multiple": "5"}
    assert data["contract"]["streamer_share"] == "0.6"
    assert r.out.count("✗") == 2


def test_the_payouts_shortfall_of_the_case_is_set_off_in_the_exposure(cli, tmp_path):
    """`xiabo dispute payouts --case` keeps its result; `show --case` sets it off."""
    fixtures = Path(__file__).parents[1] / "fixtures" / "payouts"
    f = _write(tmp_path / "dispute.yaml", {"contract": {"type": "brokerage"},
                                           "agency": {"claim_cny": 50000}})

    def owed() -> str:
        r = cli("dispute", "show", "--dispute", str(f), "--case", "乙", "--today", "2026-01-10",
                "--json")
        assert r.code == 0, r.err
        return json.loads(r.out)["exposure"]["owed_to_streamer"]

    assert owed() == "0.00"
    r = cli("dispute", "payouts", str(fixtures / "agency_2025h2.csv"), "--terms",
            str(fixtures / "terms.yaml"), "--today", "2026-01-10", "--case", "乙", "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["shortfall_total"] == "6000.00"
    assert owed() == "6000.00"
