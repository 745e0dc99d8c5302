"""Tiny order exports made on the fly (CSV in any encoding, or xlsx)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..helpers import make_xlsx as order_xlsx  # noqa: F401 - re-exported for the tests

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


