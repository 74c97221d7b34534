"""Generate architecture files (and CloudFormation templates) of N resources with a realistic mix.

    python benchmarks/generate.py arch 1000 > /tmp/arch-1000.yaml

The mix repeats a unit of one VPC with subnets in three AZs, route tables, a
NAT gateway, security groups, an Auto Scaling group, instances with volumes,
a load balancer, an RDS database, a cache, a bucket, queues and functions.
"""
from __future__ import annotations

import sys

import yaml

AZS = ("a", "b", "c")


def unit(i: int, region: str = "eu-west-1") -> dict:
    p = f"u{i}-"
    octet = i % 250
    second = (i // 250) % 250
    r = {
        p + "vpc": {"type": "vpc", "region": region, "cidr": f"10.{second}.0.0/16", "stack": "network"},
        p + "igw": {"type": "internet_gateway", "vpc": p + "vpc"},
        p + "public-rt": {"type": "route_table", "vpc": p + "vpc",
                          "routes": [{"destination": "0.0.0.0/0", "target": p + "igw"}]},
        p + "private-rt": {"type": "route_table", "vpc": p + "vpc",
                           "routes": [{"destination": "0.0.0.0/0", "target": p + "nat"}]},
        p + "nat": {"type": "nat_gateway", "subnet": p + "public-a"},
        p + "web-sg": {"type": "security_group", "vpc": p + "vpc",
                       "ingress": [{"protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"}]},
        p + "app-sg": {"type": "security_group", "vpc": p + "vpc",
                       "ingress": [{"protocol": "tcp", "ports": 8080, "source_security_group": p + "web-sg"}]},
        p + "lb": {"type": "load_balancer", "lb_type": "alb", "subnets": [p + "public-a", p + "public-b"],
                   "listeners": [{"protocol": "HTTPS", "port": 443}], "security_groups": [p + "web-sg"]},
        p + "asg": {"type": "auto_scaling_group", "subnets": [p + "app-a", p + "app-b"], "min_size": 2,
                    "max_size": 6, "instance_type": "m7g.large", "security_groups": [p + "app-sg"]},
        p + "db": {"type": "rds_instance", "engine": "postgres", "subnets": [p + "app-a", p + "app-b"],
                   "multi_az": i % 3 != 0, "storage_encrypted": True, "backup_retention_days": 7},
        p + "cache": {"type": "elasticache_cluster", "engine": "redis", "subnets": [p + "app-a", p + "app-b"],
                      "strategy": "lazy_loading", "ttl": "5m", "multi_az": True, "automatic_failover": True},
        p + "bucket": {"type": "s3_bucket", "region": region, "versioning": "enabled", "encryption": "sse-kms"},
        p + "queue": {"type": "sqs_queue", "visibility_timeout": "3m", "receive_wait": "20s"},
        p + "fn": {"type": "lambda_function", "runtime": "python3.12", "memory_mb": 512, "timeout_s": 30},
    }
    for zone in AZS:
        index = AZS.index(zone)
        r[p + "public-" + zone] = {"type": "subnet", "vpc": p + "vpc", "az": region + zone, "public": True,
                                   "cidr": f"10.{second}.{index}.0/24", "route_table": p + "public-rt"}
        r[p + "app-" + zone] = {"type": "subnet", "vpc": p + "vpc", "az": region + zone,
                                "cidr": f"10.{second}.{10 + index}.0/24", "route_table": p + "private-rt"}
        r[p + "vm-" + zone] = {"type": "ec2_instance", "subnet": p + "app-" + zone, "instance_type": "m7g.large",
                               "security_groups": [p + "app-sg"]}
        r[p + "vol-" + zone] = {"type": "ebs_volume", "az": region + zone, "volume_type": "gp3", "size_gb": 100,
                                "attached_to": [p + "vm-" + zone], "snapshots": True}
    del octet
    return r


UNIT_SIZE = len(unit(0))


def architecture(n: int) -> dict:
    resources = {"network": {"type": "cloudformation_stack", "layer": "network", "drift_detection": True}}
    i = 0
    while len(resources) < n:
        resources.update(unit(i))
        i += 1
    names = list(resources)[:n]
    return {"version": 1, "name": f"generated-{n}",
            "requirements": {"availability": 99.95, "rto": "1h", "rpo": "15m"},
            "resources": {name: resources[name] for name in names}}


def dump(document: dict) -> str:
    return yaml.dump(document, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False,
                     default_flow_style=False, width=120)


if __name__ == "__main__":
    kind, count = sys.argv[1], int(sys.argv[2])
    if kind == "arch":
        sys.stdout.write(dump(architecture(count)))
    else:
        raise SystemExit(f"unknown kind {kind}")
