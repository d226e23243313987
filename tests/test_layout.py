"""The packages' shape: no import cycle, and the README's picture names modules that exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tap_wolkvox"
PACKAGES = [PACKAGE, ROOT / "emulator" / "wolkvox_emulator"]


def module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_modules(package: Path) -> dict[str, Path]:
    return {module_name(path, package): path for path in package.rglob("*.py")}


def imports_of(path: Path, modules: dict[str, Path], package: Path) -> set[str]:
    """The package's modules `path` imports anywhere: top level, functions, TYPE_CHECKING."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            names = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names
            ]
        else:
            continue
        found.update(name for name in names if name in modules)
    found.discard(module_name(path, package))
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of `graph`, as the modules on it, or None."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(node: str) -> list[str] | None:
        path.append(node)
        on_path.add(node)
        for child in sorted(graph[node]):
            if child in on_path:
                return [*path[path.index(child) :], child]
            if child not in done and (cycle := visit(child)):
                return cycle
        path.pop()
        on_path.discard(node)
        done.add(node)
        return None

    for start in sorted(graph):
        if start not in done and (cycle := visit(start)):
            return cycle
    return None


@pytest.mark.parametrize("package", PACKAGES, ids=lambda path: path.name)
def test_the_package_has_no_import_cycle_type_only_imports_included(package: Path) -> None:
    modules = package_modules(package)
    graph = {name: imports_of(path, modules, package) for name, path in modules.items()}
    assert sum(map(len, graph.values())) > len(graph)  # imports are seen
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("readme", ["README.md", "README.es.md"])
def test_the_readme_picture_names_modules_that_exist(readme: str) -> None:
    text = (ROOT / readme).read_text(encoding="utf-8")
    picture = text.split("```text\ntap_wolkvox/", 1)[1].split("```", 1)[0]
    named = set(re.findall(r"\b([a-z_]+(?:/[a-z_]+)*(?:\.py|/))", picture))
    assert len(named) >= 10
    for name in named:
        assert (PACKAGE / name).exists(), f"{readme} names tap_wolkvox/{name}, which is gone"
