"""Every output, for every example, in zh and en, reads as words: no Python reprs, no snake_case
identifiers outside id columns, no file of this repository, no doubled labels."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
TODAY = date(2026, 11, 25)

REPR = re.compile(r"\{'|'\}|\b(True|False|None)\b")
SNAKE = re.compile(r"(?<![\w./@-])[a-z]+(?:_[a-z0-9]+)+(?![\w.@-])")
REPO_FILES = re.compile(r"\b(FACTS|DESIGN|STACK|README)\.md\b|\bdocs/[\w-]+\.(md|json)\b|"
                        r"\bsrc/xiabo\b|\b[\w/]+\.py\b|\blocales/")
DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,8})（\1）|\b(\w+) \(\2\)")
UNFILLED = re.compile(r"\{[a-z_]+\}|\b(plan|tasks|rules|vocab|init|export|warnings|blockers)\.[a-z_]+\.")


def leaks(text: str) -> list[str]:
    found = []
    for name, pattern in (("repr", REPR), ("snake_case", SNAKE), ("repository file", REPO_FILES),
                          ("doubled label", DOUBLED), ("catalogue key", UNFILLED)):
        for m in pattern.finditer(text):
            found.append(f"{name}: …{text[max(m.start() - 30, 0):m.end() + 30]}…")
    return found


def _plan(path: Path, lang: str):
    import xiabo

    return xiabo.plan(path, today=TODAY, lang=lang)


@pytest.fixture(scope="module", params=[(p, lang) for p in EXAMPLES for lang in ("zh", "en")],
                ids=lambda v: f"{v[0].stem}-{v[1]}")
def case(request):
    import xiabo

    path, lang = request.param
    return path, lang, xiabo.load_profile(path), _plan(path, lang)


def test_plan_text_markdown_and_sources(case):
    from xiabo.roadmap.render import to_markdown, to_text

    _, _, _, plan = case
    for text in (to_text(plan), to_markdown(plan), to_text(plan, sources=True),
                 to_markdown(plan, sources=True)):
        assert leaks(text) == []


def test_plan_json_messages(case):
    _, _, _, plan = case
    data = plan.to_dict()
    texts = [data["name"], data["platform_name"]]
    texts += [b["message"] for b in data["blockers"]] + [w["message"] for w in data["warnings"]]
    for task in data["tasks"]:
        texts += [task["title"], *task["steps"]]
    texts += [r["title"] for r in data["rules_used"]]
    assert [leak for text in texts for leak in leaks(text)] == []
    json.dumps(data, ensure_ascii=False)


def test_calendar_descriptions(case):
    from icalendar import Calendar

    from xiabo import export

    _, _, _, plan = case
    cal = Calendar.from_ical(export.ics(plan))
    texts = [str(c.get(k, "")) for c in cal.walk() for k in ("summary", "description")]
    assert [leak for text in texts for leak in leaks(text)] == []


def test_workbook_cells_outside_id_columns(case):
    from openpyxl import load_workbook

    from xiabo import export
    from xiabo.i18n import t

    _, _, _, plan = case
    id_heads = {t(f"export.xlsx.{k}", plan.lang) for k in
                ("tasks.id", "rules.id")}
    book = load_workbook(io.BytesIO(export.xlsx(plan)))
    bad = []
    for sheet in book.worksheets:
        head = [str(c.value or "") for c in next(sheet.iter_rows(min_row=1, max_row=1), [])]
        id_cols = {i for i, h in enumerate(head) if h in id_heads}
        for row in sheet.iter_rows(min_row=1):
            for i, cell in enumerate(row):
                if i in id_cols or cell.value is None or not isinstance(cell.value, str):
                    continue
                bad += [f"{sheet.title}!{cell.coordinate} {leak}" for leak in leaks(cell.value)]
    assert bad == []


def test_letter_and_kit_texts(case):
    from docx import Document

    from xiabo import export

    _, _, profile, plan = case
    texts = list(export.kit(plan, profile).values())
    if profile.contract.signed:
        texts.append(export.letter_md(plan, profile))
        doc = Document(io.BytesIO(export.docx(plan, profile)))
        texts += [p.text for p in doc.paragraphs]
    assert [leak for text in texts for leak in leaks(text)] == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_pdf_text(case, tmp_path):
    from xiabo import export

    _, _, _, plan = case
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(export.pdf(plan))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert plan.tasks[0].title[:6] in text.replace(" ", "") or plan.lang == "en"
    assert leaks(text) == []


def test_the_checks_catch_leaks():
    assert leaks("攻略（攻略）说") and leaks("{'days': 7}") and leaks("recordings、fan_profile")
    assert leaks("见 FACTS.md「Platforms」") and leaks("up_to=None") and leaks("是 True")
    assert not leaks("用 xiabo backup create 做一份带校验的备份") and not leaks("2026-12-01 → 2027-01-14")


# ---------------------------------------------------------------- web pages
class _Visible(__import__("html.parser").parser.HTMLParser):
    """The text a person sees: text nodes outside script/style/template, no tags, no attributes
    (except the readable ones: alt, title, placeholder, aria-label), no <code> examples."""

    READABLE = ("alt", "title", "placeholder", "aria-label")
    HIDDEN = ("script", "style", "template", "code", "kbd", "samp")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        self.parts += [v for k, v in attrs if k in self.READABLE and v]

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "\n".join(parser.parts)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The web app in single-user mode with one case per example."""
    import yaml

    from tests.db_fixtures import migrated_sqlite_url
    from tests.web.conftest import Web
    from xiabo.cases import stored
    from xiabo.store import cases as repo

    url = migrated_sqlite_url(tmp_path_factory.mktemp("web") / "xiabo.sqlite3")
    web = Web(url, today=TODAY)
    ids = {}
    for path in EXAMPLES:
        profile = yaml.safe_load(path.read_text(encoding="utf-8"))
        ids[path.stem] = stored.create_case(web.db, profile, today=TODAY, actor=repo.Actor()).id
    yield web, ids
    web.close()


def _page_leaks(web, path: str) -> list[str]:
    r = web.client.get(path)
    assert r.status_code == 200, (path, r.status_code)
    return [f"{path}: {leak}" for leak in leaks(visible_text(r.text))]


@pytest.mark.filterwarnings("ignore:Using `httpx`")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_web_pages(site, lang):
    from xiabo.web.cases.wizard_steps import STEPS

    web, ids = site
    paths = ["/", "/cases", "/rules"] + [f"/cases/new?step={s}" for s in STEPS]
    paths += [f"/cases/{case_id}" for case_id in ids.values()]
    paths += [f"/cases/{case_id}?show={section}" for case_id in ids.values()  # sent when opened
              for section in ("timeline", "money", "rules")]
    bad = [leak for p in paths for leak in _page_leaks(web, f"{p}{'&' if '?' in p else '?'}lang={lang}")]
    assert bad == []


def test_visible_text_skips_markup():
    html = ('<p data-x="fan_profile" class="a_b">粉丝画像<script>var x_y = None;</script>'
            '<code>xiabo plan --sources</code><img alt="备份 recordings_x"></p>')
    assert visible_text(html) == "粉丝画像\n备份 recordings_x"


def test_no_catalogue_text_names_a_repository_file():
    """Error fixes, the profile header of ``xiabo init``…: a user has the guide and the commands,
    not this repository. (The evidence bundle's README names files inside the bundle.)"""
    import yaml

    def walk(value, path):
        if isinstance(value, dict):
            for k, v in value.items():
                yield from walk(v, f"{path}.{k}")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield from walk(v, f"{path}.{i}")
        elif isinstance(value, str):
            yield path, value

    bad = []
    for path in sorted((ROOT / "src" / "xiabo" / "locales").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key, text in walk(data, f"{path.parent.name}/{path.stem}"):
            if not key.endswith("bundle.readme"):
                bad += [f"{key}: {m.group(0)}" for m in REPO_FILES.finditer(text)]
            if "examples/" in text:
                bad.append(f"{key}: examples/")
    assert bad == []


def test_init_header_points_to_what_a_user_has():
    from xiabo.i18n import t

    assert "使用说明" in t("init.header", "zh") and "xiabo plan" in t("init.header", "zh")
    assert "guide" in t("init.header", "en") and not leaks(t("init.header", "en"))


# ---------------------------------------------------------------- the command line, in zh
# English a Chinese reader may meet: names (of commands, options, formats, products, laws'
# numbers), units and date formats; anything else English in zh help or errors is a leak
_ALLOWED = re.compile(
    r"[a-z]+(?:,[a-z]+)+|--?[a-z][a-z0-9-]*|\bxiabo\b|\b(?:zh|en|YYYY-MM-DD|YYYY|MM|DD|JSON|JSONL|jsonl|json|md|"
    r"Markdown|PDF|pdf|Excel|WPS|LibreOffice|xlsx|ics|docx|csv|CSV|txt|yaml|YAML|BagIt|Merkle|TSA|RFC|EMS|App|"
    r"MCN|ID|URL|URI|HTTP|HTTPS|http|https|LAN|IP|PostgreSQL|SQLite|SQL|API|ZIP|zip|QR|UTC|"
    r"sha256|SHA-256|XIABO_\w+|Word|PNG|png|jpg|PIN|CPU|KB|MB|GB|TB|iOS|Android|Windows|"
    r"macOS|Linux|Ctrl|Enter|Tab|OK|vs|max|min|ms|s|PROFILE|plan|done|init|rules|export|"
    r"evidence|backup|privacy|orders|tax|serve|db|users|letters|opinion|zh\|en)\b|"
    r"[\w.-]+\.(?:yaml|json|jsonl|md|pdf|xlsx|ics|docx|csv|zip|txt|bak)\b|"
    r"[a-z]+(?:-[a-z0-9]+)+|\b[a-z]+_[a-z_]+\b|https?://\S+|<[^>]+>|\{[^}]*\}|(?<![\w])/\S+|"
    r"\b(?:HTML|html|XLSX|TXT|NAS|CJK|GitHub|Git|ISO|SHA|VTODO|VEVENT|English|default)\b|"
    r"X-Forwarded-For|\.bak\b|'[^'\n]*'|「[^」\n]*」|\b[\w-]+/|"
    r"\b(?:mobile|email|wechat|qq|address|amount|UTF)\b|"
    r"(?m:^[ \t]+[a-z_]+:(?=[ \t]|$))")  # a key in an example YAML file, as it is typed
_ENGLISH = re.compile(r"[A-Za-z]{3,}")


def english_words(text: str, names: frozenset = frozenset()) -> list[str]:
    """English words left once names (commands and the values their options take), options,
    units and file names are taken out."""
    text = re.sub(r"(?<=[a-z])\n\s+(?=[a-z])", "", text)  # help wraps lines inside a word
    return [w for w in _ENGLISH.findall(_ALLOWED.sub(" ", text)) if w not in names]


def _names() -> frozenset:
    """What a user types that is a name: every command, sub-command and choice value."""
    import click

    from xiabo.cli import COMMANDS, LazyGroup

    group, out = LazyGroup(), set()

    def add(command):
        for param in command.params:
            if isinstance(param.type, click.Choice):
                out.update(str(c) for c in param.type.choices)
            out.update(w for w in re.findall(r"[a-z]+", param.metavar or "") if param.metavar
                       and "|" in param.metavar)
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                out.add(name)
                add(sub)

    for name in COMMANDS:
        out.add(name)
        add(group.get_command(None, name))
    return frozenset(out)


def _commands():
    import click

    from xiabo.cli import COMMANDS, LazyGroup

    group = LazyGroup()
    out = [()]
    for name in COMMANDS:
        command = group.get_command(None, name)
        out.append((name,))
        if isinstance(command, click.Group):
            out += [(name, sub) for sub in command.commands]
    return out


@pytest.mark.parametrize("words", _commands(), ids=lambda w: " ".join(w) or "xiabo")
def test_cli_help_speaks_chinese(words, monkeypatch):
    from tests.conftest import run_cli

    monkeypatch.delenv("XIABO_LANG", raising=False)
    r = run_cli(*words, "--help")
    assert r.code == 0, r.err
    assert english_words(r.out, _names()) == [], r.out


@pytest.mark.parametrize("args", [
    ("done",), ("done", "不存在的任务", str(EXAMPLES[0])), ("done", "1", str(EXAMPLES[0]), "--on", "x"),
    ("plan", "--bogus"), ("plan", "nothing.yaml"), ("letters", "new", "情书", str(EXAMPLES[0])),
    ("letters", "new"), ("export",), ("nosuchcommand",), ("plan", str(EXAMPLES[0]), "--today", "x"),
], ids=lambda a: " ".join(a)[:40])
def test_cli_errors_speak_chinese(args, monkeypatch, tmp_path):
    from tests.conftest import run_cli

    monkeypatch.delenv("XIABO_LANG", raising=False)
    monkeypatch.chdir(tmp_path)
    r = run_cli(*args)
    assert r.code == 2, (r.out, r.err)
    assert english_words(r.err, _names()) == [], r.err
    assert "Traceback" not in r.err and "字段：TASK" not in r.err


def test_english_words_finds_english():
    assert english_words("Usage: xiabo done [OPTIONS] TASK") == ["Usage", "OPTIONS", "TASK"]
    assert english_words("用法： xiabo done [选项] 任务 --on YYYY-MM-DD 情况表.yaml") == []
