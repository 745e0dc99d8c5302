"""The report: daily figures and spikes from SQL, keywords, masking, coverage, HTML and PDF."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime, timedelta

import pytest

from xiabo.opinion.ingest import ingest_file
from xiabo.opinion.report import build_report
from xiabo.opinion.summary import render_text

from .conftest import HEADER, write_csv


def _day_rows(day: date, n_neg: int, n_pos: int, extra: str = "") -> list[list]:
    rows = []
    for i in range(n_neg):
        rows.append([f"公会太黑心了{extra}{i}", f"{day} 12:{i % 60:02d}:{i // 60:02d}", i, 0, f"粉{i}"])
    for i in range(n_pos):
        rows.append([f"谢谢陪伴{i}", f"{day} 20:{i % 60:02d}:{i // 60:02d}", 0, 0, f"友{i}"])
    return rows


@pytest.fixture
def filled(tmp_path, store):
    start = date(2026, 11, 1)
    rows = []
    for d in range(20):
        day = start + timedelta(days=d)
        neg = 150 if d == 14 else 25 + d % 3
        rows += _day_rows(day, neg, 40, "塌房" if d >= 18 else "")
    rows.append(["骗子！电话13812345678 退钱", "2026-11-10 09:00:00", 9999, 30, "王小明"])
    ingest_file(store, write_csv(tmp_path / "c.csv", HEADER, rows))
    return store


def test_days_volume_and_spike(filled):
    report = build_report(filled, today=date(2026, 11, 30))
    data = report.to_dict()
    assert data["since"] == "2026-11-01" and data["until"] == "2026-11-20"
    assert [d["date"] for d in data["days"]][:2] == ["2026-11-01", "2026-11-02"]
    day15 = data["days"][14]
    assert day15 == {**day15, "date": "2026-11-15", "negative": 150, "positive": 40,
                     "volume": 190, "spike": True}
    assert data["spikes"] == ["2026-11-15"]
    assert set(data["days"][0]) >= {"date", "volume", "negative", "neutral", "positive", "spike"}
    assert data["total"] == sum(d["volume"] for d in data["days"])


def test_keywords_new_phrases_and_masked_top_message(filled):
    report = build_report(filled, today=date(2026, 11, 30))
    terms = [k.term for k in report.keywords]
    assert "公会" in terms and "黑心" in terms
    assert "塌房" in [k.term for k in report.new_phrases]
    top = report.most_liked[0]
    assert "13812345678" not in top.text and "138****5678" in top.text
    assert top.author == "王**" and top.likes == 9999
    text = render_text(report, "zh")
    assert "2026-11-15" in text and "负面激增" in text and "138****5678" in text
    assert "13812345678" not in text and "王小明" not in text


def test_range_and_today(filled):
    report = build_report(filled, since=date(2026, 11, 10), until=date(2026, 11, 12),
                          today=date(2026, 11, 11))
    assert [d.day for d in report.days] == [date(2026, 11, 10), date(2026, 11, 11)]


def test_hours_and_coverage_around_the_last_live(filled):
    report = build_report(filled, last_live=date(2026, 11, 15), today=date(2026, 11, 30))
    assert len(report.hours) == 24 * 5                       # 1 day before, 3 after
    peak = max(report.hours, key=lambda h: h.negative)
    assert (peak.day, peak.hour) == (date(2026, 11, 15), 12)
    cov = report.coverage
    assert not cov.complete and cov.until == date(2026, 11, 30)
    assert cov.missing[0] == date(2026, 11, 21)


def test_coverage_complete_through_the_transition(tmp_path, store):
    rows = []
    for d in range(17):
        rows += _day_rows(date(2026, 12, 1) + timedelta(days=d), 1, 1)
    ingest_file(store, write_csv(tmp_path / "c.csv", HEADER, rows))
    report = build_report(store, last_live=date(2026, 12, 1), today=date(2026, 12, 31))
    assert report.coverage.complete and report.to_dict()["coverage"]["complete"] is True


def test_empty_store(store):
    report = build_report(store, today=date(2026, 11, 30))
    assert report.total == 0 and "还没有导入" in render_text(report, "zh")


def test_html_is_self_contained_and_escaped(tmp_path, store, filled):
    from xiabo.opinion.html import render_html

    ingest_file(store, write_csv(tmp_path / "x.csv", HEADER,
                                 [["<script>alert(1)</script> 垃圾", "2026-11-20 10:00", 5000, 0, "x"]]))
    html = render_html(build_report(store, last_live=date(2026, 11, 15)), "zh")
    assert html.count("<svg") >= 4 and "<script>" not in html and "&lt;script&gt;" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "负面激增" in html and "舆情报告" in html


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdf_has_chinese_text(tmp_path, filled):
    from xiabo.opinion.pdf import render_pdf

    pdf = render_pdf(build_report(filled, last_live=date(2026, 11, 15)), "zh")
    assert pdf.startswith(b"%PDF")
    (tmp_path / "r.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "舆情报告" in text and "每天的留言量和情绪" in text and "2026-11-15" in text


def test_ingest_time_recorded_is_a_parameter(tmp_path, store):
    path = write_csv(tmp_path / "c.csv", HEADER, _day_rows(date(2026, 11, 1), 1, 0))
    ingest_file(store, path, ingested_at=datetime(2026, 11, 2, 9, 0))
    assert store.files()[0][3] == "2026-11-02T09:00:00"
