"""Automation: infrastructure as code with CloudFormation stacks (notes: 자동화)."""
from __future__ import annotations

from wavalidate.api import Violation, closing_edges, facts, rule

# Things no IaC stack deploys: other people's networks, the organization's structure, physical racks.
NOT_DEPLOYED = ("on_premises_network", "account", "org_unit", "outpost", "cloudformation_stack")
# Lower layers change least and are depended on by the ones above (network and security are one tier).
LAYER_RANK = {"network": 0, "security": 0, "shared": 1, "data": 2, "application": 3, "monitoring": 4}
SHOWN = 5


@rule("OPS600", severity="low",
      title="Resources are managed by an IaC stack",
      notes="자동화 > IaC", best_practice="OPS05-BP01",
      facts=[facts.CFN_STACKS_BY_LIFECYCLE, facts.CFN_DRIFT_DETECTION])
def iac_managed_resources(arch):
    """Infrastructure defined as code can be reviewed, versioned, re-deployed
    in another account or Region, checked for drift and rolled back to its
    last good state (the notes' list of IaC benefits). A resource created by
    hand has none of that: nobody can rebuild it exactly after a failure.

    The rule applies once a file declares IaC stacks (a file without any may
    be a sketch of one part), and reports once per file, naming the resources
    without a `stack` and pointing at the first. When no stack exists at all it says so.

    Fix: define the resources in CloudFormation (or CDK, Terraform) stacks
    and record which stack manages each with `stack:`.
    """
    stacks = arch.of_type("cloudformation_stack")
    deployable = [r for r in arch.resources.values() if r.type not in NOT_DEPLOYED]
    unmanaged = [r for r in deployable if not r.stack]
    if not unmanaged or not stacks:
        return
    names = ", ".join(f"`{r.name}`" for r in unmanaged[:SHOWN])
    more = f" and {len(unmanaged) - SHOWN} more" if len(unmanaged) > SHOWN else ""
    yield Violation(unmanaged[0].path(), f"{len(unmanaged)} of {len(deployable)} resources are managed by no IaC "
                                         f"stack: {names}{more}", on_key=True)


@rule("OPS601", severity="low",
      title="IaC stacks are checked for drift",
      notes="자동화 > IaC", best_practice="OPS05-BP01",
      facts=[facts.CFN_DRIFT_DETECTION])
def stack_drift_detection(arch):
    """Drift is a difference between the template and the live resources,
    from console or CLI changes made outside the stack. Undetected, it makes
    the next update fail or silently undo a hotfix, and the template stops
    describing what runs. Drift detection (run on a schedule, for example by
    an AWS Config rule) finds it.

    Fix: set `drift_detection: true` and run DetectStackDrift regularly,
    alerting on drifted stacks.
    """
    for stack in arch.of_type("cloudformation_stack"):
        if not stack.drift_detection:
            yield Violation(stack.path("drift_detection") if stack.has("drift_detection") else stack.path("type"),
                            f"stack `{stack.name}` is never checked for drift; changes made outside it go unnoticed")


@rule("OPS602", severity="medium",
      title="IaC stacks depend only on lower layers, without cycles",
      notes="자동화 > IaC > CloudFormation", best_practice="OPS05-BP01",
      facts=[facts.CFN_STACKS_BY_LIFECYCLE])
def stack_layering(arch):
    """The notes' stack hierarchy organizes stacks in layers by lifecycle and
    ownership: network and security at the bottom, then shared services,
    data, applications and monitoring. Higher layers import what lower ones
    export. A network stack that depends on an application stack inverts
    that: the layer that changes least can no longer be updated or rebuilt
    without the one that changes most. A cycle between stacks (A needs B's
    exports and B needs A's) cannot be deployed at all from scratch.

    Fix: move the shared resource down into the lower layer (or a shared
    stack), and pass values upward only; break cycles the same way.
    """
    stacks = {s.name: s for s in arch.of_type("cloudformation_stack")}
    for stack in stacks.values():
        rank = LAYER_RANK.get(stack.layer)
        if rank is None:
            continue
        for index, name in enumerate(stack.depends_on or ()):
            other = stacks.get(name)
            if other is None or LAYER_RANK.get(other.layer) is None:
                continue
            if LAYER_RANK[other.layer] > rank:
                yield Violation(stack.path("depends_on", index),
                                f"{stack.layer} stack `{stack.name}` depends on {other.layer} stack `{other.name}`, a "
                                "higher layer; lower layers must not depend on higher ones")
    # Each cycle once, at the edge that closes it.
    graph = {name: list(stack.depends_on or ()) for name, stack in stacks.items()}
    for name, index, cycle in closing_edges(graph):
        shown = " -> ".join(cycle if len(cycle) <= 6 else cycle[:5] + ["...", cycle[-1]])
        yield Violation(stacks[name].path("depends_on", index),
                        f"{len(cycle) - 1} stacks depend on each other in a cycle ({shown}); none of them "
                        "can be deployed first", severity="high")
