"""`xiabo plan` reads what the toolkits recorded for the case: evidence entries, backups."""

import json

from ..conftest import EXAMPLES

EXAMPLE = str(EXAMPLES / "kuaishou.yaml")


def test_plan_counts_evidence_entries_per_task(cli, tmp_path):
    assert cli("evidence", "init").code == 0
    receipt = tmp_path / "ems-receipt.jpg"
    receipt.write_bytes(b"\xff\xd8fake jpeg")
    r = cli("evidence", "add", str(receipt), "--kind", "receipt", "--task", "mcn-notice",
            "--note", "EMS 回执", "--time", "2026-12-01T10:00")
    assert r.code == 0, r.err
    assert cli("evidence", "add", "--note", "已电话通知公会", "--task", "mcn-notice",
               "--time", "2026-12-01T11:00").code == 0
    r = cli("plan", EXAMPLE, "--today", "2026-11-25", "--format", "json")
    tasks = {t["id"]: t for t in json.loads(r.out)["tasks"]}
    assert tasks["mcn-notice"]["evidence_entries"] == 2
    assert tasks["last-live"]["evidence_entries"] == 0
    text = cli("plan", EXAMPLE, "--today", "2026-11-25").out
    assert "证据 2 条" in text


def test_plan_without_evidence_log_has_no_counts(cli):
    r = cli("plan", EXAMPLE, "--today", "2026-11-25", "--format", "json")
    assert all("evidence_entries" not in t for t in json.loads(r.out)["tasks"])


def test_plan_reads_verified_backups(cli, tmp_path):
    src = tmp_path / "replays"
    src.mkdir()
    (src / "2026-11-20 直播回放.mp4").write_bytes(b"video" * 1000)
    dest = tmp_path / "nas"
    dest.mkdir()
    r = cli("backup", "create", str(src), "--to", str(dest), "--class", "recordings",
            "--platform", "kuaishou")
    assert r.code == 0, r.err
    bags = [p for p in dest.iterdir() if p.is_dir()]
    assert cli("backup", "verify", str(bags[0])).code == 0
    r = cli("plan", EXAMPLE, "--today", "2026-11-25", "--format", "json")
    data = json.loads(r.out)
    blockers = {b["id"] for b in data["blockers"]}
    assert "backup:recordings" not in blockers and "backup:fan_profile" in blockers
    rec = next(t for t in data["tasks"] if t["id"] == "backup-recordings")
    assert rec["status"] == "done"
    assert any("3-2-1" in s for s in rec["steps"])


def test_plan_takes_shop_closing_from_the_order_export(cli, tmp_path):
    export = tmp_path / "orders.csv"
    export.write_text(
        "订单号,订单状态,下单时间,发货时间,签收时间,售后状态,实付金额\n"
        "A1,已签收,2027-01-02 10:00,2027-01-03 09:00,2027-01-20 12:00,,59.90\n"
        "A2,待发货,2027-01-21 08:00,,,,19.00\n", encoding="utf-8")
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "name: 小店主\nplatform: kuaishou\nstart: 2026-12-01\n"
        "shop: {open_orders: 1, orders_export: orders.csv}\n", encoding="utf-8")
    r = cli("plan", str(profile), "--today", "2027-01-25", "--format", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    close = next(t for t in data["tasks"] if t["id"] == "close-shop")
    # today + 30-day notice (2027-02-24) is later than the last return window (received 01-20 + 7)
    assert close["due"] == "2027-02-24"
