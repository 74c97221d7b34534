"""The words findings, rules, formats and docs share: pillars, severities, a rule's anchor in docs/rules.md.

It imports nothing, so that findings and formats need not import the rule API (and through it the model).
"""
from __future__ import annotations

OPERATIONAL_EXCELLENCE = "operational-excellence"
SECURITY = "security"
RELIABILITY = "reliability"
PERFORMANCE = "performance-efficiency"
COST = "cost-optimization"
SUSTAINABILITY = "sustainability"

PILLARS = (OPERATIONAL_EXCELLENCE, SECURITY, RELIABILITY, PERFORMANCE, COST, SUSTAINABILITY)
PREFIXES = {"OPS": OPERATIONAL_EXCELLENCE, "SEC": SECURITY, "REL": RELIABILITY,
            "PERF": PERFORMANCE, "COST": COST, "SUS": SUSTAINABILITY}
SEVERITIES = ("critical", "high", "medium", "low", "info")


def anchor(rule) -> str:
    """The anchor of a rule's entry in docs/rules.md (and so of SARIF's helpUri)."""
    return f"{rule.code.lower()}-{rule.name}"
