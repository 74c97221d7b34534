"""Monitoring and load balancing: CloudTrail, CloudWatch, ELB (notes: 모니터링 및 크기 조정)."""
from __future__ import annotations

from wavalidate.api import Violation, facts, rule

# Resource types worth an alarm when they are critical: they serve or hold the workload.
ALARMED_TYPES = ("ec2_instance", "auto_scaling_group", "lambda_function", "load_balancer", "rds_instance",
                 "aurora_cluster", "dynamodb_table", "elasticache_cluster", "efs_file_system", "fsx_file_system",
                 "sqs_queue", "api_gateway", "kinesis_stream", "step_function", "nat_gateway", "vpn_connection",
                 "dx_connection", "cloudfront_distribution")
# A file that declares any of these describes its monitoring or accounts, so a missing trail is an omission.
GOVERNANCE_TYPES = ("cloudwatch_alarm", "cloudwatch_metric", "flow_log", "eventbridge_rule", "account", "org_unit")
COMPUTE_TYPES = ("ec2_instance", "auto_scaling_group", "launch_template")
APPLIANCE_WORDS = ("firewall", "appliance", "ids", "ips", "inspection", "nva", "proxy", "ngfw", "utm", "dpi")


# -- CloudTrail -----------------------------------------------------------------------

@rule("SEC550", severity="medium",
      title="A CloudTrail trail records API activity",
      notes="모니터링 및 크기 조정 > CloudTrail", best_practice="SEC04-BP01",
      facts=[facts.CLOUDTRAIL_EVENT_HISTORY_DAYS])
def cloudtrail_enabled(arch):
    """CloudTrail answers "who did what, when" for every API call. Without a
    trail, only the 90-day event history of management events exists: no
    long-term record for investigations or audits, no data events, and
    nothing to alert on.

    The rule applies to files that describe their monitoring or accounts (an
    alarm, a custom metric, a flow log, an EventBridge rule, an account or an
    OU), where a missing trail may be an omission. It says nothing when the
    organisation provides the trail (`organization.provides.cloudtrail`, in
    the file or the repository's configuration): in a landing zone the
    organisation trail lives in the management or log-archive account,
    outside every workload's file. A workload file (no `account` or
    `org_unit`) that says nothing about its organisation gets a low finding
    that asks; a file that describes the accounts gets a medium one.

    Fix: add a `cloudtrail_trail` (multi-Region, with log file validation,
    delivering to a locked-down S3 bucket; organization-wide when you use
    AWS Organizations), or state that the organisation provides one:
    `organization: {provides: {cloudtrail: {account: log-archive}}}`.
    """
    if arch.of_type("cloudtrail_trail") or arch.provided("cloudtrail") is not None:
        return
    if not arch.of_type(*GOVERNANCE_TYPES):
        return
    if arch.of_type("account", "org_unit"):
        yield Violation(("resources",), "no CloudTrail trail is defined; API activity is kept only in the "
                                        f"{facts.CLOUDTRAIL_EVENT_HISTORY_DAYS.value}-day event history", on_key=True)
        return
    yield Violation(("resources",), "no CloudTrail trail is defined here and the file does not say the organisation "
                                    "provides one (`organization.provides.cloudtrail`); without a trail API activity "
                                    f"is kept only in the {facts.CLOUDTRAIL_EVENT_HISTORY_DAYS.value}-day event "
                                    "history", on_key=True, severity="low")


@rule("SEC551", severity="medium",
      title="Trails validate log files, cover every Region and, with Organizations, every account",
      notes="모니터링 및 크기 조정 > CloudTrail", best_practice="SEC04-BP01",
      facts=[facts.CLOUDTRAIL_DIGEST_INTERVAL_S, facts.CLOUDTRAIL_EVENT_HISTORY_DAYS])
def cloudtrail_configuration(arch):
    """Log file validation adds hourly, RSA-signed digest files with SHA-256
    hashes, so you can prove a log was not altered or deleted after delivery.
    A single-Region trail misses activity in the other Regions (where an
    attacker would go). When the architecture has several accounts or OUs,
    an organization trail records every member account, including accounts
    created later, without relying on each account's own trail.

    Next to an organisation trail (one in the file with `organization:
    true`, or `organization.provides.cloudtrail`), a workload's own trail
    is usually there for data events on some of its resources, in its
    Region: the organisation trail already covers every Region and account,
    so the workload trail is not asked to, and a missing log file validation
    on it is low.

    Fix: set `log_file_validation: true`, `multi_region: true` and, with
    Organizations, `organization: true` on the trail in the management (or
    delegated administrator) account.
    """
    trails = arch.of_type("cloudtrail_trail")
    organization = bool(arch.of_type("org_unit")) or len(arch.of_type("account")) > 1
    org_trail = any(t.organization for t in trails)
    provided = arch.provided("cloudtrail") is not None
    for trail in trails:
        covered = provided or (org_trail and not trail.organization)
        if not trail.log_file_validation:
            yield Violation(trail.path("log_file_validation"),
                            f"trail `{trail.name}` does not validate log files, so tampering with delivered logs "
                            "cannot be detected", severity="low" if covered else None)
        if not trail.multi_region and not covered:
            yield Violation(trail.path("multi_region"),
                            f"trail `{trail.name}` covers one Region; activity in the others is not recorded")
    if organization and not org_trail and trails and not provided:
        trail = trails[0]
        yield Violation(trail.path("organization"),
                        f"the architecture spans several accounts, but trail `{trail.name}` is not an organization "
                        "trail; member accounts (and new ones) are not covered by it")


# -- CloudWatch -------------------------------------------------------------------------

@rule("OPS550", severity="medium",
      title="Critical resources have a CloudWatch alarm",
      notes="모니터링 및 크기 조정 > Cloudwatch 경보", best_practice="OPS08-BP04",
      facts=[facts.CLOUDWATCH_ALARM_STATES])
def critical_resource_alarms(arch):
    """A failure here is a business incident (`requirements.critical`), yet
    no alarm watches the resource, so the first signal is a customer
    complaint. An alarm moves to ALARM when its metric crosses the threshold
    and can notify, scale or remediate.

    Fix: add a `cloudwatch_alarm` with `monitors: [<resource>]` on the metric
    that shows it failing (errors, latency, queue age, health), with actions.
    """
    watched = {name for alarm in arch.of_type("cloudwatch_alarm") for name in alarm.monitors or ()}
    for resource in arch.of_type(*ALARMED_TYPES):
        if resource.name in watched or not arch.requirements_for(resource).get("critical"):
            continue
        yield Violation(resource.path(), f"critical {resource.type.replace('_', ' ')} `{resource.name}` has no "
                                         "CloudWatch alarm", on_key=True)


@rule("OPS551", severity="low",
      title="Alarms notify or act when they fire",
      notes="모니터링 및 크기 조정 > Cloudwatch 경보", best_practice="OPS08-BP04",
      facts=[facts.CLOUDWATCH_ALARM_STATES])
def alarm_actions(arch):
    """An alarm without actions changes state (OK, ALARM,
    INSUFFICIENT_DATA) in the console and nowhere else: nobody is paged and
    nothing scales or recovers.

    Fix: add `actions` (an SNS topic for people or automation, an Auto
    Scaling policy, or a Lambda function).
    """
    for alarm in arch.of_type("cloudwatch_alarm"):
        if not alarm.actions:
            yield Violation(alarm.path("actions") if alarm.has("actions") else alarm.path("metric"),
                            f"alarm `{alarm.name}` on `{alarm.metric}` has no actions; when it fires, nobody is "
                            "told and nothing happens")


@rule("OPS552", severity="high",
      title="Custom metrics do not use the reserved AWS/ namespace prefix",
      notes="모니터링 및 크기 조정 > CloudWatch", best_practice="OPS08-BP01",
      facts=[facts.CLOUDWATCH_AWS_NAMESPACE_PREFIX])
def custom_metric_namespace(arch):
    """Namespaces that start with `AWS/` are reserved for AWS services (the
    notes' AWS/service convention). CloudWatch rejects PutMetricData into
    them, so the custom metric, and every alarm on it, never gets data.

    Fix: publish under your own namespace, such as `MyApp/Orders`.
    """
    prefix = facts.CLOUDWATCH_AWS_NAMESPACE_PREFIX.value
    for metric in arch.of_type("cloudwatch_metric"):
        if str(metric.namespace).startswith(prefix):
            yield Violation(metric.path("namespace"),
                            f"custom metric `{metric.name}` is published under `{metric.namespace}`; namespaces "
                            f"starting with `{prefix}` are reserved for AWS services")


def _needs_agent(metric: str) -> bool:
    name = metric.lower()
    if name in facts.CLOUDWATCH_AGENT_METRICS.value:
        return True
    if "memory" in name or name.startswith("mem") or "swap" in name:
        return True
    return "disk" in name and any(word in name for word in ("used", "free", "space", "util", "percent", "total"))


def _has_agent(arch, resource) -> bool:
    if resource.cloudwatch_agent:
        return True
    template = arch.get(resource.get("launch_template"))
    return template is not None and bool(template.cloudwatch_agent)


@rule("OPS553", severity="medium",
      title="Alarms on EC2 memory or disk space have the CloudWatch agent to feed them",
      notes="모니터링 및 크기 조정 > CloudWatch", best_practice="OPS08-BP01",
      facts=[facts.EC2_METRICS_NEED_AGENT, facts.CLOUDWATCH_AGENT_NAMESPACE, facts.CLOUDWATCH_AGENT_METRICS])
def ec2_memory_metrics_need_agent(arch):
    """EC2 publishes CPU, network and disk I/O metrics, but none for memory,
    swap or disk space use: the hypervisor cannot see inside the guest (the
    notes: CloudWatch does not store memory by default). Those metrics come
    from the CloudWatch agent, under `CWAgent` by default. An alarm on them
    without the agent stays in INSUFFICIENT_DATA forever. That is a blind
    spot rather than an outage, so the rule warns; scaling on such a metric,
    where capacity is at stake, is REL219.

    Fix: install the CloudWatch agent (`cloudwatch_agent: true`, on the
    instance or launch template) and alarm on its metrics in its namespace.
    """
    agent_namespace = facts.CLOUDWATCH_AGENT_NAMESPACE.value
    for alarm in arch.of_type("cloudwatch_alarm"):
        if not _needs_agent(str(alarm.metric)):
            continue
        if alarm.namespace == "AWS/EC2":
            yield Violation(alarm.path("namespace"),
                            f"alarm `{alarm.name}` watches `{alarm.metric}` in AWS/EC2, which has no memory or disk "
                            f"space metrics; the CloudWatch agent publishes them (default namespace {agent_namespace})")
            continue
        missing = [r for r in arch.all(alarm.monitors) if r.type in COMPUTE_TYPES and not _has_agent(arch, r)]
        if missing:
            yield Violation(alarm.path("metric"),
                            f"alarm `{alarm.name}` watches `{alarm.metric}` on `{missing[0].name}`, which runs no "
                            "CloudWatch agent; EC2 itself publishes no memory or disk space metrics")


# -- Elastic Load Balancing -------------------------------------------------------------

@rule("REL550", severity="high",
      title="Load balancer listeners use protocols their type supports",
      notes="모니터링 및 크기 조정 > ELB 유형",
      facts=[facts.ALB_LISTENER_PROTOCOLS, facts.NLB_LISTENER_PROTOCOLS, facts.GWLB_LISTENER_PROTOCOLS])
def elb_listener_protocols(arch):
    """Each load balancer type listens at its own layer. An ALB (layer 7)
    takes HTTP and HTTPS only; an NLB (layer 4) TCP, TLS, UDP and TCP_UDP,
    and since 2025 also QUIC and TCP_QUIC (QUIC passthrough); a GWLB
    (layer 3) GENEVE on port 6081. A TCP or UDP listener on an ALB (for a
    database, game server or syslog) cannot be created.

    Fix: use an NLB for TCP/UDP/TLS traffic and an ALB for HTTP(S); an NLB
    can forward to an ALB when you need both.
    """
    for lb in arch.of_type("load_balancer"):
        allowed = facts.ELB_LISTENER_PROTOCOL_FACTS.get(lb.lb_type)
        if allowed is None:
            continue
        for index, listener in enumerate(lb.listeners or ()):
            protocol = listener.get("protocol")
            if protocol not in allowed.value:
                yield Violation(lb.path("listeners", index, "protocol"),
                                f"{lb.lb_type.upper()} `{lb.name}` has a {protocol} listener, but an "
                                f"{lb.lb_type.upper()} listens on {', '.join(sorted(allowed.value))} only")


@rule("PERF550", severity="high",
      title="Routing on HTTP paths, hosts or headers uses an ALB, not an NLB",
      notes="모니터링 및 크기 조정 > ELB 유형", best_practice="PERF04-BP04",
      facts=[facts.NLB_LISTENER_PROTOCOLS, facts.ALB_LISTENER_PROTOCOLS])
def nlb_content_routing(arch):
    """A Network Load Balancer works at layer 4: it forwards TCP or UDP
    flows and never parses HTTP, so it cannot route on a path, host, header,
    method, query string or source IP condition. Those listener rules exist
    only on an Application Load Balancer.

    Fix: use an ALB for content-based routing (optionally behind an NLB for
    static IPs), or route with separate NLB listeners by port.
    """
    for lb in arch.of_type("load_balancer"):
        if lb.lb_type not in ("nlb", "gwlb"):
            continue
        for index, listener in enumerate(lb.listeners or ()):
            routes = listener.get("routes_on") or []
            if routes:
                yield Violation(lb.path("listeners", index, "routes_on"),
                                f"{lb.lb_type.upper()} `{lb.name}` is expected to route on {', '.join(routes)}, but "
                                "it works at a lower layer and never reads HTTP; use an ALB")


def _lb_targets(arch, lb) -> list:
    out: list = []
    for target in arch.all(lb.targets):
        out.extend(arch.all(target.targets) if target.type == "target_group" else [target])
    for listener in lb.listeners or ():
        group = arch.get(listener.get("target_group"))
        if group is not None:
            out.extend(arch.all(group.targets))
    return out


@rule("REL551", severity="medium",
      title="Gateway Load Balancers front network appliances",
      notes="모니터링 및 크기 조정 > ELB 유형",
      facts=[facts.GWLB_LISTENER_PROTOCOLS, facts.GWLB_PORT])
def gwlb_appliance_targets(arch):
    """A Gateway Load Balancer hands whole IP packets, wrapped in GENEVE on
    port 6081, to virtual appliances (firewalls, IDS/IPS, deep packet
    inspection) that return them for delivery. Web servers, databases or
    functions do not speak GENEVE, so traffic to them is dropped; they belong
    behind an ALB or NLB.

    Fix: point the GWLB at appliance instances (`workload: firewall`, for
    example), and serve applications through an ALB or NLB.
    """
    for lb in arch.of_type("load_balancer"):
        if lb.lb_type != "gwlb":
            continue
        for target in _lb_targets(arch, lb):
            if target.type in ("ec2_instance", "auto_scaling_group", "network_interface"):
                workload = str(target.get("workload") or "").lower()
                if not workload or any(word in workload for word in APPLIANCE_WORDS):
                    continue
                what = f"runs `{target.get('workload')}`"
            else:
                what = f"is a `{target.type}`"
            yield Violation(lb.path("targets") if lb.targets else lb.path("lb_type"),
                            f"Gateway Load Balancer `{lb.name}` sends GENEVE-wrapped packets to `{target.name}`, which "
                            f"{what}, not a network appliance; use an ALB or NLB for it")
            break


@rule("OPS554", severity="low",
      title="New designs use ALB or NLB instead of a Classic Load Balancer",
      notes="모니터링 및 크기 조정 > ELB 유형",
      facts=[facts.CLB_PREVIOUS_GENERATION, facts.ELB_TYPES])
def classic_load_balancer(arch):
    """The Classic Load Balancer still works, but AWS offers migration to ALB
    or NLB, which add host/path routing, HTTP/2 and gRPC, WAF, Lambda and IP
    targets, static IPs and PrivateLink. A new design gains nothing from it.

    Fix: use an ALB for HTTP(S) or an NLB for TCP/UDP/TLS; for an existing
    CLB, use the ELB migration wizard.
    """
    for lb in arch.of_type("load_balancer"):
        if lb.lb_type == "clb":
            yield Violation(lb.path("lb_type"),
                            f"`{lb.name}` is a Classic Load Balancer; use an ALB or NLB in a new design")


@rule("REL552", severity="high",
      title="Application Load Balancers have subnets in at least two AZs",
      notes="모니터링 및 크기 조정 > ELB 유형", best_practice="REL10-BP01",
      facts=[facts.ALB_MIN_AZS])
def alb_two_azs(arch):
    """An Application Load Balancer must be created with subnets in at
    least two Availability Zones (Outposts and Local Zones aside): a node runs
    in each, so one AZ failing leaves the other serving. With one AZ the load
    balancer cannot be created.

    Fix: list a subnet in a second AZ (and run targets there too).
    """
    minimum = facts.ALB_MIN_AZS.value
    for lb in arch.of_type("load_balancer"):
        if lb.lb_type != "alb" or not arch.subnets_of(lb):
            continue
        zones = arch.azs_of(lb)
        if 0 < len(zones) < minimum:
            yield Violation(lb.path("subnets"),
                            f"ALB `{lb.name}` has subnets only in {', '.join(sorted(zones))}; an ALB needs subnets in "
                            f"at least {minimum} AZs")


@rule("REL553", severity="high",
      title="Internet-facing load balancers sit in public subnets",
      notes="모니터링 및 크기 조정 > ELB 유형", best_practice="REL02-BP01",
      facts=[facts.PUBLIC_SUBNET_ROUTE_DESTINATIONS])
def internet_facing_lb_public_subnets(arch):
    """An internet-facing load balancer gets public IP addresses in its
    subnets, which only work when the subnets route to an internet gateway.
    In a private subnet the nodes are unreachable from the internet and
    clients time out. (Targets, by contrast, belong in private subnets.)

    Fix: place the load balancer in public subnets (one per AZ), or make it
    `scheme: internal` if only the VPC should reach it.
    """
    for lb in arch.of_type("load_balancer"):
        if lb.scheme != "internet_facing":
            continue
        for subnet in arch.subnets_of(lb):
            declared = subnet.get("public")
            known = subnet.get("route_table") is not None
            if declared is True or arch.is_public_subnet(subnet):
                continue
            if declared is False or known:
                yield Violation(lb.path("subnets"),
                                f"internet-facing load balancer `{lb.name}` uses private subnet `{subnet.name}` "
                                "(no route to an internet gateway), so clients on the internet cannot reach it")
                break


UNEVEN_RATIO = 1.5


@rule("PERF551", severity="medium",
      title="NLBs without cross-zone load balancing have targets spread evenly across AZs",
      notes="모니터링 및 크기 조정 > ELB 유형", best_practice="PERF04-BP04",
      facts=[facts.NLB_CROSS_ZONE_DEFAULT])
def nlb_cross_zone_balance(arch):
    """Cross-zone load balancing is off by default on a Network Load
    Balancer: each AZ's node (its IP address in DNS, so about an equal share
    of clients) sends only to targets in its own AZ. With 4 targets in one AZ
    and 1 in another, the lone target takes four times the load of each of
    the others. The rule reports a ratio of 1.5 or more between the busiest
    and the quietest AZ.

    Fix: spread targets evenly (an Auto Scaling group across the same AZs),
    or turn on `cross_zone` (inter-AZ data transfer is then charged).
    """
    for lb in arch.of_type("load_balancer"):
        if lb.lb_type != "nlb" or lb.cross_zone:
            continue
        per_az: dict[str, int] = {}
        for target in _lb_targets(arch, lb):
            if target.type != "ec2_instance":
                continue
            zones = sorted(arch.azs_of(target))
            if zones:
                per_az[zones[0]] = per_az.get(zones[0], 0) + target.count
        if len(per_az) < 2:
            continue
        most, least = max(per_az.values()), min(per_az.values())
        if most / least >= UNEVEN_RATIO:
            spread = ", ".join(f"{zone}: {count}" for zone, count in sorted(per_az.items()))
            yield Violation(lb.path("cross_zone") if lb.has("cross_zone") else lb.path("lb_type"),
                            f"NLB `{lb.name}` has cross-zone load balancing off and targets spread unevenly "
                            f"({spread}); each AZ gets an equal share, so the fewest targets carry the most load")
