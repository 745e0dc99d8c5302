"""What the streamer may owe: ranges with their reasons, never a promise.

Three views side by side: the penalty as the contract writes it (its formula computed); what
the law's reduction test points to (the actual loss as the base, 30 % above it "excessively
high" by default — 合同编通则解释 Art. 65 — and the agency's own breaches weighed against it);
and the published outcomes most like this case (``dispute_cases.yaml``). Every number comes
from the user's figures or a rule; a figure that cannot be computed is ``None`` ("unknown").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .cases import CaseMatch, closest_cases, user_facts
from .profile import DisputeProfile

__all__ = ["Exposure", "Reason", "exposure", "months_between", "penalty_as_written"]

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Reason:
    """One sentence of the explanation: a catalogue key and its values."""

    key: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Exposure:
    as_written: Decimal | None
    as_written_why: tuple[Reason, ...]
    claim: Decimal | None
    loss: Decimal | None
    loss_why: Reason | None
    reduced_low: Decimal | None
    reduced_high: Decimal | None
    owed_to_streamer: Decimal        # the agency's own unpaid guarantee / payouts
    net_low: Decimal | None          # the reduced range after setting off what the agency owes
    net_high: Decimal | None
    reduction_why: tuple[Reason, ...]
    closest: tuple[CaseMatch, ...]
    outcome_low: Decimal | None
    outcome_high: Decimal | None
    lawyer_now: tuple[Reason, ...]   # why a lawyer is needed now (empty: not yet)


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (0 if ``end`` is not after ``start``)."""
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def penalty_as_written(d: DisputeProfile) -> tuple[Decimal | None, tuple[Reason, ...]]:
    """The penalty the formula gives, and how it was computed (None: the clause lacks a number)."""
    p, s = d.contract.penalty, d.streamer
    if p.kind == "none":
        return None, (Reason("dispute.exp.no_penalty_clause"),)
    why: list[Reason] = []
    multiple_value = None
    if p.kind in ("income_multiple", "higher_of") and p.multiple is not None:
        basis = p.income_basis_cny
        if basis is None and s.monthly_income_cny is not None and s.months_performed:
            basis = s.monthly_income_cny * s.months_performed
            why.append(Reason("dispute.exp.basis_estimated",
                              {"monthly": _q(s.monthly_income_cny), "months": s.months_performed}))
        if basis is not None:
            multiple_value = _q(p.multiple * basis)
            why.append(Reason("dispute.exp.multiple", {"multiple": format(p.multiple.normalize(), "f"), "basis": _q(basis),
                                                       "amount": multiple_value}))
        else:
            why.append(Reason("dispute.exp.basis_unknown"))
    fixed = _q(p.fixed_cny) if p.fixed_cny is not None and p.kind in ("fixed", "higher_of") else None
    if fixed is not None:
        why.append(Reason("dispute.exp.fixed", {"amount": fixed}))
    found = [v for v in (fixed, multiple_value) if v is not None]
    if not found:
        return None, (*why, Reason("dispute.exp.formula_incomplete"))
    if p.kind == "higher_of" and len(found) == 2:
        why.append(Reason("dispute.exp.higher_of", {"amount": max(found)}))
    return max(found), tuple(why)


def _loss(d: DisputeProfile, today: date) -> tuple[Decimal | None, Reason | None]:
    """The base of the reduction test: the agency's shown loss, else an estimate from the user's
    own figures (the agency's share of the income for the months the contract has left)."""
    a, c, s = d.agency, d.contract, d.streamer
    if a.loss_estimate_cny is not None:
        return _q(a.loss_estimate_cny), Reason("dispute.exp.loss_shown", {"amount": _q(a.loss_estimate_cny)})
    if s.monthly_income_cny is None or c.streamer_share is None or c.ends_on is None:
        return None, Reason("dispute.exp.loss_unknown")
    left = months_between(today, c.ends_on)
    loss = _q(s.monthly_income_cny * (1 - c.streamer_share) * left)
    return loss, Reason("dispute.exp.loss_estimated", {
        "monthly": _q(s.monthly_income_cny),
        "share": format(((1 - c.streamer_share) * 100).normalize(), "f"),
        "months": left, "amount": loss})


def owed_by_agency(d: DisputeProfile, payout_shortfall: Decimal | None) -> Decimal:
    """What the agency itself failed to pay: the guarantee shortfall and the payouts' shortfall."""
    a, c = d.agency, d.contract
    guarantee = a.guarantee_shortfall_cny
    if guarantee is None and a.guarantee_unpaid_months and c.guarantee_monthly_cny is not None:
        guarantee = c.guarantee_monthly_cny * a.guarantee_unpaid_months
    return _q((guarantee or Decimal(0)) + (payout_shortfall or Decimal(0)))


def _lawyer_now(d: DisputeProfile, relationship: str | None) -> tuple[Reason, ...]:
    out = []
    if d.agency.filed:
        out.append(Reason("dispute.lawyer.filed"))
    if d.contract.arbitration_clause:
        out.append(Reason("dispute.lawyer.arbitration"))
    if relationship == "labour":
        out.append(Reason("dispute.lawyer.labour"))
    if d.contract.non_compete.has:
        out.append(Reason("dispute.lawyer.non_compete"))
    return tuple(out)


def exposure(d: DisputeProfile, book, *, today: date, payout_shortfall: Decimal | None = None,
             relationship: str | None = None) -> Exposure:
    """The exposure of ``d`` on ``today``. ``payout_shortfall``: what the payouts reconciliation
    (``xiabo.dispute.payouts``) found the agency short, counted as its breach."""
    written, written_why = penalty_as_written(d)
    claim = _q(d.agency.claim_cny) if d.agency.claim_cny is not None else None
    loss, loss_why = _loss(d, today)
    ratio = Decimal(str(book.value("common.law.penalty_excessive_ratio", today)))
    why: list[Reason] = [Reason("dispute.exp.base_rule")]
    low = high = None
    known = [v for v in (written, claim) if v is not None]
    ceiling = min(known) if known else None  # a court does not award more than was asked
    if loss is not None:
        low, high = loss, _q(loss * (1 + ratio))
        why.append(Reason("dispute.exp.thirty", {"pct": format((ratio * 100).normalize(), "f"), "low": low, "high": high}))
        if ceiling is not None:
            low, high = min(low, ceiling), min(high, ceiling)
    if d.contract.type == "labour" or relationship == "labour":
        why.append(Reason("dispute.exp.labour_penalty"))
    if d.streamer.student:
        why.append(Reason("dispute.exp.student"))
    if d.agency.licensed is False:
        why.append(Reason("dispute.exp.unlicensed"))
    if d.agency.promised_traffic_missing:
        why.append(Reason("dispute.exp.no_traffic"))
    owed = owed_by_agency(d, payout_shortfall)
    if owed:
        why.append(Reason("dispute.exp.owed", {"amount": owed}))
    net_low = max(Decimal(0), low - owed) if low is not None else None
    net_high = max(Decimal(0), high - owed) if high is not None else None
    facts = user_facts(d, claim if claim is not None else written, owed)
    shown = int(book.value("common.dispute.closest_cases_shown", today))
    closest = closest_cases(facts, book, today, shown)
    paid = [m.paid for m in closest if m.paid is not None]
    return Exposure(written, written_why, claim, loss, loss_why, low, high, owed, net_low,
                    net_high, tuple(why), closest, min(paid) if paid else None,
                    max(paid) if paid else None, _lawyer_now(d, relationship))
