"""Sentences in the plan that must be true of this case (issue 21)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

import xiabo

ROOT = Path(__file__).resolve().parents[2]


def _data(**contract) -> dict:
    data = yaml.safe_load((ROOT / "examples" / "kuaishou.yaml").read_text(encoding="utf-8"))
    data["contract"].update(contract)
    return data


def test_a_brokerage_contract_is_called_one():
    plan = xiabo.plan(_data(kind="brokerage"), today=date(2026, 12, 6))
    steps = " ".join(plan.task("non-compete-end").steps)
    assert "经纪合同的竞业条款" in steps and "合作协议" not in steps


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_contrasts_say_the_plan_keeps_the_guide_only_for_dates_and_once(lang):
    plan = xiabo.plan(_data(), today=date(2026, 12, 6), lang=lang)
    contrasts = {w.id: w.message for w in plan.warnings if w.id.startswith("contrast:")}
    keeps = "计划按攻略的数字排期" if lang == "zh" else "keeps the guide's figure"
    records = next(m for m in contrasts.values() if "10" in m and ("3 年" in m or "3 years" in m))
    assert keeps not in records  # records are kept 10 years, as the task says
    for message in contrasts.values():
        sentences = [s.strip() for s in re.split(r"[。.;；]", message) if s.strip()]
        assert len(sentences) == len(set(sentences)), message  # nothing said twice
        assert message.count(keeps) <= 1
