"""VPC networking: CIDRs, subnets, gateways, route tables, NACLs, security groups, ENIs (notes: 네트워크)."""
from __future__ import annotations

import ipaddress
import math

from wavalidate.api import (
    ALL_PORTS,
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
from wavalidate_rules._shared import instance_count, public_subnets, single_zone, vpc_blocks

# Our policy, not an AWS number: below this share of free addresses a subnet has no room to scale
# out, to replace instances during a deployment, or to take an AZ's share when another AZ fails.
HEADROOM = 0.20

WORLD = ("0.0.0.0/0", "::/0")

# Ports that must never be open to the whole internet, with what listens on them.
SENSITIVE_PORTS = {
    22: "SSH", 23: "Telnet", 3389: "RDP", 5985: "WinRM", 5986: "WinRM",
    3306: "MySQL/Aurora", 5432: "PostgreSQL", 1433: "SQL Server", 1521: "Oracle", 27017: "MongoDB",
    5439: "Redshift", 9042: "Cassandra", 9200: "OpenSearch", 2049: "NFS", 445: "SMB",
    6379: "Redis/Valkey", 11211: "Memcached",
}


# -- placement helpers --------------------------------------------------------------

def first_subnet(arch, resource):
    subnets = arch.subnets_of(resource)
    return subnets[0] if subnets else None


def attached_igw_route(arch, subnet):
    """(route index, gateway) of the subnet's route to an internet gateway attached to its VPC, else (None, None)."""
    for i, _, gateway in arch.route_targets(subnet):
        if gateway.type == "internet_gateway" and gateway.get("vpc") == subnet.vpc:
            return i, gateway
    return None, None


# -- CIDRs and subnets ------------------------------------------------------------------

@rule("REL100", severity="high",
      title="VPC and subnet CIDR blocks are valid and between /16 and /28",
      notes="네트워크", best_practice="REL02-BP03",
      facts=[facts.VPC_PREFIX_MIN, facts.VPC_PREFIX_MAX, facts.SUBNET_PREFIX_MIN, facts.SUBNET_PREFIX_MAX,
             facts.VPC_IPV4_CIDRS_PER_VPC, facts.VPC_IPV4_CIDRS_PER_VPC_MAX])
def cidr_block_size(arch):
    """A VPC's IPv4 CIDR blocks and its subnets' blocks must be between /16
    (65,536 addresses) and /28 (16 addresses); AWS rejects anything else. A
    block written with host bits set (10.0.1.7/24) is also rejected, and
    usually hides a typo. A VPC has at most 5 IPv4 CIDR blocks including the
    primary by default (an adjustable quota, up to 50).

    Fix: pick a block between /16 and /28 written at its network address;
    plan for growth with a /16 VPC and secondary CIDRs rather than a larger
    block. Ask for a quota increase before adding a sixth CIDR.
    """
    low_vpc, high_vpc = facts.VPC_PREFIX_MIN.value, facts.VPC_PREFIX_MAX.value
    low_sub, high_sub = facts.SUBNET_PREFIX_MIN.value, facts.SUBNET_PREFIX_MAX.value
    for resource in arch.of_type("vpc", "subnet"):
        blocks = [(resource.path("cidr"), resource.cidr)]
        if resource.type == "vpc":
            blocks += [(resource.path("secondary_cidrs", i), c) for i, c in enumerate(resource.secondary_cidrs or ())]
        low, high = (low_vpc, high_vpc) if resource.type == "vpc" else (low_sub, high_sub)
        what = "VPC" if resource.type == "vpc" else "subnet"
        for path, text in blocks:
            net = cidr_or_none(text)
            if net is None:
                yield Violation(path, f"{what} `{resource.name}` has {text}, which is not a valid CIDR block")
                continue
            if net.version != 4:
                continue
            if ipaddress.ip_interface(str(text).strip()).ip != net.network_address:
                yield Violation(path, f"{what} `{resource.name}` has {text} with host bits set; "
                                      f"the block is {net}")
            elif not low <= net.prefixlen <= high:
                yield Violation(path, f"{what} `{resource.name}` is a /{net.prefixlen}; IPv4 {what} blocks must be "
                                      f"between /{low} and /{high}")
        if resource.type == "vpc":
            count = sum(1 for _, text in blocks if getattr(cidr_or_none(text), "version", 4) == 4)
            quota, most = facts.VPC_IPV4_CIDRS_PER_VPC.value, facts.VPC_IPV4_CIDRS_PER_VPC_MAX.value
            if count > most:
                yield Violation(resource.path("secondary_cidrs"),
                                f"VPC `{resource.name}` has {count} IPv4 CIDR blocks; a VPC can have at most {most}")
            elif count > quota:
                yield Violation(resource.path("secondary_cidrs"),
                                f"VPC `{resource.name}` has {count} IPv4 CIDR blocks; the default quota is {quota} "
                                f"(adjustable up to {most})", severity="medium")


@rule("REL101", severity="high",
      title="Every subnet's CIDR lies inside one of its VPC's CIDR blocks",
      notes="네트워크", best_practice="REL02-BP03",
      facts=[facts.SUBNET_PREFIX_MIN, facts.VPC_IPV4_CIDRS_PER_VPC])
def subnet_outside_vpc(arch):
    """A subnet's IPv4 block must be a subset of the VPC's primary CIDR or one
    of its secondary CIDRs; AWS refuses to create it otherwise.

    Fix: choose a block inside the VPC's range, or add a secondary CIDR to the
    VPC that contains it.
    """
    for subnet in arch.of_type("subnet"):
        vpc = arch.get(subnet.vpc)
        net = cidr_or_none(subnet.cidr)
        if vpc is None or net is None or net.version != 4:
            continue
        blocks = [b for b in vpc_blocks(vpc) if b.version == 4]
        if blocks and not any(net.subnet_of(b) for b in blocks):
            listed = ", ".join(str(b) for b in blocks)
            yield Violation(subnet.path("cidr"), f"subnet `{subnet.name}` ({net}) is outside VPC `{vpc.name}` "
                                                 f"({listed})")


@rule("REL102", severity="high",
      title="Subnets of one VPC do not overlap",
      notes="네트워크", best_practice="REL02-BP03", facts=[facts.SUBNET_PREFIX_MIN])
def subnet_overlap(arch):
    """Subnet blocks within a VPC must not overlap, because every address
    belongs to exactly one subnet; AWS rejects an overlapping subnet. The rule sorts
    each VPC's subnets by start address and sweeps them once.

    Fix: renumber the subnet into a free part of the VPC's range; an address
    plan (for example one /20 per AZ and tier) keeps blocks apart as the VPC
    grows.
    """
    by_vpc: dict[tuple, list] = {}
    for subnet in arch.of_type("subnet"):
        for key in ("cidr", "ipv6_cidr"):
            net = cidr_or_none(subnet.get(key))
            if net is not None:
                by_vpc.setdefault((subnet.vpc, net.version), []).append((net, subnet, key))
    for items in by_vpc.values():
        items.sort(key=lambda item: (int(item[0].network_address), -int(item[0].broadcast_address)))
        widest = None  # the block reaching furthest so far
        for net, subnet, key in items:
            if widest is not None and int(net.network_address) <= int(widest[0].broadcast_address):
                other_net, other, _ = widest
                yield Violation(subnet.path(key), f"subnet `{subnet.name}` ({net}) overlaps subnet "
                                                  f"`{other.name}` ({other_net})",
                                related=(other.path(key),))
            if widest is None or int(net.broadcast_address) > int(widest[0].broadcast_address):
                widest = (net, subnet, key)


def ip_consumers(arch):
    """Addresses each subnet must hold: {subnet name: [(count, what)]}."""
    used: dict[str, list] = {}

    def add(subnet, count, what):
        if subnet is not None and count:
            used.setdefault(subnet.name, []).append((count, what))

    for resource in arch.resources.values():
        if resource.type in ("subnet", "vpc", "route_table", "network_acl", "security_group"):
            continue
        subnets = arch.subnets_of(resource)
        if not subnets:
            continue
        if resource.type == "ec2_instance":
            plural = "s" if resource.count > 1 else ""
            add(subnets[0], resource.count, f"`{resource.name}` ({resource.count} instance{plural})")
        elif resource.type == "auto_scaling_group":
            size = instance_count(resource)
            share = math.ceil(size / len(subnets))
            for subnet in subnets:
                add(subnet, share, f"`{resource.name}` ({share} of max {size})")
        elif resource.type == "network_interface":
            ips = resource.private_ips or 1
            add(subnets[0], ips, f"ENI `{resource.name}` ({ips} IP{'s' * (ips > 1)})")
        else:
            for subnet in subnets:
                add(subnet, 1, f"`{resource.name}`")
    return used


@rule("REL103", severity="high",
      title="Subnets have addresses for everything placed in them, with headroom",
      notes="네트워크", best_practice="REL02-BP03",
      facts=[facts.SUBNET_RESERVED_ADDRESSES])
def subnet_ip_capacity(arch):
    """AWS reserves five addresses in every subnet (network, VPC router, DNS,
    future use and the last address), so a subnet offers 2^(32-prefix) - 5:
    251 in a /24, 11 in a /28. (The notes give 10.0.0.225 as the broadcast
    address of 10.0.0.0/24; it is 10.0.0.255.) A launch into a full subnet
    fails, and so does a scale-out or an AZ failover exactly when it matters.

    The rule counts the instances (`count`), ENIs (`private_ips`), each Auto
    Scaling group's `max_size` spread over its subnets, and one address for
    every other resource placed in the subnet (load balancer node, NAT
    gateway, endpoint, database, cache, Lambda ENI; many need more, so this
    is a lower bound). Over capacity is an error; less than 20 % free is a
    warning, because an Auto Scaling group moves a failed AZ's share into the
    remaining subnets.

    Fix: use a larger block for the subnet (a new subnet: a subnet's CIDR
    cannot be changed), or spread the resources over more subnets.
    """
    reserved = facts.SUBNET_RESERVED_ADDRESSES.value
    used = ip_consumers(arch)
    for subnet in arch.of_type("subnet"):
        net = cidr_or_none(subnet.cidr)
        if net is None or net.version != 4 or subnet.name not in used:
            continue
        usable = max(net.num_addresses - reserved, 0)
        items = used[subnet.name]
        total = sum(count for count, _ in items)
        listed = ", ".join(what for _, what in items[:5]) + (f" and {len(items) - 5} more" if len(items) > 5 else "")
        if total > usable:
            yield Violation(subnet.path("cidr"), f"subnet `{subnet.name}` ({net}) has {usable} usable addresses "
                                                 f"but needs {total}: {listed}")
        elif total > usable * (1 - HEADROOM):
            free = usable - total
            yield Violation(subnet.path("cidr"), f"subnet `{subnet.name}` ({net}) would have {free} of {usable} "
                                                 f"usable addresses free ({free / usable:.0%}) with {listed}; keep "
                                                 f"at least {HEADROOM:.0%} free", severity="medium")


# -- internet access -------------------------------------------------------------------------

@rule("REL104", severity="high",
      title="A public subnet routes to an internet gateway attached to its VPC",
      notes="네트워크 > 퍼블릭 서브넷", best_practice="REL02-BP01",
      facts=[facts.PUBLIC_SUBNET_ROUTE_DESTINATIONS, facts.IGW_PER_VPC])
def public_subnet_without_igw(arch):
    """A subnet is public only because its route table sends traffic to an
    internet gateway; the notes list the three parts: a route table, an
    internet gateway (attached to the VPC) and public IP addresses. A subnet
    declared `public: true` without that route, or routing to a gateway that
    is not attached to its VPC, leaves its load balancers, NAT gateways and
    bastions unreachable.

    Fix: give the subnet a route table with `0.0.0.0/0` (and `::/0`) to the
    VPC's internet gateway, and attach the gateway to the VPC (`vpc:`).
    """
    for subnet in arch.of_type("subnet"):
        if not subnet.public:
            continue
        index, gateway = attached_igw_route(arch, subnet)
        if gateway is not None:
            continue
        table = arch.get(subnet.route_table)
        if table is None:
            yield Violation(subnet.path("public"), f"subnet `{subnet.name}` is declared public but has no route "
                                                   "table with a route to an internet gateway")
            continue
        stray = [g for _, _, g in arch.route_targets(subnet) if g.type == "internet_gateway"]
        why = (f"internet gateway `{stray[0].name}` is not attached to VPC `{subnet.vpc}`" if stray
               else f"route table `{table.name}` has no route to an internet gateway")
        yield Violation(subnet.path("public"), f"subnet `{subnet.name}` is declared public, but {why}")


@rule("SEC105", severity="high",
      title="A subnet declared private has no route to an internet gateway",
      notes="네트워크 > 퍼블릭 서브넷", best_practice="SEC05-BP01",
      facts=[facts.PUBLIC_SUBNET_ROUTE_DESTINATIONS, facts.IGW_NEEDS_PUBLIC_IP])
def private_subnet_routes_to_igw(arch):
    """A subnet with `public: false` that routes to an internet gateway is a
    public subnet whatever its name: any instance in it that gets a public IP
    (auto-assign, an Elastic IP, an ENI) is reachable from the internet. The
    design's layering (data and application tiers out of reach) then rests on
    security groups alone.

    Fix: route the private subnet's internet-bound traffic to a NAT gateway
    (or keep it with no internet route at all), and keep the internet gateway
    route in the public subnets' route table.
    """
    for subnet in arch.of_type("subnet"):
        if subnet.has("public") and subnet.public is False and arch.is_public_subnet(subnet):
            table = arch.get(subnet.route_table)
            yield Violation(subnet.path("route_table"),
                            f"subnet `{subnet.name}` is declared private but route table `{table.name}` routes to an "
                            "internet gateway, which makes it a public subnet")


@rule("REL106", severity="high",
      title="A VPC has at most one internet gateway and one egress-only internet gateway",
      notes="네트워크 > 인터넷 게이트웨이", best_practice="REL02-BP01",
      facts=[facts.IGW_PER_VPC, facts.EGRESS_ONLY_IGW_PER_VPC])
def one_internet_gateway_per_vpc(arch):
    """Only one internet gateway (and one egress-only internet gateway) can be
    attached to a VPC at a time. A second one cannot be attached, so it adds
    no redundancy: the internet gateway is already a horizontally scaled,
    redundant, highly available VPC component, as the notes say.

    Fix: use one internet gateway per VPC; remove the extra one.
    """
    for kind in ("internet_gateway", "egress_only_internet_gateway"):
        first: dict[str, str] = {}
        for gateway in arch.of_type(kind):
            vpc = gateway.get("vpc")
            if not vpc:
                continue
            if vpc in first:
                yield Violation(gateway.path("vpc"), f"VPC `{vpc}` already has {kind.replace('_', ' ')} "
                                                     f"`{first[vpc]}`; a VPC can have only one attached")
            else:
                first[vpc] = gateway.name


def has_public_address(arch, instance, eips_by_target, enis_by_instance) -> bool:
    if instance.public_ip or instance.elastic_ip or instance.name in eips_by_target:
        return True
    for eni in enis_by_instance.get(instance.name, ()):
        if eni.public_ip or eni.elastic_ip or eni.name in eips_by_target:
            return True
    subnet = first_subnet(arch, instance)
    return bool(subnet is not None and subnet.map_public_ip and not instance.has("public_ip"))


@rule("REL107", severity="high",
      title="An internet-facing instance has a public address in a public subnet",
      notes="네트워크 > 퍼블릭 서브넷", best_practice="REL02-BP01",
      facts=[facts.IGW_NEEDS_PUBLIC_IP, facts.PUBLIC_IP_AUTO_ASSIGN_DEFAULT_SUBNETS_ONLY])
def internet_facing_without_public_ip(arch):
    """The internet gateway does one-to-one NAT between an instance's private
    address and its public IPv4 address, so an instance is reachable from the
    internet only with a public IP or an Elastic IP *and* a subnet that routes
    to the gateway. Nondefault subnets do not assign public IPs on launch. An
    instance marked `internet_facing` (or a web/edge-tier instance in a public
    subnet) without both is unreachable.

    Fix: give the instance `public_ip: true` or an Elastic IP, set
    `map_public_ip` on the subnet, and place it in a subnet whose route table
    routes to the internet gateway. Better still, keep instances private behind
    an internet-facing load balancer.
    """
    eips = {e.attached_to for e in arch.of_type("elastic_ip") if e.attached_to}
    enis: dict[str, list] = {}
    for eni in arch.of_type("network_interface"):
        if eni.attached_to:
            enis.setdefault(eni.attached_to, []).append(eni)
    for instance in arch.of_type("ec2_instance"):
        subnet = first_subnet(arch, instance)
        public_subnet = subnet is not None and arch.is_public_subnet(subnet)
        facing = instance.internet_facing or (public_subnet and instance.tier in ("web", "edge"))
        if not facing:
            continue
        if subnet is not None and not public_subnet:
            yield Violation(instance.path("subnet") if instance.has("subnet") else instance.path("subnets"),
                            f"`{instance.name}` is internet-facing but subnet `{subnet.name}` has no route to an "
                            "internet gateway")
        elif not has_public_address(arch, instance, eips, enis):
            yield Violation(instance.path("internet_facing") if instance.has("internet_facing")
                            else instance.path("tier"),
                            f"`{instance.name}` is internet-facing but has no public IP or Elastic IP"
                            + (f", and subnet `{subnet.name}` does not assign one" if subnet is not None else ""))


DATA_TYPES = ("rds_instance", "aurora_cluster", "elasticache_cluster")


@rule("SEC108", severity="high",
      title="Databases, caches and internal tiers stay out of public subnets",
      notes="네트워크 > 퍼블릭 서브넷", best_practice="SEC05-BP01",
      facts=[facts.PUBLIC_SUBNET_ROUTE_DESTINATIONS, facts.IGW_NEEDS_PUBLIC_IP])
def data_tier_in_public_subnet(arch):
    """A public subnet is for what must be reached from the internet (load
    balancers, NAT gateways, bastions). A database, a cache or an internal
    tier placed there is one setting (a public IP, `publicly_accessible`) or
    one security group rule away from the internet; in a private subnet the
    route itself does not exist. Critical when the database is also
    `publicly_accessible`.

    Fix: put data stores and internal tiers in private subnets (a DB subnet
    group of private subnets in two or more AZs) and reach them from the
    application tier only.
    """
    for resource in arch.resources.values():
        if resource.type not in DATA_TYPES and resource.tier not in ("data", "cache", "internal"):
            continue
        public = [s.name for s in public_subnets(arch, resource)]
        if not public:
            continue
        exposed = bool(resource.get("publicly_accessible"))
        what = resource.tier or "internal"
        yield Violation(resource.path("subnets") if resource.has("subnets") else resource.path("subnet"),
                        f"{what}-tier `{resource.name}` is placed in public subnet"
                        f"{'s' if len(public) > 1 else ''} {', '.join(f'`{n}`' for n in public)}"
                        + (" and is publicly accessible" if exposed else ""),
                        severity="critical" if exposed else None)


# -- NAT gateways ---------------------------------------------------------------------

def zonal_nat(gateway) -> bool:
    return gateway.type == "nat_gateway" and gateway.availability_mode != "regional"


@rule("REL109", severity="high",
      title="A public zonal NAT gateway sits in a subnet that routes to an internet gateway",
      notes="네트워크 > 인터넷 게이트웨이", best_practice="REL02-BP01",
      facts=[facts.NAT_ZONAL_ONE_AZ, facts.NAT_REGIONAL_SPANS_AZS, facts.PUBLIC_SUBNET_ROUTE_DESTINATIONS])
def nat_gateway_in_private_subnet(arch):
    """A public zonal NAT gateway forwards private instances' traffic to the
    internet gateway, so it must live in a public subnet (one whose route
    table routes to an internet gateway). In a private subnet it has no way
    out, and every private subnet that routes to it loses internet access.
    A Regional NAT gateway (`availability_mode: regional`) needs no public
    subnet, and a private NAT gateway (`connectivity: private`) needs none.

    Fix: move the NAT gateway to a public subnet in the same AZ, or use a
    Regional NAT gateway.
    """
    for gateway in arch.of_type("nat_gateway"):
        if not zonal_nat(gateway) or gateway.connectivity == "private":
            continue
        subnet = first_subnet(arch, gateway)
        if subnet is None:
            yield Violation(gateway.path("subnet"), f"zonal NAT gateway `{gateway.name}` names no subnet; it must "
                                                    "sit in a public subnet")
        elif not arch.is_public_subnet(subnet):
            yield Violation(gateway.path("subnet"), f"NAT gateway `{gateway.name}` is in subnet `{subnet.name}`, "
                                                    "which has no route to an internet gateway")


@rule("REL110", severity="medium",
      title="Private subnets use a NAT gateway in their own AZ",
      notes="네트워크 > 인터넷 게이트웨이", best_practice="REL10-BP01",
      facts=[facts.NAT_ZONAL_ONE_AZ, facts.NAT_REGIONAL_SPANS_AZS])
def nat_gateway_cross_az(arch):
    """A zonal NAT gateway lives in one AZ. A private subnet whose default
    route goes to a NAT gateway in another AZ loses internet access when that
    AZ fails, although its own AZ is healthy, and every byte it sends crosses
    AZs, which AWS bills as inter-AZ data transfer on top of NAT processing.
    The notes call every NAT gateway AZ-scoped; that is now true only of
    zonal gateways: a Regional NAT gateway spans AZs by itself.

    Like the Multi-AZ rules, it applies where availability matters (a target
    of 99.9 % or more, or `critical`): for a cost-sensitive environment
    with a low target, one NAT gateway shared by the AZs is the usual
    trade-off, as a second one costs more than the cross-AZ traffic saves.

    Fix: create one zonal NAT gateway per AZ and give each AZ's private
    subnets a route table pointing at their own AZ's gateway, or use a
    Regional NAT gateway (`availability_mode: regional`).
    """
    for subnet in arch.of_type("subnet"):
        table = arch.get(subnet.route_table)
        if table is None or not subnet.az or not arch.needs_high_availability(subnet):
            continue
        for _, route, gateway in arch.route_targets(subnet):
            if not zonal_nat(gateway):
                continue
            zone = single_zone(arch, gateway)
            if zone and zone != subnet.az:
                yield Violation(subnet.path("route_table"),
                                f"subnet `{subnet.name}` in {subnet.az} sends {route.get('destination')} to NAT "
                                f"gateway `{gateway.name}` in {zone}: an outage of {zone} cuts its internet access, "
                                "and the traffic pays cross-AZ data charges")
                break


# -- network ACLs ---------------------------------------------------------------------

@rule("SEC111", severity="high",
      title="Network ACL rule numbers are unique and between 1 and 32766",
      notes="네트워크 > 네트워크 액세스 제어 목록(ACL)", best_practice="SEC05-BP02",
      facts=[facts.NACL_RULE_NUMBER_RANGE])
def nacl_rule_number(arch):
    """A network ACL's rules are numbered 1-32766 and evaluated from the
    lowest number; the first match decides. Numbers must be unique within a
    direction: AWS rejects a duplicate, and the order between two equal
    numbers is the intent that gets lost. The final `*` rule is AWS's and
    cannot be written.

    Fix: renumber the rules, leaving gaps (100, 110, 120...) so rules can be
    inserted later.
    """
    low, high = facts.NACL_RULE_NUMBER_RANGE.value
    for acl in arch.of_type("network_acl"):
        for direction in ("inbound", "outbound"):
            seen: dict[int, int] = {}
            for i, raw in enumerate(acl.get(direction) or ()):
                number = raw.get("rule")
                if not low <= number <= high:
                    yield Violation(acl.path(direction, i, "rule"),
                                    f"network ACL `{acl.name}` {direction} rule {number} is outside {low}-{high}")
                elif number in seen:
                    yield Violation(acl.path(direction, i, "rule"),
                                    f"network ACL `{acl.name}` has two {direction} rules numbered {number}",
                                    related=(acl.path(direction, seen[number], "rule"),))
                else:
                    seen[number] = i


@rule("SEC112", severity="medium",
      title="No network ACL rule is hidden by a lower-numbered rule",
      notes="네트워크 > 네트워크 액세스 제어 목록(ACL)", best_practice="SEC05-BP02",
      facts=[facts.NACL_RULE_NUMBER_RANGE])
def nacl_shadowed_rule(arch):
    """Network ACL rules are evaluated in number order and the first match
    wins, so a rule is dead when a lower-numbered rule already covers its
    protocol, its ports and its CIDR. A dead `deny` behind a broader `allow`
    (or the reverse) means the ACL does not do what its author wrote; a dead
    rule with the same action is only clutter (low).

    The rule indexes earlier rules by every enclosing block of each CIDR, so
    it stays linear in the number of rules.

    Fix: give the narrower rule the lower number (put specific denies before
    broad allows), or delete the redundant rule.
    """
    for acl in arch.of_type("network_acl"):
        for direction in ("inbound", "outbound"):
            index: dict[tuple, list] = {}
            for entry in acl_entries(acl, direction):
                if entry.net is None:
                    continue
                cover = None
                for key in supernets(entry.net):
                    for earlier in index.get(key, ()):
                        if earlier.number == entry.number:
                            continue  # a duplicate number is SEC111's
                        if (earlier.protocol in (-1, entry.protocol) and earlier.ports[0] <= entry.ports[0]
                                and earlier.ports[1] >= entry.ports[1]):
                            cover = earlier
                            break
                    if cover is not None:
                        break
                if cover is not None:
                    same = cover.allow == entry.allow
                    verb = "allows" if cover.allow else "denies"
                    yield Violation(acl.path(direction, entry.index, "rule"),
                                    f"network ACL `{acl.name}` {direction} rule {entry.number} never applies: rule "
                                    f"{cover.number} {verb} {cover.raw.get('cidr')} {show_ports(cover.ports)} first"
                                    + (" (redundant)" if same else ""),
                                    severity="low" if same else None,
                                    related=(acl.path(direction, cover.index, "rule"),))
                key = (entry.net.version, entry.net.prefixlen, int(entry.net.network_address))
                index.setdefault(key, []).append(entry)


def is_service_rule(entry) -> bool:
    """An allow rule for a specific TCP/UDP service (not itself a return-traffic range)."""
    if not entry.allow or entry.protocol not in (6, 17) or entry.net is None:
        return False
    low, high = entry.ports
    return high - low < 1024


def acls_hosting_elb_nat_lambda(arch) -> set:
    """Names of the network ACLs whose subnets hold a load balancer, NAT gateway or Lambda function."""
    names = set()
    for resource in arch.of_type("load_balancer", "nat_gateway", "lambda_function"):
        for subnet in arch.subnets_of(resource):
            if subnet.network_acl:
                names.add(subnet.network_acl)
    return names


@rule("REL113", severity="high",
      title="Network ACLs allow the return traffic of every allowed connection",
      notes="네트워크 > 네트워크 액세스 제어 목록(ACL)",
      facts=[facts.NACL_STATELESS, facts.EPHEMERAL_PORTS_LINUX, facts.EPHEMERAL_PORTS_WINDOWS,
             facts.EPHEMERAL_PORTS_ELB_NAT_LAMBDA, facts.NACL_DEFAULT_ALLOWS_ALL])
def nacl_return_traffic(arch):
    """Network ACLs are stateless (security groups are not): a reply is a new
    packet that must pass the opposite direction's rules. The reply goes to
    the client's ephemeral port: 32768-61000 on Linux, 49152-65535 on Windows
    Server 2008 and later, and 1024-65535 from Elastic Load Balancing, NAT
    gateways and Lambda. An inbound allow for a service with no outbound allow
    for those ports (or an outbound allow with no inbound allow for the
    replies) lets the request in and drops the answer: connections hang.

    The rule evaluates the opposite direction first-match for the rule's
    CIDR (its first address): nothing of 1024-65535 allowed is an error, or a
    warning when another rule lets replies reach part of the CIDR; a range
    that misses both the Linux and the Windows range is a warning; one that
    misses part
    of 1024-65535 is low, or a warning when the ACL's subnets hold a load
    balancer, NAT gateway or Lambda function. The default ACL with no rules
    written allows everything.

    Fix: add an allow rule in the other direction for the ephemeral ports
    1024-65535 to the same CIDR (AWS's recommended range, since clients and
    AWS services vary), after any deny rules that should still apply.
    """
    lo_all, hi_all = facts.EPHEMERAL_PORTS_ELB_NAT_LAMBDA.value
    linux = facts.EPHEMERAL_PORTS_LINUX.value
    windows = facts.EPHEMERAL_PORTS_WINDOWS.value
    busy = None
    for acl in arch.of_type("network_acl"):
        if acl.default and not acl.inbound and not acl.outbound:
            continue
        for direction, other in (("inbound", "outbound"), ("outbound", "inbound")):
            replies = acl_entries(acl, other)
            if acl.default and not acl.get(other):
                continue  # an unwritten direction of the default ACL allows all
            for entry in acl_entries(acl, direction):
                if not is_service_rule(entry) or entry.net is None:
                    continue
                allowed = allowed_ports(replies, entry.protocol, entry.net.network_address, lo_all, hi_all)
                where = (f"network ACL `{acl.name}` {direction} rule {entry.number} allows "
                         f"{str(entry.raw.get('protocol')).lower()} {show_ports(entry.ports)} "
                         f"{'from' if direction == 'inbound' else 'to'} {entry.raw.get('cidr')}")
                path = acl.path(direction, entry.index, "rule")
                if not allowed:
                    part = next((e for e in replies if e.allow and e.net is not None
                                 and e.net.version == entry.net.version and e.net.overlaps(entry.net)
                                 and e.protocol in (-1, entry.protocol)
                                 and any(e.ports[0] <= a and e.ports[1] >= b for a, b in (linux, windows))), None)
                    if part is not None:
                        yield Violation(path, f"{where}, but {other} replies to ephemeral ports are allowed only "
                                              f"for part of it (rule {part.number}: {part.raw.get('cidr')})",
                                        severity="medium")
                        continue
                    yield Violation(path, f"{where}, but no {other} rule allows the replies to ephemeral ports "
                                          f"{lo_all}-{hi_all}, so the connections fail")
                    continue
                if not uncovered(allowed, lo_all, hi_all):
                    continue
                shown = ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in allowed)
                gets_linux = not uncovered(allowed, *linux)
                gets_windows = not uncovered(allowed, *windows)
                if busy is None:
                    busy = acls_hosting_elb_nat_lambda(arch)
                needs_full = acl.name in busy
                if not gets_linux and not gets_windows:
                    yield Violation(path, f"{where}, but {other} replies are allowed only to {shown}, which misses "
                                          f"the Linux ({linux[0]}-{linux[1]}) and Windows ({windows[0]}-{windows[1]}) "
                                          "ephemeral ranges", severity="medium")
                else:
                    missed = [name for name, ok in (("Linux", gets_linux), ("Windows", gets_windows)) if not ok]
                    gap = f"misses {' and '.join(missed)} clients and " if missed else ""
                    yield Violation(path, f"{where}, but {other} replies are allowed only to {shown}, which "
                                          f"{gap}misses the {lo_all}-{hi_all} range that load balancers, NAT gateways "
                                          "and Lambda use",
                                    severity="medium" if needs_full or missed else "low")


@rule("REL114", severity="medium",
      title="Network ACLs stay within the rules-per-direction quota",
      notes="네트워크 > 네트워크 액세스 제어 목록(ACL)", best_practice="REL01-BP01",
      facts=[facts.NACL_RULES_PER_DIRECTION, facts.NACL_RULES_PER_DIRECTION_MAX])
def nacl_rule_quota(arch):
    """A network ACL holds 20 rules per direction by default, IPv4 and IPv6
    counted separately and the default deny included; the quota can be raised
    to 40 at most, and AWS warns that more rules can cost network performance.
    Over 20 is a warning (raise the quota first); over 40 cannot be deployed.

    Fix: merge rules into wider CIDRs or port ranges, move fine-grained
    filtering to security groups (which filter per instance and are stateful),
    or request the quota increase before deploying.
    """
    quota, most = facts.NACL_RULES_PER_DIRECTION.value, facts.NACL_RULES_PER_DIRECTION_MAX.value
    for acl in arch.of_type("network_acl"):
        for direction in ("inbound", "outbound"):
            counts = {4: 0, 6: 0}
            for raw in acl.get(direction) or ():
                net = cidr_or_none(raw.get("cidr"))
                if net is not None:
                    counts[net.version] += 1
            for version, count in counts.items():
                total = count + 1 if count else 0  # with the default deny
                if total > most:
                    yield Violation(acl.path(direction), f"network ACL `{acl.name}` has {total} IPv{version} "
                                                         f"{direction} rules with the default deny; at most {most} "
                                                         "are possible", severity="high")
                elif total > quota:
                    yield Violation(acl.path(direction), f"network ACL `{acl.name}` has {total} IPv{version} "
                                                         f"{direction} rules with the default deny; the default "
                                                         f"quota is {quota} (adjustable up to {most})")


# -- security groups ---------------------------------------------------------------------

@rule("SEC115", severity="high",
      title="Security group rules only allow",
      notes="네트워크 > 보안그룹", best_practice="SEC05-BP02", facts=[facts.SG_STATEFUL])
def security_group_deny_rule(arch):
    """Security groups support allow rules only; there is no deny. A rule
    written as a deny cannot be expressed: the traffic it was meant to block
    is blocked only if no other rule allows it, and some deployments would
    turn it into an allow.

    Fix: remove the rule and express the block as a network ACL deny rule on
    the subnet (NACLs are stateless and support deny), or narrow the allow
    rules so the traffic is never allowed.
    """
    for group in arch.of_type("security_group"):
        for direction in ("ingress", "egress"):
            for i, raw in enumerate(group.get(direction) or ()):
                if raw.get("action") == "deny":
                    yield Violation(group.path(direction, i, "action"),
                                    f"security group `{group.name}` has a deny rule; security groups only allow "
                                    "traffic, so use a network ACL to deny it")


def reachable_from_internet(arch, resource) -> bool:
    if resource.get("internet_facing") or resource.get("public_ip") or resource.get("elastic_ip"):
        return True
    if resource.get("publicly_accessible"):
        return True
    if resource.type == "load_balancer" and resource.scheme == "internet_facing":
        return True
    return any(s is not resource and arch.is_public_subnet(s) for s in arch.subnets_of(resource))


def listener_ports(members):
    """The ports a group's members listen on when every member is a load balancer with listeners, else None."""
    if not members or any(m.type != "load_balancer" or m.lb_type == "gwlb" for m in members):
        return None
    ports: set = set()
    for member in members:
        listeners = member.listeners or []
        if not listeners or any(item.get("port") is None for item in listeners):
            return None
        ports.update(item["port"] for item in listeners)
    return ports


def _what(raw, protocol) -> str:
    return "all traffic" if protocol == -1 else f"all {str(raw.get('protocol')).upper()} ports"


@rule("SEC116", severity="high",
      title="No security group opens admin, database or cache ports, or all ports, to the internet",
      notes="네트워크 > 보안그룹", best_practice="SEC05-BP02",
      facts=[facts.SG_STATEFUL, facts.IGW_NEEDS_PUBLIC_IP])
def security_group_open_to_world(arch):
    """Ingress from 0.0.0.0/0 or ::/0 to SSH (22), RDP (3389), database ports
    (3306, 5432, 1433, 1521, 27017, 5439, 9042...), cache ports (6379, 11211)
    or to every port invites brute force, exploitation and data theft.
    Administrative access belongs to Session Manager or a narrow CIDR, and
    data stores only to the application tier's security group.

    Critical when the group opens all ports or is attached to something
    reachable from the internet (a public subnet, a public IP, an
    internet-facing load balancer, a publicly accessible database); high when
    the group's members are private today, since one routing change exposes
    them.

    A group used only by load balancers is judged by what is reachable: a
    load balancer accepts connections only on its listener ports, so a rule
    wider than the listeners exposes nothing more. Such a rule is low
    (tighten it to the listener ports); a listener on an admin, database or
    cache port is reported as usual.

    Fix: replace the CIDR with the source security group of the tier that
    needs access (or a small admin CIDR or prefix list), and use Systems
    Manager Session Manager instead of open SSH/RDP.
    """
    attached: dict[str, list] = {}
    for resource in arch.resources.values():
        for name in resource.get("security_groups") or ():
            attached.setdefault(name, []).append(resource)
    for group in arch.of_type("security_group"):
        exposed = any(reachable_from_internet(arch, r) for r in attached.get(group.name, ()))
        listening = listener_ports(attached.get(group.name, ()))
        for i, raw in enumerate(group.ingress or ()):
            if raw.get("cidr") not in WORLD or raw.get("action") == "deny":
                continue
            protocol = protocol_number(raw.get("protocol"))
            if protocol not in (-1, 6, 17):
                continue  # ICMP and other protocols have no ports
            low, high = port_range(raw.get("ports"), protocol)
            if listening is not None:
                reachable = sorted(p for p in listening if low <= p <= high)
                hits = [p for p in reachable if p in SENSITIVE_PORTS]
                if not hits:
                    if (low, high) == ALL_PORTS:
                        names = ", ".join(f"`{r.name}`" for r in attached[group.name][:3])
                        yield Violation(group.path("ingress", i, "cidr"),
                                        f"security group `{group.name}` allows {_what(raw, protocol)} from "
                                        f"{raw['cidr']}, but it is used only by load balancer {names}, which listens "
                                        f"on {', '.join(map(str, sorted(listening))) or 'no port'}; narrow it to the "
                                        "listener ports", severity="low")
                    continue
                listed = ", ".join(f"{SENSITIVE_PORTS[p]} {p}" for p in hits[:6])
                yield Violation(group.path("ingress", i, "cidr"),
                                f"security group `{group.name}` allows {listed} from {raw['cidr']}, and load balancer "
                                f"`{attached[group.name][0].name}` listens there",
                                severity="critical" if exposed else None)
                continue
            if (low, high) == ALL_PORTS:
                what = _what(raw, protocol)
                yield Violation(group.path("ingress", i, "cidr"),
                                f"security group `{group.name}` allows {what} from {raw['cidr']}",
                                severity="critical")
                continue
            hits = [p for p in SENSITIVE_PORTS if low <= p <= high]
            if not hits:
                continue
            listed = ", ".join(f"{SENSITIVE_PORTS[p]} {p}" for p in sorted(hits)[:6])
            members = ", ".join(f"`{r.name}`" for r in attached.get(group.name, ())[:3])
            reach = (" and is attached to internet-reachable " + members) if exposed else ""
            yield Violation(group.path("ingress", i, "cidr"),
                            f"security group `{group.name}` allows {listed} from {raw['cidr']}{reach}",
                            severity="critical" if exposed else None)


@rule("REL117", severity="medium",
      title="Security groups stay within the rules quota",
      notes="네트워크 > 보안그룹", best_practice="REL01-BP01",
      facts=[facts.SG_RULES_INBOUND, facts.SG_RULES_OUTBOUND])
def security_group_rule_quota(arch):
    """A security group holds 60 inbound and 60 outbound rules by default, IPv4
    and IPv6 counted separately. The quota can be raised, but rules per group
    times groups per ENI may not exceed 1,000, so a raise costs groups. A
    rule that names a source group or prefix list is counted with IPv4.

    Fix: reference source security groups or managed prefix lists instead of
    listing CIDRs one by one, split the group by purpose, or request the
    quota increase before deploying.
    """
    for group in arch.of_type("security_group"):
        for direction, fact in (("ingress", facts.SG_RULES_INBOUND), ("egress", facts.SG_RULES_OUTBOUND)):
            counts = {4: 0, 6: 0}
            for raw in group.get(direction) or ():
                net = cidr_or_none(raw.get("cidr")) if raw.get("cidr") else None
                counts[net.version if net is not None else 4] += 1
            for version, count in counts.items():
                if count > fact.value:
                    yield Violation(group.path(direction), f"security group `{group.name}` has {count} IPv{version} "
                                                           f"{direction} rules; the default quota is {fact.value} "
                                                           "(adjustable)")


@rule("REL118", severity="medium",
      title="A network interface stays within the security-groups-per-interface quota",
      notes="네트워크 > 보안그룹", best_practice="REL01-BP01",
      facts=[facts.SGS_PER_ENI, facts.SGS_PER_ENI_MAX, facts.SG_RULES_TIMES_SGS_PER_ENI_MAX])
def security_groups_per_interface(arch):
    """Each network interface (and so each instance, load balancer node or
    database ENI) takes 5 security groups by default, an adjustable quota
    that goes up to 16, and the rules of its groups times the number of
    groups may not exceed 1,000. Above the default the rule warns; above 16,
    or over the 1,000 cap, it is an error.

    Fix: merge groups that always travel together, or request the quota
    increase (and check the rules-times-groups cap) before deploying.
    """
    quota, most = facts.SGS_PER_ENI.value, facts.SGS_PER_ENI_MAX.value
    cap = facts.SG_RULES_TIMES_SGS_PER_ENI_MAX.value
    for resource in arch.resources.values():
        groups = resource.get("security_groups") or ()
        if len(groups) > most:
            yield Violation(resource.path("security_groups"), f"`{resource.name}` has {len(groups)} security groups; "
                                                              f"an interface can have at most {most}",
                            severity="high")
        elif len(groups) > quota:
            rules = max((max(len(g.ingress or ()), len(g.egress or ())) for g in arch.all(groups)), default=0)
            product = rules * len(groups)
            extra = (f"; with up to {rules} rules per group that is {product} rules, over the cap of {cap}"
                     if product > cap else "")
            yield Violation(resource.path("security_groups"), f"`{resource.name}` has {len(groups)} security groups; "
                                                              f"the default quota is {quota} per interface "
                                                              f"(adjustable up to {most}){extra}",
                            severity="high" if product > cap else None)


# -- ENIs and Elastic IPs ---------------------------------------------------------------------

@rule("REL119", severity="high",
      title="A network interface is attached only to an instance in its own AZ",
      notes="네트워크 > 탄력적 네트워크 인터페이스", best_practice="REL10-BP01",
      facts=[facts.ENI_SAME_AZ])
def eni_cross_az(arch):
    """A network interface belongs to a subnet, and so to one AZ. It can be
    detached and attached to another instance (keeping its private and
    Elastic IP addresses and MAC address, as the notes say) only when that
    instance is in the same AZ; the notes leave that condition out. Failover
    designs that move an ENI to a standby in another AZ therefore do not work.

    Fix: keep the standby in the ENI's AZ, or fail over across AZs another
    way (a load balancer, a Route 53 failover record, or re-associating an
    Elastic IP, which is Regional).
    """
    for eni in arch.of_type("network_interface"):
        zone = single_zone(arch, eni)
        if eni.moved_from_az and zone and eni.moved_from_az != zone:
            yield Violation(eni.path("moved_from_az"),
                            f"ENI `{eni.name}` was created in {eni.moved_from_az} and cannot move to {zone}; an ENI "
                            "stays in its subnet's AZ")
        instance = arch.get(eni.attached_to)
        if instance is None or zone is None:
            continue
        other = arch.azs_of(instance)
        if other and zone not in other:
            yield Violation(eni.path("attached_to"),
                            f"ENI `{eni.name}` is in {zone} but is attached to `{instance.name}` in "
                            f"{', '.join(sorted(other))}; an ENI can only attach to an instance in its own AZ")


@rule("COST120", severity="low",
      title="Elastic IP addresses are attached to something",
      notes="네트워크 > 탄력적 IP", best_practice="COST04-BP03",
      facts=[facts.PUBLIC_IPV4_HOURLY_CHARGE])
def idle_elastic_ip(arch):
    """An Elastic IP address that nothing uses still costs money, because AWS
    charges for every public IPv4 address by the hour, whether attached or
    not; an idle address is pure waste (and a scarce resource AWS asks customers to
    release).

    Fix: attach the address to the instance, ENI, NAT gateway or load balancer
    that needs it, or release it.
    """
    for eip in arch.of_type("elastic_ip"):
        if eip.attached_to or arch.referrers(eip):
            continue
        yield Violation(eip.path("type"), f"Elastic IP `{eip.name}` is attached to nothing and still billed hourly")


# -- logging -------------------------------------------------------------------------------------

@rule("SEC121", severity="medium",
      title="Every VPC records flow logs",
      notes="모니터링 및 크기 조정 > VPC 흐름 로그", best_practice="SEC04-BP01",
      facts=[facts.FLOW_LOG_DESTINATIONS])
def vpc_flow_logs(arch):
    """VPC flow logs record the IP traffic accepted and rejected at each
    network interface and deliver it to CloudWatch Logs, S3 or Firehose.
    Without them, a connection that a security group or network ACL drops
    leaves no trace, and incident response has no network evidence. A flow
    log on the VPC covers every subnet and ENI in it; flow logs on only some
    subnets leave the rest dark (low). Where the landing zone creates flow
    logs for every VPC (`organization.provides.flow_logs`), nothing is asked.

    Fix: add a `flow_log` with `resource:` set to the VPC (traffic `all`, or
    `reject` to keep cost down), delivered to CloudWatch Logs or S3.
    """
    if arch.provided("flow_logs") is not None:
        return
    covered = {log.resource for log in arch.of_type("flow_log")}
    subnets_by_vpc: dict[str, list] = {}
    for subnet in arch.of_type("subnet"):
        subnets_by_vpc.setdefault(subnet.vpc, []).append(subnet)
    for vpc in arch.of_type("vpc"):
        if vpc.name in covered:
            continue
        subnets = subnets_by_vpc.get(vpc.name, [])
        logged = [s for s in subnets if s.name in covered]
        if not logged:
            where = f" or on any of its {len(subnets)} subnet{'s' * (len(subnets) != 1)}" if subnets else ""
            yield Violation(vpc.path("type"), f"VPC `{vpc.name}` has no flow log on it{where}")
        elif len(logged) < len(subnets):
            dark = [s.name for s in subnets if s.name not in covered]
            yield Violation(vpc.path("type"), f"VPC `{vpc.name}` has flow logs on {len(logged)} of {len(subnets)} "
                                              f"subnets; not on {', '.join(f'`{n}`' for n in dark[:5])}",
                            severity="low")


# -- hygiene a reviewer also checks -------------------------------------------------------

def route_target_vpcs(arch, target):
    """The VPCs a route target can serve: its own, or a peering connection's two ends; None when unknown."""
    if target.type == "vpc_peering":
        return {target.requester, target.accepter}
    if target.type in ("transit_gateway", "vpn_gateway", "local_gateway"):
        return None  # attached through their own resources
    vpc = arch.vpc_of(target)
    return {vpc.name} if vpc is not None else None


@rule("REL122", severity="high",
      title="Route tables, network ACLs, route targets and security groups belong to the VPC that uses them",
      notes="네트워크 > 라우팅 테이블",
      facts=[facts.NACLS_PER_SUBNET, facts.IGW_PER_VPC, facts.VPC_PEERING_TRANSITIVE, facts.SG_VPC_ASSOCIATIONS])
def network_vpc_mismatch(arch):
    """Route tables, network ACLs and security groups are VPC resources: a
    subnet can only be associated with a route table and a network ACL of its
    own VPC, a route can only point at a gateway, NAT gateway, endpoint or ENI
    of that VPC (or at a peering connection that VPC is part of, since peering
    is one-to-one), and an instance can only use security groups of its VPC
    or groups associated with its VPC (since 2024 a security group can be
    associated with other VPCs of the same Region: `vpc_associations`). A
    reference across VPCs cannot be deployed, and usually means the design
    copied a name from another environment.

    Fix: point the reference at the resource of the same VPC (create one per
    VPC), move the resource into the VPC it is meant to serve, or associate
    the security group with the VPC (same Region only).
    """
    for subnet in arch.of_type("subnet"):
        for key in ("route_table", "network_acl"):
            other = arch.get(subnet.get(key))
            vpc = other.get("vpc") if other is not None else None
            if vpc and vpc != subnet.vpc:
                yield Violation(subnet.path(key), f"subnet `{subnet.name}` in VPC `{subnet.vpc}` uses "
                                                  f"{key.replace('_', ' ')} `{other.name}` of VPC `{vpc}`")
    for table in arch.of_type("route_table"):
        for i, route in enumerate(table.routes or ()):
            target = arch.get(route.get("target"))
            if target is None:
                continue
            vpcs = route_target_vpcs(arch, target)
            if vpcs and table.vpc not in vpcs:
                owner = (f"a peering connection between `{target.requester}` and `{target.accepter}`"
                         if target.type == "vpc_peering" else f"in VPC `{next(iter(vpcs))}`")
                yield Violation(table.path("routes", i, "target"),
                                f"route table `{table.name}` of VPC `{table.vpc}` routes {route.get('destination')} "
                                f"to `{target.name}`, {owner}")
    for resource in arch.resources.values():
        groups = resource.get("security_groups")
        if not groups or resource.type == "security_group":
            continue
        vpc = arch.vpc_of(resource)
        if vpc is None:
            continue
        for i, group in enumerate(arch.all(groups)):
            home = group.get("vpc")
            if not home or home == vpc.name:
                continue
            associated = vpc.name in (group.get("vpc_associations") or ())
            if associated and len({arch.region_of(vpc), arch.region_of(group)} - {None}) <= 1:
                continue
            why = (f", associated with it across Regions ({arch.region_of(group)}, {arch.region_of(vpc)}), which only "
                   "works within one Region" if associated else ", not associated with it")
            yield Violation(resource.path("security_groups", i),
                            f"`{resource.name}` in VPC `{vpc.name}` uses security group `{group.name}` of VPC "
                            f"`{home}`{why}")


@rule("SEC123", severity="medium",
      title="The default security group has no rules and no members",
      notes="네트워크 > 보안그룹", best_practice="SEC05-BP02",
      facts=[facts.SG_NEW_DEFAULTS, facts.SG_STATEFUL])
def default_security_group(arch):
    """Every VPC has a default security group that cannot be deleted, and
    anything launched without a group lands in it. Unlike a new group (no
    inbound, all outbound), the default group also lets its members reach
    each other on every port, so unrelated resources that fall into it can
    talk freely. The CIS AWS Foundations Benchmark and Security Hub (EC2.2)
    ask that it allow no traffic, so that a forgotten group fails closed.

    Fix: remove every rule from the default security group and give each
    resource a purpose-made group (`security_groups:`).
    """
    defaults = {g.name: g for g in arch.of_type("security_group") if g.default}
    for group in defaults.values():
        for direction in ("ingress", "egress"):
            if group.get(direction):
                yield Violation(group.path(direction), f"default security group `{group.name}` has "
                                                       f"{len(group.get(direction))} {direction} rule"
                                                       f"{'s' * (len(group.get(direction)) != 1)}; it should "
                                                       "allow nothing")
    if not defaults:
        return
    for resource in arch.resources.values():
        for i, name in enumerate(resource.get("security_groups") or ()):
            if name in defaults:
                yield Violation(resource.path("security_groups", i),
                                f"`{resource.name}` uses the default security group `{name}`; give it its own group")


@rule("REL124", severity="high",
      title="A custom network ACL in use has rules",
      notes="네트워크 > 네트워크 액세스 제어 목록(ACL)",
      facts=[facts.NACL_DEFAULT_ALLOWS_ALL, facts.NACLS_PER_SUBNET])
def custom_nacl_denies_all(arch):
    """The default network ACL allows all traffic, but a new custom network
    ACL denies everything in both directions until rules are added. The notes
    describe only the default ACL ("기본은 모든 인/아웃 모두 열려있지만"). A
    subnet associated with a custom ACL that has no rules is cut off:
    nothing gets in or out, including health checks and NAT traffic.

    Fix: add the inbound and outbound rules the subnet needs (with the
    ephemeral ports for return traffic), or associate the subnet with the
    default ACL and filter with security groups.
    """
    users: dict[str, list] = {}
    for subnet in arch.of_type("subnet"):
        if subnet.network_acl:
            users.setdefault(subnet.network_acl, []).append(subnet.name)
    for acl in arch.of_type("network_acl"):
        if acl.default or acl.name not in users or acl.get("inbound") or acl.get("outbound"):
            continue
        names = users[acl.name]
        yield Violation(acl.path("type"), f"custom network ACL `{acl.name}` has no rules, so it denies all traffic "
                                          f"in and out of subnet{'s' * (len(names) > 1)} "
                                          f"{', '.join(f'`{n}`' for n in names[:5])}")


@rule("REL125", severity="medium",
      title="The design fits the default VPC quotas, or plans their increase",
      notes="네트워크", best_practice="REL01-BP01",
      facts=[facts.VPCS_PER_REGION, facts.IGWS_PER_REGION, facts.SUBNETS_PER_VPC, facts.NACLS_PER_VPC,
             facts.SGS_PER_REGION])
def vpc_quotas(arch):
    """VPC resources have default quotas per account and Region: 5 VPCs (and
    so 5 internet gateways), 200 subnets and 200 network ACLs per VPC, 2,500
    security groups. All of these can be raised, but a deployment that hits
    one fails halfway, so a design that needs more should raise them first.

    Resources are grouped by their `account` and Region; resources without
    a known Region are not counted against a per-Region quota.

    Fix: request the increases in Service Quotas before deploying, or
    consolidate (shared VPCs, fewer and broader security groups).
    """
    def scope(resource):
        vpc = arch.vpc_of(resource)
        account = resource.get("account") or (vpc.get("account") if vpc is not None else None)
        return account or "", arch.region_of(resource) or ""

    def where(key):
        account, region = key
        return f"account `{account}` in {region}" if account else region

    per_region = (("vpc", facts.VPCS_PER_REGION, "VPCs"), ("internet_gateway", facts.IGWS_PER_REGION,
                                                          "internet gateways"),
                  ("security_group", facts.SGS_PER_REGION, "security groups"))
    for kind, fact, label in per_region:
        groups: dict[tuple, list] = {}
        for resource in arch.of_type(kind):
            key = scope(resource)
            if key[1]:  # resources in an unknown Region may be spread over several
                groups.setdefault(key, []).append(resource)
        for key, members in groups.items():
            if len(members) > fact.value:
                extra = members[fact.value]
                yield Violation(extra.path("type"), f"{len(members)} {label} in {where(key)}; the default quota is "
                                                    f"{fact.value} per Region (adjustable)")
    for kind, fact, label in (("subnet", facts.SUBNETS_PER_VPC, "subnets"),
                              ("network_acl", facts.NACLS_PER_VPC, "network ACLs")):
        groups = {}
        for resource in arch.of_type(kind):
            if resource.get("vpc"):
                groups.setdefault(resource.get("vpc"), []).append(resource)
        for vpc, members in groups.items():
            if len(members) > fact.value:
                extra = members[fact.value]
                yield Violation(extra.path("type"), f"VPC `{vpc}` has {len(members)} {label}; the default quota is "
                                                    f"{fact.value} per VPC (adjustable)")
