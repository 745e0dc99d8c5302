"""Fixtures for the export tests: plans built once, the PDF rendered once per session."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
TODAY = date(2026, 11, 25)
HOSTILE = '=HYPERLINK("x")'


def make_plan(profile, lang: str = "zh", today: date = TODAY):
    import xiabo

    return xiabo.plan(profile, today=today, lang=lang)


@pytest.fixture(scope="session")
def ks_profile():
    import xiabo

    return xiabo.load_profile(EXAMPLES / "kuaishou.yaml")


@pytest.fixture(scope="session")
def ks_plan(ks_profile):
    return make_plan(ks_profile)


@pytest.fixture(scope="session")
def ks_plan_en(ks_profile):
    return make_plan(ks_profile, "en")


def hostile_dict() -> dict:
    """A profile whose name, agency and a task note try to become spreadsheet formulas."""
    import yaml

    data = yaml.safe_load((EXAMPLES / "kuaishou.yaml").read_text(encoding="utf-8"))
    data["name"] = HOSTILE
    data["contract"]["agency"] = HOSTILE
    data["progress"] = {"mcn-notice": {"done": "2026-11-20", "note": HOSTILE},
                        "evidence-setup": {"note": "+1 call @agency\tnow"}}
    return data


@pytest.fixture(scope="session")
def hostile_profile():
    from xiabo.roadmap.profile import profile_from_dict

    return profile_from_dict(hostile_dict())


@pytest.fixture(scope="session")
def hostile_plan(hostile_profile):
    return make_plan(hostile_profile)


def font_available() -> bool:
    from xiabo.errors import UserError
    from xiabo.export.fonts import find_cjk_font

    try:
        find_cjk_font()
        return True
    except UserError:
        return False


needs_font = pytest.mark.skipif(
    not font_available(),
    reason="no CJK font: install fonts-noto-cjk (.ci/run does) or set XIABO_CJK_FONT")
needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm")),
    reason="poppler-utils (pdftotext, pdftoppm) not installed")


@pytest.fixture(scope="session")
def ks_pdf(ks_plan, tmp_path_factory):
    """The kuaishou roadmap PDF, rendered once for every PDF test."""
    if not font_available():
        pytest.skip("no CJK font: install fonts-noto-cjk or set XIABO_CJK_FONT")
    from xiabo import export

    data = export.pdf(ks_plan)
    path = tmp_path_factory.mktemp("pdf") / "roadmap.pdf"
    path.write_bytes(data)
    return path
