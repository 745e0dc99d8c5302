"""One dispute, assessed once: exposure, relationship and checklist, and their words.

Every front end (CLI ``xiabo dispute show``, the web section, the lawyer's page, the PDF) reads
``assess`` and renders ``sections``: a list of (heading, lines) in the user's language, so the
four say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..i18n import t
from .checklist import Row, checklist, tag
from .exposure import Exposure, Reason, exposure
from .profile import DisputeProfile
from .relationship import Relationship, relationship

__all__ = ["DisputeReport", "assess", "cny", "plan_lines", "report_json", "say", "sections"]


@dataclass(frozen=True)
class DisputeReport:
    profile: DisputeProfile
    today: date
    exposure: Exposure
    relationship: Relationship
    checklist: tuple[Row, ...]


def assess(d: DisputeProfile, book, *, today: date, evidence_dir: Path | None = None,
           payout_shortfall: Decimal | None = None) -> DisputeReport:
    rel = relationship(d, book, today=today)
    exp = exposure(d, book, today=today, payout_shortfall=payout_shortfall,
                   relationship=rel.verdict)
    return DisputeReport(d, today, exp, rel, checklist(d, evidence_dir))


def cny(value: Decimal | None, lang: str) -> str:
    if value is None:
        return t("dispute.unknown", lang)
    return t("dispute.cny", lang, amount=f"{value:,.2f}")


def say(reason: Reason, lang: str) -> str:
    params = {k: (f"{v:,.2f}" if isinstance(v, Decimal) else v) for k, v in reason.params.items()}
    return t(reason.key, lang, **params)


def _range(low: Decimal | None, high: Decimal | None, lang: str) -> str:
    if low is None or high is None:
        return t("dispute.unknown", lang)
    if low == high:
        return cny(low, lang)
    return t("dispute.range", lang, low=cny(low, lang), high=cny(high, lang))


def _fact(name: str, lang: str) -> str:
    return t(f"dispute.fact.{name}", lang)


def _account_lines(d: DisputeProfile, lang: str) -> list[str]:
    """Who owns the account: the real-name registrant (before the contract: stronger)."""
    a, signed = d.work.account, d.contract.signed_on
    if a.registered_by is None and a.real_name is None:
        return [t("dispute.account.unknown", lang)]
    mine = (a.real_name or a.registered_by) == "streamer"
    if not mine:
        return [t("dispute.account.agency", lang)]
    before = a.registered_on is not None and signed is not None and a.registered_on < signed
    return [t("dispute.account.yours_before" if before else "dispute.account.yours", lang)]


def sections(r: DisputeReport, lang: str = "zh") -> list[tuple[str, list[str]]]:
    """The report as headed lists of sentences (CLI, PDF, web share these words)."""
    e, rel = r.exposure, r.relationship
    exp = [t("dispute.exp.as_written", lang, amount=cny(e.as_written, lang))]
    exp += ["  " + say(x, lang) for x in e.as_written_why]
    if e.claim is not None:
        exp.append(t("dispute.exp.claim", lang, amount=cny(e.claim, lang)))
    exp.append(t("dispute.exp.loss", lang, amount=cny(e.loss, lang)))
    if e.loss_why is not None:
        exp.append("  " + say(e.loss_why, lang))
    exp.append(t("dispute.exp.reduced", lang, range=_range(e.reduced_low, e.reduced_high, lang)))
    exp += ["  " + say(x, lang) for x in e.reduction_why]
    if e.owed_to_streamer:
        exp.append(t("dispute.exp.net", lang, range=_range(e.net_low, e.net_high, lang)))
    exp.append(t("dispute.exp.outcomes", lang, range=_range(e.outcome_low, e.outcome_high, lang)))
    exp.append(t("dispute.not_advice", lang))
    cases = []
    for m in e.closest:
        c = m.case
        cases.append(t("dispute.case.line", lang, title=c.title.get(lang, c.title["zh"]),
                       court=c.court, year=c.year or t("dispute.unknown", lang),
                       claimed=cny(c.claimed, lang),
                       paid=cny(c.paid, lang) if c.paid is not None else t("dispute.not_reported", lang)))
        cases.append("  " + c.summary.get(lang, c.summary["zh"]))
        if m.matched:
            cases.append("  " + t("dispute.case.matched", lang,
                                  facts=t("dispute.sep", lang).join(_fact(f, lang) for f in m.matched)))
        if m.differs:
            cases.append("  " + t("dispute.case.differs", lang,
                                  facts=t("dispute.sep", lang).join(_fact(f, lang) for f in m.differs)))
        cases.append("  " + t("dispute.case.source", lang, source=c.reference,
                              quality=t(f"dispute.quality.{c.quality}", lang)))
    rel_lines = [t(f"dispute.rel.verdict.{rel.verdict}", lang, labour=rel.labour,
                   cooperation=rel.cooperation)]
    for f in rel.factors:
        toward = t(f"dispute.rel.toward.{f.toward}", lang) if f.toward else t("dispute.rel.toward.none", lang)
        answer = t("dispute.answer." + {True: "yes", False: "no", None: "unsaid"}[f.answer], lang)
        rel_lines.append("  " + t("dispute.rel.factor_line", lang, factor=t(f"dispute.factor.{f.name}", lang),
                                  kind=t(f"dispute.factor_kind.{f.kind}", lang), answer=answer,
                                  toward=toward))
    rel_lines += [say(x, lang) for x in rel.follows]
    check = [t("dispute.check.line", lang,
               mark=t("dispute.check.present" if row.present else "dispute.check.missing", lang),
               item=t(f"dispute.item.{row.item.id}", lang),
               point=t(f"dispute.point.{row.item.supports}", lang), tag=tag(row.item.id))
             for row in r.checklist]
    rel_lines += _account_lines(r.profile, lang)
    lawyer = [say(x, lang) for x in e.lawyer_now] or [t("dispute.lawyer.not_yet", lang)]
    return [(t("dispute.h.exposure", lang), exp), (t("dispute.h.cases", lang), cases),
            (t("dispute.h.relationship", lang), rel_lines), (t("dispute.h.checklist", lang), check),
            (t("dispute.h.lawyer", lang), lawyer)]


def report_json(r: DisputeReport) -> dict:
    """The report as data for the API (amounts as strings, exact)."""
    def s(v):
        return None if v is None else str(v)

    e, rel = r.exposure, r.relationship
    return {
        "schema": "xiabo.dispute/1", "today": r.today.isoformat(),
        "exposure": {"as_written": s(e.as_written), "claim": s(e.claim), "loss": s(e.loss),
                     "reduced": [s(e.reduced_low), s(e.reduced_high)],
                     "owed_to_streamer": s(e.owed_to_streamer), "net": [s(e.net_low), s(e.net_high)],
                     "published_outcomes": [s(e.outcome_low), s(e.outcome_high)],
                     "closest": [{"case": m.case.rule_id, "score": m.score, "claimed": s(m.case.claimed),
                                  "paid": s(m.case.paid), "matched": list(m.matched),
                                  "differs": list(m.differs)} for m in e.closest],
                     "lawyer_now": [x.key.rsplit(".", 1)[-1] for x in e.lawyer_now]},
        "relationship": {"verdict": rel.verdict, "labour": rel.labour, "cooperation": rel.cooperation,
                         "factors": [{"factor": f.name, "answer": f.answer, "toward": f.toward}
                                     for f in rel.factors]},
        "checklist": [{"item": row.item.id, "tag": tag(row.item.id), "supports": row.item.supports,
                       "present": row.present, "count": row.count} for row in r.checklist],
    }


def plan_lines(plan, lang: str) -> tuple[list[str], list[str]]:
    """The case plan's contract timeline and its letters with their clocks, as lines for the
    bundle (the front ends plan the case; this only words it)."""
    timeline, letters = [], []
    for task in sorted(plan.tasks, key=lambda x: (x.due, x.id)):
        if task.kind == "letter":
            target = letters
        elif task.module == "contract" or task.kind == "evidence":  # the agency, and the proof
            target = timeline
        else:
            continue
        status = t(f"export.status.{task.status}", lang)
        target.append(t("dispute.pdf.task_line", lang, due=task.due.isoformat(), title=task.title,
                        status=status))
    return timeline, letters
