from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiabo.roadmap import calendar as cal
from xiabo.roadmap.planner import CycleError, Dep, TaskSpec, schedule

START = date(2026, 12, 1)


def spec(tid, deps=(), days=1, unit="natural", exit_path=True, done=None):
    return TaskSpec(tid, "legal", "evidence", ("x", {}), deps=list(deps), days=days, unit=unit,
                    exit_path=exit_path, done=done)


def test_chain_and_critical_path():
    specs = [spec("a", days=3), spec("b", [Dep("a", 1)], days=2), spec("c", days=1),
             spec("d", [Dep("b", 1), Dep("c", 1)])]
    out = schedule(specs, START)
    assert out["a"].start == START and out["a"].due == START + timedelta(days=2)
    assert out["b"].start == START + timedelta(days=3)
    assert out["d"].start == out["b"].due + timedelta(days=1)
    assert [t for t in "abcd" if out[t].critical] == ["a", "b", "d"]
    assert out["c"].slack_days == (out["d"].start - timedelta(days=1) - out["c"].due).days


def test_working_day_gap_skips_holidays():
    specs = [spec("a", days=0), spec("b", [Dep("a", 1, "working")], days=1)]
    out = schedule(specs, date(2026, 9, 30))
    assert out["b"].start == cal.add_working_days(date(2026, 9, 30), 1)
    assert out["b"].start > date(2026, 10, 7)


def test_working_duration():
    out = schedule([spec("a", days=3, unit="working")], date(2026, 10, 1))
    assert cal.is_workday(out["a"].start) and cal.working_days_between(out["a"].start, out["a"].due) == 2


def test_legal_and_month_gaps():
    specs = [spec("n", days=1), spec("t", [Dep("n", 30, "legal")], days=0),
             spec("m", [Dep("t", 12, "months")], days=0, exit_path=False)]
    out = schedule(specs, date(2026, 11, 2))
    assert out["t"].due == date(2026, 12, 2)
    assert out["m"].due == date(2027, 12, 2)
    assert not out["m"].critical


def test_done_task_moves_successors():
    specs = [spec("a", days=1, done=START + timedelta(days=10)), spec("b", [Dep("a", 1)])]
    out = schedule(specs, START)
    assert out["a"].due == START + timedelta(days=10)
    assert out["b"].start == START + timedelta(days=11)
    assert not out["a"].critical


def test_cycle_is_reported():
    with pytest.raises(CycleError):
        schedule([spec("a", [Dep("b")]), spec("b", [Dep("a")])], START)


def test_long_chain_is_iterative():
    n = 5000
    specs = [spec("t0")] + [spec(f"t{i}", [Dep(f"t{i-1}", 1)]) for i in range(1, n)]
    out = schedule(specs, START)
    assert out[f"t{n-1}"].due == START + timedelta(days=n - 1)


@st.composite
def dags(draw):
    n = draw(st.integers(1, 25))
    specs = []
    for i in range(n):
        parents = draw(st.lists(st.integers(0, i - 1), unique=True, max_size=3)) if i else []
        deps = [Dep(f"t{p}", draw(st.integers(0, 10)), draw(st.sampled_from(["natural", "working", "legal"])))
                for p in parents]
        specs.append(spec(f"t{i}", deps, days=draw(st.integers(0, 6)),
                          unit=draw(st.sampled_from(["natural", "working"])),
                          exit_path=draw(st.booleans())))
    return specs


@settings(max_examples=150, deadline=None)
@given(dags(), st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 6, 1)))
def test_schedule_properties(specs, start):
    out = schedule(specs, start)
    by_id = {s.id: s for s in specs}
    for s in specs:
        r = out[s.id]
        assert r.start >= start and r.due >= r.start and r.slack_days >= 0
        for dep in s.deps:
            pred = out[dep.task].due
            if dep.unit == "natural":
                assert r.start >= pred + timedelta(days=dep.gap)
            elif dep.unit == "working":
                assert r.start >= cal.add_working_days(pred, dep.gap)
            else:
                assert r.start >= cal.legal_period_end(pred, dep.gap)[0]
    exit_tasks = [s.id for s in specs if s.exit_path]
    if exit_tasks:
        end = max(out[t].due for t in exit_tasks)
        last = [t for t in exit_tasks if out[t].due == end]
        assert any(out[t].critical for t in last)
    assert all(not out[t].critical for t in by_id if not by_id[t].exit_path)


@settings(max_examples=60, deadline=None)
@given(dags(), st.randoms(use_true_random=False))
def test_insertion_order_does_not_matter(specs, rnd):
    shuffled = list(specs)
    rnd.shuffle(shuffled)
    assert schedule(shuffled, START) == schedule(specs, START)
