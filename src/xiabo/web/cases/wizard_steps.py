"""The wizard in steps: which questions belong to which step, and all of a step's problems.

A phone shows one short step at a time (第 n / N 步). A step's answers are checked together:
what does not parse, and what parses but is out of range for the profile (each answer is
validated on its own, so every problem shows at once, not just the first). Messages use the
question's own words, never a field path.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ...errors import UserError
from ...i18n import t

__all__ = ["STEPS", "ValuesForm", "active_steps", "range_errors", "step_of"]

STEPS = ("basics", "account", "money", "contract", "goodbye")
_PREFIX = (("account.", "account"), ("money.", "money"), ("shop.", "money"),
           ("_has_shop", "money"), ("contract.", "contract"), ("equipment", "goodbye"),
           ("channels", "goodbye"), ("comeback.", "goodbye"), ("guild.", "contract"))


def step_of(question_id: str) -> str:
    for prefix, step in _PREFIX:
        if question_id.startswith(prefix):
            return step
    return "basics"


class ValuesForm:
    """Stored display values (a draft) read back like a submitted form."""

    def __init__(self, values: dict[str, Any]):
        self.data: dict[str, Any] = {}
        for key, value in values.items():
            if key == "equipment" and isinstance(value, list):
                for i, dev in enumerate(value[:100]):
                    if isinstance(dev, dict):
                        for fld, v in dev.items():
                            self.data[f"equipment.{i}.{fld}"] = str(v)
            else:
                self.data[key] = value

    def get(self, key: str, default: Any = None) -> Any:
        value = self.data.get(key, default)
        return ",".join(map(str, value)) if isinstance(value, list) else value

    def getlist(self, key: str) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    def keys(self):
        return self.data.keys()


def active_steps(book, answers: dict[str, Any]) -> list[str]:
    """The steps that have a question to ask, given the answers so far (the platform)."""
    from ...interview.questions import load_questions

    platform = answers.get("platform")
    view = book.platform(platform) if platform in book.platforms else None
    found = []
    for q in load_questions():
        step = step_of(q.id)
        if step in found:
            continue
        # a "when" condition may change inside the step: only the platform's rules hide a step
        if q.needs_rule and view is not None and view.find(q.needs_rule) is None:
            continue
        found.append(step)
    return [s for s in STEPS if s in found]


def _friendly(err: UserError, prompt: str, lang: str) -> str:
    """A profile error in the question's words: the range when there is one, else the fix."""
    params = {k: v for k, v in (err.params or {}).items()}
    high = params.get("le") or params.get("lt")
    if high is not None and err.fix_key == "profile.fix.too_large":
        return t("phone.wizard.between", lang, prompt=prompt, low=params.get("ge", 0), high=high)
    text = t(err.fix_key, lang, **params) if err.fix_key else t(err.key, lang, **params)
    return t("phone.wizard.field_problem", lang, prompt=prompt, message=text)


def range_errors(book, answers: dict[str, Any], question_ids: list[str], lang: str,
                 today: date) -> dict[str, tuple[str, None]]:
    """Problems the profile model finds in each of these answers, checked one at a time."""
    from ...cases import validate_profile
    from ...interview.questions import answers_to_profile, load_questions
    from .wizard import question_for_field

    prompts = {q.id: q.prompt.get(lang, q.prompt.get("zh", q.id)) for q in load_questions()}
    platform = answers.get("platform")
    if platform not in book.platforms:
        platform = book.platform_ids()[0]
    base = {"name": answers.get("name") or "x", "platform": platform,
            "start": answers.get("start") or today.isoformat()}
    out: dict[str, tuple[str, None]] = {}
    own = [qid for qid in base if qid in question_ids and answers.get(qid) is not None]
    if own:
        try:
            validate_profile(answers_to_profile(base), "<web>")
        except UserError as err:
            qid = question_for_field(err.field)
            if qid in own:
                out[qid] = (_friendly(err, prompts.get(qid, qid), lang), None)
    for qid in question_ids:
        if qid not in answers or answers[qid] is None or qid in base:
            continue
        one = dict(base, **{qid: answers[qid]})
        if qid.startswith("contract.") and qid != "contract.signed":
            one["contract.signed"] = True
            one.setdefault("contract.agency", "x")
        if qid.startswith("shop."):
            one["_has_shop"] = True
        if qid.startswith("guild.") and qid != "guild.bound":
            one["guild.bound"] = True
        try:
            validate_profile(answers_to_profile(one), "<web>")
        except UserError as err:
            if question_for_field(err.field) == qid:
                out[qid] = (_friendly(err, prompts.get(qid, qid), lang), None)
    return out
