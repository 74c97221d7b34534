"""Databases: RDS, Aurora and DynamoDB (notes: 데이터베이스)."""
from __future__ import annotations

from wavalidate import facts
from wavalidate.api import Violation, rule


@rule("REL001", "rds-multi-az", severity="high", title="RDS databases run Multi-AZ where availability matters",
      notes="데이터베이스 > RDS", best_practice="REL10-BP01", facts=[facts.RDS_MULTI_AZ])
def rds_multi_az(arch):
    """A Single-AZ DB instance is one failure domain: when its AZ or host fails,
    the database is down until AWS replaces it and recovery from backups or
    logs finishes. A Multi-AZ deployment keeps a synchronous standby in another
    AZ and fails over automatically, usually within a minute or two. Read
    replicas are asynchronous and do not replace a standby.

    Fix: set `multi_az: true` (a Multi-AZ DB instance), or `deployment: multi_az_cluster`
    for a writer with two readable standbys in three AZs. If this database
    does not need the workload's availability target, say so with a
    resource-level `requirements: {availability: ...}`.
    """
    for db in arch.of_type("rds_instance"):
        if db.read_replica_of:
            continue
        multi = db.multi_az or db.deployment in ("multi_az_instance", "multi_az_cluster")
        if multi or not arch.needs_high_availability(db):
            continue
        target = arch.requirements_for(db).availability
        need = f"a {target:g}% availability target" if target is not None else "high availability"
        yield Violation(db.path("multi_az"), f"RDS instance `{db.name}` runs in a single AZ, but the workload needs {need}; "
                               "enable Multi-AZ so a standby in another AZ takes over")
