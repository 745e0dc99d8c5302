"""Purging: mask / drop-column / drop-row in every format; the original is never touched."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

import pytest

from xiabo.errors import UserError
from xiabo.privacy import purge_file, scan_file
from xiabo.tabular import read_table

from .files import HEADER, ORDER_NO, PLANTED, fan_csv, fan_json, fan_xlsx
from .ids import CARD, ID, MOBILE


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cells(path) -> list[list[str]]:
    return [r.cells for r in read_table(path)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_mask_csv_keeps_encoding_and_leaves_original(tmp_path, encoding):
    src = fan_csv(tmp_path / "fans.csv", encoding)
    before = digest(src)
    out = tmp_path / "clean.csv"
    summary = purge_file(src, out)
    assert digest(src) == before
    assert summary.total == 7 and summary.rows_in == summary.rows_out == 5
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    text = raw.decode("gb18030" if encoding == "gbk" else "utf-8-sig")
    assert "\r\n" in text
    for value in PLANTED:
        assert value not in text
    rows = cells(out)
    assert rows[0] == HEADER
    assert rows[1][:4] == ["张三", "138****5678", "z****8", "9****1"]
    assert rows[1][5] == ORDER_NO  # order numbers are not personal data
    assert rows[2][4] == f"身份证{ID[:4]}{'*' * 10}{ID[-4:]}，卡号{CARD[:4]}{'*' * 11}{CARD[-4:]}"
    assert scan_file(out).total == 0


def test_drop_column_csv(tmp_path):
    src = fan_csv(tmp_path / "fans.csv")
    summary = purge_file(src, tmp_path / "clean.csv", mode="drop-column")
    rows = cells(tmp_path / "clean.csv")
    assert rows[0] == ["昵称", "订单号"]
    assert rows[1] == ["张三", ORDER_NO]
    assert summary.columns_dropped == ["B (手机号)", "C (微信号)", "D (QQ)", "E (备注)"]


def test_drop_row_csv(tmp_path):
    src = fan_csv(tmp_path / "fans.csv")
    summary = purge_file(src, tmp_path / "clean.csv", mode="drop-row")
    assert cells(tmp_path / "clean.csv") == [HEADER, ["赵六", "", "", "", "普通留言，没有个人信息", ""]]
    assert summary.rows_dropped == 3


def test_types_restrict_what_is_purged(tmp_path):
    src = fan_csv(tmp_path / "fans.csv")
    summary = purge_file(src, tmp_path / "clean.csv", types=["mobile"])
    assert summary.total == 1
    report = scan_file(tmp_path / "clean.csv")
    assert report.counts["mobile"] == 0 and report.counts["id_card"] == 1


def test_xlsx_mask_keeps_sheets_and_types(tmp_path):
    import openpyxl

    src = fan_xlsx(tmp_path / "fans.xlsx")
    before = digest(src)
    purge_file(src, tmp_path / "clean.xlsx")
    assert digest(src) == before
    wb = openpyxl.load_workbook(tmp_path / "clean.xlsx")
    assert wb.sheetnames == ["粉丝", "直播间", "空表"]
    live = list(wb["直播间"].values)
    assert live[1] == (datetime(2024, 5, 1, 20, 0), 128.5, "电话 138****5678")
    assert live[2][1] == 7
    assert scan_file(tmp_path / "clean.xlsx").total == 0


def test_xlsx_drop_row_and_column(tmp_path):
    src = fan_xlsx(tmp_path / "fans.xlsx")
    purge_file(src, tmp_path / "rows.xlsx", mode="drop-row")
    rows = list(read_table(tmp_path / "rows.xlsx"))
    assert [r.cells[0] for r in rows if r.sheet == "粉丝"] == ["昵称", "赵六"]
    assert [r.number for r in rows if r.sheet == "直播间"] == [1, 2]
    summary = purge_file(src, tmp_path / "cols.xlsx", mode="drop-column")
    assert "直播间!C (联系方式)" in summary.columns_dropped
    live = next(r.cells for r in read_table(tmp_path / "cols.xlsx") if r.sheet == "直播间")
    assert live == ["日期", "金额"]


def test_json_records_all_modes(tmp_path):
    src = fan_json(tmp_path / "fans.json")
    purge_file(src, tmp_path / "m.json")
    masked = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert masked[0]["手机号"] == "138****5678" and masked[0]["微信号"] == "z****8"
    assert masked[0]["订单号"] == ORDER_NO
    purge_file(src, tmp_path / "r.json", mode="drop-row")
    assert [r["昵称"] for r in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))] == ["赵六"]
    purge_file(src, tmp_path / "c.json", mode="drop-column")
    assert list(json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))[0]) == ["昵称", "订单号"]


def test_json_other_shapes_mask_only(tmp_path):
    src = tmp_path / "nested.json"
    src.write_text(json.dumps({"fans": [{"info": {"tel": MOBILE, "n": 13912345678}}]}), encoding="utf-8")
    purge_file(src, tmp_path / "m.json")
    assert json.loads((tmp_path / "m.json").read_text())["fans"][0]["info"] == {
        "tel": "138****5678", "n": "139****5678"}
    with pytest.raises(UserError) as exc:
        purge_file(src, tmp_path / "r.json", mode="drop-row")
    assert exc.value.key == "privacy.purge.json_shape"
    assert not (tmp_path / "r.json").exists()


def test_txt_mask_and_drop_row(tmp_path):
    src = tmp_path / "chat.txt"
    src.write_text(f"你好\n电话{MOBILE}\n再见\n", encoding="utf-8")
    purge_file(src, tmp_path / "m.txt")
    assert (tmp_path / "m.txt").read_text(encoding="utf-8") == "你好\n电话138****5678\n再见\n"
    purge_file(src, tmp_path / "r.txt", mode="drop-row")
    assert (tmp_path / "r.txt").read_text(encoding="utf-8") == "你好\n再见\n"
    with pytest.raises(UserError) as exc:
        purge_file(src, tmp_path / "c.txt", mode="drop-column")
    assert exc.value.key == "privacy.purge.no_columns"


def test_refuses_to_overwrite_the_input(tmp_path, cli):
    src = fan_csv(tmp_path / "fans.csv")
    before = digest(src)
    r = cli("privacy", "purge", src, "--out", src)
    assert r.code == 2 and "原文件" in r.err
    r = cli("privacy", "purge", src, "--out", tmp_path / "." / "fans.csv", "--force")
    assert r.code == 2
    (tmp_path / "link.csv").hardlink_to(src)
    r = cli("privacy", "purge", src, "--out", tmp_path / "link.csv", "--force")
    assert r.code == 2
    assert digest(src) == before


def test_refuses_existing_out_unless_force(tmp_path, cli):
    src = fan_csv(tmp_path / "fans.csv")
    out = tmp_path / "clean.csv"
    out.write_text("keep me", encoding="utf-8")
    r = cli("privacy", "purge", src, "--out", out)
    assert r.code == 2 and "--force" in r.err
    assert out.read_text(encoding="utf-8") == "keep me"
    r = cli("privacy", "purge", src, "--out", out, "--force")
    assert r.code == 0 and MOBILE not in out.read_text(encoding="utf-8")


def test_failure_leaves_no_partial_file(tmp_path, monkeypatch):
    from xiabo.privacy import purge as purge_mod

    def boom(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(purge_mod, "mask_text", boom)
    src = fan_csv(tmp_path / "fans.csv")
    with pytest.raises(RuntimeError):
        purge_file(src, tmp_path / "clean.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fans.csv"]


@pytest.mark.parametrize("args, key", [
    (["--mode", "shred"], "shred"),
    (["--types", "passport"], "passport"),
])
def test_cli_bad_options(tmp_path, cli, args, key):
    r = cli("privacy", "purge", fan_csv(tmp_path / "fans.csv"), "--out", tmp_path / "o.csv", *args)
    assert r.code == 2 and key in r.err


def test_cli_extension_mismatch_and_missing_dir(tmp_path, cli):
    src = fan_csv(tmp_path / "fans.csv")
    assert cli("privacy", "purge", src, "--out", tmp_path / "o.xlsx").code == 2
    assert cli("privacy", "purge", src, "--out", tmp_path / "no" / "o.csv").code == 2


def test_cli_purge_summary_and_json(tmp_path, cli):
    src = fan_csv(tmp_path / "fans.csv")
    r = cli("privacy", "purge", src, "--out", tmp_path / "o.csv", "--mode", "drop-row")
    assert r.code == 0 and "删去 3" in r.out and "未改动" in r.out
    r = cli("privacy", "purge", src, "--out", tmp_path / "o2.csv", "--json")
    data = json.loads(r.out)
    assert data["total"] == 7 and data["mode"] == "mask" and data["rows_dropped"] == 0
    for value in PLANTED:
        assert value not in r.out
