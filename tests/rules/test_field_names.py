"""A misspelt field in a rule fails here, not as an E900 crash at run time."""
from __future__ import annotations

import pkgutil

import wavalidate_rules
from wavalidate.field_names import field_name_problems

MODULES = [f"wavalidate_rules.{m.name}" for m in pkgutil.iter_modules(wavalidate_rules.__path__)]


def test_built_in_rules_read_only_declared_fields():
    assert field_name_problems(*MODULES) == []


def test_a_misspelt_field_is_caught(tmp_path):
    pack = tmp_path / "typo_pack.py"
    pack.write_text(
        "from wavalidate.api import Violation, rule\n"
        "\n"
        "@rule('ACME-REL001', severity='high', title='t')\n"
        "def multi_az(arch):\n"
        "    for db in arch.of_type('rds_instance'):\n"
        "        if not db.mutli_az:\n"
        "            yield Violation(db.path('multi_az'), db.name)\n"
        "    for subnet in arch.of_type('subnet'):\n"
        "        if subnet.get('multi_az') or subnet.engine:\n"
        "            yield Violation(subnet.path('multi_az'), subnet.name)\n"
        "    for resource in arch.resources.values():\n"
        "        if resource.get('mutli_az') or resource.get('az'):\n"
        "            yield Violation(resource.path(), resource.name)\n")
    problems = field_name_problems(str(pack))
    assert sorted(p.split(":", 1)[1] for p in problems) == sorted([
        "6: `mutli_az` is not a field of any resource type",
        "6: `db.mutli_az`: rds_instance declares no field `mutli_az`",
        "9: `subnet.multi_az`: subnet declares no field `multi_az`",
        "9: `subnet.engine`: subnet declares no field `engine`",
        "10: `subnet.multi_az`: subnet declares no field `multi_az`",
        "12: `mutli_az` is not a key the format declares",
    ])
