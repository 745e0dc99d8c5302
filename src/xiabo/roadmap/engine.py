"""Rules × profile → tasks, blockers and warnings (pure; no I/O, no dates decided here
except those a rule fixes). The planner turns the tasks into dates.

Every number comes from the rule packs through a :class:`~xiabo.rules.PlatformView`; this
module only knows the guide's *logic*: what must happen before what.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..rules import PlatformView
from .planner import Dep, TaskSpec
from .profile import Profile
from .sections import account, comeback, contract, data, equipment, fans, guild, legal, money
from .sections.letters import build_letters

__all__ = ["EngineResult", "BlockerSpec", "WarningSpec", "build_tasks", "REQUIRED_KEYS"]

# Rules a platform pack (with what it extends and common/) must provide for a plan.
REQUIRED_KEYS = (
    "deletion.review_days", "deletion.balance_requirement", "deletion.identity_verification",
    "deletion.path", "data.classes", "data.recordings.method", "data.fan_profile.method",
    "data.sales.method", "fans.customer_service_account", "fans.transition_days",
    "fans.opinion_monitoring_followers", "fans.wind_down_followers", "fans.wind_down_days",
    "fans.announce_lead_days", "contract.notice_days", "finance.withholding_rate",
    "finance.gift_share_rate", "finance.diamond_value_cny", "schedule.durations",
    "equipment.electronic_types",
)


@dataclass
class BlockerSpec:
    id: str
    rule: str
    message: tuple[str, dict]
    task: str | None = None
    lapses: bool = False  # resolved by time alone once the task's date has passed


@dataclass
class WarningSpec:
    id: str
    message: tuple[str, dict]
    rules: list[str] = field(default_factory=list)


@dataclass
class EngineResult:
    tasks: list[TaskSpec]
    blockers: list[BlockerSpec]
    warnings: list[WarningSpec]
    rules: set[str]
    facts: dict
    ctx: object = None

    def replan_tax_years(self, years: tuple[int, ...]) -> None:
        """Replace the tax-declaration tasks for these income years (after a first schedule)."""
        ctx = self.ctx
        ctx.tasks[:] = [t for t in ctx.tasks if t.kind != "tax_declaration"]
        ctx.ids = {t.id for t in ctx.tasks}
        ctx.facts["income_years"] = years
        money.tax_declaration(ctx)


_NO_DURATION = {"days": 1, "unit": "natural"}


class _Ctx:
    """What the builders share: the platform's rules on the start date, and the output."""

    def __init__(self, profile: Profile, view: PlatformView, start: date):
        self.p = profile
        self.view = view
        self.on = start
        self.tasks: list[TaskSpec] = []
        self.ids: set[str] = set()
        self.blockers: list[BlockerSpec] = []
        self.warnings: list[WarningSpec] = []
        self.rules: set[str] = set()
        self._progress = profile.progress
        self.epoch = view.book.epoch(start)
        self.durations = self.value("schedule.durations")
        self.durations_rule = self.rule_id("schedule.durations")
        # (kind, rule keys) → (rule ids, default days, unit): fixed per platform and epoch
        self._rule_ids = view.book.memo("engine_rule_ids").setdefault((view.id, self.epoch), {})
        self.facts: dict = {}

    def rule_id(self, key: str) -> str:
        """The id of the rule behind ``key``, recorded as used by this plan."""
        rid = self.view.resolve(key)
        self.rules.add(rid)
        return rid

    def value(self, key: str):
        rid, value = self.view.id_and_value(key, self.on, self.epoch)
        self.rules.add(rid)
        return value

    def get(self, key: str, default=None):
        if self.view.find(key) is None:
            return default
        return self.value(key)

    def add(self, task_id: str, module: str, kind: str, title: tuple[str, dict], *,
            steps=(), rules=(), deps=(), days: int | None = None, unit: str | None = None,
            not_before: date | None = None, exit_path: bool = True,
            milestone: str | None = None, follows: bool = False) -> TaskSpec:
        memo_key = (kind, rules if isinstance(rules, tuple) else tuple(rules))
        known = self._rule_ids.get(memo_key)
        if known is None:  # rule keys → ids and the kind's duration: the same for every plan
            resolve = self.view.resolve
            found = [resolve(k) for k in rules]
            if kind in self.durations:
                found.append(self.durations_rule)
            default = self.durations.get(kind) or _NO_DURATION
            known = self._rule_ids[memo_key] = (tuple(dict.fromkeys(found)), default["days"],
                                                default.get("unit", "natural"))
        resolved = known[0]
        self.rules.update(resolved)
        progress = self._progress.get(task_id) if self._progress else None
        spec = TaskSpec(
            task_id, module, kind, title, list(steps), list(resolved),
            known[1] if days is None else days, known[2] if unit is None else unit,
            [d if type(d) is Dep else Dep(d) for d in deps],
            not_before, exit_path, milestone,
            progress.done if progress else None, follows,
        )
        self.tasks.append(spec)
        self.ids.add(task_id)
        return spec

    def fact(self, task_id: str, on: date | None) -> None:
        """The task just added happened on ``on`` (a fact in the profile): it is done then,
        unless the progress already records it, and what follows is dated from it."""
        if on is None:
            return
        spec = self.tasks[-1]
        spec.not_before = on
        spec.days = 0
        if spec.done is None:
            spec.done = on

    def done(self, task_id: str) -> bool:
        progress = self.p.progress.get(task_id)
        return bool(progress and progress.done)

    def block(self, bid: str, key: str, message: tuple[str, dict], task: str | None, *,
              lapses: bool = False) -> None:
        if task and self.done(task):
            return
        rid = self.view.resolve(key)
        self.rules.add(rid)
        self.blockers.append(BlockerSpec(bid, rid, message, task, lapses))

    def warn(self, wid: str, message: tuple[str, dict], rules=()) -> None:
        for rid in rules:
            self.rules.add(rid)
        self.warnings.append(WarningSpec(wid, message, list(rules)))


def build_tasks(profile: Profile, view: PlatformView, start: date, *,
                orders_earliest_close: date | None = None,
                income_years: tuple[int, ...] | None = None,
                backups: dict[str, dict] | None = None,
                letters: list[dict] | None = None,
                opinion: dict | None = None) -> EngineResult:
    """All tasks of the exit for ``profile`` on ``view``'s rules, in module order."""
    ctx = _Ctx(profile, view, start)
    ctx.facts["orders_earliest_close"] = orders_earliest_close
    ctx.facts["income_years"] = income_years or (start.year,)
    ctx.facts["backups"] = backups or {}
    ctx.facts["letters"] = letters or ()
    ctx.facts["opinion"] = opinion
    for build in _SECTIONS:
        build(ctx)
    return EngineResult(ctx.tasks, ctx.blockers, ctx.warnings, ctx.rules, ctx.facts, ctx)


# the guide's sections in the order their tasks are added (a task follows what it depends on)
_SECTIONS = (legal.build_legal_start, account.build_account_status, contract.build_contract,
             guild.build_guild,
             data.build_data, fans.build_fans, money.build_shop, money.build_finance,
             legal.build_legal_cleanup, account.build_account_deletion, build_letters,
             equipment.build_equipment, comeback.build_comeback, legal.build_evidence_seal)
