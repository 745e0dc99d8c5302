"""Spike detection on synthetic daily series with planted spikes: recall and false alarms."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from xiabo.opinion.spikes import SpikeParams, detect

PARAMS = SpikeParams(window=7, k=3.5, min_value=20, min_history=3, min_ratio=1.5)


def _poisson(rng: random.Random, lam: float) -> int:
    # normal approximation is enough for lam >= 30
    return max(0, round(rng.gauss(lam, lam ** 0.5)))


def _series(rng: random.Random, days: int = 60) -> tuple[list[int], set[int]]:
    base = rng.uniform(40, 400)
    trend = rng.uniform(-0.01, 0.02)
    values, planted = [], set()
    spike_days = set(rng.sample(range(10, days), 3))
    for i in range(days):
        lam = base * (1 + trend) ** i * (1.3 if i % 7 in (5, 6) else 1.0)   # weekends busier
        if i in spike_days:
            lam *= rng.uniform(2.5, 4.0)
            planted.add(i)
        values.append(_poisson(rng, lam))
    return values, planted


def test_planted_spikes_are_found_and_quiet_days_rarely_flagged():
    rng = random.Random(20261130)
    found = planted_total = false_alarms = quiet_days = 0
    for _ in range(200):
        values, planted = _series(rng)
        points = detect(values, PARAMS)
        assert all(p.spike == (p.status == "spike") for p in points)
        assert all(p.stands_out for p in points if p.spike)
        flags = [p.spike for p in points]
        found += sum(flags[i] for i in planted)
        planted_total += len(planted)
        # the day after a spike is judged against a window that holds the spike: still quiet
        quiet = [i for i in range(len(values)) if i not in planted]
        false_alarms += sum(flags[i] for i in quiet)
        quiet_days += len(quiet)
    recall = found / planted_total
    false_rate = false_alarms / quiet_days
    assert recall == 1.0, recall            # measured 2026-12-07: 1.00
    assert false_rate <= 0.01, false_rate   # measured 2026-12-07: 0.4 %


def test_flat_series_does_not_cry_wolf_and_small_counts_never_spike():
    assert not any(p.spike for p in detect([5] * 30 + [9], PARAMS))
    assert not any(p.spike for p in detect([0] * 10 + [15], PARAMS))  # below min_value
    assert detect([10] * 10 + [60], PARAMS)[-1].spike


def test_history_counts_for_the_baseline_only():
    points = detect([100], PARAMS, history=[10, 11, 9, 10, 12, 10, 11])
    assert len(points) == 1 and points[0].spike and points[0].baseline == 10


def test_not_enough_history_means_no_verdict():
    points = detect([10, 200], PARAMS)
    assert [p.threshold for p in points] == [None, None] and not any(p.spike for p in points)


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=0, max_size=60))
def test_one_point_per_value_and_a_spike_clears_its_bar(values):
    points = detect(values, PARAMS)
    assert len(points) == len(values)
    for p in points:
        if p.spike:
            assert p.threshold is not None and p.value > p.threshold and p.value >= 20
