"""The streamer's situation: a validated model, loaded from YAML or JSON.

Everything a plan depends on is here, and nothing else: unknown keys are refused (a typo must
not silently change a plan). Defaults come from the rule packs where the guide has one; the
model itself only knows shapes and limits.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from ..errors import UserError

__all__ = ["Profile", "Account", "Money", "Shop", "Contract", "Guild", "Device", "Comeback",
           "TaskProgress", "load_profile", "profile_from_dict", "ProfileError", "input_notes"]

# The static domain of every input (the window around today is in roadmap/domain.py, because
# it needs today and the rules). These are product limits, not rules of any platform: they only
# keep a typo or a hostile file from turning into a plan that cannot be drawn or computed.
_NO_CONTROL = r"^[^\x00-\x1f\x7f-\x9f]*$"          # one line: no control characters at all
_NO_CONTROL_MULTI = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"  # notes may hold line breaks
Line = Annotated[str, StringConstraints(pattern=_NO_CONTROL, max_length=200)]
Word = Annotated[str, StringConstraints(pattern=_NO_CONTROL, min_length=1, max_length=64)]
PathText = Annotated[str, StringConstraints(pattern=_NO_CONTROL, max_length=4096)]
Note = Annotated[str, StringConstraints(pattern=_NO_CONTROL_MULTI, max_length=4000)]
# dates a calendar can hold with room to add years: no year 9999 (date.max + 1 day overflows)
Day = Annotated[date, Field(ge=date(1900, 1, 1), le=date(2999, 12, 31))]
Count = Annotated[int, Field(ge=0, le=10_000_000)]
MAX_ITEMS = 500


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Account(_Strict):
    status: Literal["normal", "restricted", "banned", "frozen"] = "normal"
    pending_violations: int = Field(0, ge=0, le=10_000)
    bindings: tuple[Word, ...] = Field((), max_length=50)
    deletion_applied_on: Day | None = None  # the deletion request went in (the review runs from it)


class Money(_Strict):
    balance_cny: Decimal = Field(Decimal("0"), ge=0, max_digits=15, decimal_places=2)
    diamonds: int = Field(0, ge=0, le=10**12)
    pending_gift_orders: Count = 0


class Shop(_Strict):
    open_orders: Count = 0
    orders_export: PathText | None = None


class Contract(_Strict):
    signed: bool = False
    agency: Line | None = None
    kind: Literal["cooperation", "brokerage", "labour"] = "cooperation"
    signed_on: Day | None = None
    contract_no: Line | None = None
    notice_days: int | None = Field(None, ge=0, le=3650)
    non_compete_months: int | None = Field(None, ge=0, le=60)
    penalty_cny: Decimal | None = Field(None, ge=0, max_digits=15, decimal_places=2)
    notice_sent_on: Day | None = None
    ends_on: Day | None = None  # the contract's own end (a real deadline for leaving by then)


class Guild(_Strict):
    """The streamer's guild (公会) or agency binding on the platform, and how far its exit got.

    Only what some platform's exit procedure reads (rules ``guild.exit.*``): tenure, quotas
    and inactivity need ``joined_on`` and ``last_broadcast_on``; 虎牙's 白金 exemption needs
    ``level`` and ``level_lost``; YY's owner-started exit needs ``channel_owner``.
    """

    bound: bool = False  # signed to a guild or agency on this platform
    name: Line | None = None
    joined_on: Day | None = None
    level: Word | None = None  # the guild's level in the platform's words (a code: platinum)
    level_lost: bool = False  # the guild lost that level (a status-loss exemption may apply)
    last_broadcast_on: Day | None = None  # the last broadcast under this guild
    channel_owner: Literal["self", "guild"] | None = None  # who owns the channel (YY)
    exit_kind: Literal["agreed", "forced"] | None = None  # the exit chosen, once chosen
    quota_full_this_month: bool = False  # the guild's monthly exit quota is used up
    exit_started_on: Day | None = None  # the exit request went in
    guild_answer: Literal["none", "agreed", "refused"] = "none"
    guild_answer_on: Day | None = None
    review_started_on: Day | None = None  # the platform's review began (after the evidence)
    review_result: Literal["none", "approved", "rejected"] = "none"
    review_result_on: Day | None = None
    appeal_on: Day | None = None
    left_on: Day | None = None  # the binding is gone (the exit is done)


class Device(_Strict):
    name: Annotated[Line, Field(min_length=1)]
    type: Literal["phone", "tablet", "computer", "camera", "capture_card", "storage", "light",
                  "audio", "stand", "other"] = "other"
    os: Literal["ios", "android", "windows", "macos", "linux", "other"] | None = None
    disposal: Literal["sell", "donate", "keep", "recycle"] = "keep"


class Comeback(_Strict):
    plan: Literal["none", "same_platform", "other_platform"] = "none"
    platform: Word | None = None


class TaskProgress(_Strict):
    done: Day | None = None
    note: Note | None = None


class DataState(_Strict):
    backed_up: tuple[Literal["recordings", "fan_profile", "sales"], ...] = ()


class Profile(_Strict):
    """One streamer's situation. ``start`` None means "today" at planning time."""

    name: Annotated[Line, Field(min_length=1)]
    platform: Word
    start: Day | None = None
    followers: int = Field(0, ge=0, le=10_000_000_000)
    last_live_on: Day | None = None  # the last live was held (the transition runs from it)
    delete_account: bool = True
    account: Account = Account()
    money: Money = Money()
    shop: Shop | None = None
    contract: Contract = Contract()
    guild: Guild = Guild()
    equipment: tuple[Device, ...] = Field((), max_length=MAX_ITEMS)
    channels: tuple[Literal["weibo", "wechat_official", "xiaohongshu", "douyin", "bilibili",
                            "wechat_channels", "other"], ...] = ()
    comeback: Comeback = Comeback()
    data: DataState = DataState()
    progress: dict[Annotated[str, StringConstraints(pattern=_NO_CONTROL, max_length=128)],
                   TaskProgress] = Field(default_factory=dict, max_length=5000)
    _notes: tuple[tuple[str, str], ...] = PrivateAttr(default=())
    _source: str | None = PrivateAttr(default=None)  # the file it came from, for later errors

    @field_validator("platform")
    @classmethod
    def _lower(cls, v: str) -> str:
        return v.lower()

    @model_validator(mode="wrap")
    @classmethod
    def _dedupe(cls, data: Any, handler):
        """Lists hold each item once: 'wechat, wechat' is one binding (and one task), with a note."""
        notes: list[tuple[str, str]] = []
        if isinstance(data, dict):
            data = dict(data)
            for path in _UNIQUE_LISTS:
                _dedupe_at(data, path, notes)
        profile = handler(data)
        if notes:
            profile._notes = tuple(notes)
        return profile


_UNIQUE_LISTS = (("account", "bindings"), ("channels",), ("data", "backed_up"))


def _dedupe_at(data: dict, path: tuple[str, ...], notes: list[tuple[str, str]]) -> None:
    """Drop repeated items of the list at ``path`` (case and spaces ignored), noting each one."""
    parent = data
    for key in path[:-1]:
        child = parent.get(key)
        if not isinstance(child, dict):
            return
        parent[key] = child = dict(child)
        parent = child
    items = parent.get(path[-1])
    if not isinstance(items, (list, tuple)):
        return
    seen: set = set()
    kept = []
    for item in items:
        marker = item.strip().casefold() if isinstance(item, str) else item
        try:
            if marker in seen:
                notes.append((".".join(path), str(item)))
                continue
            seen.add(marker)
        except TypeError:  # not hashable: the model reports the wrong type
            pass
        kept.append(item)
    parent[path[-1]] = kept


def input_notes(profile: Profile, lang: str = "zh") -> list[str]:
    """Sentences about what validation tidied up (duplicates dropped), for the plan's warnings."""
    private = profile.__pydantic_private__  # read directly: ``profile._notes`` goes through
    if not (private and private.get("_notes")):  # pydantic's __getattr__, slow for every plan
        return []
    from ..i18n import t
    from .domain import field_labels

    return [t("inputs.duplicate_dropped", lang, value=value, field=field,
              **field_labels(tuple(field.split(".")))) for field, value in profile._notes]


class ProfileError(UserError):
    pass


_FIX_BY_TYPE = {
    "missing": "profile.fix.missing",
    "extra_forbidden": "profile.fix.extra",
    "literal_error": "profile.fix.choice",
    "greater_than_equal": "profile.fix.not_negative",
    "greater_than": "profile.fix.not_negative",
    "less_than_equal": "profile.fix.too_large",
    "int_parsing": "profile.fix.integer",
    "int_parsing_size": "profile.fix.too_large",
    "int_from_float": "profile.fix.integer",
    "int_type": "profile.fix.integer",
    "finite_number": "profile.fix.number",
    "decimal_parsing": "profile.fix.number",
    "decimal_type": "profile.fix.number",
    "decimal_max_places": "profile.fix.fen",
    "decimal_max_digits": "profile.fix.too_large",
    "date_from_datetime_parsing": "inputs.fix.real_date",
    "date_parsing": "inputs.fix.real_date",
    "date_type": "profile.fix.date",
    "bool_parsing": "profile.fix.bool",
    "bool_type": "profile.fix.bool",
    "string_too_short": "profile.fix.empty",
    "string_too_long": "inputs.fix.too_long",
    "string_pattern_mismatch": "inputs.fix.control",
    "string_unicode": "inputs.fix.control",
    "string_type": "profile.fix.text",
    "too_long": "inputs.fix.too_many",
    "model_type": "profile.fix.mapping",
    "dict_type": "profile.fix.mapping",
    "tuple_type": "profile.fix.list",
    "list_type": "profile.fix.list",
}
_MAX_FILE = 4 << 20       # a profile is a few KB; anything this big is not one
_MAX_NODES = 200_000      # values after YAML aliases are expanded (no "billion laughs")
_MAX_DEPTH = 32           # nesting; the model itself is 3 deep


def _field_name(loc: tuple) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


def _is_date(value: Any) -> bool:
    if isinstance(value, date):
        return True
    try:
        date.fromisoformat(str(value)[:10])
    except ValueError:
        return False
    return True


def _fix_for(err: dict) -> str:
    kind, value = err["type"], err.get("input")
    if kind in ("less_than_equal", "greater_than_equal") and _is_date(value):
        return "inputs.fix.date_range"
    if kind in ("int_parsing", "decimal_parsing") and isinstance(value, str):
        try:
            if abs(float(value[:400])) >= 1e12 or len(value) > 400:
                return "profile.fix.too_large"
        except ValueError:
            pass
    return _FIX_BY_TYPE.get(kind, "profile.fix.generic")


def _shown(value: Any) -> Any:
    """The offending value as a person can read it: short, printable, never a repr of a structure."""
    if value is None or isinstance(value, (bool, int, float, date)):
        text = str(value)
    elif isinstance(value, str):
        text = value.encode("utf-8", "replace").decode("utf-8")
    else:
        return type(value).__name__
    text = "".join(ch if ch.isprintable() else "\ufffd" for ch in text)
    return text if len(text) <= 60 else text[:57] + "…"


def _error_from_validation(exc: ValidationError, source: str) -> ProfileError:
    from .domain import field_labels

    err = exc.errors(include_url=False)[0]
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    field = _field_name(loc)
    ctx = err.get("ctx") or {}
    expected = ctx.get("expected", "")
    params = {k: str(v) for k, v in ctx.items() if k != "pattern"}
    return ProfileError("profile.invalid", {**params, "field": field, **field_labels(loc),
                                            "value": _shown(err.get("input")),
                                            "expected": expected, "detail": err["msg"]},
                        file=source, field=field, fix_key=_fix_for(err))


def profile_from_dict(data: Any, source: str = "<profile>") -> Profile:
    """Validate a mapping into a Profile; errors name ``source`` and the field."""
    if not isinstance(data, dict):
        raise ProfileError("profile.not_mapping", file=source, fix_key="profile.fix.mapping_top")
    from ..tabular import check_nesting

    check_nesting(data, source, max_depth=_MAX_DEPTH, max_nodes=_MAX_NODES)
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        raise _error_from_validation(exc, source) from None
    if source != "<profile>":
        profile._source = source
    return profile


def _yaml_loader():
    """The strict loader, except that an impossible date (2026-02-30) stays text for the model."""
    import yaml

    from ..rules.loader import StrictLoader

    class ProfileLoader(StrictLoader):
        pass

    def timestamp(loader, node):
        try:
            return loader.construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return loader.construct_scalar(node)

    def integer(loader, node):
        try:
            return loader.construct_yaml_int(node)
        except ValueError:  # over Python's 4,300-digit limit: the model says "too large"
            return loader.construct_scalar(node)

    ProfileLoader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    ProfileLoader.add_constructor("tag:yaml.org,2002:int", integer)
    return ProfileLoader, yaml


def _parse(path: Path, text: str) -> Any:
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProfileError("profile.bad_json", {"line": exc.lineno, "problem": exc.msg},
                               file=str(path), fix_key="profile.fix.json") from None
        except RecursionError:
            raise ProfileError("inputs.too_deep", {"max": _MAX_DEPTH}, file=str(path),
                               fix_key="inputs.fix.too_deep") from None
        except ValueError:  # an integer over Python's 4,300-digit limit
            raise ProfileError("inputs.number_too_long", file=str(path),
                               fix_key="profile.fix.too_large") from None
    from ..rules.loader import DuplicateKey

    loader, yaml = _yaml_loader()
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - strict safe loader
    except DuplicateKey as dup:
        raise ProfileError("profile.duplicate_key", {"key": dup.key, "line": dup.line},
                           file=str(path), field=dup.key, fix_key="profile.fix.duplicate") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ProfileError("profile.bad_yaml", {"line": mark.line + 1 if mark else "?",
                                                "problem": getattr(exc, "problem", "") or ""},
                           file=str(path), fix_key="profile.fix.yaml") from None
    except RecursionError:
        raise ProfileError("inputs.too_deep", {"max": _MAX_DEPTH}, file=str(path),
                           fix_key="inputs.fix.too_deep") from None


def load_profile(path: str | Path) -> Profile:
    """Read a profile file (YAML or JSON). Never modifies it."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > _MAX_FILE:
            raise ProfileError("inputs.file_too_big", {"size": size, "max": _MAX_FILE},
                               file=str(path), fix_key="inputs.fix.file_too_big")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ProfileError("errors.file_missing", {"path": str(path)}, file=str(path),
                           fix_key="errors.file_missing_fix") from None
    except IsADirectoryError:
        raise ProfileError("profile.is_dir", {"path": str(path)}, file=str(path),
                           fix_key="errors.file_missing_fix") from None
    except OSError as exc:
        raise ProfileError("profile.unreadable", {"error": exc.strerror}, file=str(path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProfileError("profile.not_utf8", file=str(path), fix_key="profile.fix.utf8") from None
    return profile_from_dict(_parse(path, text), str(path))
