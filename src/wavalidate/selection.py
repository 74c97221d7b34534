"""--select and --ignore: by code, code prefix, rule name or pillar; the most specific match wins."""
from __future__ import annotations

from typing import Iterable, Sequence

from .api import Rule


def _specificity(rule: Rule, term: str) -> int:
    term = term.strip()
    if not term:
        return -1
    if term == rule.name or term == rule.code:
        return 100
    if rule.code.startswith(term.upper()):
        return len(term)
    if term.lower() in (rule.pillar, rule.pillar.split("-")[0]):
        return 1
    return -1


def _best(rule: Rule, terms: Iterable[str]) -> int:
    return max((_specificity(rule, t) for t in terms), default=-1)


def select(rules: Sequence[Rule], chosen: Sequence[str] = (), ignored: Sequence[str] = ()) -> list[Rule]:
    """The rules left after select and ignore; an empty select means all."""
    kept = []
    for rule in rules:
        picked = _best(rule, chosen) if chosen else 0
        dropped = _best(rule, ignored)
        if picked >= 0 and picked > dropped:
            kept.append(rule)
    return kept


def unknown_terms(rules: Sequence[Rule], terms: Sequence[str]) -> list[str]:
    """Terms that match no rule: likely typos worth a usage error."""
    return [t for t in terms if t.strip() and all(_specificity(r, t) < 0 for r in rules)]
