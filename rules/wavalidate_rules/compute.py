"""Compute: placement groups, EC2, EBS, instance store, purchase options, Auto Scaling (notes: 컴퓨팅)."""
from __future__ import annotations

import math
import re

from wavalidate.api import Violation, facts, rule
from wavalidate_rules._shared import (
    computes,
    instance_count,
    org_backup_note,
    placement_path,
    plan_members,
    single_zone,
)


def placement_group_of(arch, resource):
    group = arch.get(resource.placement_group)
    if group is None and resource.type == "auto_scaling_group":
        template = arch.get(resource.launch_template)
        group = arch.get(template.placement_group) if template is not None else None
    return group


def members_by_group(arch) -> dict:
    """{placement group name: the instances and Auto Scaling groups placed in it}, built in one pass."""
    index: dict = {}
    for member in computes(arch):
        group = placement_group_of(arch, member)
        if group is not None:
            index.setdefault(group.name, []).append(member)
    return index


def per_az(arch, resource) -> dict[str, int]:
    """Instances per AZ; an Auto Scaling group balances its instances over its AZs."""
    zones = sorted(arch.azs_of(resource))
    count = instance_count(resource)
    if not zones:
        return {}
    if resource.type == "auto_scaling_group":
        return {zone: math.ceil(count / len(zones)) for zone in zones}
    return {zones[0]: count}


@rule("REL002", severity="medium",
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
    by_group = members_by_group(arch)
    for group in arch.of_type("placement_group"):
        if group.strategy != "cluster":
            continue
        for member in by_group.get(group.name, ()):
            if arch.needs_high_availability(member):
                yield Violation(member.path("placement_group"),
                                f"`{member.name}` needs high availability but sits in cluster placement group "
                                f"`{group.name}`, which keeps every instance in one AZ")


@rule("REL003", severity="high",
      title="A cluster placement group stays in one AZ",
      notes="컴퓨팅 > 배치 그룹 및 사용 사례", facts=[facts.CLUSTER_PLACEMENT_ONE_AZ])
def cluster_placement_one_az(arch):
    """A cluster placement group cannot span Availability Zones; a launch
    into a second AZ fails.

    Fix: put the group's instances in subnets of one AZ, or use a spread or
    partition group when the instances must span AZs.
    """
    by_group = members_by_group(arch)
    for group in arch.of_type("placement_group"):
        if group.strategy != "cluster":
            continue
        zones: dict[str, str] = {}
        for member in by_group.get(group.name, ()):
            for zone in sorted(arch.azs_of(member)):
                zones.setdefault(zone, member.name)
        if len(zones) > 1:
            listed = ", ".join(f"{zone} ({name})" for zone, name in sorted(zones.items()))
            yield Violation(group.path("strategy"),
                            f"cluster placement group `{group.name}` spans {len(zones)} AZs: {listed}; "
                            "a cluster group is limited to one AZ")


@rule("REL004", severity="high",
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
    by_group = members_by_group(arch)
    for group in arch.of_type("placement_group"):
        if group.strategy != "spread" or group.spread_level == "host":
            continue
        totals: dict[str, int] = {}
        for member in by_group.get(group.name, ()):
            for zone, count in per_az(arch, member).items():
                totals[zone] = totals.get(zone, 0) + count
        over = {zone: count for zone, count in sorted(totals.items()) if count > limit}
        if over:
            listed = ", ".join(f"{count} in {zone}" for zone, count in over.items())
            yield Violation(group.path("strategy"),
                            f"spread placement group `{group.name}` would run {listed}; "
                            f"a spread group allows {limit} running instances per AZ")


@rule("REL005", severity="high",
      title=f"A partition placement group has at most {facts.PARTITION_MAX_PER_AZ.value} partitions per AZ",
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


# -- placement groups beyond the core rules ------------------------------------



def setting(arch, resource, key):
    """(value, owner) of a compute field: the resource's own, else its launch template's, else the default."""
    if resource.has(key):
        return resource.get(key), resource
    if resource.type == "auto_scaling_group":
        template = arch.get(resource.launch_template)
        if template is not None and template.has(key):
            return template.get(key), template
    return getattr(resource, key), None


def setting_path(arch, resource, key):
    """Where to point at a compute field: where it is set, else the resource's own key."""
    _, owner = setting(arch, resource, key)
    return (owner or resource).path(key)


def cluster_members(arch) -> dict:
    """{cluster placement group name: (the group, its members)}, built in one pass."""
    groups = ((arch.get(name), group_members) for name, group_members in members_by_group(arch).items())
    return {group.name: (group, group_members) for group, group_members in groups if group.strategy == "cluster"}


@rule("REL200", severity="high",
      title="Cluster placement groups hold no burstable or Mac instances",
      notes="컴퓨팅 > 배치 그룹 및 사용 사례",
      facts=[facts.CLUSTER_PLACEMENT_UNSUPPORTED_FAMILIES])
def cluster_placement_instance_types(arch):
    """AWS does not support burstable performance instances (T2, and by our
    reading the other burstable families T3, T3a and T4g) or Mac1 instances
    in a cluster placement group, so the launch fails. They would gain
    nothing from it anyway: a burstable instance's network and CPU are not
    sized for tightly coupled work.

    Fix: run the member on a non-burstable type of the cluster's family, or
    take it out of the cluster group (a license server or a scheduler rarely
    needs the cluster's network).
    """
    for group, group_members in cluster_members(arch).values():
        for member in group_members:
            kind, _ = setting(arch, member, "instance_type")
            if not isinstance(kind, str):
                continue
            family = kind.split(".")[0].lower()
            if family in facts.CLUSTER_PLACEMENT_UNSUPPORTED_FAMILIES.value:
                what = "Mac" if family.startswith("mac") else "burstable"
                yield Violation(setting_path(arch, member, "instance_type"),
                                f"`{member.name}` runs {what} type {kind} in cluster placement group "
                                f"`{group.name}`; AWS does not launch {what} instances in a cluster group")


@rule("PERF201", severity="medium",
      title="Tightly coupled HPC nodes run in a cluster placement group",
      notes="컴퓨팅 > 배치 그룹 및 사용 사례", best_practice="PERF04-BP06",
      facts=[facts.CLUSTER_PLACEMENT_FLOW_GBPS, facts.CLUSTER_PLACEMENT_ONE_AZ])
def low_latency_placement(arch):
    """Tightly coupled nodes (MPI jobs, `workload: hpc`, or a declared need
    for `low_latency_network`) get the lowest latency and the highest
    per-flow bandwidth in a cluster placement group: up to 10 Gbps per flow
    inside the group against 5 Gbps outside it. A spread or partition group
    does the opposite: it places the nodes on distinct racks, possibly in
    other AZs. Without any group, several nodes land wherever capacity is.

    This is a trade-off, not an error: a cluster group is one AZ and close
    hardware. Members that also need high availability are left to REL002.

    Fix: put the tightly coupled nodes in a `strategy: cluster` placement
    group in one AZ, launched together in one request, and keep the highly
    available services (scheduler, license server) in a spread group.
    """
    for member in computes(arch):
        wanted = (setting(arch, member, "workload")[0] == "hpc"
                  or arch.requirements_for(member).get("low_latency_network"))
        if not wanted or arch.needs_high_availability(member):
            continue
        group = placement_group_of(arch, member)
        if group is None:
            if instance_count(member) > 1:
                yield Violation(member.path("placement_group"),
                                f"`{member.name}` runs {instance_count(member)} tightly coupled nodes without a "
                                "placement group; a cluster group gives the lowest latency and up to "
                                f"{facts.CLUSTER_PLACEMENT_FLOW_GBPS.value:g} Gbps per flow", severity="low")
        elif group.strategy in ("spread", "partition"):
            yield Violation(setting_path(arch, member, "placement_group"),
                            f"`{member.name}` needs a low-latency network but runs in {group.strategy} "
                            f"placement group `{group.name}`, which spreads it over distinct racks; use a "
                            "cluster group")


# Roles of a replicated store that hold no replicas of its data (they coordinate or keep metadata).
NO_REPLICA_ROLES = ("namenode", "name-node", "name node", "journalnode", "hmaster", "master", "resourcemanager",
                    "zookeeper", "controller", "coordinator")
# Spread over this many AZs, a store with rack awareness by AZ keeps three replicas apart without a placement group.
REPLICA_AZS = 3


def partition_workload(arch, member):
    """The replicated store a compute resource holds replicas of ("kafka", "hdfs", ...), or None."""
    text = str(setting(arch, member, "workload")[0] or "").lower()
    if not text or any(role in text or role in member.name.lower() for role in NO_REPLICA_ROLES):
        return None
    words = text.replace("-", " ").replace("_", " ").replace("/", " ").split()
    return next((w for w in words if w in facts.PARTITION_WORKLOADS.value), None)


@rule("REL202", severity="medium",
      title="Replicated stores (Hadoop, Cassandra, Kafka) keep replicas in separate partitions",
      notes="컴퓨팅 > 배치 그룹 및 사용 사례",
      facts=[facts.PARTITION_WORKLOADS, facts.PARTITION_MAX_PER_AZ])
def distributed_store_partitions(arch):
    """A partition placement group splits instances into partitions that
    share no racks, and exposes the partition number so Hadoop (HDFS,
    HBase), Cassandra and Kafka (the workloads AWS names) can place replicas
    in different partitions. Without a partition group (or with a cluster
    group) several replicas can share a rack, so one rack failure loses all
    copies of a block. Pinning every node of a store to the same `partition`
    defeats the group the same way. A spread group also separates racks and
    passes.

    Only the nodes that hold replicas count: a NameNode, HMaster, ZooKeeper
    or controller holds none (its own redundancy is a matter of AZs, see
    REL020). Nodes spread over three or more AZs pass too: with rack
    awareness set to the AZ, as is usual on AWS, three replicas land in
    three AZs.

    Fix: run the store's nodes in a `strategy: partition` placement group and
    let the instances spread over the partitions (or pin them to different
    `partition` numbers), and configure the store's rack awareness with the
    partition number; or spread them over three AZs with rack awareness by
    AZ.
    """
    stores: dict[str, list] = {}
    for member in computes(arch):
        workload = partition_workload(arch, member)
        if workload is not None:
            stores.setdefault(workload, []).append(member)
    for workload, nodes in stores.items():
        if sum(instance_count(n) for n in nodes) < 2:
            continue
        pinned: dict[str, dict] = {}
        for node in nodes:
            group = placement_group_of(arch, node)
            if group is None and len(arch.azs_of(node)) >= REPLICA_AZS:
                continue
            if group is None or group.strategy == "cluster":
                where = "no placement group" if group is None else f"cluster placement group `{group.name}`"
                yield Violation(setting_path(arch, node, "placement_group"),
                                f"{workload} nodes `{node.name}` run in {where}, so replicas can share a rack; "
                                "use a partition placement group")
            elif group.strategy == "partition":
                entry = pinned.setdefault(group.name, {"free": False, "parts": set(), "nodes": []})
                part = node.get("partition") if node.type == "ec2_instance" else None
                if part is None:
                    entry["free"] = True
                else:
                    entry["parts"].add(part)
                    entry["nodes"].append(node)
        for group_name, entry in pinned.items():
            count = sum(instance_count(n) for n in entry["nodes"])
            if not entry["free"] and len(entry["parts"]) == 1 and count > 1:
                first = entry["nodes"][0]
                yield Violation(first.path("partition"),
                                f"all {count} {workload} nodes in `{group_name}` are pinned to partition "
                                f"{next(iter(entry['parts']))}, so every replica shares the same racks")


@rule("REL203", severity="high",
      title="An instance's partition exists in its partition placement group",
      notes="컴퓨팅 > 배치 그룹 및 사용 사례", facts=[facts.PARTITION_MAX_PER_AZ])
def placement_partition_number(arch):
    """An instance can be launched into a given partition only of a
    partition placement group, and only into a partition the group has
    (1 to its partition count, at most seven per AZ). Anything else is
    rejected at launch.

    Fix: use a partition number from 1 to the group's `partitions`, or drop
    `partition` and let EC2 spread the instances.
    """
    for node in arch.of_type("ec2_instance"):
        if node.partition is None:
            continue
        group = arch.get(node.placement_group)
        if group is None or group.strategy != "partition":
            what = "no placement group" if group is None else f"{group.strategy} placement group `{group.name}`"
            yield Violation(node.path("partition"),
                            f"`{node.name}` asks for partition {node.partition} but runs in {what}; "
                            "partitions exist only in a partition placement group")
        elif group.partitions is not None and node.partition > group.partitions:
            yield Violation(node.path("partition"),
                            f"`{node.name}` asks for partition {node.partition}, but placement group "
                            f"`{group.name}` has {group.partitions}")


@rule("PERF204", severity="low",
      title="A cluster placement group runs one instance type",
      notes="컴퓨팅 > 배치 그룹 및 사용 사례", best_practice="PERF04-BP06",
      facts=[facts.CLUSTER_PLACEMENT_SAME_TYPE_ADVISED])
def cluster_placement_one_type(arch):
    """AWS advises launching a cluster placement group's instances with one
    instance type, in a single launch request: mixing types (or adding
    instances later) makes an insufficient-capacity error more likely,
    because all of them must fit on closely placed hardware.

    Fix: use one instance type for the group's members and launch them
    together; move differently sized helpers out of the group.
    """
    for group, group_members in cluster_members(arch).values():
        first = None
        for member in group_members:
            kind, _ = setting(arch, member, "instance_type")
            if not isinstance(kind, str):
                continue
            if first is None:
                first = (member, kind)
            elif kind != first[1]:
                yield Violation(setting_path(arch, member, "instance_type"),
                                f"`{member.name}` runs {kind} in cluster placement group `{group.name}`, "
                                f"whose `{first[0].name}` runs {first[1]}; mixed types are more likely to "
                                "hit insufficient capacity")


@rule("REL220", severity="high",
      title="Placement groups hold no Dedicated Hosts, and Dedicated Instances only where allowed",
      notes="컴퓨팅 > 배치 그룹 및 사용 사례",
      facts=[facts.PLACEMENT_GROUPS_PER_INSTANCE, facts.SPREAD_NO_DEDICATED_INSTANCES,
             facts.PARTITION_MAX_DEDICATED_INSTANCES])
def placement_group_tenancy(arch):
    """Instances on Dedicated Hosts cannot be launched into a placement
    group. Dedicated Instances (`purchase: dedicated_instance`, or any
    instance in a VPC with `tenancy: dedicated`) cannot use a rack-level
    spread group, and a partition group holding them has at most two
    partitions. Such launches fail.

    Fix: take Dedicated Host instances out of the placement group; for
    Dedicated Instances use a cluster group, a partition group of at most two
    partitions, or default tenancy.
    """
    limit = facts.PARTITION_MAX_DEDICATED_INSTANCES.value
    for member in computes(arch):
        group = placement_group_of(arch, member)
        if group is None:
            continue
        purchase = setting(arch, member, "purchase")[0]
        vpc = arch.vpc_of(member)
        dedicated = purchase == "dedicated_instance" or (vpc is not None and vpc.tenancy == "dedicated")
        at = setting_path(arch, member, "placement_group")
        if purchase == "dedicated_host":
            yield Violation(at, f"`{member.name}` runs on a Dedicated Host, which cannot be launched into "
                                f"placement group `{group.name}`")
        elif dedicated and group.strategy == "spread" and group.spread_level != "host":
            yield Violation(at, f"`{member.name}` runs Dedicated Instances in spread placement group `{group.name}`; "
                                "rack spread groups do not support Dedicated Instances")
        elif dedicated and group.strategy == "partition" and (group.partitions or 0) > limit:
            yield Violation(at, f"`{member.name}` runs Dedicated Instances in partition placement group "
                                f"`{group.name}` of {group.partitions} partitions; with Dedicated Instances a "
                                f"partition group has at most {limit}")


@rule("REL221", severity="high",
      title="Spot Instances that stop or hibernate when interrupted are not in a placement group",
      notes="컴퓨팅 > 배치 그룹 및 사용 사례",
      facts=[facts.SPOT_NO_PLACEMENT_GROUP_BEHAVIOURS, facts.SPOT_INTERRUPTION_NOTICE_S])
def spot_stop_hibernate_placement_group(arch):
    """A Spot Instance can be set to stop or hibernate instead of terminate
    when it is interrupted, but such an instance cannot be launched into a
    placement group (AWS's rules and limitations for placement groups). The
    launch fails.

    Fix: let Spot Instances in a placement group terminate on interruption
    (and keep their state elsewhere), or take the stopping or hibernating
    Spot Instances out of the group.
    """
    behaviours = facts.SPOT_NO_PLACEMENT_GROUP_BEHAVIOURS.value
    for member in computes(arch):
        group = placement_group_of(arch, member)
        if group is None:
            continue
        spot = setting(arch, member, "purchase")[0] == "spot" or (member.get("spot_percentage") or 0) > 0
        behaviour = setting(arch, member, "spot_interruption")[0]
        if spot and behaviour in behaviours:
            yield Violation(setting_path(arch, member, "spot_interruption"),
                            f"`{member.name}` runs Spot Instances set to {behaviour} on interruption in placement "
                            f"group `{group.name}`; such instances cannot launch in a placement group")


# -- EBS ------------------------------------------------------------------------

TYPE_NAMES = {"gp3": "gp3", "gp2": "gp2", "io1": "io1", "io2": "io2 Block Express", "st1": "st1", "sc1": "sc1"}


def needed_io(arch, volume) -> tuple[float, float]:
    """(IOPS, MiB/s) a volume must deliver: its own settings or the requirements, whichever is higher."""
    needs = arch.requirements_for(volume)
    iops = max(volume.iops or 0, needs.get("iops") or 0)
    throughput = max(volume.throughput or 0, needs.get("throughput") or 0)
    return iops, throughput


def gib(value: float) -> str:
    return f"{value / 1024:g} TiB" if value >= 1024 and value % 1024 == 0 else f"{value:,g} GiB"


@rule("REL205", severity="high",
      title="An EBS volume is in the same AZ as the instances it attaches to",
      notes="컴퓨팅 > EBS(Amazon EBS)", facts=[facts.EBS_SAME_AZ])
def ebs_same_az(arch):
    """An EBS volume lives in one Availability Zone and can attach only to
    instances in that AZ (the notes: "AZ에 종속되는 스토리지"). A volume
    declared in another AZ, or a Multi-Attach volume shared by instances in
    different AZs, cannot be attached.

    Fix: create the volume in the instance's AZ; to move data across AZs,
    snapshot the volume and create a new volume from the snapshot there.
    """
    for volume in arch.of_type("ebs_volume"):
        home = single_zone(arch, volume)
        for index, name in enumerate(volume.attached_to or ()):
            instance = arch.get(name)
            if instance is None:
                continue
            zone = single_zone(arch, instance)
            if zone is None:
                continue
            if home is None:
                home = zone
                continue
            if zone != home:
                yield Violation(volume.path("attached_to", index),
                                f"EBS volume `{volume.name}` is in {home} but `{name}` runs in {zone}; a volume "
                                "attaches only to instances in its own AZ")


@rule("PERF206", severity="high",
      title="An EBS volume type can deliver the IOPS and throughput required of it",
      notes="컴퓨팅 > EBS(Amazon EBS)", best_practice="PERF03-BP02",
      facts=[facts.EBS_GP3, facts.EBS_GP2, facts.EBS_IO1, facts.EBS_IO2, facts.EBS_ST1, facts.EBS_SC1,
             facts.EBS_GP3_MAX_IOPS_PER_GIB, facts.EBS_GP3_MIBPS_PER_IOPS])
def ebs_performance_limits(arch):
    """Each EBS volume type has a ceiling per volume (gp3 80,000 IOPS and
    2,000 MiB/s; gp2 16,000 IOPS and 250 MiB/s; io1 64,000 IOPS and
    1,000 MiB/s; io2 Block Express 256,000 IOPS and 4,000 MiB/s; st1
    500 IOPS and 500 MiB/s; sc1 250 IOPS and 250 MiB/s). The notes' gp3
    figures (16,000 IOPS, 1,000 MiB/s) are outdated, and so is their advice
    that io volumes are needed above 64,000 IOPS (that is io1's ceiling; io2
    Block Express goes to 256,000). A gp2 volume's sustained IOPS also grow
    with its size, 3 IOPS per GiB, bursting to 3,000. A gp3 volume can be
    given at most 500 IOPS per GiB of its size (above the 3,000 baseline),
    so 80,000 IOPS needs at least 160 GiB; a smaller volume asked for more
    is a medium finding (that ratio comes from secondary quotes of the EBS
    documentation). Throughput is tied to IOPS as well: a gp3 volume may be
    given at most 0.25 MiB/s per provisioned IOPS, so 2,000 MiB/s needs at
    least 8,000 IOPS, and the 3,000 IOPS baseline allows 750 MiB/s (high:
    EBS rejects the volume).

    The rule compares the volume's `iops`/`throughput` and the requirements
    (the workload's, or the volume's own) with the type's ceiling (high).
    A need within the ceiling but above what the volume provisions is a
    medium finding; a gp3 volume without `iops` or `throughput` gets its
    baseline of 3,000 IOPS and 125 MiB/s.

    Fix: pick a type whose ceiling covers the need (gp3 up to 80,000 IOPS,
    io2 Block Express beyond), enlarge a gp2 volume or move it to gp3, or
    stripe several volumes (RAID 0) when one volume cannot deliver.
    """
    for volume in arch.of_type("ebs_volume"):
        spec = facts.EBS_TYPES.get(volume.volume_type)
        if spec is None:
            continue
        iops, throughput = needed_io(arch, volume)
        name = TYPE_NAMES[volume.volume_type]
        at = volume.path("iops") if (volume.iops or 0) >= iops and volume.has("iops") else volume.path("volume_type")
        if iops > spec.max_iops:
            yield Violation(at, f"EBS volume `{volume.name}` must deliver {iops:,.0f} IOPS, but {name} "
                                f"gives at most {spec.max_iops:,} IOPS per volume")
        elif volume.volume_type == "gp2" and volume.size_gb:
            per_gib = spec.iops_per_gib
            baseline = min(volume.size_gb * per_gib, spec.max_iops)
            burst = spec.burst_iops
            if iops > max(baseline, burst):
                yield Violation(volume.path("size_gb"),
                                f"gp2 volume `{volume.name}` must deliver {iops:,.0f} IOPS, but {gib(volume.size_gb)} "
                                f"of gp2 sustains only {baseline:,.0f} IOPS ({per_gib} per GiB); use gp3",
                                severity="medium")
        elif volume.volume_type == "gp3" and volume.size_gb and iops > gp3_iops_ceiling(volume.size_gb):
            yield Violation(volume.path("size_gb"),
                            f"gp3 volume `{volume.name}` must deliver {iops:,.0f} IOPS, but {gib(volume.size_gb)} of "
                            f"gp3 can be given at most {gp3_iops_ceiling(volume.size_gb):,.0f} IOPS "
                            f"({facts.EBS_GP3_MAX_IOPS_PER_GIB.value} per GiB); it needs at least "
                            f"{gp3_size_for(iops):,} GiB", severity="medium")
        else:
            provisioned = volume.iops if volume.has("iops") else spec.baseline_iops
            if provisioned is not None and iops > provisioned:
                yield Violation(volume.path("iops"), f"{name} volume `{volume.name}` must deliver {iops:,.0f} IOPS "
                                                     f"but provisions {provisioned:,}{baseline_note(volume, 'iops')}",
                                severity="medium")
        at = volume.path("throughput") if (volume.throughput or 0) >= throughput and volume.has("throughput") \
            else volume.path("volume_type")
        if throughput > spec.max_mibps:
            yield Violation(at, f"EBS volume `{volume.name}` must deliver {throughput:,g} MiB/s, but {name} "
                                f"gives at most {spec.max_mibps:,} MiB/s per volume")
        elif volume.volume_type == "gp3":
            provisioned = volume.throughput if volume.has("throughput") else (spec.baseline_mibps or 0)
            if throughput > provisioned:
                yield Violation(volume.path("throughput"),
                                f"gp3 volume `{volume.name}` must deliver {throughput:,g} MiB/s but provisions "
                                f"{provisioned:,g}{baseline_note(volume, 'throughput')}", severity="medium")
        if volume.volume_type == "gp3" and volume.has("throughput"):
            iops_set = volume.iops if volume.has("iops") else (spec.baseline_iops or 0)
            per_iops = facts.EBS_GP3_MIBPS_PER_IOPS.value
            if volume.throughput > max(iops_set * per_iops, spec.baseline_mibps or 0):
                yield Violation(volume.path("throughput"),
                                f"gp3 volume `{volume.name}` provisions {volume.throughput:,g} MiB/s, but gp3 allows "
                                f"{per_iops:g} MiB/s per provisioned IOPS, so its {iops_set:,} IOPS"
                                f"{baseline_note(volume, 'iops')} allow {iops_set * per_iops:,g} MiB/s; it needs at "
                                f"least {math.ceil(volume.throughput / per_iops):,} IOPS")


def gp3_iops_ceiling(size_gb: float) -> float:
    """The most IOPS a gp3 volume of this size can be given: 500 per GiB, never below the 3,000 baseline."""
    return min(max(size_gb * facts.EBS_GP3_MAX_IOPS_PER_GIB.value, facts.EBS_GP3.value.baseline_iops or 0),
               facts.EBS_GP3.value.max_iops)


def gp3_size_for(iops: float) -> int:
    return math.ceil(iops / facts.EBS_GP3_MAX_IOPS_PER_GIB.value)


def baseline_note(volume, key: str) -> str:
    return "" if volume.has(key) else f" (gp3's baseline; set `{key}`)"


@rule("REL207", severity="high",
      title="An EBS volume's size is within its type's range",
      notes="컴퓨팅 > EBS(Amazon EBS)",
      facts=[facts.EBS_GP3, facts.EBS_GP2, facts.EBS_IO1, facts.EBS_IO2, facts.EBS_ST1, facts.EBS_SC1])
def ebs_volume_size(arch):
    """EBS rejects volumes outside their type's size range: gp3 and io2 Block
    Express 1 (io2: 4) GiB to 64 TiB; gp2 and io1 up to 16 TiB (io1 from
    4 GiB); st1 and sc1 125 GiB to 16 TiB. The notes' 16 TiB for gp3 is
    outdated.

    Fix: choose a size in the range, or a type that reaches the size
    (gp3 or io2 up to 64 TiB); beyond that, stripe several volumes or use a
    file system (EFS, FSx).
    """
    for volume in arch.of_type("ebs_volume"):
        spec = facts.EBS_TYPES.get(volume.volume_type)
        if spec is None or volume.size_gb is None:
            continue
        name = TYPE_NAMES[volume.volume_type]
        if volume.size_gb > spec.max_gib:
            yield Violation(volume.path("size_gb"), f"EBS volume `{volume.name}` is {gib(volume.size_gb)}, but "
                                                    f"{name} volumes go up to {gib(spec.max_gib)}")
        elif volume.size_gb < spec.min_gib:
            yield Violation(volume.path("size_gb"), f"EBS volume `{volume.name}` is {gib(volume.size_gb)}, but "
                                                    f"{name} volumes start at {gib(spec.min_gib)}")


@rule("REL208", severity="high",
      title="Throughput Optimized and Cold HDD volumes are not boot volumes",
      notes="컴퓨팅 > EBS(Amazon EBS)", facts=[facts.EBS_ST1, facts.EBS_SC1])
def ebs_hdd_boot(arch):
    """st1 and sc1 volumes cannot be boot volumes; an instance whose root
    volume is an HDD type does not launch.

    Fix: boot from gp3 and attach the st1 or sc1 volume as a data volume.
    """
    for volume in arch.of_type("ebs_volume"):
        if volume.boot and volume.volume_type in ("st1", "sc1"):
            yield Violation(volume.path("volume_type"),
                            f"EBS volume `{volume.name}` is a boot volume of type {volume.volume_type}; "
                            "st1 and sc1 cannot boot an instance")


@rule("PERF209", severity="medium",
      title="Cold HDD (sc1) volumes hold rarely accessed data",
      notes="컴퓨팅 > EBS(Amazon EBS)", best_practice="PERF03-BP01",
      facts=[facts.EBS_SC1])
def ebs_sc1_frequent_access(arch):
    """Cold HDD (sc1) is the lowest-cost EBS type, meant for large,
    sequential, infrequently accessed data (the notes: "자주 액세스하지 않는
    데이터"). It delivers at most 250 IOPS and 250 MiB/s per volume, and far
    less on small volumes, so frequently read data waits on it.

    Fix: use st1 for frequently accessed sequential throughput, or gp3 for
    random I/O; keep sc1 for cold data.
    """
    for volume in arch.of_type("ebs_volume"):
        if volume.volume_type == "sc1" and arch.requirements_for(volume).get("access") == "frequent":
            yield Violation(volume.path("volume_type"),
                            f"sc1 volume `{volume.name}` holds frequently accessed data, but Cold HDD gives at most "
                            f"{facts.EBS_SC1.value.max_iops} IOPS and {facts.EBS_SC1.value.max_mibps} MiB/s; "
                            "use st1 or gp3")


@rule("PERF221", severity="medium",
      title="Databases do not run on HDD (st1, sc1) volumes",
      notes="컴퓨팅 > EBS(Amazon EBS)", best_practice="PERF03-BP01",
      facts=[facts.EBS_ST1, facts.EBS_SC1, facts.EBS_GP3])
def ebs_hdd_database(arch):
    """st1 and sc1 are throughput-optimized hard disks for large sequential
    I/O (logs, big data, cold data): at most 500 and 250 IOPS per volume.
    A database does small random I/O, so on an HDD volume every query waits
    on the disk. The notes name Provisioned IOPS SSD for I/O-intensive
    databases; gp3 gives 3,000 IOPS at any size and up to 80,000.

    Fix: put the database's data on gp3 (or io2 Block Express for the most
    demanding databases), and keep st1 for sequential logs or data
    processing.
    """
    for volume in arch.of_type("ebs_volume"):
        if volume.volume_type not in ("st1", "sc1"):
            continue
        for name in volume.attached_to or ():
            instance = arch.get(name)
            if instance is not None and instance.workload == "database":
                spec = facts.EBS_TYPES[volume.volume_type]
                yield Violation(volume.path("volume_type"),
                                f"{volume.volume_type} volume `{volume.name}` serves database `{name}`, but an HDD "
                                f"volume gives at most {spec.max_iops} IOPS for its random I/O; use gp3 or io2")
                break


@rule("COST210", severity="low",
      title="Provisioned IOPS volumes are used only where gp3 cannot deliver",
      notes="컴퓨팅 > EBS(Amazon EBS)", best_practice="COST05-BP03",
      facts=[facts.EBS_GP3, facts.EBS_IO1, facts.EBS_IO2, facts.EBS_GP3_MAX_IOPS_PER_GIB])
def ebs_provisioned_iops_gp3(arch):
    """gp3 now delivers up to 80,000 IOPS and 2,000 MiB/s per volume (the
    notes' 16,000 IOPS is outdated), so many io1 and io2 volumes provisioned
    below that could run on gp3 at a lower price: io volumes charge for each
    provisioned IOPS. Reasons to stay on io2 are Multi-Attach, io2's
    99.999% durability for critical data, and sub-millisecond latency; the
    rule skips Multi-Attach volumes and critical io2 volumes.

    Fix: move the volume to gp3 with the same IOPS and throughput (an
    Elastic Volumes change, online), or note why io1/io2 is needed by
    suppressing the finding with a reason.
    """
    for volume in arch.of_type("ebs_volume"):
        if volume.volume_type not in ("io1", "io2") or volume.multi_attach:
            continue
        if volume.volume_type == "io2" and arch.requirements_for(volume).get("critical"):
            continue
        iops, throughput = needed_io(arch, volume)
        if not iops:
            continue
        gp3 = facts.EBS_GP3.value
        if iops <= gp3.max_iops and throughput <= gp3.max_mibps:
            grow = (f" once it is at least {gp3_size_for(iops):,} GiB"
                    if volume.size_gb and iops > gp3_iops_ceiling(volume.size_gb) else "")
            yield Violation(volume.path("volume_type"),
                            f"{volume.volume_type} volume `{volume.name}` needs {iops:,.0f} IOPS, which gp3 "
                            f"delivers{grow} (up to {gp3.max_iops:,} IOPS and "
                            f"{gp3.max_mibps:,} MiB/s) without a charge per provisioned IOPS")


@rule("COST211", severity="low",
      title="General Purpose volumes use gp3 rather than gp2",
      notes="컴퓨팅 > EBS(Amazon EBS)", best_practice="COST05-BP03",
      facts=[facts.EBS_GP3, facts.EBS_GP2])
def ebs_gp2_to_gp3(arch):
    """gp3 costs less per GiB than gp2 and gives a baseline of 3,000 IOPS and
    125 MiB/s at any size, with IOPS and throughput set independently of
    size. gp2 gives 3 IOPS per GiB, so small gp2 volumes rely on burst
    credits and large ones are bought for IOPS rather than space.

    Fix: change the volume to gp3 (Elastic Volumes, no downtime) and set
    IOPS and throughput to what the workload needs.
    """
    for volume in arch.of_type("ebs_volume"):
        if volume.volume_type == "gp2":
            yield Violation(volume.path("volume_type"),
                            f"EBS volume `{volume.name}` is gp2; gp3 costs less per GiB and gives "
                            f"{facts.EBS_GP3.value.baseline_iops:,} IOPS and "
                            f"{facts.EBS_GP3.value.baseline_mibps} MiB/s at any size")


@rule("REL212", severity="high",
      title=f"Multi-Attach is used only on io1/io2 volumes and at most {facts.MULTI_ATTACH_MAX_INSTANCES.value} "
            "instances",
      notes="컴퓨팅 > EBS(Amazon EBS)", facts=[facts.MULTI_ATTACH_VOLUME_TYPES, facts.MULTI_ATTACH_MAX_INSTANCES])
def ebs_multi_attach(arch):
    """Only Provisioned IOPS volumes (io1, io2) support Multi-Attach, and a
    volume attaches to at most 16 Nitro instances in its AZ. Any other
    volume attaches to one instance at a time. Multi-Attach also needs a
    cluster-aware file system; a normal one (ext4, XFS, NTFS) corrupts.

    Fix: use io2 with `multi_attach: true` for shared block storage (at most
    16 instances) with a cluster-aware file system, or share files through
    EFS or FSx instead.
    """
    limit = facts.MULTI_ATTACH_MAX_INSTANCES.value
    for volume in arch.of_type("ebs_volume"):
        attached = len(volume.attached_to or ())
        if volume.multi_attach and volume.volume_type not in ("io1", "io2"):
            yield Violation(volume.path("multi_attach"),
                            f"EBS volume `{volume.name}` is {volume.volume_type}; only io1 and io2 volumes "
                            "support Multi-Attach")
        elif volume.multi_attach and attached > limit:
            yield Violation(volume.path("attached_to"),
                            f"EBS volume `{volume.name}` attaches to {attached} instances; Multi-Attach allows "
                            f"{limit}")
        elif not volume.multi_attach and attached > 1:
            yield Violation(volume.path("attached_to"),
                            f"EBS volume `{volume.name}` attaches to {attached} instances without Multi-Attach; "
                            "a volume attaches to one instance at a time")


@rule("REL213", severity="medium",
      title="EBS volumes that hold data are snapshotted or backed up",
      notes="컴퓨팅 > EBS(Amazon EBS)", best_practice="REL09-BP01",
      facts=[facts.EBS_SNAPSHOTS_REGIONAL, facts.EBS_SAME_AZ])
def ebs_snapshots(arch):
    """An EBS volume is replicated only inside its AZ, so deletion,
    corruption, ransomware or the loss of the AZ takes the data with it.
    Snapshots are incremental, stored in S3 across the Region and copyable
    to other Regions; they are the volume's backup (the notes: "특정 시점
    복사본").

    A volume counts as covered by `snapshots: true` (a Data Lifecycle
    Manager policy), a `backup` plan, or an AWS Backup plan that lists the
    volume or its instance. Boot volumes pass unless they declare
    `holds_data: true`.

    Development and test volumes are skipped, as REL904 skips
    non-production data stores (`requirements.environment`). Where the
    organisation provides backup policies (`organization.provides.backup`),
    which select resources by tag outside this file, the finding is info.

    Fix: add a Data Lifecycle Manager snapshot policy or an AWS Backup plan
    for the volume, with copies to another Region where the RPO calls for
    it; set `holds_data: false` for scratch volumes.
    """
    covered: set[str] = set()
    for plan in arch.of_type("backup_plan"):
        covered.update(plan_members(arch, plan))
    org_backup = arch.provided("backup") is not None
    for volume in arch.of_type("ebs_volume"):
        if not volume.holds_data or (volume.boot and not volume.has("holds_data")):
            continue
        if arch.non_production(volume):
            continue
        if volume.snapshots or volume.backup or volume.name in covered:
            continue
        if any(name in covered for name in volume.attached_to or ()):
            continue
        if org_backup:
            yield org_backup_note(arch, volume.path("snapshots"), f"EBS volume `{volume.name}` holds data but")
            continue
        yield Violation(volume.path("snapshots"),
                        f"EBS volume `{volume.name}` holds data but has no snapshot schedule or backup plan; "
                        "an EBS volume is replicated only inside its AZ")


@rule("REL214", severity="high",
      title="Instance store holds only data that can be lost",
      notes="컴퓨팅 > 인스턴스 스토어", best_practice="REL09-BP01",
      facts=[facts.INSTANCE_STORE_LOST_ON])
def instance_store_durable_data(arch):
    """Instance store is temporary block storage on the host. It survives a
    reboot but is lost when the instance stops, hibernates or terminates, or
    when a disk fails. It suits buffers, caches, scratch data and data
    replicated across a fleet, not a database's only copy.

    Fix: keep the database or the only copy on EBS (with snapshots), EFS or
    S3, or replicate it across instances in several AZs and say so with
    `holds: [replicated]`.
    """
    for instance in arch.of_type("ec2_instance"):
        store = instance.instance_store or {}
        for index, held in enumerate(store.get("holds") or ()):
            if held in ("database", "only_copy"):
                what = "a database" if held == "database" else "the only copy of its data"
                yield Violation(instance.path("instance_store", "holds", index),
                                f"`{instance.name}` keeps {what} on instance store, which is lost when the "
                                "instance stops or terminates or a disk fails")


# -- purchase options -------------------------------------------------------------

def uses_spot(arch, resource) -> bool:
    if setting(arch, resource, "purchase")[0] == "spot":
        return True
    return resource.type == "auto_scaling_group" and (resource.spot_percentage or 0) > 0


def spot_path(arch, resource):
    if resource.type == "auto_scaling_group" and resource.has("spot_percentage") \
            and setting(arch, resource, "purchase")[0] != "spot":
        return resource.path("spot_percentage")
    return setting_path(arch, resource, "purchase")


@rule("REL215", severity="high",
      title="Spot Instances do not run stateful or single critical instances",
      notes="컴퓨팅 > EC2 구매 옵션",
      facts=[facts.SPOT_INTERRUPTION_NOTICE_S])
def spot_stateful(arch):
    """EC2 can reclaim a Spot Instance at any time with a two-minute notice.
    That suits stateless, fault-tolerant, flexible work; a database, a
    stateful server or a single instance the business depends on loses its
    state or its service when reclaimed.

    Fix: run stateful and single critical instances On-Demand (covered by a
    Savings Plan or Reserved Instances when steady), and keep Spot for
    stateless capacity behind an Auto Scaling group.
    """
    for resource in computes(arch):
        if not uses_spot(arch, resource):
            continue
        stateful = setting(arch, resource, "stateful")[0]
        workload = setting(arch, resource, "workload")[0]
        if stateful or workload == "database":
            why = "a database" if workload == "database" else "stateful"
            yield Violation(spot_path(arch, resource),
                            f"`{resource.name}` is {why} but runs on Spot, which EC2 can reclaim with a "
                            f"{facts.SPOT_INTERRUPTION_NOTICE_S.value // 60}-minute notice")
        elif instance_count(resource) == 1 and arch.needs_high_availability(resource):
            yield Violation(spot_path(arch, resource),
                            f"`{resource.name}` is a single instance that needs high availability but runs on "
                            "Spot, which EC2 can reclaim at any time")


@rule("REL216", severity="medium",
      title="Spot capacity handles the two-minute interruption notice",
      notes="컴퓨팅 > EC2 구매 옵션",
      facts=[facts.SPOT_INTERRUPTION_NOTICE_S])
def spot_interruption_handling(arch):
    """A Spot Instance gets a two-minute interruption notice (through
    instance metadata and an EventBridge event) before EC2 reclaims it; with
    hibernation as the interruption behaviour there is none. Work that does
    not watch for it is cut off mid-request or mid-job.

    Fix: handle the notice (drain the instance from its load balancer,
    checkpoint the job), use Capacity Rebalancing in the Auto Scaling group,
    and declare it with `interruption_handling: true`.
    """
    for resource in computes(arch):
        if uses_spot(arch, resource) and not setting(arch, resource, "interruption_handling")[0]:
            yield Violation(setting_path(arch, resource, "interruption_handling"),
                            f"`{resource.name}` runs on Spot but does not handle the "
                            f"{facts.SPOT_INTERRUPTION_NOTICE_S.value // 60}-minute interruption notice")


@rule("COST217", severity="info",
      title="Steady production compute is covered by Savings Plans or Reserved Instances",
      notes="컴퓨팅 > EC2 구매 옵션", best_practice="COST07-BP01",
      facts=[facts.COMPUTE_SP_MAX_DISCOUNT_PCT, facts.EC2_INSTANCE_SP_MAX_DISCOUNT_PCT, facts.EC2_PURCHASE_OPTIONS])
def steady_on_demand_commitment(arch):
    """On-Demand capacity that runs all the time in production is the case
    Savings Plans and Reserved Instances are for: a one- or three-year
    commitment takes up to 66% off (Compute Savings Plans, any family,
    Region, Fargate and Lambda) or up to 72% (EC2 Instance Savings Plans, one
    family in one Region). The rule reports only when nothing in the file
    declares `purchase: savings_plan` or `reserved`.

    Fix: cover the steady baseline (an Auto Scaling group's minimum, the
    always-on instances) with a Compute Savings Plan, and leave peaks on
    On-Demand or Spot.
    """
    compute = computes(arch) + arch.of_type("launch_template")
    if any(setting(arch, r, "purchase")[0] in ("savings_plan", "reserved") for r in compute):
        return
    for resource in computes(arch):
        purchase = setting(arch, resource, "purchase")[0]
        schedule = setting(arch, resource, "schedule")[0]
        if purchase not in (None, "on_demand") or schedule not in (None, "always_on"):
            continue
        if resource.type == "auto_scaling_group" and resource.spot_percentage:
            continue
        if arch.requirements_for(resource).get("environment") != "production":
            continue
        steady = resource.count if resource.type == "ec2_instance" else (resource.min_size or 0)
        if steady < 1:
            continue
        yield Violation(setting_path(arch, resource, "purchase"),
                        f"`{resource.name}` runs {steady} On-Demand instance{'s' if steady != 1 else ''} "
                        "around the clock in production with no Savings Plan or Reserved Instances in the "
                        f"design (up to {facts.EC2_INSTANCE_SP_MAX_DISCOUNT_PCT.value}% off)")


# -- Auto Scaling ---------------------------------------------------------------------

# Memory, swap and disk-space metric names beyond the agent's defaults (Windows counters, older scripts).
AGENT_METRIC = re.compile(r"^(mem|swap)_|memory|swap|disk_?(used|free|total|inodes|space)|free ?space|filesystem",
                          re.IGNORECASE)


def agent_metric(name: str) -> bool:
    return name in facts.CLOUDWATCH_AGENT_METRICS.value or bool(AGENT_METRIC.search(name))


@rule("REL218", severity="high",
      title="Auto Scaling groups span several AZs where availability matters",
      notes="모니터링 및 크기 조정", best_practice="REL10-BP01",
      facts=[facts.ASG_REPLACES_UNHEALTHY])
def asg_multi_az(arch):
    """An Auto Scaling group replaces unhealthy instances and, when it spans
    several AZs, launches in another AZ when one fails. Confined to one AZ it
    cannot: the loss of that AZ takes the whole tier down. (Groups in a
    cluster placement group must stay in one AZ; REL002 covers those.)

    Fix: give the group subnets in at least two AZs (three where the Region
    has them) and balance capacity across them.
    """
    for group in arch.of_type("auto_scaling_group"):
        zone = single_zone(arch, group)
        placement = placement_group_of(arch, group)
        if zone is None or (placement is not None and placement.strategy == "cluster"):
            continue
        if not arch.needs_high_availability(group):
            continue
        yield Violation(placement_path(group),
                        f"Auto Scaling group `{group.name}` needs high availability but runs only in "
                        f"{zone}; it cannot replace capacity in another AZ")


@rule("REL219", severity="high",
      title="Scaling on memory or disk metrics has the CloudWatch agent publishing them",
      notes="모니터링 및 크기 조정 > CloudWatch", best_practice="REL07-BP01",
      facts=[facts.EC2_METRICS_NEED_AGENT, facts.CLOUDWATCH_AGENT_NAMESPACE, facts.CLOUDWATCH_AGENT_METRICS])
def asg_scaling_agent_metric(arch):
    """EC2 publishes no metric for memory, swap or disk space (the notes:
    CloudWatch "기본적으로 시스템의 메모리 로그를 저장하지는 않는다"). Those
    come from the CloudWatch agent, in the `CWAgent` namespace by default. A
    scaling policy on mem_used_percent, disk_used_percent or
    MemoryUtilization without the agent has no data and never scales.

    Fix: install and configure the CloudWatch agent on the group's instances
    (set `cloudwatch_agent: true` on the group or its launch template) and
    scale on the agent's metric in the `CWAgent` namespace, or scale on a
    metric EC2 publishes (CPU, network, request count).
    """
    agent_ns = facts.CLOUDWATCH_AGENT_NAMESPACE.value
    for group in arch.of_type("auto_scaling_group"):
        agent = setting(arch, group, "cloudwatch_agent")[0]
        for index, policy in enumerate(group.scaling or ()):
            metric, namespace = policy.get("metric", ""), policy.get("namespace")
            if namespace == "AWS/EC2" and agent_metric(metric):
                yield Violation(group.path("scaling", index, "namespace"),
                                f"Auto Scaling group `{group.name}` scales on {metric} in AWS/EC2, which EC2 "
                                f"does not publish; the CloudWatch agent publishes it in {agent_ns}")
            elif not agent and (namespace == agent_ns or (namespace is None and agent_metric(metric))):
                yield Violation(group.path("scaling", index, "metric"),
                                f"Auto Scaling group `{group.name}` scales on {metric}, which only the "
                                "CloudWatch agent publishes, but the agent is not installed; the policy "
                                "never gets data")
