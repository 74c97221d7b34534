"""Compute: placement groups, EC2, EBS, instance store, purchase options, Auto Scaling (notes: 컴퓨팅)."""
from __future__ import annotations

import math

from wavalidate import facts
from wavalidate.api import Violation, rule


def instance_count(resource) -> int:
    """Running instances of an instance (its `count`) or an Auto Scaling group at its largest."""
    if resource.type == "auto_scaling_group":
        for key in ("max_size", "desired", "min_size"):
            if resource.get(key) is not None:
                return resource.get(key)
        return 1
    return resource.count


def placement_group_of(arch, resource):
    group = arch.get(resource.placement_group)
    if group is None and resource.type == "auto_scaling_group":
        template = arch.get(resource.launch_template)
        group = arch.get(template.placement_group) if template is not None else None
    return group


def members(arch, group):
    """The instances and Auto Scaling groups placed in a placement group."""
    return [r for r in arch.of_type("ec2_instance", "auto_scaling_group") if placement_group_of(arch, r) is group]


def per_az(arch, resource) -> dict[str, int]:
    """Instances per AZ; an Auto Scaling group balances its instances over its AZs."""
    zones = sorted(arch.azs_of(resource))
    count = instance_count(resource)
    if not zones:
        return {}
    if resource.type == "auto_scaling_group":
        return {zone: math.ceil(count / len(zones)) for zone in zones}
    return {zones[0]: count}


@rule("REL002", "cluster-placement-availability", severity="medium",
      title="Cluster placement groups are not used where high availability is required",
      notes="컴퓨팅 > 배치 그룹 및 사용 사례", best_practice="REL10-BP01",
      facts=[facts.CLUSTER_PLACEMENT_ONE_AZ])
def cluster_placement_availability(arch):
    """A cluster placement group packs instances close together inside one AZ
    for low latency and high throughput. The notes warn that this makes the
    group vulnerable to failures: one AZ (and closely placed hardware) is one
    failure domain. AWS documents the single-AZ limit; the correlated-failure
    risk is our reading of it, so this is a warning.

    Fix: keep cluster groups for tightly coupled HPC jobs that can be rerun,
    and run highly available tiers in a spread or partition group, or across
    AZs with an Auto Scaling group.
    """
    for group in arch.of_type("placement_group"):
        if group.strategy != "cluster":
            continue
        for member in members(arch, group):
            if arch.needs_high_availability(member):
                yield Violation(member.path("placement_group"),
                                f"`{member.name}` needs high availability but sits in cluster placement group "
                                f"`{group.name}`, which keeps every instance in one AZ")


@rule("REL003", "cluster-placement-one-az", severity="high",
      title="A cluster placement group stays in one AZ",
      notes="컴퓨팅 > 배치 그룹 및 사용 사례", facts=[facts.CLUSTER_PLACEMENT_ONE_AZ])
def cluster_placement_one_az(arch):
    """A cluster placement group cannot span Availability Zones; a launch
    into a second AZ fails.

    Fix: put the group's instances in subnets of one AZ, or use a spread or
    partition group when the instances must span AZs.
    """
    for group in arch.of_type("placement_group"):
        if group.strategy != "cluster":
            continue
        zones: dict[str, str] = {}
        for member in members(arch, group):
            for zone in sorted(arch.azs_of(member)):
                zones.setdefault(zone, member.name)
        if len(zones) > 1:
            listed = ", ".join(f"{zone} ({name})" for zone, name in sorted(zones.items()))
            yield Violation(group.path("strategy"),
                            f"cluster placement group `{group.name}` spans {len(zones)} AZs: {listed}; "
                            "a cluster group is limited to one AZ")


@rule("REL004", "spread-placement-limit", severity="high",
      title="A spread placement group has at most 7 running instances per AZ",
      notes="컴퓨팅 > 배치 그룹 및 사용 사례", facts=[facts.SPREAD_MAX_INSTANCES_PER_AZ])
def spread_placement_limit(arch):
    """A rack-level spread placement group puts each instance on distinct
    hardware, and allows at most seven running instances per AZ per group.
    Launches beyond that fail, so a scaling event fails exactly when it is
    needed.

    Fix: split the instances over several spread groups, spread them over
    more AZs, or use a partition placement group for large fleets.
    """
    limit = facts.SPREAD_MAX_INSTANCES_PER_AZ.value
    for group in arch.of_type("placement_group"):
        if group.strategy != "spread" or group.spread_level == "host":
            continue
        totals: dict[str, int] = {}
        for member in members(arch, group):
            for zone, count in per_az(arch, member).items():
                totals[zone] = totals.get(zone, 0) + count
        over = {zone: count for zone, count in sorted(totals.items()) if count > limit}
        if over:
            listed = ", ".join(f"{count} in {zone}" for zone, count in over.items())
            yield Violation(group.path("strategy"),
                            f"spread placement group `{group.name}` would run {listed}; "
                            f"a spread group allows {limit} running instances per AZ")


@rule("REL005", "partition-placement-limit", severity="high",
      title="A partition placement group has at most 7 partitions per AZ",
      notes="컴퓨팅 > 배치 그룹 및 사용 사례", facts=[facts.PARTITION_MAX_PER_AZ])
def partition_placement_limit(arch):
    """A partition placement group can have at most seven partitions per
    Availability Zone; AWS rejects more.

    Fix: use at most seven partitions, and spread the group over several AZs
    when the replicas need more separate fault domains.
    """
    limit = facts.PARTITION_MAX_PER_AZ.value
    for group in arch.of_type("placement_group"):
        if group.strategy == "partition" and group.partitions is not None and group.partitions > limit:
            yield Violation(group.path("partitions"),
                            f"partition placement group `{group.name}` has {group.partitions} partitions; "
                            f"the limit is {limit} per AZ")
