"""Rules that need the whole network of an organisation: overlapping address space across a Transit
Gateway, VPN and Direct Connect, Transit Gateway segmentation around an inspection VPC, appliance mode
(notes: 네트워크2 > Transit Gateway). They read one file, or several composed with `uses`
(docs/format.md, "Composition")."""
from __future__ import annotations

from wavalidate.api import Violation, facts, rule
from wavalidate_rules._shared import cidr_or_none

DEFAULT_TABLE = "(default)"   # a gateway's default route table when the file names none


# -- who is connected to what ---------------------------------------------------------------------------------

def vpc_block_paths(vpc) -> list:
    """(block, path of the value that states it) for each valid CIDR block of a VPC."""
    out = []
    for path, text in [(vpc.path("cidr"), vpc.cidr)] + [(vpc.path("secondary_cidrs", i), c)
                                                         for i, c in enumerate(vpc.secondary_cidrs or ())]:
        net = cidr_or_none(text)
        if net is not None:
            out.append((net, path))
    return out


def site_block_paths(site) -> list:
    out = []
    for i, text in enumerate(site.cidrs or ()):
        net = cidr_or_none(text)
        if net is not None:
            out.append((net, site.path("cidrs", i)))
    return out


def gateway_domains(arch) -> dict[str, str]:
    """Each Transit Gateway or virtual private gateway -> the name of its routing domain.

    Peered Transit Gateways route to each other (with static routes), so they
    are one domain; a virtual private gateway is a domain of its own VPC.
    """
    leader = {g.name: g.name for g in arch.of_type("transit_gateway", "vpn_gateway")}

    def find(name: str) -> str:
        while leader[name] != name:
            name = leader[name]
        return name

    for attachment in arch.of_type("transit_gateway_attachment"):
        if attachment.attachment_type == "peering" and attachment.peer in leader \
                and attachment.transit_gateway in leader:
            a, b = find(attachment.transit_gateway), find(attachment.peer)
            if a != b:
                leader[max(a, b)] = min(a, b)
    return {name: find(name) for name in leader}


def members(arch) -> dict[str, list]:
    """Routing domain -> [(network, how it joins)], networks in file order, each once per domain."""
    domain = gateway_domains(arch)
    joined: dict[str, dict] = {}

    def add(gateway, network, how: str) -> None:
        if gateway in domain and network is not None:
            joined.setdefault(domain[gateway], {}).setdefault(network.name, (network, how))

    for attachment in arch.of_type("transit_gateway_attachment"):
        if attachment.attachment_type == "vpc":
            add(attachment.transit_gateway, arch.get(attachment.vpc),
                f"attachment `{attachment.name}` to transit gateway `{attachment.transit_gateway}`")
    for gateway in arch.of_type("vpn_gateway"):
        add(gateway.name, arch.get(gateway.vpc), f"virtual private gateway `{gateway.name}`")
    for vpn in arch.of_type("vpn_connection"):
        device = arch.get(vpn.customer_gateway)
        site = arch.get(device.site) if device is not None else None
        routes = "BGP" if vpn.routing == "bgp" else "static routes"
        add(vpn.transit_gateway or vpn.vpn_gateway, site, f"VPN `{vpn.name}` ({routes})")
    for dx in arch.of_type("dx_connection"):
        site = arch.get(dx.site)
        dxgw = arch.get(dx.dx_gateway)
        for gateway in ([dx.vpn_gateway] if dx.vpn_gateway else []) + list(dxgw.associations or () if dxgw else ()):
            add(gateway, site, f"Direct Connect `{dx.name}` (BGP)")
    ordered = {name: i for i, name in enumerate(arch.resources)}
    return {d: sorted(found.values(), key=lambda item: ordered[item[0].name]) for d, found in joined.items()}


def _blocks(network) -> list:
    return vpc_block_paths(network) if network.type == "vpc" else site_block_paths(network)


@rule("REL663", severity="high",
      title="Networks joined by a Transit Gateway, VPN or Direct Connect have no overlapping CIDR blocks",
      notes="네트워크2 > Transit Gateway", best_practice="REL02-BP05",
      facts=[facts.TGW_ROUTE_TABLE_LONGEST_PREFIX, facts.VPC_PEERING_NO_OVERLAP])
def connected_networks_overlap(arch):
    """Every network that can reach another through a Transit Gateway (and
    peered gateways), a virtual private gateway, a VPN or Direct Connect
    shares one routing domain. Where two of them use overlapping addresses,
    routes to the range are ambiguous: the more specific (or the static)
    route wins, and the other network becomes unreachable from everywhere
    that route is used. An on-premises range that a VPN or Direct Connect
    advertises over a spoke's range is the common case: it appears when
    the network account and the workloads are checked together.

    The finding is on the VPC, which is usually the network that can be
    re-addressed; the other network is a related location. Peered VPCs are
    REL653's.

    Fix: give the VPC a range of its own (plan the organisation's address
    space with IPAM), or put NAT between the overlapping networks.
    """
    seen: set = set()
    for joined in members(arch).values():
        for i, (network, how) in enumerate(joined):
            if network.type != "vpc":
                continue
            for other, other_how in joined[:i] + [j for j in joined[i + 1:] if j[0].type != "vpc"]:
                pair = frozenset((network.name, other.name))
                if pair in seen:
                    continue
                clash = next(((a, pa, b, pb) for a, pa in _blocks(network) for b, pb in _blocks(other)
                              if a.version == b.version and a.overlaps(b)), None)
                if clash is None:
                    continue
                seen.add(pair)
                a, at, b, far = clash
                kind = "on-premises network" if other.type == "on_premises_network" else "VPC"
                yield Violation(at, f"VPC `{network.name}` ({a}) overlaps {kind} `{other.name}` ({b}), which "
                                    f"reaches the same routing domain through {other_how} (this VPC through "
                                    f"{how}); routes to the overlapping range are ambiguous",
                                related=(far,))


# -- Transit Gateway segmentation ----------------------------------------------------------------------------

def default_table(arch, gateway) -> str:
    for table in arch.of_type("transit_gateway_route_table"):
        if table.transit_gateway == gateway.name and table.default:
            return table.name
    return DEFAULT_TABLE


def association(arch, gateway, attachment):
    if attachment.route_table:
        return attachment.route_table
    return default_table(arch, gateway) if gateway.default_association else None


def propagations(arch, gateway, attachment) -> set:
    tables = set(attachment.propagates_to or ())
    if gateway.default_propagation and not attachment.has("propagates_to"):
        tables.add(default_table(arch, gateway))
    return tables


def next_hop(arch, gateway, table: str, destination, attachments) -> tuple:
    """(attachment name or None for a blackhole, how) of the route a table uses for a destination block.

    The most specific route wins; for the same prefix a static route wins
    over a propagated one.
    """
    best = None   # (prefix, static?, attachment, how)
    routes = arch.get(table).routes or () if arch.get(table) is not None else ()
    for route in routes:
        net = cidr_or_none(route.get("destination"))
        if net is None or net.version != destination.version or not destination.subnet_of(net):
            continue
        candidate = (net.prefixlen, 1, None if route.get("blackhole") else route.get("attachment"),
                     f"static route {net}")
        best = max(best, candidate, key=lambda c: c[:2]) if best else candidate
    for attachment in attachments:
        if table not in propagations(arch, gateway, attachment):
            continue
        vpc = arch.get(attachment.vpc)
        for net, _ in vpc_block_paths(vpc) if vpc is not None else ():
            if net.version == destination.version and destination.subnet_of(net):
                candidate = (net.prefixlen, 0, attachment.name, f"propagated route {net}")
                best = max(best, candidate, key=lambda c: c[:2]) if best else candidate
    return (best[2], best[3]) if best else (None, "no route")


def table_name(gateway, table: str) -> str:
    return f"the default route table of `{gateway.name}`" if table == DEFAULT_TABLE else f"route table `{table}`"


@rule("SEC651", severity="high",
      title="Traffic between VPCs on a Transit Gateway passes the inspection VPC",
      notes="네트워크2 > Transit Gateway > 구성요소", best_practice="SEC05-BP02",
      facts=[facts.TGW_ROUTE_TABLE_LONGEST_PREFIX])
def tgw_inspection_bypass(arch):
    """Where a design declares an inspection VPC on a Transit Gateway
    (`inspection: true` on its attachment), traffic between spoke VPCs must
    go through it. A spoke whose route table has a route to another spoke's
    attachment skips the firewalls. The usual cause is the gateway's
    default route table: with default association and propagation on,
    every attachment lands in one table and every VPC's range is
    propagated into it, so spokes reach each other directly.

    The rule follows each spoke's associated route table to each other
    spoke's range (most specific route first, static over propagated,
    blackholes drop) and reports a pair that reaches each other without the
    inspection attachment, at the first spoke's attachment.

    Fix: associate spokes with a spoke route table whose only route is
    0.0.0.0/0 to the inspection attachment; propagate the spokes into the
    inspection (firewall) route table only; turn `default_association` and
    `default_propagation` off on the gateway, or set each attachment's
    `route_table` and `propagates_to`.
    """
    attachments = arch.of_type("transit_gateway_attachment")
    for gateway in arch.of_type("transit_gateway"):
        mine = [a for a in attachments if a.transit_gateway == gateway.name and a.attachment_type == "vpc"]
        inspection = [a for a in mine if a.inspection]
        if not inspection:
            continue
        spokes = [a for a in mine if not a.inspection and arch.get(a.vpc) is not None]
        reported: set = set()
        for source in spokes:
            table = association(arch, gateway, source)
            if table is None:
                continue
            for target in spokes:
                if target is source or frozenset((source.name, target.name)) in reported:
                    continue
                blocks = vpc_block_paths(arch.get(target.vpc))
                if not blocks:
                    continue
                hop, how = next_hop(arch, gateway, table, blocks[0][0], mine)
                if hop != target.name:
                    continue
                reported.add(frozenset((source.name, target.name)))
                related = [target.path()]
                if table == DEFAULT_TABLE or not source.route_table:
                    related.append(gateway.path("default_association") if gateway.has("default_association")
                                   else gateway.path())
                yield Violation(source.path("route_table") if source.has("route_table") else source.path(),
                                f"VPC attachment `{source.name}` reaches `{target.name}` ({blocks[0][0]}) through "
                                f"{table_name(gateway, table)} ({how}), skipping inspection attachment "
                                f"`{inspection[0].name}`", on_key=not source.has("route_table"),
                                related=tuple(related))


@rule("REL664", severity="high",
      title="The inspection VPC's Transit Gateway attachment has appliance mode on",
      notes="네트워크2 > Transit Gateway", best_practice="REL02-BP04",
      facts=[facts.TGW_APPLIANCE_MODE_FOR_INSPECTION])
def tgw_appliance_mode(arch):
    """A Transit Gateway keeps traffic in the AZ it entered, so the two
    directions of a flow between spokes in different AZs can reach the
    inspection VPC in different AZs, through different firewall endpoints.
    A stateful firewall that sees only one direction drops the flow.
    Appliance mode (off by default) makes the gateway pick one AZ of the
    inspection VPC for the whole life of a flow.

    Fix: set `appliance_mode: true` on the inspection VPC's attachment
    (ApplianceModeSupport=enable).
    """
    for attachment in arch.of_type("transit_gateway_attachment"):
        if attachment.inspection and attachment.attachment_type == "vpc" and not attachment.appliance_mode:
            written = attachment.has("appliance_mode")
            yield Violation(attachment.path("appliance_mode" if written else "inspection"),
                            f"inspection attachment `{attachment.name}` has appliance mode off; the two directions "
                            "of a flow can cross different AZs of the inspection VPC, and a stateful firewall that "
                            "sees one direction drops it", on_key=not written)
