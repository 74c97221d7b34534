"""Containers and the capacity behind them: ECS services, EKS node groups, Auto Scaling minimums.

The course notes have no container chapter; these rules follow the AZ lessons
(notes: 아키텍팅 기본 사항 > 가용영역) and the Spot lessons (컴퓨팅 > EC2 구매 옵션).
"""
from __future__ import annotations

from wavalidate.api import Violation, facts, rule

from ._shared import availability_need, placement_path

KIND = {"ecs_service": "ECS service", "eks_node_group": "EKS node group"}


def _capacity(arch, service) -> list:
    """The service's capacity provider strategy: its own, else its cluster's default (none with a launch type)."""
    if service.capacity_providers:
        return list(service.capacity_providers)
    if service.launch_type:
        return []
    cluster = arch.get(service.cluster)
    return list(cluster.capacity_providers or ()) if cluster is not None else []


def _spot_share(strategy) -> bool:
    """Fargate Spot may receive tasks: a weight or a base above zero."""
    return any(item.get("provider") == "fargate_spot" and ((item.get("weight") or 0) > 0 or (item.get("base") or 0) > 0)
               for item in strategy)


@rule("REL240", severity="high",
      title="ECS services and EKS node groups span several AZs where availability matters",
      notes="아키텍팅 기본 사항 > 가용영역", best_practice="REL10-BP01",
      facts=[facts.ECS_SERVICE_AZ_SPREAD, facts.COMPUTE_SLA_MULTI_AZ])
def containers_multi_az(arch):
    """ECS places a service's tasks in the subnets it is given and spreads
    them over their AZs; an EKS managed node group launches nodes in its
    subnets the same way. Subnets in a single AZ keep every task or node
    there, so the loss of that AZ stops the service however many copies it
    runs. The Compute SLA's 99.99% applies only to tasks spread over two or
    more AZs.

    Fix: give the service (or node group) a subnet in each of at least two
    AZs, three where the Region has them, and keep the desired count a
    multiple of the AZ count so rebalancing keeps them even.
    """
    for item in arch.of_type("ecs_service", "eks_node_group"):
        zones = arch.azs_of(item)
        if len(zones) != 1 or not arch.needs_high_availability(item):
            continue
        yield Violation(placement_path(item),
                        f"{KIND[item.type]} `{item.name}` runs only in {next(iter(zones))}, but has "
                        f"{availability_need(arch, item)}: the loss of that AZ stops all of it")


@rule("REL241", severity="high",
      title="Stateful and singleton ECS services do not run on Fargate Spot",
      notes="컴퓨팅 > EC2 구매 옵션", best_practice="REL10-BP01",
      facts=[facts.FARGATE_SPOT_INTERRUPTION_S])
def fargate_spot_stateful(arch):
    """Fargate Spot runs tasks on spare capacity that AWS takes back with a
    two-minute warning, and during demand peaks may have none to start
    replacements. That suits interruption-tolerant work spread over many
    tasks. A service that keeps state in its tasks, or that must run as
    exactly one task (a scheduler, a leader), loses that state or stops
    altogether on an interruption.

    Fix: run stateful and singleton services on the `fargate` capacity
    provider (a `base` of their task count there), and keep Fargate Spot for
    stateless services with several tasks; keep state in a database, EFS or
    a cache instead of the task.
    """
    for service in arch.of_type("ecs_service"):
        if not (service.stateful or service.singleton):
            continue
        strategy = _capacity(arch, service)
        if not _spot_share(strategy):
            continue
        what = "a singleton" if service.singleton else "stateful"
        at = service.path("capacity_providers") if service.capacity_providers else service.path("cluster")
        yield Violation(at, f"ECS service `{service.name}` is {what} but may run on Fargate Spot, whose tasks are "
                            f"interrupted with {facts.FARGATE_SPOT_INTERRUPTION_S.value} seconds' warning")


@rule("REL244", severity="high",
      title="Tasks sent to Fargate Spot are Linux x86_64 tasks",
      notes="컴퓨팅 > EC2 구매 옵션", best_practice="REL10-BP01",
      facts=[facts.FARGATE_SPOT_PLATFORMS])
def fargate_spot_platform(arch):
    """Fargate Spot runs only Linux tasks on the X86_64 architecture. A
    service whose task definition is ARM64 (Graviton) or Windows, and whose
    capacity provider strategy gives Fargate Spot a share, cannot place the
    tasks meant for Spot: the service runs short of its desired count.

    Fix: give Fargate Spot no weight or base for ARM64 and Windows tasks
    (run them on `fargate`), or build the image for x86_64 if Spot savings
    matter more than Graviton's.
    """
    for service in arch.of_type("ecs_service"):
        task = arch.get(service.task_definition)
        if task is None or not _spot_share(_capacity(arch, service)):
            continue
        platform = (task.platform or "linux", task.architecture or "x86_64")
        if platform in facts.FARGATE_SPOT_PLATFORMS.value:
            continue
        at = service.path("capacity_providers") if service.capacity_providers else service.path("cluster")
        yield Violation(at, f"ECS service `{service.name}` may place tasks on Fargate Spot, but its task definition "
                            f"`{task.name}` is {platform[0]} {platform[1]}; Fargate Spot runs only Linux x86_64 tasks")


@rule("REL242", severity="medium",
      title="ECS services that need high availability run more than one task",
      notes="아키텍팅 기본 사항 > 가용영역", best_practice="REL10-BP01",
      facts=[facts.COMPUTE_SLA_SINGLE_INSTANCE, facts.COMPUTE_SLA_MULTI_AZ])
def single_task_availability(arch):
    """With a desired count of 1 the service is one task: a failed task, a
    deployment or a host replacement takes it away until ECS starts another
    and it passes its health checks, which takes minutes. One task also sits
    in one AZ. A single task is covered only by the instance-level SLA
    (99.5%), below a 99.9% target.

    Fix: run at least two tasks (better, one per AZ used), with a minimum
    of two in the service's auto scaling; for work that must run as one
    task, make the second a standby (leader election) rather than none.
    """
    for service in arch.of_type("ecs_service"):
        if service.desired_count != 1 or service.singleton or not arch.needs_high_availability(service):
            continue
        if service.min_count is not None and service.min_count > 1:
            continue
        yield Violation(service.path("desired_count"),
                        f"ECS service `{service.name}` runs one task, but has {availability_need(arch, service)}: "
                        "every task failure or deployment is an outage")


@rule("REL243", severity="medium",
      title="Auto Scaling groups for 99.95% and above keep more than one instance",
      notes="아키텍팅 기본 사항 > 가용영역", best_practice="REL10-BP01",
      facts=[facts.SINGLE_INSTANCE_AVAILABILITY_LIMIT, facts.COMPUTE_SLA_SINGLE_INSTANCE])
def asg_single_instance_availability(arch):
    """A group with `min_size: 1` may scale in to a single instance. When it
    fails, the group notices, launches a replacement, boots it and waits for
    its health checks: minutes of outage each time. At 99.95% the monthly
    budget is about 22 minutes, so one such failure can spend it.

    Fix: set `min_size` to at least 2, spread over two AZs, and let scaling
    add capacity above that.
    """
    limit = facts.SINGLE_INSTANCE_AVAILABILITY_LIMIT.value
    for group in arch.of_type("auto_scaling_group"):
        if group.min_size != 1:
            continue
        target = arch.requirements_for(group).availability
        if target is None or target < limit:
            continue
        yield Violation(group.path("min_size"),
                        f"Auto Scaling group `{group.name}` may shrink to one instance, but its availability target "
                        f"is {target:g}%: a single instance's failure can use up the month's downtime budget")


@rule("SEC240", severity="high",
      title="EKS cluster endpoints are not open to the whole internet",
      notes="보안", best_practice="SEC05-BP02",
      facts=[facts.EKS_PUBLIC_ENDPOINT_DEFAULT])
def eks_public_endpoint(arch):
    """The Kubernetes API server of an EKS cluster is public by default and
    accepts connections from 0.0.0.0/0. Authentication still applies, but
    the control plane is then exposed to scanning, credential stuffing and
    any future API server vulnerability from anywhere.

    Fix: turn the public endpoint off (`endpoint_public: false`,
    `endpoint_private: true`) and reach it through the VPC, a VPN or Direct
    Connect; where it must stay public, list the administrators' addresses in
    `public_access_cidrs`.
    """
    for cluster in arch.of_type("eks_cluster"):
        if not cluster.endpoint_public:
            continue
        cidrs = list(cluster.public_access_cidrs or ())
        if cidrs and not any(c in ("0.0.0.0/0", "::/0") for c in cidrs):
            continue
        at = cluster.path("public_access_cidrs") if cidrs else cluster.path("endpoint_public")
        yield Violation(at, f"EKS cluster `{cluster.name}` has a public API endpoint open to 0.0.0.0/0")
