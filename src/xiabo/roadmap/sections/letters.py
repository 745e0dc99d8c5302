"""Open letters (xiabo letters) among the plan's tasks and blockers.

The facts come from ``xiabo.cases``' letters source as plain dicts (this core never imports
the letters package): one task per letter — send the draft, or wait for the answer until its
due date — and, while a requested copy of one's personal information has not arrived, a
blocker on the deletion request, which then waits for the copy.
"""

from __future__ import annotations

from ...i18n import t
from ..planner import Dep


def _words(key: str) -> dict[str, str]:
    """A catalogue entry in both languages: the engine stays free of the plan's language."""
    return {"zh": t(key, "zh"), "en": t(key, "en")}


def _key(ctx, rule_id: str) -> str:
    """A clock's rule id as the engine takes it: ``common.…`` as is, a platform's own rule
    (``douyin.guild.exit.guild_answer_days``) by its key, resolved along the platform's chain."""
    if rule_id.startswith("common."):
        return rule_id
    key = rule_id.split(".", 1)[1]
    return key if ctx.view.find(key) is not None else rule_id


def build_letters(ctx) -> None:
    for fact in ctx.facts.get("letters") or ():
        if fact["kind"] == "termination" and fact["state"] in ("drafted", "sent", "unanswered"):
            continue  # the contract section's own notice task and notice date cover it
        tid = f"letter-{fact['id']}"
        kind_key = _words(f"letters.kinds.{fact['kind']}")
        module = "contract" if fact.get("to") == "agency" else "legal"  # the letters pack's
        rule = fact.get("due_rule") or ""
        rules = ["contract.notice_days"] if rule.startswith("profile:") or not rule else [
            _key(ctx, rule)]
        if fact["state"] == "drafted":
            ctx.add(tid, module, "letter", ("letters.plan.task_send", {"kind": kind_key}),
                    steps=[("letters.plan.step_send", {"id": fact["id"]})], rules=rules,
                    exit_path=False)
        else:
            steps = []
            if fact.get("due"):
                steps.append(("letters.plan.step_due", {"due": fact["due"].isoformat()}))
            if fact.get("overdue_days"):
                nxt = _words({"followup": "letters.plan.next_followup",
                              "escalate": "letters.plan.next_escalate"}.get(
                                  fact.get("next") or "", "letters.plan.next_wait"))
                steps.append(("letters.plan.step_overdue", {"days": fact["overdue_days"],
                                                            "next": nxt}))
            sent, due = fact.get("sent_on"), fact.get("due")
            # the event spans sending to the due date, so calendars remind before the deadline
            span = (due - sent).days if sent and due and due >= sent else 0
            ctx.add(tid, module, "letter", ("letters.plan.task", {"kind": kind_key}),
                    steps=steps, rules=rules, not_before=sent if span else due,
                    days=span + 1 if span else 0,
                    exit_path=False)
            if due:  # the answer is owed by then: past it, the letter is overdue, not waiting
                ctx.tasks[-1].deadline = due
                ctx.tasks[-1].deadline_what = ("plan.deadline.reply_due", {})
        spec = ctx.tasks[-1]
        if not fact.get("open", True):
            spec.done = fact.get("answered_on") or fact.get("closed_on") or spec.done
        if fact.get("holds_deletion") and fact.get("open", True) and "apply-deletion" in ctx.ids:
            apply = next(t for t in ctx.tasks if t.id == "apply-deletion")
            apply.deps.append(Dep(tid, 1))
            if fact["state"] != "drafted":
                ctx.block(f"letter:{fact['id']}", "common.letters.basis.pi_access",
                          ("letters.plan.blocker_copy", {"id": fact["id"]}), tid)
