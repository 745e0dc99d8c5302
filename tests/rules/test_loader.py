import textwrap
from datetime import date

import pytest

from xiabo.errors import UserError
from xiabo.rules import load_rulebook
from xiabo.rules.loader import check_dir

from ..helpers import make_plan

RULE = """\
rules:
  - id: {id}
    title: {{zh: 测试, en: test}}
    values: {{2020-01-01: {value}}}
    unit: natural_days
    source: practice
    reference: test
    last_verified: 2026-11-23
    verified: false
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_builtin_packs_are_valid_and_sourced():
    book = load_rulebook(use_cache=False)
    assert {"kuaishou", "douyin", "taobao"} <= set(book.platforms)
    assert book.platform_ids()[:3] == ["kuaishou", "douyin", "taobao"]
    for rule in book.rules.values():
        assert rule.source in {"guide", "law", "practice"}
        assert rule.reference.strip()
        assert rule.title["zh"] and rule.title["en"]
        if rule.source == "guide":
            assert rule.verified is False, rule.id  # FACTS.md: guide values are unverified
            assert rule.reference.startswith("攻略"), rule.id
        for target in rule.contrasts:
            assert target in book.rules, f"{rule.id} contrasts unknown {target}"


def test_duplicate_key_names_file_key_and_line(tmp_path):
    write(tmp_path, "kuaishou/x.yaml", """\
        rules:
          - id: kuaishou.deletion.review_days
            id: kuaishou.deletion.review_days
    """)
    with pytest.raises(UserError) as exc:
        check_dir(tmp_path)
    err = exc.value
    assert err.key == "rules.duplicate_key" and err.field == "id"
    assert err.file.endswith("x.yaml") and err.params["line"] == 3
    assert "x.yaml" in err.render("zh") and "id" in err.render("en")


def test_unknown_key_is_refused(tmp_path):
    write(tmp_path, "a.yaml", RULE.format(id="kuaishou.deletion.review_days", value=9)
          + "    colour: red\n")
    with pytest.raises(UserError) as exc:
        check_dir(tmp_path)
    assert exc.value.key == "rules.unknown_key"
    assert "colour" in exc.value.render("en")


def test_bad_value_type_is_refused(tmp_path):
    write(tmp_path, "a.yaml", RULE.format(id="kuaishou.deletion.review_days", value=9)
          .replace("source: practice", "source: rumour"))
    with pytest.raises(UserError) as exc:
        check_dir(tmp_path)
    assert exc.value.key == "rules.schema" and "source" in exc.value.field


def test_overlay_overrides_a_rule_and_moves_the_plan(tmp_path):
    base = make_plan()
    write(tmp_path, "kuaishou/fix.yaml", RULE.format(id="kuaishou.deletion.review_days", value=10))
    changed = make_plan(rules=[tmp_path])
    apply = base.milestones["deletion_apply"]
    assert changed.milestones["deletion_apply"] == apply
    assert (base.milestones["deletion_complete"] - apply).days == 7
    assert (changed.milestones["deletion_complete"] - apply).days == 10
    used = {r.id: r for r in changed.rules_used}
    assert used["kuaishou.deletion.review_days"].value == 10
    assert used["kuaishou.deletion.review_days"].source == "practice"


def test_overlay_adds_a_platform_by_extension(tmp_path, monkeypatch):
    write(tmp_path, "acfun/platform.yaml", """\
        platform:
          id: acfun
          name: {zh: A站直播, en: AcFun Live}
          extends: douyin
        rules:
          - id: acfun.deletion.review_days
            title: {zh: 注销审核周期, en: Deletion review period}
            values: {2024-01-01: 5}
            unit: natural_days
            source: practice
            reference: A站客服说明
            last_verified: 2026-11-23
            verified: false
    """)
    monkeypatch.setenv("XIABO_RULES", str(tmp_path))
    plan = make_plan(platform="acfun")
    assert plan.platform_name == "A站直播"
    assert (plan.milestones["deletion_complete"] - plan.milestones["deletion_apply"]).days == 5
    # inherited from douyin
    assert any(r.id == "douyin.deletion.balance_requirement" for r in plan.rules_used)


def test_overlay_with_unknown_parent_is_refused(tmp_path):
    write(tmp_path, "x/platform.yaml", "platform: {id: x, name: {zh: X, en: X}, extends: nowhere}\n")
    with pytest.raises(UserError) as exc:
        load_rulebook([tmp_path], use_cache=False)
    assert exc.value.key == "rules.bad_extends"


def test_missing_overlay_dir_is_refused(tmp_path):
    with pytest.raises(UserError) as exc:
        load_rulebook([tmp_path / "nope"])
    assert exc.value.key == "rules.overlay_missing"


def test_values_are_dated(tmp_path):
    write(tmp_path, "k.yaml", """\
        rules:
          - id: kuaishou.deletion.review_days
            title: {zh: 注销审核周期, en: review}
            values: {2020-01-01: 7, 2027-01-01: 9}
            unit: natural_days
            source: practice
            reference: test
            last_verified: 2026-11-23
            verified: false
    """)
    book = load_rulebook([tmp_path], use_cache=False)
    rule = book.rule("kuaishou.deletion.review_days")
    assert rule.value_at(date(2026, 12, 31)) == 7
    assert rule.value_at(date(2027, 1, 1)) == 9
    assert rule.value_at(date(2019, 1, 1)) == 7


def test_cache_is_invalidated_when_a_pack_changes(tmp_path, monkeypatch):
    from xiabo.rules import loader

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(loader, "_RECHECK_SECONDS", 0.0)
    overlay = tmp_path / "o"
    write(overlay, "k.yaml", RULE.format(id="kuaishou.deletion.review_days", value=11))
    assert load_rulebook([overlay]).value("kuaishou.deletion.review_days", date(2026, 1, 1)) == 11
    assert list((tmp_path / "cache" / "xiabo").glob("rules-*.pickle"))
    import os
    import time

    path = overlay / "k.yaml"
    path.write_text(RULE.format(id="kuaishou.deletion.review_days", value=12), encoding="utf-8")
    os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert load_rulebook([overlay]).value("kuaishou.deletion.review_days", date(2026, 1, 1)) == 12


def test_epochs_separate_effective_dates():
    book = load_rulebook()
    switch = date(2025, 10, 1)  # the tax pack changes method on this day
    assert book.epoch(switch - __import__("datetime").timedelta(days=1)) < book.epoch(switch)
    assert book.epoch(date(2026, 1, 1)) == book.epoch(date(2026, 6, 1)) or any(
        date(2026, 1, 1) < d <= date(2026, 6, 1) for r in book.rules.values() for d, _ in r.values)


def test_rule_book_is_reused_within_the_recheck_window():
    assert load_rulebook() is load_rulebook()
