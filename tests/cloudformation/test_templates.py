"""CloudFormation templates written in the style of real ones, checked end to end.

The templates under `templates/` use short-form tags and JSON, parameters
with and without defaults, decidable and undecidable conditions, Mappings,
`!Sub`, `!GetAtt`, `!Select`/`!GetAZs`, `!ImportValue` and nested stacks;
together they hold every type in `translate.TYPES`.

Expected positions are found in the template text (the line and column of a
given property after a given logical id), so they are exact without being
copied by hand.
"""
from __future__ import annotations

import os
import re

import pytest
from click.testing import CliRunner

from wavalidate.cli import main
from wavalidate.cloudformation import load_template
from wavalidate.cloudformation.resolve import UNKNOWN, Reference
from wavalidate.cloudformation.translate import TYPES
from wavalidate.engine import Options, check_file

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = os.path.join(HERE, "templates")
NAMES = sorted(os.listdir(TEMPLATES))
REQUIREMENTS = {"availability": 99.95, "rto": "1h", "rpo": "15m", "bandwidth": "3Gbps"}


def path(name: str) -> str:
    return os.path.join(TEMPLATES, name)


def at(name: str, anchor: str, key: str, value: bool = True) -> tuple[int, int]:
    """(line, column), 1-based, of property `key` (its value, or the key) after the line holding `anchor`."""
    lines = open(path(name), encoding="utf-8").read().splitlines()
    start = next(i for i, line in enumerate(lines) if anchor in line)
    pattern = re.compile(r'("?)' + re.escape(key) + r'\1\s*:\s*')
    for index in range(start, len(lines)):
        match = pattern.search(lines[index])
        if match:
            return index + 1, (match.end() if value else match.start()) + 1
    raise AssertionError(f"{key} not found after {anchor} in {name}")


@pytest.fixture(scope="module")
def findings(rules):
    options = Options(requirements=REQUIREMENTS)
    return {name: check_file(path(name), rules, options) for name in NAMES}


@pytest.fixture(scope="module")
def documents():
    return {name: load_template(path(name)) for name in NAMES}


def positions(findings, code):
    return {(f.line, f.col) for f in findings if f.code == code}


# -- every mapped type ------------------------------------------------------------------

ARCH_TYPES = {
    "AWS::FSx::FileSystem": ("storage-backup.yaml", "ScratchFileSystem", "fsx_file_system"),
    "AWS::Backup::BackupPlan": ("storage-backup.yaml", "DailyPlan", "backup_plan"),
    "AWS::EC2::VPC": ("network.yaml", "Vpc", "vpc"),
    "AWS::EC2::Subnet": ("network.yaml", "PublicSubnetA", "subnet"),
    "AWS::EC2::RouteTable": ("network.yaml", "PublicRouteTable", "route_table"),
    "AWS::EC2::InternetGateway": ("network.yaml", "InternetGateway", "internet_gateway"),
    "AWS::EC2::EgressOnlyInternetGateway": ("network.yaml", "EgressOnly", "egress_only_internet_gateway"),
    "AWS::EC2::NatGateway": ("network.yaml", "NatGateway", "nat_gateway"),
    "AWS::EC2::EIP": ("network.yaml", "NatAddress", "elastic_ip"),
    "AWS::EC2::NetworkInterface": ("network.yaml", "BastionEni", "network_interface"),
    "AWS::EC2::NetworkAcl": ("network.yaml", "AppAcl", "network_acl"),
    "AWS::EC2::SecurityGroup": ("network.yaml", "WebSecurityGroup", "security_group"),
    "AWS::EC2::FlowLog": ("network.yaml", "FlowLogs", "flow_log"),
    "AWS::EC2::Instance": ("network.yaml", "Bastion", "ec2_instance"),
    "AWS::EC2::LaunchTemplate": ("network.yaml", "WebLaunchTemplate", "launch_template"),
    "AWS::AutoScaling::AutoScalingGroup": ("network.yaml", "WebGroup", "auto_scaling_group"),
    "AWS::EC2::PlacementGroup": ("network.yaml", "Spread", "placement_group"),
    "AWS::EC2::Volume": ("network.yaml", "Scratch", "ebs_volume"),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": ("network.yaml", "WebLoadBalancer", "load_balancer"),
    "AWS::ElasticLoadBalancing::LoadBalancer": ("network.yaml", "LegacyLoadBalancer", "load_balancer"),
    "AWS::ElasticLoadBalancingV2::TargetGroup": ("network.yaml", "WebTargets", "target_group"),
    "AWS::EC2::VPCEndpoint": ("network.yaml", "S3Endpoint", "vpc_endpoint"),
    "AWS::EC2::VPCPeeringConnection": ("network.yaml", "Peering", "vpc_peering"),
    "AWS::S3::Bucket": ("data.yaml", "Uploads", "s3_bucket"),
    "AWS::EFS::FileSystem": ("data.yaml", "SharedFiles", "efs_file_system"),
    "AWS::RDS::DBInstance": ("data.yaml", "OrdersDb", "rds_instance"),
    "AWS::RDS::DBCluster": ("data.yaml", "Aurora", "aurora_cluster"),
    "AWS::DynamoDB::Table": ("data.yaml", "Sessions", "dynamodb_table"),
    "AWS::ElastiCache::CacheCluster": ("data.yaml", "PageCache", "elasticache_cluster"),
    "AWS::ElastiCache::ReplicationGroup": ("data.yaml", "SessionCache", "elasticache_cluster"),
    "AWS::EC2::TransitGateway": ("hybrid.json", "Tgw", "transit_gateway"),
    "AWS::EC2::TransitGatewayAttachment": ("hybrid.json", "LegacyAttachment", "transit_gateway_attachment"),
    "AWS::EC2::TransitGatewayVpcAttachment": ("hybrid.json", "HubAttachment", "transit_gateway_attachment"),
    "AWS::EC2::TransitGatewayRouteTable": ("hybrid.json", "TgwRoutes", "transit_gateway_route_table"),
    "AWS::EC2::VPNConnection": ("hybrid.json", "VpnPrimary", "vpn_connection"),
    "AWS::EC2::VPNGateway": ("hybrid.json", "LegacyVgw", "vpn_gateway"),
    "AWS::EC2::CustomerGateway": ("hybrid.json", "DcRouter", "customer_gateway"),
    "AWS::DirectConnect::Connection": ("hybrid.json", "DxLink", "dx_connection"),
    "AWS::DirectConnect::DirectConnectGateway": ("hybrid.json", "DxGateway", "dx_gateway"),
    "AWS::ApiGateway::RestApi": ("app.json", "RestApi", "api_gateway"),
    "AWS::ApiGatewayV2::Api": ("app.json", "HttpApi", "api_gateway"),
    "AWS::Lambda::Function": ("app.json", "OrdersFunction", "lambda_function"),
    "AWS::SQS::Queue": ("app.json", "OrdersQueue", "sqs_queue"),
    "AWS::SNS::Topic": ("app.json", "OrderEvents", "sns_topic"),
    "AWS::Kinesis::Stream": ("app.json", "Events", "kinesis_stream"),
    "AWS::KinesisFirehose::DeliveryStream": ("app.json", "EventsToS3", "firehose_stream"),
    "AWS::StepFunctions::StateMachine": ("app.json", "Fulfilment", "step_function"),
    "AWS::Route53::RecordSet": ("app.json", "ApiRecord", "route53_record"),
    "AWS::Route53::HealthCheck": ("app.json", "ApiHealth", "route53_health_check"),
    "AWS::CloudFront::Distribution": ("app.json", "Assets", "cloudfront_distribution"),
    "AWS::WAFv2::WebACL": ("app.json", "ApiAcl", "waf_web_acl"),
    "AWS::CloudWatch::Alarm": ("app.json", "QueueDepthAlarm", "cloudwatch_alarm"),
    "AWS::CloudTrail::Trail": ("app.json", "AuditTrail", "cloudtrail_trail"),
    "AWS::IAM::Role": ("app.json", "FunctionRole", "iam_role"),
    "AWS::IAM::User": ("app.json", "CiUser", "iam_user"),
    "AWS::IAM::Group": ("app.json", "Operators", "iam_group"),
    "AWS::IAM::ManagedPolicy": ("app.json", "QueueAccess", "iam_policy"),
    "AWS::CloudFormation::Stack": ("root.yaml", "Network", "cloudformation_stack"),
    "AWS::AutoScaling::LaunchConfiguration": ("extras.yaml", "WorkerConfiguration", "launch_template"),
    "AWS::Events::Rule": ("extras.yaml", "Nightly", "eventbridge_rule"),
}

# Helper resources fold into the resource they belong to: (template, owner, field, expected value).
FOLDED = {
    "AWS::IAM::RolePolicy": ("extras.yaml", "WorkerRole", "policies", [
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:UpdateItem"],
                                                 "Resource": "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/Jobs"}]}]),
    "AWS::IAM::GroupPolicy": ("extras.yaml", "Operators", "policies", [
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:Query",
                                                 "Resource": "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/Jobs"}]}]),
    "AWS::IAM::UserPolicy": ("extras.yaml", "Deployer", "policies", [
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}]),
    "AWS::IAM::InstanceProfile": ("extras.yaml", "WorkerConfiguration", "role", "WorkerRole"),
    "AWS::RDS::DBSubnetGroup": ("data.yaml", "OrdersDb", "subnets", ["DataSubnetA", "DataSubnetB"]),
    "AWS::ElastiCache::SubnetGroup": ("data.yaml", "SessionCache", "subnets", ["DataSubnetA", "DataSubnetB"]),
    "AWS::Backup::BackupSelection": ("storage-backup.yaml", "DailyPlan", "resources", ["HomeFileSystem"]),
    "AWS::EC2::VPCCidrBlock": ("network.yaml", "Vpc", "secondary_cidrs", ["10.21.0.0/16"]),
    "AWS::EC2::Route": ("network.yaml", "AppRouteTable", "routes",
                        [{"destination": "0.0.0.0/0", "target": "NatGateway"}]),
    "AWS::EC2::SubnetRouteTableAssociation": ("network.yaml", "AppSubnetB", "route_table", "AppRouteTable"),
    "AWS::EC2::VPCGatewayAttachment": ("network.yaml", "InternetGateway", "vpc", "Vpc"),
    "AWS::EC2::EIPAssociation": ("network.yaml", "BastionAddress", "attached_to", "Bastion"),
    "AWS::EC2::NetworkInterfaceAttachment": ("network.yaml", "BastionEni", "attached_to", "Bastion"),
    "AWS::EC2::NetworkAclEntry": ("network.yaml", "AppAcl", "outbound",
                                  [{"rule": 100, "action": "allow", "protocol": "tcp", "cidr": "0.0.0.0/0",
                                    "ports": 443}]),
    "AWS::EC2::SubnetNetworkAclAssociation": ("network.yaml", "AppSubnetA", "network_acl", "AppAcl"),
    "AWS::EC2::SecurityGroupIngress": ("network.yaml", "AppSecurityGroup", "ingress",
                                       [{"protocol": "tcp", "ports": 8080, "source_security_group": "WebSecurityGroup"},
                                        {"protocol": "tcp", "ports": 3389, "cidr": "0.0.0.0/0"}]),
    "AWS::EC2::SecurityGroupEgress": ("network.yaml", "AppSecurityGroup", "egress",
                                      [{"protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"}]),
    "AWS::EC2::VolumeAttachment": ("network.yaml", "Scratch", "attached_to", ["Bastion"]),
    "AWS::ElasticLoadBalancingV2::Listener": ("network.yaml", "WebLoadBalancer", "listeners",
                                              [{"protocol": "HTTPS", "port": 443, "target_group": "WebTargets"}]),
    "AWS::S3::BucketPolicy": ("data.yaml", "Uploads", "policy", {
        "Version": "2012-10-17", "Statement": [{
            "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": ["arn:aws:s3:::Uploads/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}),
    "AWS::EFS::MountTarget": ("data.yaml", "SharedFiles", "mount_targets", ["DataSubnetA", "DataSubnetB"]),
    "AWS::EC2::TransitGatewayRouteTableAssociation": ("hybrid.json", "HubAttachment", "route_table", "TgwRoutes"),
    "AWS::EC2::TransitGatewayRouteTablePropagation": ("hybrid.json", "HubAttachment", "propagates_to",
                                                      ["TgwRoutes"]),
    "AWS::EC2::TransitGatewayRoute": ("hybrid.json", "TgwRoutes", "routes",
                                      [{"destination": "172.16.0.0/12", "attachment": "HubAttachment"},
                                       {"destination": "192.168.0.0/16", "blackhole": True}]),
    "AWS::EC2::VPNConnectionRoute": ("hybrid.json", "LegacyVpn", "static_routes", ["172.16.0.0/12"]),
    "AWS::DirectConnect::DirectConnectGatewayAssociation": ("hybrid.json", "DxGateway", "associations", ["Tgw"]),
    "AWS::Lambda::EventSourceMapping": ("app.json", "OrdersQueue", "consumers", ["WorkerFunction"]),
    "AWS::SQS::QueuePolicy": ("app.json", "OrdersQueue", "policy", {
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage",
            "Resource": "arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:OrdersQueue",
            "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:${AWS::Region}:${AWS::AccountId}:OrderEvents"}}}]}),
    "AWS::SNS::Subscription": ("app.json", "OrderEvents", "subscriptions",
                               [{"protocol": "email", "address": "ops@example.com"},
                                {"protocol": "sqs", "endpoint": "OrdersQueue"}]),
    "AWS::SNS::TopicPolicy": ("app.json", "OrderEvents", "policy", {
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sns:Publish",
            "Resource": "arn:aws:sns:${AWS::Region}:${AWS::AccountId}:OrderEvents"}]}),
    "AWS::WAFv2::WebACLAssociation": ("app.json", "ApiAcl", "associations", ["RestApi"]),
    "AWS::IAM::Policy": ("app.json", "Operators", "policies",
                         [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}]),
    "AWS::IAM::AccessKey": ("app.json", "CiUser", "access_keys", [{"active": True}]),
    "AWS::ApiGateway::Method": ("app.json", "RestApi", "authorizer", "cognito"),  # the OPTIONS method is skipped
    "AWS::ApiGatewayV2::Route": ("app.json", "HttpApi", "authorizer", "none"),
    "AWS::ApiGateway::Stage": ("app.json", "RestApi", "throttling", {"rate": 500, "burst": 1000}),
    "AWS::ApiGatewayV2::Stage": ("app.json", "HttpApi", "throttling", None),  # a stage without limits: known absent
    "AWS::ApiGateway::UsagePlan": ("app.json", "PrivateApi", "throttling", {"rate": 50, "burst": 100}),
}


def test_the_tables_cover_every_mapped_type():
    assert set(ARCH_TYPES) | set(FOLDED) == set(TYPES)


def test_the_templates_use_every_mapped_type(documents):
    from wavalidate.cloudformation.importer import parse
    used = set()
    for name in NAMES:
        data, _ = parse(open(path(name), encoding="utf-8").read())
        used |= {body["Type"] for body in data["Resources"].values()}
    assert set(TYPES) <= used


@pytest.mark.parametrize("cfn_type", sorted(ARCH_TYPES))
def test_each_type_translates_to_its_architecture_type(documents, cfn_type):
    name, logical_id, arch_type = ARCH_TYPES[cfn_type]
    assert documents[name].data["resources"][logical_id]["type"] == arch_type


@pytest.mark.parametrize("cfn_type", sorted(FOLDED))
def test_each_helper_type_folds_into_its_owner(documents, cfn_type):
    name, owner, field, expected = FOLDED[cfn_type]
    if expected is None:
        assert field not in documents[name].data["resources"][owner]
        assert ("resources", owner, field) not in documents[name].unknown
    else:
        assert documents[name].data["resources"][owner][field] == expected


def test_translated_fields(documents):
    network = documents["network.yaml"].data["resources"]
    assert network["WebLaunchTemplate"] == {"type": "launch_template", "instance_type": "m7i.large",  # FindInMap
                                            "placement_group": "Spread", "security_groups": ["AppSecurityGroup"],
                                            "stack": "network"}
    assert network["WebGroup"]["min_size"] == 2 and network["WebGroup"]["max_size"] == 6
    assert network["Bastion"]["security_groups"] == ["BastionSecurityGroup"]  # from its network interface
    assert network["Bastion"]["public_ip"] is True
    assert network["S3Endpoint"]["service"] == "s3"  # !Sub com.amazonaws.${AWS::Region}.s3
    assert network["BastionSecurityGroup"]["ingress"] == [{"protocol": "tcp", "ports": 22, "cidr": "198.51.100.0/24"}]
    data = documents["data.yaml"].data["resources"]
    assert data["OrdersDb"]["subnets"] == ["DataSubnetA", "DataSubnetB"]  # through the DB subnet group
    assert data["OrdersDb"]["backup_retention_days"] == 7  # a parameter's default
    assert data["LedgerDb"]["multi_az"] is True  # !If on a decided condition
    assert data["MultiAzCluster"]["deployment"] == "multi_az_cluster"
    assert [i["name"] for i in data["Aurora"]["instances"]] == ["AuroraWriter", "AuroraReader"]
    assert "AuroraWriter" not in data  # folded into its cluster
    assert data["Archive"]["block_public_access"] is True  # !If [IsProd, true, false] with Environment=prod
    hybrid = documents["hybrid.json"].data["resources"]
    assert hybrid["Tgw"]["vpn_ecmp"] is False and hybrid["VpnSecondary"]["routing"] == "static"
    app = documents["app.json"].data["resources"]
    assert app["Assets"]["origins"] == [{"origin_type": "custom", "target": "RestApi"}]
    assert app["FunctionRole"]["managed_policies"] == ["QueueAccess"]
    # text built from a parameter without a default keeps the variable, never a guess
    assert app["CiUser"]["policies"][0]["Statement"][0]["Resource"] == "arn:aws:s3:::${CodeBucket}/*"


def _plain(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, (str, int, float, bool))


@pytest.mark.parametrize("name", NAMES)
def test_translation_holds_only_plain_data(documents, name):
    """No UNKNOWN or Reference leaks into the architecture (policies included)."""
    assert _plain(documents[name].data)


@pytest.mark.parametrize("name", NAMES)
def test_templates_have_no_input_errors(findings, name):
    assert [f for f in findings[name] if f.code.startswith("E")] == []


# -- conditions, parameters, nested stacks ---------------------------------------------

def test_api_gateway_facts_come_from_methods_stages_and_usage_plans(documents, findings):
    resources = documents["app.json"].data["resources"]
    assert resources["PrivateApi"]["public"] is False  # EndpointConfiguration PRIVATE
    flagged = {(f.code, f.resource) for f in findings["app.json"]}
    assert ("SEC750", "RestApi") not in flagged and ("REL750", "RestApi") not in flagged
    assert ("SEC750", "PrivateApi") not in flagged


def test_an_api_without_methods_or_stages_in_the_template_is_not_judged(rules):
    """An API defined by an OpenAPI body (or whose stage lives in another stack) has unknown auth and limits."""
    from wavalidate.engine import check_text
    text = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n"
            "    Properties:\n      BodyS3Location: {Bucket: specs, Key: api.yaml}\n")
    assert {f.code for f in check_text(text, rules, "api.yaml")} & {"SEC750", "REL750"} == set()


def test_resources_under_a_false_condition_are_absent(documents):
    assert "StagingSubnet" not in documents["network.yaml"].data["resources"]  # IsStaging: Not IsProd
    assert "DevDb" not in documents["data.yaml"].data["resources"]
    assert "Sandbox" not in documents["root.yaml"].data["resources"]


def test_resources_under_a_true_condition_are_present(documents):
    assert documents["network.yaml"].data["resources"]["LegacyLoadBalancer"]["lb_type"] == "clb"


def test_resources_under_an_undecidable_condition_rest_on_it(documents):
    document = documents["app.json"]  # InUsEast1: the Region is known only at deploy time
    assert document.data["resources"]["EdgeOnlyAcl"]["type"] == "waf_web_acl"
    assert ("resources", "EdgeOnlyAcl", "scope") in document.unknown


def test_nested_stacks(documents):
    resources = documents["root.yaml"].data["resources"]
    assert resources["Network"] == {"type": "cloudformation_stack", "template": "network.yaml", "parent": "root"}
    assert ("resources", "Data", "template") in documents["root.yaml"].unknown  # !Sub on a parameter without default
    assert resources["OrgTrail"]["stack"] == "root"


# -- findings point into the template ---------------------------------------------------

EXPECTED = [
    # RDS Multi-AZ and encryption
    ("data.yaml", "REL001", "OrdersDb:", "MultiAZ", True),
    ("data.yaml", "SEC400", "OrdersDb:", "StorageEncrypted", True),
    # security group ingress from anywhere: a standalone ingress resource, in YAML
    ("network.yaml", "SEC116", "AppRdpFromAnywhere:", "CidrIp", True),
    # S3 public access: the whole block, at its key
    ("data.yaml", "SEC300", "Uploads:", "PublicAccessBlockConfiguration", False),
    # VPN / TGW ECMP, in JSON
    ("hybrid.json", "PERF003", '"Tgw"', "VpnEcmpSupport", True),
    ("hybrid.json", "PERF001", '"VpnPrimary"', "StaticRoutesOnly", True),
    ("hybrid.json", "PERF001", '"LegacyVpn"', "StaticRoutesOnly", True),
    # network ACL entries folded from their own resources
    ("network.yaml", "REL113", "AppAclInHttps:", "RuleNumber", True),
    ("network.yaml", "REL113", "AppAclOutHttps:", "RuleNumber", True),
    # CloudTrail and CloudFront, in JSON
    ("app.json", "SEC551", '"AuditTrail"', "IsMultiRegionTrail", True),
    ("app.json", "SEC551", '"AuditTrail"', "EnableLogFileValidation", True),
    ("app.json", "SEC851", '"Assets"', "ViewerProtocolPolicy", True),
    # API Gateway: the open route, not the API, is at fault
    ("app.json", "SEC750", '"HttpRoute"', "AuthorizationType", True),
    ("app.json", "REL750", '"HttpApi"', "ProtocolType", True),
    # a resource-level finding points at the logical id
    ("network.yaml", "SEC121", "  PeerVpc:", "PeerVpc", False),
]


def _id(entry) -> str:
    return "-".join((entry[1], entry[0], entry[2].strip(':" '), entry[3]))


@pytest.mark.parametrize("name, code, anchor, key, value", EXPECTED, ids=[_id(e) for e in EXPECTED])
def test_finding_points_at_the_template(findings, name, code, anchor, key, value):
    where = at(name, anchor, key, value)
    assert where in positions(findings[name], code), (
        f"{code} expected at {name}:{where[0]}:{where[1]}; found "
        + ", ".join(f"{f.line}:{f.col}" for f in findings[name] if f.code == code))


def test_findings_name_the_template_file(findings):
    nested = {"root.yaml": {path("network.yaml")}}  # its nested stack `Network` is a local file, followed
    for name in NAMES:
        assert {f.file for f in findings[name]} <= {path(name)} | nested.get(name, set())
    assert {f.file for f in findings["root.yaml"] if f.resource.startswith("Network/")} == {path("network.yaml")}


# -- deploy-time values: no finding rests on them -----------------------------------------

# The findings each resource would get if its deploy-time values were the risky ones.
RESTING_ON_UNKNOWNS = {"DbSecurityGroup": {"SEC116"}, "Db": {"REL001", "SEC400"},
                       "ImportedDb": {"REL001", "SEC400"}, "Bucket": {"SEC300"},
                       "Tgw": {"PERF001", "PERF003"}, "VpnOne": {"PERF001", "PERF003"},
                       "VpnTwo": {"PERF001", "PERF003"}}


def test_no_finding_rests_on_a_deploy_time_value(findings):
    """Parameters without defaults, imports, GetAZs and conditions on them decide nothing."""
    resting = [f for f in findings["unknowns.yaml"] if f.code in RESTING_ON_UNKNOWNS.get(f.resource, ())]
    assert resting == [], [f"{f.code} {f.resource}: {f.message}" for f in resting]
    bandwidth = [f for f in findings["unknowns.yaml"] if f.code in ("PERF001", "PERF003")]
    assert bandwidth == []


def test_a_value_behind_a_parameter_without_default_is_unknown(documents):
    unknown = documents["unknowns.yaml"].unknown
    for field in (("Db", "multi_az"), ("Db", "storage_encrypted"), ("ImportedDb", "multi_az"),
                  ("DbSecurityGroup", "ingress"), ("Bucket", "block_public_access"), ("Tgw", "vpn_ecmp"),
                  ("VpnOne", "routing")):
        assert ("resources",) + field in unknown
    data = documents["data.yaml"]
    assert ("resources", "ReportingDb", "multi_az") in data.unknown  # !Ref MultiAZ, no default
    assert ("resources", "DataSubnetA", "vpc") in data.unknown  # !ImportValue


def test_the_same_risks_with_known_values_are_reported(findings):
    """The control: data.yaml and network.yaml state the same risks with known values."""
    assert positions(findings["data.yaml"], "REL001") and positions(findings["network.yaml"], "SEC116")


def test_an_acl_whose_rules_are_unknown_is_not_called_empty(findings):
    assert "REL124" not in {f.code for f in findings["unknowns.yaml"]}


def test_an_unknown_elsewhere_does_not_hide_a_known_violation(findings):
    # SEC116 reads DbSecurityGroup's unknown ingress before it reports AdminSecurityGroup's known one;
    # the two are only linked through their VPC, so the known finding stands.
    assert at("unknowns.yaml", "AdminSecurityGroup:", "CidrIp") in positions(findings["unknowns.yaml"], "SEC116")


# -- resolution details --------------------------------------------------------------------

def test_resolution_of_intrinsic_functions():
    from wavalidate.cloudformation.resolve import Context, resolve
    ctx = Context(parameters={"Env": "prod", "Cidr": UNKNOWN}, resources={"Vpc": {"Type": "AWS::EC2::VPC"}},
                  mappings={"M": {"prod": {"Size": "m7g.large"}}},
                  conditions={"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
                              "Open": {"Fn::Equals": [{"Ref": "Cidr"}, "0.0.0.0/0"]}})
    assert resolve({"Fn::Sub": "${Env}-vpc"}, ctx) == "prod-vpc"
    assert resolve({"Fn::Sub": "${Cidr}-x"}, ctx) is UNKNOWN
    assert resolve({"Fn::FindInMap": ["M", {"Ref": "Env"}, "Size"]}, ctx) == "m7g.large"
    assert resolve({"Fn::Select": [0, {"Fn::GetAZs": ""}]}, ctx) == "AZ #0 (`!Select [0, !GetAZs '']`)"
    assert resolve({"Fn::Select": [1, {"Fn::GetAZs": {"Ref": "AWS::Region"}}]}, ctx) != \
        resolve({"Fn::Select": [0, {"Fn::GetAZs": ""}]}, ctx)
    assert resolve({"Fn::Join": ["-", [{"Fn::Select": [0, {"Fn::GetAZs": ""}]}, "x"]]}, ctx) is UNKNOWN
    assert resolve({"Fn::ImportValue": "x"}, ctx) is UNKNOWN
    assert resolve({"Fn::If": ["IsProd", 1, 2]}, ctx) == 1
    assert resolve({"Fn::If": ["Open", 1, 2]}, ctx) is UNKNOWN
    assert resolve({"Fn::Select": [1, ["a", "b"]]}, ctx) == "b"
    assert resolve({"Fn::Join": ["-", ["a", {"Ref": "Env"}]]}, ctx) == "a-prod"
    assert resolve({"Fn::GetAtt": ["Vpc", "CidrBlock"]}, ctx) == Reference("Vpc", "CidrBlock")
    assert resolve(["a", {"Ref": "AWS::NoValue"}], ctx) == ["a"]


# -- the command line -----------------------------------------------------------------------

def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("name", NAMES)
def test_import_round_trips_through_check(tmp_path, rules, name):
    target = tmp_path / "arch.yaml"
    result = run("import", "cloudformation", path(name), "-o", str(target))
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Architecture imported from the CloudFormation template")
    errors = [f for f in check_file(str(target), rules, Options(requirements=REQUIREMENTS))
              if f.code.startswith("E")]
    assert errors == []


def test_import_names_the_unknown_values(tmp_path):
    target = tmp_path / "arch.yaml"
    run("import", "cloudformation", path("unknowns.yaml"), "-o", str(target))
    text = target.read_text(encoding="utf-8")
    line = at("unknowns.yaml", "  Db:", "MultiAZ")[0]
    assert f"multi_az (line {line})" in text
    assert "requirements:" in text  # the hint that requirements must be added by hand


def test_import_keeps_the_findings_that_rest_on_known_values(tmp_path, rules):
    target = tmp_path / "arch.yaml"
    run("import", "cloudformation", path("data.yaml"), "-o", str(target))
    codes = {f.code for f in check_file(str(target), rules, Options(requirements=REQUIREMENTS))}
    assert {"REL001", "SEC400", "SEC300"} <= codes


def test_import_refuses_a_file_that_is_not_a_template(tmp_path):
    source = tmp_path / "arch.yaml"
    source.write_text("version: 1\nresources: {}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "cloudformation", str(source)])
    assert result.exit_code == 2


def test_check_requirements_side_file(tmp_path):
    side = tmp_path / "requirements.yaml"
    side.write_text("requirements:\n  availability: 99.95\n", encoding="utf-8")
    result = run("check", path("data.yaml"), "--requirements", str(side), "--select", "REL001", "--allow-outside-root")
    line, col = at("data.yaml", "OrdersDb:", "MultiAZ")
    assert f"data.yaml:{line}:{col}: high REL001 " in result.output
    without = run("check", path("data.yaml"), "--select", "REL001")
    assert "REL001" not in without.output  # requirements never come from the template


def test_check_requirements_side_file_problems_have_positions(tmp_path):
    side = tmp_path / "requirements.yaml"
    side.write_text("requirements:\n  availability: high\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", path("data.yaml"), "--requirements", str(side),
                                       "--allow-outside-root"])
    assert result.exit_code == 2
    assert f"{side}:2:17: error E201" in result.output


def test_requirements_side_file_overrides_the_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".wavalidate.yaml").write_text("requirements:\n  availability: 99.95\n", encoding="utf-8")
    (tmp_path / "side.yaml").write_text("requirements:\n  availability: 99\n", encoding="utf-8")
    assert "REL001" in run("check", path("data.yaml"), "--select", "REL001", "--allow-outside-root").output
    assert "REL001" not in run("check", path("data.yaml"), "--select", "REL001", "--allow-outside-root",
                               "--requirements", "side.yaml").output


def test_positions_written_out(findings):
    """The same positions as literals, spans included, for a reader who opens the templates."""
    spans = {(name, f.code): (f.span.line, f.span.col, f.span.end_line, f.span.end_col)
             for name in NAMES for f in findings[name]}
    assert spans[("data.yaml", "REL001")] == (56, 16, 56, 21)       # MultiAZ: false
    assert spans[("data.yaml", "SEC400")] == (57, 25, 57, 30)       # StorageEncrypted: false
    assert spans[("network.yaml", "SEC116")] == (230, 15, 230, 24)  # CidrIp: 0.0.0.0/0
    assert spans[("hybrid.json", "PERF003")] == (62, 27, 62, 36)    # "VpnEcmpSupport": "disable"


def test_validation_skips_required_fields_known_only_at_deploy_time():
    from wavalidate.schema import validate
    data = {"version": 1, "resources": {"v": {"type": "vpc", "cidr": "10.0.0.0/16"},
                                        "s": {"type": "subnet", "vpc": "v", "cidr": "10.0.1.0/24"}}}
    assert [p.path for p in validate(data)] == [("resources", "s", "az")]
    assert validate(data, frozenset({("resources", "s", "az")})) == []
    data["resources"]["s"]["cidr"] = 5  # a real problem is still reported
    paths = {p.path for p in validate(data, frozenset({("resources", "s", "az")}))}
    assert ("resources", "s", "cidr") in paths  # (the engine then drops the one about `az`)
