"""AWS limits and facts the rules rely on, each with the source it was checked against."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fact:
    value: object
    unit: str
    section: str
    source: str
    tag: str
    adjustable: bool = False
    note: str = ""


RDS_MULTI_AZ = Fact(True, "", "§9 RDS", "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html", "A")
VPN_TUNNEL_GBPS = Fact(1.25, "Gbps", "§18 Site-to-Site VPN", "https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-limits.html", "A")
VPN_LARGE_TUNNEL_GBPS = Fact(5.0, "Gbps", "§18 Site-to-Site VPN", "https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html", "S")
VGW_NO_ECMP = Fact(True, "", "§18 Site-to-Site VPN", "https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNRoutingTypes.html", "A")
TGW_VPN_ECMP_NEEDS_BGP = Fact(True, "", "§17 Transit Gateway", "https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html", "A")
CLUSTER_PLACEMENT_ONE_AZ = Fact(True, "", "§4 Placement groups", "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/placement-groups.html", "A")
SPREAD_MAX_INSTANCES_PER_AZ = Fact(7, "instances", "§4 Placement groups", "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/placement-groups.html", "A")
PARTITION_MAX_PER_AZ = Fact(7, "partitions", "§4 Placement groups", "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/placement-groups.html", "A")
