"""Dates for a task graph: forward pass, backward pass, slack and the critical path.

Pure and iterative (Kahn's topological order; no recursion), so thousands of plans per second
and no stack limits. A dependency's gap is counted in natural days, working days (China
schedule), or as a legal period (民法典 Art. 201/203: the period ends ``gap`` days after the
predecessor's last day, moved past a statutory rest day).

Plans live in time: given ``today``, no open task ends before it. An open task whose planned
end has passed is *behind plan* and is re-planned from today (its dependants move with it); one
whose start has come keeps it (*in progress*). Only a real deadline (a legal period, a contract
date, a platform window: ``TaskSpec.deadline``) makes a task *overdue* once it has passed, or
*at risk* while the schedule ends it after that deadline (or after the last day a task that
must meet one allows): a plan's own dates are no deadlines. A task that *follows* from facts (a legal
period after a notice, the review after an application) is dated from them even before the
plan's start and is never re-planned: once its predecessors are done and its end has passed,
it is past (*done*).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import date

from . import calendar as cal

__all__ = ["Dep", "TaskSpec", "Scheduled", "schedule", "CycleError", "STATUSES"]

STATUSES = ("done", "overdue", "at_risk", "behind", "in_progress", "upcoming")


class CycleError(ValueError):
    """The task graph has a cycle (a bug in the engine or an overlay)."""


@dataclass(slots=True)
class Dep:
    task: str
    gap: int = 1
    unit: str = "natural"  # natural | working | legal | months


@dataclass(slots=True)
class TaskSpec:
    id: str
    module: str
    kind: str
    title: tuple[str, dict]
    steps: list[tuple[str, dict]] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    days: int = 1
    unit: str = "natural"  # natural | working
    deps: list[Dep] = field(default_factory=list)
    not_before: date | None = None
    exit_path: bool = True
    milestone: str | None = None
    done: date | None = None
    follows: bool = False  # dated by its predecessors alone (a consequence, not an action)
    deadline: date | None = None  # a real deadline it must end by (a window ends on it)
    deadline_what: tuple[str, dict] | None = None  # the deadline in words (catalogue key)


@dataclass(slots=True)
class Scheduled:
    start: date
    due: date
    slack_days: int
    critical: bool
    status: str = "upcoming"  # one of STATUSES
    overdue_days: int = 0  # days past the real deadline (status "overdue")
    planned_due: date | None = None  # the end planned from the start, before re-planning
    passed: bool = False  # a consequence of done facts whose end has passed (status "done")
    behind_days: int = 0  # days past the end first planned (open, its planned end has passed)
    risk_days: int = 0  # days it ends after the last day its deadline allows (at risk)
    deadline_of: str | None = None  # the task whose deadline binds this one (itself, or later)


def _anchor(due: int, dep: Dep, c: cal.HolidayCalendar = cal.DEFAULT) -> int:
    """Earliest start (as a date ordinal) that ``dep`` allows after its predecessor's ``due``."""
    unit = dep.unit
    if unit == "natural":
        return due + dep.gap
    day = date.fromordinal(due)
    if unit == "working":
        return c.add_working_days(day, dep.gap).toordinal()
    if unit == "legal":
        return c.legal_period_end(day, dep.gap)[0].toordinal()
    if unit == "months":
        return cal.add_months(day, dep.gap).toordinal()
    raise ValueError(f"unknown dependency unit {unit!r}")


def _topological(specs: dict[str, TaskSpec]) -> list[TaskSpec]:
    """The tasks in a dependency order (Kahn's algorithm; no recursion).

    The engine adds tasks after what they depend on, so insertion order usually is already a
    valid order; that is checked first, and only a graph out of order is sorted.
    """
    seen: set[str] = set()
    in_order = True
    for tid, spec in specs.items():
        for dep in spec.deps:
            pred = dep.task
            if pred not in seen:
                if pred not in specs:
                    raise KeyError(f"{tid} depends on unknown task {pred}")
                in_order = False
        seen.add(tid)
    if in_order:
        return list(specs.values())
    children: dict[str, list[str]] = {tid: [] for tid in specs}
    indegree = dict.fromkeys(specs, 0)
    for tid, spec in specs.items():
        indegree[tid] = len(spec.deps)
        for dep in spec.deps:
            children[dep.task].append(tid)
    queue = deque(tid for tid in specs if indegree[tid] == 0)
    order: list[TaskSpec] = []
    while queue:
        tid = queue.popleft()
        order.append(specs[tid])
        for child in children[tid]:
            indegree[child] -= 1
            if indegree[child] == 0:
                queue.append(child)
    if len(order) != len(specs):
        raise CycleError(sorted(tid for tid, n in indegree.items() if n))
    return order


def _finish(start: int, spec: TaskSpec, c: cal.HolidayCalendar = cal.DEFAULT) -> int:
    if spec.days <= 0:
        return start
    if spec.unit == "working":
        end = c.add_working_days(date.fromordinal(start), spec.days - 1).toordinal()
    else:
        end = start + spec.days - 1
    return _within(start, end, spec)


def _within(start: int, end: int, spec: TaskSpec) -> int:
    """A task with a deadline ends on it at the latest (a window closes), unless it cannot
    even start before it: then it takes its first day, and is at risk or overdue."""
    deadline = spec.deadline
    if deadline is None or end <= (last := deadline.toordinal()):
        return end
    return last if start <= last else start


def schedule(specs: list[TaskSpec], project_start: date, today: date | None = None,
             calendar: cal.HolidayCalendar | None = None) -> dict[str, Scheduled]:
    """Earliest dates for every task, re-planned from ``today``, then slack against the end.

    A task marked ``done`` keeps its actual date as its due date, so everything after it moves.
    Two schedules run side by side: the *planned* one (from the start, facts included) tells
    how many days an open task is overdue; the *live* one (no open task ends before
    ``today``) gives the dates. They differ only after something became overdue, so the second
    is computed only for tasks downstream of a re-planned one. Dates are ordinals inside the
    passes (integer arithmetic is much cheaper). ``calendar`` is the rule book's holiday
    calendar (:func:`xiabo.roadmap.calendar.for_book`); the built-in one by default.
    """
    c = calendar or cal.DEFAULT
    order = _topological({s.id: s for s in specs})
    first = project_start.toordinal()
    now = today.toordinal() if today is not None else None
    start: dict[str, int] = {}
    due: dict[str, int] = {}
    planned: dict[str, int] = {}  # planned due, only where it differs from the live one
    settled: set[str] = set()  # done, or passed consequences of done facts
    lag: dict[tuple[str, str], int] = {}  # (predecessor, task) → gap in days, where not natural
    for spec in order:
        tid = spec.id
        deps = spec.deps
        if spec.not_before is not None:
            floor = spec.not_before.toordinal()
        elif spec.follows and deps:
            floor = 0
        else:
            floor = first
        earliest = floor
        for dep in deps:
            pred_due = due[dep.task]
            if dep.unit == "natural":
                anchor = pred_due + dep.gap
            else:
                anchor = _anchor(pred_due, dep, c)
                lag[(dep.task, tid)] = anchor - pred_due
            if anchor > earliest:
                earliest = anchor
        working = spec.unit == "working"
        if working and spec.days > 0:
            earliest = c.next_workday(date.fromordinal(earliest)).toordinal()
        if spec.done is not None:
            done = spec.done.toordinal()
            start[tid] = earliest if earliest < done else done
            due[tid] = done
            settled.add(tid)
            continue
        finish = (_finish(earliest, spec, c) if working or spec.deadline is not None
                  else earliest + spec.days - 1 if spec.days > 0 else earliest)
        if now is not None and (finish < now or planned):  # else nothing is behind
            plan_due = finish
            if planned:  # a predecessor re-planned: what was planned for this one?
                plan_start, moved = floor, False
                for dep in deps:
                    pred_due = planned.get(dep.task)
                    if pred_due is None:
                        pred_due = due[dep.task]
                    else:
                        moved = True
                    anchor = (pred_due + dep.gap if dep.unit == "natural"
                              else _anchor(pred_due, dep, c))
                    if anchor > plan_start:
                        plan_start = anchor
                if moved:
                    if working and spec.days > 0:
                        plan_start = c.next_workday(date.fromordinal(plan_start)).toordinal()
                    plan_due = _finish(plan_start, spec, c)
            if finish < now:
                if not spec.follows:  # overdue: re-planned from today
                    earliest = (c.next_workday(today).toordinal() if working and spec.days > 0
                                else now)
                    finish = _finish(earliest, spec, c)
                elif all(dep.task in settled for dep in deps):
                    settled.add(tid)  # a consequence of done facts that has run its course
            if plan_due != finish:
                planned[tid] = plan_due
        start[tid] = earliest
        due[tid] = finish

    exit_end = max((due[s.id] for s in order if s.exit_path), default=first)
    # backward pass: each task, once its successors are done, bounds its predecessors' finish;
    # a real deadline bounds its own task, and through it what that task waits for
    late_finish: dict[str, int] = {}
    binding: dict[str, str] = {}  # task → the task whose deadline gives its late finish
    bound: dict[str, int] = {}  # the tightest finish the successors allow so far
    bound_by: dict[str, str | None] = {}
    for spec in reversed(order):
        tid = spec.id
        end = due[tid]
        limit = exit_end if spec.exit_path else end
        source = None
        pushed = bound.get(tid)
        if pushed is not None and pushed < limit:
            limit, source = pushed, bound_by[tid]
        if spec.deadline is not None and tid not in settled:
            last = spec.deadline.toordinal()
            if last < limit:  # its own deadline: slack never runs past it
                limit, source = last, tid
        if tid in settled and limit < end:
            limit, source = end, None
        late_finish[tid] = limit
        if source is not None:
            binding[tid] = source
        if spec.deps:
            late_start = limit - (end - start[tid])
            for dep in spec.deps:
                pred = dep.task
                candidate = late_start - (dep.gap if dep.unit == "natural" else lag[(pred, tid)])
                held = bound.get(pred)
                if held is None or candidate < held:
                    bound[pred], bound_by[pred] = candidate, source
    specs = {spec.id: spec for spec in order} if binding else {}
    result = {}
    fromordinal = date.fromordinal
    day = now if now is not None else -1
    for spec in order:
        tid = spec.id
        end = due[tid]
        slack = late_finish[tid] - end
        begin = start[tid]
        plan_end = planned.get(tid, end) if planned else end
        late = risk = behind = 0
        source = binding.get(tid) if slack < 0 else None
        if tid not in settled and plan_end < day and not spec.follows:
            behind = day - plan_end
        if tid in settled:
            status = "done"
        elif source is not None:  # it ends after what a real deadline allows
            last = specs[source].deadline.toordinal()
            if last < day:
                status, late = "overdue", day - last
            else:
                status, risk = "at_risk", -slack
        elif behind:
            status = "behind"
        else:
            status = "in_progress" if begin <= day else "upcoming"
        result[tid] = Scheduled(fromordinal(begin), fromordinal(end), slack if slack > 0 else 0,
                                slack <= 0 and spec.exit_path and tid not in settled, status, late,
                                fromordinal(plan_end) if plan_end != end else None,
                                spec.done is None and tid in settled, behind, risk, source)
    return result
