"""Rule tests as data: the project's own cases pass, a wrong expectation is reported with
both values, and a malformed file is a clear error (exit 2), never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from xiabo.errors import UserError
from xiabo.ruletests import BUILTIN_CASES, run_dir, run_file

HERE = Path(__file__).parent


def test_the_projects_own_cases_pass():
    results = run_dir(BUILTIN_CASES)
    names = {Path(r.file).stem for r in results}
    assert {"kuaishou", "douyin", "taobao", "letters", "tax"} <= names
    assert [r for r in results if not r.ok] == []
    assert len(results) >= 14


def test_the_overlay_cases_pass():
    results = run_dir(HERE / "cases")
    assert results and all(r.ok for r in results), [r.diffs for r in results if not r.ok]


def test_a_wrong_expectation_names_both_values(tmp_path):
    (tmp_path / "t.yaml").write_text(
        "cases:\n  - name: wrong\n    letter: {kind: settlement, sent_on: 2026-11-02}\n"
        "    expect: {due: 2026-11-18, provisional: false}\n", encoding="utf-8")
    (result,) = run_file(tmp_path / "t.yaml")
    assert not result.ok and result.diffs == [("due", "2026-11-18", "2026-11-17")]
    r = run_cli("rules", "test", tmp_path, "--lang", "zh")
    assert r.code == 1 and "✗ wrong" in r.out and "预期 2026-11-18，实际 2026-11-17" in r.out
    r = run_cli("rules", "test", tmp_path, "--json")
    assert r.code == 1 and json.loads(r.out)[0]["diffs"][0]["got"] == "2026-11-17"


@pytest.mark.parametrize("text, where", [
    ("cases: 3\n", "cases"),
    ("cases:\n  - name: x\n    expect: {due: 2026-01-01}\n", "cases[0]"),
    ("cases:\n  - name: x\n    letter: {kind: nope, sent_on: 2026-01-01}\n    expect: {}\n",
     "cases[0].letter.kind"),
    ("cases:\n  - name: x\n    letter: {kind: settlement, sent_on: soon}\n    expect: {}\n",
     "cases[0].letter.sent_on"),
    ("cases: [\n", "(file)"),
])
def test_a_bad_file_names_file_and_field(tmp_path, text, where):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as info:
        run_file(path)
    assert info.value.field == where and info.value.file == str(path)
    r = run_cli("rules", "test", path)
    assert r.code == 2 and "Traceback" not in r.err and str(path) in r.err


def test_cli_runs_the_builtin_cases_by_default():
    r = run_cli("rules", "test", "--lang", "en")
    assert r.code == 0, r.out + r.err
    assert "0 failed" in r.out
