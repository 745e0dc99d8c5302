"""Hypothesis-generated extreme inputs against the CLI commands that read files, in process
(fast): extreme and impossible dates, huge and odd numbers, strings with control characters,
lone surrogates and a megabyte of text, duplicated list items. Every answer is exit 0 or 2
(1 where a check reports what it found), never a traceback or "internal error".
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli

TODAY = "2026-11-25"
FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

dates = st.one_of(
    st.dates().map(str),                                            # years 1..9999
    st.sampled_from(["2026-13-45", "2026-02-30", "0000-00-00", "9999-12-31", "10000-01-01",
                     "2026-02-29", "2028-02-29", "+2026-01-01", "2026-1-1", ""]),
    st.builds("{}-{:02d}-{:02d}".format, st.integers(1, 9999), st.integers(0, 99), st.integers(0, 99)),
)
numbers = st.one_of(
    st.integers(-(10 ** 40), 10 ** 40), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["1e30", "1e-30", "NaN", "Infinity", "-0", "120万", "9" * 500, "0x10"]),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
)
strings = st.one_of(
    st.text(max_size=40),                                            # control characters included
    st.text(st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=8),
    st.sampled_from(["\ud800", "a\udc80b", "\x00", "\u202e\x1b[31m", "=cmd|' /C calc'!A0"]),
    st.just("长" * 1_000_000),
)
bindings = st.lists(st.sampled_from(["wechat", "WeChat", " wechat ", "alipay", "qq"]), max_size=6)


@st.composite
def profiles(draw) -> dict:
    data = {"name": draw(st.one_of(strings, st.just("小美"))), "platform": "kuaishou"}
    for key, value in (
        ("start", dates), ("followers", numbers),
        ("money", st.fixed_dictionaries({"diamonds": numbers, "balance_cny": numbers})),
        ("account", st.fixed_dictionaries({"bindings": bindings})),
        ("channels", st.lists(st.sampled_from(["weibo", "bilibili", "weibo"]), max_size=4)),
        ("contract", st.fixed_dictionaries({"signed": st.just(True), "agency": strings,
                                            "notice_sent_on": dates, "signed_on": dates,
                                            "non_compete_months": numbers})),
        ("progress", st.dictionaries(st.sampled_from(["backup-recordings", "mcn-notice", "\x00"]),
                                     st.fixed_dictionaries({"done": dates, "note": strings}),
                                     max_size=2)),
        ("equipment", st.lists(st.fixed_dictionaries({"name": strings}), max_size=2)),
    ):
        if draw(st.booleans()):
            data[key] = draw(value)
    return data


def _clean(result, allowed=(0, 2)) -> None:
    assert result.code in allowed, (result.code, result.err[-1500:])
    for word in ("Traceback", "内部出错", "internal error"):
        assert word not in result.err and word not in result.out, result.err[-1500:]


def _dump(data) -> str:
    """JSON that may carry lone surrogates (as \\ud800 escapes) and non-finite floats."""
    return json.dumps(data, ensure_ascii=True)


@FAST
@given(profiles())
def test_plan_answers_any_profile(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.json"
        path.write_text(_dump(data), encoding="utf-8")
        _clean(run_cli("plan", str(path), "--today", TODAY, "--format", "json"))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(profiles(), min_size=1, max_size=4))
def test_plan_batch_answers_every_line(lines):
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        src.write_text("\n".join(_dump(x) for x in lines) + "\n", encoding="utf-8")
        result = run_cli("plan", "--batch", str(src), "--out", str(out), "--today", TODAY)
        _clean(result)
        written = out.read_text(encoding="utf-8").splitlines() if out.exists() else []
        assert len(written) + result.err.count("已跳过") == len(lines)


@FAST
@given(st.lists(st.tuples(dates, dates, numbers, st.sampled_from(["已收货", "交易成功", "待发货", "?"])),
                min_size=1, max_size=5))
def test_orders_check_answers_any_export(rows):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "orders.csv"
        body = "".join(f"A{i},{state},,{ship},{got},{amount}\n"
                       for i, (ship, got, amount, state) in enumerate(rows))
        path.write_text("订单号,订单状态,下单时间,发货时间,收货时间,实付金额\n" + body, encoding="utf-8")
        _clean(run_cli("orders", "check", str(path), "--today", TODAY), (0, 1, 2))


@FAST
@given(st.lists(st.lists(strings.filter(lambda s: len(s) < 1000), min_size=1, max_size=3),
                min_size=1, max_size=5),
       st.sampled_from(["csv", "json"]))
def test_privacy_scan_and_purge_answer_any_table(rows, kind):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fans.{kind}"
        if kind == "json":
            path.write_text(_dump([{"c": cells} for cells in rows]), encoding="utf-8")
        else:
            text = "\n".join(",".join('"' + c.replace('"', '""') + '"' for c in cells) for cells in rows)
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        _clean(run_cli("privacy", "scan", str(path)), (0, 1, 2))
        _clean(run_cli("privacy", "purge", str(path), "--out", str(Path(tmp) / f"out.{kind}")), (0, 1, 2))


@FAST
@given(st.lists(st.tuples(dates, numbers, numbers), min_size=1, max_size=4))
def test_tax_ledger_answers_any_rows(rows):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger.csv"
        body = "".join(f"{d},快手,{g},{w}\n" for d, g, w in rows)
        path.write_text("日期,平台,收入(税前),已扣税\n" + body, encoding="utf-8")
        _clean(run_cli("tax", "cumulative", "--ledger", str(path), "--year", "2025"), (0, 1, 2))
