"""Tiny fixture files made on the fly: a fan export with planted identifiers."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from .ids import CARD, EMAIL, ID, MOBILE, make_card

HEADER = ["昵称", "手机号", "微信号", "QQ", "备注", "订单号"]
ORDER_NO = make_card("621700999988887777")  # Luhn-valid, but under 订单号 not a bank card
ROWS = [
    ["张三", MOBILE, "zhangsan88", "987654321", f"邮箱{EMAIL}", ORDER_NO],
    ["李四", "", "", "", f"身份证{ID}，卡号{CARD}", "2405191234567890123"],
    ["王五", "", "", "", "寄到北京市朝阳区建国路88号", ""],
    ["赵六", "", "", "", "普通留言，没有个人信息", ""],
]
PLANTED = [MOBILE, "zhangsan88", "987654321", EMAIL, ID, CARD, "北京市朝阳区建国路88号"]
EXPECTED = {"mobile": 1, "wechat": 1, "qq": 1, "email": 1, "id_card": 1, "bank_card": 1,
            "address": 1}


def fan_csv(path: Path, encoding: str = "utf-8", rows=None) -> Path:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows or ROWS)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def fan_xlsx(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "粉丝"
    ws.append(HEADER)
    for row in ROWS:
        ws.append(row)
    ws2 = wb.create_sheet("直播间")
    ws2.append(["日期", "金额", "联系方式"])
    ws2.append([datetime(2024, 5, 1, 20, 0), 128.5, f"电话 {MOBILE}"])
    ws2.append([date(2024, 5, 2), 7, "无"])
    wb.create_sheet("空表")
    wb.save(path)
    return path


def fan_json(path: Path) -> Path:
    records = [dict(zip(HEADER, row)) for row in ROWS]
    path.write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
