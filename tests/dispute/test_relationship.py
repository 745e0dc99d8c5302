"""The relationship test: 指导性案例239号's factors scored from the profile, "cannot judge" when
too little is known, and what follows (labour arbitration's one year, the non-compete limits)."""

from __future__ import annotations

from datetime import date

from xiabo.dispute import dispute_from_dict
from xiabo.dispute.checklist import checklist
from xiabo.dispute.relationship import relationship
from xiabo.rules import load_rulebook

BOOK = load_rulebook(use_cache=False, use_env=False)
TODAY = date(2026, 12, 7)


def _rel(data):
    return relationship(dispute_from_dict(data), BOOK, today=TODAY)


def test_shenzhen_clock_in_eight_hours_for_a_monthly_wage_points_to_labour():
    r = _rel({"work": {"hours_set_by_agency": True, "clock_in": True, "fixed_monthly_pay": True,
                       "agency_rules_penalties": True}})
    assert r.verdict == "labour" and r.labour == 4 and r.cooperation == 0
    keys = [x.key for x in r.follows]
    assert "dispute.rel.arbitration_first" in keys and "dispute.rel.non_compete_persons" in keys
    first = r.follows[0]
    assert first.params["years"] == 1  # 劳动争议调解仲裁法 Art. 27, from the rule
    assert r.follows[1].params["months"] == 24  # 劳动合同法 Art. 24: two years


def test_guiding_case_239_own_account_revenue_share_free_hours_points_to_cooperation():
    r = _rel({"contract": {"type": "brokerage", "streamer_share": "0.5"},
              "work": {"hours_set_by_agency": False, "clock_in": False,
                       "account": {"registered_by": "streamer"}}})
    assert r.verdict == "cooperation" and r.cooperation == 4 and r.labour == 0
    assert [x.key for x in r.follows][0] == "dispute.rel.contract_rules"


def test_too_little_known_is_cannot_judge():
    assert _rel({}).verdict == "unknown"
    assert _rel({"work": {"clock_in": True}}).verdict == "unknown"
    # the contract's name alone is not weighed
    assert _rel({"contract": {"type": "brokerage"}}).labour == 0


def test_balanced_factors_are_mixed():
    r = _rel({"work": {"clock_in": True, "hours_set_by_agency": True, "fixed_monthly_pay": False,
                       "account": {"registered_by": "streamer"}}})
    assert r.verdict == "mixed"


def test_the_checklist_follows_the_profile_and_has_no_log():
    rows = checklist(dispute_from_dict({}), None)
    ids = [r.item.id for r in rows]
    assert ids == ["contract", "payouts", "licence", "account", "exit_chats"]
    assert not any(r.present for r in rows)
    full = checklist(dispute_from_dict({"contract": {"guarantee_monthly_cny": "3000",
                                                     "non_compete": {"has": True}},
                                        "work": {"clock_in": True},
                                        "agency": {"promised_traffic_missing": True, "licensed": True},
                                        "streamer": {"student": True}}), None)
    ids = {r.item.id: r.item.supports for r in full}
    assert ids == {"contract": "as_written", "payouts": "loss", "guarantee": "breach",
                   "traffic": "breach", "worktime": "relationship", "account": "account",
                   "exit_chats": "exit", "non_compete_pay": "non_compete", "student": "student"}


def test_an_unpaid_or_too_long_non_compete_under_labour_is_said():
    r = _rel({"contract": {"non_compete": {"has": True, "months": 36, "pay_monthly_cny": "0"}},
              "work": {"hours_set_by_agency": True, "clock_in": True, "fixed_monthly_pay": True}})
    keys = {x.key: x.params for x in r.follows}
    assert keys["dispute.rel.non_compete_too_long"] == {"months": 36, "most": 24}
    assert keys["dispute.rel.non_compete_unpaid"] == {"months": 3}
