import yaml

from xiabo.roadmap.profile import load_profile

ANSWERS = "\n".join([
    "测试间", "kuaishou", "2026-12-01", "abc", "600000",   # "abc" is re-asked
    "", "", "", "wechat,alipay", "5000", "100", "0",
    "y", "3",
    "y", "某某传媒", "", "", "", "6", "",
    "",                                                   # no guild on the platform
    "y", "iPhone", "phone", "ios", "sell", "",
    "weibo", "none", "",
])


def test_init_writes_a_valid_profile(cli, tmp_path):
    out = tmp_path / "profile.yaml"
    r = cli("init", "--out", str(out), "--today", "2026-11-25", stdin=ANSWERS)
    assert r.code == 0, r.err + r.out
    assert "请填整数" in r.out
    profile = load_profile(out)
    assert profile.followers == 600000 and profile.shop.open_orders == 3
    assert profile.contract.agency == "某某传媒" and profile.contract.notice_days == 30
    assert profile.contract.non_compete_months == 6 and profile.contract.penalty_cny is None
    assert profile.equipment[0].os == "ios" and profile.channels == ("weibo",)
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert "_has_shop" not in data
    r = cli("plan", str(out), "--today", "2026-11-25")
    assert r.code == 0


def test_init_refuses_to_overwrite(cli, tmp_path):
    out = tmp_path / "profile.yaml"
    out.write_text("mine", encoding="utf-8")
    r = cli("init", "--out", str(out), stdin=ANSWERS)
    assert r.code == 2 and out.read_text(encoding="utf-8") == "mine"


def test_questions_skip_what_the_platform_does_not_need():
    from xiabo.interview.questions import applicable, load_questions
    from xiabo.rules import load_rulebook

    qs = {q.id: q for q in load_questions()}
    view = load_rulebook().platform("kuaishou")
    assert applicable(qs["account.bindings"], {}, view)
    assert not applicable(qs["contract.agency"], {"contract.signed": False}, view)
    assert applicable(qs["contract.agency"], {"contract.signed": True}, view)

    class Empty:
        def find(self, key):
            return None

    assert not applicable(qs["money.diamonds"], {}, Empty())
