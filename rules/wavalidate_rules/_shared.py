"""Helpers shared by several rule modules (not scanned for rules: the name starts with `_`)."""
from __future__ import annotations

import re

from wavalidate.api import Violation, cidr_or_none

# Data classifications that make data sensitive.
SENSITIVE = ("confidential", "restricted")

# How messages name each kind of data store.
STORE_KIND = {"rds_instance": "RDS instance", "aurora_cluster": "Aurora cluster", "dynamodb_table": "DynamoDB table",
              "efs_file_system": "EFS file system", "fsx_file_system": "FSx file system", "ebs_volume": "EBS volume",
              "s3_bucket": "S3 bucket"}


# -- requirements ----------------------------------------------------------------

def critical_data(arch, resource) -> bool:
    """The requirements call the data critical, or classify it confidential or restricted."""
    needs = arch.requirements_for(resource)
    return bool(needs.get("critical")) or needs.get("data_classification") in SENSITIVE


def availability_need(arch, resource) -> str:
    """What the resource's requirements ask for, for a message: "a 99.9% availability target" or "high availability"."""
    target = arch.requirements_for(resource).availability
    return f"a {target:g}% availability target" if target is not None else "high availability"


# -- backup ----------------------------------------------------------------------------

def plan_members(arch, plan) -> list:
    """Names a backup plan covers: its `resources`, then those whose `tags` match its `selection_tags`."""
    names = list(plan.resources or ())
    wanted = plan.selection_tags
    if wanted:
        names += [r.name for r in arch.resources.values() if r.name not in names
                  and all(str((r.get("tags") or {}).get(k)) == str(v) for k, v in wanted.items())]
    return names


def org_backup_note(arch, path, what):
    """Info for a store the organisation's tag-based backup policies may cover: the file cannot tell."""
    return Violation(path, f"{what} has no backup that this file shows; the organisation's backup policies"
                           f"{arch.provided_where('backup')} select resources by tag: confirm they select it",
                     severity="info")


# -- log and audit buckets -----------------------------------------------------------

# Name words that mark a bucket of logs (`trail-logs`, `alb-access-logs`, `org-audit`).
LOG_WORDS = frozenset({"log", "logs", "logging", "audit", "trail", "cloudtrail", "accesslogs"})


def name_words(name: str) -> set:
    """The words of a name, lower case: `trail-logs`, `alb_access.logs` and `LoggingBucket` alike."""
    return {w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+", name)}


def log_buckets(arch) -> set:
    """Names of the buckets that hold logs: declared `logs: true`, a trail's bucket, or named for logs.

    Logs are kept for audit and investigation; they are not data a recovery
    Region restores to run the workload, and they are written once, so
    versioning and backups of the workload's data do not apply to them.
    """
    names = {t.get("bucket") for t in arch.of_type("cloudtrail_trail") if t.get("bucket")}
    for bucket in arch.of_type("s3_bucket"):
        if bucket.has("logs"):
            if bucket.get("logs"):
                names.add(bucket.name)
            else:
                names.discard(bucket.name)
            continue
        if name_words(bucket.name) & LOG_WORDS:
            names.add(bucket.name)
    return names


# -- compute -----------------------------------------------------------------------

def computes(arch):
    """The instances and Auto Scaling groups, in file order."""
    return arch.of_type("ec2_instance", "auto_scaling_group")


def instance_count(resource) -> int:
    """Running instances of an instance (its `count`) or an Auto Scaling group at its largest."""
    if resource.type == "auto_scaling_group":
        for key in ("max_size", "desired", "min_size"):
            if resource.get(key) is not None:
                return resource.get(key)
        return 1
    return resource.count


def single_zone(arch, resource):
    """The AZ a resource runs in when it runs in exactly one, else None."""
    zones = arch.azs_of(resource)
    return next(iter(zones)) if len(zones) == 1 else None


def placement_path(resource):
    """Where a resource says which AZs it runs in: its subnets, its subnet, else its AZ."""
    for key in ("subnets", "subnet"):
        if resource.has(key):
            return resource.path(key)
    return resource.path("az")


# -- databases -----------------------------------------------------------------------

def replicas_by_source(arch) -> dict:
    """RDS source name -> its read replicas (in file order); sources that do not exist are left out."""
    return arch.cached(_replicas_by_source)


def _replicas_by_source(arch) -> dict:
    index: dict = {}
    for db in arch.of_type("rds_instance"):
        if db.read_replica_of and arch.get(db.read_replica_of) is not None:
            index.setdefault(db.read_replica_of, []).append(db)
    return index


# -- edge --------------------------------------------------------------------------

def cloudfront_fronted(arch, waf_only: bool = False) -> frozenset:
    """Names of the origins of CloudFront distributions (only of those with a web ACL when `waf_only`)."""
    return arch.cached(_cloudfront_fronted, waf_only)


def _cloudfront_fronted(arch, waf_only: bool) -> frozenset:
    names: set = set()
    for distribution in arch.of_type("cloudfront_distribution"):
        if not waf_only or distribution.waf:
            names.update(o.get("target") for o in distribution.origins or () if o.get("target"))
    return frozenset(names)


# -- networks ------------------------------------------------------------------------

def vpc_blocks(vpc) -> list:
    """The VPC's valid CIDR blocks, primary first, then the secondary ones in order."""
    nets = [cidr_or_none(vpc.cidr)] + [cidr_or_none(c) for c in vpc.secondary_cidrs or ()]
    return [n for n in nets if n is not None]


def public_subnets(arch, resource):
    """The subnets of a resource that route to an internet gateway or are declared public (lazily)."""
    return (s for s in arch.subnets_of(resource) if s is not resource and arch.is_or_declared_public(s))


# -- transit gateway routing ------------------------------------------------------------

def tgw_links(arch) -> tuple:
    """(associations, propagations) of Transit Gateway attachments, written on either side.

    associations: attachment name -> the route table names that say it is associated (its own
    `route_table` first, then tables listing it in `associations`); propagations: attachment name ->
    the tables it propagates to (its `propagates_to` and tables listing it in `propagations`).
    """
    return arch.cached(_tgw_links)


def _tgw_links(arch) -> tuple:
    associated: dict = {}
    propagated: dict = {}
    for attachment in arch.of_type("transit_gateway_attachment"):
        if attachment.route_table:
            associated.setdefault(attachment.name, []).append(attachment.route_table)
        for table in attachment.propagates_to or ():
            propagated.setdefault(attachment.name, set()).add(table)
    for table in arch.of_type("transit_gateway_route_table"):
        for name in table.associations or ():
            if table.name not in associated.get(name, ()):
                associated.setdefault(name, []).append(table.name)
        for name in table.propagations or ():
            propagated.setdefault(name, set()).add(table.name)
    return associated, propagated
