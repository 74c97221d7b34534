"""The public API for rule packs: declare a rule once, yield violations by path.

    from wavalidate.api import rule, Violation

    @rule("REL001", severity="high", title="RDS databases run Multi-AZ",
          notes="데이터베이스 > RDS", best_practice="REL10-BP01")
    def rds_multi_az(arch):         # the rule's name: rds-multi-az
        '''Rationale...

        Fix: ...
        '''
        for db in arch.of_type("rds_instance"):
            if not db.multi_az and arch.needs_high_availability(db):
                yield Violation(db.path("multi_az"), f"{db.name} runs in one AZ")

Nothing registers itself on import: discovery collects decorated functions
from a pack's modules and sorts them by code. Everything a pack needs is
exported here: the model and its graph algorithms, `facts`, `units`, the
packet-filter algebra and the policy questions (`policy_documents`,
`lint_problems`, `assertion_results`, ...); `wavalidate.testing` runs a
pack's YAML case files.
"""
from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional

from . import facts, units
from .locations import Path
from .model import (
    Architecture,
    Requirements,
    Resource,
    closing_edges,
    connected_groups,
    shortest_path,
    strongly_connected,
)
from .packets import (
    ALL_PORTS,
    PROTOCOL_NUMBERS,
    AclEntry,
    acl_entries,
    allowed_ports,
    cidr_or_none,
    port_range,
    protocol_number,
    show_ports,
    subtract,
    supernets,
    uncovered,
)
from .units import human_bps, human_seconds, region_of_zone, size_bytes
from .vocabulary import (
    COST,
    OPERATIONAL_EXCELLENCE,
    PERFORMANCE,
    PILLARS,
    PREFIXES,
    RELIABILITY,
    SECURITY,
    SEVERITIES,
    SUSTAINABILITY,
)

# Built-in codes are a pillar prefix and three digits; a third-party pack puts
# its own name in front (ACME-REL001) so its codes never collide with ours.
_CODE = re.compile(r"^(?:[A-Z][A-Z0-9]*-)?(OPS|SEC|REL|PERF|COST|SUS)[0-9]{3}$")
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ATTRIBUTE = "__wavalidate_rule__"


@dataclass(frozen=True)
class Violation:
    """What a rule reports: a document path and a message.

    `severity` overrides the rule's default for this one case (e.g. a quota
    that can be raised). `on_key` points at the key instead of its value.
    `related` names other paths involved, such as the far end of an edge.
    """

    path: Path
    message: str
    severity: Optional[str] = None
    on_key: bool = False
    related: tuple = ()


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    title: str
    pillar: str
    severity: str
    notes: str
    best_practice: Optional[str]
    facts: tuple
    check: Callable[[Architecture], Iterable[Violation]] = field(compare=False, repr=False)
    doc: str = ""
    pack: str = ""

    @property
    def rationale(self) -> str:
        return _section(self.doc, None)

    @property
    def remediation(self) -> str:
        return _section(self.doc, "Fix")

    @property
    def sources(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for fact in self.facts:
            seen.setdefault(getattr(fact, "source", str(fact)), None)
        return tuple(seen)


def rule(code: str, name: Optional[str] = None, *, severity: str, title: str, notes: str = "",
         pillar: Optional[str] = None, best_practice: Optional[str] = None,
         facts: Iterable[Any] = ()) -> Callable:
    """Declare a rule. The code's prefix names the pillar (REL001 is reliability).

    The name defaults to the function's name in kebab-case (`def rds_multi_az`
    is `rds-multi-az`); a pack may still pass one, as the second argument.
    """
    match = _CODE.match(code)
    if not match:
        raise ValueError(f"rule code {code!r} must be a pillar prefix and three digits, such as REL001 "
                         "(third-party packs: ACME-REL001)")
    derived = PREFIXES[match.group(1)]
    if pillar is not None and pillar != derived:
        raise ValueError(f"rule {code} is in {derived} by its prefix, not {pillar}")
    if name is not None and not _NAME.match(name):
        raise ValueError(f"rule name {name!r} must be kebab-case")
    if severity not in SEVERITIES:
        raise ValueError(f"rule {code}: severity must be one of {', '.join(SEVERITIES)}")

    def decorate(function: Callable) -> Callable:
        chosen = name if name is not None else function.__name__.strip("_").replace("_", "-")
        if not _NAME.match(chosen):
            raise ValueError(f"rule {code}: the name {chosen!r} derived from the function must be kebab-case; "
                             "pass a name")
        setattr(function, ATTRIBUTE, Rule(code, chosen, title, derived, severity, notes, best_practice,
                                           tuple(facts), function, inspect.cleandoc(function.__doc__ or ""),
                                           function.__module__))
        return function
    return decorate


def _section(doc: str, heading: Optional[str]) -> str:
    """The rationale (text before the first heading) or a `Heading:` paragraph."""
    parts = re.split(r"\n\s*\n", doc)
    if heading is None:
        return "\n\n".join(p for p in parts if not re.match(r"^[A-Z][A-Za-z ]+:", p)).strip()
    chosen = [p for p in parts if p.startswith(heading + ":")]
    return "\n\n".join(p[len(heading) + 1:].strip() for p in chosen)


__all__ = ["Architecture", "Requirements", "Resource", "Rule", "Violation", "rule", "PILLARS", "SEVERITIES",
           "OPERATIONAL_EXCELLENCE", "SECURITY", "RELIABILITY", "PERFORMANCE", "COST", "SUSTAINABILITY",
           "facts", "units", "human_bps", "human_seconds", "region_of_zone", "size_bytes",
           "ALL_PORTS", "PROTOCOL_NUMBERS", "AclEntry", "acl_entries", "allowed_ports", "cidr_or_none", "port_range",
           "protocol_number", "show_ports", "subtract", "supernets", "uncovered",
           "closing_edges", "connected_groups", "shortest_path", "strongly_connected"]

# -- policy questions: IAM lint, evaluation and ARNs; wavalidate.policy itself loads on first use -------
from .arns import Accounts, resource_arn  # noqa: E402 (after __all__: the policy questions are a section of their own)
from .policies import (  # noqa: E402
    PolicyDoc,
    action_matches,
    assertion_results,
    cancelled_allows,
    effective_limits,
    lint_problems,
    parsed_policy,
    policy_documents,
    public_bucket_statements,
    resource_policy_allows,
    service_call_allowed,
)

__all__ += ["Accounts", "PolicyDoc", "action_matches", "assertion_results", "cancelled_allows", "effective_limits",
            "lint_problems", "parsed_policy", "policy_documents", "public_bucket_statements", "resource_arn",
            "resource_policy_allows", "service_call_allowed"]
