"""§1 账号注销流程与前置条件: the account's status first, the deletion request last.

A section builder reads rules through ``ctx`` (see :mod:`xiabo.roadmap.engine`) and adds
tasks, blockers and warnings.
"""

from __future__ import annotations

from ..planner import Dep
from ._common import L, has


# ---------------------------------------------------------------- account
def build_account_status(ctx) -> None:
    p = ctx.p
    if p.account.status != "normal" or p.account.pending_violations:
        ctx.add("account-status", "account", "resolve_account_status",
                (L + "account_status.title", {}),
                steps=[(L + "account_status.s1", {"status": p.account.status,
                                                  "n": p.account.pending_violations}),
                       (L + "account_status.s2", {}), (L + "account_status.s3", {})],
                rules=["deletion.requires_normal_status", "deletion.requires_no_violations"])
    if p.account.status != "normal":
        ctx.block("account-status", "deletion.requires_normal_status",
                  ("blockers.account_status", {"status": p.account.status}), "account-status")
    if p.account.pending_violations:
        ctx.block("violations", "deletion.requires_no_violations",
                  ("blockers.violations", {"n": p.account.pending_violations}), "account-status")


# ---------------------------------------------------------------- account deletion
def build_account_deletion(ctx) -> None:
    p = ctx.p
    unbind_deps = [Dep(t, 1) for t in ("withdraw", "tax-records") if has(ctx, t)]
    bindings = list(p.account.bindings)
    for binding in bindings:
        tid = f"unbind-{binding}"
        ctx.add(tid, "account", "unbind", (L + "unbind.title", {"binding": L + f"bindings.{binding}"}),
                steps=[(L + "unbind.s1", {"binding": L + f"bindings.{binding}"}), (L + "unbind.s2", {})],
                rules=["deletion.requires_unbinding"], deps=unbind_deps)
        ctx.block(f"binding:{binding}", "deletion.requires_unbinding",
                  ("blockers.binding", {"binding": L + f"bindings.{binding}"}), tid)
    if not p.delete_account:
        return
    prereq = [t.id for t in ctx.tasks if t.exit_path and t.id not in ("evidence-setup",)
              and t.kind not in ("announce", "non_compete", "opinion_monitoring")]
    verification = ctx.value("deletion.identity_verification")
    ctx.add("verify-identity", "account", "verify_identity", (L + "verify_identity.title", {}),
            steps=[(L + "verify_identity.s1", {"methods": verification}), (L + "verify_identity.s2", {})],
            rules=["deletion.identity_verification"], deps=[Dep(t, 1) for t in prereq])
    review = ctx.value("deletion.review_days")
    ctx.add("apply-deletion", "account", "apply_deletion", (L + "apply_deletion.title", {}),
            steps=[(L + "apply_deletion.s1", {"path": ctx.value("deletion.path")}),
                   (L + "apply_deletion.s2", {}), (L + "apply_deletion.s3", {})],
            rules=["deletion.path", "deletion.requires_unbinding", "deletion.balance_requirement"],
            deps=[Dep("verify-identity", 0)], milestone="deletion_apply")
    ctx.fact("apply-deletion", p.account.deletion_applied_on)
    if ctx.view.find("deletion.terminated_by_open_items"):
        ctx.tasks[-1].steps.append((L + "apply_deletion.terminated", {}))
        ctx.tasks[-1].rules.append(ctx.rule_id("deletion.terminated_by_open_items"))
    ctx.add("deletion-review", "account", "await_review", (L + "deletion_review.title", {"days": review}),
            steps=[(L + "deletion_review.s1", {"days": review}), (L + "deletion_review.s2", {}),
                   (L + "deletion_review.s3", {})],
            rules=["deletion.review_days"], deps=[Dep("apply-deletion", 1)], days=review,
            milestone="deletion_complete", follows=True)
