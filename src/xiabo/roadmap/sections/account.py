"""§1 账号注销流程与前置条件: the account's status first, the deletion request last.

A section builder reads rules through ``ctx`` (see :mod:`xiabo.roadmap.engine`) and adds
tasks, blockers and warnings.
"""

from __future__ import annotations

from ...rules import is_unknown
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
                   *_optional_steps(ctx, ("deletion.preconditions", "deletion.blocked_by")),
                   (L + "apply_deletion.s2", {}), (L + "apply_deletion.s3", {})],
            rules=["deletion.path", "deletion.requires_unbinding", "deletion.balance_requirement"],
            deps=[Dep("verify-identity", 0)], milestone="deletion_apply")
    ctx.fact("apply-deletion", p.account.deletion_applied_on)
    _cite(ctx, ("deletion.preconditions", "deletion.blocked_by"))
    if ctx.view.find("deletion.terminated_by_open_items"):
        ctx.tasks[-1].steps.append((L + "apply_deletion.terminated", {}))
        ctx.tasks[-1].rules.append(ctx.rule_id("deletion.terminated_by_open_items"))
    title, first, days, unit = _review_words(ctx, review)
    note = ctx.view.rule("deletion.review_days").note  # the pack's words on what the period is
    ctx.add("deletion-review", "account", "await_review", title,
            steps=[(L + "deletion_review.note", {"note": note}) if note else first,
                   _login_step(ctx), (L + "deletion_review.s3", {})],
            rules=["deletion.review_days"], deps=[Dep("apply-deletion", 1)], days=days, unit=unit,
            milestone="deletion_complete", follows=True)
    _cite(ctx, ("deletion.reactivation_days",))


def _cite(ctx, keys: tuple[str, ...]) -> None:
    """The last task also rests on those of ``keys`` the platform's pack has."""
    for key in keys:
        if ctx.view.find(key) is not None:
            ctx.tasks[-1].rules.append(ctx.rule_id(key))


def _optional_steps(ctx, keys: tuple[str, ...]) -> list[tuple[str, dict]]:
    """A step for each of ``keys`` the platform's pack has (its value, or what to check)."""
    steps = []
    for key in keys:
        if ctx.view.find(key) is not None:
            steps.append((L + f"apply_deletion.{key.split('.')[-1]}", {"what": ctx.value(key)}))
    return steps


def _review_words(ctx, review) -> tuple[tuple[str, dict], tuple[str, dict], int, str | None]:
    """(title, first step, days, day unit) of the review. An unknown period is dated by what
    is known (it starts the day after the request) and says what to check instead of a number."""
    if is_unknown(review):
        return ((L + "deletion_review.title_unknown", {}),
                (L + "deletion_review.s1_unknown", {"check": review}), 1, None)
    if ctx.view.rule("deletion.review_days").unit == "working_days":
        return ((L + "deletion_review.title_working", {"days": review}),
                (L + "deletion_review.s1_working", {"days": review}), review, "working")
    return ((L + "deletion_review.title", {"days": review}),
            (L + "deletion_review.s1", {"days": review}), review, None)


def _login_step(ctx) -> tuple[str, dict]:
    """Do not log in: for as many days as the pack says logging in cancels, or what to check."""
    if ctx.view.find("deletion.reactivation_days") is None:
        return (L + "deletion_review.s2", {})
    window = ctx.value("deletion.reactivation_days")
    if is_unknown(window):
        return (L + "deletion_review.s2_unknown", {"check": window})
    return (L + "deletion_review.s2_days", {"days": window})
