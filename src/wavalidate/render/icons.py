"""Which `diagrams` icon class draws each resource type (names only: nothing here imports `diagrams`)."""
from __future__ import annotations

from typing import Optional

# type -> "module.Class" under `diagrams.`; every name is checked against the installed package by a test.
ICONS: dict[str, str] = {
    # network
    "vpc": "aws.network.VPC",
    "internet_gateway": "aws.network.InternetGateway",
    "egress_only_internet_gateway": "aws.network.InternetGateway",
    "nat_gateway": "aws.network.NATGateway",
    "elastic_ip": "aws.compute.EC2ElasticIpAddress",
    "network_interface": "aws.network.VPCElasticNetworkInterface",
    "network_acl": "aws.network.Nacl",
    "route_table": "aws.network.RouteTable",
    "security_group": "aws.security.IAMPermissions",
    "flow_log": "aws.network.VPCFlowLogs",
    "vpc_endpoint": "aws.network.Endpoint",
    "vpc_peering": "aws.network.VPCPeering",
    "transit_gateway": "aws.network.TransitGateway",
    "transit_gateway_attachment": "aws.network.TransitGatewayAttachment",
    "transit_gateway_route_table": "aws.network.RouteTable",
    "vpn_gateway": "aws.network.VpnGateway",
    "vpn_connection": "aws.network.SiteToSiteVpn",
    "customer_gateway": "aws.network.VPCCustomerGateway",
    "dx_connection": "aws.network.DirectConnect",
    "dx_gateway": "aws.network.DirectConnect",
    "on_premises_network": "generic.place.Datacenter",
    "users": "onprem.client.Users",
    "load_balancer": "aws.network.ELB",
    "target_group": "aws.network.ElbApplicationLoadBalancer",
    # compute
    "ec2_instance": "aws.compute.EC2",
    "launch_template": "aws.compute.EC2Ami",
    "auto_scaling_group": "aws.compute.EC2AutoScaling",
    "placement_group": "aws.compute.EC2Instances",
    "ebs_volume": "aws.storage.EBS",
    "lambda_function": "aws.compute.Lambda",
    "outpost": "aws.compute.Outposts",
    # storage
    "s3_bucket": "aws.storage.S3",
    "efs_file_system": "aws.storage.EFS",
    "fsx_file_system": "aws.storage.Fsx",
    "storage_gateway": "aws.storage.StorageGateway",
    "datasync_task": "aws.migration.Datasync",
    "backup_plan": "aws.storage.Backup",
    # databases
    "rds_instance": "aws.database.RDS",
    "aurora_cluster": "aws.database.Aurora",
    "dynamodb_table": "aws.database.Dynamodb",
    "elasticache_cluster": "aws.database.ElastiCache",
    # integration and analytics
    "api_gateway": "aws.network.APIGateway",
    "sqs_queue": "aws.integration.SQS",
    "sns_topic": "aws.integration.SNS",
    "step_function": "aws.integration.StepFunctions",
    "eventbridge_rule": "aws.integration.Eventbridge",
    "kinesis_stream": "aws.analytics.KinesisDataStreams",
    "firehose_stream": "aws.analytics.KinesisDataFirehose",
    # edge
    "route53_record": "aws.network.Route53",
    "route53_health_check": "aws.network.Route53",
    "cloudfront_distribution": "aws.network.CloudFront",
    "global_accelerator": "aws.network.GlobalAccelerator",
    "waf_web_acl": "aws.security.WAF",
    "shield_protection": "aws.security.Shield",
    # security and management
    "iam_user": "aws.security.IAM",
    "iam_group": "aws.security.IAM",
    "iam_role": "aws.security.IAMRole",
    "iam_policy": "aws.security.IAMPermissions",
    "account": "aws.management.OrganizationsAccount",
    "org_unit": "aws.management.OrganizationsOrganizationalUnit",
    "scp": "aws.management.Organizations",
    "rcp": "aws.management.Organizations",
    "cloudtrail_trail": "aws.management.Cloudtrail",
    "cloudwatch_alarm": "aws.management.CloudwatchAlarm",
    "cloudwatch_metric": "aws.management.Cloudwatch",
    "cloudformation_stack": "aws.management.CloudformationStack",
    # containers
    "ecs_cluster": "aws.compute.ElasticContainerService",
    "ecs_service": "aws.compute.ElasticContainerServiceService",
    "ecs_task_definition": "aws.compute.ElasticContainerServiceTask",
    "eks_cluster": "aws.compute.ElasticKubernetesService",
    "eks_node_group": "aws.compute.EC2Instances",
    "eks_fargate_profile": "aws.compute.Fargate",
    "app_runner_service": "aws.compute.AppRunner",
    # security services
    "kms_key": "aws.security.KMS",
    "acm_certificate": "aws.security.CertificateManager",
    "secrets_manager_secret": "aws.security.SecretsManager",
    "cognito_user_pool": "aws.security.Cognito",
    "network_firewall": "aws.network.NetworkFirewall",
    "network_firewall_policy": "aws.network.NetworkFirewall",
    "guardduty_detector": "aws.security.Guardduty",
    "security_hub": "aws.security.SecurityHub",
    "config_recorder": "aws.management.Config",
    "identity_center_instance": "aws.security.SingleSignOn",
    # event plumbing and networking additions
    "eventbridge_bus": "aws.integration.EventbridgeCustomEventBusResource",
    "lambda_event_source_mapping": "aws.compute.LambdaFunction",
    # no dedicated icons in `diagrams`: the closest service's
    "prefix_list": "aws.network.RouteTable",
    "cloudwan_core_network": "aws.network.TransitGateway",
    "cloudwan_attachment": "aws.network.TransitGatewayAttachment",
}

# (type, variant) -> a more exact icon.
VARIANTS: dict[tuple[str, str], str] = {
    ("load_balancer", "alb"): "aws.network.ALB",
    ("load_balancer", "nlb"): "aws.network.NLB",
    ("load_balancer", "clb"): "aws.network.CLB",
    ("subnet", "public"): "aws.network.PublicSubnet",
    ("subnet", "private"): "aws.network.PrivateSubnet",
}


def icon_class(type_name: str, variant: str = "") -> Optional[str]:
    """The dotted name of the `diagrams` class for a type, or None for the generic fallback."""
    return VARIANTS.get((type_name, variant)) or ICONS.get(type_name)
