"""The package's shape: no import circle between its modules, and no module too long to read."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import grimp

PACKAGE = "checklist_app"
MAX_LINES = 450
# Known circles still being untangled elsewhere, as sets of modules; the lead removes entries once fixed.


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan), each sorted."""
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:  # iterative, so a deep chain cannot hit the recursion limit
        nonlocal counter
        work = [(start, iter(edges[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))

    for module in modules:
        if module not in index:
            visit(module)
    return groups


def test_no_import_cycle_between_modules() -> None:
    """Lazy imports inside functions count too: a circle is a circle whenever it is walked."""
    graph = grimp.build_graph(PACKAGE, include_external_packages=False)
    cycles = _cycles(graph)
    assert cycles == [], "import cycles: " + "; ".join(" ↔ ".join(c) for c in cycles)


def test_no_module_over_the_line_limit() -> None:
    """A module past ~450 lines is asking to be split by meaning; migrations are history, left as written."""
    root = Path(str(resources.files(PACKAGE)))
    long = {
        path.relative_to(root.parent).as_posix(): n
        for path in sorted(root.rglob("*.py"))
        if "migrations" not in path.relative_to(root).parts
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"modules over {MAX_LINES} lines: " + ", ".join(f"{p} ({n})" for p, n in long.items())
