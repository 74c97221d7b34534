"""The render model as plain data: nesting, edges, highlights and the legend, without graphviz."""
from __future__ import annotations

from wavalidate.findings import Finding
from wavalidate.locations import START
from wavalidate.render import build_graph
from wavalidate.render.graph import GLOBAL, ONPREM

from ..conftest import under_another_hash_seed
from .helpers import arch_of, graph_of

HYBRID = """
version: 1
regions: {eu-west-1: {azs: [eu-west-1a, eu-west-1b]}}
resources:
  dc: {type: on_premises_network, location: Seoul}
  cgw: {type: customer_gateway, site: dc}
  tgw: {type: transit_gateway, region: eu-west-1}
  vpn: {type: vpn_connection, customer_gateway: cgw, transit_gateway: tgw, routing: bgp}
  vpc: {type: vpc, region: eu-west-1, cidr: 10.0.0.0/16}
  pub-a: {type: subnet, vpc: vpc, az: eu-west-1a, cidr: 10.0.0.0/24}
  app-a: {type: subnet, vpc: vpc, az: eu-west-1a, cidr: 10.0.1.0/24}
  app-b: {type: subnet, vpc: vpc, az: eu-west-1b, cidr: 10.0.2.0/24}
  nat: {type: nat_gateway, subnet: pub-a}
  web: {type: ec2_instance, subnet: app-a, instance_type: m7g.large, count: 3}
  asg: {type: auto_scaling_group, subnets: [app-a, app-b], role: web-role}
  alb: {type: load_balancer, lb_type: alb, subnets: [pub-a], targets: [web]}
  web-role: {type: iam_role}
  dns: {type: route53_record, dns_name: shop.example.com, target: alb}
  sg: {type: security_group, vpc: vpc}
  attach: {type: transit_gateway_attachment, transit_gateway: tgw, attachment_type: vpc, vpc: vpc, subnets: [app-a]}
flows:
  - {source: dc, target: vpc, via: [vpn, tgw], bandwidth: 3Gbps}
"""


def finding(resource: str, *keys, code="PERF001", severity="high") -> Finding:
    path = ("resources", resource) + keys
    return Finding("test.yaml", START, code, severity, f"{resource} is wrong", "x", "reliability", resource, path)


def chain(graph, cluster_id):
    """The kinds of the boxes from the top down to a cluster."""
    kinds = []
    while cluster_id:
        cluster = graph.cluster(cluster_id)
        kinds.insert(0, (cluster.kind, cluster.label))
        cluster_id = cluster.parent
    return kinds


def test_nesting_region_vpc_az_subnet():
    graph = graph_of(HYBRID)
    assert chain(graph, graph.node("nat").cluster) == [
        ("region", "Region eu-west-1"), ("vpc", "VPC vpc"), ("az", "AZ eu-west-1a"), ("subnet", "subnet pub-a")]
    # in two AZs: drawn in each subnet it runs in, the first AZ's keeping its name
    assert chain(graph, graph.node("asg").cluster)[-1] == ("subnet", "subnet app-a")
    copy = graph.node("asg@app-b")
    assert chain(graph, copy.cluster)[-1] == ("subnet", "subnet app-b") and copy.of == "asg" and copy.label == "asg"
    assert not [e for e in graph.edges if e.kind == "placement"]
    # every subnet is a box, even an empty one
    assert {c.resource for c in graph.clusters if c.kind == "subnet"} == {"pub-a", "app-a", "app-b"}
    assert graph.node("pub-a") is None   # boxes, not nodes


def test_global_and_on_premises_sit_outside_the_region():
    graph = graph_of(HYBRID)
    assert graph.node("dns").cluster == GLOBAL
    assert build_graph(arch_of(HYBRID), (), "full").node("web-role").cluster == GLOBAL
    assert graph.node("dc").cluster == ONPREM and graph.node("cgw").cluster == ONPREM
    assert graph.cluster(GLOBAL).parent == "" and graph.cluster(ONPREM).parent == ""
    assert graph.node("vpn").cluster == ""   # the link sits between on-premises and the Region


def test_node_ids_are_resource_names_and_quiet_configuration_is_counted_not_drawn():
    graph = graph_of(HYBRID)
    names = {n.id for n in graph.nodes}
    assert {"dc", "cgw", "tgw", "vpn", "nat", "web", "asg", "alb", "dns", "attach"} <= names
    assert "sg" not in names and ("security_group", 1) in graph.omitted
    assert graph.node("web").detail == "EC2 · m7g.large · ×3"


def test_edges_from_references_and_flows():
    graph = graph_of(HYBRID)
    edges = {(e.source, e.target): e for e in graph.edges}
    assert ("alb", "web") in edges and edges[("alb", "web")].constraint
    assert ("dns", "alb") in edges
    # the flow dc -> vpn runs along the drawn links, through the customer gateway, and keeps its label
    assert ("dc", "cgw") in edges and edges[("cgw", "vpn")].kind == "flow"
    assert edges[("cgw", "vpn")].label == "3Gbps"
    assert ("dc", "vpn") not in edges
    assert edges[("vpn", "tgw")].kind == "flow"
    # a VPC is a box, never a node (an edge to it ends at its box)
    assert graph.node("vpc") is None and ("attach", "vpc") in edges
    # secondary links are drawn at full detail, where they do not shape the layout; by default the role
    # is listed beside the picture
    assert ("asg", "web-role") not in edges and ("iam_role", "web-role") in graph.aside
    full = {(e.source, e.target): e for e in build_graph(arch_of(HYBRID), (), "full").edges}
    role = full[("asg", "web-role")]
    assert role.kind == "secondary" and not role.constraint


def test_highlights_badges_and_red_edges():
    findings = [finding("vpn", "routing"), finding("vpn", "tunnels", code="PERF002", severity="medium"),
                finding("web", "instance_type", code="COST001", severity="low"),
                finding("alb", "targets", 0, code="REL002", severity="medium"),
                finding("dns", "target", code="REL003", severity="low")]
    graph = build_graph(arch_of(HYBRID), findings)
    vpn = graph.node("vpn")
    assert (vpn.severity, vpn.findings) == ("high", 2)
    assert (graph.node("web").severity, graph.node("web").findings) == ("low", 1)
    assert graph.node("nat").severity is None and graph.node("nat").findings == 0
    edges = {(e.source, e.target): e for e in graph.edges}
    # a finding on a VPN is a finding on the link: every edge of it is drawn in its colour
    assert edges[("cgw", "vpn")].severity == "high" and edges[("vpn", "tgw")].severity == "high"
    # a finding at a reference colours that reference's edge
    assert edges[("alb", "web")].severity == "medium" and edges[("dns", "alb")].severity == "low"
    assert edges[("users:internet", "dns")].severity is None and not edges[("users:internet", "dns")].failing


def test_a_finding_on_a_flow_colours_the_flow():
    flow_finding = Finding("test.yaml", START, "PERF009", "high", "too slow", "x", "performance-efficiency", "",
                           ("flows", 0, "bandwidth"))
    graph = build_graph(arch_of(HYBRID), [flow_finding])
    edges = {(e.source, e.target): e for e in graph.edges}
    assert edges[("cgw", "vpn")].severity == "high" and edges[("vpn", "tgw")].severity == "high"
    assert edges[("alb", "web")].severity is None


def test_legend_lists_the_findings_worst_first():
    findings = [finding("web", "count", code="COST001", severity="low"), finding("vpn", "routing")]
    graph = build_graph(arch_of(HYBRID), findings)
    assert [(e.severity, e.code, e.resource) for e in graph.legend] == [
        ("high", "PERF001", "vpn"), ("low", "COST001", "web")]
    assert graph.findings_shown


def test_no_findings_draws_the_plain_architecture():
    graph = build_graph(arch_of(HYBRID), None)
    assert not graph.findings_shown and not graph.legend
    assert all(n.severity is None for n in graph.nodes) and not any(e.failing for e in graph.edges)


def test_suppressed_and_input_error_findings_are_not_drawn():
    from wavalidate.findings import Suppression
    quiet = Finding("test.yaml", START, "PERF001", "high", "m", "x", "reliability", "vpn", ("resources", "vpn"),
                    Suppression("accepted", "inline"))
    error = Finding("test.yaml", START, "E900", "error", "crash")
    graph = build_graph(arch_of(HYBRID), [quiet, error])
    assert graph.node("vpn").severity is None and not graph.legend


def test_sibling_boxes_with_the_same_label_stay_apart():
    graph = graph_of("""
        version: 1
        resources:
          one: {type: vpc, region: eu-west-1, cidr: 10.0.0.0/16}
          two: {type: vpc, region: eu-west-1, cidr: 10.1.0.0/16}
          s1: {type: subnet, vpc: one, az: eu-west-1a, cidr: 10.0.0.0/24}
          s2: {type: subnet, vpc: two, az: eu-west-1a, cidr: 10.1.0.0/24}
          a: {type: ec2_instance, subnet: s1}
          b: {type: ec2_instance, subnet: s2}
        """)
    azs = [c for c in graph.clusters if c.kind == "az"]
    assert len(azs) == 2 and azs[0].label == azs[1].label and azs[0].id != azs[1].id
    assert chain(graph, graph.node("a").cluster)[1] == ("vpc", "VPC one")
    assert chain(graph, graph.node("b").cluster)[1] == ("vpc", "VPC two")


UNPLACED = """
        version: 1
        resources:
          vpc: {type: vpc, region: eu-west-1, cidr: 10.0.0.0/16}
          s1: {type: subnet, vpc: vpc, az: eu-west-1a, cidr: 10.0.0.0/24}
          lb: {type: load_balancer, lb_type: alb, subnets: [s1], listeners: [{protocol: HTTP, target_group: tg}]}
          tg: {type: target_group, targets: [app]}
          app: {type: ec2_instance, subnet: s1}
          alarm: {type: cloudwatch_alarm, metric: CPU, monitors: [app]}
          queue: {type: sqs_queue, region: eu-west-1}
          depth: {type: cloudwatch_alarm, metric: depth, monitors: [queue]}
        """


def test_unplaced_resources_join_what_they_link():
    """By default a target group is drawn through (load balancer to targets); at full detail it and the
    regional services (alarms) the Region of what they link."""
    graph = graph_of(UNPLACED)
    vpc_box = graph.node("app").cluster.rsplit("/az:", 1)[0]
    assert graph.node("tg") is None and ("lb", "app") in {(e.source, e.target) for e in graph.edges}
    full = build_graph(graph_of.__globals__["arch_of"](UNPLACED), (), "full")
    assert full.node("tg").cluster == vpc_box          # a target group goes with its load balancer
    assert full.node("alarm").cluster == "region:eu-west-1"   # CloudWatch is regional, never in a VPC
    assert full.node("depth").cluster == "region:eu-west-1"   # no Region of its own: its queue's


def test_build_is_the_same_under_another_hash_seed_and_plain_data(rules):
    ours = repr(graph_of(HYBRID, rules))
    theirs = under_another_hash_seed(
        "import sys\n"
        "from tests.render.helpers import graph_of\n"
        "from tests.render.test_graph import HYBRID\n"
        "from wavalidate.plugins import load_rules\n"
        "sys.stdout.buffer.write(repr(graph_of(HYBRID, load_rules()[0])).encode('utf-8'))\n")
    assert theirs == ours.encode("utf-8")
    graph = graph_of(HYBRID)
    hash(graph.nodes[0]), hash(graph.edges[0]), hash(graph.clusters[0])   # frozen, hashable


def test_every_sample_builds(rules):
    from wavalidate.render.samples import sample_files, sample_graph
    assert sample_files()
    for path in sample_files():
        graph = sample_graph(path)
        ids = [n.id for n in graph.nodes]
        assert len(ids) == len(set(ids)), path
        known = {c.id for c in graph.clusters}
        assert all(n.cluster in known or n.cluster == "" for n in graph.nodes), path
        boxes = {c.resource for c in graph.clusters if c.resource}
        for e in graph.edges:
            assert e.source in ids or e.source in boxes, (path, e)
            assert e.target in ids or e.target in boxes, (path, e)


TOPIC = """
version: 1
resources:
  topic: {type: sns_topic, region: eu-west-1, subscriptions: [{protocol: sqs, endpoint: queue}, {protocol: lambda, endpoint: fn}]}
  queue: {type: sqs_queue, region: eu-west-1, consumers: [worker]}
  worker: {type: lambda_function, region: eu-west-1, runtime: python3.12}
  fn: {type: lambda_function, region: eu-west-1, runtime: python3.12}
"""


def test_findings_colour_exactly_the_links_they_are_about():
    from dataclasses import replace

    from wavalidate.findings import Related
    whole_list = finding("queue", "consumers", code="REL753", severity="medium")        # about the queue
    one_item = finding("topic", "subscriptions", 0, "endpoint", code="REL755", severity="high")
    pair = replace(finding("queue", "visibility_timeout", code="REL752"),
                   related=(Related(START, ("resources", "worker", "timeout")),))
    edges = {(e.source, e.target): e for e in build_graph(arch_of(TOPIC), [whole_list, one_item]).edges}
    assert edges[("topic", "queue")].severity == "high"
    assert edges[("topic", "fn")].severity is None          # same resource, another subscription
    assert edges[("queue", "worker")].severity is None      # a finding on the whole field is not on each edge
    edges = {(e.source, e.target): e for e in build_graph(arch_of(TOPIC), [pair]).edges}
    assert edges[("queue", "worker")].severity == "high"    # `related` names the far end of the pair


def test_a_finding_about_a_route_draws_the_route():
    text = """
        version: 1
        resources:
          vpc: {type: vpc, region: eu-west-1, cidr: 10.0.0.0/16}
          igw: {type: internet_gateway, vpc: vpc}
          pub-rt: {type: route_table, vpc: vpc, routes: [{destination: 0.0.0.0/0, target: igw}]}
          rt-a: {type: route_table, vpc: vpc, routes: [{destination: 0.0.0.0/0, target: nat-a}]}
          pub-a: {type: subnet, vpc: vpc, az: eu-west-1a, cidr: 10.0.0.0/24, route_table: pub-rt}
          app-a: {type: subnet, vpc: vpc, az: eu-west-1a, cidr: 10.0.1.0/24, route_table: rt-a}
          app-b: {type: subnet, vpc: vpc, az: eu-west-1b, cidr: 10.0.2.0/24, route_table: rt-a}
          nat-a: {type: nat_gateway, subnet: pub-a}
        """
    graph = build_graph(arch_of(text), [finding("app-b", "route_table", code="REL080", severity="medium")])
    routes = [e for e in graph.edges if e.kind == "route"]
    assert [(e.source, e.target, e.label, e.severity) for e in routes] == [("app-b", "nat-a", "0.0.0.0/0", "medium")]
    assert not [e for e in build_graph(arch_of(text), []).edges if e.kind == "route"]


def test_flows_are_drawn_as_declared_through_a_rule_and_a_topic():
    graph = graph_of("""
        version: 1
        resources:
          producer: {type: lambda_function, region: eu-west-1, runtime: python3.12}
          bus-rule: {type: eventbridge_rule, region: eu-west-1, targets: [alerts]}
          alerts: {type: sns_topic, region: eu-west-1, subscriptions: [{protocol: lambda, endpoint: handler}]}
          handler: {type: lambda_function, region: eu-west-1, runtime: python3.12, invokes: [producer]}
        flows:
          - {source: producer, target: handler, via: [bus-rule, alerts], mode: async}
          - {source: handler, target: producer, mode: sync}
          - {source: producer, target: handler, mode: sync}
        """)
    edges = {(e.source, e.target): e for e in graph.edges}
    for hop in (("producer", "bus-rule"), ("bus-rule", "alerts"), ("alerts", "handler")):
        assert edges[hop].kind == "flow", hop              # every hop, the declared way
    assert ("alerts", "bus-rule") not in edges
    # a link that flows run both ways is drawn both ways
    assert edges[("handler", "producer")].kind == "flow" and edges[("producer", "handler")].kind == "flow"


ACCOUNTS = """
version: 1
resources:
  network: {type: account, account_id: "111111111111"}
  shop: {type: account}
  hub: {type: transit_gateway, region: eu-west-1, account: network}
  shop-vpc: {type: vpc, region: eu-west-1, account: shop, cidr: 10.1.0.0/16}
  shop-a: {type: subnet, vpc: shop-vpc, az: eu-west-1a, cidr: 10.1.0.0/24}
  web: {type: ec2_instance, subnet: shop-a}
  lab-vpc: {type: vpc, region: eu-west-1, cidr: 10.2.0.0/16}
"""


def test_accounts_are_boxes_around_what_they_own():
    g = graph_of(ACCOUNTS)
    account = {c.id: c for c in g.clusters if c.kind == "account"}
    assert set(account) == {"region:eu-west-1/account:network", "region:eu-west-1/account:shop"}
    assert account["region:eu-west-1/account:network"].detail == "111111111111"
    assert g.node("hub").cluster == "region:eu-west-1/account:network"
    assert g.cluster("region:eu-west-1/account:shop/vpc:shop-vpc").parent == "region:eu-west-1/account:shop"
    assert g.node("web").cluster.startswith("region:eu-west-1/account:shop/vpc:shop-vpc/")
    assert g.cluster("region:eu-west-1/vpc:lab-vpc") is not None   # no account: no box


def test_a_split_picture_keeps_the_region_and_account_around_its_vpc():
    from wavalidate.render.split import split_by_vpc
    pictures = dict(split_by_vpc(graph_of(ACCOUNTS)))
    kept = [c.id for c in pictures["shop-vpc"].clusters]
    assert kept[:2] == ["region:eu-west-1", "region:eu-west-1/account:shop"]
