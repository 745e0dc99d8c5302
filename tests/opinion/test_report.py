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


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdf_stacked_bars_have_a_colour_legend(tmp_path, filled):
    from xiabo.opinion.pdf import render_pdf

    (tmp_path / "r.pdf").write_bytes(render_pdf(build_report(filled), "zh"))
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    first_chart = text.split("每天的留言量和情绪", 1)[1].split("每天的负面留言和激增", 1)[0]
    for label in ("负面", "中性", "正面"):
        assert label in first_chart, first_chart[:300]


def test_charts_carry_legend_swatches_in_the_series_colours():
    from xiabo.opinion.analysis import Bucket
    from xiabo.opinion.charts import COLORS, Rect, Text, legend, volume_chart

    days = [Bucket(date(2026, 11, 1) + timedelta(days=i), 3, 2, 5) for i in range(5)]
    chart = volume_chart(days, legend=legend("en", "volume"))
    texts = [s for s in chart.shapes if isinstance(s, Text)]
    assert {"negative", "neutral", "positive"} <= {s.text for s in texts}
    swatches = {s.color for s in chart.shapes if isinstance(s, Rect) and s.y < 20}
    assert {COLORS["negative"], COLORS["neutral"], COLORS["positive"]} <= swatches


def test_each_day_says_how_sure_it_is(filled):
    report = build_report(filled)
    day = report.to_dict()["days"][0]
    assert day["volume"] == 65 and day["negative"] == 25
    assert day["negative_share"] == pytest.approx(25 / 65, abs=1e-4)
    p = 25 / 65
    assert day["negative_margin"] == pytest.approx(1.96 * (p * (1 - p) / 65) ** 0.5, abs=1e-3)
    assert day["abstained_share"] == 0.0 and day["thin"] is False
    assert "±" in render_text(report, "zh")


def test_a_spike_comes_with_its_size_and_the_messages_behind_it(filled):
    report = build_report(filled)
    (detail,) = report.spike_details
    assert detail.day.day == date(2026, 11, 15) and detail.day.negative == 150
    assert detail.ratio == pytest.approx(150 / detail.day.point.baseline)
    assert detail.messages and all(m.day == date(2026, 11, 15) for m in detail.messages)
    text = render_text(report, "zh")
    assert "2026-11-15：负面 150 条" in text and "是平时的" in text
    assert report.to_dict()["spike_verdict"] == "spikes"


def test_too_little_data_says_cannot_judge_and_shows_the_day_that_stands_out(tmp_path, store):
    """Issue 21's case: 4 days, 12-04 has 16 negatives of 20, the other days 1 to 4."""
    rows = []
    for day, neg in ((1, 2), (2, 1), (3, 4), (4, 16)):
        rows += _day_rows(date(2026, 12, day), neg, 20 - neg)
    ingest_file(store, write_csv(tmp_path / "c.csv", HEADER, rows))
    report = build_report(store, today=date(2026, 12, 6))
    assert report.verdict == "cannot_judge"
    assert [d.day for d in report.standouts] == [date(2026, 12, 4)]
    zh, en = render_text(report, "zh"), render_text(report, "en")
    assert "没有发现负面激增" not in zh and "还不能判断" in zh and "只有 4 天" in zh
    assert "2026-12-04 的负面留言明显比其他天多" in zh
    assert "Cannot judge spikes yet" in en and "No negative spike" not in en
    data = report.to_dict()
    assert data["spike_verdict"] == "cannot_judge" and data["standouts"] == ["2026-12-04"]
    assert data["judgement_needs"]["history_days"] == 5 and data["days"][0]["thin"] is True


def test_below_the_smallest_count_a_loud_day_is_named_not_called_a_spike(tmp_path, store):
    rows = []
    for d in range(10):
        rows += _day_rows(date(2026, 11, 1) + timedelta(days=d), 15 if d == 9 else 1, 30)
    ingest_file(store, write_csv(tmp_path / "c.csv", HEADER, rows))
    report = build_report(store)
    assert report.verdict == "none" and not report.spikes
    assert report.days[-1].status == "too_few" and report.days[-1].stands_out
    assert "不到算作激增的最少条数 20 条" in render_text(report, "zh")


def test_a_spike_in_danmaku_without_likes_still_shows_messages_behind_it(tmp_path, store):
    rows = []
    for d in range(12):
        day = date(2026, 11, 1) + timedelta(days=d)
        n = 120 if d == 11 else 25
        rows += [[f"公会太黑心了{i}", f"{day} 21:{i % 60:02d}:{i // 60:02d}", 0, 0, ""]
                 for i in range(n)]
    ingest_file(store, write_csv(tmp_path / "弹幕.csv", HEADER, rows))
    (detail,) = build_report(store).spike_details
    assert len(detail.messages) == 3 and all(m.likes == 0 for m in detail.messages)
    assert detail.messages[0].text == "公会太黑心了0"     # the first of the day


def test_thin_hours_say_cannot_judge_like_the_days(tmp_path, store):
    """The hourly view around the last live: with at most 4 negatives in any hour (an hour
    needs 5 to be a spike) it says it cannot judge and why, not "no spike", and still names
    the hour that stands out."""
    rows = []
    for day, neg in ((1, 1), (2, 2), (3, 1), (4, 4)):
        rows += _day_rows(date(2026, 12, day), neg, 20 - neg)
    ingest_file(store, write_csv(tmp_path / "c.csv", HEADER, rows))
    report = build_report(store, today=date(2026, 12, 6), last_live=date(2026, 12, 3))
    assert report.hours and report.hour_judgement == ("cannot_judge", "few")
    assert [(h.day, h.hour) for h in report.hour_standouts] == [(date(2026, 12, 4), 12)]
    zh, en = render_text(report, "zh"), render_text(report, "en")
    assert "这段时间没有负面激增" not in zh
    assert "还不能按小时判断有没有负面激增：负面最多的一个小时只有 4 条" in zh
    assert "至少要有 5 条" in zh and "2026-12-04 12 点 的负面留言比前几个小时明显多" in zh
    assert "Cannot judge hourly spikes yet" in en and "No negative spike in these hours" not in en
    data = report.to_dict()
    assert data["hour_verdict"] == "cannot_judge" and data["hour_cannot_judge_because"] == "few"
    assert data["hour_standouts"] == ["2026-12-04T12"]
    from xiabo.opinion.html import render_html

    html = render_html(report, "zh")   # the hourly chart carries the same words
    assert "还不能按小时判断有没有负面激增" in html and "这段时间没有负面激增" not in html


def test_enough_hours_keep_their_verdict(filled):
    report = build_report(filled, last_live=date(2026, 11, 15), today=date(2026, 11, 30))
    assert report.hour_verdict == "spikes"
    assert "还不能按小时判断" not in render_text(report, "zh")
    assert build_report(filled, today=date(2026, 11, 30)).to_dict()["hour_verdict"] is None
