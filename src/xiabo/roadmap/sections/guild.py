"""The guild (公会) exit on the platform: a procedure with clocks, read from ``guild.exit.*``.

Who starts it, the minimum tenure and the monthly quota (the earliest day to apply), the
guild's answer window (a legal period, 民法典 Art. 201/203), the evidence rounds, the
platform's review in working days, the appeal, agreed versus forced exit with what each costs
(shown before the choice), and the exemptions (a guild losing its status, long inactivity).
A rule the platform's pack leaves out is no step of its procedure; a rule whose value is
unknown becomes words saying what to check in the app, never a guessed date. The account
deletion waits for the exit (a blocker), because every exit-path task precedes it.
"""

from __future__ import annotations

from datetime import date, timedelta

from .. import calendar as cal
from ..planner import Dep
from ._common import L

G = L + "guild."  # catalogue prefix of this section's texts
_K = "guild.exit."  # rule keys


class _Procedure:
    """The platform's guild-exit rules on the plan's date, and the unknown ones to check."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.unknown: list[str] = []  # rule keys whose value is unknown (check words)

    def rule(self, key: str):
        return self.ctx.view.find(_K + key)

    def has(self, key: str) -> bool:
        return self.rule(key) is not None

    def value(self, key: str):
        """The value, or None when the pack leaves it out or it is unknown (then noted)."""
        rule = self.rule(key)
        if rule is None:
            return None
        self.ctx.rule_id(_K + key)
        if rule.unknown_at(self.ctx.on):
            if _K + key not in self.unknown:
                self.unknown.append(_K + key)
            return None
        return rule.value_at(self.ctx.on)


def _first_of_next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def build_guild(ctx) -> None:
    g = ctx.p.guild
    if not g.bound:
        return
    name = g.name or G + "the_guild"
    if g.left_on is not None:  # the binding is gone: the exit is a fact, nothing blocks
        ctx.add("guild-exit-done", "contract", "guild_exit_done",
                (G + "done.title", {"guild": name}), steps=[(G + "done.s1", {})],
                rules=[_K + "route"], days=0, not_before=g.left_on)
        ctx.fact("guild-exit-done", g.left_on)
        return
    proc = _Procedure(ctx)
    route = proc.value("route")
    starter = proc.value("starter")
    kinds = proc.value("kinds") or ()
    days_cal = cal.for_book(ctx.view.book)

    # ---- the exemptions: a guild that lost its status, long inactivity
    free_move = None
    loss = proc.rule("exemption.status_loss")
    if loss is not None and g.level and g.level_lost:
        text = proc.value("exemption.status_loss")
        if text is not None and text.get("level") in (None, g.level):
            free_move = text
    idle_from = _idle_release_day(proc, g)

    # ---- the earliest day to apply: tenure, then the monthly quota
    earliest = None
    tenure = proc.value("min_tenure_days")
    if tenure is not None and g.joined_on is not None:
        earliest = g.joined_on + timedelta(days=int(tenure))
    quota = proc.value("monthly_quota")
    if quota and g.quota_full_this_month and g.exit_started_on is None:
        nxt = _first_of_next_month(ctx.on)
        earliest = nxt if earliest is None or nxt > earliest else earliest
    released = idle_from is not None and (earliest is None or idle_from <= earliest
                                          or idle_from <= ctx.on)

    # ---- the choice between kinds, each with its cost shown first
    chosen_cost = None
    choose = None
    if kinds and free_move is None and not released:
        costs = [(k, _cost(proc, k["code"])) for k in kinds]
        if g.exit_kind is None:
            steps = [(G + "choose.cost", {"kind": k, "cost": c if c is not None else
                                          G + "choose.cost_unknown"}) for k, c in costs]
            steps.append((G + "choose.s_last", {}))
            ctx.add("guild-exit-choose", "contract", "guild_exit_choose",
                    (G + "choose.title", {}), steps=steps,
                    rules=[_K + "kinds"] + [_K + f"{k['code']}_cost" for k in kinds
                                            if proc.has(f"{k['code']}_cost")])
            choose = "guild-exit-choose"
        else:
            chosen_cost = next(((k, c) for k, c in costs if k["code"] == g.exit_kind), None)

    # ---- the application (or the exemption's own route)
    apply_rules = [_K + "route"] + [_K + k for k in ("starter", "min_tenure_days",
                                                      "monthly_quota", "personal_reason_accepted",
                                                      "exemption.whitelist") if proc.has(k)]
    steps = [(G + "apply.route", {"route": route}) if route is not None
             else (G + "apply.route_unknown", {})]
    if free_move is not None:
        steps = [(G + "free.s1", {"text": free_move}), (G + "free.s2", {})] + steps
        kind, title = "guild_free_move", (G + "free.title", {"guild": name, "level": _level(
            proc, g.level)})
        apply_rules.append(_K + "exemption.status_loss")
        ctx.warn("guild-free-move", ("warnings.guild_free_move", {"text": free_move}),
                 [ctx.rule_id(_K + "exemption.status_loss")])
    elif released:
        steps = [(G + "idle.s1", {"months": proc.value("exemption.idle_months"),
                                  "tenure": proc.value("exemption.idle_tenure_months")}),
                 (G + "idle.s2", {})]
        kind, title = "guild_release", (G + "idle.title", {"guild": name})
        apply_rules += [_K + "exemption.idle_months", _K + "exemption.idle_tenure_months"]
    else:
        kind, title = "guild_exit_apply", (G + "apply.title", {"guild": name})
        steps += _starter_steps(starter, g, proc)
        if proc.value("personal_reason_accepted") is False:
            steps.append((G + "apply.no_personal_reason", {}))
        if tenure is not None:
            steps.append((G + "apply.tenure", {"days": tenure}) if g.joined_on is not None
                          else (G + "apply.tenure_no_date", {"days": tenure}))
        if quota:
            steps.append((G + "apply.quota_full", {}) if g.quota_full_this_month
                         else (G + "apply.quota", {}))
        if chosen_cost is not None:
            k, c = chosen_cost
            steps.append((G + "apply.chosen", {"kind": k, "cost": c if c is not None else
                                               G + "choose.cost_unknown"}))
        if g.level and loss is not None and not g.level_lost:
            steps.append((G + "apply.status_watch", {"level": _level(proc, g.level)}))
        steps.append((G + "apply.letter", {}))
    check = _check_task(ctx, proc)
    deps = [Dep(t, 1) for t in (check, choose) if t]
    not_before = (idle_from if idle_from > ctx.on else None) if released else earliest
    apply = ctx.add("guild-exit-apply", "contract", kind, title, steps=steps, rules=apply_rules,
                    deps=deps, not_before=not_before)
    ctx.fact("guild-exit-apply", g.exit_started_on)
    if earliest is not None and earliest > ctx.on and g.exit_started_on is None and not released:
        by_quota = bool(quota and g.quota_full_this_month
                        and earliest == _first_of_next_month(ctx.on))
        ctx.block("guild-earliest", _K + ("monthly_quota" if by_quota else "min_tenure_days"),
                  ("blockers.guild_quota" if by_quota else "blockers.guild_tenure",
                   {"days": tenure, "guild": name}), "guild-exit-apply", lapses=True)
    last = apply.id

    # ---- the guild's answer, the evidence rounds, the review and the appeal
    agreed_path = free_move is not None or released or g.guild_answer == "agreed"
    rounds = proc.value("evidence_rounds") or 0
    answer_days = proc.value("guild_answer_days")
    if answer_days is not None and free_move is None and not released:
        answer_by = (days_cal.legal_period_end(g.exit_started_on, int(answer_days))[0]
                     if g.exit_started_on is not None else None)
        if rounds >= 1:
            ev = ctx.add("guild-evidence-1", "contract", "guild_evidence",
                         (G + "evidence.title", {"round": 1}),
                         steps=[(G + "evidence.s1", {}), (G + "evidence.s2", {}),
                                (G + "evidence.letter", {"round": 1})],
                         rules=[_K + "evidence_rounds", _K + "guild_answer_days"],
                         deps=[Dep(last, 0)])
            ev.deadline = answer_by
            if answer_by is not None:
                ev.deadline_what = (G + "answer.deadline", {})
        ctx.add("guild-answer", "contract", "guild_answer",
                (G + "answer.title", {"days": answer_days, "guild": name}),
                steps=[(G + "answer.s1", {"days": answer_days}), (G + "answer.s2", {})],
                rules=[_K + "guild_answer_days", "common.law.period_start_next_day",
                       "common.law.period_end_holiday_extends"],
                deps=[Dep(last, int(answer_days), "legal")], days=0, follows=True)
        if g.guild_answer != "none":
            ctx.fact("guild-answer", g.guild_answer_on or g.exit_started_on)
        last = "guild-answer"
    if not agreed_path:
        if rounds >= 2:
            ctx.add("guild-evidence-2", "contract", "guild_evidence",
                    (G + "evidence.title", {"round": 2}),
                    steps=[(G + "evidence.s2_1", {}), (G + "evidence.s2", {}),
                           (G + "evidence.letter", {"round": 2})],
                    rules=[_K + "evidence_rounds"], deps=[Dep(last, 1)])
            last = "guild-evidence-2"
        review = proc.value("review_working_days")
        if review is not None or proc.has("review_working_days"):
            longest = int(review["max"]) if isinstance(review, dict) else (
                int(review) if review is not None else 1)
            spec = ctx.add("guild-review", "contract", "guild_review",
                           (G + ("review.title" if review is not None else "review.title_unknown"),
                            {"days": review}),
                           steps=[(G + "review.s1", {"days": review}) if review is not None
                                  else (G + "review.unknown", {}), (G + "review.s2", {})],
                           rules=[_K + "review_working_days"], deps=[Dep(last, 1)],
                           days=longest, unit="working", follows=True)
            if g.review_started_on is not None:
                spec.not_before, spec.deps = g.review_started_on, []
            if g.review_result != "none":
                spec.done = g.review_result_on or g.review_started_on or g.exit_started_on
            last = "guild-review"
        appeals = proc.value("appeals")
        if appeals and g.review_result != "approved":
            appeal_days = proc.value("appeal_days")
            rejected = g.review_result == "rejected"
            spec = ctx.add("guild-appeal", "contract", "guild_appeal",
                           (G + "appeal.title", {"n": appeals}),
                           steps=[(G + "appeal.s1", {"n": appeals}),
                                  (G + "appeal.days", {"days": appeal_days})
                                  if appeal_days is not None else (G + "appeal.days_unknown", {}),
                                  (G + "appeal.letter", {})]
                           + ([] if rejected else [(G + "appeal.only_if", {})]),
                           rules=[_K + "appeals"] + ([_K + "appeal_days"]
                                                     if proc.has("appeal_days") else []),
                           deps=[Dep(last, 1)], exit_path=rejected)
            if rejected and appeal_days is not None and g.review_result_on is not None:
                spec.deadline = days_cal.legal_period_end(g.review_result_on, int(appeal_days))[0]
                spec.deadline_what = (G + "appeal.deadline", {})
            ctx.fact("guild-appeal", g.appeal_on)
            if rejected:
                last = "guild-appeal"
    done_steps = [(G + "done.s1", {}), (G + "done.s2", {})]
    cooldown = proc.value("cooldown_days")
    if cooldown is not None:  # joining another guild afterwards (B站: no cooldown)
        done_steps.append((G + "done.cooldown", {"days": cooldown}) if cooldown
                          else (G + "done.no_cooldown", {}))
    ctx.add("guild-exit-done", "contract", "guild_exit_done", (G + "done.title", {"guild": name}),
            steps=done_steps, rules=[_K + "route"] + ([_K + "cooldown_days"]
                                                     if proc.has("cooldown_days") else []),
            deps=[Dep(last, 1 if last != apply.id else 0)], days=0, follows=True)
    ctx.fact("guild-exit-done", g.left_on)
    if ctx.p.delete_account:
        ctx.block("guild", _K + "route", ("blockers.guild", {"guild": name}), "guild-exit-done")


def _idle_release_day(proc: _Procedure, g) -> date | None:
    """The first day staff may release an inactive streamer (斗鱼), if the rules have one."""
    if not proc.has("exemption.idle_months") or g.joined_on is None:
        return None
    idle = proc.value("exemption.idle_months")
    tenure = proc.value("exemption.idle_tenure_months")
    last = g.last_broadcast_on or proc.ctx.p.last_live_on
    if idle is None or tenure is None or last is None:
        return None
    return max(cal.add_months(g.joined_on, int(tenure)), cal.add_months(last, int(idle)))


def _cost(proc: _Procedure, code: str):
    return proc.value(f"{code}_cost") if proc.has(f"{code}_cost") else None


def _level(proc: _Procedure, code: str):
    """The guild level in the platform's own words (``platinum`` → 白金公会)."""
    for level in proc.value("levels") or ():
        if level.get("code") == code:
            return level
    return code


def _starter_steps(starter, g, proc: _Procedure) -> list[tuple[str, dict]]:
    if starter is None:
        return [(G + "apply.starter_unknown", {})]
    code = starter.get("code")
    if code == "channel_owner":
        if g.channel_owner == "self":
            return [(G + "apply.owner_self", {"who": starter})]
        if g.channel_owner is None:
            return [(G + "apply.owner_unknown", {"who": starter})]
        return [(G + "apply.owner_guild", {"who": starter})]
    if code == "guild":
        return [(G + "apply.guild_decides", {"who": starter})]
    return [(G + "apply.starter", {"who": starter})]


def _check_task(ctx, proc: _Procedure) -> str | None:
    """One task, dated now, listing what to look up in the app for every unknown value."""
    for key in ("guild_answer_days", "review_working_days", "appeal_days", "exemption.whitelist",
                "forced_cost", "agreed_cost"):
        if proc.has(key):
            proc.value(key)  # notes it when unknown
    if not proc.unknown:
        return None
    rules = [ctx.view.rule(key) for key in proc.unknown]
    steps = [(G + "check.step", {"title": rule.title, "check": rule.check or G + "check.no_words"})
             for rule in rules]
    ctx.add("guild-check", "contract", "guild_check", (G + "check.title", {}), steps=steps,
            rules=list(proc.unknown))
    return "guild-check"
