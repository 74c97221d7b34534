"""The render model: an architecture and its findings as plain, frozen data with stable ids."""
from __future__ import annotations

import re
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
MAX_ENTRIES = 4
USERS = "users:internet"   # the users' node; ":" keeps it apart from every resource name

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
    ("lambda_function", "dead_letter"): (False, False),
    ("api_gateway", "integrations"): (False, False),
    ("sqs_queue", "consumers"): (False, False),
    ("sqs_queue", "dead_letter_queue"): (False, False),
    ("sns_topic", "subscriptions"): (False, False),
    ("s3_bucket", "notifications"): (False, False),
    ("s3_bucket", "replication"): (False, True),
    ("eventbridge_rule", "targets"): (False, False),
    ("step_function", "states"): (False, False),
    ("firehose_stream", "source"): (True, False),
    ("cloudfront_distribution", "origins"): (False, False),
    ("cloudfront_distribution", "waf"): (True, False),
    ("route53_record", "target"): (False, False),
    ("route53_record", "health_check"): (True, False),
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
    ("ebs_volume", "attached_to"): (True, False),
    ("auto_scaling_group", "placement_group"): (True, False),
    ("launch_template", "placement_group"): (True, False),
}
# Links drawn between neighbours on one level: a cache beside the database it caches.
BESIDE = frozenset({("elasticache_cluster", "caches"), ("ebs_volume", "attached_to")})
# Placement fields that are also links, for these types.
LINK_PLACEMENT = {("transit_gateway_attachment", "vpc"), ("vpc_peering", "requester"), ("vpc_peering", "accepter")}

KIND_STRENGTH = {"placement": -2, "layout": -1, "secondary": 0, "replication": 0, "route": 0, "reference": 1,
                 "flow": 2}
DETAILS = ("overview", "network", "full")
VIEWS = ("all", "network", "security", "data")
# What each view draws (besides the boxes): its own types, and what its flows and links reach in one hop.
VIEW_TYPES: Mapping[str, frozenset] = {
    "network": frozenset({
        "internet_gateway", "egress_only_internet_gateway", "nat_gateway", "transit_gateway",
        "transit_gateway_attachment", "vpn_connection", "vpn_gateway", "customer_gateway", "dx_connection",
        "dx_gateway", "on_premises_network", "vpc_endpoint", "vpc_peering", "load_balancer", "route53_record",
        "cloudfront_distribution", "global_accelerator", "network_interface", "elastic_ip", "outpost"}),
    "security": frozenset({
        "security_group", "network_acl", "iam_role", "iam_user", "iam_group", "iam_policy", "scp", "rcp",
        "waf_web_acl", "shield_protection", "kms_key", "cloudtrail_trail", "flow_log", "internet_gateway",
        "load_balancer", "cloudfront_distribution", "account", "org_unit"}),
    "data": frozenset({
        "rds_instance", "aurora_cluster", "dynamodb_table", "elasticache_cluster", "s3_bucket", "efs_file_system",
        "fsx_file_system", "ebs_volume", "sqs_queue", "sns_topic", "kinesis_stream", "firehose_stream",
        "backup_plan", "datasync_task", "storage_gateway"}),
}
SECURITY_TYPES = frozenset({"security_group", "network_acl", "iam_policy", "scp", "rcp"})
# References that copy data: drawn as replication (dashed, blue) at every detail.
REPLICATION_FIELDS = frozenset({"replication", "read_replica_of", "replica_of", "global_cluster"})
# Data stores drawn as a primary plus a standby or replicas in their AZs, not once per subnet.
REPLICATED_TYPES = frozenset({"rds_instance", "aurora_cluster", "elasticache_cluster"})
DATA_TYPES = REPLICATED_TYPES | {"efs_file_system", "fsx_file_system", "redshift_cluster", "opensearch_domain"}
TIERS = ("public", "app", "data")
# Secondary resources: at the default detail drawn only when a finding or a flow is about them, or
# something primary links them; otherwise listed under the picture.
SIDE_TYPES = frozenset({
    "flow_log", "cloudwatch_alarm", "cloudtrail_trail", "iam_role", "backup_plan", "backup_vault", "log_group",
    "kms_key", "config_rule", "security_group", "launch_template", "placement_group",
})
# Unplaced resources of these types join the VPC of what they link (regional services stay in the Region).
IN_VPC_TYPES = frozenset({
    "target_group", "placement_group", "security_group", "launch_template", "network_acl", "route_table",
    "flow_log", "vpc_endpoint", "elastic_ip", "ebs_volume", "ec2_instance", "auto_scaling_group",
    "network_interface", "efs_file_system", "fsx_file_system",
})
# Drawn through at the default detail: a load balancer's target group joins it to its targets.
PASS_THROUGH = frozenset({"target_group"})

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
    tier: str = ""         # subnets: public, app or data (stacked in that order in every AZ column)


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
    of: str = ""                     # a copy: the resource drawn again in another subnet it runs in
    role: str = ""                   # primary, standby or replica (databases and caches)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str              # flow, reference, secondary, replication (primary to standby or replica),
    #                        or layout (invisible: arranges a grid)
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
    aside: tuple[tuple[str, str], ...] = ()    # (type, name) of secondary resources not drawn at this detail
    detail: str = "network"

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
    def __init__(self, arch: Architecture, findings: Sequence[Finding], detail: str = "network",
                 view: str = "all") -> None:
        self.arch = arch
        self.detail = detail
        self.view = view
        self.hidden: set[str] = set()
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

    def region_cluster(self, region: Optional[str]) -> str:
        if not region:
            return ""
        return self._cluster(f"region:{_seg(region)}", "", "region", f"Region {region}")

    def home(self, resource: Resource, region: Optional[str]) -> str:
        """The box a resource's VPC (or the resource) sits in: its account's box inside the Region, else the
        Region. The account is the resource's own `account`, else its VPC's."""
        region_id = self.region_cluster(region)
        owner = resource.props.get("account")
        if not owner:
            vpc = self.arch.vpc_of(resource)
            owner = vpc.props.get("account") if vpc is not None and vpc is not resource else None
        account = self.arch.get(owner)
        if account is None:
            return region_id
        cluster_id = f"{region_id}/account:{_seg(account.name)}" if region_id else f"account:{_seg(account.name)}"
        return self._cluster(cluster_id, region_id, "account", f"Account {account.name}",
                             str(account.props.get("account_id") or ""), account.name)

    def vpc_cluster(self, vpc: Resource) -> str:
        if vpc.name in self.cluster_of_resource:
            return self.cluster_of_resource[vpc.name]
        parent = self.home(vpc, self.arch.region_of(vpc) or self.only_region)
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
            parent = self.home(subnet, self.arch.region_of(subnet) or self.only_region)
        public = self.arch.is_or_declared_public(subnet)
        cluster_id = f"{parent}/subnet:{_seg(subnet.name)}" if parent else f"subnet:{_seg(subnet.name)}"
        detail = " · ".join(x for x in (str(subnet.props.get("cidr") or ""), "public" if public else "private") if x)
        self.cluster_of_resource[subnet.name] = self._cluster(cluster_id, parent, "subnet", f"subnet {subnet.name}",
                                                              detail, subnet.name)
        self.clusters[cluster_id] = replace(self.clusters[cluster_id], tier=self.tier(subnet))
        return cluster_id

    def tier(self, subnet: Resource) -> str:
        """public (routes to an internet gateway), data (holds or is named for data stores), else app."""
        if self.arch.is_or_declared_public(subnet):
            return "public"
        if subnet.props.get("tier") in ("data", "cache") or _DATA_NAME.search(subnet.name):
            return "data"
        if subnet.props.get("tier") in ("web", "edge", "load_balancer"):
            return "public"
        holds = self.arch.referrers(subnet)
        if holds and all(r.type in DATA_TYPES for r, path in holds if path and path[0] in ("subnet", "subnets")) \
                and any(path and path[0] in ("subnet", "subnets") for r, path in holds):
            return "data"
        return "app"

    def spots(self, resource: Resource) -> list[tuple[Resource, str]]:
        """The subnets a resource is drawn in, one per AZ, AZs in name order, with its role in each:
        every subnet for what spreads (load balancers, Auto Scaling groups, endpoints); a primary and
        a standby or replicas for databases and caches."""
        by_az: dict[str, Resource] = {}
        for subnet in self.arch.subnets_of(resource):
            by_az.setdefault(str(subnet.props.get("az") or ""), subnet)
        zones = sorted(by_az)
        if resource.type not in REPLICATED_TYPES or len(zones) < 2:
            return [(by_az[z], "") for z in zones]
        p = resource.props
        if resource.type == "aurora_cluster" and p.get("instances"):
            out: list[tuple[Resource, str]] = []
            for item in p["instances"]:
                zone = item.get("az") if isinstance(item, dict) else None
                if zone in by_az and all(s is not by_az[zone] for s, _ in out):
                    out.append((by_az[zone], "primary" if item.get("role") == "writer" else "replica"))
            if out:
                return sorted(out, key=lambda spot: spot[1] != "primary")
        first = str(p["az"]) if p.get("az") in by_az else zones[0]
        others = [z for z in zones if z != first]
        if resource.type == "rds_instance":
            multi = p.get("multi_az") or p.get("deployment") in ("multi_az_instance", "multi_az_cluster")
            return [(by_az[first], "primary")] + ([(by_az[others[0]], "standby")] if multi else [])
        if resource.type == "elasticache_cluster":
            count = p.get("replicas_per_shard") or (1 if p.get("multi_az") else 0)
            return [(by_az[first], "primary")] + [(by_az[z], "replica") for z in others[:count]]
        return [(by_az[first], "primary")] + [(by_az[z], "replica") for z in others]

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
        if resource.type == "ebs_volume":   # beside the instance it is attached to
            attached = self.arch.all(list(resource.props.get("attached_to") or ()))
            if attached and attached[0].type != "ebs_volume":
                return self.place(attached[0])
        if resource.type == "flow_log":   # inside what it logs
            target = self.arch.get(resource.props.get("resource"))
            if target is not None and target.type in CLUSTER_TYPES:
                return self.place(target)
        subnets = self.arch.subnets_of(resource)
        for subnet in subnets:
            self.subnet_cluster(subnet)
        spots = self.spots(resource) if subnets else []
        if spots:
            return self.subnet_cluster(spots[0][0])
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
        return self.home(resource, self.arch.region_of(resource) or self.only_region)

    def infer(self, resource: Resource, cluster_id: str, neighbours, placed: Mapping[str, str]) -> str:
        """A resource with no place of its own (a target group, a placement group) goes in the VPC that
        holds everything it is linked to, rather than floating at the edge of the Region."""
        if resource.type in GLOBAL_TYPES | ONPREM_TYPES | BETWEEN_TYPES or (
                cluster_id and self.clusters[cluster_id].kind != "region"):
            return cluster_id
        if cluster_id and resource.type not in IN_VPC_TYPES:   # a regional service is never inside a VPC
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
            edge = Edge(source, target, kind, label, kind not in ("secondary", "replication"), severity)
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
            quiet = QUIET_TYPES - SECURITY_TYPES if self.view == "security" else QUIET_TYPES
            if (resource.type in quiet and not self.by_resource.get(resource.name)
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
                noise = NOISE_FIELDS - {"security_groups", "network_acl"} if self.view == "security" else NOISE_FIELDS
                if fieldname in noise or not visible(target.name):
                    continue
                reverse, secondary = EDGE_RULES.get((resource.type, fieldname), (False, True))
                if (target.type in CLUSTER_TYPES or resource.type in CLUSTER_TYPES) and secondary:
                    continue
                # a finding at this reference (or inside it) is about this edge; one on the whole list of
                # references (`consumers`) is about the resource, not each of its edges
                at_ref = ("resources", resource.name) + tuple(path)
                severity = worst(f.severity for f in self.by_resource.get(resource.name, ())
                                 if tuple(f.path)[:len(at_ref)] == at_ref)
                severity = worst((severity, link_severity(resource.name, target.name)))
                source, dest = (target.name, resource.name) if reverse else (resource.name, target.name)
                kind = "replication" if fieldname in REPLICATION_FIELDS else "secondary" if secondary else "reference"
                add(source, dest, kind, "", severity)
                if (resource.type, fieldname) in BESIDE and (source, dest) in edges:   # side by side, not stacked
                    edges[(source, dest)] = replace(edges[(source, dest)], constraint=False)

        neighbours: dict[str, set[str]] = {}
        for a, b in edges:
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)

        def mark(a: str, b: str, label: str, severity: Optional[str], kind: str) -> None:
            """Make the edge a–b part of a flow, pointing the flow's way."""
            key = (a, b) if (a, b) in edges else (b, a)
            if key == (b, a) and edges[key].kind == "flow" and kind == "flow":
                # another flow runs this link the other way: both directions are drawn, neither reversed
                edges[(a, b)] = Edge(a, b, kind, label, True, severity)
                return
            old = edges.pop(key)
            labels = [part for part in (old.label, label) if part]
            new = kind if KIND_STRENGTH[kind] >= KIND_STRENGTH[old.kind] else old.kind
            edges[(a, b)] = Edge(a, b, new, " + ".join(dict.fromkeys(labels)), new not in ("secondary", "replication"),
                                 worst((old.severity, severity)))

        # Declared flows follow the drawn links where they can (a flow "data centre -> VPN" runs through the
        # customer gateway), so they do not add long parallel edges; otherwise they add their own.
        for index, chain in enumerate(chains):
            chain = self.through_vpcs(chain, neighbours)
            flow = arch.flows[index]
            flow_severity = worst(f.severity for f in self.by_flow.get(index, ()))
            kind = "replication" if flow.get("mode") in ("replication", "backup") else "flow"
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

        self.related_edges(edges)
        self.route_edges(edges, drawn)
        if self.detail != "full":
            self.simplify(edges, drawn, touched)
        anchors = {name for edge in edges.values() for name in (edge.source, edge.target)
                   if arch.resources[name].type in CLUSTER_TYPES}
        kept = [e for e in edges.values()
                if (e.source in drawn or e.source in anchors) and (e.target in drawn or e.target in anchors)]
        neighbours = {}
        for edge in kept:
            neighbours.setdefault(edge.source, set()).add(edge.target)
            neighbours.setdefault(edge.target, set()).add(edge.source)
        placed = {name: self.place(arch.resources[name]) for name in drawn}
        for name, resource in drawn.items():
            placed[name] = self.infer(resource, placed[name], neighbours.get(name, ()), placed)

        # A resource in several subnets is drawn in each (one per AZ): the primary keeps its name, the
        # others are "name@subnet". Edges between two spread resources run within each AZ.
        instances: dict[str, list[tuple[str, str, str]]] = {}   # name -> [(node id, az, role)]
        nodes: list[Node] = []
        for resource in arch.resources.values():
            if resource.name not in drawn:
                continue
            found = self.by_resource.get(resource.name, [])
            variant = str(resource.props.get("lb_type") or "")
            severity = worst(f.severity for f in found)
            spots = self.spots(resource) if resource.type not in GLOBAL_TYPES | ONPREM_TYPES else []
            if len(spots) < 2:
                nodes.append(Node(resource.name, resource.type, resource.name, describe(resource),
                                  placed[resource.name], variant, severity, len(found)))
                continue
            for index, (subnet, role) in enumerate(spots):
                node_id = resource.name if index == 0 else f"{resource.name}@{subnet.name}"
                detail = describe(resource) if index == 0 else f"{role or type_label(resource.type)} in {subnet.name}"
                if index == 0 and role:
                    detail = f"{detail} · {role}"
                nodes.append(Node(node_id, resource.type, resource.name, detail, self.subnet_cluster(subnet), variant,
                                  severity, len(found) if index == 0 else 0, of="" if index == 0 else resource.name,
                                  role=role))
                instances.setdefault(resource.name, []).append((node_id, str(subnet.props.get("az") or ""), role))
        kept = self.spread_edges(kept, instances)
        for copies in instances.values():
            primary = copies[0][0]
            kept += [Edge(primary, copy, "replication", "", False) for copy, _, role in copies[1:] if role]

        omitted: dict[str, int] = {}
        aside: list[tuple[str, str]] = []
        for resource in arch.resources.values():
            if resource.type in CLUSTER_TYPES or resource.name in drawn:
                continue
            if resource.name in self.hidden:
                aside.append((resource.type, resource.name))
            else:
                omitted[resource.type] = omitted.get(resource.type, 0) + 1

        legend = tuple(sorted(
            (LegendEntry(f.severity, f.code, f.resource or _path_name(arch, f), f.message, f.line)
             for f in self.findings),
            key=lambda e: (RANK[e.severity], e.code, e.resource, e.line)))
        title = arch.name or (arch.file.rsplit("/", 1)[-1] if arch.file else "architecture")
        entry = self.entry(nodes, kept)
        if entry:
            nodes.insert(0, Node(USERS, "users", "Users", "internet"))
            kept = [edge for target in entry for edge in self.through_gateway(target, drawn)] + kept
        return Graph(title, _ordered(self.clusters), tuple(nodes), tuple(kept), legend, tuple(sorted(omitted.items())),
                     aside=tuple(sorted(aside)), detail=self.detail)

    def through_vpcs(self, chain: list[str], neighbours: Mapping[str, set[str]]) -> list[str]:
        """A flow hop "into VPC v, then to a resource inside v" enters through whatever links it to v (a TGW
        attachment): drawn as that resource, not as an edge into the box and back out of it."""
        out: list[str] = []
        for position, name in enumerate(chain):
            vpc = self.arch.resources[name]
            after = self.arch.get(chain[position + 1]) if position + 1 < len(chain) else None
            if vpc.type == "vpc" and after is not None and after.type != "vpc" and self.arch.vpc_of(after) is vpc:
                before = out[-1] if out else None
                inside = sorted(n for n in neighbours.get(before, set()) & neighbours.get(name, set())
                                if self.arch.vpc_of(self.arch.resources[n]) is vpc) if before else []
                out += inside[:1]
                continue
            out.append(name)
        return out

    # -- findings on links -------------------------------------------------
    def related_edges(self, edges: dict) -> None:
        """A finding that names the far end of a link (`related`) colours the edge between the two."""
        for f in self.findings:
            own = _resource_of(f.path) or f.resource
            for other in (_resource_of(getattr(item, "path", item)) for item in getattr(f, "related", ()) or ()):
                for key in ((own, other), (other, own)):
                    if other and other != own and key in edges:
                        edges[key] = replace(edges[key], severity=worst((edges[key].severity, f.severity)))

    def route_edges(self, edges: dict, drawn: Mapping[str, Resource]) -> None:
        """Route tables are configuration, not drawn; a finding about a route draws the route it is about,
        from the subnet box to the gateway, in the finding's colour (app-b -> nat-a across AZs)."""
        arch = self.arch
        for f in self.findings:
            path = tuple(f.path)
            owner = arch.get(_resource_of(path))
            if owner is None:
                continue
            if owner.type == "subnet" and path[2:3] == ("route_table",):
                subnets, index = [owner], None
            elif owner.type == "route_table" and path[2:3] == ("routes",):
                subnets = [s for s in arch.of_type("subnet") if s.props.get("route_table") == owner.name]
                index = path[3] if len(path) > 3 and isinstance(path[3], int) else None
            else:
                continue
            related = {_resource_of(getattr(item, "path", item)) for item in getattr(f, "related", ()) or ()}
            for subnet in subnets:
                for position, route, target in arch.route_targets(subnet):
                    if target.name not in drawn or (index is not None and position != index) or (
                            related - {None} and target.name not in related):
                        continue
                    if related - {None} or index is not None or target.type in ("nat_gateway",
                                                                                "transit_gateway", "vpc_peering"):
                        old = edges.get((subnet.name, target.name))
                        edges[(subnet.name, target.name)] = Edge(
                            subnet.name, target.name, "route", str(route.get("destination") or ""), False,
                            worst((f.severity, old.severity if old else None)))

    # -- detail ----------------------------------------------------------
    def simplify(self, edges: dict, drawn: dict, touched: set) -> None:
        """What a design review needs: no secondary links; target groups drawn through; secondary
        resources (logs, alarms, roles, security groups) that nothing primary links listed, not drawn."""
        for key in [k for k, e in edges.items() if e.kind == "secondary" and not e.severity]:
            del edges[key]
        for name in [n for n, r in drawn.items() if r.type in PASS_THROUGH and not self.by_resource.get(n)]:
            ins = [e for e in edges.values() if e.target == name]
            outs = [e for e in edges.values() if e.source == name]
            if not ins or not outs:
                continue
            for edge in ins + outs:
                edges.pop((edge.source, edge.target), None)
            for a in ins:
                for b in outs:
                    if (b.target, a.source) not in edges:
                        strong = a if KIND_STRENGTH[a.kind] >= KIND_STRENGTH[b.kind] else b
                        edges[(a.source, b.target)] = Edge(a.source, b.target, strong.kind, a.label or b.label,
                                                           True, worst((a.severity, b.severity)))
            del drawn[name]
            self.hidden.add(name)
        linked = {n for e in edges.values() for n in (e.source, e.target)}
        for name, resource in list(drawn.items()):
            if resource.type in SIDE_TYPES and name not in linked and name not in touched \
                    and not self.by_resource.get(name) and not (self.view == "security" and resource.type in
                                                                VIEW_TYPES["security"]):
                del drawn[name]
                self.hidden.add(name)

    def spread_edges(self, edges: list[Edge], instances: Mapping[str, list[tuple[str, str, str]]]) -> list[Edge]:
        """Edges between drawn nodes: within each AZ between two spread resources, from every copy of a
        spread resource to a single one, and to a database's primary."""
        out: list[Edge] = []
        for edge in edges:
            a = [(n, az) for n, az, role in instances.get(edge.source, ()) if role in ("", "primary")]
            b = [(n, az) for n, az, role in instances.get(edge.target, ()) if role in ("", "primary")]
            pairs: list[tuple[str, str]]
            if len(a) > 1 and len(b) > 1:
                zones_b = dict((az, n) for n, az in b)
                pairs = [(n, zones_b[az]) for n, az in a if az in zones_b] or [(edge.source, edge.target)]
            elif len(a) > 1:
                pairs = [(n, edge.target) for n, _ in a]
            else:
                pairs = [(edge.source, edge.target)]
            for index, (source, target) in enumerate(pairs):
                out.append(replace(edge, source=source, target=target, label=edge.label if index == 0 else ""))
        return out

    def through_gateway(self, target: str, drawn: Mapping[str, Resource]) -> list[Edge]:
        """Users reach a public load balancer through its VPC's internet gateway (drawn above its subnets)."""
        resource = self.arch.resources[target]
        vpc = self.arch.vpc_of(resource)
        gateways = sorted(r.name for r in self.arch.of_type("internet_gateway")
                          if vpc is not None and r.props.get("vpc") == vpc.name and r.name in drawn)
        if resource.type != "load_balancer" or not gateways:
            return [Edge(USERS, target, "reference")]
        return [Edge(USERS, gateways[0], "reference"), Edge(gateways[0], target, "reference")]

    def entry(self, nodes: Sequence[Node], edges: Sequence[Edge]) -> list[str]:
        """Where users come in from the internet: the first of DNS, CDN, accelerator, API, public load
        balancer that nothing else leads to."""
        fed = {e.target for e in edges if e.kind in ("flow", "reference")}
        for kinds in (("route53_record",), ("cloudfront_distribution", "global_accelerator"), ("api_gateway",),
                      ("load_balancer",)):
            found = [n.id for n in nodes if n.type in kinds and not n.of and n.id not in fed
                     and (n.type != "load_balancer" or "internal" not in n.detail)]
            if found:   # many entries (a fleet of public load balancers) would draw a star, not an entry
                return found if len(found) <= MAX_ENTRIES else []
        return []


_DATA_NAME = re.compile(r"(^|[-_.])(db|data|database|rds|storage|cache)([-_.0-9]|$)", re.IGNORECASE)


def _resource_of(path) -> Optional[str]:
    path = tuple(path) if isinstance(path, (tuple, list)) else ()
    return str(path[1]) if len(path) > 1 and path[0] == "resources" else None


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
    """Parents before children; AZs in name order, subnets by tier (public, app, data) then name, other
    siblings in the order they were first met (the file's order)."""
    order = {cid: index for index, cid in enumerate(clusters)}

    def depth(cid: str) -> int:
        return 0 if not clusters[cid].parent else 1 + depth(clusters[cid].parent)

    def key(cid: str) -> tuple:
        c = clusters[cid]
        if c.kind == "az":
            return (depth(cid), 1, c.label, 0)
        if c.kind == "subnet":
            return (depth(cid), 1, TIERS.index(c.tier) if c.tier in TIERS else 1, c.label)
        return (depth(cid), 0, "", order[cid])
    return tuple(clusters[cid] for cid in sorted(order, key=key))


def build_graph(arch: Architecture, findings: Optional[Sequence[Finding]] = (), detail: str = "network",
                view: str = "all") -> Graph:
    """The picture of `arch` as plain data: boxes, nodes, edges, and the findings drawn on them.

    `findings=None` draws the plain architecture (no highlights, no legend). `detail="full"` also draws
    secondary links and resources (roles, alarms, logs, backups, target groups). `view` keeps what one
    review is about: network, security or data (with what their links reach).
    """
    if detail not in DETAILS or view not in VIEWS:
        raise ValueError(f"detail is one of {', '.join(DETAILS)} and view one of {', '.join(VIEWS)}")
    graph = _Builder(arch, findings or (), "full" if detail == "full" else "network", view).build()
    if view != "all":
        graph = focus(graph, view)
    if detail == "overview":
        from .split import split_by_vpc
        overview = split_by_vpc(graph)[0][1]
        graph = replace(overview, note=overview.note.replace("each VPC is drawn in a picture of its own",
                                                             "each VPC one box (--detail network draws inside)"))
    return graph if findings is not None else replace(graph, findings_shown=False)


def focus(graph: Graph, view: str) -> Graph:
    """Only what a view is about: its types, resources with findings of its pillar (security), and what
    their links reach in one hop, so a flow into a database still shows where it comes from."""
    own = {n.id for n in graph.nodes if n.type in VIEW_TYPES[view] or (
        view == "security" and n.severity and any(e.code.startswith("SEC") and e.resource == (n.of or n.id)
                                                  for e in graph.legend))}
    reach = {end for e in graph.edges if e.kind not in ("layout", "placement") and (e.source in own or e.target in own)
             for end in (e.source, e.target)}
    keep = own | reach | {USERS}
    boxes = {c.resource for c in graph.clusters if c.resource}
    nodes = tuple(n for n in graph.nodes if n.id in keep)
    kept = {n.id for n in nodes} | boxes
    edges = tuple(e for e in graph.edges if e.source in kept and e.target in kept)
    if not any(e.source == USERS for e in edges):
        nodes = tuple(n for n in nodes if n.id != USERS)
    dropped = len(graph.nodes) - len(nodes)
    note = f"{view} view: {dropped} other resources not drawn" if dropped else f"{view} view"
    return replace(graph, nodes=nodes, edges=edges, note=(graph.note + "; " if graph.note else "") + note)


__all__ = ["Cluster", "Edge", "Graph", "LegendEntry", "Node", "SEVERITY_COLOURS", "build_graph", "worst",
           "type_label"]
