"""The 3-2-1 report: copies, media, off-site, missing classes; thresholds from the rule pack."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from xiabo.backup import (
    create_bag,
    label_destination,
    load_inventory,
    record_verified,
    status,
    verify_bag,
)
from xiabo.backup.inventory import inventory_path, media_path
from xiabo.errors import UserError

from .helpers import make_tree

TODAY = date(2026, 12, 1)


@pytest.fixture
def places(tmp_path):
    out = {}
    for name in ("local", "nas", "cloud", "usb"):
        out[name] = tmp_path / name
        out[name].mkdir()
    return out


@pytest.fixture
def recs(tmp_path):
    return make_tree(tmp_path / "src", {"录像/1.flv": b"one", "录像/2.flv": b"two"})


def _verify_all(paths, case="default"):
    for p in paths:
        record_verified(case, verify_bag(p))


def test_rules_supply_thresholds_and_required_classes(places):
    st = status("default", "kuaishou", TODAY)
    assert st.thresholds == {"copies": 3, "media": 2, "offsite": 1}
    assert st.missing_classes == ["recordings", "fan_profile", "sales"]
    assert [c.data_class for c in st.classes] == ["recordings", "fan_profile", "sales"]
    assert not st.ok


def test_full_321_for_one_class(places, recs):
    label_destination("default", places["local"], "local")
    label_destination("default", places["nas"], "nas")
    label_destination("default", places["cloud"], "cloud")  # cloud: off-site by default
    res = create_bag([recs], [places["local"], places["nas"], places["cloud"]],
                     data_class="recordings", platform="kuaishou")
    st = status("default", "kuaishou", TODAY, required=["recordings"])
    rec = st.get("recordings")
    assert rec.total_copies == 3 and rec.copies == 0  # made, but not verified yet
    assert st.missing_classes == ["recordings"]

    _verify_all(res.bags)
    st = status("default", "kuaishou", TODAY, required=["recordings"])
    rec = st.get("recordings")
    assert (rec.copies, rec.media, rec.offsite_copies) == (3, ["cloud", "local", "nas"], 1)
    assert rec.ok and st.ok and st.missing_classes == []
    assert rec.last_verified is not None
    assert st.unlabelled == []


def test_media_and_offsite_shortfalls(places, recs):
    label_destination("default", places["local"], "local")
    label_destination("default", places["usb"], "local")
    label_destination("default", places["nas"], "nas", offsite=False)
    res = create_bag([recs], [places["local"], places["usb"], places["nas"]],
                     data_class="recordings")
    _verify_all(res.bags)
    rec = status("default", "douyin", TODAY, required=["recordings"]).get("recordings")
    assert rec.copies == 3 and rec.meets_copies
    assert rec.media == ["local", "nas"] and rec.meets_media
    assert rec.offsite_copies == 0 and not rec.meets_offsite and not rec.ok
    # the NAS is in fact at a friend's place: relabel it
    label_destination("default", places["nas"], "nas", offsite=True)
    rec = status("default", "douyin", TODAY, required=["recordings"]).get("recordings")
    assert rec.ok


def test_failed_verification_stops_counting_a_copy(places, recs):
    label_destination("default", places["nas"], "nas")
    res = create_bag([recs], [places["nas"], places["cloud"]], data_class="recordings")
    _verify_all(res.bags)
    (places["nas"] / res.name / "data/src/录像/1.flv").write_bytes(b"bit rot")
    record_verified("default", verify_bag(places["nas"] / res.name))
    rec = status("default", "kuaishou", TODAY, required=["recordings"]).get("recordings")
    assert rec.copies == 1
    states = {c.path: c.state for c in rec.backups}
    assert states[str(places["nas"] / res.name)] == "failed"
    assert status("default", "kuaishou", TODAY, required=["recordings"]).unlabelled == [
        str(places["cloud"])]


def test_newest_set_is_judged(places, recs, tmp_path):
    old = create_bag([recs], [places["local"], places["nas"], places["cloud"]],
                     data_class="recordings", now=datetime(2026, 11, 1, 10, 0, 0))
    _verify_all(old.bags)
    (recs / "录像" / "3.flv").write_bytes(b"a new live")
    new = create_bag([recs], [places["usb"]], data_class="recordings",
                     now=datetime(2026, 11, 20, 10, 0, 0))
    _verify_all(new.bags)
    rec = status("default", "kuaishou", TODAY, required=["recordings"],
                 thresholds={"copies": 3, "media": 1, "offsite": 0}).get("recordings")
    assert rec.copies == 1 and rec.newest_set == new.content_id
    assert not rec.meets_copies and len(rec.backups) == 4


def test_a_copy_made_by_hand_joins_its_set(places, recs):
    import shutil

    label_destination("default", places["local"], "local")
    label_destination("default", places["cloud"], "cloud")
    res = create_bag([recs], [places["local"]], data_class="fan_profile")
    shutil.copytree(places["local"] / res.name, places["cloud"] / res.name)  # e.g. synced
    _verify_all([places["local"] / res.name, places["cloud"] / res.name])
    fan = status("default", "kuaishou", TODAY).get("fan_profile")
    assert fan.copies == 2 and fan.media == ["cloud", "local"] and fan.offsite_copies == 1
    inv = load_inventory("default")["bags"]
    assert inv[str(places["cloud"] / res.name)]["origin"] == "verified"
    assert inv[str(places["cloud"] / res.name)]["data_class"] == "fan_profile"


def test_cases_are_separate(places, recs):
    res = create_bag([recs], [places["nas"]], data_class="sales", case="小美")
    _verify_all(res.bags, case="小美")
    assert status("小美", "taobao", TODAY).get("sales").copies == 1
    assert status("default", "taobao", TODAY).get("sales").copies == 0
    assert inventory_path("小美").exists()


def test_unknown_platform_and_media(places):
    with pytest.raises(UserError) as err:
        status("default", "weibo", TODAY)
    assert err.value.key == "backup.errors.bad_platform"
    with pytest.raises(UserError) as err:
        label_destination("default", places["nas"], "tape")
    assert err.value.key == "backup.errors.bad_media"
    with pytest.raises(UserError) as err:
        label_destination("default", places["nas"] / "nope", "nas")
    assert err.value.key == "backup.errors.dest_missing"


def test_corrupt_inventory_is_a_clear_error(places):
    path = inventory_path("default")
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(UserError) as err:
        status("default", "kuaishou", TODAY)
    assert err.value.key == "backup.errors.inventory_corrupt"


def test_inventory_writes_are_atomic_json(places, recs):
    label_destination("default", places["nas"], "nas")
    create_bag([recs], [places["nas"]])
    for path in (inventory_path("default"), media_path("default")):
        data = json.loads(path.read_text("utf-8"))
        assert data["version"] == 1
        assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_status_as_dict_is_json(places, recs):
    st = status("default", "kuaishou", TODAY)
    data = json.loads(json.dumps(st.as_dict()))
    assert data["missing_classes"] == ["recordings", "fan_profile", "sales"]
    assert data["thresholds"]["copies"] == 3


def test_a_copy_that_is_gone_does_not_count(places, recs):
    import shutil

    res = create_bag([recs], [places["nas"], places["usb"]], data_class="recordings")
    _verify_all(res.bags)
    shutil.rmtree(places["usb"] / res.name)  # deleted, or the disk is unplugged
    rec = status("default", "kuaishou", TODAY, required=["recordings"]).get("recordings")
    assert rec.copies == 1 and rec.total_copies == 2
    gone = next(c for c in rec.backups if not c.present)
    assert gone.path == str(places["usb"] / res.name) and gone.state == "ok"
