"""Backup, disaster recovery and cross-cutting sustainability (notes: 백업 및 복구)."""
from __future__ import annotations

from wavalidate.api import Violation, facts, rule, units
from wavalidate_rules._shared import (
    STORE_KIND,
    computes,
    critical_data,
    log_buckets,
    org_backup_note,
    plan_members,
    replicas_by_source,
)

STORE_TYPES = ("rds_instance", "aurora_cluster", "dynamodb_table", "efs_file_system", "fsx_file_system",
               "ebs_volume", "s3_bucket")
NON_PRODUCTION = ("development", "test")
STRATEGY_ORDER = tuple(f.value.name for f in facts.DR_STRATEGY_FACTS)
STANDING = ("pilot_light", "warm_standby", "active_active")
DR_NOTES = "백업 및 복구 > 복구전략"


# -- helpers ------------------------------------------------------------------

def strategy_fact(name):
    for fact in facts.DR_STRATEGY_FACTS:
        if fact.value.name == name:
            return fact
    return None


def non_production(arch, resource) -> bool:
    return arch.non_production(resource)


def no_backups_possible(store) -> bool:
    """FSx for Lustre scratch file systems: AWS Backup and FSx backups are not supported on them."""
    return store.type == "fsx_file_system" and str(store.get("deployment") or "").startswith("scratch")


def data_stores(arch):
    """Resources that hold data of their own: not read replicas, not boot volumes that hold nothing else."""
    for store in arch.of_type(*STORE_TYPES):
        if store.type == "rds_instance" and store.read_replica_of:
            continue
        if store.type == "ebs_volume" and (not store.holds_data or (store.boot and not store.has("holds_data"))):
            continue
        yield store


def plans_by_resource(arch) -> dict:
    """resource name -> the backup plans that cover it (from the plan's `resources` or the resource's `backup`)."""
    index: dict = {}
    for plan in arch.of_type("backup_plan"):
        for name in plan_members(arch, plan):
            index.setdefault(name, []).append(plan)
    for resource in arch.resources.values():
        plan = arch.get(resource.get("backup"))
        if plan is not None and plan.type == "backup_plan" and plan not in index.get(resource.name, []):
            index.setdefault(resource.name, []).append(plan)
    return index


def native_backup(store) -> bool:
    """The service's own backups: RDS automated backups (unless retention is 0), Aurora's (always on),
    DynamoDB point-in-time recovery, EBS snapshot schedules."""
    if store.type == "rds_instance":
        return not (store.has("backup_retention_days") and store.backup_retention_days == 0)
    if store.type == "aurora_cluster":
        return True
    if store.type == "dynamodb_table":
        return bool(store.pitr)
    if store.type == "ebs_volume":
        return bool(store.snapshots)
    return False


def home_region(arch, store):
    return arch.region_of(store) or arch.dr.get("primary_region")


def replicated_regions(arch, store, replicas) -> set:
    """Other Regions that hold a live copy; "?" stands for a replica whose Region is not known."""
    regions: set = set()
    if store.type == "rds_instance":
        regions = {arch.region_of(r) or "?" for r in replicas.get(store.name, ())}
        # a replica with no known Region is most likely in the source's Region
        regions.discard("?")
    elif store.type == "aurora_cluster":
        regions = set(store.global_regions or ())
    elif store.type == "dynamodb_table":
        regions = set(store.replica_regions or ())
    elif store.type == "s3_bucket":
        for item in store.replication or ():
            target = arch.get(item.get("destination"))
            regions.add((arch.region_of(target) if target is not None else None) or "?")
        # a bucket that is itself the replica of a bucket elsewhere has that copy too
        regions.update(arch.region_of(source) or "?" for source in replication_sources(arch, store))
    regions.discard(home_region(arch, store))
    return regions


def replication_sources(arch, bucket) -> list:
    """Buckets that replicate into `bucket`."""
    return [source for source, path in arch.referrers(bucket)
            if source.type == "s3_bucket" and path and path[0] == "replication"]


def copy_regions(plans) -> set:
    return {r.get("copy_to_region") for plan in plans for r in plan.rules or () if r.get("copy_to_region")}


# -- disaster recovery ----------------------------------------------------------

@rule("REL900", severity="medium",
      title="The DR strategy can meet the workload's RTO and RPO",
      notes=DR_NOTES, best_practice="REL13-BP02", facts=list(facts.DR_STRATEGY_FACTS))
def dr_strategy_meets_objectives(arch):
    """The DR strategies trade cost for recovery speed. AWS's Reliability
    pillar (REL13-BP02) puts backup and restore at an RPO of hours and an RTO
    of 24 hours or less, pilot light at an RPO of minutes and an RTO of tens
    of minutes, warm standby at an RPO of seconds and an RTO of minutes, and
    multi-site active/active near zero for both. The notes' recovery chapter
    orders them the same way.

    The rule reads those words as bands of seconds (wavalidate.facts): an RTO
    or RPO below the best a strategy achieves cannot be met; one inside the
    band is at the edge (low): the design may meet it, but only a tested
    recovery shows it. The seconds are our reading of AWS's words, not AWS
    figures, so the rule warns (medium) rather than errs.

    Fix: choose a strategy whose band covers the RTO and RPO (see the
    `dr:` block), or agree on objectives the chosen strategy can meet; then
    test the recovery and measure it.
    """
    strategy = arch.dr.get("strategy")
    fact = strategy_fact(strategy)
    if fact is None:
        return
    band = fact.value
    rto, rpo = arch.requirements.rto_seconds, arch.requirements.rpo_seconds
    hard, edge = [], []
    for label, need, (best, worst) in (("RTO", rto, band.rto_s), ("RPO", rpo, band.rpo_s)):
        if need is None:
            continue
        if need < best:
            hard.append(f"the {label} of {units.human_seconds(need)}")
        elif need < worst:
            edge.append(f"the {label} of {units.human_seconds(need)}")
    if hard:
        yield Violation(("dr", "strategy"),
                        f"DR strategy `{strategy}` ({band.wording}) cannot meet {' or '.join(hard)}; "
                        "choose a faster strategy or relax the objective")
    elif edge:
        yield Violation(("dr", "strategy"),
                        f"DR strategy `{strategy}` ({band.wording}) meets {' and '.join(edge)} only at its best; "
                        "test the recovery against it", severity="low")


@rule("REL901", severity="high",
      title="The DR plan names a recovery Region apart from the primary",
      notes=DR_NOTES, best_practice="REL13-BP02", facts=[facts.DR_STRATEGIES, *facts.DR_STRATEGY_FACTS])
def dr_recovery_region(arch):
    """Every DR strategy in the notes and in AWS's whitepaper recovers into
    another Region: backups are copied there, data is replicated there, and
    the standby environment runs there. A `dr:` block without a
    `recovery_region`, or with the primary Region as its recovery Region,
    does not survive the loss of the Region. A recovery Region outside the
    workload's `allowed_regions` breaks its data-residency rules.

    Fix: set `dr.recovery_region` to a Region other than
    `dr.primary_region`, inside `requirements.allowed_regions` when there is
    one.
    """
    if not arch.dr:
        return
    primary, recovery = arch.dr.get("primary_region"), arch.dr.get("recovery_region")
    if not recovery:
        yield Violation(("dr", "recovery_region"),
                        f"DR strategy `{arch.dr.get('strategy')}` names no recovery Region; name one other than "
                        f"{primary}")
        return
    if recovery == primary:
        yield Violation(("dr", "recovery_region"),
                        f"the recovery Region {recovery} is the primary Region; a Region failure takes both")
        return
    allowed = arch.requirements.get("allowed_regions")
    if allowed and recovery not in allowed:
        yield Violation(("dr", "recovery_region"),
                        f"the recovery Region {recovery} is not among the allowed Regions ({', '.join(allowed)})")


@rule("REL907", severity="medium",
      title="The DR plan's primary Region is where the workload runs",
      notes=DR_NOTES, best_practice="REL13-BP02", facts=list(facts.DR_STRATEGY_FACTS))
def dr_primary_region_used(arch):
    """The `dr:` block says which Region fails over to which. When none of
    the resources whose Region is known runs in `dr.primary_region`, the
    block describes some other deployment (a copy-paste, or a Region that
    moved), and every DR check against it is off.

    Fix: set `dr.primary_region` to the Region the workload runs in.
    """
    primary = arch.dr.get("primary_region")
    if not primary:
        return
    regions = {arch.region_of(r) for r in arch.resources.values()} - {None}
    if regions and primary not in regions:
        yield Violation(("dr", "primary_region"),
                        f"the DR primary Region is {primary}, but the resources run in "
                        f"{', '.join(sorted(regions))}")


@rule("REL902", severity="high",
      title="The data reaches the recovery Region the way the DR strategy needs",
      notes=DR_NOTES, best_practice="REL13-BP02",
      facts=[*facts.DR_STRATEGY_FACTS, facts.DYNAMODB_GLOBAL_TABLES_MULTI_ACTIVE, facts.EBS_SNAPSHOTS_REGIONAL])
def dr_data_in_recovery_region(arch):
    """A recovery Region is only useful if the data is there when the primary
    is lost. For backup and restore, each data store's backups are copied to
    the recovery Region (an AWS Backup rule with `copy_to_region`) or the
    data is replicated there. Pilot light, warm standby and active/active
    keep the data live in the recovery Region: RDS cross-Region read
    replicas, Aurora global databases (`global_regions`), DynamoDB global
    tables (`replica_regions`), S3 replication to a bucket there. EFS, FSx
    and EBS have no replication in the format, so for them a cross-Region
    backup copy counts.

    Data stores in the primary Region (or of unknown Region) are checked;
    non-production ones are skipped, as is a store whose own requirements say
    `survive_region_loss: false`, and so are buckets of logs (`logs: true`,
    a trail's bucket, or named for logs or audit): audit records are kept,
    not restored to run the workload. Where the organisation provides backup
    policies (`organization.provides.backup`), whether they copy a store to
    the recovery Region is not visible here, so that case is info.

    Fix: add the replica or the cross-Region copy named in the message, to
    `dr.recovery_region`.
    """
    strategy, primary = arch.dr.get("strategy"), arch.dr.get("primary_region")
    recovery = arch.dr.get("recovery_region")
    if not strategy or not recovery or recovery == primary:
        return
    plans, replicas, logs = plans_by_resource(arch), replicas_by_source(arch), log_buckets(arch)
    org_backup = arch.provided("backup") is not None
    for store in data_stores(arch):
        if home_region(arch, store) != primary or non_production(arch, store) or store.name in logs:
            continue
        own = store.get("requirements") or {}
        if own.get("survive_region_loss") is False:
            continue
        live = replicated_regions(arch, store, replicas)
        if recovery in live or "?" in live:
            continue
        copied = recovery in copy_regions(plans.get(store.name, ()))
        replicable = store.type in ("rds_instance", "aurora_cluster", "dynamodb_table", "s3_bucket")
        if copied and (strategy == "backup_restore" or not replicable):
            continue
        kind = STORE_KIND[store.type]
        if org_backup and (strategy == "backup_restore" or not replicable):
            yield Violation(store.path("backup"),
                            f"{kind} `{store.name}` has no copy in the recovery Region {recovery} that this file "
                            f"shows; the organisation's backup policies{arch.provided_where('backup')} may copy "
                            "it there: confirm they select it and copy to that Region", severity="info")
            continue
        if strategy == "backup_restore" or not replicable:
            need, path = f"copy its backups to {recovery} (`copy_to_region` in its backup plan)", store.path("backup")
        elif store.type == "rds_instance":
            need, path = f"add a cross-Region read replica in {recovery}", store.path()
        elif store.type == "aurora_cluster":
            need, path = f"add {recovery} to `global_regions` (an Aurora global database)", store.path("global_regions")
        elif store.type == "dynamodb_table":
            need, path = f"add {recovery} to `replica_regions` (a global table)", store.path("replica_regions")
        else:
            need, path = f"replicate it to a bucket in {recovery}", store.path("replication")
        yield Violation(path, f"{kind} `{store.name}` has no copy in the recovery Region {recovery}, which "
                              f"`{strategy}` needs; {need}")


INFRA_TYPES = ("vpc", "subnet", "load_balancer", "launch_template", "auto_scaling_group", "ec2_instance",
               "lambda_function", "api_gateway")


def running(resource) -> bool:
    if resource.type == "auto_scaling_group":
        size = resource.desired if resource.desired is not None else resource.min_size
        return size is None or size > 0
    return resource.type in ("ec2_instance", "lambda_function")


@rule("REL903", severity="high",
      title="Pilot light, warm standby and active/active have infrastructure in the recovery Region",
      notes=DR_NOTES, best_practice="REL13-BP02", facts=[facts.DR_STRATEGIES, *facts.DR_STRATEGY_FACTS])
def dr_recovery_infrastructure(arch):
    """Pilot light keeps the core infrastructure provisioned in the recovery
    Region (network, load balancers, launch templates, Auto Scaling groups
    that can be scaled out; servers may be off). Warm standby runs a
    scaled-down but working copy of production there, and active/active
    serves traffic from it. A plan that names such a strategy but declares
    nothing in the recovery Region is backup and restore in practice, with
    its recovery time.

    The rule looks for resources whose Region (own `region`, AZ, subnets or
    VPC) is the recovery Region: any network or compute resource for pilot
    light; running compute (instances, Auto Scaling groups with a capacity
    above 0, Lambda functions) for warm standby and active/active.

    Fix: declare the recovery Region's infrastructure (ideally from the same
    IaC templates as the primary), or name the strategy the design really
    has.
    """
    strategy, recovery = arch.dr.get("strategy"), arch.dr.get("recovery_region")
    if strategy not in STANDING or not recovery or recovery == arch.dr.get("primary_region"):
        return
    there = [r for r in arch.of_type(*INFRA_TYPES) if arch.region_of(r) == recovery]
    if strategy == "pilot_light":
        if not there:
            yield Violation(("dr", "strategy"),
                            f"`pilot_light` needs its core infrastructure provisioned in {recovery}, but no network "
                            "or compute resource is declared there")
    elif not any(running(r) for r in there):
        yield Violation(("dr", "strategy"),
                        f"`{strategy}` needs a working copy of the workload running in {recovery}, but no running "
                        "compute is declared there")


@rule("REL908", severity="medium",
      title="Traffic can be shifted to the recovery Region",
      notes=DR_NOTES, best_practice="REL13-BP02",
      facts=[*facts.DR_STRATEGY_FACTS, facts.ROUTE53_ROUTING_POLICIES])
def dr_traffic_shift(arch):
    """Pilot light, warm standby and active/active recover in minutes only if
    users reach the recovery Region without a manual DNS change: Route 53
    failover, latency, weighted or geolocation records (with health checks),
    a Global Accelerator with an endpoint there, or a CloudFront origin in
    the recovery Region. The rule looks for one of them that points at a
    resource whose Region is the recovery Region.

    Fix: add Route 53 records for the recovery Region's entry point (a
    `failover: secondary` record for standby strategies, latency or weighted
    records for active/active) with health checks on the primary, or a
    Global Accelerator endpoint group there.
    """
    strategy, recovery = arch.dr.get("strategy"), arch.dr.get("recovery_region")
    if strategy not in STANDING or not recovery or recovery == arch.dr.get("primary_region"):
        return

    def there(name) -> bool:
        target = arch.get(name)
        return target is not None and arch.region_of(target) == recovery

    for record in arch.of_type("route53_record"):
        if record.routing != "simple" and there(record.target):
            return
    for accelerator in arch.of_type("global_accelerator"):
        if any(there(name) for name in accelerator.endpoints or ()):
            return
    for distribution in arch.of_type("cloudfront_distribution"):
        if any(there(origin.get("target")) for origin in distribution.origins or ()):
            return
    yield Violation(("dr", "recovery_region"),
                    f"nothing routes users to {recovery} when the primary Region fails: no Route 53 failover, "
                    "latency or weighted record, Global Accelerator endpoint or CloudFront origin points there")


@rule("REL904", severity="medium",
      title="Data stores are backed up",
      notes="백업 및 복구", best_practice="REL09-BP01",
      facts=[facts.RDS_BACKUP_RETENTION_DAYS, facts.DYNAMODB_PITR_DAYS, facts.EBS_SNAPSHOTS_REGIONAL])
def data_store_backup(arch):
    """Data that is not backed up is lost to the first deletion, corruption or
    ransomware, whatever its durability: replication and Multi-AZ copy bad
    writes as faithfully as good ones. A data store counts as backed up when
    an AWS Backup plan covers it (`backup_plan.resources` or its own
    `backup`) or when the service's own backups are on: RDS automated
    backups (reported by REL401 when switched off), Aurora's (always on),
    DynamoDB point-in-time recovery, or, for S3, versioning (which keeps
    overwritten and deleted objects; add AWS Backup or replication where a
    copy outside the bucket is needed).

    Non-production data is skipped, and so are FSx for Lustre scratch file
    systems (`deployment: scratch_1` or `scratch_2`), which AWS cannot back
    up (they hold a copy of data kept elsewhere, such as S3), and buckets of
    logs. A plan covers the resources it lists and those whose `tags` match
    its `selection_tags`. Where the organisation provides backup policies
    (`organization.provides.backup`), which select resources by tag outside
    this file, the finding is info and asks to confirm. Critical,
    confidential or restricted data is reported as high. Stores other rules already report are left to
    them: RDS with retention 0 (REL401), EBS volumes (REL213), DynamoDB
    tables with critical data and no PITR (REL410), critical S3 buckets
    without versioning (REL303).

    Fix: add the store to an AWS Backup plan (`resources: [...]` or
    `backup: <plan>`) with a retention that meets the recovery needs, or
    switch on the service's own backups.
    """
    plans, logs = plans_by_resource(arch), log_buckets(arch)
    org_backup = arch.provided("backup") is not None
    for store in data_stores(arch):
        if plans.get(store.name) or native_backup(store) or non_production(arch, store):
            continue
        if no_backups_possible(store) or store.name in logs:
            continue
        if store.type in ("rds_instance", "ebs_volume"):
            continue  # RDS retention 0: REL401; EBS volumes: REL213
        critical = critical_data(arch, store)
        if store.type == "dynamodb_table" and critical:
            continue  # REL410
        if store.type == "s3_bucket" and (store.versioning == "enabled"
                                          or arch.requirements_for(store).get("critical")):
            continue  # versioned; or critical and unversioned, which REL303 reports
        own = (f"versioning is {'suspended' if store.versioning == 'suspended' else 'off'}"
               if store.type == "s3_bucket"
               else "point-in-time recovery is off" if store.type == "dynamodb_table"
               else "it has no backups of its own")
        if org_backup:
            yield org_backup_note(arch, store.path("backup"), f"{STORE_KIND[store.type]} `{store.name}`")
            continue
        yield Violation(store.path("backup"),
                        f"{STORE_KIND[store.type]} `{store.name}` has no backup: no AWS Backup plan covers it and "
                        f"{own}",
                        severity="high" if critical else None)


BACKUP_KEY = {"rds_instance": "backup_retention_days", "aurora_cluster": "backup_retention_days",
              "dynamodb_table": "pitr", "ebs_volume": "snapshots", "s3_bucket": "versioning"}


@rule("REL905", severity="high",
      title="Backups of workloads that must survive a Region loss are copied to another Region",
      notes="백업 및 복구", best_practice="REL09-BP01",
      facts=[facts.EBS_SNAPSHOTS_REGIONAL, facts.RDS_BACKUP_RETENTION_DAYS, facts.DYNAMODB_PITR_DAYS])
def backup_cross_region_copy(arch):
    """Backups are Regional. RDS automated backups, DynamoDB PITR, EBS
    snapshots and AWS Backup recovery points live in the Region of the
    resource until they are copied. When the requirements say the workload
    (or a store) must survive the loss of a Region, backups kept only there
    are lost with it. A store that is replicated live to another Region
    (cross-Region read replica, Aurora global database, DynamoDB global
    table, S3 replication) passes; a store with no backups at all is REL904's.
    When a `dr:` block names a recovery Region, REL902 reports the same gap
    for the stores of the primary Region against it, so this rule leaves
    those stores to it. Buckets of logs are not asked for copies.

    Fix: add a `copy_to_region` to a rule of the store's AWS Backup plan (or
    put the store in a plan that has one); for RDS, automated backup
    replication to another Region also works.
    """
    dr_primary = arch.dr.get("primary_region") if arch.dr.get("strategy") and arch.dr.get("recovery_region") \
        and arch.dr.get("recovery_region") != arch.dr.get("primary_region") else None
    plans, replicas, logs = plans_by_resource(arch), replicas_by_source(arch), log_buckets(arch)
    grouped: dict = {}
    for store in data_stores(arch):
        if not arch.requirements_for(store).get("survive_region_loss") or store.name in logs:
            continue
        if dr_primary is not None and home_region(arch, store) == dr_primary:
            continue  # REL902
        if replicated_regions(arch, store, replicas):
            continue
        covering = plans.get(store.name, [])
        if copy_regions(covering) - {home_region(arch, store), None}:
            continue
        if covering:
            grouped.setdefault(covering[0].name, []).append(store)
        elif native_backup(store):
            yield Violation(store.path(BACKUP_KEY.get(store.type, "backup")),
                            f"{STORE_KIND[store.type]} `{store.name}` must survive a Region loss, but its backups stay "
                            "in its own Region; copy them to another Region")
    for plan_name, stores in grouped.items():
        plan = arch.get(plan_name)
        names = "`, `".join(s.name for s in stores)
        yield Violation(plan.path("rules"),
                        f"backup plan `{plan_name}` keeps the backups of `{names}` in their own Region, but the "
                        "workload must survive a Region loss; add `copy_to_region` to a rule")


@rule("REL906", severity="medium",
      title="A workload that must survive a Region loss declares its DR strategy",
      notes=DR_NOTES, best_practice="REL13-BP01", facts=list(facts.DR_STRATEGY_FACTS))
def region_loss_needs_dr(arch):
    """`survive_region_loss` says the workload must come back after the loss
    of a whole Region; how it does so (backup and restore, pilot light, warm
    standby or active/active) decides its cost, its recovery time and what
    has to exist in the other Region. Without a `dr:` block wavalidate cannot
    check any of it, and reviewers cannot either.

    Fix: add a `dr:` block with the `strategy`, `primary_region` and
    `recovery_region`.
    """
    if arch.requirements.get("survive_region_loss") and not arch.dr:
        yield Violation(("requirements", "survive_region_loss"),
                        "the workload must survive a Region loss but declares no DR strategy; add a `dr:` block")


# -- sustainability -------------------------------------------------------------

def needed_strategy(rto, rpo):
    """The cheapest strategy whose worst case still meets both objectives, as an index."""
    for index, fact in enumerate(facts.DR_STRATEGY_FACTS):
        band = fact.value
        if (rto is None or band.rto_s[1] <= rto) and (rpo is None or band.rpo_s[1] <= rpo):
            return index
    return len(facts.DR_STRATEGY_FACTS) - 1


@rule("SUS910", severity="low",
      title="The DR strategy is not far stronger than the RTO and RPO need",
      notes=DR_NOTES, best_practice="SUS02-BP02", facts=list(facts.DR_STRATEGY_FACTS))
def dr_strategy_oversized(arch):
    """Each step up the DR ladder keeps more infrastructure running in the
    recovery Region: pilot light keeps data and a switched-off core, warm
    standby a working scaled-down copy, active/active a full second
    production. Running a strategy two or more steps above what the RTO and
    RPO need (active/active for an RTO of hours) burns energy and money on
    capacity that the objectives do not ask for.

    The rule takes the cheapest strategy whose worst case (wavalidate.facts)
    still meets the declared RTO and RPO; a chosen strategy two steps above
    it is reported. Active/active that also serves users in more than one
    geography is left alone, as it is then a latency design too.

    Fix: step down to the strategy the objectives need (often pilot light or
    warm standby), or record the stricter RTO/RPO the business really needs.
    """
    strategy = arch.dr.get("strategy")
    if strategy not in STRATEGY_ORDER:
        return
    rto, rpo = arch.requirements.rto_seconds, arch.requirements.rpo_seconds
    if rto is None and rpo is None:
        return
    if strategy == "active_active" and len(arch.requirements.get("user_locations") or ()) > 1:
        return
    need = needed_strategy(rto, rpo)
    chosen = STRATEGY_ORDER.index(strategy)
    if chosen - need >= 2:
        objectives = " and ".join(f"{label} {units.human_seconds(v)}" for label, v in (("RTO", rto), ("RPO", rpo))
                                  if v is not None)
        yield Violation(("dr", "strategy"),
                        f"DR strategy `{strategy}` keeps far more running than the objectives ({objectives}) need; "
                        f"`{STRATEGY_ORDER[need]}` ({facts.DR_STRATEGY_FACTS[need].value.wording}) meets it")


# Provisioned IOPS above this multiple of the declared need are reported. A wavalidate policy, not an AWS figure.
IOPS_HEADROOM = 3


@rule("SUS911", severity="low",
      title="Provisioned IOPS stay near what the workload needs",
      notes="컴퓨팅 > EBS(Amazon EBS)", best_practice="SUS05-BP01",
      facts=[facts.EBS_IO1, facts.EBS_IO2, facts.EBS_GP3])
def provisioned_iops_oversized(arch):
    """Provisioned IOPS (io1, io2) reserve storage performance whether it is
    used or not. Provisioning several times what the requirements declare
    (`requirements.iops`, the workload's or the volume's own) keeps hardware
    busy for nothing. The rule reports more than three times the need, a
    wavalidate threshold that leaves room for peaks, on EBS volumes and RDS
    storage. Whether gp3 (up to 80,000 IOPS) would do instead is COST210's
    question.

    Fix: lower `iops` towards the measured peak plus headroom (io1/io2 IOPS
    can be changed with Elastic Volumes or an RDS storage modification).
    """
    for store in arch.of_type("ebs_volume", "rds_instance"):
        kind = store.volume_type if store.type == "ebs_volume" else store.storage_type
        if kind not in ("io1", "io2") or not store.iops:
            continue
        need = arch.requirements_for(store).get("iops")
        if not need or store.iops <= IOPS_HEADROOM * need:
            continue
        label = STORE_KIND[store.type]
        yield Violation(store.path("iops"),
                        f"{label} `{store.name}` provisions {store.iops:,} {kind} IOPS for a need of {need:,} "
                        f"({store.iops / need:.1f}x); provision for the measured peak plus headroom")


@rule("SUS912", severity="low",
      title="Development and test compute does not run around the clock",
      notes="컴퓨팅 > EC2 구매 옵션", best_practice="SUS02-BP01", facts=[facts.WA_PILLARS])
def non_production_schedule(arch):
    """Development and test environments are used in working hours; left on
    nights and weekends they draw power (and cost) about three quarters of
    the week for nobody. The rule looks at instances and Auto Scaling groups
    whose requirements say `environment: development` or `test` and whose
    `schedule` (or their launch template's) is `always_on` or not set.

    Fix: set `schedule: business_hours` (Instance Scheduler, scheduled
    scaling to 0, or stop/start automation) or `on_demand`.
    """
    for compute in computes(arch):
        if not non_production(arch, compute):
            continue
        schedule = compute.schedule
        if schedule is None and compute.type == "auto_scaling_group":
            template = arch.get(compute.launch_template)
            schedule = template.schedule if template is not None else None
        if schedule in (None, "always_on"):
            env = arch.requirements_for(compute).get("environment")
            state = "runs always on" if schedule else "has no schedule"
            yield Violation(compute.path("schedule"),
                            f"{env} {'instance' if compute.type == 'ec2_instance' else 'Auto Scaling group'} "
                            f"`{compute.name}` {state}; stop it outside working hours")


@rule("SUS913", severity="low",
      title="Lifecycle rules of rarely read S3 data also move it to colder storage",
      notes="스토리지 > S3", best_practice="SUS04-BP03", facts=[facts.S3_LIFECYCLE_ACTIONS])
def rarely_read_data_lifecycle(arch):
    """Data that the requirements say is read rarely or infrequently
    (`requirements.access`) but stays in S3 Standard keeps using the most
    resource-intensive storage class. Lifecycle transitions move it to
    Standard-IA, Glacier classes or Intelligent-Tiering, and expirations
    delete it when it is no longer needed. A bucket with no lifecycle rules
    at all is COST304's finding; this rule reports the subtler case of rules
    that only expire objects, so the data stays hot until it is deleted.

    Fix: add a `lifecycle` rule with `transition_after` and `storage_class`
    (or Intelligent-Tiering from day 0), plus `expire_after` where the
    retention allows.
    """
    for bucket in arch.of_type("s3_bucket"):
        access = arch.requirements_for(bucket).get("access")
        if access not in ("rare", "infrequent"):
            continue
        rules = bucket.lifecycle or []
        if not rules or any(r.get("storage_class") or r.get("transition_after") for r in rules):
            continue  # no lifecycle at all: COST304
        yield Violation(bucket.path("lifecycle"),
                        f"S3 bucket `{bucket.name}` holds {'rarely' if access == 'rare' else 'infrequently'} read "
                        "data, but its lifecycle rules only expire objects and never move them out of S3 Standard")


# Third-party appliances ship x86-only Marketplace images.
APPLIANCE_WORDS = ("firewall", "appliance", "ngfw", "nva", "ids", "ips", "proxy", "utm", "marketplace")


def graviton_counterpart(arch, compute):
    """The Graviton3 instance type of the same class and size, or None when there is none or it cannot run."""
    kind = compute.instance_type
    if not kind or "." not in kind:
        return None
    template = arch.get(compute.get("launch_template"))
    platform = compute.get("platform") or (template.get("platform") if template is not None else None)
    if platform not in (None, "linux"):
        return None  # Windows Server does not run on Graviton
    workload = str(compute.get("workload") or "").lower()
    if "windows" in workload or any(w in workload.replace("-", " ").split() for w in APPLIANCE_WORDS):
        return None
    family, size = kind.split(".", 1)
    target = facts.GRAVITON_FAMILY_OF.value.get(family)
    if target is None:
        return None
    if size.startswith("metal"):
        return f"{target}.metal" if target in facts.GRAVITON_METAL_FAMILIES.value else None
    return f"{target}.{size}" if size in facts.GRAVITON_SIZES.value else None


@rule("SUS914", severity="info",
      title="General purpose, compute and memory instances consider Graviton",
      notes="컴퓨팅 > EC2 구매 옵션", best_practice="SUS05-BP02",
      facts=[facts.GRAVITON_ENERGY_SAVING_PCT, facts.GRAVITON_FAMILY_OF, facts.GRAVITON_SIZES,
             facts.GRAVITON_METAL_FAMILIES])
def graviton_instance_family(arch):
    """AWS states that Graviton3-based instances use up to 60% less energy
    than comparable EC2 instances for the same performance (Well-Architected
    Machine Learning Lens, MLSUS-12; not on the project's checked fact
    sheet, hence advice only). For Linux workloads built from open-source or
    in-house code the move is often a change of instance type and AMI.

    The rule suggests the Graviton3 instance of the same class and size for
    x86 M, C and R families: general purpose, compute and memory to m7g,
    c7g and r7g, network-optimised to c7gn, local NVMe to m7gd, c7gd and
    r7gd, and `.metal` sizes to `.metal`. It names only sizes that exist,
    and says nothing where no Graviton3 family keeps the class (m6in, r6in,
    r5b, m5zn), for Windows (`platform: windows`; Windows Server does not
    run on Graviton) or an unknown OS, for third-party appliances (x86-only
    Marketplace images), and nothing about burstable or specialised
    families.

    Fix: test the workload on the suggested family (arm64 AMI and build) and
    switch if it holds; otherwise suppress the finding with the reason.
    """
    pct = facts.GRAVITON_ENERGY_SAVING_PCT.value
    for compute in arch.of_type("ec2_instance", "launch_template", "auto_scaling_group"):
        target = graviton_counterpart(arch, compute)
        if target is None:
            continue
        yield Violation(compute.path("instance_type"),
                        f"`{compute.name}` uses {compute.instance_type}; by AWS's figure {target} (Graviton3) uses up "
                        f"to {pct}% less energy for the same performance, if the software runs on arm64 (the "
                        "Graviton4 `8g` families are the current generation)")
