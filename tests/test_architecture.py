"""The layout shows the architecture: which folder may import which, read from the code's own imports.

Every ``import`` of every module of the package is read with :mod:`ast` (imports inside functions
too: a lazy import is still a dependency); the folders are the package's own mapping in
pyproject.toml (``dutygraph.graph`` → ``graph/`` …).
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIRS = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["package-dir"]


def _modules() -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its ``__init__.py``)."""
    found: dict[str, Path] = {}
    for package, folder in PACKAGE_DIRS.items():
        base = ROOT / folder
        for path in base.rglob("*.py"):
            parts = list(path.relative_to(base).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            name = ".".join([package, *parts])
            # a folder mapped on its own (graph/ is dutygraph.graph) is not also a part of dutygraph/
            if not any(name.startswith(p + ".") or name == p for p in PACKAGE_DIRS if len(p) > len(package)):
                found[name] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """What a module imports: dotted names, relative imports resolved, ``from x import y`` as ``x.y``
    when ``y`` is a module of the package, else as ``x`` (that a submodule's package runs first is
    not counted: every module would then import its own package)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            submodules = {f"{source}.{alias.name}" for alias in node.names} & set(MODULES)
            found |= submodules
            if len(submodules) < len(node.names):  # names defined in the module (or package) itself
                found.add(source)
    return found


IMPORTS = {name: _imports(name, path) for name, path in MODULES.items()}


def _inside(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _third_party(name: str) -> str:
    return name.split(".")[0]


def test_the_package_mapping_finds_the_folders():
    assert {"dutygraph.graph.store.base", "dutygraph.graph.analytics.workload", "dutygraph.api.app"} <= set(MODULES)
    assert MODULES["dutygraph.graph.store"] == ROOT / "graph" / "store" / "__init__.py"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if _inside(n, "dutygraph.graph")))
def test_nothing_under_graph_imports_the_web_or_the_pages(name):
    """graph/ is storage and analytics: HTTP, HTML templates and pyvis pictures live in api/."""
    forbidden = {"fastapi", "starlette", "jinja2", "pyvis", "typer", "uvicorn"}
    bad = sorted(i for i in IMPORTS[name] if _third_party(i) in forbidden or _inside(i, "dutygraph.api"))
    assert bad == []


@pytest.mark.parametrize("name", sorted(n for n in MODULES if _inside(n, "dutygraph.graph.store")))
def test_the_store_imports_only_the_domain_model_and_the_queries(name):
    """Inside dutygraph the store reads the domain model and queries/ alone; the factory also reads
    the settings (it is the only place that does)."""
    allowed = ["dutygraph.graph.store", "dutygraph.model", "dutygraph.queries"]
    if name == "dutygraph.graph.store.factory":
        allowed.append("dutygraph.settings")
    own = {i for i in IMPORTS[name] if _inside(i, "dutygraph")}
    assert sorted(i for i in own if not any(_inside(i, a) for a in allowed)) == []


def test_only_the_factory_reads_the_settings_under_graph():
    readers = sorted(n for n in MODULES if _inside(n, "dutygraph.graph") and "dutygraph.settings" in IMPORTS[n])
    assert readers == ["dutygraph.graph.store.factory"]


def test_analytics_reach_the_database_through_the_store_interface_only():
    """No analytics module names a backend (FalkorDB, Neo4j, the embedded server)."""
    backends = {"falkordb", "redis", "neo4j"}
    backend_modules = {"falkordb_store", "neo4j_store", "embedded"}
    bad = {
        name: sorted(i for i in IMPORTS[name] if _third_party(i) in backends or i.rpartition(".")[2] in backend_modules)
        for name in MODULES
        if _inside(name, "dutygraph.graph.analytics")
    }
    assert {n: b for n, b in bad.items() if b} == {}


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan): the nodes that import each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return components


def test_no_import_cycle_in_graph_api_or_the_services():
    """Modules that import each other, directly or round a loop (loaders/ is another issue's)."""
    ours = ("dutygraph.graph", "dutygraph.api", "dutygraph.services", "dutygraph.queries", "dutygraph.model")
    modules = {n: sorted(i for i in IMPORTS[n] if i in MODULES and i != n) for n in MODULES}
    assert [c for c in _cycles(modules) if any(_inside(m, p) for m in c for p in ours)] == []


def _folder(name: str) -> str:
    """The part of the layout a module belongs to: graph/store, graph/analytics, api, loaders or
    queries as a whole; a module of dutygraph/ (services, model, settings …) on its own."""
    parts = name.split(".")
    if parts[1:2] == ["graph"] and len(parts) > 2:
        return ".".join(parts[:3])
    if parts[1:2] and parts[1] in ("api", "loaders", "queries", "graph"):
        return ".".join(parts[:2])
    return name


def test_no_import_cycle_among_the_folders():
    """Read folder by folder, the imports point one way (docs/architecture.md draws them): api → the
    services → extraction, analytics, store → loaders, queries, the model.  Acyclic modules can still
    make folders that import each other; this catches that."""
    folders: dict[str, set[str]] = {}
    for name, imported in IMPORTS.items():
        folders.setdefault(_folder(name), set()).update(_folder(i) for i in imported if i in MODULES)
    graph = {f: sorted(i for i in targets if i != f) for f, targets in folders.items()}
    assert {"dutygraph.graph.store", "dutygraph.graph.analytics", "dutygraph.api", "dutygraph.loaders"} <= set(graph)
    assert _cycles(graph) == []


#: A Cypher clause at work: a node pattern after MATCH/MERGE/CREATE, UNWIND of a list or parameter,
#: a procedure call.  Words such as "match" in prose do not look like this.
CYPHER = re.compile(r"\b(?:(?:OPTIONAL\s+)?MATCH|MERGE|CREATE)\s*\(|\bUNWIND\s+[\[$\w]|\bCALL\s+db\.")


@pytest.mark.parametrize(
    "name",
    sorted(n for n in MODULES if not _inside(n, "dutygraph.graph.store") and not _inside(n, "dutygraph.queries")),
)
def test_no_cypher_outside_queries_and_the_store(name):
    """Every statement lives in queries/ (the named queries and the internal ones) or, for the
    write statements and the backends' own schema, in graph/store/: no module writes Cypher inline."""
    tree = ast.parse(MODULES[name].read_text("utf-8"))
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert [s for s in strings if CYPHER.search(s)] == []
