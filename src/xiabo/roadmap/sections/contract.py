"""§3 经纪合约解除与违约风险: notice, termination, settlement with the agency.

A section builder reads rules through ``ctx`` (see :mod:`xiabo.roadmap.engine`) and adds
tasks, blockers and warnings.
"""

from __future__ import annotations

from decimal import Decimal

from ..planner import Dep
from ._common import L


# ---------------------------------------------------------------- contract
def build_contract(ctx) -> None:
    c = ctx.p.contract
    if not c.signed:
        return
    agency = c.agency or ""
    if not ctx.p.delete_account:
        ctx.add("rest-period", "contract", "negotiate_rest_period",
                (L + "rest_period.title", {"agency": agency}),
                steps=[(L + "rest_period.s1", {"agency": agency}), (L + "rest_period.s2", {}),
                       (L + "rest_period.s3", {})],
                rules=["comeback.rest_period"])
        return
    notice_days = c.notice_days if c.notice_days is not None else ctx.value("contract.notice_days")
    ctx.facts["notice_days"] = notice_days
    notice_rules = ["contract.notice_days"] if c.notice_days is None else []
    if c.kind == "labour":
        notice_rules.append("common.law.labour_notice_days")
    steps = [(L + "mcn_notice.s1", {}), (L + "mcn_notice.s2", {"days": notice_days}),
             (L + "mcn_notice.s3", {}), (L + "mcn_notice.s4", {})]
    ctx.add("mcn-notice", "contract", "mcn_notice", (L + "mcn_notice.title", {"agency": agency}),
            steps=steps, rules=notice_rules + ["contract.legal_review"],
            milestone="mcn_notice")
    ctx.fact("mcn-notice", c.notice_sent_on)
    ctx.add("mcn-termination", "contract", "mcn_termination",
            (L + "mcn_termination.title", {"agency": agency}),
            steps=[(L + "mcn_termination.s1", {"days": notice_days}), (L + "mcn_termination.s2", {})],
            rules=notice_rules + ["common.law.period_start_next_day",
                                  "common.law.period_end_holiday_extends"],
            deps=[Dep("mcn-notice", notice_days, "legal")], days=0, milestone="mcn_termination",
            follows=True)
    if c.ends_on is not None:  # a contract date: the exit must take effect by then
        ctx.tasks[-1].deadline = c.ends_on
        ctx.tasks[-1].deadline_what = ("plan.deadline.contract_end", {})
    settle_steps = [(L + "settle_agency.s1", {"items": ctx.value("contract.settle_items")}),
                    (L + "settle_agency.s2", {})]
    settle_rules = ["contract.settle_items"]
    protection = ctx.get("contract.creator_protection_plan")
    if protection:
        settle_steps.append((L + "settle_agency.protection", {"text": protection}))
        settle_rules.append("contract.creator_protection_plan")
    ctx.add("settle-agency", "contract", "settle_agency",
            (L + "settle_agency.title", {"agency": agency}), steps=settle_steps,
            rules=settle_rules, deps=[Dep("mcn-notice", 1)])
    ctx.block("contract", "contract.notice_days", ("blockers.contract", {"agency": agency}),
              "mcn-termination", lapses=True)
    months = c.non_compete_months
    if months:
        nc_rules = ["contract.non_compete_years"]
        nc_steps = [(L + "non_compete.s1", {"months": months}), (L + "non_compete.s2", {})]
        if c.kind == "labour":
            nc_rules += ["common.law.labour_non_compete_max_months",
                         "common.law.non_compete_unpaid_months"]
            nc_steps.append((L + "non_compete.labour", {
                "max": ctx.view.book.value("common.law.labour_non_compete_max_months", ctx.on),
                "unpaid": ctx.view.book.value("common.law.non_compete_unpaid_months", ctx.on)}))
        else:  # a cooperation agreement or a brokerage contract: named as the contract is
            nc_steps.append((L + f"non_compete.{c.kind}", {}))
        ctx.add("non-compete-end", "contract", "non_compete",
                (L + "non_compete.title", {"months": months}), steps=nc_steps, rules=nc_rules,
                deps=[Dep("mcn-termination", months, "months")], days=0, exit_path=False,
                milestone="non_compete_end", follows=True)
    if c.penalty_cny:
        ratio = ctx.view.book.value("common.law.penalty_excessive_ratio", ctx.on)
        ctx.warn("penalty", ("warnings.penalty", {"penalty": f"{c.penalty_cny:,.2f}",
                                                  "pct": f"{Decimal(ratio) * 100:.0f}"}),
                 ["common.law.penalty_excessive_ratio"])
