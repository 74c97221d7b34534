"""A fixed rule pack for format snapshots, so they do not change when built-in rules are added."""
from __future__ import annotations

from wavalidate.api import Violation, rule


@rule("SEC998", "admin-port-open", severity="critical", title="Admin ports are not open to the internet",
      notes="fixture")
def admin_port_open(arch):
    """SSH open to 0.0.0.0/0 invites brute force.

    Fix: allow SSH only from a bastion's security group, or use Session Manager.
    """
    for sg in arch.of_type("security_group"):
        for index, item in enumerate(sg.ingress or ()):
            if item.get("cidr") == "0.0.0.0/0" and str(item.get("ports")) == "22":
                yield Violation(sg.path("ingress", index, "cidr"),
                                f"security group `{sg.name}` opens port 22 to the internet")


@rule("REL998", "db-multi-az", severity="high", title="Databases run Multi-AZ", notes="fixture",
      best_practice="REL10-BP01")
def db_multi_az(arch):
    """One AZ is one failure domain.

    Fix: set `multi_az: true`.
    """
    for db in arch.of_type("rds_instance"):
        if not db.multi_az:
            yield Violation(db.path("multi_az"),  # characters every format must escape
                            f"RDS instance `{db.name}` runs in 1 AZ; needs 99.95% | \"2\" <AZs>\nsecond line")


@rule("COST998", "oversized-count", severity="low", title="Instance counts stay modest", notes="fixture")
def oversized_count(arch):
    """Many instances cost money.

    Fix: use Auto Scaling.
    """
    for ec2 in arch.of_type("ec2_instance"):
        if (ec2.count or 1) > 10:
            yield Violation(ec2.path("count"), f"`{ec2.name}` runs {ec2.count} instances, over 10: a, b%c")


@rule("OPS998", "needs-description", severity="info", title="Resources are described", notes="fixture")
def needs_description(arch):
    """Descriptions help operators.

    Fix: add `description`.
    """
    for vpc in arch.of_type("vpc"):
        if not vpc.description:
            yield Violation(vpc.path("description"), f"VPC `{vpc.name}` has no description")
