"""Spikes of negative volume against a robust trailing baseline: median + k · scaled MAD.

Why median and MAD: the days around a last live are anything but normal, and one angry day
must not raise the bar for the next (a mean and standard deviation would). The MAD is scaled by
1.4826 so k reads like standard deviations; for counts it never goes below √median (the noise
a count of that size has anyway), so a flat series does not cry wolf at the first bump; and a spike is at least ``min_ratio`` times
the baseline (busy weekends are not a crisis). Window, k, ratio, the smallest count that
matters and the history needed are rule data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import sqrt
from statistics import median

__all__ = ["SpikeParams", "SpikePoint", "detect"]

_MAD_SCALE = 1.4826  # MAD -> standard deviation for normal data


@dataclass(frozen=True)
class SpikeParams:
    window: int = 7
    k: float = 3.5
    min_value: float = 20
    min_history: int = 3
    min_ratio: float = 1.5


@dataclass(frozen=True, slots=True)
class SpikePoint:
    """The baseline and the bar a value had to clear (None: not enough history yet)."""

    value: float
    baseline: float | None
    threshold: float | None
    spike: bool


def detect(values: Sequence[float], params: SpikeParams = SpikeParams(),
           history: Sequence[float] = ()) -> list[SpikePoint]:
    """One point per value; ``history`` holds the values just before the first (baseline only)."""
    series = list(history) + list(values)
    skip = len(history)
    out: list[SpikePoint] = []
    for i in range(skip, len(series)):
        value = series[i]
        past = series[max(0, i - params.window):i]
        if len(past) < params.min_history:
            out.append(SpikePoint(value, None, None, False))
            continue
        med = median(past)
        mad = median(abs(x - med) for x in past)
        scale = max(_MAD_SCALE * mad, sqrt(max(med, 1.0)))
        bar = med + params.k * scale
        bar = max(bar, params.min_ratio * med)
        out.append(SpikePoint(value, med, bar, value >= params.min_value and value > bar))
    return out
