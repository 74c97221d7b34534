"""The layers, read from the source with `ast` (nothing is imported): who may import what.

`package_modules` and `import_map` are meant for more boundaries than these (the rule
packs importing only `wavalidate.api`, say): add a test beside the others.
"""
from __future__ import annotations

import ast
import os
from dataclasses import dataclass

from .conftest import ROOT

SRC = os.path.join(ROOT, "src")


@dataclass(frozen=True)
class Import:
    module: str        # absolute: `from ..loader import X` in wavalidate.render is wavalidate.loader
    eager: bool        # at module level, so importing the importer imports it


def package_modules(root: str = SRC, package: str = "wavalidate") -> dict[str, str]:
    """Every module of a package under `root`, by dotted name, to its file."""
    found = {}
    for folder, dirs, files in os.walk(os.path.join(root, *package.split("."))):
        dirs[:] = sorted(d for d in dirs if os.path.exists(os.path.join(folder, d, "__init__.py")))
        for file in sorted(f for f in files if f.endswith(".py")):
            parts = os.path.relpath(os.path.join(folder, file), root)[:-3].split(os.sep)
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = os.path.join(folder, file)
    return found


def imports_of(name: str, path: str, known: dict[str, str]) -> set[Import]:
    """What a module imports, relative imports resolved; `if TYPE_CHECKING:` blocks left out (never run).

    `from pkg import sub` counts as importing `pkg.sub` when that is a module."""
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
    found: set[Import] = set()

    def visit(node: ast.AST, eager: bool) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child, eager)
            return
        if isinstance(node, ast.Import):
            found.update(Import(alias.name, eager) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            found.add(Import(base, eager))
            found.update(Import(f"{base}.{alias.name}", eager) for alias in node.names if f"{base}.{alias.name}" in known)
        inner = eager and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        for child in ast.iter_child_nodes(node):
            visit(child, inner)

    visit(tree, True)
    return found


def import_map(root: str = SRC, package: str = "wavalidate") -> dict[str, set[Import]]:
    known = package_modules(root, package)
    return {name: imports_of(name, path, known) for name, path in known.items()}


def eager_closure(start: str, graph: dict[str, set[Import]]) -> set[str]:
    """The modules importing `start` imports, through module-level imports only (and packages' __init__)."""
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        parts = name.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]   # importing a.b.c runs a and a.b
        todo += [i.module for i in graph.get(name, ()) if i.eager]
    return seen


def names_called(path: str) -> set[str]:
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    return {node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            for node in ast.walk(tree) if isinstance(node, ast.Call)}


def _touches(imports: set[Import], modules: tuple[str, ...]) -> list[str]:
    return sorted({i.module for i in imports if i.module in modules or i.module.startswith(tuple(m + "." for m in modules))})


GRAPH = import_map()
FILES = package_modules()


def test_the_map_sees_the_package():
    assert {"wavalidate.cli", "wavalidate.engine", "wavalidate.render", "wavalidate.render.graph",
            "wavalidate.formats.sarif"} <= set(GRAPH)
    assert Import("wavalidate.loader", True) in GRAPH["wavalidate.inputs"]        # from .loader import ...
    assert Import("wavalidate.suppress", False) in GRAPH["wavalidate.engine"]      # from . import suppress, lazily
    assert "wavalidate.api" not in {i.module for i in GRAPH["wavalidate.findings"]}   # only under TYPE_CHECKING


def test_only_the_cli_imports_click():
    """The library raises its own errors; only the command line turns them into click's."""
    users = sorted(name for name, imports in GRAPH.items() if _touches(imports, ("click",)))
    assert users == ["wavalidate.cli"]


def test_render_and_diff_use_the_checked_files_and_never_load_one():
    loading = ("wavalidate.loader", "wavalidate.inputs", "wavalidate.cloudformation", "yaml")
    loaders = {"load_document", "parse_document", "read_text", "load_yaml", "load_template"}
    for name in [n for n in GRAPH if n == "wavalidate.diff" or n.startswith("wavalidate.render")]:
        assert not _touches(GRAPH[name], loading), name
        assert not names_called(FILES[name]) & loaders, name


def test_findings_and_formats_do_not_import_the_rule_api_the_model_or_the_docs():
    heavy = ("wavalidate.api", "wavalidate.model", "wavalidate.schema", "wavalidate.docs", "wavalidate.plugins")
    for name in ["wavalidate.findings", "wavalidate.results"] + [n for n in GRAPH if n.startswith("wavalidate.formats")]:
        pulled = eager_closure(name, GRAPH)
        assert not [m for m in pulled if m in heavy or m.startswith("wavalidate.schema.")], name
        assert not _touches(GRAPH[name], ("wavalidate.docs",)), name   # not even on first use


RULES_ROOT = os.path.join(ROOT, "rules")


def _rule_pack_offenders(root: str, package: str) -> list[str]:
    """Imports of wavalidate other than `wavalidate.api` in the modules of a rule pack."""
    pack = package_modules(root, package)
    known = {**package_modules(), **pack}
    return sorted(f"{name}: {i.module}" for name, path in pack.items() for i in imports_of(name, path, known)
                  if i.module.split(".")[0] == "wavalidate" and i.module != "wavalidate.api")


def test_rule_modules_import_only_the_public_api():
    offenders = _rule_pack_offenders(RULES_ROOT, "wavalidate_rules")
    assert not offenders, "rule modules may import from wavalidate only `wavalidate.api`: " + ", ".join(offenders)


def test_the_rule_pack_check_catches_an_internal_import(tmp_path):
    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "__init__.py").write_text("")
    (tmp_path / "acme" / "rules.py").write_text(
        "from wavalidate import facts\nfrom wavalidate.model import Resource\nimport wavalidate.units\n"
        "from wavalidate.api import rule\nimport math\n")
    assert _rule_pack_offenders(str(tmp_path), "acme") == [
        "acme.rules: wavalidate", "acme.rules: wavalidate.facts", "acme.rules: wavalidate.model",
        "acme.rules: wavalidate.units"]
