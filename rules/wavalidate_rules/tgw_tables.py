"""Transit Gateway route tables written from both sides (notes: 네트워크2 > Transit Gateway > 구성요소)."""
from __future__ import annotations

from wavalidate.api import Violation, facts, rule

from ._shared import tgw_links


@rule("REL669", severity="high",
      title="Each Transit Gateway attachment is associated with exactly one route table",
      notes="네트워크2 > Transit Gateway > 구성요소",
      facts=[facts.TGW_ONE_ASSOCIATION])
def tgw_single_association(arch):
    """A Transit Gateway attachment is associated with exactly one route
    table, which routes everything that arrives through it. The format lets
    the association be written on the attachment (`route_table`) or on the
    table (`associations`); when the two name different tables, or two tables
    list the same attachment, the design says something AWS cannot build,
    and which table routes the traffic (and so whether it passes inspection)
    is unclear.

    Fix: associate the attachment with one table: keep `route_table` on the
    attachment and the table's `associations` in agreement, and move other
    tables' entries to `propagations` if the attachment's routes should
    appear there.
    """
    associated, _ = tgw_links(arch)
    for table in arch.of_type("transit_gateway_route_table"):
        for index, name in enumerate(table.associations or ()):
            tables = associated.get(name, [])
            if len(tables) > 1 and tables[0] != table.name:
                yield Violation(table.path("associations", index),
                                f"attachment `{name}` is associated with `{tables[0]}` already; it cannot also be "
                                f"associated with `{table.name}`")
