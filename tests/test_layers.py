"""The package's folders are layers, and imports only go down (or sideways within a folder, never
in a circle). Function-level imports count too: hiding an import in a function does not change
what depends on what. So do imports by name, in a string: the CLI's lazy commands
("costcalc.commands.check:run_check") and the presenter registry ("check_table:check_table",
a module of costcalc.present) are edges of the graph like any import."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "costcalc"

# Lowest first. The shared leaves are the package's top-level modules (errors, notices, names,
# units, safe, fmt, version) and the messages package (the English of every code).
LAYERS = ["", "files", "prices", "tokens", "read", "compute", "present", "commands", "cli"]
LEAF_PACKAGES = {"messages"}
# The package root re-exports the public API lazily and `python -m costcalc` starts the CLI:
# both sit above every layer.
ABOVE_ALL = {"costcalc", "costcalc.__main__"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _layer(module: str) -> int:
    if module in ABOVE_ALL:
        return len(LAYERS)
    parts = module.split(".")
    folder = parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else ""
    return 0 if folder in LEAF_PACKAGES else LAYERS.index(folder)


def _resolve(name: str) -> str | None:
    """The costcalc module an import names (a package's attribute may be a submodule)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


_BY_NAME = re.compile(r"costcalc(\.\w+)+(:\w+)?")
_REGISTRY = "costcalc.present.registry"
_PRESENTER = re.compile(r"(\w+):\w+")


def _named(module: str, node: ast.AST) -> list[str]:
    """Modules a string names: "costcalc.x.y[:attr]" anywhere, "module:function" in the
    presenter registry (a module of costcalc.present)."""
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return []
    if _BY_NAME.fullmatch(node.value):
        return [node.value.partition(":")[0]]
    found = _PRESENTER.fullmatch(node.value) if module == _REGISTRY else None
    return [f"costcalc.present.{found.group(1)}"] if found else []


def _imports(module: str) -> set[str]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if _named(module, node):
            names = _named(module, node)
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{module}: relative import; write costcalc.<layer>.<module>"
            base = node.module or ""
            names = [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            if name.startswith("costcalc"):
                target = _resolve(name)
                if target and target != module:
                    out.add(target)
    return out


GRAPH = {m: _imports(m) for m in MODULES}


def test_imports_by_name_are_seen():
    assert "costcalc.commands.check" in GRAPH["costcalc.cli.checking"]
    assert "costcalc.present.check_table" in GRAPH[_REGISTRY]
    named = [
        n
        for m in MODULES
        for node in ast.walk(ast.parse(MODULES[m].read_text(encoding="utf-8")))
        for n in _named(m, node)
    ]
    assert named and all(_resolve(n) == n for n in named), "a string names no module"


def test_every_module_is_in_a_layer():
    for module in MODULES:
        _layer(module)


def test_imports_only_go_down():
    upward = [
        f"{m} ({LAYERS[_layer(m)] or 'leaf'}) imports {t} ({LAYERS[_layer(t)] or 'leaf'})"
        for m, targets in GRAPH.items()
        if m not in ABOVE_ALL
        for t in targets
        if t not in ABOVE_ALL and _layer(t) > _layer(m)
    ]
    assert not upward, "\n".join(upward)


def test_nothing_imports_the_package_root():
    # The root's lazy re-exports import every layer: importing it from inside would be a circle.
    offenders = [m for m, targets in GRAPH.items() if "costcalc" in targets and m not in ABOVE_ALL]
    assert not offenders, offenders


def test_no_import_circles():
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(GRAPH[m]):
            if t in ABOVE_ALL:
                continue
            if state.get(t) == 1:
                raise AssertionError("import circle: " + " -> ".join([*stack[stack.index(t) :], t]))
            if t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(MODULES):
        if m not in state and m not in ABOVE_ALL:
            visit(m)
