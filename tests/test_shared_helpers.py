"""The model queries and the helpers the built-in rule modules share."""
from __future__ import annotations

from wavalidate.model import Architecture
from wavalidate_rules import _shared
from wavalidate_rules.compute import cluster_members, members_by_group

ARCH = Architecture({"resources": {
    "vpc": {"type": "vpc", "cidr": "10.0.0.0/16", "secondary_cidrs": ["10.1.0.0/16", "nonsense"]},
    "igw": {"type": "internet_gateway", "vpc": "vpc"},
    "nat": {"type": "nat_gateway", "subnet": "public-a"},
    "public-rt": {"type": "route_table", "vpc": "vpc",
                  "routes": [{"destination": "10.9.0.0/16", "target": "gone"},
                             {"destination": "0.0.0.0/0", "target": "igw"}]},
    "private-rt": {"type": "route_table", "vpc": "vpc", "routes": [{"destination": "0.0.0.0/0", "target": "nat"}]},
    "public-a": {"type": "subnet", "vpc": "vpc", "cidr": "10.0.0.0/24", "az": "eu-west-1a",
                 "route_table": "public-rt"},
    "declared-b": {"type": "subnet", "vpc": "vpc", "cidr": "10.0.1.0/24", "az": "eu-west-1b",
                   "route_table": "private-rt", "public": True},
    "private-b": {"type": "subnet", "vpc": "vpc", "cidr": "10.0.2.0/24", "az": "eu-west-1b",
                  "route_table": "private-rt"},
    "cluster": {"type": "placement_group", "strategy": "cluster"},
    "spread": {"type": "placement_group", "strategy": "spread"},
    "web": {"type": "ec2_instance", "subnet": "public-a", "count": 3, "placement_group": "cluster"},
    "db-host": {"type": "ec2_instance", "subnet": "private-b", "placement_group": "spread"},
    "asg": {"type": "auto_scaling_group", "subnets": ["public-a", "private-b"], "min_size": 2, "desired": 4,
            "placement_group": "cluster"},
}})


def test_route_targets_skip_routes_to_unknown_resources():
    routes = ARCH.route_targets(ARCH.get("public-a"))
    assert [(i, target.name) for i, _, target in routes] == [(1, "igw")]
    assert ARCH.route_targets(ARCH.get("vpc")) == []


def test_public_by_route_or_by_declaration():
    public_a, declared_b, private_b = (ARCH.get(n) for n in ("public-a", "declared-b", "private-b"))
    assert ARCH.is_public_subnet(public_a) and not ARCH.is_public_subnet(declared_b)
    assert ARCH.is_or_declared_public(declared_b) and not ARCH.is_or_declared_public(private_b)
    assert [s.name for s in _shared.public_subnets(ARCH, ARCH.get("asg"))] == ["public-a"]


def test_counts_and_zones():
    assert _shared.instance_count(ARCH.get("web")) == 3
    assert _shared.instance_count(ARCH.get("asg")) == 4
    assert _shared.single_zone(ARCH, ARCH.get("web")) == "eu-west-1a"
    assert _shared.single_zone(ARCH, ARCH.get("asg")) is None


def test_vpc_blocks_leave_out_invalid_cidrs():
    assert [str(b) for b in _shared.vpc_blocks(ARCH.get("vpc"))] == ["10.0.0.0/16", "10.1.0.0/16"]


def test_placement_group_members_are_indexed_in_file_order():
    assert {k: [m.name for m in v] for k, v in members_by_group(ARCH).items()} == {
        "cluster": ["web", "asg"], "spread": ["db-host"]}
    assert list(cluster_members(ARCH)) == ["cluster"]


def test_cached_indexes_are_built_once_per_file():
    calls = []

    def index(arch, key):
        calls.append(key)
        return (key, len(arch.resources))

    assert ARCH.cached(index, "a") == ARCH.cached(index, "a") == ("a", len(ARCH.resources))
    assert ARCH.cached(index, "b") == ("b", len(ARCH.resources))
    assert calls == ["a", "b"]
    assert _shared.replicas_by_source(ARCH) is _shared.replicas_by_source(ARCH)


def test_log_buckets_by_trail_by_flag_and_by_name():
    from wavalidate.model import Architecture
    from wavalidate_rules._shared import log_buckets
    arch = Architecture({"version": 1, "resources": {
        "audit-store": {"type": "s3_bucket"},
        "trail": {"type": "cloudtrail_trail", "bucket": "audit-store"},
        "LoggingBucket": {"type": "s3_bucket"},
        "alb_access.logs": {"type": "s3_bucket"},
        "blog-assets": {"type": "s3_bucket"},
        "catalog": {"type": "s3_bucket", "logs": True},
        "app-logs-replay": {"type": "s3_bucket", "logs": False},
    }})
    assert log_buckets(arch) == {"audit-store", "LoggingBucket", "alb_access.logs", "catalog"}
