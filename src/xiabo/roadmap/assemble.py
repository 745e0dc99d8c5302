"""Assemble a Plan: profile + rules + today → engine → planner → texts in one language.

This is the one place where keys become sentences and rule ids become ``rules_used``; the
engine and planner stay free of language and I/O.
"""

from __future__ import annotations

import gc
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from operator import attrgetter

from ..errors import UserError
from ..i18n import normalise_lang, t
from ..rules import RuleBook, is_unknown
from ..vocabulary import render_text_param, rule_value
from . import calendar as cal
from .domain import check_dates
from .engine import build_tasks
from .plan import MILESTONES, Blocker, Plan, RuleUse, Task, Warning
from .planner import schedule
from .profile import Profile, input_notes
from .status import PRESSING, late_groups, pressure_key

__all__ = ["build_plan"]


# rendered catalogue entries per language; bounded (plain entries by the catalogue itself)
_PLAIN_CACHE: dict[str, dict[str, str]] = {}  # lang → key → text (entries without parameters)
_TEXT_CACHE: dict[str, dict[tuple, str]] = {}  # lang → (key, parameters) → text
_TEXT_CACHE_MAX = 20_000


def _text(key_params: tuple[str, dict], lang: str) -> str:
    """Render a catalogue entry; memoised because plans repeat the same sentences a lot."""
    key, params = key_params
    if not params:
        plain = _PLAIN_CACHE.get(lang)
        text = plain.get(key) if plain is not None else None
        if text is None:
            text = _PLAIN_CACHE.setdefault(lang, {})[key] = t(key, lang)
        return text
    return _with_params(key, params, lang)


def _texts(items: list[tuple[str, dict]], lang: str) -> list[str]:
    """``_text`` over a task's steps (most have no parameters: one dict lookup each)."""
    plain = _PLAIN_CACHE.get(lang)
    if plain is None:
        plain = _PLAIN_CACHE.setdefault(lang, {})
    out = []
    for key, params in items:
        if params:
            out.append(_with_params(key, params, lang))
            continue
        text = plain.get(key)
        if text is None:
            text = plain[key] = t(key, lang)
        out.append(text)
    return out


def _with_params(key: str, params: dict, lang: str) -> str:
    cache = _TEXT_CACHE.get(lang)
    if cache is None:
        cache = _TEXT_CACHE.setdefault(lang, {})
    memo = (key, *params.items())
    try:
        text = cache.get(memo)
    except TypeError:  # a mapping or list among the values: key on its repr instead
        memo = (key, repr(params))
        text = cache.get(memo)
    if text is None:
        text = t(key, lang, **{k: render_text_param(v, lang) for k, v in params.items()})
        if len(cache) >= _TEXT_CACHE_MAX:  # small enough to stay in the CPU's caches
            cache.clear()
        cache[memo] = text
    return text


def _figures(profile: Profile, book: RuleBook, platform: str, on: date, lang: str):
    """Money figures (guide and statutory side by side), their rule ids, and warnings; a
    figure the packs cannot compute is the words saying what to check."""
    from ..money.settlement import figures

    out = dict(figures(book, platform, on, profile.money.balance_cny, profile.money.diamonds,
                       profile.money.pending_gift_orders))
    rules = out.pop("rules", {})
    warnings = out.pop("warnings", [])
    return ({k: render_text_param(v, lang) if is_unknown(v) else str(v) for k, v in out.items()},
            rules, warnings)


def _stake(params: dict) -> Decimal | None:
    """The largest sum of money a warning's parameters name (how much is at stake)."""
    best = None
    for key, value in params.items():
        if key in ("penalty", "balance") or key.endswith(("_cny", "_tax")):
            try:
                num = Decimal(str(value).replace(",", ""))
            except (InvalidOperation, ValueError):
                continue
            best = num if best is None or num > best else best
    return best


def _unknown_progress(profile: Profile, by_id: dict, lang: str) -> list[Warning]:
    """A progress entry for a task this plan does not have: name the closest known task."""
    import difflib

    out = []
    for key in profile.progress or {}:
        if key in by_id:
            continue
        close = difflib.get_close_matches(key, list(by_id), n=1, cutoff=0.5)
        if close:
            msg = t("warnings.unknown_progress", lang, id=key, close=close[0],
                    title=by_id[close[0]].title)
        else:
            msg = t("warnings.unknown_progress_far", lang, id=key)
        out.append(Warning(f"unknown-progress:{key}", msg, []))
    return out


_SCHEDULING_UNITS = ("natural_days", "working_days", "days", "months")


def _contrast_warnings(book: RuleBook, used: set[str], on: date, lang: str,
                       covered: set[str], epoch: int) -> list[Warning]:
    """A warning for each used guide rule that a law/practice rule contradicts.

    ``covered`` holds rule ids a more specific warning (e.g. the tax figures) already explains.
    """
    out = []
    memo = book.memo("contrast_pairs")
    pairs = memo.get("all")
    if pairs is None:
        pairs = memo["all"] = [(rule, target) for rule in book.rules.values()
                               if rule.unit != "table" for target in rule.contrasts]
    for rule, target in pairs:
        if rule.id in covered or target not in used:
            continue
        agrees, warning = _contrast(book, rule, target, on, lang, epoch)
        if agrees and rule.id in used:
            continue  # the law rule is itself the basis and agrees: nothing to warn
        out.append(warning)
    return out


def _contrast(book: RuleBook, rule, target: str, on: date, lang: str,
              epoch: int) -> tuple[bool, Warning]:
    """(whether both rules give the same value, the warning) — the same within an epoch."""
    cache = book.memo("contrast_warning")
    key = (rule.id, target, lang, epoch)
    found = cache.get(key)
    if found is not None:
        return found
    guide = book.rules[target]
    note = render_text_param(rule.note, lang) if rule.note else ""
    msg = t("plan.contrast", lang,
            guide_title=guide.title.get(lang, guide.title["zh"]),
            guide_value=rule_value(guide, lang, on),
            guide_says=t(f"vocab.says.{guide.source}", lang),
            other_title=rule.title.get(lang, rule.title["zh"]),
            other_value=rule_value(rule, lang, on),
            other_says=t(f"vocab.says.{rule.source}", lang),
            reference=rule.reference, note=note,
            # only a figure that dates things is scheduled by; records years, texts are not
            closing=t("plan.contrast_schedules", lang) if guide.unit in _SCHEDULING_UNITS else "")
    found = (rule.value_at(on) == guide.value_at(on),
             Warning(f"contrast:{rule.id}", " ".join(msg.split()), [target, rule.id]))
    if len(cache) > 20_000:
        cache.clear()
    cache[key] = found
    return found


def _rules_used(book: RuleBook, ids: set[str], on: date, lang: str,
                epoch: int) -> list[RuleUse]:
    """The RuleUse records of ``ids``, sorted by id.

    A record is the same for every plan in one language and epoch (``book.epoch(on)``: equal
    epochs, equal value and effective date), so each is made once and kept on the book, in one
    table per language and epoch (at most one entry per rule).
    """
    tables = book.memo("rule_uses")
    table = tables.get((lang, epoch))
    if table is None:
        table = tables[(lang, epoch)] = {}
    out = []
    for rid in sorted(ids):
        use = table.get(rid)
        if use is None:
            rule = book.rules[rid]
            use = table[rid] = RuleUse(rid, rule.title.get(lang, rule.title["zh"]),
                                       rule.value_at(on), rule.unit, rule.source, rule.reference,
                                       rule.verified, rule.last_verified, rule.effective_from(on),
                                       rule.quality)
        out.append(use)
    return out


_DEP_TASK = attrgetter("task")  # a dependency's task id




def _listing_order(tasks: list[Task]) -> list[Task]:
    """Tasks past or at risk of a real deadline first (most days first), then the rest by
    date; within a day by deadline pressure, then slack (:func:`status.pressure_key`)."""
    pressing = sorted((x for x in tasks if x.status in PRESSING), key=pressure_key)
    rest = sorted((x for x in tasks if x.status not in PRESSING), key=_day_and_pressure)
    return pressing + rest


def _day_and_pressure(task: Task) -> tuple:
    return (task.start, *pressure_key(task))


def build_plan(profile: Profile, book: RuleBook, *, today: date, lang: str = "zh",
               evidence_counts: dict[str, int] | None = None,
               orders_earliest_close: date | None = None,
               backups: dict[str, dict] | None = None,
               letters: list[dict] | None = None,
               opinion: dict | None = None) -> Plan:
    """The whole roadmap for ``profile``. Pure: same inputs, same Plan.

    Python's cycle collector is paused while the plan is built: a plan makes many small
    objects and hardly any reference cycles, so collecting meanwhile finds next to nothing; yet
    each full collection walks every live object, and a large plan set off several of them (a
    third of the time of a 5,000-task plan, growing faster than the plan). Only a collector
    that was on is paused, and it is resumed however the plan ends (another thread may resume
    it a little early: harmless). Plain code rather than a context manager: this runs
    thousands of times a second.
    """
    args = (profile, book, today, lang, evidence_counts, orders_earliest_close, backups,
            letters, opinion)
    if not gc.isenabled():
        return _build_plan(*args)
    gc.disable()
    try:
        return _build_plan(*args)
    finally:
        gc.enable()


def _build_plan(profile: Profile, book: RuleBook, today: date, lang: str,
                evidence_counts: dict[str, int] | None, orders_earliest_close: date | None,
                backups: dict[str, dict] | None, letters: list[dict] | None,
                opinion: dict | None) -> Plan:
    lang = normalise_lang(lang)
    if profile.platform not in book.platforms:
        raise UserError("profile.unknown_platform",
                        {"platform": profile.platform, "choices": ", ".join(book.platform_ids())},
                        field="platform", fix_key="profile.fix.platform")
    check_dates(profile, book, today)  # the input domain that needs today (domain.py)
    view = book.platform(profile.platform)
    start = profile.start or today
    result = build_tasks(profile, view, start, orders_earliest_close=orders_earliest_close,
                         backups=backups, letters=letters, opinion=opinion)
    epoch = result.ctx.epoch  # ``book.epoch(start)``: which rule values are in force
    days = cal.for_book(book)
    dates = schedule(result.tasks, start, today, days)
    last_income = dates.get("withdraw") or dates.get("last-live")
    if last_income and last_income.due.year != start.year:
        # income reaches into a later year: one reconciliation per income year
        result.replan_tax_years(tuple(range(start.year, last_income.due.year + 1)))
        dates = schedule(result.tasks, start, today, days)

    years = {s.start.year for s in dates.values()} | {s.due.year for s in dates.values()}
    provisional_years = {y for y in years if not days.covers(y)}
    tasks: list[Task] = []
    milestones: dict[str, date | None] = dict.fromkeys(MILESTONES)
    milestones["start"] = start
    provisional = False
    marked: set[int] = set()  # the uncovered years provisional tasks are counted over
    progress_map = profile.progress
    specs_by_id: dict = {}  # filled when a task meets a later task's deadline
    for spec in result.tasks:
        tid = spec.id
        when = dates[tid]
        if provisional_years:  # counted over days of a year no official calendar covers
            first, last = when.start.year, when.due.year
            is_prov = first in provisional_years or last in provisional_years or (
                last - first > 1 and any(y in provisional_years for y in range(first, last)))
            if is_prov:
                provisional = True
                marked.update(y for y in range(first, last + 1) if y in provisional_years)
        else:
            is_prov = False
        progress = progress_map.get(tid) if progress_map else None
        tasks.append(Task(
            tid, spec.module, spec.kind, _text(spec.title, lang),
            _texts(spec.steps, lang), when.start, when.due,
            list(map(_DEP_TASK, spec.deps)), list(spec.rules), when.critical, when.slack_days,
            spec.milestone, spec.done or (when.due if when.passed else None),
            progress.note if progress else None, is_prov,
            evidence_counts.get(tid, 0) if evidence_counts is not None else None,
            when.status, when.overdue_days, when.planned_due, when.passed,
            when.behind_days, when.risk_days,
        ))
        owner = spec
        if when.deadline_of and when.deadline_of != tid:
            specs_by_id = specs_by_id or {s.id: s for s in result.tasks}
            owner = specs_by_id[when.deadline_of]
        if owner.deadline is not None and tasks[-1].done is None:
            tasks[-1].deadline = owner.deadline
            tasks[-1].deadline_label = _text(owner.deadline_what or ("plan.deadline.plain", {}),
                                             lang)
        if spec.milestone:
            milestones[spec.milestone] = when.due
    by_id = {task.id: task for task in tasks}
    recert = view.find("comeback.recertification_after_days")
    if recert and milestones["last_live"]:
        days = recert.value_at(start)
        milestones["recertification_needed_after"] = milestones["last_live"] + timedelta(days=days)
        result.rules.add(recert.id)

    blockers = []
    for spec in result.blockers:
        task = by_id.get(spec.task) if spec.task else None
        if spec.lapses and task is not None and task.due < today:
            continue
        blockers.append(Blocker(spec.id, spec.rule, _text(spec.message, lang), spec.task))

    figures, figure_rules, figure_warnings = _figures(profile, book, profile.platform, start, lang)
    for ids in figure_rules.values():
        result.rules.update(ids)

    warnings = [Warning(w.id, _text(w.message, lang), w.rules, _stake(w.message[1]))
                for w in result.warnings]
    for w in figure_warnings:
        params = w.get("params", {})
        stake = None
        if "guide_tax" in params and "law_tax" in params:  # what reading the guide literally costs
            stake = abs(Decimal(params["guide_tax"]) - Decimal(params["law_tax"]))
        warnings.append(Warning(w.get("id", w["key"]), t(w["key"], lang, **{
            k: render_text_param(v, lang) for k, v in params.items()}),
            list(w.get("rules") or [r for key in ("withdrawal_tax_cny", "statutory_withdrawal_tax_cny")
                                    for r in figure_rules.get(key, [])]), stake or _stake(params)))
    warnings.extend(Warning("input-tidied", note, []) for note in input_notes(profile, lang))
    warnings.extend(_unknown_progress(profile, by_id, lang))
    if provisional:
        warnings.append(Warning("provisional-calendar", t("plan.provisional", lang), []))
    groups = late_groups(tasks)
    for name, group in groups.items():  # every task the count counts is named
        if group:
            warnings.append(Warning(name, t(f"plan.{name}", lang, n=len(group), ids=render_text_param(
                [task.title for task in group], lang)), []))
    if any(groups.values()):
        warnings.append(Warning("record-done", t("plan.record_done", lang), []))
    known = book.rules.keys()
    result.rules.intersection_update(known)  # ids an overlay took away are not cited
    covered = set().union(*(w.rules for w in warnings))
    warnings.extend(_contrast_warnings(book, result.rules, start, lang, covered, epoch))
    result.rules.update(*(known & set(w.rules) for w in warnings))

    # money at stake first, largest first; the rest keep their order
    warnings.sort(key=lambda w: (w.stake is None, -(w.stake or 0)))
    rules_used = _rules_used(book, result.rules, start, lang, epoch)
    tasks = _listing_order(tasks)
    end = max((dates[spec.id].due for spec in result.tasks if spec.exit_path), default=start)
    if end < today and any(task.done is None for task in tasks):
        end = today  # never finished before today while anything is open
    return Plan(name=profile.name, platform=profile.platform,
                platform_name=render_text_param(view.meta.name, lang), lang=lang, today=today,
                start=start, delete_account=profile.delete_account, milestones=milestones,
                blockers=blockers, tasks=tasks, figures=figures, figure_rules=figure_rules,
                warnings=warnings, rules_used=rules_used, end=end, overlays=list(book.overlays),
                provisional=_provisional(marked, lang))


def _provisional(marked: set[int], lang: str) -> dict | None:
    """The plan's provisional mark: which years no official calendar covers, and why, in a line."""
    if not marked:
        return None
    years = sorted(marked)
    return {"years": years, "reason": t("plan.provisional_reason", lang,
                                        years=render_text_param([str(y) for y in years], lang))}
