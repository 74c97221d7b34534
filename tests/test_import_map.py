"""Who may import what: the built-in rule pack uses only the public API, as a third-party pack must."""
from __future__ import annotations

import ast
import glob
import os
import sys

from .conftest import ROOT

RULES = os.path.join(ROOT, "rules", "wavalidate_rules")


def imports(path: str) -> list[tuple[int, str]]:
    """(line, dotted name) of every module, or module member, a file imports."""
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):  # relative: inside the pack
            found += [(node.lineno, "wavalidate_rules." + (node.module or alias.name)) for alias in node.names]
    return found


def allowed_in_rules(name: str) -> bool:
    top = name.split(".")[0]
    if top == "wavalidate":
        return name.startswith("wavalidate.api.")
    return top == "wavalidate_rules" or top in sys.stdlib_module_names or top == "__future__"


def test_rule_modules_import_only_the_public_api():
    offenders = [f"{os.path.basename(path)}:{line}: {name}"
                 for path in sorted(glob.glob(os.path.join(RULES, "*.py")))
                 for line, name in imports(path) if not allowed_in_rules(name)]
    assert not offenders, "rule modules may import from wavalidate only `wavalidate.api`: " + ", ".join(offenders)


def test_the_check_catches_an_internal_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from wavalidate import facts\nfrom wavalidate.model import Resource\nimport wavalidate.units\n"
                   "from wavalidate.api import rule\nimport math\n")
    assert [name for _, name in imports(str(bad)) if not allowed_in_rules(name)] == [
        "wavalidate.facts", "wavalidate.model.Resource", "wavalidate.units"]
