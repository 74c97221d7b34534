"""Rules that need the whole network of an organisation: overlapping address space across a Transit
Gateway, VPN and Direct Connect, Transit Gateway segmentation around an inspection VPC, appliance mode
(notes: 네트워크2 > Transit Gateway). They read one file, or several composed with `uses`
(docs/format.md, "Composition")."""
from __future__ import annotations

from wavalidate.api import (
    Violation,
    acl_entries,
    allowed_ports,
    cidr_or_none,
    facts,
    port_range,
    protocol_number,
    rule,
    show_ports,
    supernets,
    uncovered,
)
from wavalidate_rules._shared import tgw_links

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


def segment_domain(arch, attachment):
    """The routing-domain key of a Cloud WAN attachment's segment, or None when its attachments cannot
    reach each other (an isolated segment) or the segment is not declared on the core network."""
    core = arch.get(attachment.core_network)
    for segment in (core.segments or ()) if core is not None else ():
        if segment.get("name") == attachment.segment:
            return None if segment.get("isolate_attachments") else f"{core.name}/{attachment.segment}"
    return None


def gateway_domains(arch) -> dict[str, str]:
    """Each Transit Gateway, virtual private gateway or Cloud WAN segment -> the name of its routing domain.

    Peered Transit Gateways route to each other (with static routes), so they
    are one domain, and a Transit Gateway route table attached to a Cloud WAN
    segment joins the gateway to the segment; a virtual private gateway is a
    domain of its own VPC.
    """
    leader = {g.name: g.name for g in arch.of_type("transit_gateway", "vpn_gateway")}
    wan = [(a, segment_domain(arch, a)) for a in arch.of_type("cloudwan_attachment")]
    leader.update((key, key) for _, key in wan if key is not None)

    def find(name: str) -> str:
        while leader[name] != name:
            name = leader[name]
        return name

    def join(one, other) -> None:
        if one in leader and other in leader:
            a, b = find(one), find(other)
            if a != b:
                leader[max(a, b)] = min(a, b)

    for attachment in arch.of_type("transit_gateway_attachment"):
        if attachment.attachment_type == "peering":
            join(attachment.transit_gateway, attachment.peer)
    for attachment, key in wan:
        if attachment.attachment_type == "transit_gateway_route_table":
            join(attachment.transit_gateway, key)
    return {name: find(name) for name in leader}


def members(arch) -> dict[str, list]:
    """Routing domain -> [(network, how it joins)], networks in file order, each once per domain."""
    domain = gateway_domains(arch)
    joined: dict[str, dict] = {}

    def add(gateway, network, how: str) -> None:
        if gateway in domain and network is not None:
            joined.setdefault(domain[gateway], {}).setdefault(network.name, (network, how))

    def site_of(vpn):
        device = arch.get(vpn.customer_gateway) if vpn is not None else None
        return arch.get(device.site) if device is not None else None

    for attachment in arch.of_type("transit_gateway_attachment"):
        if attachment.attachment_type == "vpc":
            add(attachment.transit_gateway, arch.get(attachment.vpc),
                f"attachment `{attachment.name}` to transit gateway `{attachment.transit_gateway}`")
    for gateway in arch.of_type("vpn_gateway"):
        add(gateway.name, arch.get(gateway.vpc), f"virtual private gateway `{gateway.name}`")
    for vpn in arch.of_type("vpn_connection"):
        routes = "BGP" if vpn.routing == "bgp" else "static routes"
        add(vpn.transit_gateway or vpn.vpn_gateway, site_of(vpn), f"VPN `{vpn.name}` ({routes})")
    dx_sites: dict[str, list] = {}
    for dx in arch.of_type("dx_connection"):
        site = arch.get(dx.site)
        dxgw = arch.get(dx.dx_gateway)
        dx_sites.setdefault(dx.dx_gateway, []).append((dx, site))
        for gateway in ([dx.vpn_gateway] if dx.vpn_gateway else []) + list(dxgw.associations or () if dxgw else ()):
            add(gateway, site, f"Direct Connect `{dx.name}` (BGP)")
    for attachment in arch.of_type("cloudwan_attachment"):
        key = segment_domain(arch, attachment)
        how = f"Cloud WAN attachment `{attachment.name}` to segment `{attachment.segment}`"
        if attachment.attachment_type == "vpc":
            add(key, arch.get(attachment.vpc), how)
        elif attachment.attachment_type == "vpn":
            add(key, site_of(arch.get(attachment.vpn_connection)), how)
        elif attachment.attachment_type == "dx_gateway":
            for dx, site in dx_sites.get(attachment.dx_gateway, ()) if attachment.dx_gateway else ():
                add(key, site, f"Direct Connect `{dx.name}` and {how}")
    ordered = {name: i for i, name in enumerate(arch.resources)}
    return {d: sorted(found.values(), key=lambda item: ordered[item[0].name]) for d, found in joined.items()}


def _blocks(network) -> list:
    return vpc_block_paths(network) if network.type == "vpc" else site_block_paths(network)


@rule("REL666", severity="high",
      title="Networks joined by a Transit Gateway, Cloud WAN, VPN or Direct Connect have no overlapping CIDR blocks",
      notes="네트워크2 > Transit Gateway", best_practice="REL02-BP05",
      facts=[facts.TGW_ROUTE_TABLE_LONGEST_PREFIX, facts.VPC_PEERING_NO_OVERLAP,
             facts.CLOUDWAN_SEGMENT_ROUTING_DOMAIN])
def connected_networks_overlap(arch):
    """Every network that can reach another through a Transit Gateway (and
    peered gateways), a Cloud WAN segment (unless it isolates its
    attachments), a virtual private gateway, a VPN or Direct Connect
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
    """The route table an attachment is associated with (written on either side), else the default one."""
    associated, _ = tgw_links(arch)
    tables = associated.get(attachment.name)
    if tables:
        return tables[0]
    return default_table(arch, gateway) if gateway.default_association else None


def propagations(arch, gateway, attachment) -> set:
    """The route tables an attachment propagates to; the default one too unless the file lists them."""
    _, propagated = tgw_links(arch)
    tables = set(propagated.get(attachment.name, ()))
    if gateway.default_propagation and not tables and not attachment.has("propagates_to"):
        tables.add(default_table(arch, gateway))
    return tables


def table_routes(arch, gateway_name: str, table: str) -> dict:
    """A Transit Gateway route table as a map from block to its route: (attachment or None, how).

    Static routes (a blackhole's attachment is None) replace propagated ones
    for the same block. Keyed like `supernets`, so a lookup is one probe per
    prefix length; shared by the rules through `arch.cached`.
    """
    gateway = arch.get(gateway_name)
    routes: dict = {}
    for attachment in arch.of_type("transit_gateway_attachment"):
        if attachment.transit_gateway != gateway_name or attachment.attachment_type != "vpc" \
                or table not in propagations(arch, gateway, attachment):
            continue
        vpc = arch.get(attachment.vpc)
        for net, _ in vpc_block_paths(vpc) if vpc is not None else ():
            routes.setdefault(next(supernets(net)), (attachment.name, f"propagated route {net}"))
    owner = arch.get(table)
    for route in (owner.routes or () if owner is not None else ()):
        net = cidr_or_none(route.get("destination"))
        if net is not None:
            routes[next(supernets(net))] = (None if route.get("blackhole") else route.get("attachment"),
                                            f"static route {net}")
    return routes


def next_hop(arch, gateway, table: str, destination) -> tuple:
    """(attachment name or None for a blackhole, how) of the route a table uses for a destination block:
    the most specific route; for the same prefix a static route wins over a propagated one."""
    routes = arch.cached(table_routes, gateway.name, table)
    for key in supernets(destination):
        if key in routes:
            return routes[key]
    return None, "no route"


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
    blackholes drop) and reports, at each spoke's attachment (in the file
    that owns it), the spokes it reaches without the inspection attachment.

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
        first_block = {a.name: vpc_block_paths(arch.get(a.vpc))[:1] for a in spokes}
        hops: dict = {}
        for source in spokes:
            table = association(arch, gateway, source)
            if table is None:
                continue
            reached = []
            for target in spokes:
                blocks = first_block[target.name]
                if target is source or not blocks:
                    continue
                if (table, target.name) not in hops:   # spokes share tables: look each target up once per table
                    hops[(table, target.name)] = next_hop(arch, gateway, table, blocks[0][0])
                hop, how = hops[(table, target.name)]
                if hop == target.name:
                    reached.append((target, blocks[0][0], how))
            if not reached:
                continue
            target, block, how = reached[0]
            more = f" and {len(reached) - 1} other spoke{'s' if len(reached) > 2 else ''}" if len(reached) > 1 else ""
            related = [target.path()]
            if table == DEFAULT_TABLE:
                related.append(gateway.path("default_association") if gateway.has("default_association")
                               else gateway.path())
            yield Violation(source.path("route_table") if source.has("route_table") else source.path(),
                            f"VPC attachment `{source.name}` reaches `{target.name}` ({block}){more} through "
                            f"{table_name(gateway, table)} ({how}), skipping inspection attachment "
                            f"`{inspection[0].name}`", on_key=not source.has("route_table"),
                            related=tuple(related))


@rule("REL664", severity="medium",   # the fact is checked against AWS docs but not in the fact sheet
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


# -- flows between VPCs, hop by hop ----------------------------------------------------------------------------

def end_block(arch, resource):
    """The addresses a flow end uses: its only subnet's block, else its VPC's primary block."""
    subnets = [s for s in arch.subnets_of(resource) if cidr_or_none(s.cidr) is not None]
    if len(subnets) == 1:
        return cidr_or_none(subnets[0].cidr)
    vpc = arch.vpc_of(resource)
    blocks = vpc_block_paths(vpc) if vpc is not None else []
    return blocks[0][0] if blocks else None


def vpc_route(arch, table, destination):
    """(index, route) of the most specific route of a VPC route table that covers a block, or None."""
    best = None
    for index, route in enumerate(table.routes or ()):
        net = cidr_or_none(route.get("destination"))
        if net is not None and net.version == destination.version and destination.subnet_of(net) \
                and (best is None or net.prefixlen > best[2]):
            best = (index, route, net.prefixlen)
    return best[:2] if best else None


def owner_text(arch, resource) -> str:
    vpc = arch.vpc_of(resource)
    account = resource.get("account") or (vpc.get("account") if vpc is not None else None)
    return f" (account `{account}`)" if account else ""


def _route_hops(arch, flow_at, ends, gateway, attachments, back: bool = False):
    """Violations on the way from ends[0] to ends[1]: subnet route tables, then the gateway's route table."""
    start, goal = ends
    leg = (f"the replies of the flow from `{goal.name}` to `{start.name}`" if back
           else f"the flow from `{start.name}` to `{goal.name}`")
    destination = end_block(arch, goal)
    if destination is None:
        return
    tables: dict = {}
    for subnet in arch.subnets_of(start):
        table = arch.get(subnet.route_table)
        if table is not None:
            tables.setdefault(table.name, table)
    for table in tables.values():
        found = vpc_route(arch, table, destination)
        if found is None:
            yield Violation(table.path("routes") if table.has("routes") else table.path(),
                            f"route table `{table.name}`{owner_text(arch, table)} has no route to `{goal.name}` "
                            f"({destination}), needed by {leg} through transit gateway `{gateway.name}`",
                            on_key=True, related=(flow_at,))
        elif found[1].get("target") != gateway.name:
            index, route = found
            yield Violation(table.path("routes", index, "target"),
                            f"route table `{table.name}`{owner_text(arch, table)} sends `{goal.name}` "
                            f"({destination}) to `{route.get('target')}`, not transit gateway `{gateway.name}` "
                            f"used by {leg}", related=(flow_at,))
    source = attachments[0]
    table = association(arch, gateway, source)
    if table is None:
        return   # REL657
    hop, how = next_hop(arch, gateway, table, destination)
    if hop is None:
        at = arch.get(table).path("routes") if arch.get(table) is not None else source.path()
        what = "a blackhole route" if how.startswith("static") else "no route"
        yield Violation(at, f"{table_name(gateway, table)} has {what} to "
                            f"`{goal.name}` ({destination}) for attachment `{source.name}`, which drops {leg} at the "
                            "Transit Gateway", on_key=True, related=(flow_at,))


def _allowed_by_groups(arch, source, target, protocol: int, low: int, high: int) -> bool:
    block = end_block(arch, source)
    mine = set(source.get("security_groups") or ())
    for group in arch.all(target.get("security_groups")):
        for rule_ in group.ingress or ():
            number = protocol_number(rule_.get("protocol"))
            if number not in (-1, protocol):
                continue
            a, b = port_range(rule_.get("ports"), number)
            if a > low or b < high:
                continue
            net = cidr_or_none(rule_.get("cidr"))
            if rule_.get("source_security_group") in mine or (
                    net is not None and block is not None and block.version == net.version and block.subnet_of(net)):
                return True
    return False


def _nacl_hops(arch, flow_at, source, target, protocol, low, high):
    block = end_block(arch, source)
    for subnet in arch.subnets_of(target):
        acl = arch.get(subnet.network_acl)
        if acl is None or not acl.get("inbound") or block is None:
            continue
        allowed = allowed_ports(acl_entries(acl, "inbound"), protocol, block.network_address, low, high)
        if uncovered(allowed, low, high):
            yield Violation(acl.path("inbound"), f"network ACL `{acl.name}`{owner_text(arch, acl)} of subnet "
                                                 f"`{subnet.name}` does not let the flow from "
                                                 f"`{source.name}` ({block}) in on {show_ports((low, high))}",
                            on_key=True, related=(flow_at,))


@rule("REL665", severity="high",
      title="A flow between VPCs on a Transit Gateway has routes, security group and network ACL rules on every hop",
      notes="네트워크2 > Transit Gateway", best_practice="REL02-BP04",
      facts=[facts.TGW_ROUTE_TABLE_LONGEST_PREFIX])
def flow_hops_between_vpcs(arch):
    """A declared flow between two VPCs on one Transit Gateway (typically
    two accounts: a workload calling another team's service) needs, in both
    accounts: a route to the gateway in the route tables of its subnets,
    a route in the gateway's route table associated with the sending
    attachment (and the same on the way back), a security group rule on the
    target that allows the protocol and port from the source, and network
    ACLs on the target's subnets that let it in. Any missing hop drops the
    flow; the finding is on that hop, in the file that owns it, with the
    flow as a related location.

    Fix: add the missing route (subnet route table or Transit Gateway route
    table), or the security group or network ACL rule, on the hop named.
    """
    attachments = [a for a in arch.of_type("transit_gateway_attachment") if a.attachment_type == "vpc"]
    by_vpc: dict[str, list] = {}
    for attachment in attachments:
        by_vpc.setdefault(attachment.vpc, []).append(attachment)
    seen: set = set()
    for index, flow in enumerate(arch.flows):
        source, target = arch.get(flow.get("source")), arch.get(flow.get("target"))
        if source is None or target is None:
            continue
        a, b = arch.vpc_of(source), arch.vpc_of(target)
        if a is None or b is None or a.name == b.name:
            continue
        shared = [(x, y) for x in by_vpc.get(a.name, ()) for y in by_vpc.get(b.name, ())
                  if x.transit_gateway == y.transit_gateway and arch.get(x.transit_gateway) is not None]
        if not shared:
            continue
        x, y = shared[0]
        gateway = arch.get(x.transit_gateway)
        at = ("flows", index)
        found = list(_route_hops(arch, at, (source, target), gateway, (x, y)))
        found += list(_route_hops(arch, at, (target, source), gateway, (y, x), back=True))
        protocol = protocol_number(flow.get("protocol") or "tcp")
        if flow.get("port") is not None and protocol >= -1:
            low, high = port_range(flow.get("port"), protocol)
            if target.get("security_groups") and not _allowed_by_groups(arch, source, target, protocol, low, high):
                found.append(Violation(target.path("security_groups"),
                                       f"no security group of `{target.name}`{owner_text(arch, target)} allows "
                                       f"the flow from `{source.name}` on {show_ports((low, high))}",
                                       on_key=True, related=(at,)))
            found += list(_nacl_hops(arch, at, source, target, protocol, low, high))
        for violation in found:
            if (violation.path, violation.message) not in seen:
                seen.add((violation.path, violation.message))
                yield violation
