"""The published outcomes most like the user's case (rule data: ``dispute_cases.yaml``).

Similarity counts the facts courts named (student, a guarantee, the agency's own breach, a
non-compete, a labour contract, no licence) where both sides say something: a match adds the
fact's weight, a mismatch takes half of it away, "not said" counts nothing. The claim's size is
compared by order of magnitude. The weights are rule data (``common.dispute.similarity_weights``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .profile import DisputeProfile

__all__ = ["FACTS", "CaseMatch", "PublishedCase", "closest_cases", "published_cases", "user_facts"]

FACTS = ("student", "guarantee", "agency_breach", "non_compete", "labour_contract", "unlicensed")
_PREFIX = "common.dispute.cases."


@dataclass(frozen=True)
class PublishedCase:
    rule_id: str
    title: dict
    court: str
    year: int | None
    claimed: Decimal
    paid: Decimal | None
    facts: dict
    summary: dict
    quality: str
    reference: str


@dataclass(frozen=True)
class CaseMatch:
    case: PublishedCase
    score: float
    matched: tuple[str, ...]     # the facts both share (``not_x``: neither has x)
    differs: tuple[str, ...]     # the facts that go the other way

    @property
    def paid(self) -> Decimal | None:
        return self.case.paid


def published_cases(book, today: date) -> list[PublishedCase]:
    out = []
    for rule_id in sorted(book.rules):
        if not rule_id.startswith(_PREFIX):
            continue
        rule = book.rule(rule_id)
        v = rule.value_at(today)
        if not isinstance(v, dict):
            continue
        out.append(PublishedCase(
            rule_id, dict(rule.title), str(v["court"]), v.get("year"), Decimal(str(v["claimed_cny"])),
            Decimal(str(v["paid_cny"])) if v.get("paid_cny") is not None else None,
            {k: v["facts"].get(k) for k in FACTS}, {"zh": v["zh"], "en": v["en"]},
            str(v.get("quality", "secondary")), rule.reference))
    return out


def user_facts(d: DisputeProfile, claim: Decimal | None, owed: Decimal) -> dict:
    """The user's side of the comparison: the same facts, ``None`` where the profile is silent."""
    a, c = d.agency, d.contract
    breaches = [a.guarantee_unpaid_months and a.guarantee_unpaid_months > 0,
                a.promised_traffic_missing, a.licensed is False if a.licensed is not None else None,
                owed > 0 or None]
    if any(b for b in breaches):
        breach: bool | None = True
    elif a.promised_traffic_missing is False and a.licensed is True:
        breach = False
    else:
        breach = None
    return {
        "student": d.streamer.student,
        "guarantee": (c.guarantee_monthly_cny > 0) if c.guarantee_monthly_cny is not None else None,
        "agency_breach": breach,
        "non_compete": c.non_compete.has,
        "labour_contract": c.type == "labour",
        "unlicensed": (not a.licensed) if a.licensed is not None else None,
        "claim": claim,
    }


def _score(facts: dict, case: PublishedCase, weights: dict) -> CaseMatch:
    score, matched, differs = 0.0, [], []
    for name in FACTS:
        mine, theirs = facts.get(name), case.facts.get(name)
        if mine is None or theirs is None:
            continue
        w = float(weights.get(name, 1))
        if bool(mine) == bool(theirs):
            score += w
            matched.append(name if mine else f"not_{name}")
        else:
            score -= w / 2
            differs.append(name)
    claim = facts.get("claim")
    if claim and claim > 0 and case.claimed > 0:
        gap = abs(math.log10(float(claim)) - math.log10(float(case.claimed)))
        score += float(weights.get("claim_size", 1)) * max(0.0, 1 - gap / 2)
    return CaseMatch(case, round(score, 6), tuple(matched), tuple(differs))


def closest_cases(facts: dict, book, today: date, n: int) -> tuple[CaseMatch, ...]:
    """The ``n`` published cases most like ``facts`` (best first; ties by rule id)."""
    weights = dict(book.value("common.dispute.similarity_weights", today))
    ranked = sorted((_score(facts, c, weights) for c in published_cases(book, today)),
                    key=lambda m: (-m.score, m.case.rule_id))
    return tuple(ranked[:n])
