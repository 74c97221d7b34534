"""Helpers shared by several rule modules (not scanned for rules: the name starts with `_`).

Each helper reads the model exactly as the rules it replaced did, so that the
unknown-value bookkeeping (see `wavalidate.model.UNKNOWN_READS`) is unchanged.
"""
from __future__ import annotations

import ipaddress

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


# -- databases -----------------------------------------------------------------------

def replicas_by_source(arch) -> dict:
    """RDS source name -> its read replicas (in file order); sources that do not exist are left out."""
    index: dict = {}
    for db in arch.of_type("rds_instance"):
        if db.read_replica_of and arch.get(db.read_replica_of) is not None:
            index.setdefault(db.read_replica_of, []).append(db)
    return index


# -- edge --------------------------------------------------------------------------

def cloudfront_fronted(arch, waf_only: bool = False) -> set:
    """Names of the origins of CloudFront distributions (only of those with a web ACL when `waf_only`)."""
    names: set = set()
    for distribution in arch.of_type("cloudfront_distribution"):
        if not waf_only or distribution.waf:
            names.update(o.get("target") for o in distribution.origins or () if o.get("target"))
    return names


# -- networks ------------------------------------------------------------------------

def cidr_or_none(text):
    """An ip_network for a CIDR string, or None when it is not one."""
    try:
        return ipaddress.ip_network(str(text), strict=False)
    except ValueError:
        return None


def vpc_blocks(vpc) -> list:
    """The VPC's valid CIDR blocks, primary first, then the secondary ones in order."""
    nets = [cidr_or_none(vpc.cidr)] + [cidr_or_none(c) for c in vpc.secondary_cidrs or ()]
    return [n for n in nets if n is not None]


def public_subnets(arch, resource):
    """The subnets of a resource that route to an internet gateway or are declared public (lazily)."""
    return (s for s in arch.subnets_of(resource) if s is not resource and arch.is_or_declared_public(s))
