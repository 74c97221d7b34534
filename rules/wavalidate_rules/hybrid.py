"""Hybrid networking: Site-to-Site VPN, Transit Gateway, Direct Connect, endpoints, peering (notes: 네트워크2)."""
from __future__ import annotations

from dataclasses import dataclass

from wavalidate.api import Violation, connected_groups, facts, human_bps, rule, shortest_path, units
from wavalidate_rules._shared import single_zone, tgw_links, vpc_blocks


@dataclass(frozen=True)
class VpnCapacity:
    """What a set of VPN connections on one gateway can carry, and why."""

    bps: float
    reason: str
    tunnels: int = 1        # tunnels that carry traffic at once


def large_tunnels(vpn) -> bool:
    # Large tunnels exist only on a Transit Gateway or Cloud WAN, not on accelerated VPNs; PERF002 reports the rest.
    return vpn.tunnel_bandwidth == "large" and bool(vpn.transit_gateway or vpn.cloud_wan) and not vpn.accelerated


def tunnel_bps(vpn) -> float:
    return (facts.VPN_LARGE_TUNNEL_GBPS.value if large_tunnels(vpn) else facts.VPN_TUNNEL_GBPS.value) * 1e9


def gateway_of(arch, vpn):
    return arch.get(vpn.transit_gateway) or arch.get(vpn.vpn_gateway)


def capacity(arch, gateway, vpns) -> VpnCapacity:
    """Aggregate throughput of the VPN connections that end on one gateway.

    A virtual private gateway uses one tunnel at a time and does no ECMP. A
    Transit Gateway spreads traffic over every tunnel with ECMP, but only for
    BGP-routed connections and only while VpnEcmpSupport is on; otherwise one
    tunnel carries the traffic.
    """
    best = max(tunnel_bps(v) for v in vpns)
    if gateway.type == "vpn_gateway":
        return VpnCapacity(best, f"a virtual private gateway does no ECMP, so one {human_bps(best)} tunnel "
                                 "carries all traffic")
    if not gateway.vpn_ecmp:
        return VpnCapacity(best, f"ECMP is off on transit gateway `{gateway.name}`, so one {human_bps(best)} "
                                 "tunnel carries all traffic")
    bgp = [v for v in vpns if v.routing == "bgp"]
    if not bgp:
        return VpnCapacity(best, f"static routing cannot use ECMP, so one {human_bps(best)} tunnel carries "
                                 "all traffic")
    total = sum(tunnel_bps(v) * v.tunnels for v in bgp)
    tunnels = sum(v.tunnels for v in bgp)
    static = [v.name for v in vpns if v.routing != "bgp"]
    unused = f" (static `{'`, `'.join(static)}` adds nothing)" if static else ""
    return VpnCapacity(total, f"ECMP over {tunnels} BGP tunnel{'s' if tunnels != 1 else ''} gives only "
                              f"{human_bps(total)}{unused}", tunnels)


def dx_gateways(arch) -> set:
    """Names of the virtual private and transit gateways that a Direct Connect connection reaches."""
    reached = set()
    for dx in arch.of_type("dx_connection"):
        if dx.vpn_gateway:
            reached.add(dx.vpn_gateway)
        gateway = arch.get(dx.dx_gateway)
        if gateway is not None:
            reached.update(gateway.associations or ())
    return reached


def vpns_by_gateway(arch):
    groups: dict[str, list] = {}
    for vpn in arch.of_type("vpn_connection"):
        gateway = gateway_of(arch, vpn)
        if gateway is not None:
            groups.setdefault(gateway.name, []).append(vpn)
    return [(arch.get(name), vpns) for name, vpns in groups.items()]


@rule("PERF001", severity="high",
      title="Site-to-Site VPN capacity covers the required bandwidth",
      notes="네트워크2 > AWS Site-to-Site VPN", best_practice="PERF04-BP01",
      facts=[facts.VPN_TUNNEL_GBPS, facts.VPN_LARGE_TUNNEL_GBPS, facts.VGW_NO_ECMP, facts.VGW_ACTIVE_TUNNELS,
             facts.TGW_VPN_ECMP_NEEDS_BGP, facts.VPN_TUNNEL_PPS, facts.VPN_ONE_FLOW_ONE_TUNNEL])
def vpn_bandwidth(arch):
    """A standard VPN tunnel carries at most 1.25 Gbps. The notes call that
    the limit of Site-to-Site VPN, which is now true only of standard tunnels:
    large tunnels carry 5 Gbps, on a Transit Gateway (or Cloud WAN) only. More bandwidth
    comes from ECMP across several BGP tunnels on a Transit Gateway; a virtual
    private gateway always uses a single tunnel.

    The rule adds up what the VPN connections on each gateway can carry and
    compares it with the bandwidth the requirements declare (the workload's,
    or a connection's own) and the bandwidth of flows routed through the
    connections. Where Direct Connect also reaches the gateway and only the
    workload-wide figure asks for more, the VPN is the usual backup path of
    AWS's Direct Connect resiliency designs: the shortfall is the reduced
    bandwidth after a failover, reported as a warning rather than an error.

    Two more limits hold even when the bandwidth adds up. A standard tunnel
    also caps at about 140,000 packets per second, which small packets reach
    well before 1.25 Gbps: when the requirements give a `packet_rate`, the
    rule checks it against the tunnels in use and says so. And one flow
    always uses one tunnel, so ECMP helps only many flows: a single flow
    (`flows:` with a `bandwidth`) larger than one tunnel is reported too.

    Fix: terminate the VPN on a Transit Gateway with BGP routing and ECMP, and
    add connections until the tunnels cover the need; use large (5 Gbps)
    tunnels on the Transit Gateway; or move the traffic to Direct Connect.
    For a backup VPN, confirm the workload can run at the reduced bandwidth.
    For one large flow, split it over several connections (parallel
    streams) or use Direct Connect.
    """
    dx_reached = dx_gateways(arch)
    via_bps: dict[str, float] = {}
    for flow in arch.flows:
        bps = units.bits_per_second(flow.get("bandwidth"))
        for hop in flow.get("via") or ():
            if bps and isinstance(hop, str):
                via_bps[hop] = max(via_bps.get(hop, 0), bps)
    tunnel_pps = facts.VPN_TUNNEL_PPS.value
    for gateway, vpns in vpns_by_gateway(arch):
        first = vpns[0]
        others = f" (with {len(vpns) - 1} more connection{'s' if len(vpns) > 2 else ''})" if len(vpns) > 1 else ""
        needed = max((arch.requirements_for(v).bandwidth_bps or 0) for v in vpns)
        explicit = max(max(units.bits_per_second((v.get("requirements") or {}).get("bandwidth")) or 0,
                           via_bps.get(v.name, 0)) for v in vpns)
        needed = max(needed, explicit)
        have = capacity(arch, gateway, vpns)
        if needed and have.bps < needed:
            backup = gateway.name in dx_reached and explicit <= have.bps
            yield Violation(first.path("routing"),
                            f"VPN `{first.name}`{others} on `{gateway.name}` must carry {human_bps(needed)}, "
                            f"but {have.reason}"
                            + ("; Direct Connect also reaches this gateway, so this is the bandwidth left after "
                               "a failover to the VPN" if backup else ""),
                            severity="medium" if backup else None)
            continue
        flow_bps = max(via_bps.get(v.name, 0) for v in vpns)
        one_tunnel = max(tunnel_bps(v) for v in vpns)
        if flow_bps > one_tunnel:
            yield Violation(first.path("routing"),
                            f"a single flow of {human_bps(flow_bps)} goes through VPN `{first.name}`{others} on "
                            f"`{gateway.name}`, but one flow always uses one tunnel, which carries at most "
                            f"{human_bps(one_tunnel)}; ECMP spreads only many flows")
            continue
        packets = max((arch.requirements_for(v).get("packet_rate") or 0) for v in vpns)
        standard = not any(large_tunnels(v) for v in vpns)
        if packets and standard and packets > have.tunnels * tunnel_pps:
            yield Violation(first.path("routing"),
                            f"VPN `{first.name}`{others} on `{gateway.name}` must carry {packets:,.0f} packets/s "
                            f"(the requirements' packet_rate), but {have.tunnels} standard tunnel"
                            f"{'s' if have.tunnels != 1 else ''} carr{'y' if have.tunnels != 1 else 'ies'} about "
                            f"{have.tunnels * tunnel_pps:,} packets/s"
                            + (f" ({tunnel_pps:,} each)" if have.tunnels != 1 else ""))


@rule("PERF002", severity="medium",
      title=f"Large ({facts.VPN_LARGE_TUNNEL_GBPS.value:g} Gbps) VPN tunnels end on a Transit Gateway",
      notes="네트워크2 > AWS Site-to-Site VPN", best_practice="PERF04-BP01",
      facts=[facts.VPN_LARGE_TUNNEL_GBPS, facts.VPN_LARGE_TUNNEL_GATEWAYS, facts.VPN_LARGE_TUNNEL_NO_ACCELERATION])
def vpn_large_tunnel_gateway(arch):
    """Large-bandwidth tunnels (up to 5 Gbps each) are offered only for VPN
    connections on a Transit Gateway or Cloud WAN. A virtual private gateway
    supports standard 1.25 Gbps tunnels only, so the design's bandwidth
    assumption does not hold. Large tunnels are also not offered on an
    accelerated VPN (Global Accelerator). AWS's SDKs list the `large`
    setting, but which gateways take it comes from AWS-authored guidance and
    provider documentation rather than the VPN user guide, so both cases
    are warnings (medium).

    A Cloud WAN VPN attachment (`cloud_wan: true`) takes large tunnels.

    Fix: attach the VPN to a Transit Gateway or Cloud WAN (without
    acceleration), or plan with standard tunnels.
    """
    for vpn in arch.of_type("vpn_connection"):
        if vpn.tunnel_bandwidth != "large":
            continue
        if not (vpn.transit_gateway or vpn.cloud_wan):
            yield Violation(vpn.path("tunnel_bandwidth"),
                            f"VPN `{vpn.name}` asks for large tunnels, which exist only on a Transit Gateway or "
                            "Cloud WAN; on a virtual private gateway each tunnel carries "
                            f"{facts.VPN_TUNNEL_GBPS.value:g} Gbps")
        elif vpn.accelerated:
            yield Violation(vpn.path("tunnel_bandwidth"),
                            f"VPN `{vpn.name}` asks for large tunnels and acceleration, which cannot be combined; "
                            f"drop acceleration or plan with standard {facts.VPN_TUNNEL_GBPS.value:g} Gbps tunnels")


@rule("PERF003", severity="medium",
      title="Transit Gateway VPNs that aggregate bandwidth use BGP and ECMP",
      notes="네트워크2 > Transit Gateway", best_practice="PERF04-BP01",
      facts=[facts.TGW_VPN_ECMP_NEEDS_BGP, facts.TGW_VPN_ECMP_DEFAULT])
def tgw_vpn_ecmp(arch):
    """Several VPN connections to one Transit Gateway only add up when
    equal-cost multipath (ECMP) routing spreads the traffic over them. ECMP
    works only for dynamic (BGP) VPN connections and only while the gateway's
    VpnEcmpSupport is enabled (the default). A static-routed connection, or
    ECMP switched off, leaves one tunnel carrying everything and the others
    idle.

    It matters only when the traffic needs more than one tunnel: a
    connection whose required bandwidth (its own `requirements.bandwidth`,
    the workload's, or a flow through it) fits in one tunnel loses nothing
    to static routing, and is not reported. Above one tunnel it is medium;
    with no bandwidth stated it is low advice.

    Fix: use `routing: bgp` on every VPN connection of the gateway and keep
    `vpn_ecmp: true` on the Transit Gateway.
    """
    via_bps = bandwidth_via(arch)
    for gateway, vpns in vpns_by_gateway(arch):
        if gateway.type != "transit_gateway" or sum(v.tunnels for v in vpns) < 2:
            continue
        if not gateway.vpn_ecmp:
            needs = [needed_bps(arch, v, via_bps) for v in vpns]
            severity = ecmp_severity(max((n for n in needs if n), default=None), max(tunnel_bps(v) for v in vpns))
            if severity != "none":
                yield Violation(gateway.path("vpn_ecmp"),
                                f"ECMP is off on transit gateway `{gateway.name}`, so its {len(vpns)} VPN "
                                f"connection{'s' if len(vpns) != 1 else ''} cannot share the load"
                                + need_text(max((n for n in needs if n), default=None)), severity=severity)
            continue
        for vpn in vpns:
            if vpn.routing != "static":
                continue
            need = needed_bps(arch, vpn, via_bps)
            severity = ecmp_severity(need, tunnel_bps(vpn))
            if severity == "none":
                continue
            yield Violation(vpn.path("routing"),
                            f"VPN `{vpn.name}` uses static routing, so transit gateway `{gateway.name}` "
                            f"cannot spread its traffic with ECMP{need_text(need)}; use BGP", severity=severity)


def bandwidth_via(arch) -> dict:
    """Resource name -> the largest bandwidth of a flow through it."""
    via: dict = {}
    for flow in arch.flows:
        bps = units.bits_per_second(flow.get("bandwidth"))
        for hop in flow.get("via") or ():
            if bps and isinstance(hop, str):
                via[hop] = max(via.get(hop, 0), bps)
    return via


def needed_bps(arch, vpn, via_bps):
    """What one VPN connection must carry: its own requirement, else a flow through it, else the workload's."""
    own = units.bits_per_second((vpn.get("requirements") or {}).get("bandwidth"))
    if own:
        return own
    return via_bps.get(vpn.name) or arch.requirements_for(vpn).bandwidth_bps


def ecmp_severity(need, one_tunnel):
    """None (the rule's medium) above one tunnel, "low" when unknown, "none" when one tunnel carries it."""
    if not need:
        return "low"
    return None if need > one_tunnel else "none"


def need_text(need) -> str:
    return f", and it must carry {human_bps(need)}, more than one tunnel" if need else \
        " should it ever need more than one tunnel"


# -- helpers for endpoints, peering and flows --------------------------------

DEFAULT_ROUTES = ("0.0.0.0/0",)
SERVICE_OF_TYPE = {"s3_bucket": "s3", "dynamodb_table": "dynamodb"}
# Resources that carry traffic between networks by themselves (not peering).
CONNECTORS = ("transit_gateway", "transit_gateway_attachment", "vpn_connection", "vpn_gateway", "dx_connection",
              "dx_gateway", "network_interface", "ec2_instance", "load_balancer", "global_accelerator")
EDGE_GATEWAYS = ("internet_gateway", "egress_only_internet_gateway", "nat_gateway", "vpn_gateway",
                 "vpn_connection", "dx_connection", "dx_gateway")


def endpoint_service(endpoint) -> str:
    """'com.amazonaws.eu-west-1.s3' and 's3' both give 's3'."""
    return str(endpoint.service).strip().lower().rsplit(".", 1)[-1]


def peer_vpcs(arch, peering):
    return arch.get(peering.requester), arch.get(peering.accepter)


def peering_index(arch) -> dict[frozenset, list]:
    """Peerings keyed by the unordered pair of VPC names."""
    index: dict[frozenset, list] = {}
    for peering in arch.of_type("vpc_peering"):
        index.setdefault(frozenset((peering.requester, peering.accepter)), []).append(peering)
    return index


def peering_graph(arch) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for peering in arch.of_type("vpc_peering"):
        if peering.requester != peering.accepter:
            graph.setdefault(peering.requester, set()).add(peering.accepter)
            graph.setdefault(peering.accepter, set()).add(peering.requester)
    return graph


PATH_SEARCH_BUDGET = 64  # VPCs a path search may visit, so a rule stays linear in the flows


def flow_path(index: int, flow) -> tuple:
    return ("flows", index, "via") if flow.get("via") else ("flows", index, "target")


def tgw_attachments_by_vpc(arch) -> dict[str, set[str]]:
    """VPC name -> the transit gateways it is attached to."""
    out: dict[str, set[str]] = {}
    for attachment in arch.of_type("transit_gateway_attachment"):
        vpc = arch.vpc_of(attachment)
        if attachment.attachment_type == "vpc" and vpc is not None:
            out.setdefault(vpc.name, set()).add(attachment.transit_gateway)
    return out


def default_route_targets(arch, subnet) -> list:
    return [target for _, route, target in arch.route_targets(subnet) if route.get("destination") in DEFAULT_ROUTES]


# -- VPC endpoints -----------------------------------------------------------

@rule("REL650", severity="high",
      title="Gateway endpoints are used only for S3 and DynamoDB",
      notes="네트워크2 > VPC Endpoint > 게이트웨이 엔드포인트", best_practice="REL02-BP01",
      facts=[facts.GATEWAY_ENDPOINT_SERVICES])
def gateway_endpoint_service(arch):
    """Gateway endpoints exist for exactly two services, Amazon S3 and
    DynamoDB. Every other AWS service is reached privately through an
    interface endpoint (AWS PrivateLink), so a gateway endpoint for, say, SQS
    cannot be created and the traffic it was meant to carry has no path.

    Fix: use `endpoint_type: interface` for that service (with
    `private_dns: true`), or keep the gateway endpoint for S3 or DynamoDB only.
    """
    allowed = facts.GATEWAY_ENDPOINT_SERVICES.value
    for endpoint in arch.of_type("vpc_endpoint"):
        if endpoint.endpoint_type == "gateway" and endpoint_service(endpoint) not in allowed:
            yield Violation(endpoint.path("service"),
                            f"gateway endpoint `{endpoint.name}` is for `{endpoint.service}`, but gateway endpoints "
                            "exist only for S3 and DynamoDB; use an interface endpoint")


@rule("REL651", severity="high",
      title="Gateway endpoints are not relied on from on-premises, peered VPCs or a Transit Gateway",
      notes="네트워크2 > VPC Endpoint > 게이트웨이 엔드포인트", best_practice="REL02-BP01",
      facts=[facts.GATEWAY_ENDPOINT_UNREACHABLE_FROM, facts.VPC_PEERING_NO_EDGE_TO_EDGE])
def gateway_endpoint_remote_use(arch):
    """A gateway endpoint is a route-table target inside its own VPC. Traffic
    that arrives from on-premises (VPN, Direct Connect), from a peered VPC or
    through a Transit Gateway cannot use it: AWS does not route it onward to
    the endpoint, so the flow fails (or leaks to the internet path).

    The rule looks at flows to an S3 bucket or DynamoDB table whose `via`
    names a gateway endpoint, or a VPC holding one, while the source lives
    outside that VPC.

    Fix: create an interface endpoint for S3 or DynamoDB in the VPC (reachable
    over VPN, Direct Connect, peering and Transit Gateway) and point the
    remote clients at it, or give each VPC its own gateway endpoint.
    """
    gateway_vpcs: dict[tuple[str, str], object] = {}
    for endpoint in arch.of_type("vpc_endpoint"):
        vpc = arch.vpc_of(endpoint)
        if endpoint.endpoint_type == "gateway" and vpc is not None:
            gateway_vpcs.setdefault((vpc.name, endpoint_service(endpoint)), endpoint)
    for index, flow in enumerate(arch.flows):
        target = arch.get(flow.get("target"))
        service = SERVICE_OF_TYPE.get(target.type) if target is not None else None
        source = arch.get(flow.get("source"))
        if service is None or source is None:
            continue
        src_vpc = arch.vpc_of(source)
        for hop in arch.all(flow.get("via")):
            endpoint = None
            if hop.type == "vpc_endpoint" and hop.endpoint_type == "gateway" and endpoint_service(hop) == service:
                endpoint = hop
            elif hop.type == "vpc":
                endpoint = gateway_vpcs.get((hop.name, service))
            if endpoint is None:
                continue
            ep_vpc = arch.vpc_of(endpoint)
            if ep_vpc is None or (src_vpc is not None and src_vpc.name == ep_vpc.name):
                continue
            where = ("on-premises network" if source.type == "on_premises_network"
                     else f"VPC `{src_vpc.name}`" if src_vpc is not None else "outside the VPC")
            yield Violation(flow_path(index, flow),
                            f"flow from `{source.name}` ({where}) to `{target.name}` relies on gateway endpoint "
                            f"`{endpoint.name}` in VPC `{ep_vpc.name}`, which only serves traffic from inside "
                            "that VPC; use an interface endpoint")
            break


@rule("COST650", severity="medium",
      title="S3 and DynamoDB traffic from private subnets uses a gateway endpoint, not a NAT gateway",
      notes="네트워크2 > VPC Endpoint > 게이트웨이 엔드포인트", best_practice="COST08-BP02",
      facts=[facts.GATEWAY_ENDPOINT_SERVICES, facts.NAT_GATEWAY_GBPS])
def s3_dynamodb_through_nat(arch):
    """Instances in private subnets that reach S3 or DynamoDB through a NAT
    gateway pay NAT data processing for every gigabyte, and push the traffic
    through a zonal bottleneck. A gateway endpoint for S3 or DynamoDB carries
    the same traffic at no charge and keeps it on the AWS network.

    The rule looks at flows to an S3 bucket or DynamoDB table from resources
    whose subnets send 0.0.0.0/0 to a NAT gateway, in a VPC with no endpoint
    for that service on the subnet's route table.

    Fix: add a `vpc_endpoint` with `endpoint_type: gateway` and `service: s3`
    (or `dynamodb`) and list the private route tables in `route_tables`.
    """
    endpoints: dict[tuple[str, str], list] = {}
    for endpoint in arch.of_type("vpc_endpoint"):
        vpc = arch.vpc_of(endpoint)
        if vpc is not None:
            endpoints.setdefault((vpc.name, endpoint_service(endpoint)), []).append(endpoint)

    def elsewhere(subnet, service):
        """A gateway endpoint for the service in the subnet's VPC that is not on its route table, or None."""
        return next((e for e in endpoints.get((subnet.vpc, service), ())
                     if e.endpoint_type == "gateway" and e.route_tables), None)

    def covered(subnet, service) -> bool:
        for endpoint in endpoints.get((subnet.vpc, service), ()):
            if endpoint.endpoint_type == "interface" or not endpoint.route_tables:
                return True
            if subnet.route_table in endpoint.route_tables:
                return True
        return False

    for index, flow in enumerate(arch.flows):
        target = arch.get(flow.get("target"))
        service = SERVICE_OF_TYPE.get(target.type) if target is not None else None
        source = arch.get(flow.get("source"))
        if service is None or source is None:
            continue
        if any(hop.type == "vpc_endpoint" for hop in arch.all(flow.get("via"))):
            continue
        for subnet in arch.subnets_of(source):
            nats = [t for t in default_route_targets(arch, subnet) if t.type == "nat_gateway"]
            if nats and not covered(subnet, service):
                existing = elsewhere(subnet, service)
                fix = (f"gateway endpoint `{existing.name}` exists but is not on route table "
                       f"`{subnet.route_table}`; add it there (gateway endpoints carry traffic at no charge)"
                       if existing is not None else
                       f"a gateway endpoint for {service} in VPC `{subnet.vpc}` carries it at no charge")
                yield Violation(("flows", index, "target"),
                                f"`{source.name}` reaches {service.upper() if service == 's3' else 'DynamoDB'} "
                                f"`{target.name}` through NAT gateway `{nats[0].name}` (subnet `{subnet.name}`), "
                                f"paying NAT processing per GB; {fix}")
                break


@rule("REL652", severity="medium",
      title="Interface endpoints span at least two AZs where availability matters",
      notes="네트워크2 > VPC Endpoint > 인터페이스 엔드포인트", best_practice="REL10-BP01",
      facts=[facts.INTERFACE_ENDPOINT_GBPS_PER_AZ])
def interface_endpoint_multi_az(arch):
    """An interface endpoint places one network interface in each subnet you
    choose. With a subnet in a single AZ, every client in the VPC depends on
    that AZ: when it fails, the private path to the service is gone.

    Fix: list subnets in two or more AZs in the endpoint's `subnets`.
    """
    for endpoint in arch.of_type("vpc_endpoint"):
        if endpoint.endpoint_type != "interface" or not arch.needs_high_availability(endpoint):
            continue
        zone = single_zone(arch, endpoint)
        if zone is not None:
            yield Violation(endpoint.path("subnets"),
                            f"interface endpoint `{endpoint.name}` has network interfaces only in "
                            f"{zone}, so an AZ failure cuts the private path to "
                            f"`{endpoint.service}`; add a subnet in another AZ")


# -- VPC peering ---------------------------------------------------------------

@rule("REL653", severity="high",
      title="Peered VPCs have no overlapping CIDR blocks",
      notes="네트워크2 > VPC Peering", best_practice="REL02-BP05",
      facts=[facts.VPC_PEERING_NO_OVERLAP])
def peering_overlapping_cidrs(arch):
    """A VPC peering connection cannot be created between VPCs whose IPv4
    CIDR blocks overlap, primary or secondary. Even where it could, the routes
    would be ambiguous.

    Fix: re-address one VPC (plan non-overlapping ranges per VPC with IPAM),
    or connect the overlapping networks through PrivateLink or a NAT layer.
    """
    for peering in arch.of_type("vpc_peering"):
        left, right = peer_vpcs(arch, peering)
        if left is None or right is None or left is right:
            continue
        clash = next(((a, b) for a in vpc_blocks(left) for b in vpc_blocks(right)
                      if a.version == b.version and a.overlaps(b)), None)
        if clash:
            yield Violation(peering.path("accepter"),
                            f"peering `{peering.name}` joins `{left.name}` ({clash[0]}) and `{right.name}` "
                            f"({clash[1]}), whose CIDR blocks overlap; AWS refuses such a peering")


@rule("REL654", severity="high",
      title="Two VPCs have at most one peering connection",
      notes="네트워크2 > VPC Peering",
      facts=[facts.VPC_PEERINGS_PER_VPC_PAIR])
def peering_duplicate_pair(arch):
    """Two VPCs can have only one VPC peering connection between them (the
    notes say so too). A second one, in either direction, is refused.

    Fix: remove the duplicate; one peering carries traffic both ways.
    """
    for peerings in peering_index(arch).values():
        for duplicate in peerings[1:]:
            yield Violation(duplicate.path("accepter"),
                            f"peering `{duplicate.name}` joins the same VPCs as `{peerings[0].name}` "
                            f"(`{duplicate.requester}` and `{duplicate.accepter}`); only one peering per pair is "
                            "allowed")


@rule("REL655", severity="high",
      title="No flow relies on transitive peering or edge-to-edge routing",
      notes="네트워크2 > VPC Peering", best_practice="REL02-BP04",
      facts=[facts.VPC_PEERING_TRANSITIVE, facts.VPC_PEERING_NO_EDGE_TO_EDGE])
def peering_not_transitive(arch):
    """VPC peering is one-to-one and not transitive: with A peered to B and
    B to C, A cannot reach C through B. Nor does a peering carry traffic to or
    from the peer's edge: its internet gateway, NAT gateway, VPN, Direct
    Connect or gateway endpoint (no edge-to-edge routing). A flow that needs
    either fails at the first hop.

    The rule checks each flow between two VPCs with no direct peering and no
    shared Transit Gateway, and each flow that passes a peering and then an
    edge gateway or an on-premises network.

    Fix: peer the two VPCs directly, or attach them (and the VPN or Direct
    Connect) to a Transit Gateway, which routes transitively; for shared
    internet egress use a Transit Gateway with a central egress VPC.
    """
    pairs = peering_index(arch)
    graph = peering_graph(arch)
    groups = connected_groups(graph)
    attached = tgw_attachments_by_vpc(arch)
    for index, flow in enumerate(arch.flows):
        source, target = arch.get(flow.get("source")), arch.get(flow.get("target"))
        if source is None or target is None:
            continue
        hops = arch.all(flow.get("via"))
        peerings = [h for h in hops if h.type == "vpc_peering"]
        src_vpc, tgt_vpc = arch.vpc_of(source), arch.vpc_of(target)
        if peerings:
            edge = [h for h in hops if h.type in EDGE_GATEWAYS
                    or (h.type == "vpc_endpoint" and h.endpoint_type == "gateway")]
            if "on_premises_network" in (source.type, target.type):
                yield Violation(flow_path(index, flow),
                                f"flow from `{source.name}` to `{target.name}` crosses peering "
                                f"`{peerings[0].name}` to or from an on-premises network; a peering carries no "
                                "traffic from the peer's VPN or Direct Connect (no edge-to-edge routing)")
                continue
            foreign = [h for h in edge if src_vpc is None or arch.vpc_of(h) is None
                       or arch.vpc_of(h).name != src_vpc.name]
            if foreign:
                yield Violation(flow_path(index, flow),
                                f"flow from `{source.name}` to `{target.name}` crosses peering "
                                f"`{peerings[0].name}` and then uses `{foreign[0].name}` of the peer VPC; "
                                "peerings do no edge-to-edge routing")
                continue
        if src_vpc is None or tgt_vpc is None or src_vpc.name == tgt_vpc.name:
            continue
        if frozenset((src_vpc.name, tgt_vpc.name)) in pairs:
            continue
        if any(h.type in CONNECTORS for h in hops):
            continue
        if attached.get(src_vpc.name, set()) & attached.get(tgt_vpc.name, set()):
            continue
        joined = src_vpc.name in groups and groups.get(src_vpc.name) == groups.get(tgt_vpc.name)
        if not joined and not peerings:
            continue
        chain = shortest_path(graph, src_vpc.name, tgt_vpc.name, PATH_SEARCH_BUDGET) if joined else []
        route = (" -> ".join(chain) if chain else "a chain of peerings" if joined
                 else " and ".join(p.name for p in peerings))
        yield Violation(flow_path(index, flow),
                        f"flow from `{source.name}` to `{target.name}` needs transitive peering ({route}); "
                        f"`{src_vpc.name}` and `{tgt_vpc.name}` are not peered with each other")


@rule("REL656", severity="medium",
      title="VPCs stay within the active peering quota",
      notes="네트워크2 > VPC Peering", best_practice="REL01-BP01",
      facts=[facts.VPC_PEERINGS_PER_VPC, facts.VPC_PEERINGS_PER_VPC_MAX])
def peering_quota(arch):
    """A VPC has 50 active peering connections by default; the quota can be
    raised to 125. Above 50 you need an approved increase (a warning); above
    125 the design cannot be built.

    Fix: request a quota increase, or replace the peerings with a Transit
    Gateway, which scales to thousands of attachments.
    """
    counts: dict[str, list] = {}
    for peering in arch.of_type("vpc_peering"):
        for vpc in {peering.requester, peering.accepter}:
            counts.setdefault(vpc, []).append(peering)
    quota, ceiling = facts.VPC_PEERINGS_PER_VPC.value, facts.VPC_PEERINGS_PER_VPC_MAX.value
    for vpc, peerings in counts.items():
        if len(peerings) > ceiling:
            yield Violation(("resources", vpc), f"VPC `{vpc}` has {len(peerings)} peering connections, over the "
                                                f"hard maximum of {ceiling}", severity="high")
        elif len(peerings) > quota:
            yield Violation(("resources", vpc), f"VPC `{vpc}` has {len(peerings)} peering connections, over the "
                                                f"default quota of {quota} (adjustable to {ceiling})")


MESH_MIN_VPCS = 5


@rule("REL663", severity="low",
      title="A mesh of many peered VPCs moves to a Transit Gateway",
      notes="네트워크2 > Transit Gateway", best_practice="REL02-BP04",
      facts=[facts.VPC_PEERING_TRANSITIVE, facts.TGW_ATTACHMENTS_MAX])
def peering_mesh_transit_gateway(arch):
    """Because peering is not transitive, n VPCs that must all talk need
    n(n-1)/2 peerings, each with routes in every route table: 10 for 5 VPCs,
    45 for 10. A Transit Gateway is a regional hub: one attachment per VPC,
    routing in one place, transitive by design, and it also terminates VPN and
    Direct Connect.

    The rule reports a group of five or more VPCs, joined by peerings, in which
    at least half of all possible pairs are peered.

    Fix: attach the VPCs to a Transit Gateway and retire the mesh; keep a
    peering only where a pair needs the lowest cost or latency.
    """
    component = connected_groups(peering_graph(arch))
    groups: dict[str, dict] = {}
    for peering in arch.of_type("vpc_peering"):
        if peering.requester == peering.accepter:
            continue
        group = groups.setdefault(component[peering.requester], {"vpcs": set(), "pairs": set(), "first": peering})
        group["vpcs"].update((peering.requester, peering.accepter))
        group["pairs"].add(frozenset((peering.requester, peering.accepter)))
    for group in groups.values():
        n = len(group["vpcs"])
        possible = n * (n - 1) // 2
        if n >= MESH_MIN_VPCS and len(group["pairs"]) * 2 >= possible:
            yield Violation(group["first"].path(),
                            f"{n} VPCs are joined by {len(group['pairs'])} of {possible} possible peerings; a "
                            "Transit Gateway would replace the mesh with one attachment per VPC", on_key=True)


# -- Transit Gateway -----------------------------------------------------------

@rule("REL657", severity="high",
      title="Transit Gateway attachments are associated with and propagate to a route table",
      notes="네트워크2 > Transit Gateway > 구성요소",
      facts=[facts.TGW_ATTACHMENT_TYPES])
def tgw_attachment_routing(arch):
    """A Transit Gateway routes an attachment's traffic with the one route
    table the attachment is associated with, and learns the attachment's
    routes only where it propagates (or where a static route names it). With
    default association and propagation switched off on the gateway, a new
    attachment has neither until you add them: its traffic is dropped and no
    one can route back to it.

    Fix: set the attachment's `route_table` and `propagates_to` (or add
    static routes to it), or keep `default_association` and
    `default_propagation` on.
    """
    static = {r.get("attachment") for table in arch.of_type("transit_gateway_route_table")
              for r in table.routes or () if r.get("attachment")}
    associated, propagated = tgw_links(arch)   # written on the attachment or on the route table
    for attachment in arch.of_type("transit_gateway_attachment"):
        gateway = arch.get(attachment.transit_gateway)
        if gateway is None:
            continue
        missing = []
        if not gateway.default_association and not associated.get(attachment.name):
            missing.append("has no route-table association, so its traffic is not routed")
        if (attachment.attachment_type != "peering" and not gateway.default_propagation
                and not propagated.get(attachment.name) and attachment.name not in static):
            missing.append("has no propagation or static route, so nothing routes back to it")
        if missing:
            kind = "DX gateway" if attachment.attachment_type == "dx_gateway" else attachment.attachment_type.upper()
            off = " and ".join(w for w, on in (("association", gateway.default_association),
                                               ("propagation", gateway.default_propagation)) if not on)
            yield Violation(attachment.path("route_table" if attachment.has("route_table") else "transit_gateway"),
                            f"{kind} attachment `{attachment.name}` " + ", and ".join(missing)
                            + f" (default {off} {'are' if ' and ' in off else 'is'} off on `{gateway.name}`)")


@rule("REL658", severity="medium",
      title="Transit Gateway VPC attachments use subnets in at least two AZs where availability matters",
      notes="네트워크2 > Transit Gateway", best_practice="REL10-BP01",
      facts=[facts.TGW_ATTACHMENT_TYPES])
def tgw_attachment_multi_az(arch):
    """A VPC attachment puts a Transit Gateway interface in one subnet per AZ
    that you choose, and the gateway reaches the VPC only through those AZs.
    With one AZ, that AZ failing cuts the VPC off from every other network on
    the gateway, and resources in other AZs depend on it.

    Fix: list an attachment subnet (a small /28 is enough) in every AZ the
    VPC uses.
    """
    for attachment in arch.of_type("transit_gateway_attachment"):
        if attachment.attachment_type != "vpc" or not arch.needs_high_availability(attachment):
            continue
        zone = single_zone(arch, attachment)
        if zone is not None:
            yield Violation(attachment.path("subnets"),
                            f"VPC attachment `{attachment.name}` has subnets only in {zone}; an AZ "
                            "failure disconnects the VPC from the Transit Gateway")


# -- Site-to-Site VPN ----------------------------------------------------------

@rule("REL659", severity="high",
      title="Site-to-Site VPN connections use IPsec",
      notes="네트워크2 > AWS Site-to-Site VPN", best_practice="REL02-BP02",
      facts=[facts.VPN_PROTOCOLS])
def vpn_ipsec_only(arch):
    """AWS Site-to-Site VPN supports only IPsec (the notes say so). A design
    that expects GRE, OpenVPN, WireGuard or SSL VPN from it cannot be built;
    such tunnels end on an EC2 appliance or a Transit Gateway Connect
    attachment (GRE), not on a VPN connection.

    Fix: configure the customer gateway device for IPsec (IKEv1 or IKEv2), or
    model the other protocol as the appliance or Connect attachment it is.
    """
    for vpn in arch.of_type("vpn_connection"):
        if str(vpn.protocol).strip().lower() not in facts.VPN_PROTOCOLS.value:
            yield Violation(vpn.path("protocol"),
                            f"VPN `{vpn.name}` uses `{vpn.protocol}`, but Site-to-Site VPN supports only IPsec")


@rule("REL660", severity="medium",
      title="VPNs that availability depends on use both tunnels and more than one customer gateway",
      notes="네트워크2 > AWS Site-to-Site VPN > 구성요소", best_practice="REL02-BP02",
      facts=[facts.VPN_TUNNELS_PER_CONNECTION])
def vpn_redundancy(arch):
    """Each VPN connection has two tunnels that end in different AZs, so AWS
    maintenance or an AZ failure on one leaves the other; using only one
    throws that away. The customer gateway device is the other single point
    of failure: with one device, its failure cuts every tunnel.

    Single customer gateways are not reported when Direct Connect reaches the
    same gateway, since the VPN is then the backup path.

    Fix: configure both tunnels on the device (`tunnels: 2`), and add a second
    customer gateway device with its own VPN connection.
    """
    for vpn in arch.of_type("vpn_connection"):
        if vpn.tunnels < facts.VPN_TUNNELS_PER_CONNECTION.value and arch.needs_high_availability(vpn):
            yield Violation(vpn.path("tunnels"),
                            f"VPN `{vpn.name}` uses one tunnel; each connection has two in different AZs, and "
                            "the second keeps traffic flowing during maintenance or an AZ failure")
    reached = dx_gateways(arch)
    for gateway, vpns in vpns_by_gateway(arch):
        if gateway.name in reached or not any(arch.needs_high_availability(v) for v in vpns):
            continue
        devices = {v.customer_gateway for v in vpns}
        if len(devices) == 1:
            yield Violation(vpns[0].path("customer_gateway"),
                            f"every VPN to `{gateway.name}` ends on customer gateway `{vpns[0].customer_gateway}`; "
                            "one device failure cuts the site off")


# -- Direct Connect ------------------------------------------------------------

def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(a, b)


@rule("REL661", severity="high",
      title="Direct Connect connections use a speed AWS offers",
      notes="네트워크2 > AWS Direct Connect", best_practice="REL02-BP02",
      facts=[facts.DX_DEDICATED_SPEEDS_GBPS, facts.DX_HOSTED_SPEEDS_MBPS])
def dx_speed_offered(arch):
    """Dedicated connections come in 1, 10, 100 and 400 Gbps ports. Hosted
    connections, from a Direct Connect Partner, come in 50, 100, 200, 300, 400
    and 500 Mbps and 1, 2, 5, 10 and 25 Gbps. The notes' "under 1 Gbps to
    100 Gbps" misses 400 Gbps dedicated ports and that sub-1 Gbps speeds are
    hosted only. Any other speed cannot be ordered.

    Fix: pick an offered speed (for example hosted 2 Gbps, or dedicated
    10 Gbps), or aggregate dedicated connections in a LAG.
    """
    for dx in arch.of_type("dx_connection"):
        bps = units.bits_per_second(dx.speed)
        if bps is None:
            continue
        offered = sorted(g * 1e9 for g in facts.DX_DEDICATED_SPEEDS_GBPS.value) \
            if dx.connection_type == "dedicated" else sorted(m * 1e6 for m in facts.DX_HOSTED_SPEEDS_MBPS.value)
        if not any(_close(bps, o) for o in offered):
            listing = ", ".join(human_bps(o) for o in offered)
            yield Violation(dx.path("speed"),
                            f"{dx.connection_type} Direct Connect `{dx.name}` is {human_bps(bps)}, which is not "
                            f"offered; {dx.connection_type} speeds are {listing}")


def dx_model(connections) -> str:
    """AWS's resiliency model the connections meet: maximum, high or development (one location)."""
    devices: dict[str, set] = {}
    for dx in connections:
        devices.setdefault(dx.location, set()).add(dx.device or dx.name)   # unnamed devices count as separate
    if len(devices) < facts.DX_HIGH_RESILIENCY_LOCATIONS.value:
        return "development"
    enough = facts.DX_MAX_RESILIENCY_CONNECTIONS_PER_LOCATION.value
    full = [location for location, used in devices.items() if len(used) >= enough]
    return "maximum" if len(full) >= facts.DX_MAX_RESILIENCY_LOCATIONS.value else "high"


MODEL_TEXT = {"maximum": "maximum resiliency (two connections on separate devices at each of two locations)",
              "high": "high resiliency (one connection at each of two locations)",
              "development": "development and test (one location, no service level target)"}


@rule("REL662", severity="high",
      title="Direct Connect meets AWS's resiliency model for the availability target, or has a VPN backup",
      notes="네트워크2 > AWS Direct Connect", best_practice="REL02-BP02",
      facts=[facts.DX_HIGH_RESILIENCY_LOCATIONS, facts.DX_MAX_RESILIENCY_LOCATIONS,
             facts.DX_MAX_RESILIENCY_CONNECTIONS_PER_LOCATION, facts.DX_MAX_RESILIENCY_TARGET,
             facts.DX_HIGH_RESILIENCY_TARGET])
def dx_resiliency(arch):
    """One Direct Connect connection is one port, one device and one
    building. AWS's resiliency models: development and test (one location,
    no service level target), high resiliency (a connection at each of two
    locations, 99.9%) and maximum resiliency (connections on separate
    devices, two at each of two locations, 99.99%). A lower-cost alternative
    to a second location is a Site-to-Site VPN to the same gateway as a
    backup path (PERF001 checks that it carries the required bandwidth); a
    target of 99.99% needs the maximum model whatever the backup.

    Fix: add a connection at a second Direct Connect location (and a second
    device at each for 99.99%), or a Site-to-Site VPN to the same virtual
    private gateway or Transit Gateway that carries the required bandwidth.
    """
    connections = [dx for dx in arch.of_type("dx_connection") if arch.needs_high_availability(dx)]
    if not connections:
        return
    model = dx_model(arch.of_type("dx_connection"))
    first = connections[0]
    targets = [arch.requirements_for(dx).availability for dx in connections]
    target = max((t for t in targets if t is not None), default=None)
    if target is not None and target >= facts.DX_MAX_RESILIENCY_TARGET.value and model != "maximum":
        yield Violation(first.path("location"),
                        f"a {target:g}% availability target needs Direct Connect's "
                        f"{MODEL_TEXT['maximum']}; the connections meet only {MODEL_TEXT[model]}, and a VPN "
                        "backup has no service level target")
        return
    gateways: set = set()
    for dx in arch.of_type("dx_connection"):
        if dx.vpn_gateway:
            gateways.add(dx.vpn_gateway)
        gateway = arch.get(dx.dx_gateway)
        if gateway is not None:
            gateways.update(gateway.associations or ())
    backups = [v for v in arch.of_type("vpn_connection")
               if not gateways or v.transit_gateway in gateways or v.vpn_gateway in gateways]
    if backups:   # PERF001 judges whether the backup carries the required bandwidth
        return
    locations = {dx.location for dx in arch.of_type("dx_connection")}
    first = connections[0]
    elsewhere = [v for v in arch.of_type("vpn_connection") if gateway_of(arch, v) is not None]
    if elsewhere:
        other = elsewhere[0]
        no_backup = (f"VPN `{other.name}` ends on `{gateway_of(arch, other).name}`, which this Direct Connect does "
                     f"not reach, so it is no backup path for it")
    else:
        no_backup = "no VPN backs it up"
    if len(arch.of_type("dx_connection")) == 1:
        yield Violation(first.path("location"),
                        f"Direct Connect `{first.name}` is the only connection and {no_backup}; one port, "
                        "device or location failure cuts the link")
    elif len(locations) == 1:
        yield Violation(first.path("location"),
                        f"every Direct Connect connection ends at `{first.location}` and "
                        f"{no_backup.replace('no VPN backs it up', 'no VPN backs them up')}; "
                        "a location failure cuts the link")


@rule("SEC650", severity="high",
      title="Direct Connect carrying traffic that must be encrypted uses MACsec or a VPN over it",
      notes="네트워크2 > AWS Direct Connect", best_practice="SEC09-BP02",
      facts=[facts.DX_MACSEC_CONNECTION_TYPES, facts.VPN_PROTOCOLS])
def dx_encryption_in_transit(arch):
    """Direct Connect is a private circuit, not an encrypted one. Where
    traffic between sites must be encrypted, use MACsec (802.1AE, layer 2) on
    the connection, offered on dedicated connections only, or run an IPsec
    Site-to-Site VPN over the connection.

    Fix: enable `macsec` on a dedicated connection, or set `vpn_over_dx: true`
    with a VPN over a public or transit virtual interface.
    """
    for dx in arch.of_type("dx_connection"):
        if dx.macsec and dx.connection_type not in facts.DX_MACSEC_CONNECTION_TYPES.value:
            yield Violation(dx.path("macsec"),
                            f"Direct Connect `{dx.name}` is a hosted connection; MACsec is offered on dedicated "
                            "connections only")
            continue
        if not arch.requirements_for(dx).get("encryption_in_transit"):
            continue
        if dx.vpn_over_dx or (dx.macsec and dx.connection_type in facts.DX_MACSEC_CONNECTION_TYPES.value):
            continue
        yield Violation(dx.path("connection_type"),
                        f"traffic on Direct Connect `{dx.name}` must be encrypted in transit, but it has neither "
                        "MACsec nor an IPsec VPN over it")
