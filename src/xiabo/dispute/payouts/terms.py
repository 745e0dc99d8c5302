"""The contract's money terms: the streamer's split (dated steps: a split may change mid-contract),
the monthly guarantee (保底), the contract months, the pay day and a late-payment rate.

Read from a small YAML the user writes, or from the dispute profile (``dispute.yaml``) when it
has the keys ``split`` and ``guarantee_cny`` (top level or under ``contract:``); the two files
agree by key names only. A value that does not read names the file, the key and the fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ...errors import UserError
from .statements import month_of, parse_ratio

__all__ = ["Step", "Terms", "load_terms", "terms_from_dict"]

MAX_TERMS_BYTES = 1 << 20


@dataclass(frozen=True)
class Step:
    """A value in force from the first day of ``start``'s month until the next step."""

    start: date
    value: Decimal


@dataclass(frozen=True)
class Terms:
    split: tuple[Step, ...] = ()       # the streamer's share of turnover, a fraction
    guarantee: tuple[Step, ...] = ()   # yuan per month
    start: date | None = None          # first contract month
    end: date | None = None            # last contract month
    pay_day: int | None = None         # month M is paid by this day of month M+1
    rate: Decimal | None = None        # contract late-payment rate, as written (a fraction)
    rate_per: str | None = None        # "day" | "year"
    source: str = ""

    @staticmethod
    def _on(steps: tuple[Step, ...], month: date) -> Decimal | None:
        found = None
        for step in steps:
            if step.start <= month:
                found = step.value
        return found

    def split_on(self, month: date) -> Decimal | None:
        return self._on(self.split, month)

    def guarantee_on(self, month: date) -> Decimal | None:
        return self._on(self.guarantee, month)


def _err(source: str, field: str, value: Any, fix: str) -> UserError:
    return UserError("payouts.err.bad_term", {"path": source, "field": field,
                                               "value": str(value)[:60]},
                     file=source, field=field, fix_key=f"payouts.fix.term_{fix}")


def _month(value: Any, source: str, field: str) -> date:
    if isinstance(value, date):
        return date(value.year, value.month, 1)
    try:
        return month_of(str(value))
    except ValueError:
        raise _err(source, field, value, "month") from None


def _amount(value: Any, source: str, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        raise _err(source, field, value, "amount") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
        raise _err(source, field, value, "amount")
    return amount


def _ratio(value: Any, source: str, field: str) -> Decimal:
    try:
        ratio = parse_ratio(str(value))
    except ValueError:
        ratio = None
    if ratio is None:
        raise _err(source, field, value, "split")
    return ratio


def _steps(raw: Any, source: str, key: str, value_key: str, parse) -> tuple[Step, ...]:
    """A single value (in force throughout) or a list of {from: 月份, <value_key>: …}."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        return (Step(date(1900, 1, 1), parse(raw, source, key)),)
    steps = []
    for i, item in enumerate(raw, 1):
        field = f"{key}[{i}]"
        if not isinstance(item, dict) or "from" not in item or value_key not in item:
            raise _err(source, field, item, f"steps_{value_key}")
        steps.append(Step(_month(item["from"], source, f"{field}.from"),
                          parse(item[value_key], source, f"{field}.{value_key}")))
    steps.sort(key=lambda s: s.start)
    if len({s.start for s in steps}) < len(steps):
        raise _err(source, key, raw, "duplicate_step")
    return tuple(steps)


def terms_from_dict(data: Any, source: str = "terms.yaml") -> Terms:
    """Terms from a parsed YAML mapping (a terms file, or a dispute profile)."""
    if not isinstance(data, dict):
        raise _err(source, "-", type(data).__name__, "mapping")
    if "split" not in data and "guarantee_cny" not in data and isinstance(
            data.get("contract"), dict):
        data = {**data["contract"], **{k: v for k, v in data.items() if k != "contract"}}
    pay_day = data.get("pay_day")
    if pay_day is not None and (isinstance(pay_day, bool) or not isinstance(pay_day, int)
                                or not 1 <= pay_day <= 31):
        raise _err(source, "pay_day", pay_day, "pay_day")
    rate = rate_per = None
    interest = data.get("interest")
    if interest is not None:
        if not isinstance(interest, dict) or "rate" not in interest:
            raise _err(source, "interest", interest, "interest")
        rate = _ratio(interest["rate"], source, "interest.rate")
        rate_per = str(interest.get("per", "year"))
        if rate_per not in ("day", "year"):
            raise _err(source, "interest.per", rate_per, "interest")
    terms = Terms(
        split=_steps(data.get("split"), source, "split", "share", _ratio),
        guarantee=_steps(data.get("guarantee_cny"), source, "guarantee_cny", "amount", _amount),
        start=_month(data["start"], source, "start") if data.get("start") else None,
        end=_month(data["end"], source, "end") if data.get("end") else None,
        pay_day=pay_day, rate=rate, rate_per=rate_per, source=source)
    if terms.start and terms.end and terms.end < terms.start:
        raise _err(source, "end", data.get("end"), "end_before_start")
    return terms


def load_terms(path: str | Path, name: str | None = None) -> Terms:
    """Terms from a YAML file (``name``: how messages call it)."""
    import yaml

    shown = name or str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError:
        raise UserError("payouts.err.terms_missing", {"path": shown}, file=shown,
                        fix_key="payouts.fix.terms_missing") from None
    if len(raw) > MAX_TERMS_BYTES:
        raise _err(shown, "-", f"{len(raw)} bytes", "mapping")
    try:
        data = yaml.safe_load(raw.decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError):
        raise UserError("payouts.err.terms_yaml", {"path": shown}, file=shown,
                        fix_key="payouts.fix.terms_yaml") from None
    return terms_from_dict(data, shown)
