"""The stored case's dispute, assessed: the profile from the store, the case's evidence log
for the checklist, the stored plan for the timeline and the letters' clocks."""

from __future__ import annotations

from ...dispute import DisputeProfile, assess, dispute_from_dict
from ...dispute.report import DisputeReport, plan_lines


def profile_of(data: dict | None) -> DisputeProfile:
    return dispute_from_dict(data or {}, "<web>")


def report_for(ctx, dc) -> DisputeReport:
    """The exposure sets off what the case's last payouts reconciliation found unpaid."""
    from ...cases import rulebook
    from ...dispute.payouts.kept import kept_shortfall
    from ...evidence import default_dir
    from ...paths import case_dir

    return assess(profile_of(dc.data), rulebook(), today=ctx.today,
                  evidence_dir=default_dir(dc.case.folder),
                  payout_shortfall=kept_shortfall(case_dir(dc.case.folder) / "payouts"))


def lines_for(ctx, case, lang: str) -> tuple[list[str], list[str]]:
    from ...cases.planning import plan_stored

    return plan_lines(plan_stored(case, ctx.db, ctx.today, lang), lang)
