"""The layers of the code (README "Layout of the code", docs/architecture.md): which part may
import which, and no import circle between modules (imports inside functions count too)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "viz_app"
LEAVES = frozenset({"binding", "heap", "chromium"})  # small modules anyone may use
# Each part of viz_app and the parts it may import (besides itself, the leaves and the package
# root's __version__). A part not named here fails the test: place it in the layers first.
MAY_IMPORT: dict[str, frozenset[str]] = {
    "core": frozenset(),
    "client": frozenset({"core"}),  # the SageMaker client: factory, read-only allow-list, paging
    "render": frozenset({"core"}),
    "api": frozenset({"core", "client"}),  # the client's read-only allow-list, for --read-only
    "ui": frozenset({"core", "client", "api", "render"}),
    "evidence": frozenset({"core", "client", "api", "render", "ui"}),
    "notebook": frozenset({"core", "client", "api", "render", "ui", "evidence"}),
}
ENTRY_POINTS = frozenset({"cli", "wsgi", "__main__"})  # at the top: may import anything


def modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The viz_app modules `path` imports, anywhere in it."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if full in known:
                    yield full
                elif node.module in known:
                    yield node.module


def part(module: str) -> str:
    """The layer part of a module: viz_app.ui.names -> ui; viz_app.notebook_proxy -> notebook."""
    name = module.split(".")[1] if "." in module else ""
    return "notebook" if name.startswith("notebook") else name


def graph() -> dict[str, set[str]]:
    known = modules()
    return {m: set(imports(p, known)) - {m} for m, p in known.items()}


def against_layers(edges: dict[str, set[str]]) -> list[str]:
    """Every import that goes against the layers, as `module -> module`."""
    wrong = []
    for module, targets in edges.items():
        source = part(module)
        if source in ENTRY_POINTS or source == "":
            continue
        assert source in MAY_IMPORT or source in LEAVES, f"{module}: place {source!r} in the layers"
        allowed = {source, ""} | (LEAVES | MAY_IMPORT[source] if source in MAY_IMPORT else set())
        wrong += [f"{module} -> {t}" for t in sorted(targets) if part(t) not in allowed]
    return wrong


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Import circles found by a depth-first walk (each as the modules around it)."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                found.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    return found


def test_every_part_imports_only_the_parts_below_it() -> None:
    wrong = against_layers(graph())
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_no_import_circles() -> None:
    found = circles(graph())
    assert not found, "import circles:\n" + "\n".join(" -> ".join(c) for c in found)


def test_the_checks_find_an_upward_arrow_and_a_circle() -> None:
    edges = graph()
    edges["viz_app.core.walk"] = edges["viz_app.core.walk"] | {"viz_app.ui.names"}
    assert against_layers(edges) == ["viz_app.core.walk -> viz_app.ui.names"]
    edges["viz_app.ui.names"] = edges["viz_app.ui.names"] | {"viz_app.ui.labels"}
    edges["viz_app.ui.labels"] = edges["viz_app.ui.labels"] | {"viz_app.ui.names"}
    found = circles(edges)
    assert len(found) == 1 and set(found[0]) == {"viz_app.ui.labels", "viz_app.ui.names"}
