"""Fuzzed profiles: ``xiabo plan`` answers 0 or 2, never a traceback, and its text never leaks."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..helpers import base_profile
from ..test_leaks import leaks

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=True), st.text(max_size=12),
                    st.sampled_from(["2026-13-45", "2026-02-30", "0000-01-01", "9999-12-31",
                                     "2026-12-01", "12,000", "120万", "-1", "1e309"]))
FIELDS = ["name", "platform", "start", "followers", "delete_account", "account.status",
          "account.pending_violations", "account.bindings", "money.balance_cny", "money.diamonds",
          "money.pending_gift_orders", "shop.open_orders", "contract.signed", "contract.kind",
          "contract.signed_on", "contract.notice_days", "contract.non_compete_months",
          "contract.penalty_cny", "channels", "comeback.plan", "progress.mcn-notice.done",
          "progress.unknown_task.done", "equipment"]


def _set(data: dict, dotted: str, value) -> None:
    parts = dotted.split(".")
    node = data
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[parts[-1]] = value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.dictionaries(st.sampled_from(FIELDS), st.one_of(scalars, st.lists(scalars, max_size=3)),
                               max_size=4))
def test_fuzzed_profiles_exit_0_or_2_without_traceback(cli, tmp_path, changes):
    data = base_profile()
    for key, value in changes.items():
        _set(data, key, value)
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    r = cli("plan", str(path), "--today", "2026-11-25")
    assert r.code in (0, 2), (changes, r.err[-500:])
    assert "Traceback" not in r.err and "内部出错" not in r.err, r.err[-500:]
    if r.code == 0:
        assert [leak for leak in leaks(r.out) if "snake_case" not in leak] == []
