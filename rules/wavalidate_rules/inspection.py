"""Traffic inspection with AWS Network Firewall (notes: 네트워크 > 라우팅 테이블, 아키텍팅 기본 사항 > 가용영역)."""
from __future__ import annotations

from wavalidate.api import Violation, facts, rule


@rule("REL140", severity="high",
      title="Subnets route to a Network Firewall endpoint in their own AZ",
      notes="아키텍팅 기본 사항 > 가용영역", best_practice="REL10-BP01",
      facts=[facts.NETWORK_FIREWALL_ENDPOINT_PER_AZ])
def network_firewall_endpoint_per_az(arch):
    """A Network Firewall has one endpoint per AZ, in the subnet it was given
    there. A subnet whose route sends traffic to the firewall uses an
    endpoint: when the firewall has none in the subnet's AZ, the traffic
    crosses to another AZ (paying cross-AZ data charges and adding latency),
    and the loss of that other AZ blackholes the traffic of an AZ that is
    itself healthy. AWS advises an endpoint in every AZ that has workloads.

    Fix: give the firewall a subnet in every AZ whose subnets route to it,
    and point each AZ's route tables at the endpoint of the same AZ
    (`endpoint_az`, or leave it out to mean the subnet's own AZ).
    """
    for subnet in arch.of_type("subnet"):
        zone = subnet.az
        table = arch.get(subnet.route_table)
        if table is None or not zone:
            continue
        for index, route in enumerate(table.routes or ()):
            firewall = arch.get(route.get("target"))
            if firewall is None or firewall.type != "network_firewall":
                continue
            used = route.get("endpoint_az") or zone
            endpoints = arch.azs_of(firewall)
            if used == zone and zone in endpoints:
                continue
            at = table.path("routes", index, "endpoint_az" if route.get("endpoint_az") else "target")
            where = (f"uses its endpoint in {used}" if used in endpoints
                     else f"has no endpoint in {used} (it has {', '.join(sorted(endpoints)) or 'none'})")
            yield Violation(at, f"subnet `{subnet.name}` in {zone} routes to firewall `{firewall.name}`, which "
                                f"{where}: traffic crosses AZs, and a failure there cuts off a healthy AZ")
