"""Tiny order exports made on the fly (CSV in any encoding, or xlsx)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

HEADER = ["订单编号", "订单状态", "下单时间", "发货时间", "签收时间", "售后状态", "实付金额(元)"]


def order_csv(path: Path, rows: list[list], header=HEADER, encoding="utf-8-sig",
              preamble: list[list] | None = None) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for line in preamble or []:
        writer.writerow(line)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def order_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path
