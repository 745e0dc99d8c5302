"""Read rule packs: strict YAML (duplicate keys are errors), JSON Schema, overlays, a cache.

Built-in packs live in ``packs/``; overlays (``--rules DIR`` or ``XIABO_RULES``, several
separated by ``os.pathsep``) add platforms or replace rules by id without a release.
Compiled books are cached (pickle keyed by the packs' paths, sizes and mtimes), so the CLI
does not parse YAML on every run.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import UserError
from .model import DEFAULT_QUALITY, Platform, Rule, RuleBook, RuleValue, unknown_value

__all__ = ["load_rulebook", "load_pack_files", "check_dir", "BUILTIN_PACKS", "overlay_dirs",
           "StrictLoader", "DuplicateKey"]

BUILTIN_PACKS = Path(__file__).parent / "packs"
SCHEMA_PATH = Path(__file__).parent / "schema.json"
_CACHE_VERSION = "7"

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that refuses duplicate mapping keys."""


class DuplicateKey(Exception):
    def __init__(self, key: str, line: int):
        super().__init__(key)
        self.key, self.line = key, line


def _construct_mapping(loader, node, deep=False):
    loader.flatten_mapping(node)
    mapping: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            raise DuplicateKey(str(key), key_node.start_mark.line + 1)
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _iso(obj: Any) -> Any:
    """Turn YAML dates (keys and values) into ISO strings so the schema sees one type."""
    if isinstance(obj, dict):
        return {(k.isoformat() if isinstance(k, date) else k): _iso(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_iso(v) for v in obj]
    if isinstance(obj, date):
        return obj.isoformat()
    return obj


@lru_cache(maxsize=1)
def _validator():
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UserError("rules.not_utf8", file=str(path), fix_key="rules.fix_utf8") from None
    except OSError as exc:
        raise UserError("rules.unreadable", {"error": exc.strerror}, file=str(path)) from None
    try:
        return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - strict *safe* loader
    except DuplicateKey as dup:
        raise UserError("rules.duplicate_key", {"key": dup.key, "line": dup.line},
                        file=str(path), field=dup.key, fix_key="rules.fix_duplicate") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else "?"
        raise UserError("rules.bad_yaml", {"line": line, "problem": getattr(exc, "problem", "")},
                        file=str(path), fix_key="rules.fix_yaml") from None


def _field_path(error) -> str:
    return ".".join(str(p) for p in error.absolute_path) or "(top)"


def _validate(doc: Any, path: Path) -> None:
    errors = sorted(_validator().iter_errors(doc), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    err = errors[0]
    where = _field_path(err)
    if err.validator == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
        raise UserError("rules.unknown_key", {"key": ", ".join(map(str, extra)), "where": where},
                        file=str(path), field=f"{where}.{extra[0]}" if extra else where,
                        fix_key="rules.fix_unknown_key")
    raise UserError("rules.schema", {"where": where, "problem": err.message},
                    file=str(path), field=where, fix_key="rules.fix_schema")


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return RuleValue({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_freeze(v) for v in value]
    return value


def _to_rule(raw: dict, path: Path) -> Rule:
    quality = raw.get("quality") or DEFAULT_QUALITY[raw["source"]]
    check = raw.get("check")
    nulls = [k for k, v in raw["values"].items() if v is None]
    if nulls and quality != "unknown":
        raise UserError("rules.null_value", {"id": raw["id"], "date": nulls[0]}, file=str(path),
                        field=f"{raw['id']}.values.{nulls[0]}", fix_key="rules.fix_null_value")
    values = tuple(sorted((date.fromisoformat(k), unknown_value(check) if v is None else _freeze(v))
                          for k, v in raw["values"].items()))
    return Rule(
        id=raw["id"],
        title=raw["title"],
        values=values,
        unit=raw["unit"],
        source=raw["source"],
        reference=raw["reference"],
        last_verified=date.fromisoformat(raw["last_verified"]),
        verified=raw["verified"],
        note=raw.get("note"),
        contrasts=tuple(raw.get("contrasts", ())),
        section=raw.get("section"),
        file=str(path),
        citations=tuple(raw.get("citations", ())),
        quality=quality,
        check=check,
    )


def load_pack_files(files: Iterable[Path]) -> tuple[dict[str, Rule], dict[str, Platform]]:
    """Parse and validate pack files; a rule id twice in one set of files is an error."""
    rules: dict[str, Rule] = {}
    platforms: dict[str, Platform] = {}
    for path in files:
        doc = _iso(_read_yaml(path))
        if doc is None:
            continue
        _validate(doc, path)
        meta = doc.get("platform")
        if meta:
            platforms[meta["id"]] = Platform(meta["id"], meta["name"], meta.get("extends"),
                                             meta.get("comparison", True), str(path),
                                             meta.get("order", 100),
                                             tuple(meta.get("aliases", ())))
        for raw in doc.get("rules", []):
            if raw["id"] in rules:
                raise UserError("rules.duplicate_id", {"id": raw["id"], "other": rules[raw["id"]].file},
                                file=str(path), field=raw["id"], fix_key="rules.fix_duplicate_id")
            rules[raw["id"]] = _to_rule(raw, path)
    return rules, platforms


def _pack_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def overlay_dirs(extra: Iterable[str | os.PathLike] | None = None, use_env: bool = True) -> list[Path]:
    """Overlay folders: ``XIABO_RULES`` first, then those given explicitly (later wins)."""
    env = os.environ.get("XIABO_RULES", "") if use_env else ""
    dirs = [Path(p) for p in env.split(os.pathsep) if p]
    dirs += [Path(p) for p in (extra or [])]
    for d in dirs:
        if not d.is_dir():
            raise UserError("rules.overlay_missing", {"path": str(d)}, file=str(d),
                            fix_key="rules.fix_overlay_missing")
    return dirs


def _fingerprint(files: list[Path]) -> str:
    h = hashlib.sha256(_CACHE_VERSION.encode())
    h.update(SCHEMA_PATH.read_bytes())
    for f in files:
        st = f.stat()
        h.update(f"{f}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:32]


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "xiabo"


def _build(builtin: list[Path], overlays: list[list[Path]]) -> RuleBook:
    rules, platforms = load_pack_files(builtin)
    for files in overlays:
        o_rules, o_platforms = load_pack_files(files)
        rules.update(o_rules)
        platforms.update(o_platforms)
    for pid, meta in platforms.items():
        if meta.extends and meta.extends not in platforms:
            raise UserError("rules.bad_extends", {"platform": pid, "extends": meta.extends},
                            file=meta.file, field="platform.extends", fix_key="rules.fix_extends")
    return RuleBook(rules=rules, platforms=platforms)


_memo: dict[str, RuleBook] = {}
# (overlay args, XIABO_RULES, use_env) -> (monotonic time checked, book): a server asks for the
# rule book on every request; re-stat the pack files at most once per _RECHECK_SECONDS.
_recent: dict[tuple, tuple[float, RuleBook]] = {}
_RECHECK_SECONDS = 2.0


def load_rulebook(overlays: Iterable[str | os.PathLike] | None = None, *,
                  use_cache: bool = True, use_env: bool = True) -> RuleBook:
    """The built-in packs plus overlays; validated once, then cached by fingerprint."""
    import time

    overlays = tuple(str(o) for o in (overlays or ()))
    recent_key = (overlays, os.environ.get("XIABO_RULES", "") if use_env else None, use_cache)
    hit = _recent.get(recent_key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < _RECHECK_SECONDS:
        return hit[1]
    book = _load_rulebook(overlays, use_cache=use_cache, use_env=use_env)
    _recent[recent_key] = (now, book)
    return book


def _load_rulebook(overlays: tuple[str, ...], *, use_cache: bool, use_env: bool) -> RuleBook:
    builtin = _pack_files(BUILTIN_PACKS)
    dirs = overlay_dirs(overlays, use_env)
    overlay_files = [_pack_files(d) for d in dirs]
    key = _fingerprint(builtin + [f for fs in overlay_files for f in fs])
    if key in _memo:
        return _memo[key]
    cache_file = _cache_dir() / f"rules-{key}.pickle"
    book = None
    if use_cache and cache_file.exists():
        try:
            with cache_file.open("rb") as fh:
                book = pickle.load(fh)  # noqa: S301 - our own cache file, keyed by content
        except Exception:  # noqa: BLE001 - a stale or truncated cache is simply rebuilt
            book = None
    if book is None:
        book = _build(builtin, overlay_files)
        if use_cache:
            try:
                cache_file.parent.mkdir(parents=True, exist_ok=True)
                tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
                with tmp.open("wb") as fh:
                    pickle.dump(book, fh, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, cache_file)
            except OSError:
                pass
    book.overlays = tuple(str(d) for d in dirs)
    _memo[key] = book
    return book


def check_dir(directory: Path) -> tuple[int, int]:
    """Validate every pack file in ``directory`` (alone and on top of the built-ins).

    Returns (files, rules); raises UserError on the first problem.
    """
    if not directory.is_dir():
        raise UserError("rules.overlay_missing", {"path": str(directory)}, file=str(directory),
                        fix_key="rules.fix_overlay_missing")
    files = _pack_files(directory)
    rules, _ = load_pack_files(files)
    _build(_pack_files(BUILTIN_PACKS), [files])
    return len(files), len(rules)
