"""The layering is a test: every import (module level and inside functions) points the right way.

rules know no roadmap; the roadmap core imports rules and money only; toolkits know no store,
web or commands; the store imports no roadmap, toolkit, web, commands or cases; cases/ sits
below the web and the commands; and no two modules import each other in a circle.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "xiabo"

# small shared helpers every layer may use: errors and messages, words for values, the safe
# spreadsheet reader, where files live, atomic writes
BASE = {"errors", "i18n", "vocabulary", "tabular", "paths", "fsutil", "xiabo"}
TOOLKITS = {"evidence", "backup", "privacy", "orders", "letters", "opinion", "dispute"}
TOP = {"web", "commands", "cli", "__main__"}

# package -> packages it must never import (besides itself)
FORBIDDEN = {
    "rules": {"roadmap", "cases", "store", "web", "commands", "cli", "export", "interview",
              "money", *TOOLKITS},
    "money": {"roadmap", "cases", "store", "web", "commands", "cli", "export", *TOOLKITS},
    "roadmap": {"cases", "store", "web", "commands", "cli", "export", "interview",
                "paths", "fsutil", *TOOLKITS},
    **{kit: {"store", "web", "commands", "cli", "cases", "jobs"} for kit in TOOLKITS},
    "export": {"store", "web", "commands", "cli", "cases", "jobs"},
    "store": {"roadmap", "rules", "money", "export", "interview", "cases", "jobs", "web",
              "commands", "cli", *TOOLKITS},
    "cases": {"web", "commands", "cli"},
    "jobs": {"web", "commands", "cli"},
}
# the roadmap core may import only these packages
ROADMAP_ALLOWED = {"roadmap", "rules", "money"} | BASE


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every xiabo module ``path`` imports, anywhere in it (functions too)."""
    mod = _module_name(path)
    package = mod.split(".") if path.name == "__init__.py" else mod.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - (node.level - 1)]
                full = ".".join(base + ([node.module] if node.module else []))
            else:
                full = node.module or ""
            names = [full] + [f"{full}.{a.name}" for a in node.names]
        else:
            continue
        found.update(n for n in names if n == "xiabo" or n.startswith("xiabo."))
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in SRC.rglob("*.py")}
    graph: dict[str, set[str]] = defaultdict(set)
    for mod, path in modules.items():
        for target in _imports(path):
            # "from .x import name": keep the module, drop names that are not modules
            while target not in modules and "." in target:
                target = target.rsplit(".", 1)[0]
            if target != mod:
                graph[mod].add(target)
    return graph


def _package(mod: str) -> str:
    parts = mod.split(".")
    return parts[1] if len(parts) > 1 else "xiabo"


GRAPH = _graph()


def _wrong_way() -> list[str]:
    out = []
    for mod, targets in sorted(GRAPH.items()):
        here = _package(mod)
        for target in sorted(targets):
            there = _package(target)
            if there == here:
                continue
            if there in FORBIDDEN.get(here, ()):
                out.append(f"{mod} -> {target}")
            elif here == "roadmap" and there not in ROADMAP_ALLOWED:
                out.append(f"{mod} -> {target} (the roadmap core imports rules and money only)")
            elif here not in TOP and there in TOP:
                out.append(f"{mod} -> {target} (only the front ends import the front ends)")
    return out


def test_every_import_points_the_right_way():
    assert _wrong_way() == []


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out = []
    counter = 0
    for root in sorted(GRAPH):
        if root in index:
            continue
        work = [(root, iter(sorted(GRAPH.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(GRAPH.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        item = stack.pop()
                        on_stack.discard(item)
                        group.append(item)
                        if item == node:
                            break
                    if len(group) > 1:
                        out.append(sorted(group))
    return out


def test_no_two_modules_import_each_other_in_a_circle():
    # a package's __init__ naming its own modules is how a public API is made, not a cycle
    cycles = [c for c in _cycles()
              if not all(m == c[0] or m.startswith(c[0] + ".") for m in c)]
    assert cycles == []


@pytest.mark.parametrize("package", ["roadmap", "cases", "rules", "store"])
def test_a_core_package_names_its_public_api(package):
    import importlib

    module = importlib.import_module(f"xiabo.{package}")
    exported = getattr(module, "__all__", None)
    assert exported, f"xiabo.{package} has no __all__"
    missing = [name for name in exported if not hasattr(module, name)]
    assert missing == []


def test_the_checker_sees_imports_inside_functions(tmp_path):
    """The test itself can fail: an import hidden in a function body is found."""
    sample = SRC / "store" / "_architecture_probe.py"
    assert not sample.exists()
    code = "def f():\n    from ..roadmap import plan\n"
    sample.write_text(code, encoding="utf-8")
    try:
        assert "xiabo.roadmap" in _imports(sample) or "xiabo.roadmap.plan" in _imports(sample)
    finally:
        sample.unlink()
