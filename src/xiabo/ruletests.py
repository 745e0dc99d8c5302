"""Rule tests as data (the OpenFisca habit): a profile or a letter or a year of payouts, a
``today``, and the dates and figures expected. ``xiabo rules test DIR`` runs every YAML file in
DIR, so an agency can check that its overlays give the answers it expects.

A file is a mapping: ``overlays`` (rule folders, relative to the file, put on top of the
built-ins and any ``--rules``) and ``cases``, each with a ``name``, an optional ``today`` and
``lang``, one of ``plan`` (a profile, as in a profile file), ``letter`` (``kind``, ``sent_on``,
``platform``, optional ``notice_days``) or ``tax`` (``year`` and ``months``: platform → twelve
monthly amounts, 0 or blank for a month without income), and ``expect``. Only what ``expect``
names is compared. The project's own cases are in ``rules/cases/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import UserError

__all__ = ["CaseResult", "run_dir", "run_file", "BUILTIN_CASES"]

BUILTIN_CASES = Path(__file__).parent / "rules" / "cases"


@dataclass
class CaseResult:
    file: str
    name: str
    diffs: list[tuple[str, Any, Any]] = field(default_factory=list)  # (what, expected, got)

    @property
    def ok(self) -> bool:
        return not self.diffs


def _bad(path: Path, where: str, problem: str) -> UserError:
    return UserError("rules.test_bad_case", {"where": where, "problem": problem},
                     file=str(path), field=where, fix_key="rules.fix_test_case")


def _day(value, path: Path, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _bad(path, where, f"not a date: {value!r}") from None


def _text(value) -> str:
    """Expected and computed values compared as plain text (dates ISO, money as decimals)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool) or value is None:
        return str(value).lower()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    return str(value)


def _compare(result: CaseResult, expect: dict, got: dict, prefix: str = "") -> None:
    for key, want in expect.items():
        have = got.get(key) if isinstance(got, dict) else None
        if isinstance(want, dict) and isinstance(have, dict):
            _compare(result, want, have, f"{prefix}{key}.")
        elif _text(want) != _text(have):
            result.diffs.append((f"{prefix}{key}", _text(want), _text(have)))


def _plan_facts(case: dict, book, today: date, path: Path, where: str) -> dict:
    from .roadmap.assemble import build_plan
    from .roadmap.profile import profile_from_dict

    try:
        profile = profile_from_dict(dict(case["plan"]))
    except UserError as err:
        raise _bad(path, f"{where}.plan", err.key) from None
    plan = build_plan(profile, book, today=today, lang=case.get("lang", "zh"))
    return {"milestones": dict(plan.milestones), "figures": dict(plan.figures),
            "end": plan.end,
            "tasks": {t.id: {"start": t.start, "due": t.due, "status": t.status,
                             "provisional": t.provisional, "kind": t.kind,
                             "depends_on": list(t.depends_on)} for t in plan.tasks},
            "blockers": sorted(b.id for b in plan.blockers),
            "provisional": plan.provisional["years"] if plan.provisional else False}


def _letter_facts(case: dict, book, path: Path, where: str) -> dict:
    from .letters.clocks import reply_clock
    from .letters.model import KINDS

    raw = case["letter"]
    kind = str(raw.get("kind", ""))
    if kind not in KINDS:
        raise _bad(path, f"{where}.letter.kind", f"unknown kind {kind!r}")
    sent = _day(raw.get("sent_on"), path, f"{where}.letter.sent_on")
    clock = reply_clock(kind, sent, book, str(raw.get("platform", "kuaishou")),
                        raw.get("notice_days"))
    return {"due": clock.due, "days": clock.days, "unit": clock.unit, "rule": clock.rule,
            "moved": clock.moved, "provisional": list(clock.years) if clock.provisional else False}


def _tax_facts(case: dict, book, path: Path, where: str) -> dict:
    from .money.continuity import continuity
    from .money.ledger import Payout

    raw = case["tax"]
    year = int(raw.get("year", 0))
    payouts = []
    for platform, amounts in (raw.get("months") or {}).items():
        if not isinstance(amounts, list) or len(amounts) > 12:
            raise _bad(path, f"{where}.tax.months.{platform}", "give up to twelve amounts")
        for month, amount in enumerate(amounts, 1):
            try:
                gross = Decimal(str(amount or 0))
            except ArithmeticError:
                raise _bad(path, f"{where}.tax.months.{platform}", repr(amount)) from None
            if gross > 0:
                payouts.append(Payout(date(year, month, 15), str(platform), gross))
    c = continuity(book, payouts, year)
    out: dict[str, Any] = {"gross": c.gross, "guide_tax": c.guide_tax, "switched": c.switched}
    out.update({reading: total for reading, total in c.totals.items()})
    out["platforms"] = {name: {reading: r.total_withholding for reading, r in both.items()}
                        | {"gaps": list(c.gaps[name])} for name, both in c.readings.items()}
    return out


def run_file(path: Path, extra_overlays=()) -> list[CaseResult]:
    """Run one file's cases; a malformed file is a UserError naming the file and field."""
    import yaml

    from .rules import load_rulebook
    from .rules.loader import StrictLoader

    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=StrictLoader)  # noqa: S506
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
        raise _bad(path, "(file)", type(exc).__name__) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("cases"), list):
        raise _bad(path, "cases", "the file needs a list of cases under cases:")
    overlays = [str((path.parent / d).resolve()) for d in doc.get("overlays") or ()]
    book = load_rulebook([*extra_overlays, *overlays] or None)
    results = []
    for i, case in enumerate(doc["cases"]):
        where = f"cases[{i}]"
        if not isinstance(case, dict) or not isinstance(case.get("expect"), dict):
            raise _bad(path, where, "each case needs a name and an expect: mapping")
        result = CaseResult(str(path), str(case.get("name", where)))
        today = _day(case.get("today", date.today()), path, f"{where}.today")
        if "plan" in case:
            got = _plan_facts(case, book, today, path, where)
        elif "letter" in case:
            got = _letter_facts(case, book, path, where)
        elif "tax" in case:
            got = _tax_facts(case, book, path, where)
        else:
            raise _bad(path, where, "a case has one of plan:, letter: or tax:")
        _compare(result, case["expect"], got)
        results.append(result)
    return results


def run_dir(directory: Path, extra_overlays=()) -> list[CaseResult]:
    """Every ``*.yaml`` file under ``directory`` (sorted), or one file."""
    if directory.is_file():
        return run_file(directory, extra_overlays)
    if not directory.is_dir():
        raise UserError("rules.overlay_missing", {"path": str(directory)}, file=str(directory),
                        fix_key="rules.fix_overlay_missing")
    out: list[CaseResult] = []
    for path in sorted(p for p in directory.rglob("*.y*ml") if p.suffix in (".yaml", ".yml")):
        out += run_file(path, extra_overlays)
    return out
