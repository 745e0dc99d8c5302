"""The dispute interview as data (``questions.yaml``): the CLI asks it, the web shows it.

Answers are parsed by the situation interview's parser (same forgiving forms: 3万, 是/否,
第 2 项); ``answers_to_dispute`` turns them into a checked ``DisputeProfile``.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..interview.questions import Question, answers_to_profile
from .profile import DisputeProfile, dispute_from_dict

__all__ = ["answers_to_dispute", "dispute_questions", "profile_to_answers"]

_FILE = Path(__file__).with_name("questions.yaml")


@lru_cache(maxsize=1)
def dispute_questions() -> tuple[Question, ...]:
    import yaml

    return tuple(Question(**q) for q in yaml.safe_load(_FILE.read_text(encoding="utf-8")))


def answers_to_dispute(answers: dict[str, Any], source: str = "<dispute>") -> DisputeProfile:
    """Flat answers → the dispute profile (helpers folded in); DisputeError if a value is off."""
    flat = dict(answers)
    share = flat.pop("_share_pct", None)
    if share not in (None, ""):
        flat["contract.streamer_share"] = str(Decimal(str(share)) / 100)
    fixed, multiple = flat.pop("_higher_fixed", None), flat.pop("_higher_multiple", None)
    if flat.get("contract.penalty.kind") == "higher_of":
        flat["contract.penalty.fixed_cny"], flat["contract.penalty.multiple"] = fixed, multiple
    return dispute_from_dict(answers_to_profile(flat), source)


def profile_to_answers(d: DisputeProfile) -> dict[str, Any]:
    """The flat answers a saved profile gives (the web form's values, the CLI's defaults)."""
    out: dict[str, Any] = {}

    def walk(prefix: str, node: dict) -> None:
        for k, v in node.items():
            if isinstance(v, dict):
                walk(f"{prefix}{k}.", v)
            elif v is not None:
                out[f"{prefix}{k}"] = v

    walk("", d.model_dump(mode="json"))
    if d.contract.streamer_share is not None:
        out["_share_pct"] = format((d.contract.streamer_share * 100).normalize(), "f")
    if d.contract.penalty.kind == "higher_of":
        out["_higher_fixed"] = out.get("contract.penalty.fixed_cny")
        out["_higher_multiple"] = out.get("contract.penalty.multiple")
    return out
