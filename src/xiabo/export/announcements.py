"""The announcement kit: farewell-live script, pinned caption, Weibo, WeChat article, auto-reply.

Each piece is a Jinja2 template (``templates/<lang>/<piece>.j2``) filled with the plan's dates
and checked against its channel's length limit, a rule in ``packs/common/channels.yaml``
counted the way that platform counts (``textlen``). A piece that is too long is re-rendered
with ``short`` = 1, 2, … (templates drop optional sentences); only if even the shortest form is
too long is it cut, and the report says so.

Which pieces: the script, the pinned caption and the auto-reply always; the Weibo posts only
when the profile lists ``weibo`` in ``channels``; the WeChat article only with
``wechat_official``; likewise the 小红书 note, the 抖音 caption (with 话题), the B站 动态 and
the 视频号 post. A limit the platforms do not publish is ``null`` in its rule: the length is
reported, never judged. A fan cannot read a post on a channel the streamer does not have.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import UserError
from ..rules import is_unknown
from .common import clean_text, label
from .textlen import count

__all__ = ["MAX_SHORT", "PIECES", "Part", "Piece", "kit", "kit_pieces", "paste_text"]

MAX_SHORT = 2
# piece id -> (template, channel needed or None, [(part, rule key, counting method)])
PIECES: dict[str, tuple[str, str | None, tuple[tuple[str, str, str], ...]]] = {
    "live_script": ("live_script.txt", None,
                    (("text", "channels.live_script_max_chars", "chars"),)),
    "pinned_caption": ("pinned_caption.txt", None,
                       (("text", "channels.video_caption_max_chars", "chars"),)),
    "weibo_long": ("weibo_long.txt", "weibo",
                   (("text", "channels.weibo_post_max_chars", "weibo"),)),
    "weibo_short": ("weibo_short.txt", "weibo",
                    (("text", "channels.weibo_short_max_chars", "weibo"),)),
    "wechat_article": ("wechat_article.md", "wechat_official",
                       (("title", "channels.wechat_title_max_chars", "wide2"),
                        ("digest", "channels.wechat_digest_max_chars", "chars"),
                        ("body", "channels.wechat_body_max_chars", "chars"))),
    "xiaohongshu_note": ("xiaohongshu_note.txt", "xiaohongshu",
                         (("title", "channels.xiaohongshu_title_max_chars", "chars"),
                          ("body", "channels.xiaohongshu_body_max_chars", "chars"))),
    "douyin_post": ("douyin_post.txt", "douyin",
                    (("text", "channels.video_caption_max_chars", "chars"),)),
    "bilibili_dynamic": ("bilibili_dynamic.txt", "bilibili",
                         (("text", "channels.bilibili_dynamic_max_chars", "chars"),)),
    "wechat_channels_post": ("wechat_channels_post.txt", "wechat_channels",
                             (("text", "channels.wechat_channels_post_max_chars", "chars"),)),
    "auto_reply": ("auto_reply.txt", None,
                   (("text", "channels.auto_reply_max_chars", "chars"),)),
}
# Per-language exceptions: an English script is timed in words, not characters.
LANG_PARTS = {("live_script", "en"): (("text", "channels.live_script_max_words", "words"),)}
_CHANNEL_NAMES = ("weibo", "wechat_official", "xiaohongshu", "douyin", "bilibili",
                  "wechat_channels")


@dataclass
class Part:
    name: str
    rule: str
    method: str
    limit: int | None  # None: the platform's limit is unknown (the rule says so)
    length: int

    @property
    def fits(self) -> bool:
        """Within the limit; a part whose limit is unknown cannot be judged and is not cut."""
        return self.limit is None or self.length <= self.limit


@dataclass
class Piece:
    id: str
    text: str
    short: int
    parts: list[Part] = field(default_factory=list)
    cut: bool = False
    lang: str = "zh"

    @property
    def fits(self) -> bool:
        return all(p.fits for p in self.parts)

    @property
    def paste(self) -> str:
        """What to paste into the platform's editor: the WeChat article as plain text (its
        editor shows ``#``, ``>`` and ``**`` literally); every other piece as it is."""
        return paste_text(self.text, self.lang) if self.id == "wechat_article" else self.text


def paste_text(markdown: str, lang: str) -> str:
    """The article without Markdown marks: title and digest named, headings as plain lines,
    list items with a dot, bold as plain text."""
    import re

    split = _split_article(markdown)
    body = []
    for line in split["body"].splitlines():
        line = re.sub(r"\*\*(.+?)\*\*", r"\1", line)
        line = re.sub(r"^#{1,6}\s+", "", line)
        line = re.sub(r"^[-*]\s+", "· ", line)
        body.append(line)
    head = [label("kit.paste_title", lang, title=split["title"]),
            label("kit.paste_digest", lang, digest=split["digest"]), ""]
    return "\n".join(head + body).strip() + "\n"


def _task_due(plan, *, kind: str | None = None, task_id: str | None = None):
    for task in plan.tasks:
        if (kind and task.kind == kind) or (task_id and task.id == task_id):
            return task.due
    return None


def _join(names: list[str], lang: str) -> str:
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    and_ = label("kit.and", lang)
    return label("kit.list_sep", lang).join(names[:-1]) + and_ + names[-1]


def _context(plan, profile, tone: str, book) -> dict:
    lang = plan.lang
    view = book.platform(plan.platform)
    cs = view.get("fans.customer_service_account", plan.start, default="") or ""
    # an account the pack does not know: fans read the platform's customer service in words,
    # not the streamer's note on what to check in the app
    if is_unknown(cs):  # short: the video caption has 55 characters
        cs = label("kit.cs_unknown", lang)
    cs = clean_text(cs)
    if not cs:
        cs = label("kit.cs_fallback", lang, platform=plan.platform_name)
    channels = [c for c in profile.channels if c in _CHANNEL_NAMES]
    names = [label(f"kit.channels.{c}", lang) for c in channels]
    last_live = plan.milestones.get("last_live")
    publish = (_task_due(plan, task_id="announce-wechat_official")
               or last_live or plan.start)
    other = [label(f"kit.channels.{c}", lang) for c in channels if c != "wechat_official"]
    return {
        "tone": tone,
        "name": clean_text(plan.name),
        "platform_name": plan.platform_name,
        "cs": cs,
        "today": plan.today,
        "last_live": last_live or plan.start,
        "transition_end": plan.milestones.get("transition_end"),
        "deletion_apply": plan.milestones.get("deletion_apply"),
        "deletion_complete": plan.milestones.get("deletion_complete"),
        "delete_account": plan.delete_account,
        "shop_close": _task_due(plan, kind="close_shop"),
        "returns_end": _task_due(plan, task_id="returns-window"),
        "channels": channels,
        "channels_text": _join(names, lang),
        "other_channels_text": _join(other, lang),
        "publish_date": publish,
        "followers": profile.followers,
        "comeback": profile.comeback.plan,
        "resting": (not plan.delete_account) and profile.comeback.plan == "same_platform",
    }


def _split_article(text: str) -> dict[str, str]:
    """Title (``# ``), digest (``> ``) and body of the WeChat article file."""
    title, digest, body = "", "", []
    for line in text.splitlines():
        if not title and line.startswith("# "):
            title = line[2:].strip()
        elif not digest and line.startswith("> "):
            digest = line[2:].strip()
        else:
            body.append(line)
    return {"title": title, "digest": digest, "body": "\n".join(body).strip()}


def _tidy(text: str) -> str:
    import re

    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _parts(piece_id: str, lang: str):
    return LANG_PARTS.get((piece_id, lang), PIECES[piece_id][2])


def _measure(piece_id: str, text: str, limits: dict[str, int], lang: str) -> list[Part]:
    parts = _parts(piece_id, lang)
    if piece_id == "wechat_article":
        pieces = _split_article(text)
    elif piece_id == "xiaohongshu_note":  # the first line is the title
        title, _, body = text.strip().partition("\n")
        pieces = {"title": title.strip(), "body": body.strip()}
    else:
        pieces = {"text": text.strip()}
    return [Part(name, rule, method, limits[rule], count(pieces[name], method))
            for name, rule, method in parts]


def _limit(value) -> int | None:
    """A platform's length limit; None when no source gives one (the unknown marker)."""
    return None if value is None or is_unknown(value) else int(value)


def _cut(text: str, limit: int, method: str) -> str:
    """Last resort: cut to the limit, ending with an ellipsis."""
    out = text.strip()
    while out and count(out + "…", method) > limit:
        out = out[:-1]
    return out + "…\n"


def kit_pieces(plan, profile, tone: str = "warm", *, rules=None) -> list[Piece]:
    """Every piece with its measured length per part (for reports and tests)."""
    from .templating import render

    if tone not in ("warm", "formal"):
        raise UserError("export.err.bad_tone", {"tone": tone}, field="--tone",
                        fix_key="export.fix.bad_tone")
    if rules is None:
        from ..rules import load_rulebook

        rules = load_rulebook(plan.overlays or None)
    view = rules.platform(plan.platform)
    ctx = _context(plan, profile, tone, rules)
    out = []
    lang = plan.lang
    for piece_id, (template, channel, _) in PIECES.items():
        if channel and channel not in profile.channels:
            continue
        parts = _parts(piece_id, lang)
        limits = {rule: _limit(view.value(rule, plan.start)) for _, rule, _ in parts}
        piece = None
        for short in range(MAX_SHORT + 1):
            text = _tidy(render(plan.lang, template, short=short, **ctx))
            measured = _measure(piece_id, text, limits, lang)
            piece = Piece(piece_id, text, short, measured, lang=lang)
            if piece.fits:
                break
        if not piece.fits and piece_id not in ("wechat_article", "xiaohongshu_note"):
            part = piece.parts[0]
            piece.text = _cut(piece.text, part.limit, part.method)
            piece.parts = _measure(piece_id, piece.text, limits, lang)
            piece.cut = True
        elif not piece.fits and piece_id == "xiaohongshu_note":
            title, _, body = piece.text.strip().partition("\n")
            for part in piece.parts:
                if part.name == "title" and not part.fits:
                    title = _cut(title, part.limit, part.method).strip()
                if part.name == "body" and not part.fits:
                    body = _cut(body, part.limit, part.method).strip()
            piece.text = f"{title}\n{body}\n"
            piece.parts = _measure(piece_id, piece.text, limits, lang)
            piece.cut = True
        elif not piece.fits:
            piece.text = _cut_article(piece.text, piece.parts)
            piece.parts = _measure(piece_id, piece.text, limits, lang)
            piece.cut = True
        out.append(piece)
    return out


def _cut_article(text: str, parts: list[Part]) -> str:
    split = _split_article(text)
    for part in parts:
        if not part.fits:
            split[part.name] = _cut(split[part.name], part.limit, part.method).strip()
    return f"# {split['title']}\n\n> {split['digest']}\n\n{split['body']}\n"


def kit(plan, profile, tone: str = "warm", *, rules=None) -> dict[str, str]:
    """piece id -> text, each within its channel's limit."""
    return {p.id: p.text for p in kit_pieces(plan, profile, tone, rules=rules)}
