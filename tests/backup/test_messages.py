"""Every message the backup code uses exists in Chinese and English."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from xiabo.backup import DATA_CLASSES, MEDIA
from xiabo.i18n import lookup

SRC = Path(__file__).resolve().parents[2] / "src" / "xiabo"
LOCALES = SRC / "locales"


def _keys(node, prefix=""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _keys(v, f"{prefix}.{k}" if prefix else k)
    else:
        yield prefix


def test_both_languages_have_the_same_keys():
    zh = set(_keys(yaml.safe_load((LOCALES / "zh/backup.yaml").read_text("utf-8"))))
    en = set(_keys(yaml.safe_load((LOCALES / "en/backup.yaml").read_text("utf-8"))))
    assert zh == en


def test_every_literal_key_in_the_code_exists():
    files = [*(SRC / "backup").glob("*.py"), SRC / "commands" / "backup.py"]
    used = set()
    for f in files:
        used |= set(re.findall(r'"(backup\.[a-z_]+(?:\.[a-z_]+)+)"', f.read_text("utf-8")))
    assert len(used) > 30
    for key in sorted(used):
        for lang in ("zh", "en"):
            assert lookup(key, lang), (key, lang)


def test_keys_built_at_run_time_exist():
    from xiabo.backup.failures import _REASONS

    keys = [f"backup.reasons.{r}" for r in [*_REASONS, "other"]]
    keys += [f"backup.fixes.{r}" for r in [*_REASONS, "other"]]
    keys += [f"backup.classes.{c}" for c in DATA_CLASSES]
    keys += [f"backup.media.{m}" for m in [*MEDIA, "none"]]
    keys += [f"backup.verify.kinds.{k}" for k in
             ("missing", "extra", "changed", "oxum", "manifest", "tagfile", "unreadable")]
    keys += [f"backup.status.states.{s}" for s in ("ok", "failed", "unverified")]
    keys += ["backup.verify.mode_fast", "backup.verify.mode_full"]
    for key in keys:
        for lang in ("zh", "en"):
            assert lookup(key, lang), (key, lang)
