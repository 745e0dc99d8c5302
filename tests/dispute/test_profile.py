"""The dispute profile parser: any mapping either parses or fails with a DisputeError naming
the field (never another exception); dump and parse round-trip; the interview's answers
become the same profile as the YAML."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xiabo.dispute import DisputeError, dispute_from_dict
from xiabo.dispute.interview import answers_to_dispute, profile_to_answers
from xiabo.dispute.profile import dump_dispute
from xiabo.errors import UserError

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.text(max_size=20),
                    st.floats(allow_nan=True), st.sampled_from(["fixed", "labour", "streamer", "0.6",
                                                                "2026-02-30", "1e9999", "-1"]))
keys = st.sampled_from(["contract", "work", "agency", "streamer", "type", "penalty", "kind",
                        "fixed_cny", "multiple", "streamer_share", "account", "registered_by",
                        "claim_cny", "student", "months_performed", "ends_on", "nope"])
inner = st.dictionaries(keys, st.one_of(scalars, st.dictionaries(keys, scalars, max_size=2)), max_size=3)


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(keys, st.one_of(scalars, inner), max_size=3))
def test_any_mapping_parses_or_names_its_field(data):
    try:
        d = dispute_from_dict(data, "dispute.yaml")
    except DisputeError as err:
        assert err.file == "dispute.yaml" and err.exit_code == 2
        assert err.render("zh") and err.render("en")
        return
    assert dispute_from_dict(dump_dispute(d)) == d


@given(share=st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
       fixed=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_answers_and_profile_round_trip(share, fixed):
    d = answers_to_dispute({"contract.penalty.kind": "higher_of", "_higher_fixed": str(fixed),
                            "_higher_multiple": "5", "_share_pct": str(share)})
    assert d.contract.streamer_share == share / 100
    assert d.contract.penalty.fixed_cny == fixed and d.contract.penalty.multiple == Decimal(5)
    assert answers_to_dispute(profile_to_answers(d)) == d


def test_a_hostile_nesting_is_refused_in_words():
    deep: dict = {}
    node = deep
    for _ in range(50):
        node["contract"] = {}
        node = node["contract"]
    with pytest.raises(UserError) as err:
        dispute_from_dict(deep, "dispute.yaml")
    assert err.value.exit_code == 2 and err.value.file == "dispute.yaml"
