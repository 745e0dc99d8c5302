import json

import pytest

from xiabo.errors import UserError
from xiabo.roadmap.profile import load_profile, profile_from_dict

from ..conftest import EXAMPLES
from ..helpers import base_profile


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_examples_load(path):
    profile = load_profile(path)
    from xiabo.rules import load_rulebook

    assert profile.name and profile.platform in load_rulebook().platform_ids()
    assert path.stem == profile.platform or path.stem == "dormant"  # one example per platform


def test_issue_example_fields():
    p = load_profile(EXAMPLES / "kuaishou.yaml")
    assert p.followers == 1_200_000 and p.contract.agency == "星光文化传媒"
    assert str(p.money.balance_cny) == "12000" and p.account.bindings == ("wechat", "alipay")
    assert [d.disposal for d in p.equipment] == ["sell", "donate", "keep"]
    assert p.comeback.plan == "other_platform"


def test_defaults_when_omitted():
    p = profile_from_dict({"name": "x", "platform": "douyin"})
    assert p.start is None and p.delete_account and p.account.status == "normal"
    assert p.contract.signed is False and p.shop is None


@pytest.mark.parametrize("data,field,fix", [
    ({"followers": -1}, "followers", "profile.fix.not_negative"),
    ({"followers": "120万"}, "followers", "profile.fix.integer"),
    ({"start": "2026-13-01"}, "start", "inputs.fix.real_date"),
    ({"colour": "red"}, "colour", "profile.fix.extra"),
    ({"money": {"balance_cny": "12.345"}}, "money.balance_cny", "profile.fix.fen"),
    ({"account": {"status": "dead"}}, "account.status", "profile.fix.choice"),
    ({"equipment": [{"name": "x", "disposal": "burn"}]}, "equipment[0].disposal", "profile.fix.choice"),
])
def test_bad_fields_name_field_and_fix(data, field, fix):
    raw = {"name": "x", "platform": "kuaishou", **data}
    with pytest.raises(UserError) as exc:
        profile_from_dict(raw, "p.yaml")
    err = exc.value
    assert err.field == field and err.fix_key == fix and err.file == "p.yaml"
    text = err.render("zh")
    assert "p.yaml" in text and field in text and "怎么改" in text
    assert "How to fix" in err.render("en")


def test_missing_name():
    with pytest.raises(UserError) as exc:
        profile_from_dict({"platform": "kuaishou"})
    assert exc.value.field == "name" and exc.value.fix_key == "profile.fix.missing"


def test_json_profile_and_bom(tmp_path):
    path = tmp_path / "p.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(base_profile(), ensure_ascii=False).encode())
    assert load_profile(path).name == "测试直播间"


@pytest.mark.parametrize("text,key", [
    ("name: [unclosed\n", "profile.bad_yaml"),
    ("name: a\nname: b\nplatform: kuaishou\n", "profile.duplicate_key"),
    ("- just a list\n", "profile.not_mapping"),
])
def test_malformed_files(tmp_path, text, key):
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as exc:
        load_profile(path)
    assert exc.value.key == key and exc.value.file == str(path)


def test_gbk_file_is_refused_clearly(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_bytes("name: 小美\nplatform: kuaishou\n".encode("gbk"))
    with pytest.raises(UserError) as exc:
        load_profile(path)
    assert exc.value.key == "profile.not_utf8"


def test_missing_file(tmp_path):
    with pytest.raises(UserError) as exc:
        load_profile(tmp_path / "nope.yaml")
    assert exc.value.key == "errors.file_missing"
