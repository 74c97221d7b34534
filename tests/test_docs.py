"""Generated documentation stays in sync with the code."""
from __future__ import annotations

import os

from wavalidate.docs import rules_markdown

from .conftest import ROOT, snapshot


def test_rules_md_is_current(rules):
    snapshot(os.path.join(ROOT, "docs", "rules.md"), rules_markdown(rules))


def test_format_reference_is_current():
    from wavalidate.schema.reference import reference_markdown
    snapshot(os.path.join(ROOT, "docs", "reference.md"), reference_markdown())
