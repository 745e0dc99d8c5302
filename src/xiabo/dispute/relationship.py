"""Labour or cooperation? The factors of 指导性案例239号, scored from the dispute profile.

The Supreme People's Court asks whether the company exercised dominant labour management
(personal, economic, organisational subordination); 深圳中院 found labour where the streamer
clocked in 8 hours a day for a monthly wage. Each factor the profile answers points one way
(the directions are rule data, ``common.dispute.relationship_factors``); with fewer known
factors than ``common.dispute.relationship_min_factors`` the answer is "cannot judge".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .exposure import Reason
from .profile import DisputeProfile

__all__ = ["Factor", "Relationship", "relationship"]


@dataclass(frozen=True)
class Factor:
    name: str
    kind: str             # personal / economic / organisational subordination
    answer: bool | None   # what the profile says (None: not said)
    toward: str | None    # labour / cooperation / None


@dataclass(frozen=True)
class Relationship:
    verdict: str          # labour / cooperation / mixed / unknown
    labour: int
    cooperation: int
    factors: tuple[Factor, ...]
    follows: tuple[Reason, ...]


def _answers(d: DisputeProfile) -> dict[str, bool | None]:
    w, c = d.work, d.contract
    # known only when the contract names a share (else it would count a fixed pay twice)
    share_main = None if c.streamer_share is None else w.fixed_monthly_pay is not True
    own = {"streamer": True, "agency": False}.get(w.account.registered_by or "")
    return {"hours_set_by_agency": w.hours_set_by_agency, "clock_in": w.clock_in,
            "agency_rules_penalties": w.agency_rules_penalties,
            "fixed_monthly_pay": w.fixed_monthly_pay, "revenue_share_main_pay": share_main,
            "own_account": own, "labour_contract_signed": c.type == "labour"}


def _follows(verdict: str, d: DisputeProfile, book, today: date) -> tuple[Reason, ...]:
    if verdict == "labour":
        nc, most = d.contract.non_compete, book.value("common.law.labour_non_compete_max_months", today)
        extra = []
        if nc.has and nc.months is not None and nc.months > most:
            extra.append(Reason("dispute.rel.non_compete_too_long", {"months": nc.months, "most": most}))
        if nc.has and nc.pay_monthly_cny is not None and nc.pay_monthly_cny == 0:
            extra.append(Reason("dispute.rel.non_compete_unpaid", {
                "months": book.value("common.law.non_compete_unpaid_months", today)}))
        return (*extra,
            Reason("dispute.rel.arbitration_first",
                   {"years": book.value("common.dispute.labour_arbitration_limit_years", today)}),
            Reason("dispute.rel.non_compete_persons",
                   {"months": book.value("common.law.labour_non_compete_max_months", today)}),
            Reason("dispute.rel.penalty_limited"),
            Reason("dispute.rel.notice_labour",
                   {"days": book.value("common.law.labour_notice_days", today)}),
        )
    if verdict == "cooperation":
        out = [Reason("dispute.rel.contract_rules"), Reason("dispute.rel.non_compete_case_by_case")]
        if d.contract.arbitration_clause:
            out.append(Reason("dispute.rel.arbitration_clause"))
        return tuple(out)
    if verdict == "mixed":
        return (Reason("dispute.rel.mixed"),)
    return (Reason("dispute.rel.unknown"),)


def relationship(d: DisputeProfile, book, *, today: date) -> Relationship:
    answers = _answers(d)
    factors = []
    for row in book.value("common.dispute.relationship_factors", today):
        answer = answers.get(row["factor"])
        toward = None
        if answer is not None:
            toward = row["toward_if_true"] if answer else row["toward_if_false"]
            toward = None if toward == "unweighed" else toward  # the contract's name alone
        factors.append(Factor(row["factor"], row["subordination"], answer, toward))
    labour = sum(f.toward == "labour" for f in factors)
    coop = sum(f.toward == "cooperation" for f in factors)
    need = int(book.value("common.dispute.relationship_min_factors", today))
    if labour + coop < need:
        verdict = "unknown"
    elif labour > coop:
        verdict = "labour"
    elif coop > labour:
        verdict = "cooperation"
    else:
        verdict = "mixed"
    return Relationship(verdict, labour, coop, tuple(factors), _follows(verdict, d, book, today))
