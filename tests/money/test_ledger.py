"""Payout ledgers: CSV (UTF-8, BOM, GBK), XLSX, Chinese headers, every bad row reported."""

from datetime import date, datetime

import pytest

from xiabo.errors import UserError
from xiabo.money.ledger import LedgerRowsError, read_ledger

from .helpers import D

ZH = "日期,平台,收入(税前),已扣税\n2026-01-10,快手,10000,90\n2026/2/3,抖音,\"1,234.50\",\n" \
     "2026年3月4日,淘宝直播,￥200,0\n\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_chinese_headers_in_each_encoding(tmp_path, encoding):
    path = tmp_path / "ledger.csv"
    path.write_bytes(ZH.encode(encoding))
    rows = read_ledger(path)
    assert [(p.date, p.platform, p.gross, p.withheld) for p in rows] == [
        (date(2026, 1, 10), "kuaishou", D("10000.00"), D("90.00")),
        (date(2026, 2, 3), "douyin", D("1234.50"), D("0.00")),
        (date(2026, 3, 4), "taobao", D("200.00"), D("0.00")),
    ]
    assert [p.line for p in rows] == [2, 3, 4]


def test_full_width_parentheses_and_english_headers(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text("日期,平台,收入（税前）,已扣税\n2026-01-10,快手,100,0\n", encoding="utf-8")
    b = tmp_path / "b.csv"
    b.write_text("Date\tPlatform\tGross\tWithheld\n2026-01-09\tdouyin\t50\t1\n", encoding="utf-8")
    rows = read_ledger(a, b)  # several files merged, sorted by date
    assert [(p.platform, p.gross) for p in rows] == [("douyin", D("50.00")),
                                                      ("kuaishou", D("100.00"))]


def test_every_bad_row_is_reported_by_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("date,platform,gross,withheld\n2026-01-01,ks,100,0\n2026-02-30,ks,100,0\n"
                    "2026-03-01,,abc,0\n2026-04-01,ks,-5,0\n2026-05-01,ks,10,20\n",
                    encoding="utf-8")
    with pytest.raises(LedgerRowsError) as info:
        read_ledger(path)
    err = info.value
    assert [(line, col) for line, col, _, _ in err.problems] == [
        (3, "date"), (4, "platform"), (4, "gross"), (5, "gross"), (6, "withheld")]
    text = err.render("en")
    assert "line 3, column date" in text and "line 6, column withheld" in text
    assert "5 bad cells" in text and str(path) in text
    assert "第 4 行，gross 列，“abc”：不是数字" in err.render("zh")


def test_missing_file_columns_and_empty(tmp_path):
    with pytest.raises(UserError) as info:
        read_ledger(tmp_path / "nope.csv")
    assert info.value.key == "tax.err.ledger_missing"
    path = tmp_path / "cols.csv"
    path.write_text("日期,收入(税前)\n2026-01-01,100\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        read_ledger(path)
    assert info.value.key == "tax.err.ledger_columns"
    assert "platform" in info.value.params["columns"] and "withheld" in info.value.params["columns"]
    path.write_text("date,platform,gross,withheld\n\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        read_ledger(path)
    assert info.value.key == "tax.err.ledger_empty"


def test_undecodable_and_xls(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"date,platform,gross,withheld\n\xff\xfe\xfa,1,2,3\n")
    with pytest.raises(UserError) as info:
        read_ledger(path)
    assert info.value.key == "tax.err.ledger_encoding"
    old = tmp_path / "x.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UserError) as info:
        read_ledger(old)
    assert info.value.key == "tax.err.ledger_xls"
    fake = tmp_path / "x.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    with pytest.raises(UserError) as info:
        read_ledger(fake)
    assert info.value.key == "tax.err.ledger_xlsx"


def test_xlsx(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["日期", "平台", "收入(税前)", "已扣税"])
    ws.append([datetime(2026, 1, 10), "快手", 10000, 90])
    ws.append(["2026-02-10", "douyin", 1234.5, None])
    ws.append([None, None, None, None])
    ws.append(["bad", "douyin", "x", 0])
    path = tmp_path / "ledger.xlsx"
    wb.save(path)
    with pytest.raises(LedgerRowsError) as info:
        read_ledger(path)
    assert [(line, col) for line, col, _, _ in info.value.problems] == [(5, "日期"), (5, "收入(税前)")]
    ws.delete_rows(5)
    wb.save(path)
    rows = read_ledger(path)
    assert [(p.date, p.platform, p.gross, p.withheld) for p in rows] == [
        (date(2026, 1, 10), "kuaishou", D("10000.00"), D("90.00")),
        (date(2026, 2, 10), "douyin", D("1234.50"), D("0.00"))]


def test_input_file_is_not_modified(tmp_path):
    path = tmp_path / "ledger.csv"
    data = ZH.encode("gbk")
    path.write_bytes(data)
    read_ledger(path)
    assert path.read_bytes() == data


def test_title_row_above_the_header(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("2026年直播收入台账,,,\n,,,\n日期,平台,收入(税前),已扣税\n2026-01-10,快手,100,0\n",
                    encoding="utf-8")
    (p,) = read_ledger(path)
    assert p.line == 4 and p.gross == D("100.00")
