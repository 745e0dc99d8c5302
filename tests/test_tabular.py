"""The shared safe reader: encodings, xlsx checks (encrypted, corrupt, zip bomb), row caps."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime

import pytest

from xiabo.errors import UserError
from xiabo.tabular import Limits, cell_text, detect_encoding, open_table, read_blocks, read_table

from .helpers import make_xlsx

ROWS = [["昵称", "手机号", "备注"], ["张三", "13812345678", "老粉，常来"], ["李四", "", "新粉"]]


def write_csv(path, rows, encoding, newline="\r\n"):
    text = newline.join(",".join(r) for r in rows) + newline
    path.write_bytes(text.encode(encoding))
    return path


def error_key(excinfo) -> str:
    return excinfo.value.key


@pytest.mark.parametrize("encoding, label", [
    ("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 (BOM)"), ("gbk", "GB18030/GBK"),
    ("gb18030", "GB18030/GBK"), ("utf-16", "UTF-16"),
])
def test_csv_encodings_are_detected(tmp_path, encoding, label):
    path = write_csv(tmp_path / "fans.csv", ROWS, encoding)
    info = open_table(path)
    assert info.kind == "csv" and info.encoding_label == label and info.newline == "\r\n"
    assert [r.cells for r in read_table(path)] == ROWS
    assert [r.number for r in read_table(path)] == [1, 2, 3]


def test_tab_separated_and_semicolon(tmp_path):
    tsv = tmp_path / "x.txt.tsv"
    tsv.write_text("a\tb\n1\t2\n", encoding="utf-8")
    assert [r.cells for r in read_table(tsv)] == [["a", "b"], ["1", "2"]]
    semi = tmp_path / "x.csv"
    semi.write_text("a;b\n1;2\n", encoding="utf-8")
    assert open_table(semi).delimiter == ";"


def test_gbk_detected_even_when_the_odd_byte_is_far_down(tmp_path):
    rows = [["a", "b"]] * 50_000 + [["张三", "北京"]]
    path = write_csv(tmp_path / "late.csv", rows, "gbk", "\n")
    assert detect_encoding(path) == "gb18030"
    assert list(read_table(path))[-1].cells == ["张三", "北京"]


def test_undecodable_bytes_are_a_user_error(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"name,phone\n\xff\xfe\xff\x80,1\n")
    with pytest.raises(UserError) as exc:
        open_table(path)
    assert error_key(exc) == "privacy.table.undecodable" and exc.value.file == str(path)
    assert exc.value.exit_code == 2


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(UserError) as exc:
        open_table(path)
    assert error_key(exc) == "privacy.table.binary"


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(UserError) as exc:
        open_table(tmp_path / "nope.csv")
    assert error_key(exc) == "errors.file_missing"
    with pytest.raises(UserError) as exc:
        open_table(tmp_path)
    assert error_key(exc) == "privacy.table.is_directory"


def test_xlsx_several_sheets_and_cell_types(tmp_path):
    path = make_xlsx(tmp_path / "fans.xlsx", {
        "粉丝": [["昵称", "手机号", "关注"], ["张三", 13812345678, datetime(2024, 5, 1, 8, 30)],
               [], ["李四", None, date(2024, 6, 1)]],
        "订单": [["订单号", "金额"], ["A1", 12.5], ["A2", 3.0]],
    })
    rows = list(read_table(path))
    assert [(r.sheet, r.number, r.cells) for r in rows] == [
        ("粉丝", 1, ["昵称", "手机号", "关注"]),
        ("粉丝", 2, ["张三", "13812345678", "2024-05-01 08:30:00"]),
        ("粉丝", 3, []),
        ("粉丝", 4, ["李四", "", "2024-06-01"]),
        ("订单", 1, ["订单号", "金额"]),
        ("订单", 2, ["A1", "12.5"]),
        ("订单", 3, ["A2", "3"]),
    ]
    blocks = list(read_blocks(path, size=2))
    assert [(b.sheet, b.first, len(b.rows)) for b in blocks] == [
        ("粉丝", 1, 2), ("粉丝", 3, 2), ("订单", 1, 2), ("订单", 3, 1)]


def test_cell_text():
    assert cell_text(13812345678.0) == "13812345678"
    assert cell_text(None) == "" and cell_text(True) == "TRUE"
    assert cell_text(datetime(2024, 1, 2)) == "2024-01-02"


def test_password_protected_xlsx_is_recognised(tmp_path):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(UserError) as exc:
        list(read_table(path))
    assert error_key(exc) == "privacy.table.ole2"
    assert exc.value.fix_key == "privacy.table.fix_ole2"


def test_encrypted_zip_member_flag_is_refused(tmp_path):
    path = make_xlsx(tmp_path / "enc.xlsx", {"S": [["a"]]})
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:  # set the "encrypted" bit in every central-directory entry
        data[at + 8] |= 0x01
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    with pytest.raises(UserError) as exc:
        open_table(path)
    assert error_key(exc) == "privacy.table.ole2"


def test_zip_bomb_ratio_is_refused(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\x00" * (3 << 20))  # ~1000:1
    assert path.stat().st_size < 20_000  # the fixture itself stays tiny
    with pytest.raises(UserError) as exc:
        open_table(path)
    assert error_key(exc) == "privacy.table.zip_bomb"


def test_total_unzipped_size_limit(tmp_path):
    path = make_xlsx(tmp_path / "big.xlsx", {"S": [["a"]]})
    with pytest.raises(UserError) as exc:
        open_table(path, Limits(max_unzipped=1000))
    assert error_key(exc) == "privacy.table.zip_bomb"


@pytest.mark.parametrize("content, key", [
    (b"PK\x03\x04garbage-not-a-zip", "privacy.table.corrupt_xlsx"),
    (b"hello,world\n", "privacy.table.not_xlsx"),
])
def test_corrupt_xlsx(tmp_path, content, key):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    with pytest.raises(UserError) as exc:
        list(read_table(path))
    assert error_key(exc) == key


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "doc.xlsx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    path.write_bytes(buf.getvalue())
    with pytest.raises(UserError) as exc:
        open_table(path)
    assert error_key(exc) == "privacy.table.not_xlsx"


def test_row_cap_csv_and_xlsx(tmp_path):
    csv_path = write_csv(tmp_path / "many.csv", [["x"]] * 10, "utf-8")
    for reader in (read_table, read_blocks):
        with pytest.raises(UserError) as exc:
            list(reader(csv_path, Limits(max_rows=5)))
        assert error_key(exc) == "privacy.table.too_many_rows"
    assert len(list(read_table(csv_path, Limits(max_rows=10)))) == 10
    xlsx = make_xlsx(tmp_path / "many.xlsx", {"S": [["x"]] * 10})
    with pytest.raises(UserError) as exc:
        list(read_table(xlsx, Limits(max_rows=5)))
    assert error_key(exc) == "privacy.table.too_many_rows"


def test_broken_csv_is_a_user_error(tmp_path):
    path = tmp_path / "huge-cell.csv"
    path.write_text('a,b\n"' + "x" * 200_000 + '",1\n', encoding="utf-8")
    with pytest.raises(UserError) as exc:
        list(read_table(path))
    assert error_key(exc) == "inputs.field_too_big" and exc.value.params["line"] == 2


def test_json_records_jsonl_and_other_shapes(tmp_path):
    rec = tmp_path / "fans.json"
    rec.write_text(json.dumps([{"昵称": "张三", "手机": 13812345678}, {"昵称": "李四", "备注": "x"}],
                              ensure_ascii=False), encoding="utf-8")
    assert [(r.number, r.cells) for r in read_table(rec)] == [
        (0, ["昵称", "手机", "备注"]), (1, ["张三", "13812345678", ""]), (2, ["李四", "", "x"])]
    lines = tmp_path / "fans.jsonl"
    lines.write_text('{"a": 1}\n\n{"a": 2, "b": "y"}\n', encoding="utf-8")
    assert [r.cells for r in read_table(lines)] == [["a", "b"], ["1", ""], ["2", "y"]]
    nested = tmp_path / "nested.json"
    nested.write_text('{"fans": {"zs": {"tel": "13812345678"}}}', encoding="utf-8")
    assert [r.cells for r in read_table(nested)] == [["path", "value"], ["/fans/zs/tel", "13812345678"]]


def test_bad_json(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('[{"a": 1},\n {"a": }]', encoding="utf-8")
    with pytest.raises(UserError) as exc:
        list(read_table(path))
    assert error_key(exc) == "privacy.table.bad_json" and exc.value.params["line"] == 2


def test_txt_lines(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_bytes("第一行\r\n第二行 13812345678\r\n".encode("gbk"))
    assert [(r.number, r.cells) for r in read_table(path)] == [(1, ["第一行"]), (2, ["第二行 13812345678"])]


def test_old_xls_is_explained(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"just text pretending")
    with pytest.raises(UserError) as exc:
        open_table(path)
    assert error_key(exc) == "privacy.table.unsupported"


def test_row_cap_holds_when_the_dimension_tag_lies(tmp_path):
    honest = make_xlsx(tmp_path / "honest.xlsx", {"S": [["x"]] * 10})
    liar = tmp_path / "liar.xlsx"
    with zipfile.ZipFile(honest) as src, zipfile.ZipFile(liar, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                assert b'<dimension ref="A1:A10"/>' in data
                data = data.replace(b'<dimension ref="A1:A10"/>', b'<dimension ref="A1:A1"/>')
            dst.writestr(item, data)
    assert len(list(read_table(liar))) == 10  # the whole sheet is read, not just A1
    with pytest.raises(UserError) as exc:
        list(read_table(liar, Limits(max_rows=5)))
    assert error_key(exc) == "privacy.table.too_many_rows"
