"""Databases: RDS, Aurora and DynamoDB (notes: 데이터베이스)."""
from __future__ import annotations

from wavalidate.api import Violation, facts, rule
from wavalidate_rules._shared import (
    STORE_KIND,
    availability_need,
    critical_data,
    plan_members,
    public_subnets,
    replicas_by_source,
)

DAY_S = 86400  # a day: the usual schedule of a backup plan


@rule("REL001", severity="high", title="RDS databases run Multi-AZ where availability matters",
      notes="데이터베이스 > RDS", best_practice="REL10-BP01",
      facts=[facts.RDS_MULTI_AZ, facts.RDS_MULTI_AZ_INSTANCE_STANDBYS])
def rds_multi_az(arch):
    """A Single-AZ DB instance is one failure domain: when its AZ or host fails,
    the database is down until AWS replaces it and recovery from backups or
    logs finishes. A Multi-AZ deployment keeps a synchronous standby in another
    AZ and fails over automatically, usually within a minute or two. Read
    replicas are asynchronous and do not replace a standby.

    Fix: set `multi_az: true` (a Multi-AZ DB instance, every engine), or, for
    MySQL and PostgreSQL only, `deployment: multi_az_cluster` for a writer
    with two readable standbys in three AZs. If this database does not need
    the workload's availability target, say so with a resource-level
    `requirements: {availability: ...}`.
    """
    for db in arch.of_type("rds_instance"):
        if db.read_replica_of:
            continue
        multi = db.multi_az or db.deployment in ("multi_az_instance", "multi_az_cluster")
        if multi or not arch.needs_high_availability(db):
            continue
        yield Violation(db.path("multi_az"), f"RDS instance `{db.name}` runs in a single AZ, but the workload needs "
                                             f"{availability_need(arch, db)}; enable Multi-AZ so a standby in "
                                             "another AZ takes over")


@rule("REL413", severity="high",
      title="Multi-AZ DB clusters run MySQL or PostgreSQL",
      notes="데이터베이스 > RDS", best_practice="REL10-BP01",
      facts=[facts.RDS_MULTI_AZ_CLUSTER_ENGINES, facts.RDS_MULTI_AZ_CLUSTER_READABLE_STANDBYS])
def rds_multi_az_cluster_engine(arch):
    """A Multi-AZ DB cluster (one writer and two readable standbys in three
    AZs) exists only for RDS for MySQL and RDS for PostgreSQL. A design that
    asks for one with MariaDB, Oracle, SQL Server or Db2 cannot be deployed
    that way, and the availability it counts on is not there.

    Fix: use a Multi-AZ DB instance (`deployment: multi_az_instance`, one
    synchronous standby) for this engine, or move to MySQL or PostgreSQL
    (or Aurora) if readable standbys are what the design needs.
    """
    engines = facts.RDS_MULTI_AZ_CLUSTER_ENGINES.value
    for db in arch.of_type("rds_instance"):
        if db.deployment == "multi_az_cluster" and db.engine not in engines:
            yield Violation(db.path("deployment"),
                            f"RDS `{db.name}` runs {db.engine}, but Multi-AZ DB clusters exist only for "
                            f"{' and '.join(sorted(engines))}; use a Multi-AZ DB instance")


# -- helpers ------------------------------------------------------------------

def replica_limit(engine: str):
    """The most read replicas one RDS source of this engine may have, or None if unknown."""
    fact = facts.RDS_READ_REPLICA_FACTS.get(engine)
    return fact.value if fact is not None else None


# -- RDS ----------------------------------------------------------------------

@rule("SEC400", severity="high",
      title="RDS and Aurora storage is encrypted at rest",
      notes="데이터베이스 > RDS", best_practice="SEC08-BP02", facts=[facts.RDS_ENCRYPTION_AT_CREATION])
def db_storage_encrypted(arch):
    """RDS and Aurora encrypt storage, automated backups, snapshots and read
    replicas with AES-256 and a KMS key, but only when encryption is chosen
    when the instance or cluster is created. It cannot be enabled in place
    later, cannot be disabled, and read replicas inherit the source's setting
    (so the rule reports the source, not its replicas).

    An explicit `storage_encrypted: false` is reported as high; a database
    that does not say is reported as medium, since the design does not show
    the encryption it will need on day one.

    Fix: set `storage_encrypted: true` with a KMS key. An existing unencrypted
    database cannot be switched over: take a snapshot, copy the snapshot with
    encryption enabled, restore a new encrypted instance from the copy and
    move the application to it (plan the cutover, or use replication to keep
    the downtime short).
    """
    for db in arch.of_type("rds_instance", "aurora_cluster"):
        if db.type == "rds_instance" and db.read_replica_of:
            continue
        if db.storage_encrypted:
            continue
        kind = STORE_KIND[db.type]
        if db.has("storage_encrypted"):
            yield Violation(db.path("storage_encrypted"),
                            f"{kind} `{db.name}` stores its data unencrypted; encryption can only be chosen at "
                            "creation (snapshot, encrypted copy, restore to switch)")
        else:
            yield Violation(db.path("storage_encrypted"),
                            f"{kind} `{db.name}` does not declare `storage_encrypted: true`; encryption at rest "
                            "can only be chosen at creation", severity="medium")


@rule("REL401", severity="high",
      title="RDS automated backups are not switched off",
      notes="데이터베이스 > RDS", best_practice="REL09-BP03",
      facts=[facts.RDS_BACKUP_RETENTION_DAYS, facts.RDS_READ_REPLICA_NEEDS_BACKUPS])
def rds_backup_retention(arch):
    """A backup retention period of 0 days disables automated backups, and with
    them point-in-time recovery: a bad migration, a dropped table or a
    corrupted volume can then only be restored from manual snapshots, if any.
    Retention runs from 0 to 35 days; Multi-AZ DB clusters need at least 1.
    A source DB instance also needs automated backups to have read replicas,
    so the message names the replicas that depend on it. Read replicas
    themselves are skipped (their source's backups count).

    Fix: set `backup_retention_days` to at least 1 (7 or more is common for
    production), and keep longer-term copies in an AWS Backup plan.
    """
    low, high = facts.RDS_BACKUP_RETENTION_DAYS.value
    replicas = replicas_by_source(arch)
    for db in arch.of_type("rds_instance"):
        if db.read_replica_of or not db.has("backup_retention_days") or db.backup_retention_days != low:
            continue
        extra = " (a Multi-AZ DB cluster needs at least 1 day)" if db.deployment == "multi_az_cluster" else ""
        names = [r.name for r in replicas.get(db.name, ())]
        if names:
            many = len(names) > 1
            listed = "`, `".join(names)
            extra += f", and its read replica{'s' if many else ''} `{listed}` need{'' if many else 's'} them"
        yield Violation(db.path("backup_retention_days"),
                        f"RDS instance `{db.name}` keeps automated backups for 0 days, which disables them and "
                        f"point-in-time recovery{extra}; keep them for 1 to {high} days")


@rule("REL402", severity="high",
      title="RDS sources stay within the read replica limit of their engine",
      notes="데이터베이스 > RDS", best_practice="REL01-BP01",
      facts=[facts.RDS_READ_REPLICAS_MAX, facts.RDS_SQLSERVER_READ_REPLICAS_MAX,
             facts.RDS_ORACLE_READ_REPLICAS_MAX, facts.RDS_DB2_READ_REPLICAS_MAX])
def rds_read_replica_limit(arch):
    """One RDS source DB instance can have at most 15 read replicas for MySQL,
    MariaDB, PostgreSQL and SQL Server, at most 5 for Oracle and 3 for Db2
    (from the API reference; not on the fact sheet). The notes
    (their replica figure) give 5 for SQL Server, which is out of date: SQL
    Server allows 15 as well. The rule counts `rds_instance` resources whose
    `read_replica_of` names the same source; replicas of replicas count
    against their own source.

    Fix: spread reads over fewer, larger replicas, cascade replicas where the
    engine supports it, put a cache (ElastiCache) in front of the database, or
    move read-heavy work to Aurora, whose cluster volume serves up to 15
    Aurora Replicas per cluster.
    """
    for source_name, replicas in replicas_by_source(arch).items():
        source = arch.get(source_name)
        limit = replica_limit(source.engine)
        if limit is None or len(replicas) <= limit:
            continue
        first_extra = replicas[limit]
        yield Violation(first_extra.path("read_replica_of"),
                        f"RDS instance `{source_name}` ({source.engine}) has {len(replicas)} read replicas, but "
                        f"one source may have at most {limit}; `{first_extra.name}` is over the limit")


@rule("REL403", severity="medium",
      title="RDS read replicas do not all sit in the source's AZ",
      notes="데이터베이스 > RDS", best_practice="REL10-BP01",
      facts=[facts.RDS_READ_REPLICAS_MAX, facts.RDS_MULTI_AZ])
def rds_replicas_other_az(arch):
    """Read replicas in the same Availability Zone as their source share its
    failure domain: when that AZ fails, the source and every replica go
    together, so the read capacity is gone and there is no replica left to
    promote. Only replicas with a declared `az` are compared; a source with a
    replica in another Region or AZ (or one of unknown AZ) passes.

    Fix: place at least one read replica in another AZ of the Region (and, if
    the database must survive the loss of the Region, one in another Region).
    Replicas are not a substitute for Multi-AZ: keep a standby too where
    availability matters.
    """
    for source_name, replicas in replicas_by_source(arch).items():
        source = arch.get(source_name)
        zone = source.az
        if not zone or any(r.az != zone for r in replicas):
            continue
        count = ("its read replica runs" if len(replicas) == 1 else "both its read replicas run" if len(replicas) == 2
                 else f"all {len(replicas)} of its read replicas run")
        yield Violation(replicas[0].path("az"),
                        f"RDS instance `{source_name}` is in {zone} and {count} there too; one AZ failure takes "
                        "the source and every replica down")


# -- Aurora -------------------------------------------------------------------

def aurora_writers(cluster) -> int:
    instances = cluster.instances or []
    writers = sum(1 for i in instances if i.get("role") == "writer")
    return writers if writers else (1 if instances else 0)


@rule("REL404", severity="high",
      title="Aurora clusters have one writer and at most 15 Aurora Replicas",
      notes="데이터베이스 > Aurora DB 클러스터", best_practice="REL01-BP01",
      facts=[facts.AURORA_MAX_REPLICAS])
def aurora_instance_count(arch):
    """An Aurora DB cluster has one primary (writer) instance and up to 15
    Aurora Replicas that read from the same cluster volume. Instances without
    a `role` count as replicas after the first; with no declared writer the
    first instance is taken as the writer.

    Fix: keep one writer and at most 15 readers per cluster; for more read
    capacity use larger reader classes, Aurora Auto Scaling within the limit,
    a cache, or a second cluster (for example an Aurora global database
    secondary in another Region).
    """
    limit = facts.AURORA_MAX_REPLICAS.value
    for cluster in arch.of_type("aurora_cluster"):
        instances = cluster.instances or []
        writers = [n for n, i in enumerate(instances) if i.get("role") == "writer"]
        if len(writers) > 1:
            yield Violation(cluster.path("instances", writers[1], "role"),
                            f"Aurora cluster `{cluster.name}` declares {len(writers)} writers, but a cluster has "
                            "one primary instance; the others must be readers")
        replicas = len(instances) - aurora_writers(cluster)
        if replicas > limit:
            yield Violation(cluster.path("instances", limit + 1),
                            f"Aurora cluster `{cluster.name}` has {replicas} Aurora Replicas, but a cluster has at "
                            f"most {limit}")


@rule("REL405", severity="high",
      title="Aurora clusters that need availability have a replica to fail over to",
      notes="데이터베이스 > Aurora DB 클러스터", best_practice="REL10-BP01",
      facts=[facts.AURORA_MAX_REPLICAS, facts.AURORA_FAILOVER_TIERS])
def aurora_failover_replica(arch):
    """Aurora keeps six copies of the data across three AZs, but the compute is
    only as available as its instances. When the writer fails, Aurora
    promotes an Aurora Replica (by failover tier, 0 first); with no replica it
    has to create a new primary instance, which takes far longer than a
    promotion. A cluster with a single instance therefore is not highly
    available, however durable its storage.

    Fix: add at least one reader in another AZ (`instances` with `role:
    reader`), give it failover tier 0 or 1 and the writer's instance class so
    it can take the load.
    """
    for cluster in arch.of_type("aurora_cluster"):
        instances = cluster.instances or []
        if not instances or not arch.needs_high_availability(cluster):
            continue
        if len(instances) - aurora_writers(cluster) > 0:
            continue
        yield Violation(cluster.path("instances"),
                        f"Aurora cluster `{cluster.name}` has no Aurora Replica, so a failover must create a new "
                        "instance; add a reader in another AZ")


@rule("REL406", severity="high",
      title="Aurora instances are spread over more than one AZ",
      notes="데이터베이스 > Aurora DB 클러스터", best_practice="REL10-BP01",
      facts=[facts.AURORA_FAILOVER_TIERS])
def aurora_instances_one_az(arch):
    """Aurora Replicas are the failover targets of the writer. When every
    instance of a cluster runs in the same AZ, the loss of that AZ takes the
    writer and all its replicas at once, and the cluster is down until
    Aurora can create an instance elsewhere. The rule compares the declared
    `az` of the instances (all must be given); it reports high where the
    workload needs high availability and medium otherwise.

    Fix: put the readers in other AZs of the Region than the writer, with a
    low failover tier on at least one of them.
    """
    for cluster in arch.of_type("aurora_cluster"):
        instances = cluster.instances or []
        zones = [i.get("az") for i in instances]
        if len(instances) < 2 or not all(zones) or len(set(zones)) > 1:
            continue
        severity = None if arch.needs_high_availability(cluster) else "medium"
        yield Violation(cluster.path("instances", 1, "az"),
                        f"all {len(instances)} instances of Aurora cluster `{cluster.name}` run in {zones[0]}; "
                        "one AZ failure takes the writer and every replica", severity=severity)


# -- DynamoDB -----------------------------------------------------------------

@rule("REL407", severity="high",
      title="DynamoDB tables declare a partition key",
      notes="데이터베이스 > DynamoDB", best_practice="PERF03-BP01",
      facts=[facts.DYNAMODB_KEY_SCHEMA])
def dynamodb_partition_key(arch):
    """Every DynamoDB table needs its primary key at creation, either a
    partition key alone (simple key) or a partition key and a sort key
    (composite key).
    The key decides how items are spread over partitions and which queries
    are cheap, and it cannot be changed later without copying the table.

    Fix: declare `partition_key` (a high-cardinality attribute that spreads
    requests evenly) and, when items share it, a `sort_key`.
    """
    for table in arch.of_type("dynamodb_table"):
        if not table.partition_key:
            yield Violation(table.path("partition_key"),
                            f"DynamoDB table `{table.name}` has no partition key; a table cannot be created "
                            "without one")


@rule("REL408", severity="high",
      title="DynamoDB local secondary indexes follow their limits",
      notes="데이터베이스 > DynamoDB", best_practice="REL01-BP01",
      facts=[facts.DYNAMODB_LSI_MAX, facts.DYNAMODB_LSI_AT_CREATION])
def dynamodb_lsi(arch):
    """A local secondary index shares the table's partition key and offers
    another sort key. A table has at most 5 of them, they can only be created
    with the table (never added or deleted later), and each partition key
    value with LSIs is limited to 10 GB of items.

    Fix: keep at most 5 LSIs, give each the table's partition key, and create
    them with the table. For an index added later, another partition key or
    more indexes, use a global secondary index (up to 20 by default); or
    recreate the table with the LSI and copy the data.
    """
    limit = facts.DYNAMODB_LSI_MAX.value
    for table in arch.of_type("dynamodb_table"):
        lsis = table.lsis or []
        if len(lsis) > limit:
            yield Violation(table.path("lsis", limit),
                            f"DynamoDB table `{table.name}` has {len(lsis)} local secondary indexes, but a table "
                            f"has at most {limit}")
        for n, lsi in enumerate(lsis):
            key = lsi.get("partition_key")
            if key and table.partition_key and key != table.partition_key:
                yield Violation(table.path("lsis", n, "partition_key"),
                                f"local secondary index `{lsi['name']}` of `{table.name}` uses partition key "
                                f"`{key}`, but an LSI must use the table's `{table.partition_key}`; use a GSI")
            if lsi.get("added_after_creation"):
                yield Violation(table.path("lsis", n, "added_after_creation"),
                                f"local secondary index `{lsi['name']}` of `{table.name}` is added after the table "
                                "was created, but LSIs exist only from creation; use a GSI or recreate the table")


@rule("REL409", severity="medium",
      title="DynamoDB tables stay within the global secondary index quota",
      notes="데이터베이스 > DynamoDB", best_practice="REL01-BP01",
      facts=[facts.DYNAMODB_GSI_DEFAULT])
def dynamodb_gsi_quota(arch):
    """A table has at most 20 global secondary indexes by default. The quota
    can be raised, so this is a warning: plan the increase before deploying,
    and ask whether every index pays for its write amplification (each write
    to the table is also written to every GSI that projects it).

    Fix: request a higher quota through Service Quotas, or merge indexes
    (overloaded GSIs with generic key attributes serve several access
    patterns).
    """
    limit = facts.DYNAMODB_GSI_DEFAULT.value
    for table in arch.of_type("dynamodb_table"):
        gsis = table.gsis or []
        if len(gsis) > limit:
            yield Violation(table.path("gsis", limit),
                            f"DynamoDB table `{table.name}` has {len(gsis)} global secondary indexes, over the "
                            f"default quota of {limit} per table; request an increase first")


@rule("REL410", severity="high",
      title="DynamoDB tables holding critical data have point-in-time recovery",
      notes="데이터베이스 > DynamoDB", best_practice="REL09-BP03",
      facts=[facts.DYNAMODB_PITR_DAYS])
def dynamodb_pitr(arch):
    """Point-in-time recovery keeps continuous backups of a table so it can be
    restored to any second of the recovery period (1 to 35 days, 35 by
    default). Without it, a faulty deployment or a bad batch job that
    overwrites items can only be undone from the last on-demand or scheduled
    backup. The rule applies where the requirements mark the data critical
    or classify it confidential or restricted. Global table replicas copy
    mistakes as fast as good writes, so they do not replace PITR.

    A table that an AWS Backup plan covers, in a workload whose RPO is a
    day or more, meets its objective with the plan's daily backups; with a
    plan and a shorter (or no stated) RPO the finding is medium.

    Fix: set `pitr: true` (and keep scheduled backups in an AWS Backup plan
    for retention beyond 35 days).
    """
    planned = set()
    for plan in arch.of_type("backup_plan"):
        planned.update(plan_members(arch, plan))
    planned.update(t.name for t in arch.of_type("dynamodb_table") if t.get("backup"))
    for table in arch.of_type("dynamodb_table"):
        if table.pitr or not critical_data(arch, table):
            continue
        needs = arch.requirements_for(table)
        rpo = needs.rpo_seconds
        if table.name in planned and rpo is not None and rpo >= DAY_S:
            continue
        what = "critical" if needs.get("critical") else needs.get("data_classification")
        yield Violation(table.path("pitr"),
                        f"DynamoDB table `{table.name}` holds {what} data but point-in-time recovery is off; "
                        + ("an overwrite can only be undone from the plan's last backup" if table.name in planned
                           else "an overwrite can only be undone from the last backup"),
                        severity="medium" if table.name in planned else None)


@rule("SEC411", severity="medium",
      title="RDS and Aurora databases are not flagged publicly accessible",
      notes="데이터베이스 > RDS", best_practice="SEC05-BP02",
      facts=[facts.PUBLIC_SUBNET_ROUTE_DESTINATIONS])
def db_not_publicly_accessible(arch):
    """`publicly_accessible: true` gives the database endpoint a public IP
    address; as soon as its subnet routes to an internet gateway, only
    security groups stand between the database and the internet. A database
    in a public subnet is SEC108's finding (critical when it is also
    publicly accessible); this rule reports the flag on databases in private
    or unknown subnets, a latent exposure that one route change activates.

    Fix: set `publicly_accessible: false`, place the DB subnet group in
    private subnets, and reach the database from operators' networks through
    a VPN, Direct Connect or a bastion/Session Manager tunnel.
    """
    for db in arch.of_type("rds_instance", "aurora_cluster"):
        if db.publicly_accessible and not any(public_subnets(arch, db)):
            kind = STORE_KIND[db.type]
            yield Violation(db.path("publicly_accessible"),
                            f"{kind} `{db.name}` is marked publicly accessible; one route to an internet "
                            "gateway would expose it, so switch it off")


@rule("REL412", severity="high",
      title=f"DynamoDB items fit in {facts.DYNAMODB_ITEM_MAX_KB.value} KB",
      notes="데이터베이스 > DynamoDB", best_practice="PERF03-BP01",
      facts=[facts.DYNAMODB_ITEM_MAX_KB])
def dynamodb_item_size(arch):
    """A DynamoDB item, attribute names and values together, is at most
    400 KB. Writes of larger items fail, whatever the capacity mode. The
    rule compares the declared `largest_item_kb` with the limit.

    Fix: store large payloads in S3 and keep the object key (and a few
    attributes) in the item, or split the item across several items that
    share the partition key; compress attributes where that is enough.
    """
    limit = facts.DYNAMODB_ITEM_MAX_KB.value
    for table in arch.of_type("dynamodb_table"):
        size = table.largest_item_kb
        if size is not None and size > limit:
            yield Violation(table.path("largest_item_kb"),
                            f"DynamoDB table `{table.name}` expects items of {size:g} KB, but an item is at most "
                            f"{limit} KB; keep large payloads in S3")
