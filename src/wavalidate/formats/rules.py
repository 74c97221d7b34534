"""`wavalidate rules`' outputs: the rule list as an aligned table or as JSON."""
from __future__ import annotations

import json as _json
from typing import TYPE_CHECKING, Sequence

from ..topics import topic

if TYPE_CHECKING:
    from ..api import Rule


def text(rules: Sequence[Rule]) -> str:
    return "".join(f"{r.code:<8} {r.severity:<8} {r.pillar:<23} {r.name:<34} {r.title}\n" for r in rules)


def json(rules: Sequence[Rule]) -> str:
    return _json.dumps([{"code": r.code, "name": r.name, "title": r.title, "pillar": r.pillar,
                         "severity": r.severity, "notes": r.notes, "topic": topic(r.notes),
                         "best_practice": r.best_practice,
                         "pack": r.pack} for r in rules], indent=2, ensure_ascii=False) + "\n"


FORMATS = {"text": text, "json": json}
