"""Random profiles: the guide's invariants hold for every plan."""

import json
from datetime import date

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xiabo
from xiabo.rules import load_rulebook

from ..conftest import ROOT

BOOK = load_rulebook()
SCHEMA = json.loads((ROOT / "docs" / "plan-schema.json").read_text(encoding="utf-8"))
# text as a person types it: the profile refuses control characters (C0/C1) and lone surrogates
PLAIN = st.characters(blacklist_categories=("Cc", "Cs"))
PLATFORMS = BOOK.platform_ids()  # every platform, the eight with unknowns too


def _review(platform: str) -> tuple[str, int | None]:
    """(how the pack counts the deletion review, its days): natural, working or unknown."""
    rule = BOOK.platform(platform).rule("deletion.review_days")
    if rule.unknown:
        return "unknown", None
    value = rule.values[-1][1]
    return ("working" if rule.unit == "working_days" else "natural"), value

devices = st.fixed_dictionaries({
    "name": st.text(PLAIN, min_size=1, max_size=8).filter(lambda s: s.strip()),
    "type": st.sampled_from(["phone", "tablet", "computer", "camera", "light", "audio", "stand", "other"]),
    "os": st.sampled_from([None, "ios", "android", "windows", "macos"]),
    "disposal": st.sampled_from(["sell", "donate", "keep", "recycle"]),
})

profiles = st.fixed_dictionaries({
    "name": st.text(PLAIN, min_size=1, max_size=20).filter(lambda s: s.strip()),
    "platform": st.sampled_from(PLATFORMS),
    "start": st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)).map(str),
    "followers": st.integers(0, 5_000_000),
    "delete_account": st.booleans(),
    "account": st.fixed_dictionaries({
        "status": st.sampled_from(["normal", "normal", "restricted", "banned"]),
        "pending_violations": st.integers(0, 3),
        "bindings": st.lists(st.sampled_from(["wechat", "alipay", "qq", "weibo"]), unique=True)}),
    "money": st.fixed_dictionaries({
        "balance_cny": st.decimals(0, 10_000_000, places=2).map(str),
        "diamonds": st.integers(0, 10_000_000),
        "pending_gift_orders": st.integers(0, 5)}),
    "shop": st.one_of(st.none(), st.fixed_dictionaries({"open_orders": st.integers(0, 500)})),
    "contract": st.one_of(
        st.just({"signed": False}),
        st.fixed_dictionaries({
            "signed": st.just(True), "agency": st.text(PLAIN, min_size=1, max_size=10).filter(lambda s: s.strip()),
            "kind": st.sampled_from(["cooperation", "brokerage", "labour"]),
            "notice_days": st.one_of(st.none(), st.integers(0, 120)),
            "non_compete_months": st.one_of(st.none(), st.integers(0, 36)),
            "penalty_cny": st.one_of(st.none(), st.decimals(0, 1_000_000, places=2).map(str))})),
    "equipment": st.lists(devices, max_size=4),
    "channels": st.lists(st.sampled_from(["weibo", "wechat_official", "xiaohongshu", "bilibili"]), unique=True),
    "comeback": st.fixed_dictionaries({"plan": st.sampled_from(["none", "same_platform", "other_platform"])}),
})


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles, st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)))
def test_plan_invariants(data, today):
    plan = xiabo.plan(data, today=today, rules=BOOK)
    tasks = {t.id: t for t in plan.tasks}
    m = plan.milestones
    start = date.fromisoformat(data["start"])
    assert m["start"] == start
    for task in plan.tasks:
        assert task.due >= task.start >= start or task.done
        assert task.slack_days >= 0 and task.rules
        for dep in task.depends_on:
            assert tasks[dep].due <= task.start or task.done, (dep, task.id)
    # deletion only after every precondition, and review period after it
    if data["delete_account"]:
        apply = m["deletion_apply"]
        how, days = _review(data["platform"])
        review = (m["deletion_complete"] - apply).days
        if how == "natural":
            assert review == days
        elif how == "working":  # weekends and holidays lengthen it, never shorten it
            assert days <= review <= days * 3 + 10
        else:  # unknown: dated by what is known (the next day), the task says what to check
            assert review == 1
            rv = tasks["deletion-review"]
            assert "未知——请在应用里查看" in " ".join(rv.steps) and "None" not in rv.title
        assert m["transition_end"] < apply and m["last_live"] < apply
        for task in plan.tasks:
            if task.kind in ("unbind", "withdraw", "settle_gifts", "process_gift_orders",
                             "process_orders", "backup", "delete_fan_contacts",
                             "remove_unlicensed_media", "resolve_account_status"):
                assert task.due < apply, task.id
        if data["contract"]["signed"]:
            assert m["mcn_termination"] < apply
            nd = data["contract"]["notice_days"]
            nd = 30 if nd is None else nd
            assert (m["mcn_termination"] - m["mcn_notice"]).days >= nd
            assert (m["mcn_termination"] - m["mcn_notice"]).days <= nd + 10  # Art. 203 extension only
    else:
        assert m["deletion_apply"] is None and m["deletion_complete"] is None
    assert (m["transition_end"] - m["last_live"]).days == 15
    if data["followers"] >= 500_000:
        assert (m["last_live"] - start).days >= 45
    assert any(t.kind == "opinion_monitoring" for t in plan.tasks) is (data["followers"] >= 1_000_000)
    if data["account"]["status"] != "normal":
        assert any(b.id == "account-status" for b in plan.blockers)
    for i, dev in enumerate(data["equipment"], start=1):
        wipe, dispose = tasks.get(f"wipe-{i}"), tasks.get(f"dispose-{i}")
        if wipe and dispose:
            assert wipe.due < dispose.start
        if dev["disposal"] == "keep" and dev["os"] is None and dev["type"] in ("light", "audio", "stand", "other"):
            assert wipe is None and dispose is None
    doc = json.loads(json.dumps(plan.to_dict(), ensure_ascii=False))
    jsonschema.validate(doc, SCHEMA)
    for task in plan.tasks:  # an unknown value is words, never a placeholder or a Python value
        for text in (task.title, *task.steps):
            assert "None" not in text and "{'unknown'" not in text and "null" not in text, text
    again = xiabo.plan(data, today=today, rules=BOOK)
    assert again.to_dict() == plan.to_dict()
