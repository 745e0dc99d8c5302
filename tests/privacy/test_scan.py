"""Scanning files: counts, locations, encodings, sheets, header context, the CLI."""

from __future__ import annotations

import json

import pytest

from xiabo.privacy import scan_file

from .files import EXPECTED, PLANTED, fan_csv, fan_json, fan_xlsx
from .ids import MOBILE


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_scan_csv_in_each_encoding(tmp_path, encoding):
    report = scan_file(fan_csv(tmp_path / "fans.csv", encoding))
    assert {k: v for k, v in report.counts.items() if v} == EXPECTED
    assert report.rows == 5
    where = {(loc.row, loc.column, loc.header, loc.type, loc.masked) for loc in report.findings}
    assert (2, 2, "手机号", "mobile", "138****5678") in where
    assert (2, 3, "微信号", "wechat", "z****8") in where      # bare value under a 微信 header
    assert (2, 4, "QQ", "qq", "9****1") in where               # bare value under a QQ header
    assert all(loc.column != 6 for loc in report.findings)     # 订单号 column: not bank cards


def test_scan_xlsx_with_several_sheets(tmp_path):
    report = scan_file(fan_xlsx(tmp_path / "fans.xlsx"))
    assert report.counts["mobile"] == 2
    other = [loc for loc in report.findings if loc.sheet == "直播间"]
    assert [(o.row, o.column, o.header, o.type) for o in other] == [(2, 3, "联系方式", "mobile")]
    assert report.encoding is None and report.format == "xlsx"


def test_scan_json_records(tmp_path):
    report = scan_file(fan_json(tmp_path / "fans.json"))
    assert {k: v for k, v in report.counts.items() if v} == EXPECTED
    assert any(loc.header == "微信号" and loc.row == 1 for loc in report.findings)


def test_header_with_personal_data_is_not_used_as_header(tmp_path):
    path = tmp_path / "noheader.csv"
    path.write_text(f"张三,{MOBILE}\n李四,13912345678\n", encoding="utf-8")
    report = scan_file(path)
    assert report.counts["mobile"] == 2
    assert all(loc.header is None for loc in report.findings)


def test_txt_lines_have_no_column(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text(f"你好\n我的电话是{MOBILE}\n", encoding="utf-8")
    report = scan_file(path)
    assert [(loc.row, loc.column) for loc in report.findings] == [(2, None)]


def test_keep_caps_locations_not_counts(tmp_path):
    rows = [["某某", f"1380000{i:04d}", "", "", "", ""] for i in range(50)]
    report = scan_file(fan_csv(tmp_path / "many.csv", rows=rows), keep=10)
    assert report.counts["mobile"] == 50 and len(report.findings) == 10 and report.truncated


def test_cli_scan_never_prints_a_full_identifier(tmp_path, cli):
    files = [fan_csv(tmp_path / "a.csv", "gbk"), fan_xlsx(tmp_path / "b.xlsx"),
             fan_json(tmp_path / "c.json")]
    for args in (["--json"], [], ["--lang", "en"], ["--json", "--limit", "3"]):
        r = cli("privacy", "scan", *files, *args)
        assert r.code == 1, r.err
        for value in PLANTED:
            assert value not in r.out and value not in r.err
    data = json.loads(cli("privacy", "scan", *files, "--json").out)
    assert data["total"] == 7 + 8 + 7 and data["address_best_effort"] is True
    assert data["files"][0]["encoding"] == "GB18030/GBK"
    assert {f["type"] for f in data["files"][0]["findings"]} == set(EXPECTED)


def test_cli_text_output(tmp_path, cli):
    r = cli("privacy", "scan", fan_csv(tmp_path / "a.csv"))
    assert "手机号：1" in r.out and "138****5678" in r.out and "B 列「手机号」" in r.out
    assert "尽力" in r.out and "个人信息保护法" in r.err
    r = cli("privacy", "scan", fan_csv(tmp_path / "a.csv"), "--lang", "en", "--types", "mobile,qq")
    assert "mobile number: 1" in r.out and "QQ number: 1" in r.out and "WeChat" not in r.out


def test_cli_clean_file_exits_0(tmp_path, cli):
    path = tmp_path / "clean.csv"
    path.write_text("昵称,等级\n张三,12\n", encoding="utf-8")
    r = cli("privacy", "scan", path)
    assert r.code == 0 and "没有发现个人信息" in r.out


@pytest.mark.parametrize("content, needle", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "密码"),
    (b"a,b\n\xff\xfe\xff\x80\n", "编码"),
    (b"PK\x03\x04broken", "损坏"),
])
def test_cli_bad_input_exits_2_with_a_clear_message(tmp_path, cli, content, needle):
    path = tmp_path / ("x.xlsx" if content.startswith((b"PK", b"\xd0")) else "x.csv")
    path.write_bytes(content)
    r = cli("privacy", "scan", path)
    assert r.code == 2
    assert needle in r.err and str(path) in r.err and "怎么改" in r.err
    assert "Traceback" not in r.err


def test_cli_bad_types_exit_2(tmp_path, cli):
    r = cli("privacy", "scan", fan_csv(tmp_path / "a.csv"), "--types", "passport")
    assert r.code == 2 and "passport" in r.err


def test_cli_missing_file(tmp_path, cli):
    r = cli("privacy", "scan", tmp_path / "nope.csv")
    assert r.code == 2 and "nope.csv" in r.err


def test_platform_id_columns_are_not_cards_or_mobiles(tmp_path):
    from .ids import make_card

    uid = make_card("58712345678901234")  # a Luhn-valid 18-digit user ID
    path = tmp_path / "ids.csv"
    path.write_text(f"用户ID,商品ID,手机号\n{uid},13912345678,{MOBILE}\n", encoding="utf-8")
    report = scan_file(path)
    assert [(loc.column, loc.type) for loc in report.findings] == [(3, "mobile")]


def test_cells_holding_the_internal_separators_still_map_to_their_column(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text(f"a,b\n\x1e\x1fx,电话\x1f{MOBILE}\n", encoding="utf-8")
    report = scan_file(path)
    assert [(loc.row, loc.column, loc.masked) for loc in report.findings] == [(2, 2, "138****5678")]
