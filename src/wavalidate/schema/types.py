"""The resource types of format version 1, with every field they accept."""
from __future__ import annotations

from functools import lru_cache

from .. import facts
from .fields import (
    DATE,
    Field,
    anything,
    az,
    bandwidth,
    choice,
    cidr,
    duration,
    flag,
    integer,
    listof,
    mapping,
    number,
    obj,
    policy,
    ports,
    ref,
    refs,
    region,
    size,
    text,
)

CLASSIFICATIONS = ("public", "internal", "confidential", "restricted")
ENVIRONMENTS = ("production", "staging", "development", "test")
GEOS = ("north_america", "south_america", "europe", "middle_east", "africa", "asia_pacific", "oceania")

REQUIREMENTS = obj(
    "What the workload needs; resources may override any of it for themselves.",
    availability=number("availability target in percent, e.g. 99.95", min=0, max=100),
    rto=duration("recovery time objective"),
    rpo=duration("recovery point objective"),
    bandwidth=bandwidth("bandwidth the workload needs between sites"),
    data_classification=choice(*CLASSIFICATIONS),
    allowed_regions=listof(region(), "Regions the workload may run in (governance, data residency)"),
    latency_ms=number("end-user latency target in milliseconds", min=0),
    user_locations=listof(choice(*GEOS), "where the users are"),
    survive_region_loss=flag("the workload must survive the loss of a whole Region"),
    environment=choice(*ENVIRONMENTS),
    critical=flag("a failure here is a business incident"),
    low_latency_network=flag("tightly coupled nodes need the lowest network latency (HPC)"),
    encryption_in_transit=flag("traffic between sites must be encrypted"),
    access_logs=flag("entry points (load balancers, CloudFront, APIs) and buckets must keep access logs"),
    iops=integer("storage IOPS the workload needs", min=0),
    packet_rate=number("packets per second the workload sends between sites (small packets)", min=0),
    throughput=number("storage throughput the workload needs in MiB/s", min=0),
    rate=number("events or requests per second the component must handle", min=0),
    ingest=bandwidth("data rate into a stream"),
    record_size_kb=number("average record or message size in KB", min=0),
    real_time=flag("consumers need each record within about a second"),
    exactly_once=flag("every step must run exactly once"),
    max_duration=duration("longest run of a workflow or job"),
    access=choice("frequent", "infrequent", "rare", doc="how often the data is read"),
    retention=duration("how long data must be kept"),
)

# What a landing zone provides outside a workload's file (docs/format.md, "Organisation context").
CAPABILITIES = {
    "cloudtrail": "an organisation trail (usually in the management or log-archive account)",
    "config": "AWS Config recorders and rules, aggregated centrally",
    "guardduty": "GuardDuty, with a delegated administrator",
    "security_hub": "Security Hub, with a delegated administrator",
    "scps": "service control policies on the OUs",
    "rcps": "resource control policies on the OUs",
    "central_egress": "internet egress through a shared egress VPC (NAT, proxies)",
    "inspection": "central traffic inspection (Network Firewall, Gateway Load Balancer appliances)",
    "transit_gateway": "a shared Transit Gateway in a network account",
    "direct_connect": "Direct Connect (and its VPN backup) in a network account",
    "backup": "AWS Backup policies of the organisation, which select resources by tag",
    "identity_center": "IAM Identity Center for people's access",
    "flow_logs": "VPC flow logs created for every VPC by the landing zone",
}
PROVIDED = obj("where the capability lives",
               account=text("the account that runs it, e.g. log-archive"),
               file=text("the file or repository that describes it"),
               description=text())
ORGANIZATION = obj(
    "What the organisation (landing zone) provides outside this file; rules do not ask for these again.",
    name=text("the organisation or landing zone"),
    provides=Field("object", "capabilities the organisation provides; each may name its `account` and `file`",
                   fields={name: PROVIDED.but(doc=doc) for name, doc in CAPABILITIES.items()}),
)

SUPPRESSION = obj(
    rule=text("rule code, prefix or name", required=True),
    reason=text("why this finding is accepted", required=True),
    expires=text("last day the suppression holds (YYYY-MM-DD)", regex=DATE),
    owner=text("who accepted it"),
)

BASE = {
    "type": text("resource type", required=True),
    "description": text(),
    "region": region(),
    "az": az(),
    "vpc": ref("vpc"),
    "subnet": ref("subnet"),
    "subnets": refs("subnet"),
    "security_groups": refs("security_group"),
    "stack": ref("cloudformation_stack", doc="the IaC stack that manages this resource"),
    "account": ref("account"),
    "tier": choice("web", "app", "compute", "load_balancer", "data", "cache", "internal", "edge", "management"),
    "tags": mapping(text()),
    "requirements": REQUIREMENTS,
    "suppress": listof(SUPPRESSION, "findings accepted on this resource, each with a reason"),
}

PURCHASE = choice("on_demand", "spot", "reserved", "savings_plan", "dedicated_host",
                  "dedicated_instance", "capacity_reservation")
SCHEDULE = choice("always_on", "business_hours", "on_demand", doc="when it runs")
PROTOCOL = text("tcp, udp, icmp, all or an IP protocol number")
ROUTE = obj(destination=text("CIDR, prefix list (pl-s3) or 'local'", required=True),
            target=ref("internet_gateway", "egress_only_internet_gateway", "nat_gateway",
                       "transit_gateway", "vpn_gateway", "vpc_peering", "vpc_endpoint",
                       "network_interface", "ec2_instance", "local_gateway", "network_firewall"),
            endpoint_az=az("for a network_firewall target: the AZ of the firewall endpoint used (default: the "
                           "subnet's own)"))
NACL_RULE = obj(rule=integer("rule number; lowest first, first match wins", required=True),
                action=choice("allow", "deny", required=True),
                protocol=PROTOCOL.but(required=True), ports=ports(), cidr=cidr(required=True))
SG_RULE = obj(protocol=PROTOCOL.but(required=True), ports=ports(),
              cidr=cidr(), source_security_group=ref("security_group"), prefix_list=text(),
              action=choice("allow", "deny", doc="security groups only allow; deny is an error"),
              description=text())
LISTENER = obj(certificate=ref("acm_certificate", doc="the TLS certificate (HTTPS, TLS)"),
               redirect_to_https=flag("an HTTP listener that only redirects to HTTPS"),
               protocol=choice("HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC", "GENEVE",
                               required=True),
               port=integer(min=1, max=65535), routes_on=listof(choice("path", "host", "header", "method",
                                                                        "query", "source_ip")),
               target_group=ref("target_group"))
SCALING = obj(metric=text(required=True), namespace=text(), target=number())
INSTANCE_STORE = obj(size_gb=number(min=0), holds=listof(choice(
    "cache", "buffer", "scratch", "replicated", "database", "logs", "only_copy")))
POLICY_LIST = listof(policy())
KMS_KEY = ref("kms_key", doc="the customer-managed KMS key; unset means an AWS owned or AWS managed key")
LOG_BUCKET = ref("s3_bucket", doc="the bucket that receives the access logs")
ARCHITECTURE = choice("x86_64", "arm64", doc="CPU architecture (arm64 is Graviton)")
ACCESS_KEY = obj(id=text(), age_days=integer(min=0), active=flag(), used_by=refs("ec2_instance", "lambda_function",
                                                                               "auto_scaling_group"))

T: dict[str, tuple[str, str, dict[str, Field]]] = {}


def kind(type_name: str, category: str, doc: str, /, **fields: Field) -> None:
    T[type_name] = (category, doc, fields)


# -- organizations and IAM --------------------------------------------------
kind("account", "iam", "An AWS account.", account_id=text(regex=r"^[0-9]{12}$"),
     management=flag("the Organizations management account"), org_unit=ref("org_unit"),
     scps=refs("scp"), rcps=refs("rcp"))
kind("org_unit", "iam", "An Organizations OU.", parent=ref("org_unit"), scps=refs("scp"), rcps=refs("rcp"),
     org_id=text("the organization id, on the root (fills aws:PrincipalOrgID and aws:ResourceOrgID)",
                 regex=r"^o-[a-z0-9]{10,32}$"))
kind("scp", "iam", "A service control policy.", document=policy(required=True))
kind("rcp", "iam", "A resource control policy.", document=policy(required=True))
kind("iam_user", "iam", "An IAM user.", groups=refs("iam_group"), policies=POLICY_LIST,
     managed_policies=refs("iam_policy"), permission_boundary=ref("iam_policy"),
     access_keys=listof(ACCESS_KEY), console_access=flag(), mfa=flag())
kind("iam_group", "iam", "An IAM group.", groups=refs("iam_group", doc="groups cannot nest; kept to flag it"),
     policies=POLICY_LIST, managed_policies=refs("iam_policy"))
kind("iam_role", "iam", "An IAM role.", trust_policy=policy("who may assume the role"),
     policies=POLICY_LIST, managed_policies=refs("iam_policy"), permission_boundary=ref("iam_policy"),
     session_policies=POLICY_LIST, max_session_hours=number(min=1, max=12))
kind("iam_policy", "iam", "A customer managed policy.", document=policy(required=True))

# -- network ----------------------------------------------------------------
kind("vpc", "network", "A VPC.", cidr=cidr(required=True), secondary_cidrs=listof(cidr()),
     ipv6=flag(), dns_support=flag(), dns_hostnames=flag(), tenancy=choice("default", "dedicated"))
kind("subnet", "network", "A subnet in one AZ of a VPC.", vpc=ref("vpc", required=True),
     az=az(required=True), cidr=cidr(required=True), ipv6_cidr=cidr(),
     route_table=ref("route_table"), network_acl=ref("network_acl"),
     public=flag("declared intent: a public subnet routes to an internet gateway"),
     map_public_ip=flag("auto-assign public IPv4 on launch"))
kind("route_table", "network", "A route table.", vpc=ref("vpc", required=True), routes=listof(ROUTE),
     propagations=refs("vpn_gateway"))
kind("internet_gateway", "network", "An internet gateway, attached to `vpc`.")
kind("egress_only_internet_gateway", "network", "An egress-only internet gateway (IPv6).")
kind("nat_gateway", "network", "A NAT gateway.", connectivity=choice("public", "private"),
     availability_mode=choice("zonal", "regional", doc="regional gateways span AZs by themselves"),
     elastic_ip=ref("elastic_ip"))
kind("elastic_ip", "network", "An Elastic IP address.",
     attached_to=ref("ec2_instance", "network_interface", "nat_gateway", "load_balancer"))
kind("network_interface", "network", "An elastic network interface (ENI).",
     attached_to=ref("ec2_instance"), private_ips=integer(min=1), public_ip=flag(),
     elastic_ip=ref("elastic_ip"), source_dest_check=flag(),
     moved_from_az=az("the AZ the ENI was created in, when it is being moved"))
kind("network_acl", "network", "A network ACL (stateless, numbered rules).", inbound=listof(NACL_RULE),
     outbound=listof(NACL_RULE),
     default=flag("the VPC's default network ACL; a direction with no rules written allows all traffic"))
kind("security_group", "network", "A security group (stateful, allow rules only).",
     ingress=listof(SG_RULE), egress=listof(SG_RULE),
     vpc_associations=refs("vpc", doc="other VPCs of the same Region the group is associated with"),
     default=flag("the VPC's default security group (every VPC has one; it cannot be deleted)"))
kind("flow_log", "monitoring", "VPC flow logs.", resource=ref("vpc", "subnet", "network_interface", required=True),
     destination=choice("cloudwatch_logs", "s3", "firehose"), traffic=choice("all", "accept", "reject"))
kind("vpc_endpoint", "hybrid", "A gateway or interface VPC endpoint.", service=text(required=True),
     endpoint_type=choice("gateway", "interface", "gateway_load_balancer", required=True),
     route_tables=refs("route_table"), private_dns=flag())
kind("vpc_peering", "hybrid", "A VPC peering connection.", requester=ref("vpc", required=True),
     accepter=ref("vpc", required=True), peer_region=region(), peer_account=text())
kind("transit_gateway", "hybrid", "A Transit Gateway.", asn=integer(),
     vpn_ecmp=flag("VpnEcmpSupport; on by default", default=True),
     default_association=flag("new attachments are associated with the default route table", default=True),
     default_propagation=flag("new attachments propagate to the default route table", default=True),
     association_route_table=ref("transit_gateway_route_table",
                                 doc="the default association route table, when not the one AWS creates"),
     propagation_route_table=ref("transit_gateway_route_table",
                                 doc="the default propagation route table, when not the one AWS creates"))
kind("transit_gateway_attachment", "hybrid", "A Transit Gateway attachment (VPC attachments name their "
     "`vpc` and one `subnets` entry per AZ).",
     transit_gateway=ref("transit_gateway", required=True),
     attachment_type=choice("vpc", "vpn", "dx_gateway", "connect", "peering", required=True),
     vpn_connection=ref("vpn_connection"), dx_gateway=ref("dx_gateway"), peer=ref("transit_gateway"),
     route_table=ref("transit_gateway_route_table", doc="the route table it is associated with"),
     propagates_to=refs("transit_gateway_route_table"),
     appliance_mode=flag("appliance mode: both directions of a flow use one AZ of this VPC (stateful appliances)"),
     inspection=flag("this VPC inspects traffic (firewalls); traffic between other VPCs must pass it"),
     segment=text("the routing domain it belongs to (prod, dev, shared, inspection ...)"))
kind("transit_gateway_route_table", "hybrid", "A Transit Gateway route table.",
     transit_gateway=ref("transit_gateway", required=True),
     default=flag("the gateway's default association and propagation route table"),
     associations=refs("transit_gateway_attachment",
                       doc="attachments associated with this table (same as their `route_table`)"),
     propagations=refs("transit_gateway_attachment",
                       doc="attachments whose routes propagate here (same as their `propagates_to`)"),
     routes=listof(obj(destination=cidr("the destination CIDR (or use `prefix_list`)"),
                       prefix_list=ref("prefix_list", doc="a managed prefix list as the destination"),
                       attachment=ref("transit_gateway_attachment", doc="where the traffic goes"),
                       blackhole=flag("drop the traffic (a blackhole route)"))),
     segment=text("the routing domain the table serves (prod, dev, shared, inspection ...)"))
kind("prefix_list", "network", "A customer-managed prefix list.",
     max_entries=integer("the maximum entries, fixed at creation; each use counts this many rules or routes",
                         min=1, required=True),
     entries=listof(cidr()), address_family=choice("IPv4", "IPv6", default="IPv4"))
kind("cloudwan_core_network", "hybrid", "An AWS Cloud WAN core network.",
     edge_locations=listof(region(), "Regions with a core network edge"),
     segments=listof(obj(name=text(required=True), isolate_attachments=flag(),
                         require_acceptance=flag(), edge_locations=listof(region())),
                     "routing domains"), asn_ranges=listof(text()))
kind("cloudwan_attachment", "hybrid", "An attachment to a Cloud WAN core network.",
     core_network=ref("cloudwan_core_network", required=True),
     attachment_type=choice("vpc", "vpn", "connect", "transit_gateway_route_table", "dx_gateway", required=True),
     segment=text("the segment it joins", required=True), vpc=ref("vpc", doc="the VPC of a `vpc` attachment"),
     vpn_connection=ref("vpn_connection"),
     transit_gateway=ref("transit_gateway"), dx_gateway=ref("dx_gateway"), appliance_mode=flag())
kind("on_premises_network", "hybrid", "A data centre or office network.", cidrs=listof(cidr()),
     location=text())
kind("customer_gateway", "hybrid", "The on-premises end of a Site-to-Site VPN.",
     site=ref("on_premises_network"), ip_address=text(), bgp_asn=integer(), device=text())
kind("vpn_gateway", "hybrid", "A virtual private gateway (VGW).", asn=integer())
kind("vpn_connection", "hybrid", "A Site-to-Site VPN connection.",
     customer_gateway=ref("customer_gateway", required=True), vpn_gateway=ref("vpn_gateway"),
     transit_gateway=ref("transit_gateway"), routing=choice("static", "bgp", required=True),
     tunnels=integer("tunnels in use (each connection has two)", min=1, max=2, default=2),
     tunnel_bandwidth=choice("standard", "large", default="standard",
                             doc="standard = 1.25 Gbps; large = 5 Gbps, TGW or Cloud WAN only"),
     protocol=text(default="ipsec"), static_routes=listof(cidr()), accelerated=flag(),
     cloud_wan=flag("a VPN attachment of an AWS Cloud WAN core network (no VGW or TGW)"))
kind("dx_connection", "hybrid", "A Direct Connect connection.", location=text(required=True),
     connection_type=choice("dedicated", "hosted", required=True), speed=bandwidth(required=True),
     macsec=flag(), dx_gateway=ref("dx_gateway"), vpn_gateway=ref("vpn_gateway"),
     site=ref("on_premises_network", doc="the on-premises network it connects"),
     device=text("the AWS device (or LAG) at the location; two connections on one device share its failures"),
     vpn_over_dx=flag("an IPsec VPN runs over this connection"))
kind("dx_gateway", "hybrid", "A Direct Connect gateway.", associations=refs("vpn_gateway", "transit_gateway"))

# -- compute ----------------------------------------------------------------
COMPUTE = dict(instance_type=text(), purchase=PURCHASE, placement_group=ref("placement_group"),
               role=ref("iam_role"), cloudwatch_agent=flag("the CloudWatch agent publishes memory and disk"),
               monitoring=choice("basic", "detailed"), schedule=SCHEDULE,
               interruption_handling=flag("handles the 2-minute Spot notice"),
               platform=choice("linux", "windows", "other", doc="the operating system the instances run"),
               workload=text("what runs: web, hpc, hdfs, hbase, cassandra, kafka, database, batch ..."),
               spot_interruption=choice("terminate", "stop", "hibernate", doc="what a Spot interruption does"),
               stateful=flag(), count=integer("identical instances", min=1, default=1),
               architecture=ARCHITECTURE, instance_store=INSTANCE_STORE,
               metadata_tokens=choice("required", "optional",
                                      doc="IMDSv2: `required` turns the token-less IMDSv1 off"))
kind("ec2_instance", "compute", "An EC2 instance.", public_ip=flag(), elastic_ip=ref("elastic_ip"),
     internet_facing=flag(), partition=integer(min=1), **COMPUTE)
kind("launch_template", "compute", "A launch template.", **COMPUTE)
kind("auto_scaling_group", "compute", "An Auto Scaling group.", launch_template=ref("launch_template"),
     min_size=integer(min=0), max_size=integer(min=0), desired=integer(min=0),
     spot_percentage=number(min=0, max=100), scaling=listof(SCALING),
     target_groups=refs("target_group"), health_check=choice("ec2", "elb"), **COMPUTE)
kind("placement_group", "compute", "An EC2 placement group.",
     strategy=choice("cluster", "spread", "partition", required=True),
     partitions=integer(min=1), spread_level=choice("rack", "host"))
kind("ebs_volume", "compute", "An EBS volume.", volume_type=choice("gp2", "gp3", "io1", "io2", "st1", "sc1",
                                                                   "standard", required=True),
     size_gb=number(min=1), iops=integer(min=0), throughput=number("MiB/s", min=0), encrypted=flag(),
     attached_to=refs("ec2_instance", "launch_template", "auto_scaling_group"), multi_attach=flag(), boot=flag(),
     per_instance=flag("one such volume for each instance of what it is attached to (`count` > 1, a group)"),
     kms_key=KMS_KEY,
     holds_data=flag("holds data that must not be lost", default=True),
     backup=ref("backup_plan"), snapshots=flag("a snapshot schedule (DLM) covers it"))
kind("lambda_function", "serverless", "A Lambda function.", runtime=text(),
     memory_mb=integer(), timeout_s=number("for a durable function, the durable execution timeout"),
     ephemeral_mb=integer(), role=ref("iam_role"),
     compute_mode=choice("default", "managed_instances", "durable", default="default",
                         doc="Lambda (default), Lambda Managed Instances, or a durable function"),
     architecture=choice("x86_64", "arm64"), invokes=refs("*", doc="resources it calls synchronously"),
     reserved_concurrency=integer(min=0), dead_letter=ref("sqs_queue", "sns_topic"),
     on_failure=ref("sqs_queue", "sns_topic", "lambda_function", "eventbridge_bus", "s3_bucket",
                    doc="destination of failed asynchronous invocations"),
     on_success=ref("sqs_queue", "sns_topic", "lambda_function", "eventbridge_bus", "s3_bucket",
                    doc="destination of successful asynchronous invocations"),
     max_retries=integer("retries of an asynchronous invocation (0-2, default 2)", min=0, max=2),
     max_event_age=duration("how long an asynchronous event may wait (up to 6h)"),
     idempotent=flag("processing the same event twice has no further effect"),
     access_keys=flag("reads long-lived access keys from its configuration"))

# -- storage ----------------------------------------------------------------
kind("s3_bucket", "storage", "An S3 bucket.",
     versioning=choice("enabled", "suspended", "disabled"),
     encryption=choice("sse-s3", "sse-kms", "dsse-kms", "sse-c"),
     block_public_access=flag(default=True), public_reason=text("why the bucket is public"),
     lifecycle=listof(obj(transition_after=duration(), storage_class=text(), expire_after=duration())),
     largest_object=size(), multipart=flag("uploads use multipart"),
     notifications=listof(obj(events=listof(text()), destination=ref("sqs_queue", "sns_topic",
                                                                        "lambda_function", "eventbridge_rule",
                                                                        required=True))),
     access_points=listof(obj(name=text(required=True), network_origin=choice("internet", "vpc"),
                              vpc=ref("vpc"), policy=policy())),
     policy=policy(), applications=integer("applications sharing the bucket", min=1),
     replication=listof(obj(destination=ref("s3_bucket", required=True))),
     size=size("data stored"), website=flag(), event_bridge=flag(), kms_key=KMS_KEY,
     access_logs=flag("server access logging is on"), log_bucket=LOG_BUCKET,
     backup=ref("backup_plan", doc="the AWS Backup plan that protects the bucket"),
     logs=flag("the bucket holds logs (access logs, CloudTrail, flow logs): records kept for audit, not data "
               "the workload restores to run"))
kind("efs_file_system", "storage", "An EFS file system (NFS).",
     storage_class=choice("standard", "one_zone"), mount_targets=refs("subnet"),
     clients=listof(choice("linux", "windows", "macos")), encrypted=flag(), backup=ref("backup_plan"),
     kms_key=KMS_KEY, throughput_mode=choice("elastic", "bursting", "provisioned"))
kind("fsx_file_system", "storage", "An FSx file system.",
     family=choice("lustre", "ontap", "openzfs", "windows", required=True),
     deployment=choice("single_az", "multi_az", "scratch_1", "scratch_2", "persistent_1", "persistent_2",
                       doc="single_az or multi_az (ONTAP, OpenZFS, Windows); the deployment type for Lustre "
                           "(scratch file systems have no backups)"),
     backup=ref("backup_plan"), kms_key=KMS_KEY,
     storage_gb=integer("storage capacity in GiB", min=1), throughput=number("throughput capacity in MB/s "
                                                                             "(Lustre: per TiB)", min=0),
     storage_type=choice("ssd", "hdd", "intelligent_tiering"),
     data_repository=ref("s3_bucket", doc="Lustre: the S3 bucket linked as a data repository"),
     active_directory=text("Windows and ONTAP: the Active Directory it joins"),
     ha_pairs=integer("ONTAP: high-availability pairs (scale-out)", min=1),
     preferred_subnet=ref("subnet", doc="multi_az: the subnet of the active file server"))
kind("storage_gateway", "storage", "A Storage Gateway.",
     gateway_type=choice("s3_file", "fsx_file", "tape", "volume", required=True),
     use_case=choice("file_shares", "backup", "archive", "block_volumes", "home_directories", "data_lake"),
     site=ref("on_premises_network"), new_deployment=flag(default=True))
kind("datasync_task", "storage", "A DataSync transfer task.", source=text(required=True),
     destination=text(required=True), schedule=text())

# -- databases and caching ----------------------------------------------------
DB = dict(storage_encrypted=flag(), backup_retention_days=integer(min=0, max=35), backup=ref("backup_plan"),
          publicly_accessible=flag(), instance_class=text(), deletion_protection=flag(), kms_key=KMS_KEY,
          require_tls=flag("the parameter group rejects connections without TLS (rds.force_ssl, "
                           "require_secure_transport)"))
kind("rds_instance", "database", "An RDS DB instance.",
     engine=choice(*sorted(facts.RDS_ENGINES.value), required=True),
     multi_az=flag(), deployment=choice("single_az", "multi_az_instance", "multi_az_cluster"),
     read_replica_of=ref("rds_instance"), storage_type=text(), iops=integer(min=0),
     allocated_gb=integer(min=1), **DB)
kind("aurora_cluster", "database", "An Aurora DB cluster.",
     engine=choice("aurora-mysql", "aurora-postgresql", required=True),
     instances=listof(obj(name=text(required=True), az=az(), role=choice("writer", "reader"),
                          failover_tier=integer(min=0, max=15), instance_class=text())),
     serverless=flag(), global_regions=listof(region()), **DB)
kind("dynamodb_table", "database", "A DynamoDB table.", partition_key=text(), sort_key=text(),
     lsis=listof(obj(name=text(required=True), partition_key=text(), sort_key=text(),
                     added_after_creation=flag())),
     gsis=listof(obj(name=text(required=True), partition_key=text(required=True), sort_key=text())),
     pitr=flag(), billing=choice("on_demand", "provisioned"), replica_regions=listof(region()),
     backup=ref("backup_plan"), largest_item_kb=number(min=0),
     stream=choice("keys_only", "new_image", "old_image", "new_and_old_images",
                   doc="DynamoDB Streams: what each change record carries"),
     encryption=choice("aws_owned", "aws_managed", "customer_managed", default="aws_owned",
                       doc="the key encrypting the table at rest (always encrypted)"), kms_key=KMS_KEY)
kind("elasticache_cluster", "database", "An ElastiCache cluster.",
     engine=choice("redis", "valkey", "memcached", required=True),
     strategy=choice("lazy_loading", "write_through", "write_behind"), ttl=duration(),
     multi_az=flag(), automatic_failover=flag(), shards=integer(min=1), replicas_per_shard=integer(min=0),
     data_must_survive_failover=flag(), transit_encryption=flag(), at_rest_encryption=flag(), kms_key=KMS_KEY,
     caches=refs("rds_instance", "aurora_cluster", "dynamodb_table"))

# -- monitoring and load balancing -------------------------------------------
kind("cloudwatch_alarm", "monitoring", "A CloudWatch alarm.", metric=text(required=True), namespace=text(),
     monitors=refs("*"), actions=refs("sns_topic", "auto_scaling_group", "lambda_function"),
     threshold=number())
kind("cloudwatch_metric", "monitoring", "A custom CloudWatch metric.", namespace=text(required=True),
     metric=text(required=True), source=ref("*"))
kind("cloudtrail_trail", "monitoring", "A CloudTrail trail.", multi_region=flag(),
     log_file_validation=flag(), organization=flag(), bucket=ref("s3_bucket"), cloudwatch_logs=flag())
kind("eventbridge_rule", "monitoring", "An EventBridge rule.", event_pattern=anything(), schedule=text(),
     targets=refs("*"), bus=ref("eventbridge_bus", doc="the event bus; unset means the default bus"),
     target_settings=listof(obj(
         target=ref("*", required=True, doc="one of the rule's `targets`"),
         dead_letter_queue=ref("sqs_queue", doc="where events go that cannot be delivered"),
         max_retries=integer("delivery retries (0-185, default 185)", min=0, max=185),
         max_event_age=duration("how long delivery is retried (1m to 24h, default 24h)")),
         "delivery settings of each target: its dead-letter queue and retry policy"))
kind("eventbridge_bus", "serverless", "An EventBridge event bus (custom or partner).", kms_key=KMS_KEY,
     policy=policy(), archives=listof(obj(name=text(required=True),
                                          retention=duration("how long archived events are kept; unset is "
                                                             "forever"),
                                          event_pattern=anything("which events are archived")),
                                      "archives, from which events can be replayed"))
kind("load_balancer", "monitoring", "An Elastic Load Balancer.",
     lb_type=choice("alb", "nlb", "gwlb", "clb", required=True),
     scheme=choice("internet_facing", "internal", default="internet_facing"),
     listeners=listof(LISTENER), cross_zone=flag(), targets=refs("*"), waf=ref("waf_web_acl"),
     access_logs=flag("access logging is on"), log_bucket=LOG_BUCKET)
kind("target_group", "monitoring", "A load balancer target group.", protocol=text(), port=integer(),
     targets=refs("*"), cross_zone=flag())

# -- automation ---------------------------------------------------------------
kind("cloudformation_stack", "automation", "An IaC stack.",
     layer=choice("network", "security", "shared", "data", "application", "monitoring"),
     depends_on=refs("cloudformation_stack"), parent=ref("cloudformation_stack"),
     drift_detection=flag(), template=text())

# -- serverless ---------------------------------------------------------------
kind("api_gateway", "serverless", "An API Gateway API.", api_type=choice("rest", "http", "websocket", required=True),
     endpoint_type=choice("edge", "regional", "private"), public=flag(default=True),
     authorizer=choice("none", "iam", "lambda", "cognito", "jwt"),
     throttling=obj(rate=number(min=0), burst=integer(min=0)), waf=ref("waf_web_acl"),
     integrations=listof(obj(target=ref("*", required=True), timeout=duration(),
                             transfer_mode=choice("buffered", "stream",
                                                  doc="responseTransferMode; stream (REST, proxy integrations) "
                                                      "allows up to 15 minutes"))),
     access_logs=flag("access logging to CloudWatch Logs is on"))
kind("sqs_queue", "serverless", "An SQS queue.", fifo=flag(), visibility_timeout=duration(),
     receive_wait=duration("long polling wait; 0 means short polling"), retention=duration(),
     max_message_size=size(), dead_letter_queue=ref("sqs_queue"), max_receive_count=integer(min=1),
     consumers=refs("lambda_function", "ec2_instance", "auto_scaling_group"), policy=policy(),
     high_throughput=flag(), batching=flag(),
     encryption=choice("sse-sqs", "sse-kms", "none", doc="server-side encryption (SSE-SQS is the default)"),
     kms_key=KMS_KEY)
kind("sns_topic", "serverless", "An SNS topic.", fifo=flag(),
     subscriptions=listof(obj(protocol=choice("http", "https", "email", "email-json", "sms", "sqs",
                                              "application", "lambda", "firehose", required=True),
                              endpoint=ref("*"), address=text(), filter_policy=anything(),
                              raw_delivery=flag(),
                              dead_letter_queue=ref("sqs_queue", doc="where undeliverable messages go"))),
     policy=policy(), kms_key=KMS_KEY)
kind("kinesis_stream", "serverless", "A Kinesis data stream.", shards=integer(min=1),
     mode=choice("provisioned", "on_demand"), retention=duration(),
     consumers=integer(min=0), enhanced_fan_out=flag(), egress=bandwidth(),
     encryption=choice("none", "kms", doc="server-side encryption"), kms_key=KMS_KEY)
kind("firehose_stream", "serverless", "An Amazon Data Firehose stream.", source=ref("kinesis_stream"),
     destination=text(), buffer_interval=duration(), buffer_size=size(),
     delivers_to=ref("s3_bucket", doc="the bucket it delivers to"),
     error_bucket=ref("s3_bucket", doc="where records that fail delivery go"), kms_key=KMS_KEY)
kind("step_function", "serverless", "A Step Functions state machine.",
     workflow=choice("standard", "express", required=True), invocation=choice("sync", "async"),
     states=listof(ref("*")), role=ref("iam_role"),
     retries=listof(obj(task=ref("*", required=True, doc="the resource the Task state calls"),
                        errors=listof(text(), "error names, e.g. States.TaskFailed or States.ALL"),
                        max_attempts=integer(min=0, default=3), interval=duration(),
                        backoff_rate=number(min=1), max_delay=duration()),
                    "Retry blocks of Task states"),
     catches=listof(obj(task=ref("*", required=True, doc="the resource the Task state calls"),
                        errors=listof(text()), handler=ref("*", doc="what the catching state calls")),
                    "Catch blocks of Task states"),
     logging=choice("off", "error", "fatal", "all"))

# -- edge -----------------------------------------------------------------------
kind("route53_record", "edge", "A Route 53 record.", dns_name=text("the DNS name it answers for", required=True),
     record_type=text(default="A"),
     routing=choice("simple", "failover", "geolocation", "geoproximity", "latency", "ip_based",
                    "multivalue", "weighted", default="simple"),
     set_id=text(), failover=choice("primary", "secondary"), health_check=ref("route53_health_check"),
     evaluate_target_health=flag(), location=text("geolocation: a continent/country code, or * for default"),
     weight=integer(min=0, max=255), target=ref("*"), values=listof(text()))
kind("route53_health_check", "edge", "A Route 53 health check.", target=ref("*"), protocol=text())
kind("cloudfront_distribution", "edge", "A CloudFront distribution.",
     origins=listof(obj(target=ref("*"), origin_type=choice("s3", "s3_website", "custom", required=True),
                        access_control=choice("oac", "oai", "none"),
                        origin_protocol=choice("http_only", "https_only", "match_viewer",
                                               doc="how CloudFront connects to a custom origin"))),
     viewer_protocol=choice("allow_all", "redirect_to_https", "https_only"), waf=ref("waf_web_acl"),
     price_class=text(), certificate=ref("acm_certificate", doc="the viewer certificate (us-east-1)"),
     access_logs=flag("standard logging is on"), log_bucket=LOG_BUCKET)
kind("waf_web_acl", "edge", "An AWS WAF web ACL.", scope=choice("regional", "cloudfront"),
     associations=refs("*"))
kind("shield_protection", "edge", "Shield Advanced protection.", protects=refs("*"))
kind("outpost", "edge", "An AWS Outposts rack at a site.", site=ref("on_premises_network"))
kind("global_accelerator", "edge", "A Global Accelerator.", endpoints=refs("*"))

# -- containers -----------------------------------------------------------------
CAPACITY = obj("a capacity provider and its share of the tasks",
               provider=choice("fargate", "fargate_spot", "auto_scaling_group", required=True),
               auto_scaling_group=ref("auto_scaling_group", doc="the group behind an auto_scaling_group provider"),
               weight=integer(min=0), base=integer("tasks placed here first", min=0))
kind("ecs_cluster", "container", "An ECS cluster.", container_insights=flag(),
     capacity_providers=listof(CAPACITY, "the default capacity provider strategy"))
kind("ecs_task_definition", "container", "An ECS task definition.",
     cpu=number("vCPU of the task, e.g. 0.25, 1 or 4", min=0), memory=size("memory of the task, e.g. 512MiB"),
     task_role=ref("iam_role", doc="the role the containers' code uses"),
     execution_role=ref("iam_role", doc="the role ECS uses to pull images and read secrets"),
     network_mode=choice("awsvpc", "bridge", "host", "none"),
     compatibility=listof(choice("fargate", "ec2", "external")), architecture=ARCHITECTURE,
     platform=choice("linux", "windows"),
     containers=listof(obj(name=text(required=True), image=text(), port=integer(min=1, max=65535),
                           essential=flag(default=True), secrets=refs("secrets_manager_secret"))),
     volumes=listof(obj(name=text(required=True), efs=ref("efs_file_system"))))
kind("ecs_service", "container", "An ECS service (its `subnets` are where tasks run, one per AZ).",
     cluster=ref("ecs_cluster", required=True), task_definition=ref("ecs_task_definition"),
     desired_count=integer(min=0), min_count=integer("auto scaling minimum", min=0),
     max_count=integer("auto scaling maximum", min=0),
     launch_type=choice("fargate", "ec2", "external", doc="unset when a capacity provider strategy is used"),
     capacity_providers=listof(CAPACITY, "the service's capacity provider strategy"),
     circuit_breaker=obj("the deployment circuit breaker", enabled=flag(), rollback=flag()),
     target_groups=refs("target_group"), public_ip=flag(), stateful=flag(),
     singleton=flag("exactly one task may run at a time (a scheduler, a leader)"),
     az_rebalancing=flag(default=True))
kind("eks_cluster", "container", "An EKS cluster (its `subnets` hold the control plane's network interfaces).",
     version=text("Kubernetes version, e.g. 1.31"), role=ref("iam_role"),
     endpoint_public=flag("the API server endpoint is reachable from the internet", default=True),
     endpoint_private=flag("the API server endpoint is reachable from the VPC", default=False),
     public_access_cidrs=listof(cidr(), "who may reach the public endpoint (default 0.0.0.0/0)"),
     logging=listof(choice("api", "audit", "authenticator", "controllerManager", "scheduler"),
                    "control-plane log types sent to CloudWatch Logs"),
     secrets_kms_key=ref("kms_key", doc="envelope encryption of Kubernetes secrets"), auto_mode=flag())
kind("eks_node_group", "container", "An EKS managed node group (its `subnets` are where nodes run).",
     cluster=ref("eks_cluster", required=True), min_size=integer(min=0), max_size=integer(min=0),
     desired=integer(min=0), instance_types=listof(text()), capacity_type=choice("on_demand", "spot"),
     architecture=ARCHITECTURE, role=ref("iam_role"), launch_template=ref("launch_template"))
kind("eks_fargate_profile", "container", "An EKS Fargate profile (private `subnets` only).",
     cluster=ref("eks_cluster", required=True), namespaces=listof(text(), "Kubernetes namespaces it selects"),
     role=ref("iam_role", doc="the pod execution role"))
kind("app_runner_service", "container", "An App Runner service.", source=choice("image", "code"),
     cpu=number("vCPU", min=0), memory=size(), role=ref("iam_role"), kms_key=KMS_KEY,
     egress=choice("default", "vpc", doc="vpc: outbound traffic goes through a VPC connector in `subnets`"),
     min_instances=integer(min=1), max_instances=integer(min=1), max_concurrency=integer(min=1),
     waf=ref("waf_web_acl"), public=flag(default=True))

# -- security services ------------------------------------------------------------
kind("kms_key", "security", "A customer-managed KMS key.",
     usage=choice("encrypt_decrypt", "sign_verify", "generate_verify_mac", default="encrypt_decrypt"),
     key_spec=text("SYMMETRIC_DEFAULT, RSA_2048, ECC_NIST_P256, HMAC_256 ...", default="SYMMETRIC_DEFAULT"),
     rotation=flag("automatic key rotation (symmetric keys only)"),
     rotation_days=integer("days between automatic rotations", min=90, max=2560),
     multi_region=flag("a multi-Region primary key"), replica_of=ref("kms_key", doc="its multi-Region primary"),
     key_policy=policy("the key policy"), deletion_window_days=integer(min=7, max=30))
kind("acm_certificate", "security", "An ACM certificate.", domain=text(required=True),
     alternative_names=listof(text()), validation=choice("dns", "email", "imported", "private_ca"),
     key_algorithm=text("RSA_2048, EC_prime256v1 ..."))
kind("secrets_manager_secret", "security", "A Secrets Manager secret.", kms_key=KMS_KEY,
     rotation=flag("automatic rotation is on"), rotation_every=duration("how often it rotates, e.g. 30d"),
     rotation_function=ref("lambda_function", doc="the rotation function; unset for managed rotation"),
     secret_for=ref("*", doc="what the secret opens (a database, an API)"), replica_regions=listof(region()))
kind("cognito_user_pool", "security", "A Cognito user pool.", mfa=choice("off", "optional", "required"),
     threat_protection=choice("off", "audit", "enforced"), password_min_length=integer(min=6, max=99),
     deletion_protection=flag(), app_clients=listof(obj(name=text(required=True), secret=flag())))
kind("network_firewall", "network", "An AWS Network Firewall: one endpoint in each of its `subnets` (one per AZ).",
     policy=ref("network_firewall_policy", required=True), delete_protection=flag(),
     logging=listof(choice("alert", "flow", "tls"), "log types it sends"))
kind("network_firewall_policy", "network", "A Network Firewall policy.",
     stateless_default_action=choice("pass", "drop", "forward_to_stateful", default="forward_to_stateful"),
     stateful_rule_order=choice("default", "strict"),
     stateful_default_actions=listof(choice("drop_strict", "drop_established", "alert_strict",
                                            "alert_established")),
     rule_groups=listof(text("a rule group name or ARN")), tls_inspection=flag())
kind("guardduty_detector", "security", "A GuardDuty detector.",
     features=listof(text("s3_data_events, eks_audit_logs, ebs_malware_protection, rds_login_events, "
                          "runtime_monitoring, lambda_network_logs ...")),
     publishing_frequency=choice("15m", "1h", "6h"))
kind("security_hub", "security", "Security Hub in an account and Region.",
     standards=listof(text("aws-foundational-security-best-practices, cis-aws-foundations-benchmark, "
                           "nist-800-53, pci-dss ...")))
kind("config_recorder", "security", "An AWS Config recorder and its delivery channel.",
     all_supported=flag("records every supported resource type", default=True),
     include_global=flag("records global resources (IAM) too"), delivery_bucket=ref("s3_bucket"),
     rules=listof(text("managed or custom Config rule names")))
kind("identity_center_instance", "security", "An IAM Identity Center instance.",
     identity_source=choice("identity_center", "active_directory", "external_idp"),
     mfa=choice("off", "context_aware", "always"),
     permission_sets=listof(obj(name=text(required=True), session_duration=duration(),
                                managed_policies=listof(text()), accounts=refs("account"))))

# -- event plumbing ---------------------------------------------------------------
kind("lambda_event_source_mapping", "serverless", "A Lambda event source mapping: Lambda polls a queue or stream.",
     function=ref("lambda_function", required=True),
     source=ref("sqs_queue", "kinesis_stream", "dynamodb_table", required=True,
                doc="the queue, stream or table (its DynamoDB stream) polled"),
     batch_size=integer(min=1, max=10000), batching_window=duration("maximum batching window (up to 5m)"),
     partial_batch_response=flag("ReportBatchItemFailures: only failed records are retried"),
     maximum_concurrency=integer("SQS: most concurrent functions (2-1000)", min=2, max=1000),
     bisect_on_error=flag("streams: split a failing batch in two"),
     on_failure=ref("sqs_queue", "sns_topic", "s3_bucket", doc="streams: where records that fail go"),
     max_retries=integer("streams: retries of a failing batch (-1 is until the record expires)", min=-1,
                         max=10000),
     max_record_age=duration("streams: older records are skipped"),
     starting_position=choice("latest", "trim_horizon", "at_timestamp"),
     parallelization_factor=integer(min=1, max=10), filter=anything("event filter patterns"))

# -- backup ---------------------------------------------------------------------
kind("backup_plan", "backup", "An AWS Backup plan.",
     rules=listof(obj(schedule=text(), retention=duration(), copy_to_region=region())),
     resources=refs("*"), kms_key=ref("kms_key", doc="the backup vault's key"),
     selection_tags=mapping(text(), "resources whose `tags` have all these keys and values are covered too"))

RESOURCE_TYPES = T

# Access assertions (docs/format.md, "Access assertions"); evaluated by wavalidate.access.
ASSERTION_PRINCIPALS = ("anyone", "outside-account", "outside-organization")
ASSERTION = obj(
    name=text("a short name for the assertion", required=True),
    description=text(),
    principal=ref("iam_role", "iam_user", required=True,
                  doc="who asks: an iam_role or iam_user name, `anyone` (anonymous), `outside-account` "
                      "(any principal of another account), `outside-organization` or a principal ARN",
                  meta={"keywords": ASSERTION_PRINCIPALS, "arn": True}),
    action=text("one action, such as s3:GetObject", required=True, regex=r"^[A-Za-z0-9-]+:[A-Za-z0-9]+$"),
    resource=ref("*", required=True,
                 doc="a resource name, a name followed by /key for an S3 object (assets/* for any object), "
                     "or an ARN",
                 meta={"arn": True, "subpath": True}),
    expect=choice("allow", "deny", required=True),
    context=mapping(anything(), "request context keys and values, e.g. aws:SecureTransport: true"),
    complete_context=flag("keys missing from `context` are absent from the request (otherwise unknown)"),
)

FLOW = obj(source=ref("*", required=True), target=ref("*", required=True),
           protocol=text(), port=ports(), bandwidth=bandwidth(), via=refs("*"),
           mode=choice("sync", "async", "replication", "backup"), description=text())

DOCUMENT = obj(
    version=integer("format version", required=True, allowed=(1,)),
    name=text("the workload's name"),
    description=text(),
    uses=listof(text("a path relative to this file, inside the repository"),
                "files this one builds on (a network account, a security account): checked with it as one "
                "architecture, their resources named plainly"),
    requirements=REQUIREMENTS,
    organization=ORGANIZATION,
    regions=mapping(obj(azs=listof(az()), local_zones=listof(az()), wavelength_zones=listof(az())),
                    "the Regions used, with their AZs and Local Zones"),
    resources=mapping(anything(), "named resources; each has a `type`", required=True),
    flows=listof(FLOW, "traffic and data flows between resources"),
    dr=obj(strategy=choice("backup_restore", "pilot_light", "warm_standby", "active_active", required=True),
           primary_region=region(required=True), recovery_region=region(), description=text()),
    assertions=listof(ASSERTION, "access assertions: who may (or must not) do what on which resource"),
    suppress=listof(SUPPRESSION.but(fields={**(SUPPRESSION.fields or {}), "resource": text()}),
                    "file-wide suppressions"),
)


@lru_cache(maxsize=None)
def resource_field(type_name: str) -> Field:
    """The object field of one resource type, common fields included."""
    category, doc, fields = T[type_name]
    return Field("object", doc, fields={**BASE, **fields})
