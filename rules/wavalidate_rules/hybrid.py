"""Hybrid networking: Site-to-Site VPN, Transit Gateway, Direct Connect, endpoints, peering (notes: 네트워크2)."""
from __future__ import annotations

from dataclasses import dataclass

from wavalidate import facts
from wavalidate.api import Violation, rule
from wavalidate.units import human_bps


@dataclass(frozen=True)
class VpnCapacity:
    """What a set of VPN connections on one gateway can carry, and why."""

    bps: float
    reason: str


def tunnel_bps(vpn) -> float:
    # Large tunnels exist only on a Transit Gateway; elsewhere PERF002 reports them.
    large = vpn.tunnel_bandwidth == "large" and bool(vpn.transit_gateway)
    return (facts.VPN_LARGE_TUNNEL_GBPS.value if large else facts.VPN_TUNNEL_GBPS.value) * 1e9


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
                              f"{human_bps(total)}{unused}")


def vpns_by_gateway(arch):
    groups: dict[str, list] = {}
    for vpn in arch.of_type("vpn_connection"):
        gateway = gateway_of(arch, vpn)
        if gateway is not None:
            groups.setdefault(gateway.name, []).append(vpn)
    return [(arch.get(name), vpns) for name, vpns in groups.items()]


@rule("PERF001", "vpn-bandwidth", severity="high",
      title="Site-to-Site VPN capacity covers the required bandwidth",
      notes="네트워크2 > AWS Site-to-Site VPN", best_practice="PERF04-BP01",
      facts=[facts.VPN_TUNNEL_GBPS, facts.VPN_LARGE_TUNNEL_GBPS, facts.VGW_NO_ECMP, facts.TGW_VPN_ECMP_NEEDS_BGP])
def vpn_bandwidth(arch):
    """A standard VPN tunnel carries at most 1.25 Gbps. The notes call that
    the limit of Site-to-Site VPN, which is now true only of standard tunnels:
    large tunnels carry 5 Gbps, on a Transit Gateway only. More bandwidth
    comes from ECMP across several BGP tunnels on a Transit Gateway; a virtual
    private gateway always uses a single tunnel.

    The rule adds up what the VPN connections on each gateway can carry and
    compares it with the bandwidth the requirements declare (the workload's,
    or a connection's own).

    Fix: terminate the VPN on a Transit Gateway with BGP routing and ECMP, and
    add connections until the tunnels cover the need; use large (5 Gbps)
    tunnels on the Transit Gateway; or move the traffic to Direct Connect.
    """
    for gateway, vpns in vpns_by_gateway(arch):
        needed = max((arch.requirements_for(v).bandwidth_bps or 0) for v in vpns)
        if not needed:
            continue
        have = capacity(arch, gateway, vpns)
        if have.bps < needed:
            first = vpns[0]
            others = f" (with {len(vpns) - 1} more connection{'s' if len(vpns) > 2 else ''})" if len(vpns) > 1 else ""
            yield Violation(first.path("routing"),
                            f"VPN `{first.name}`{others} on `{gateway.name}` must carry {human_bps(needed)}, "
                            f"but {have.reason}")


@rule("PERF002", "vpn-large-tunnel-gateway", severity="high",
      title="Large (5 Gbps) VPN tunnels end on a Transit Gateway",
      notes="네트워크2 > AWS Site-to-Site VPN", best_practice="PERF04-BP01",
      facts=[facts.VPN_LARGE_TUNNEL_GBPS])
def vpn_large_tunnel_gateway(arch):
    """Large-bandwidth tunnels (up to 5 Gbps each) are offered only for VPN
    connections on a Transit Gateway or Cloud WAN. A virtual private gateway
    supports standard 1.25 Gbps tunnels only, so the design's bandwidth
    assumption does not hold.

    Fix: attach the VPN to a Transit Gateway, or plan with standard tunnels.
    """
    for vpn in arch.of_type("vpn_connection"):
        if vpn.tunnel_bandwidth == "large" and not vpn.transit_gateway:
            yield Violation(vpn.path("tunnel_bandwidth"),
                            f"VPN `{vpn.name}` asks for large tunnels, which exist only on a Transit Gateway; "
                            "on a virtual private gateway each tunnel carries 1.25 Gbps")


@rule("PERF003", "tgw-vpn-ecmp", severity="medium",
      title="Transit Gateway VPNs that aggregate bandwidth use BGP and ECMP",
      notes="네트워크2 > Transit Gateway", best_practice="PERF04-BP01",
      facts=[facts.TGW_VPN_ECMP_NEEDS_BGP])
def tgw_vpn_ecmp(arch):
    """Several VPN connections to one Transit Gateway only add up when
    equal-cost multipath (ECMP) routing spreads the traffic over them. ECMP
    works only for dynamic (BGP) VPN connections and only while the gateway's
    VpnEcmpSupport is enabled (the default). A static-routed connection, or
    ECMP switched off, leaves one tunnel carrying everything and the others
    idle.

    Fix: use `routing: bgp` on every VPN connection of the gateway and keep
    `vpn_ecmp: true` on the Transit Gateway.
    """
    for gateway, vpns in vpns_by_gateway(arch):
        if gateway.type != "transit_gateway" or sum(v.tunnels for v in vpns) < 2:
            continue
        if not gateway.vpn_ecmp:
            yield Violation(gateway.path("vpn_ecmp"),
                            f"ECMP is off on transit gateway `{gateway.name}`, so its {len(vpns)} VPN "
                            f"connection{'s' if len(vpns) != 1 else ''} cannot share the load")
            continue
        for vpn in vpns:
            if vpn.routing == "static":
                yield Violation(vpn.path("routing"),
                                f"VPN `{vpn.name}` uses static routing, so transit gateway `{gateway.name}` "
                                "cannot spread its traffic with ECMP; use BGP")
