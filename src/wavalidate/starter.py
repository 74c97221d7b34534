'''The starter architecture file that `wavalidate init` writes.'''
from __future__ import annotations

STARTER = """\
# A starter architecture for wavalidate: a web tier behind a load balancer in
# two Availability Zones, and a Multi-AZ database. Check it with
#
#     wavalidate check architecture.yaml
#
# `wavalidate docs` lists the resource types and `wavalidate docs TYPE` (e.g.
# `wavalidate docs subnet`) prints a type's fields, nested keys, allowed values
# and an example; `wavalidate explain CODE` explains a finding, and
# `wavalidate schema` prints a JSON Schema for editors. Resources take their
# Region from their own `region`, their AZ or subnets, or their VPC; list the
# Regions used, with their AZs, in `regions:`. Top-level keys that start with
# `x-` are yours (YAML anchors to reuse with `<<: *name`).
version: 1
name: my-workload
description: What this workload does, in one sentence.

# What the organisation provides outside this file. In a landing zone the
# organisation trail, Config, GuardDuty, Security Hub, SCPs, central egress,
# the shared Transit Gateway and backup policies live in other accounts; say
# so here (or once for the repository in .wavalidate.yaml) and rules will not
# ask for them again. `wavalidate init --landing-zone` writes this block
# filled in. Each capability may name its account and file:
# organization:
#   provides:
#     cloudtrail: {account: log-archive}
#     config: {account: audit}
#     guardduty: {account: audit}
#     security_hub: {account: audit}
#     scps: {account: management}
#     transit_gateway: {account: network}
#     backup: {account: backup}

# What the workload needs. Rules judge the design against these numbers;
# a resource can override any of them under its own `requirements:`.
requirements:
  availability: 99.9          # percent
  rto: 1h                     # recovery time objective
  rpo: 15m                    # recovery point objective
  data_classification: internal
  environment: production
  allowed_regions: [eu-west-1]

regions:
  eu-west-1:
    azs: [eu-west-1a, eu-west-1b]

# Named resources; each has a `type`. References name other resources.
resources:
  app-vpc:
    type: vpc
    region: eu-west-1
    cidr: 10.0.0.0/16
  app-vpc-flow-logs:
    type: flow_log
    resource: app-vpc
    destination: cloudwatch_logs
    traffic: all
  audit-trail:                 # a trail of this account (not needed when the organisation provides one)
    type: cloudtrail_trail
    multi_region: true
    log_file_validation: true

  app-igw:
    type: internet_gateway
    vpc: app-vpc
  public-routes:
    type: route_table
    vpc: app-vpc
    routes:
      - {destination: 0.0.0.0/0, target: app-igw}

  public-a:
    type: subnet
    vpc: app-vpc
    az: eu-west-1a
    cidr: 10.0.0.0/24
    route_table: public-routes
    public: true
  public-b:
    type: subnet
    vpc: app-vpc
    az: eu-west-1b
    cidr: 10.0.1.0/24
    route_table: public-routes
    public: true
  private-a:
    type: subnet
    vpc: app-vpc
    az: eu-west-1a
    cidr: 10.0.10.0/24
  private-b:
    type: subnet
    vpc: app-vpc
    az: eu-west-1b
    cidr: 10.0.11.0/24

  web-lb:
    type: load_balancer
    lb_type: alb
    subnets: [public-a, public-b]
    listeners:
      - {protocol: HTTPS, port: 443, target_group: web-targets}
  web-targets:
    type: target_group
    protocol: HTTP
    port: 8080
    targets: [web-asg]
  web-asg:
    type: auto_scaling_group
    subnets: [private-a, private-b]
    instance_type: m7g.large
    purchase: savings_plan
    min_size: 2
    max_size: 6
    desired: 2
    health_check: elb
    target_groups: [web-targets]

  orders-db:
    type: rds_instance
    engine: postgres
    subnets: [private-a, private-b]
    multi_az: true
    storage_encrypted: true
    backup_retention_days: 7
    deletion_protection: true
    # Accept a finding on this resource, with a reason (and optionally an
    # expiry date, after which it stops suppressing and says so):
    # suppress:
    #   - {rule: REL001, reason: "why this is acceptable here", expires: "2030-01-31"}

# Traffic between resources; some rules follow these.
flows:
  - {source: web-lb, target: web-asg, protocol: tcp, port: 8080}
  - {source: web-asg, target: orders-db, protocol: tcp, port: 5432}

# A finding can also be accepted with a comment on its line or the line above:
#     multi_az: false  # wavalidate: ignore[REL001] single-AZ test database
"""


def starter(landing_zone: bool = False) -> str:
    """The starter file; for a landing-zone member, with the organisation context filled in and no trail of its own."""
    if not landing_zone:
        return STARTER
    lines = STARTER.split("\n")
    start = lines.index("# organization:")
    end = lines.index("#     backup: {account: backup}")
    lines[start:end + 1] = [line[2:] for line in lines[start:end + 1]]
    text = "\n".join(lines)
    trail = text.index("  audit-trail:")
    return text[:trail] + text[text.index("\n\n  app-igw:", trail) + 1:]
