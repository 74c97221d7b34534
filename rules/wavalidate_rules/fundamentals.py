"""Architecting fundamentals: Regions, AZs, Local Zones, edge locations (notes: 아키텍팅 기본 사항)."""
from __future__ import annotations

from wavalidate.api import Violation, facts, region_of_zone, rule
from wavalidate_rules._shared import availability_need, cloudfront_fronted

# Tiers that must not sit in one AZ, and the tier names that count as each.
TIER_GROUP = {"web": "compute", "app": "compute", "compute": "compute", "load_balancer": "load_balancer",
              "data": "data", "cache": "cache"}

def geo_of_region(region):
    """'eu-west-1' -> 'europe'; 'ap-southeast-2' -> 'oceania'; unknown prefixes give None."""
    if not region:
        return None
    if region in facts.REGION_OCEANIA.value:
        return "oceania"
    return facts.REGION_GEOGRAPHY.value.get(region.split("-")[0])


def zonal_azs(arch, resource):
    """The AZs a zonal resource runs in; None for resources that span AZs by themselves.

    Regional services (DynamoDB, S3, Lambda outside a VPC, EFS Standard) and
    resources that declare a Multi-AZ deployment are not one failure domain.
    A Single-AZ RDS instance without an `az` is left to REL001.
    """
    if resource.type == "rds_instance":
        if resource.multi_az or resource.deployment in ("multi_az_instance", "multi_az_cluster"):
            return None
        return {resource.az} if resource.az else None
    if resource.type == "elasticache_cluster" and resource.multi_az:
        return None
    if resource.type == "efs_file_system" and resource.storage_class != "one_zone":
        return None
    if resource.type == "fsx_file_system" and resource.deployment == "multi_az":
        return None
    zones = arch.azs_of(resource)
    return zones or None


def placement_path(resource):
    for key in ("az", "subnets", "subnet", "instances"):
        if resource.has(key):
            return resource.path(key)
    return resource.path("type")


@rule("REL020", severity="high",
      title="Every tier of a highly available workload spans more than one AZ",
      notes="아키텍팅 기본 사항 > 가용영역", best_practice="REL10-BP01",
      facts=[facts.REGION_MIN_AZS, facts.ASG_REPLACES_UNHEALTHY])
def single_az_tier(arch):
    """An Availability Zone is one or more data centres with independent power
    and networking, and it is the unit that fails. Every Region has at least
    three AZs, so a workload with a high availability target (99.9 % or more,
    or `critical`) should run each tier in at least two: when all the
    instances of a tier, all its load balancer nodes or all its data stores
    are in one AZ, the loss of that AZ takes the whole workload down however
    many copies run inside it.

    The rule groups resources by tier (compute, load balancer, data, cache;
    a `tier:` written on the resource, such as `web` or `app`, is its own
    tier) and by role (`workload`), and judges each group by itself: nine
    coordination nodes in one AZ are not saved by a multi-AZ Auto Scaling
    group that does something else. It looks at the zonal resources:
    resources that are Multi-AZ by themselves (Multi-AZ RDS, Regional
    services, EFS Standard) do not count, and a Single-AZ RDS instance is
    REL001's.

    Fix: spread the tier over subnets in two or more AZs (an Auto Scaling group
    over several subnets, a load balancer with a subnet per AZ, Multi-AZ data
    stores), or state a lower availability target for the tier's resources.
    """
    tiers: dict[tuple, list] = {}
    for resource in arch.resources.values():
        group = TIER_GROUP.get(resource.tier or "")
        if group is None or not arch.needs_high_availability(resource):
            continue
        zones = zonal_azs(arch, resource)
        if zones is not None:
            role = str(resource.get("workload") or "").strip().lower()
            tiers.setdefault((group, resource.get("tier") or group, role), []).append((resource, zones))
    for (_group, tier, role), members in tiers.items():
        zones = set().union(*(z for _, z in members))
        if len(zones) != 1:
            continue
        zone = next(iter(zones))
        first = members[0][0]
        names = ", ".join(f"`{r.name}`" for r, _ in members)
        need = availability_need(arch, first)
        what = f"the {role} nodes" if role else f"the {tier.replace('_', ' ')} tier"
        yield Violation(placement_path(first),
                        f"{what} ({names}) run{'s' if not role else ''} only in {zone}, but the workload "
                        f"needs {need}; losing {zone} takes {'them' if role else 'the tier'} down",
                        related=tuple(placement_path(r) for r, _ in members[1:]))


def declared_region(arch, resource):
    """(region, path) when the resource itself names its Region or zone; inherited placement is not repeated."""
    if resource.get("region"):
        return resource.get("region"), resource.path("region")
    if resource.get("az"):
        return region_of_zone(resource.get("az")), resource.path("az")
    return None, None


def region_lists(resource):
    """(region, path) of the other Regions a resource places data in (replicas, global tables, copies)."""
    for key in ("replica_regions", "global_regions"):
        for i, region in enumerate(resource.get(key) or ()):
            yield region, resource.path(key, i)
    if resource.get("peer_region"):
        yield resource.get("peer_region"), resource.path("peer_region")
    if resource.type == "backup_plan":
        for i, item in enumerate(resource.get("rules") or ()):
            if item.get("copy_to_region"):
                yield item["copy_to_region"], resource.path("rules", i, "copy_to_region")


@rule("SEC021", severity="high",
      title="Resources run only in the Regions the requirements allow",
      notes="아키텍팅 기본 사항 > 리전 선택에 영향을 미치는 요인",
      facts=[facts.REGION_MIN_AZS])
def region_not_allowed(arch):
    """Governance and data residency come first among the factors that decide a
    Region (the notes list governance, latency, service availability and
    cost). When the requirements name `allowed_regions`, a resource, a replica,
    a backup copy, the DR primary Region or a Region listed under `regions:`
    outside that list puts data where the organisation said it must not be
    (REL901 checks the DR recovery Region).

    A resource is checked where it names its own `region` or `az`; resources
    that inherit their placement from a VPC or subnet are covered by it.

    Fix: move the resource (or the replica, copy or recovery site) to an
    allowed Region, or, if the list is out of date, change `allowed_regions`
    after the data owner agrees.
    """
    allowed_all = arch.requirements.get("allowed_regions")
    if allowed_all:
        for region in arch.regions:
            if region not in allowed_all:
                yield Violation(("regions", region), f"Region {region} is not in allowed_regions "
                                f"({', '.join(allowed_all)})", on_key=True)
        region = arch.dr.get("primary_region")  # the recovery Region is REL901's
        if region and region not in allowed_all:
            yield Violation(("dr", "primary_region"), f"the DR primary Region {region} is not in "
                            f"allowed_regions ({', '.join(allowed_all)})")
    for resource in arch.resources.values():
        allowed = arch.requirements_for(resource).get("allowed_regions")
        if not allowed:
            continue
        region, path = declared_region(arch, resource)
        if region and region not in allowed:
            yield Violation(path, f"`{resource.name}` runs in {region}, which is not in allowed_regions "
                                  f"({', '.join(allowed)})")
        for other, path in region_lists(resource):
            if other not in allowed:
                yield Violation(path, f"`{resource.name}` places data in {other}, which is not in allowed_regions "
                                      f"({', '.join(allowed)})")


@rule("REL022", severity="high",
      title="Availability Zones, Local Zones and subnets belong to their Region",
      notes="아키텍팅 기본 사항 > 가용영역",
      facts=[facts.REGION_MIN_AZS, facts.LOCAL_ZONES])
def zone_outside_region(arch):
    """An AZ belongs to exactly one Region, and a Local Zone or Wavelength Zone
    is an extension of one parent Region (us-west-2-lax-1a extends
    us-west-2). A VPC lives in one Region and its subnets can only use that
    Region's AZs and zones. A zone listed under another Region, a subnet in an
    AZ of a different Region than its VPC, or a resource whose `az` and
    `region` disagree cannot be deployed as written, and usually means the
    design mixed up two sites.

    Fix: correct the zone name or the Region; to use another Region, give it
    its own VPC and connect the two (peering, Transit Gateway peering).
    """
    for region, body in arch.regions.items():
        for key in ("azs", "local_zones", "wavelength_zones"):
            for i, zone in enumerate((body or {}).get(key) or ()):
                if region_of_zone(zone) != region:
                    yield Violation(("regions", region, key, i),
                                    f"{zone} is listed under Region {region} but belongs to {region_of_zone(zone)}")
    for resource in arch.resources.values():
        own_region = resource.get("region")
        own_zone = resource.get("az")
        if own_region and own_zone and region_of_zone(own_zone) != own_region:
            yield Violation(resource.path("az"), f"`{resource.name}` is in {own_zone}, an AZ of "
                                                 f"{region_of_zone(own_zone)}, but declares region {own_region}")
            continue
        if resource.type == "subnet" and own_zone:
            vpc = arch.get(resource.vpc)
            vpc_region = arch.region_of(vpc) if vpc is not None and vpc.get("region") else None
            if vpc_region and region_of_zone(own_zone) != vpc_region:
                yield Violation(resource.path("az"),
                                f"subnet `{resource.name}` is in {own_zone} ({region_of_zone(own_zone)}), but its "
                                f"VPC `{vpc.name}` is in {vpc_region}; a subnet must be in an AZ of its VPC's Region")
            continue
        if resource.type == "aurora_cluster":
            region = own_region or arch.region_of(resource)
            for i, instance in enumerate(resource.get("instances") or ()):
                zone = instance.get("az")
                if region and zone and region_of_zone(zone) != region:
                    yield Violation(resource.path("instances", i, "az"),
                                    f"Aurora instance `{instance.get('name')}` of `{resource.name}` is in {zone}, "
                                    f"outside the cluster's Region {region}")
        if own_region:
            for subnet in arch.subnets_of(resource):
                zone = subnet.get("az")
                if zone and region_of_zone(zone) != own_region:
                    yield Violation(resource.path("region"),
                                    f"`{resource.name}` declares region {own_region} but uses subnet "
                                    f"`{subnet.name}` in {zone} ({region_of_zone(zone)})")
                    break


def edge_fronted(arch):
    """Names of resources behind a CloudFront distribution or a Global Accelerator."""
    fronted = set(cloudfront_fronted(arch))
    for accelerator in arch.of_type("global_accelerator"):
        fronted.update(accelerator.endpoints or ())
    return fronted


def serves_users(resource) -> bool:
    """Resources that answer end users directly from a Region."""
    if resource.type == "load_balancer":
        return resource.scheme == "internet_facing"
    if resource.type == "api_gateway":
        return bool(resource.public) and resource.endpoint_type != "edge" and resource.endpoint_type != "private"
    if resource.type == "s3_bucket":
        return bool(resource.website)
    if resource.type == "ec2_instance":
        return bool(resource.internet_facing)
    return False


@rule("PERF023", severity="medium",
      title="Users far from the Region are served through the edge when latency matters",
      notes="아키텍팅 기본 사항 > Edge location", best_practice="PERF04-BP06",
      facts=[facts.EDGE_SERVICES, facts.REGION_GEOGRAPHY, facts.REGION_OCEANIA])
def distant_users_without_edge(arch):
    """Latency is one of the factors that decide a Region. When the requirements
    state a latency target and users on another continent than every Region
    the workload serves from, each request crosses an ocean. CloudFront caches
    content at edge locations close to the users (the notes' "edge location";
    AWS counts 400+ of them, not the notes' 300) and carries the rest over the
    AWS backbone; Global Accelerator does the same for non-HTTP traffic.
    Local Zones bring compute near users but serve a metro area, not a
    continent.

    The rule maps each Region to a geography by its prefix (us-/ca-/mx- North
    America, sa- South America, eu- Europe, me-/il- Middle East, af- Africa,
    ap- Asia Pacific, with Sydney, Melbourne and New Zealand as Oceania) and
    flags every internet-facing endpoint (load balancer, public Regional API,
    website bucket, internet-facing instance) that no distribution or
    accelerator fronts, when a user location is covered by no Region in use.

    Fix: put a CloudFront distribution in front of the endpoint (or a Global
    Accelerator for TCP/UDP), or serve the distant users from a Region near
    them with latency-based routing.
    """
    users = arch.requirements.get("user_locations")
    if arch.requirements.get("latency_ms") is None or not users:
        return
    endpoints = [r for r in arch.resources.values() if serves_users(r)]
    served = {geo_of_region(arch.region_of(r)) for r in endpoints} - {None}
    if not served:
        return
    far = [geo for geo in users if geo not in served]
    if not far:
        return
    fronted = edge_fronted(arch)
    target = arch.requirements.get("latency_ms")
    for endpoint in endpoints:
        region = arch.region_of(endpoint)
        if endpoint.name in fronted or geo_of_region(region) is None:
            continue
        distant = ", ".join(g.replace("_", " ") for g in far)
        home = geo_of_region(region).replace("_", " ")
        yield Violation(endpoint.path("type"),
                        f"`{endpoint.name}` serves users in {distant} from {region} ({home}) with a {target:g} ms "
                        "latency target, no Region near them and no CloudFront distribution or Global Accelerator "
                        "in front")


@rule("REL024", severity="high",
      title="A resource's AZ is the AZ of one of its subnets",
      notes="아키텍팅 기본 사항 > 가용영역", facts=[facts.SUBNET_ONE_AZ])
def az_matches_subnet(arch):
    """A subnet lives in exactly one AZ, and whatever is launched into it runs
    there. A resource that names an `az` outside its subnets' AZs (an
    instance, an ENI, an RDS instance or an Aurora instance whose AZ its DB
    subnet group does not cover) cannot be created as written, and any AZ
    reasoning built on the declared `az` (spreading, failover, same-AZ
    attachments) is wrong.

    Fix: drop the redundant `az` and let the subnet decide, or pick a subnet
    in the intended AZ (for databases, add a subnet in that AZ to the subnet
    group).
    """
    for resource in arch.resources.values():
        if resource.type == "subnet":
            continue
        zones = {s.get("az"): s.name for s in arch.subnets_of(resource) if s.get("az")}
        if not zones:
            continue
        listed = ", ".join(f"`{name}` ({zone})" for zone, name in sorted(zones.items()))
        own = resource.get("az")
        if own and own not in zones:
            yield Violation(resource.path("az"), f"`{resource.name}` declares {own}, outside the AZs of its "
                                                 f"subnets: {listed}")
        if resource.type == "aurora_cluster":
            for i, instance in enumerate(resource.get("instances") or ()):
                zone = instance.get("az")
                if zone and zone not in zones:
                    yield Violation(resource.path("instances", i, "az"),
                                    f"Aurora instance `{instance.get('name')}` of `{resource.name}` is in {zone}, "
                                    f"which none of the cluster's subnets covers: {listed}")
