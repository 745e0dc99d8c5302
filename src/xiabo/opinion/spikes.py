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

__all__ = ["STATUSES", "SpikeParams", "SpikePoint", "detect"]

_MAD_SCALE = 1.4826  # MAD -> standard deviation for normal data


@dataclass(frozen=True)
class SpikeParams:
    window: int = 7
    k: float = 3.5
    min_value: float = 20
    min_history: int = 3
    min_ratio: float = 1.5


# What could be said of a point: a spike; quiet; not judged for want of history; above the bar
# but fewer than the smallest count that matters.
STATUSES = ("spike", "quiet", "no_history", "too_few")


@dataclass(frozen=True, slots=True)
class SpikePoint:
    """The baseline and the bar a value had to clear (None: not enough history yet).

    ``stands_out``: above the bar it would have to clear, also where no verdict is allowed
    (``status`` no_history: the bar is then reckoned from the other values shown).
    """

    value: float
    baseline: float | None
    threshold: float | None
    spike: bool
    status: str = "quiet"
    stands_out: bool = False


def _bar(past: Sequence[float], params: SpikeParams) -> tuple[float, float]:
    med = median(past)
    mad = median(abs(x - med) for x in past)
    scale = max(_MAD_SCALE * mad, sqrt(max(med, 1.0)))
    return med, max(med + params.k * scale, params.min_ratio * med)


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
            others = series[:i] + series[i + 1:]
            loud = bool(others) and value > _bar(others, params)[1]
            out.append(SpikePoint(value, None, None, False, "no_history", loud))
            continue
        med, bar = _bar(past, params)
        above = value > bar
        spike = above and value >= params.min_value
        status = "spike" if spike else "too_few" if above else "quiet"
        out.append(SpikePoint(value, med, bar, spike, status, above))
    return out
