"""The second hostile pass (issue 20): very wide sheets, a year-1 date and a column past ZZZ.

Each is refused by the real ``xiabo`` in a subprocess that reports its own peak RSS and CPU time
(``resource.getrusage`` in the child): within 2 s of CPU and 300 MB, exit 2, with a message that
names the file, the row or column, and the fix. Before: 2.4 GB and ~3.5 min for the 3 M-cell
row, 62 s for 300k columns, exit 70 for the year-1 date and for the 20,000-column purge.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hostile.builders import declared_huge_xlsx, wide_row_xlsx
from tests.hostile.limits import run_measured

pytestmark = pytest.mark.skipif(os.name != "posix", reason="resource limits are POSIX")
CPU_SECONDS, RSS_MB = 2.0, 300
WALL_SECONDS = 10  # a loaded test machine; the CPU figure is the budget that counts


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("wide")
    wide_row_xlsx(root / "3m-cells.xlsx", 3_000_000)
    wide_row_xlsx(root / "20k-columns.xlsx", 20_000, refs=True, header=["昵称", "手机"])
    declared_huge_xlsx(root / "far-column.xlsx", {1: ["昵称", "手机"], 2: ["a", "13812345678"]},
                       ref="A1:B2", wide_cell="AAAA2")
    header = ["订单号", "订单状态", "收货时间", "实付金额"] + [f"c{i}" for i in range(300_000)]
    (root / "300k-columns.csv").write_text(
        ",".join(header) + "\n" + ",".join(["A1", "已收货", "2026-11-01", "10"] + [""] * 300_000)
        + "\n", encoding="utf-8")
    (root / "year1.csv").write_text("评论内容,评论时间\n谢谢主播,2026-11-20 20:00:00\n"
                                    "公会黑心,0001-01-01\n", encoding="utf-8")
    return root


CASES = [
    (("privacy", "scan", "3m-cells.xlsx"), "3m-cells.xlsx", "第 1 行"),
    (("privacy", "purge", "3m-cells.xlsx", "--out", "clean.xlsx"), "3m-cells.xlsx", "第 1 行"),
    (("privacy", "purge", "20k-columns.xlsx", "--out", "clean.xlsx"), "20k-columns.xlsx",
     "第 1 行"),
    (("privacy", "scan", "far-column.xlsx"), "far-column.xlsx", "第 2 行"),
    (("orders", "check", "300k-columns.csv", "--today", "2026-11-25"), "300k-columns.csv",
     "第 1 行"),
    (("orders", "check", "3m-cells.xlsx", "--today", "2026-11-25"), "3m-cells.xlsx", "第 1 行"),
    (("opinion", "ingest", "year1.csv", "--dir", "opinion"), "year1.csv", "第 3 行「评论时间」列"),
    (("tax", "cumulative", "--ledger", "3m-cells.xlsx", "--year", "2025"), "3m-cells.xlsx",
     "第 1 行"),
]


@pytest.mark.parametrize("args,name,where", CASES, ids=[" ".join(a[:3]) for a, _, _ in CASES])
def test_refused_in_words_within_two_seconds_and_300_mb(files, args, name, where):
    result = run_measured(*args, cwd=files)
    assert result.code == 2, (result.code, result.err[-2000:])
    assert not result.problems((2,)), result.err[-2000:]
    said = result.err
    assert name in said and where in said and "怎么改" in said, said
    assert result.cpu_seconds < CPU_SECONDS, result.cpu_seconds
    assert result.rss_mb < RSS_MB, result.rss_mb
    assert result.seconds < WALL_SECONDS, result.seconds
    assert not (files / "clean.xlsx").exists()


def test_after_a_refused_year1_import_report_and_watch_work(files, tmp_path):
    import shutil

    work = tmp_path / "w"
    work.mkdir()
    shutil.copy(files / "year1.csv", work / "year1.csv")
    (work / "ok.csv").write_text("评论内容,评论时间\n谢谢主播,2026-11-20 20:00:00\n",
                                 encoding="utf-8")
    assert run_measured("opinion", "ingest", "year1.csv", "--dir", "op", cwd=work).code == 2
    assert run_measured("opinion", "ingest", "ok.csv", "--dir", "op", cwd=work).code == 0
    report = run_measured("opinion", "report", "--dir", "op", cwd=work)
    assert report.code == 0 and "2026-11-20" in report.out + report.err, report.err[-1000:]
    drop = work / "drop"
    drop.mkdir()
    shutil.copy(files / "year1.csv", drop / "year1.csv")
    watch = run_measured("opinion", "watch", str(drop), "--dir", "op", "--once", cwd=work)
    assert watch.code in (0, 2) and not watch.problems((0, 2)), watch.err[-1000:]
    again = run_measured("opinion", "report", "--dir", "op", cwd=work)
    assert again.code == 0, again.err[-1000:]


def test_the_limits_are_rule_data():
    from xiabo.rules import load_rulebook
    from xiabo.sheet_shape import sheet_limits

    book = load_rulebook()
    from datetime import date

    on = date(2026, 12, 7)
    assert sheet_limits().max_columns == book.value("common.input.max_columns", on) == 16384
    assert sheet_limits().max_cells == book.value("common.input.max_cells", on)
    assert book.value("common.input.message_years_back", on) > 0


def test_a_sheet_at_excels_own_width_is_still_read(tmp_path):
    from xiabo.tabular import read_table

    path = wide_row_xlsx(tmp_path / "xfd.xlsx", 16_382, refs=True, header=["昵称", "手机"])
    rows = list(read_table(path))
    assert len(rows[0].cells) == 16_384
