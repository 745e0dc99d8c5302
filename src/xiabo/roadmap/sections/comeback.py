"""§7 竞业限制与平台回归策略: non-compete, rest period and the way back.

A section builder reads rules through ``ctx`` (see :mod:`xiabo.roadmap.engine`) and adds
tasks, blockers and warnings.
"""

from __future__ import annotations

from ..planner import Dep
from ._common import L, has


# ---------------------------------------------------------------- comeback
def build_comeback(ctx) -> None:
    plan = ctx.p.comeback.plan
    if plan == "none":
        return
    rules: list[str] = []
    if has(ctx, "non-compete-end"):
        deps = [Dep("non-compete-end", 1)]
        steps = [(L + "comeback.s_non_compete", {})]
    elif ctx.p.contract.signed and ctx.p.delete_account and plan == "other_platform":
        gap = ctx.value("comeback.other_platform_gap_months")
        deps = [Dep("mcn-termination", gap["min"], "months")]
        steps = [(L + "comeback.s_guide_gap", {"min": gap["min"], "max": gap["max"]})]
        rules.append("comeback.other_platform_gap_months")
        ctx.warn("non-compete-unknown", ("warnings.non_compete_unknown",
                                         {"min": gap["min"], "max": gap["max"]}),
                 [ctx.rule_id("comeback.other_platform_gap_months")])
    else:
        deps = [Dep("deletion-review" if has(ctx, "deletion-review") else "auto-reply", 1)]
        steps = []
    if plan == "same_platform":
        if ctx.p.delete_account:
            steps.append((L + "comeback.s_new_account", {}))
            rules.append("comeback.new_account")
        recert = ctx.get("comeback.recertification_after_days")
        if recert:
            steps.append((L + "comeback.s_recert", {"days": recert}))
            rules.append("comeback.recertification_after_days")
    else:
        where = ctx.p.comeback.platform
        steps.append((L + "comeback.s_other", {"platform": where}) if where
                     else (L + "comeback.s_other_unnamed", {}))
        rules.append("comeback.new_account")
    ctx.add("comeback", "comeback", "comeback", (L + f"comeback.title_{plan}", {}),
            steps=steps, rules=rules, deps=deps, exit_path=False)
