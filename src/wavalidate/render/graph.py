"""The render model: an architecture and its findings as plain, frozen data with stable ids."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Mapping, Optional, Sequence

from ..findings import RANK, Finding
from ..model import Architecture, Resource

# Worst first; the colours are also the legend's key.
SEVERITY_COLOURS: Mapping[str, str] = {
    "critical": "#8E0000", "high": "#D32F2F", "medium": "#E65100", "low": "#B8860B", "info": "#1565C0",
}

GLOBAL = "global"
ONPREM = "onprem"

# Global and edge services live outside every Region.
GLOBAL_TYPES = frozenset({
    "route53_record", "route53_health_check", "cloudfront_distribution", "waf_web_acl", "shield_protection",
    "global_accelerator", "iam_user", "iam_group", "iam_role", "iam_policy", "account", "org_unit", "scp",
    "rcp", "dx_gateway",
})
ONPREM_TYPES = frozenset({"on_premises_network", "customer_gateway", "outpost"})
# Drawn as boxes (clusters) around what they contain; a node stands in for them only when an edge needs one.
CLUSTER_TYPES = frozenset({"vpc", "subnet"})
# Configuration, not boxes on a picture: drawn only when a finding or a flow points at them.
QUIET_TYPES = frozenset({
    "route_table", "network_acl", "security_group", "launch_template", "cloudformation_stack",
    "transit_gateway_route_table", "elastic_ip", "iam_policy", "scp", "rcp",
})
# Connections: a finding on one of them is a finding on the link, so its edges turn red.
LINK_TYPES = frozenset({"vpn_connection", "dx_connection", "vpc_peering", "transit_gateway_attachment"})
# Links to on-premises: drawn between the on-premises box and the Region, where the eye expects them.
BETWEEN_TYPES = frozenset({"vpn_connection", "dx_connection"})
# Reference fields that place a resource rather than connect it.
PLACEMENT_FIELDS = frozenset({"vpc", "subnet", "subnets", "mount_targets"})
NOISE_FIELDS = frozenset({"security_groups", "stack", "account", "route_table", "network_acl", "propagations",
                          "route_tables", "propagates_to"})

# (type, field) -> (reverse the arrow, secondary). Secondary edges do not shape the layout.
EDGE_RULES: Mapping[tuple[str, str], tuple[bool, bool]] = {
    ("load_balancer", "targets"): (False, False),
    ("load_balancer", "listeners"): (False, False),
    ("target_group", "targets"): (False, False),
    ("auto_scaling_group", "target_groups"): (True, False),
    ("lambda_function", "invokes"): (False, False),
    ("lambda_function", "dead_letter"): (False, True),
    ("api_gateway", "integrations"): (False, False),
    ("sqs_queue", "consumers"): (False, False),
    ("sqs_queue", "dead_letter_queue"): (False, True),
    ("sns_topic", "subscriptions"): (False, False),
    ("s3_bucket", "notifications"): (False, False),
    ("s3_bucket", "replication"): (False, True),
    ("eventbridge_rule", "targets"): (False, False),
    ("step_function", "states"): (False, False),
    ("firehose_stream", "source"): (True, False),
    ("cloudfront_distribution", "origins"): (False, False),
    ("cloudfront_distribution", "waf"): (True, True),
    ("route53_record", "target"): (False, False),
    ("global_accelerator", "endpoints"): (False, False),
    ("elasticache_cluster", "caches"): (False, False),
    ("rds_instance", "read_replica_of"): (True, True),
    ("customer_gateway", "site"): (True, False),
    ("vpn_connection", "customer_gateway"): (True, False),
    ("vpn_connection", "transit_gateway"): (False, False),
    ("vpn_connection", "vpn_gateway"): (False, False),
    ("dx_connection", "dx_gateway"): (False, False),
    ("dx_connection", "vpn_gateway"): (False, False),
    ("dx_gateway", "associations"): (False, False),
    ("transit_gateway_attachment", "transit_gateway"): (True, False),
    ("transit_gateway_attachment", "vpn_connection"): (False, False),
    ("transit_gateway_attachment", "peer"): (False, True),
    ("vpc_peering", "requester"): (True, False),
    ("transit_gateway_attachment", "vpc"): (False, False),
    ("vpc_peering", "accepter"): (False, False),
    ("storage_gateway", "site"): (True, False),
    ("outpost", "site"): (True, False),
    ("nat_gateway", "elastic_ip"): (False, True),
    ("account", "org_unit"): (True, False),
    ("org_unit", "parent"): (True, False),
    ("iam_user", "groups"): (True, False),
    ("ec2_instance", "placement_group"): (True, False),
    ("auto_scaling_group", "placement_group"): (True, False),
    ("launch_template", "placement_group"): (True, False),
}
# Placement fields that are also links, for these types.
LINK_PLACEMENT = {("transit_gateway_attachment", "vpc"), ("vpc_peering", "requester"), ("vpc_peering", "accepter")}

KIND_STRENGTH = {"placement": -2, "layout": -1, "secondary": 0, "reference": 1, "flow": 2}

SHORT_TYPE = {
    "ec2_instance": "EC2", "auto_scaling_group": "Auto Scaling group", "lambda_function": "Lambda",
    "load_balancer": "load balancer", "target_group": "target group", "rds_instance": "RDS",
    "aurora_cluster": "Aurora", "dynamodb_table": "DynamoDB", "elasticache_cluster": "ElastiCache",
    "efs_file_system": "EFS", "fsx_file_system": "FSx", "s3_bucket": "S3", "sqs_queue": "SQS", "sns_topic": "SNS",
    "kinesis_stream": "Kinesis", "firehose_stream": "Firehose", "step_function": "Step Functions",
    "api_gateway": "API Gateway", "nat_gateway": "NAT gateway", "internet_gateway": "internet gateway",
    "transit_gateway": "Transit Gateway", "transit_gateway_attachment": "TGW attachment",
    "vpn_connection": "Site-to-Site VPN", "vpn_gateway": "virtual private gateway",
    "customer_gateway": "customer gateway", "dx_connection": "Direct Connect", "dx_gateway": "DX gateway",
    "on_premises_network": "data centre", "route53_record": "Route 53", "cloudfront_distribution": "CloudFront",
    "waf_web_acl": "WAF", "shield_protection": "Shield", "global_accelerator": "Global Accelerator",
    "placement_group": "placement group", "vpc_endpoint": "VPC endpoint", "vpc_peering": "VPC peering",
    "cloudwatch_alarm": "CloudWatch alarm", "cloudtrail_trail": "CloudTrail", "eventbridge_rule": "EventBridge",
    "iam_role": "IAM role", "iam_user": "IAM user", "iam_group": "IAM group", "ebs_volume": "EBS",
}


@dataclass(frozen=True)
class Cluster:
    """A box: Region, VPC, AZ, subnet, the global services or on-premises. `id` is its path."""

    id: str
    parent: str            # "" at the top
    kind: str              # region, vpc, az, subnet, global, onprem, part
    label: str
    detail: str = ""
    resource: str = ""     # the vpc or subnet resource it stands for
    severity: Optional[str] = None
    findings: int = 0


@dataclass(frozen=True)
class Node:
    """A resource (or a group of identical ones). `id` is the resource name."""

    id: str
    type: str
    label: str
    detail: str = ""
    cluster: str = ""
    variant: str = ""      # picks among icons, e.g. the load balancer type
    severity: Optional[str] = None
    findings: int = 0
    members: tuple[str, ...] = ()   # for a group: the resources it stands for
    stub: bool = False               # drawn in another picture; shown here only to end an edge


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str              # flow, reference, secondary, layout (invisible: arranges a grid), or placement
    #                        (a dotted line from a resource to a subnet box it runs in; target is the subnet)
    label: str = ""
    constraint: bool = True
    severity: Optional[str] = None  # set when a finding touches the edge: drawn in that colour

    @property
    def failing(self) -> bool:
        return self.severity is not None


@dataclass(frozen=True)
class LegendEntry:
    severity: str
    code: str
    resource: str
    message: str
    line: int = 0


@dataclass(frozen=True)
class Graph:
    title: str
    clusters: tuple[Cluster, ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    legend: tuple[LegendEntry, ...] = ()
    omitted: tuple[tuple[str, int], ...] = ()   # quiet types not drawn, with counts
    note: str = ""
    findings_shown: bool = True

    def node(self, node_id: str) -> Optional[Node]:
        for node in self.nodes:
            if node.id == node_id:
                return node
        return None

    def cluster(self, cluster_id: str) -> Optional[Cluster]:
        for cluster in self.clusters:
            if cluster.id == cluster_id:
                return cluster
        return None

    def children(self, cluster_id: str) -> tuple[Cluster, ...]:
        return tuple(c for c in self.clusters if c.parent == cluster_id)


def worst(severities: Iterable[Optional[str]]) -> Optional[str]:
    found = [s for s in severities if s in RANK]
    return min(found, key=RANK.__getitem__) if found else None


def type_label(type_name: str) -> str:
    return SHORT_TYPE.get(type_name, type_name.replace("_", " "))


def describe(resource: Resource) -> str:
    """The short line under a resource's name: what it is, and its size."""
    p = resource.props
    t = resource.type
    parts: list[str] = []
    if t == "load_balancer":
        parts = [str(p.get("lb_type", "")).upper(), str(p.get("scheme", "internet_facing")).replace("_", "-")]
    elif t in ("ec2_instance", "auto_scaling_group", "launch_template"):
        parts = [type_label(t), str(p.get("instance_type") or "")]
        if t == "auto_scaling_group" and (p.get("min_size") is not None or p.get("max_size") is not None):
            parts.append(f"{p.get('min_size', '?')}–{p.get('max_size', '?')}")
        if (p.get("count") or 1) > 1:
            parts.append(f"×{p['count']}")
    elif t in ("rds_instance", "aurora_cluster", "elasticache_cluster"):
        parts = [type_label(t), str(p.get("engine") or "")]
        if p.get("multi_az"):
            parts.append("Multi-AZ")
    elif t == "vpn_connection":
        parts = ["VPN", str(p.get("routing") or ""), "large tunnels" if p.get("tunnel_bandwidth") == "large" else ""]
    elif t == "dx_connection":
        parts = ["Direct Connect", str(p.get("speed") or "")]
    elif t == "placement_group":
        parts = [f"{p.get('strategy', '')} placement group"]
        if p.get("partitions"):
            parts.append(f"{p['partitions']} partitions")
    elif t == "transit_gateway_attachment":
        parts = [f"TGW attachment ({p.get('attachment_type', '')})"]
    elif t == "on_premises_network":
        parts = [str(p.get("location") or "data centre")]
    elif t == "customer_gateway":
        parts = ["customer gateway", str(p.get("ip_address") or "")]
    elif t == "lambda_function":
        parts = ["Lambda", str(p.get("runtime") or "")]
    else:
        parts = [type_label(t)]
    return " · ".join(part for part in parts if part)


class _Builder:
    def __init__(self, arch: Architecture, findings: Sequence[Finding]) -> None:
        self.arch = arch
        self.by_resource: dict[str, list[Finding]] = {}
        self.by_flow: dict[int, list[Finding]] = {}
        self.findings = [f for f in findings if f.suppression is None and f.pillar and f.severity in RANK]
        for f in self.findings:
            path = tuple(f.path)
            if len(path) > 1 and path[0] == "resources":
                self.by_resource.setdefault(str(path[1]), []).append(f)
            elif f.resource:
                self.by_resource.setdefault(f.resource, []).append(f)
            if len(path) > 1 and path[0] == "flows" and isinstance(path[1], int):
                self.by_flow.setdefault(path[1], []).append(f)
        regions = set(arch.regions)
        for resource in arch.resources.values():
            region = resource.props.get("region")
            if region:
                regions.add(region)
        self.only_region = next(iter(regions)) if len(regions) == 1 else None
        self.clusters: dict[str, Cluster] = {}
        self.cluster_of_resource: dict[str, str] = {}   # vpc / subnet name -> its cluster id

    # -- clusters --------------------------------------------------------
    def _cluster(self, cluster_id: str, parent: str, kind: str, label: str, detail: str = "",
                 resource: str = "") -> str:
        if cluster_id not in self.clusters:
            found = self.by_resource.get(resource, []) if resource else []
            self.clusters[cluster_id] = Cluster(cluster_id, parent, kind, label, detail, resource,
                                                worst(f.severity for f in found), len(found))
        return cluster_id

    def account_cluster(self, resource: Optional[Resource]) -> str:
        """The box of the account that owns a resource (its own `account`, else its VPC's); "" for none."""
        if resource is None:
            return ""
        owner = resource.props.get("account")
        if not owner:
            vpc = self.arch.vpc_of(resource)
            owner = vpc.props.get("account") if vpc is not None and vpc is not resource else None
        account = self.arch.get(owner)
        if account is None:
            return ""
        return self._cluster(f"account:{_seg(account.name)}", "", "account", f"Account {account.name}",
                             str(account.props.get("account_id") or ""), account.name)

    def region_cluster(self, region: Optional[str], owner: Optional[Resource] = None) -> str:
        account = self.account_cluster(owner)
        if not region:
            return account
        cluster_id = f"{account}/region:{_seg(region)}" if account else f"region:{_seg(region)}"
        return self._cluster(cluster_id, account, "region", f"Region {region}")

    def vpc_cluster(self, vpc: Resource) -> str:
        if vpc.name in self.cluster_of_resource:
            return self.cluster_of_resource[vpc.name]
        parent = self.region_cluster(self.arch.region_of(vpc) or self.only_region, vpc)
        cluster_id = f"{parent}/vpc:{_seg(vpc.name)}" if parent else f"vpc:{_seg(vpc.name)}"
        self.cluster_of_resource[vpc.name] = self._cluster(cluster_id, parent, "vpc", f"VPC {vpc.name}",
                                                           str(vpc.props.get("cidr") or ""), vpc.name)
        return cluster_id

    def az_cluster(self, vpc: Resource, az: str) -> str:
        parent = self.vpc_cluster(vpc)
        label = az.split(" (")[0] if az.startswith("AZ #") else f"AZ {az}"  # a template's `!GetAZs` index
        return self._cluster(f"{parent}/az:{_seg(az)}", parent, "az", label)

    def subnet_cluster(self, subnet: Resource) -> str:
        if subnet.name in self.cluster_of_resource:
            return self.cluster_of_resource[subnet.name]
        vpc = self.arch.vpc_of(subnet)
        az = subnet.props.get("az")
        if vpc is not None and az:
            parent = self.az_cluster(vpc, az)
        elif vpc is not None:
            parent = self.vpc_cluster(vpc)
        else:
            parent = self.region_cluster(self.arch.region_of(subnet) or self.only_region, subnet)
        public = self.arch.is_or_declared_public(subnet)
        cluster_id = f"{parent}/subnet:{_seg(subnet.name)}" if parent else f"subnet:{_seg(subnet.name)}"
        detail = " · ".join(x for x in (str(subnet.props.get("cidr") or ""), "public" if public else "private") if x)
        self.cluster_of_resource[subnet.name] = self._cluster(cluster_id, parent, "subnet", f"subnet {subnet.name}",
                                                              detail, subnet.name)
        return cluster_id

    def place(self, resource: Resource) -> str:
        """The id of the innermost box a resource belongs in ("" for none)."""
        if resource.type in GLOBAL_TYPES:
            return self._cluster(GLOBAL, "", "global", "AWS global and edge services")
        if resource.type in ONPREM_TYPES:
            return self._cluster(ONPREM, "", "onprem", "On-premises")
        if resource.type in BETWEEN_TYPES:
            return ""
        if resource.type == "vpc":
            return self.vpc_cluster(resource)
        if resource.type == "subnet":
            return self.subnet_cluster(resource)
        if resource.type == "flow_log":   # inside what it logs
            target = self.arch.get(resource.props.get("resource"))
            if target is not None and target.type in CLUSTER_TYPES:
                return self.place(target)
        subnets = self.arch.subnets_of(resource)
        if len(subnets) == 1:
            return self.subnet_cluster(subnets[0])
        vpc = self.arch.vpc_of(resource)
        if vpc is not None:
            zones = {s.props.get("az") for s in subnets} if subnets else (
                {resource.props["az"]} if resource.props.get("az") else set())
            zone = next(iter(zones)) if len(zones) == 1 else None
            if zone is not None:
                for subnet in subnets:
                    self.subnet_cluster(subnet)
                return self.az_cluster(vpc, zone)
            for subnet in subnets:
                self.subnet_cluster(subnet)
            return self.vpc_cluster(vpc)
        return self.region_cluster(self.arch.region_of(resource) or self.only_region, resource)

    def infer(self, resource: Resource, cluster_id: str, neighbours, placed: Mapping[str, str]) -> str:
        """A resource with no place of its own (a target group, a placement group) goes in the VPC that
        holds everything it is linked to, rather than floating at the edge of the Region."""
        if resource.type in GLOBAL_TYPES | ONPREM_TYPES | BETWEEN_TYPES or (
                cluster_id and self.clusters[cluster_id].kind != "region"):
            return cluster_id
        vpcs = {self._above(placed[n], "vpc") for n in neighbours if n in placed}
        vpc = next(iter(vpcs)) if len(vpcs) == 1 else None
        if vpc is not None and (not cluster_id or self.clusters[vpc].parent == cluster_id):
            return vpc
        if not cluster_id:   # no Region of its own: the one Region everything it is linked to is in
            regions = {self._above(placed[n], "region") for n in neighbours if n in placed} - {None}
            region = next(iter(regions)) if len(regions) == 1 else None
            if region is not None:
                return region
        return cluster_id

    def _above(self, cluster_id: str, kind: str) -> Optional[str]:
        while cluster_id:
            cluster = self.clusters[cluster_id]
            if cluster.kind == kind:
                return cluster_id
            cluster_id = cluster.parent
        return None

    # -- the graph -------------------------------------------------------
    def build(self) -> Graph:
        arch = self.arch
        # Every VPC and subnet is a box, even an empty one.
        for resource in arch.resources.values():
            if resource.type in CLUSTER_TYPES:
                self.place(resource)

        edges: dict[tuple[str, str], Edge] = {}

        def add(source: str, target: str, kind: str, label: str = "", severity: Optional[str] = None) -> None:
            if source == target:
                return
            key = (source, target) if (target, source) not in edges else (target, source)
            edge = Edge(source, target, kind, label, kind != "secondary", severity)
            old = edges.get(key)
            if old is None:
                edges[key] = edge
                return
            stronger = edge if KIND_STRENGTH[kind] > KIND_STRENGTH[old.kind] else old
            edges[key] = replace(stronger, label=stronger.label or old.label or edge.label,
                                 severity=worst((old.severity, edge.severity)))

        def link_severity(*names: str) -> Optional[str]:
            return worst(f.severity for n in names if arch.get(n) is not None and arch.resources[n].type in LINK_TYPES
                         for f in self.by_resource.get(n, ()))

        chains = []
        for flow in arch.flows:
            chain = [flow.get("source")] + list(flow.get("via") or ()) + [flow.get("target")]
            chains.append([name for name in chain if arch.get(name) is not None])
        touched = {name for chain in chains for name in chain}

        # What is drawn: every resource but the boxes and the quiet configuration, unless something points at it.
        drawn: dict[str, Resource] = {}
        for resource in arch.resources.values():
            if resource.type in CLUSTER_TYPES:
                continue
            if (resource.type in QUIET_TYPES and not self.by_resource.get(resource.name)
                    and resource.name not in touched):
                continue
            if resource.type == "transit_gateway_attachment" and resource.props.get("attachment_type") in (
                    "vpn", "dx_gateway") and not self.by_resource.get(resource.name) and resource.name not in touched:
                continue   # the VPN or DX gateway's own edge to the TGW already shows it

            drawn[resource.name] = resource

        def visible(name: str) -> bool:
            return name in drawn or arch.resources[name].type in CLUSTER_TYPES

        for resource in arch.resources.values():
            if not visible(resource.name):
                continue
            for path, target in arch.references(resource):
                fieldname = str(path[0])
                if fieldname in PLACEMENT_FIELDS and (resource.type, fieldname) not in LINK_PLACEMENT:
                    continue
                if fieldname in NOISE_FIELDS or not visible(target.name):
                    continue
                reverse, secondary = EDGE_RULES.get((resource.type, fieldname), (False, True))
                if (target.type in CLUSTER_TYPES or resource.type in CLUSTER_TYPES) and secondary:
                    continue
                at_key = ("resources", resource.name) + (path[0],)
                severity = worst(f.severity for f in self.by_resource.get(resource.name, ())
                                 if tuple(f.path)[:len(at_key)] == at_key)
                severity = worst((severity, link_severity(resource.name, target.name)))
                source, dest = (target.name, resource.name) if reverse else (resource.name, target.name)
                add(source, dest, "secondary" if secondary else "reference", "", severity)

        neighbours: dict[str, set[str]] = {}
        for a, b in edges:
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)

        def mark(a: str, b: str, label: str, severity: Optional[str], kind: str) -> None:
            """Make the edge a–b part of a flow, pointing the flow's way."""
            key = (a, b) if (a, b) in edges else (b, a)
            old = edges.pop(key)
            labels = [part for part in (old.label, label) if part]
            edges[(a, b)] = Edge(a, b, kind if KIND_STRENGTH[kind] >= KIND_STRENGTH[old.kind] else old.kind,
                                 " + ".join(dict.fromkeys(labels)), True, worst((old.severity, severity)))

        # Declared flows follow the drawn links where they can (a flow "data centre -> VPN" runs through the
        # customer gateway), so they do not add long parallel edges; otherwise they add their own.
        for index, chain in enumerate(chains):
            flow = arch.flows[index]
            flow_severity = worst(f.severity for f in self.by_flow.get(index, ()))
            kind = "secondary" if flow.get("mode") in ("replication", "backup") else "flow"
            label = _flow_label(flow)
            for position, (a, b) in enumerate(zip(chain, chain[1:])):
                if a == b:
                    continue
                text = label if position == 0 else ""
                severity = worst((flow_severity, link_severity(a, b)))
                if b in neighbours.get(a, ()):
                    mark(a, b, text, severity, kind)
                    continue
                via = sorted(neighbours.get(a, set()) & neighbours.get(b, set()))
                if via:   # the label goes on the part this flow does not share with others
                    mark(a, via[0], "", severity, kind)
                    mark(via[0], b, text, severity, kind)
                    continue
                add(a, b, kind, text, severity)

        anchors = {name for edge in edges.values() for name in (edge.source, edge.target)
                   if arch.resources[name].type in CLUSTER_TYPES}
        kept = tuple(e for e in edges.values()
                     if (e.source in drawn or e.source in anchors) and (e.target in drawn or e.target in anchors))

        # A resource in subnets of several AZs sits in the box that holds them all; dotted lines show
        # which subnets it runs in.
        pins = tuple(Edge(name, subnet.name, "placement") for name, resource in drawn.items()
                     if resource.type not in CLUSTER_TYPES and len(self.arch.subnets_of(resource)) > 1
                     for subnet in self.arch.subnets_of(resource))
        kept = kept + pins
        placed = {name: self.place(arch.resources[name]) for name in list(drawn) + sorted(anchors)}
        for name, resource in drawn.items():
            placed[name] = self.infer(resource, placed[name], neighbours.get(name, ()), placed)
        nodes: list[Node] = []
        for resource in arch.resources.values():
            if resource.name not in drawn and resource.name not in anchors:
                continue
            found = self.by_resource.get(resource.name, [])
            anchor = resource.type in CLUSTER_TYPES
            variant = str(resource.props.get("lb_type") or "")
            if resource.type == "subnet":
                variant = "public" if arch.is_or_declared_public(resource) else "private"
            nodes.append(Node(resource.name, resource.type, resource.name,
                              str(resource.props.get("cidr") or "") if anchor else describe(resource),
                              placed[resource.name], variant,
                              None if anchor else worst(f.severity for f in found), 0 if anchor else len(found)))

        omitted: dict[str, int] = {}
        for resource in arch.resources.values():
            if resource.type not in CLUSTER_TYPES and resource.name not in drawn:
                omitted[resource.type] = omitted.get(resource.type, 0) + 1

        legend = tuple(sorted(
            (LegendEntry(f.severity, f.code, f.resource or _path_name(arch, f), f.message, f.line)
             for f in self.findings),
            key=lambda e: (RANK[e.severity], e.code, e.resource, e.line)))
        title = arch.name or (arch.file.rsplit("/", 1)[-1] if arch.file else "architecture")
        return Graph(title, _ordered(self.clusters), tuple(nodes), kept, legend, tuple(sorted(omitted.items())))


def _seg(name: str) -> str:
    """A name as one segment of a cluster path: "/" and "%" encoded, so paths stay one-to-one."""
    return str(name).replace("%", "%25").replace("/", "%2F")


def _flow_label(flow: Mapping) -> str:
    if flow.get("bandwidth"):
        return str(flow["bandwidth"])
    protocol, port = flow.get("protocol"), flow.get("port")
    if port is not None:
        return f"{protocol or ''} {port}".strip()
    return str(protocol or flow.get("mode") or "")


def _path_name(arch: Architecture, finding: Finding) -> str:
    """What a finding without a resource is about, for the legend: "flow 5: a → b", or its path."""
    path = tuple(finding.path)
    if len(path) > 1 and path[0] == "flows" and isinstance(path[1], int) and path[1] < len(arch.flows):
        flow = arch.flows[path[1]]
        return f"flow {path[1] + 1}: {flow.get('source')} → {flow.get('target')}"
    if len(path) > 1 and path[0] == "assertions" and isinstance(path[1], int):
        items = arch.data.get("assertions") or []
        item = items[path[1]] if path[1] < len(items) else None
        name = item.get("name") if isinstance(item, dict) else None
        return f"assertion {name}" if isinstance(name, str) and name else f"assertion {path[1] + 1}"
    return ".".join(str(part) for part in path[:2]) if len(path) > 1 else "(the whole file)"


def _ordered(clusters: Mapping[str, Cluster]) -> tuple[Cluster, ...]:
    """Parents before children, siblings in the order they were first met (the file's order)."""
    order = {cid: index for index, cid in enumerate(clusters)}

    def depth(cid: str) -> int:
        return 0 if not clusters[cid].parent else 1 + depth(clusters[cid].parent)
    return tuple(clusters[cid] for cid in sorted(order, key=lambda cid: (depth(cid), order[cid])))


def build_graph(arch: Architecture, findings: Optional[Sequence[Finding]] = ()) -> Graph:
    """The picture of `arch` as plain data: boxes, nodes, edges, and the findings drawn on them.

    `findings=None` draws the plain architecture (no highlights, no legend).
    """
    graph = _Builder(arch, findings or ()).build()
    return graph if findings is not None else replace(graph, findings_shown=False)


__all__ = ["Cluster", "Edge", "Graph", "LegendEntry", "Node", "SEVERITY_COLOURS", "build_graph", "worst",
           "type_label"]
