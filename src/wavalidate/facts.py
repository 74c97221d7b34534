"""AWS limits and facts the rules rely on, each with the source it was checked against."""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Generic, Mapping, Optional, TypeVar

# How to read a Fact
# ------------------
# Sections are those of the project's fact sheet (shared/aws-facts.md, §1-§33).
# tag "A": AWS documentation archived in awsdocs/* (mid-2023); the URL is the live page.
# tag "C": current AWS text (docs page, API/SDK reference, What's New) seen in 2024-26.
# tag "S": a secondary quote of AWS (re:Post, AWS-authored skills, third-party copies);
#          the AWS page itself was not read.
# tag "unverified-but-checked:<how>": the fact sheet had it as Unverified; a lookup found
#          only what <how> says.
# A rule whose facts are all unconfirmed (not "A" or "C") or adjustable quotas warns (medium or
# lower) rather than errors: see prefer_warning(); tests/test_facts.py holds every high and
# critical rule to it. A rule that also rests on a confirmed hard fact may error.
# Ranges are (min, max) tuples, inclusive. Sets are frozensets of the names the YAML schema uses
# (wavalidate/schema/types.py) where the schema has a name for the thing.


T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True)
class Fact(Generic[T_co]):
    """One checked AWS fact; Fact[int], Fact[frozenset[str]] ... tell the type checker the value's type."""

    value: T_co            # the number/tuple/frozenset the rule uses
    unit: str              # e.g. "Gbps", "IOPS", "MiB/s", "s", "count", ""
    section: str           # fact sheet section, e.g. "§18 Site-to-Site VPN"
    source: str            # the URL
    tag: str               # "A", "C", "S" or "unverified-but-checked:<how>"
    adjustable: bool = False   # a quota that can be raised: rules should warn, not error
    note: str = ""         # e.g. the Notes error this corrects
    changed: str = ""      # when AWS changed what older material says (a year), where known


@dataclass(frozen=True)
class EbsType:
    """One EBS volume type's limits, per volume."""

    name: str
    min_gib: int
    max_gib: int
    max_iops: int
    max_mibps: int
    bootable: bool
    multi_attach: bool
    baseline_iops: Optional[int] = None     # gp3: included without extra charge
    baseline_mibps: Optional[int] = None
    iops_per_gib: Optional[int] = None      # gp2: baseline scales with size
    burst_iops: Optional[int] = None

    def __str__(self) -> str:
        return (f"{self.name}: {self.min_gib:,}-{self.max_gib:,} GiB, up to {self.max_iops:,} IOPS "
                f"and {self.max_mibps:,} MiB/s")


@dataclass(frozen=True)
class DrStrategy:
    """A DR strategy's RPO and RTO band in seconds, (best, worst), as we read REL13-BP02."""

    name: str
    rpo_s: tuple[float, float]
    rto_s: tuple[float, float]
    wording: str            # AWS's own words, which the numbers interpret

    def __str__(self) -> str:
        return f"{self.name} ({self.wording})"


_MINUTE = 60
_HOUR = 3600
_DAY = 86400

# Source pages used by more than one fact.
_SUBNETS = "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html"
_VPC_CIDRS = "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html"
_VPC_QUOTAS = "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html"
_IGW = "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html"
_NACL = "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html"
_SG = "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"
_PLACEMENT = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/placement-groups.html"
_EBS_TYPES = "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-volume-types.html"
_EBS_MULTI = "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-volumes-multi.html"
_PURCHASE = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-purchasing-options.html"
_S3_MPU = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html"
_S3_EVENTS = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/NotificationHowTo.html"
_RDS_REPLICAS = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.html"
_RDS_REPLICA_API = "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstanceReadReplica.html"
_RDS_BACKUPS = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html"
_AURORA = "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Overview.html"
_DDB_QUOTAS = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html"
_DDB_LSI = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html"
_CACHE_ENGINES = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/SelectEngine.html"
_CW_CONCEPTS = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html"
_EC2_MONITORING = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring_ec2.html"
_ELB_HOW = "https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html"
_ALB = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/introduction.html"
_NLB = "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/introduction.html"
_GWLB = "https://docs.aws.amazon.com/elasticloadbalancing/latest/gateway/introduction.html"
_GATEWAY_EP = "https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html"
_GATEWAY_EP_S3 = "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html"
_ENDPOINT_QUOTAS = "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-limits-endpoints.html"
_PEERING = "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html"
_TGW_HOW = "https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html"
_TGW_QUOTAS = "https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html"
_VPN = "https://docs.aws.amazon.com/vpn/latest/s2svpn/VPC_VPN.html"
_VPN_LIMITS = "https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-limits.html"
_VPN_TUNNELS = "https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html"
_VPN_ROUTING = "https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNRoutingTypes.html"
_DX_LAGS = "https://docs.aws.amazon.com/directconnect/latest/UserGuide/lags.html"
_DX_HOSTED = "https://docs.aws.amazon.com/directconnect/latest/APIReference/API_AllocateHostedConnection.html"
_DX_MACSEC = "https://docs.aws.amazon.com/directconnect/latest/UserGuide/MACsec.html"
_DX_MAX = "https://docs.aws.amazon.com/directconnect/latest/UserGuide/maximum_resiliency.html"
_DX_HIGH = "https://docs.aws.amazon.com/directconnect/latest/UserGuide/high_resiliency.html"
_TGW_APPLIANCE = "https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-appliance-scenario.html"
_SQS_VISIBILITY = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html"
_SQS_POLLING = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-short-and-long-polling.html"
_SQS_MESSAGES = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html"
_SQS_CREATE = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html"
_SQS_FIFO = ("https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/"
             "troubleshooting-fifo-throttling-issues.html")
_SNS_SUBSCRIBE = "https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html"
_SNS_FIFO = "https://docs.aws.amazon.com/sns/latest/dg/fifo-message-delivery.html"
_KDS_LIMITS = "https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html"
_KDS_CONSUMERS = "https://docs.aws.amazon.com/streams/latest/dev/building-consumers.html"
_FIREHOSE_BUFFER = "https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html"
_SFN = "https://docs.aws.amazon.com/step-functions/latest/dg/concepts-standard-vs-express.html"
_APIGW_LIMITS = "https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html"
_APIGW_TIMEOUT = "https://aws.amazon.com/about-aws/whats-new/2024/06/amazon-api-gateway-integration-timeout-limit-29-seconds/"
_APIGW_ACCESS = "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html"
_LAMBDA_LIMITS = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html"
_R53_POLICIES = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy.html"
_CF_S3 = ("https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/"
          "private-content-restricting-access-to-s3.html")
_WAF_RESOURCES = "https://docs.aws.amazon.com/waf/latest/developerguide/how-aws-waf-works-resources.html"
_DR = "https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/rel_planning_for_recovery_disaster_recovery.html"
_IAM_EVAL = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html"
_IAM_ELEMENTS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html"
_IAM_QUOTAS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"
_NAT = "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html"
_NAT_REGIONAL = "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateways-regional.html"
_EFS = "https://docs.aws.amazon.com/efs/latest/ug/whatisefs.html"
_STORAGE_GATEWAY = "https://docs.aws.amazon.com/storagegateway/latest/userguide/WhatIsStorageGateway.html"

_CHECKED_DR = ("unverified-but-checked:REL13-BP02 wording found verbatim in a copy of the Well-Architected "
               "Framework PDF (p.686); the seconds are our reading")

# --- §1 VPC subnets and CIDRs ---------------------------------------------------------------------

_S1 = "§1 VPC subnets and CIDRs"
SUBNET_RESERVED_ADDRESSES = Fact(5, "addresses", _S1, _SUBNETS, "A",
                                 note="the first four and the last address of every subnet (IPv4 and IPv6); "
                                      "usable = 2^(32-prefix) - 5, so a /28 has 11 and a /24 has 251. Notes "
                                      "error: the last address of 10.0.0.0/24 is 10.0.0.255, not 10.0.0.225")
SUBNET_PREFIX_MIN = Fact(16, "prefix length", _S1, _SUBNETS, "A", note="largest subnet: /16")
SUBNET_PREFIX_MAX = Fact(28, "prefix length", _S1, _SUBNETS, "A", note="smallest subnet: /28")
VPC_PREFIX_MIN = Fact(16, "prefix length", _S1, _VPC_CIDRS, "A", note="/16 = 65,536 addresses")
VPC_PREFIX_MAX = Fact(28, "prefix length", _S1, _VPC_CIDRS, "A", note="/28 = 16 addresses")
VPC_IPV4_CIDRS_PER_VPC = Fact(5, "CIDR blocks", _S1, _VPC_QUOTAS, "A", adjustable=True,
                              note="includes the primary CIDR; can be raised to 50")
VPC_IPV4_CIDRS_PER_VPC_MAX = Fact(50, "CIDR blocks", _S1, _VPC_QUOTAS, "A")
SUBNETS_PER_VPC = Fact(200, "subnets", _S1, _VPC_QUOTAS, "A", adjustable=True)
VPCS_PER_REGION = Fact(5, "VPCs", _S1, _VPC_QUOTAS, "A", adjustable=True)

# --- §2 Public subnets and internet gateways ---------------------------------------------------------

_S2 = "§2 Public subnets and internet gateways"
# A subnet is public because its route table sends traffic to an internet gateway, nothing else.
PUBLIC_SUBNET_ROUTE_DESTINATIONS = Fact(frozenset({"0.0.0.0/0", "::/0"}), "", _S2, _IGW, "A",
                                        note="a public subnet's route table routes to an internet gateway, "
                                             "usually for these default routes")
IGW_NEEDS_PUBLIC_IP = Fact(True, "", _S2, _IGW, "A",
                           note="the IGW does 1:1 NAT, so an instance needs a public IPv4 or Elastic IP; a "
                                "public IP in a private subnet still gives no internet access")
PUBLIC_IP_AUTO_ASSIGN_DEFAULT_SUBNETS_ONLY = Fact(True, "", _S2, _IGW, "A",
                                                  note="default subnets auto-assign public IPv4; nondefault "
                                                       "subnets do not unless configured")
IGW_PER_VPC = Fact(1, "gateways", _S2, _VPC_QUOTAS, "A", note="one attached at a time")
EGRESS_ONLY_IGW_PER_VPC = Fact(1, "gateways", _S2, _VPC_QUOTAS, "A")
IGWS_PER_REGION = Fact(5, "gateways", _S2, _VPC_QUOTAS, "A", adjustable=True,
                       note="tied to the VPCs-per-Region quota")

# --- §3 Network ACLs and security groups ------------------------------------------------------------

_S3 = "§3 Network ACLs and security groups"
NACL_RULE_NUMBER_RANGE = Fact((1, 32766), "", _S3, _NACL, "A",
                              note="evaluated lowest number first; the first match wins; the final `*` deny "
                                   "cannot be changed")
NACL_STATELESS = Fact(True, "", _S3, _NACL, "A", note="return traffic needs its own rule")
NACL_DEFAULT_ALLOWS_ALL = Fact(True, "", _S3, _NACL, "A",
                               note="the default NACL allows all in and out; a new custom NACL denies all "
                                    "until rules are added")
NACLS_PER_SUBNET = Fact(1, "NACLs", _S3, _NACL, "A",
                        note="exactly one (the default if none chosen); one NACL can serve many subnets")
EPHEMERAL_PORTS_LINUX = Fact((32768, 61000), "ports", _S3, _NACL, "A")
EPHEMERAL_PORTS_ELB_NAT_LAMBDA = Fact((1024, 65535), "ports", _S3, _NACL, "A",
                                      note="Elastic Load Balancing, NAT gateways and Lambda")
EPHEMERAL_PORTS_WINDOWS = Fact((49152, 65535), "ports", _S3, _NACL, "A", note="Windows Server 2008 and later")
NACL_RULES_PER_DIRECTION = Fact(20, "rules", _S3, _VPC_QUOTAS, "A", adjustable=True,
                                note="per direction, IPv4 and IPv6 counted separately, including the default "
                                     "deny; can be raised to 40")
NACL_RULES_PER_DIRECTION_MAX = Fact(40, "rules", _S3, _VPC_QUOTAS, "A")
NACLS_PER_VPC = Fact(200, "NACLs", _S3, _VPC_QUOTAS, "A", adjustable=True)
SG_STATEFUL = Fact(True, "", _S3, "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Security.html", "A",
                   note="allow rules only, all rules evaluated; return traffic is allowed automatically")
SG_NEW_DEFAULTS = Fact(("no inbound", "all outbound"), "", _S3, _SG, "A",
                       note="a new security group allows no inbound and all outbound traffic")
SG_RULES_INBOUND = Fact(60, "rules", _S3, _VPC_QUOTAS, "A", adjustable=True,
                        note="IPv4 and IPv6 counted separately")
SG_RULES_OUTBOUND = Fact(60, "rules", _S3, _VPC_QUOTAS, "A", adjustable=True,
                         note="IPv4 and IPv6 counted separately")
SGS_PER_ENI = Fact(5, "security groups", _S3, _VPC_QUOTAS, "A", adjustable=True, note="can be raised to 16")
SGS_PER_ENI_MAX = Fact(16, "security groups", _S3, _VPC_QUOTAS, "A")
# Raising rules per group lowers how many groups an ENI can have: the product is capped.
SG_RULES_TIMES_SGS_PER_ENI_MAX = Fact(1000, "rules", _S3, _VPC_QUOTAS, "A",
                                      note="rules per security group x security groups per ENI")
SGS_PER_REGION = Fact(2500, "security groups", _S3, _VPC_QUOTAS, "A", adjustable=True)
# Changed (fact sheet §34): a security group can be associated with other VPCs of its Region.
SG_VPC_ASSOCIATIONS = Fact(True, "", _S3,
                           "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateSecurityGroupVpc.html",
                           "C", note="other VPCs of the same Region, owned or shared; not the default security group "
                                     "and not a default VPC")

# --- §4 Placement groups --------------------------------------------------------------------------------

_S4 = "§4 Placement groups"
# Value and source are kept as rules.md renders them; the one AZ is the point of the fact.
CLUSTER_PLACEMENT_ONE_AZ = Fact(True, "", _S4, _PLACEMENT, "A")
CLUSTER_PLACEMENT_FLOW_GBPS = Fact(10, "Gbps", _S4, _PLACEMENT, "A",
                                   note="per flow between instances in the group; 5 Gbps per flow outside it")
CLUSTER_PLACEMENT_UNSUPPORTED_FAMILIES = Fact(
    frozenset({"t2", "t3", "t3a", "t4g", "mac1"}), "", _S4, _PLACEMENT, "A",
    note="AWS names burstable performance instances (for example T2) and Mac1; t3, t3a and t4g are listed "
         "as the other burstable families (our reading)")
# Value and unit are kept as rules.md renders them.
SPREAD_MAX_INSTANCES_PER_AZ = Fact(7, "instances", _S4, _PLACEMENT, "A")
SPREAD_NO_DEDICATED_INSTANCES = Fact(True, "", _S4, _PLACEMENT, "A",
                                     note="rack spread groups do not support Dedicated Instances; host-level "
                                          "spread exists only on Outposts")
PARTITION_MAX_PER_AZ = Fact(7, "partitions", _S4, _PLACEMENT, "A")
PARTITION_MAX_DEDICATED_INSTANCES = Fact(2, "partitions", _S4, _PLACEMENT, "A",
                                         note="with Dedicated Instances")
PARTITION_WORKLOADS = Fact(frozenset({"hadoop", "hdfs", "hbase", "cassandra", "kafka"}), "", _S4, _PLACEMENT, "A",
                           note="AWS names Hadoop, Cassandra and Kafka; HDFS and HBase are Hadoop's stores")
PLACEMENT_GROUPS_PER_INSTANCE = Fact(1, "groups", _S4, _PLACEMENT, "A",
                                     note="groups cannot be merged; Dedicated Hosts cannot be placed")
# Changed (fact sheet §34): placement-groups.html, rules and limitations.
SPOT_NO_PLACEMENT_GROUP_BEHAVIOURS = Fact(frozenset({"stop", "hibernate"}), "", _S4, _PLACEMENT, "C",
                                          note="Spot Instances set to stop or hibernate when interrupted cannot "
                                               "launch in a placement group")

# --- §5 EBS -----------------------------------------------------------------------------------------------

_S5 = "§5 EBS"
EBS_SAME_AZ = Fact(True, "", _S5, "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-volumes.html", "A",
                   note="a volume attaches only to instances in its own AZ and is replicated within that AZ")
EBS_GP3 = Fact(EbsType("gp3", 1, 65536, 80000, 2000, bootable=True, multi_attach=False,
                       baseline_iops=3000, baseline_mibps=125),
               "", _S5, "https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html", "C",
               note="Notes error: the notes' 16,000 IOPS, 1,000 MiB/s and 16 TiB are outdated")
# Checked: not on the fact sheet. The EBS volume types page says "The maximum ratio of provisioned IOPS to
# provisioned volume size is 500 IOPS per GiB" for gp3, as quoted by secondary sources (saisci.com's gp3
# IOPS article with the console error; a 2026 engineering note citing the EBS User Guide); the 3,000 IOPS
# baseline applies at any size. So 80,000 IOPS needs at least 160 GiB.
EBS_GP3_MAX_IOPS_PER_GIB = Fact(500, "IOPS/GiB", _S5,
                                "https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html", "S",
                                note="provisioned IOPS per GiB of volume size; the 3,000 IOPS baseline "
                                     "holds at any size")
# Changed (fact sheet §34): gp3 throughput needs 0.25 MiB/s per provisioned IOPS.
EBS_GP3_MIBPS_PER_IOPS = Fact(0.25, "MiB/s per IOPS", _S5,
                              "https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html", "C",
                              note="provisioned throughput at most 0.25 MiB/s per provisioned IOPS: 2,000 MiB/s "
                                   "needs at least 8,000 IOPS")
EBS_GP2 = Fact(EbsType("gp2", 1, 16384, 16000, 250, bootable=True, multi_attach=False,
                       iops_per_gib=3, burst_iops=3000),
               "", _S5, _EBS_TYPES, "A")
EBS_IO1 = Fact(EbsType("io1", 4, 16384, 64000, 1000, bootable=True, multi_attach=True),
               "", _S5, _EBS_TYPES, "A")
EBS_IO2 = Fact(EbsType("io2", 4, 65536, 256000, 4000, bootable=True, multi_attach=True),
               "", _S5, "https://docs.aws.amazon.com/ebs/latest/userguide/provisioned-iops.html", "C",
               note="all io2 volumes are Block Express since 30 Apr 2025; 99.999% durability")
EBS_ST1 = Fact(EbsType("st1", 125, 16384, 500, 500, bootable=False, multi_attach=False),
               "", _S5, _EBS_TYPES, "A", note="HDD; not a boot volume")
EBS_SC1 = Fact(EbsType("sc1", 125, 16384, 250, 250, bootable=False, multi_attach=False),
               "", _S5, _EBS_TYPES, "A", note="HDD; not a boot volume")
MULTI_ATTACH_VOLUME_TYPES = Fact(frozenset({"io1", "io2"}), "", _S5, _EBS_MULTI, "A",
                                 note="io1 Multi-Attach only in some Regions")
MULTI_ATTACH_MAX_INSTANCES = Fact(16, "instances", _S5, _EBS_MULTI, "A",
                                  note="Nitro instances in the volume's AZ")
EBS_SNAPSHOTS_REGIONAL = Fact(True, "", _S5,
                              "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-copy-snapshot.html", "A",
                              note="incremental, stored in S3, Regional; copy them to another Region for DR")

# --- §6 Instance store --------------------------------------------------------------------------------

_S6 = "§6 Instance store"
INSTANCE_STORE_LOST_ON = Fact(frozenset({"disk_failure", "stop", "hibernate", "terminate"}), "", _S6,
                              "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/InstanceStorage.html", "A",
                              note="survives a reboot; fit for buffers, caches, scratch and fleet-replicated data")

# --- §7 EC2 purchase options ----------------------------------------------------------------------------

_S7 = "§7 EC2 purchase options"
EC2_PURCHASE_OPTIONS = Fact(frozenset({"on_demand", "savings_plans", "reserved", "spot", "dedicated_hosts",
                                       "dedicated_instances", "capacity_reservations"}), "", _S7,
                            _PURCHASE, "A", note="On-Demand is billed per second; Capacity Reservations are one AZ")
COMPUTE_SP_MAX_DISCOUNT_PCT = Fact(66, "%", _S7, "https://aws.amazon.com/savingsplans/compute-pricing/", "S",
                                   note="up to; any family, size, AZ, Region, OS, tenancy, plus Fargate and Lambda")
EC2_INSTANCE_SP_MAX_DISCOUNT_PCT = Fact(72, "%", _S7, "https://aws.amazon.com/savingsplans/compute-pricing/",
                                        "S", note="up to; one instance family in one Region")
SPOT_INTERRUPTION_NOTICE_S = Fact(120, "s", _S7,
                                  "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-instance-termination-notices.html",
                                  "A", note="no notice when the interruption behaviour is hibernate")

# --- §8 S3 --------------------------------------------------------------------------------------------------

_S8 = "§8 S3"
S3_ENCRYPTION_TYPES = Fact(frozenset({"sse-s3", "sse-kms", "dsse-kms", "sse-c"}), "", _S8,
                           "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/"
                           "aws-properties-s3-bucket-bucketencryption.html", "C",
                           note="DSSE-KMS can be the bucket default")
S3_DEFAULT_ENCRYPTION = Fact("sse-s3", "", _S8,
                             "https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html", "A",
                             note="every new upload is encrypted with SSE-S3 at no cost since 5 Jan 2023")
S3_SSE_C_BLOCKED_FROM = Fact("2026-04", "", _S8,
                             "https://docs.aws.amazon.com/AmazonS3/latest/userguide/blocking-unblocking-s3-c-encryption-gpb.html",
                             "C", note="new general purpose buckets (and existing ones in accounts with no SSE-C "
                                       "objects) reject SSE-C writes with 403 unless BlockedEncryptionTypes is NONE")
S3_SINGLE_PUT_MAX_GB = Fact(5, "GB", _S8, "https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html",
                            "A")
S3_MULTIPART_RECOMMENDED_FROM_MB = Fact(100, "MB", _S8, _S3_MPU, "C")
S3_PART_SIZE_MIB = Fact((5, 5120), "MiB", _S8, _S3_MPU, "C",
                        note="5 MiB to 5 GiB; the last part may be smaller")
S3_MAX_PARTS = Fact(10000, "parts", _S8, _S3_MPU, "C")
# Checked: qfacts.html reads "Maximum object size 48.8 TiB" (some translations still say 5 TiB).
S3_MAX_OBJECT_TIB = Fact(48.8, "TiB", _S8, _S3_MPU, "C",
                         note="Notes error: the notes say 5 TB; the limit was 5 TiB until raised to 48.8 TiB "
                              "(about 50 TB)")
S3_EVENT_DESTINATIONS = Fact(frozenset({"sns_topic", "sqs_queue", "lambda_function", "eventbridge"}), "",
                             _S8, _S3_EVENTS, "A",
                             note="standard SNS topics and standard SQS queues only")
S3_EVENT_FIFO_VIA_EVENTBRIDGE_ONLY = Fact(True, "", _S8,
                                          "https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html",
                                          "A", note="SQS FIFO queues get S3 events only through EventBridge")
S3_VERSIONING_STATES = Fact(("unversioned", "enabled", "suspended"), "", _S8,
                            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html", "A",
                            note="once enabled, a bucket can be suspended but never returns to unversioned")
S3_ACCESS_POINT_NETWORK_ORIGINS = Fact(frozenset({"internet", "vpc"}), "", _S8,
                                       "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-vpc.html",
                                       "A", note="fixed at creation")
S3_BPA_ON_BY_DEFAULT_SINCE = Fact("2023-04", "", _S8,
                                  "https://docs.aws.amazon.com/AmazonS3/latest/userguide/create-bucket-faq.html", "A",
                                  note="new buckets have all four Block Public Access settings on and ACLs disabled")
S3_LIFECYCLE_ACTIONS = Fact(frozenset({"transition", "expiration"}), "", _S8,
                            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html", "A")

# --- §9 RDS --------------------------------------------------------------------------------------------------

_S9 = "§9 RDS"
RDS_ENGINES = Fact(frozenset({"db2", "mariadb", "mysql", "oracle", "postgres", "sqlserver"}), "", _S9,
                   "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/"
                   "Concepts.RDS_Fea_Regions_DB-eng.Feature.CrossRegionReadReplicas.html", "C",
                   note="plus Aurora (MySQL and PostgreSQL compatible)")
# Value and source are kept as rules.md renders them.
RDS_MULTI_AZ = Fact(True, "", _S9,
                    "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html", "A")
RDS_MULTI_AZ_INSTANCE_STANDBYS = Fact(1, "standbys", _S9,
                                      "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html",
                                      "A", note="synchronous, in another AZ, not readable, automatic failover")
RDS_MULTI_AZ_CLUSTER_READABLE_STANDBYS = Fact(2, "standbys", _S9,
                                              "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/"
                                              "multi-az-db-clusters-concepts.html", "A",
                                              note="writer plus two readable standbys in three AZs, semisynchronous")
# Changed (fact sheet §34): Multi-AZ DB clusters exist only for RDS for MySQL and PostgreSQL.
RDS_MULTI_AZ_CLUSTER_ENGINES = Fact(frozenset({"mysql", "postgres"}), "", _S9,
                                    "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/"
                                    "multi-az-db-clusters-concepts.html", "C")
RDS_READ_REPLICAS_MAX = Fact(15, "replicas", _S9, _RDS_REPLICAS, "A",
                             note="per source for MySQL, MariaDB, PostgreSQL and SQL Server; asynchronous. Notes "
                                  "error: SQL Server allows 15, not 5 (Oracle 5 and Db2 3 are separate facts)")
# Checked: the SQL Server read replica page says "up to 15"; the CreateDBInstanceReadReplica API text
# still says five, which we take as stale.
RDS_SQLSERVER_READ_REPLICAS_MAX = Fact(15, "replicas", _S9,
                                   "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/SQLServer.ReadReplicas.html",
                                   "A", note="Notes error: the notes say 5. Enterprise Edition only; AWS warns that "
                                             "replication may lag beyond 5 replicas")
RDS_ORACLE_READ_REPLICAS_MAX = Fact(5, "replicas", _S9,
                                "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/oracle-read-replicas.overview.html",
                                "A")
# Looked up: the fact sheet lists no Db2 figure; the API reference gives three.
RDS_DB2_READ_REPLICAS_MAX = Fact(3, "replicas", _S9, _RDS_REPLICA_API, "C",
                             note="read-only or standby mode; API reference text for SourceDBInstanceIdentifier")
RDS_READ_REPLICA_NEEDS_BACKUPS = Fact(True, "", _S9, _RDS_REPLICA_API, "C",
                                      note="the source must have automated backups (retention > 0)")
RDS_ENCRYPTION_AT_CREATION = Fact(True, "", _S9,
                                       "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
                                       "A", note="AES-256 with KMS; cannot be disabled or re-keyed; encrypt an "
                                                 "existing DB by snapshot, encrypted copy, restore; replicas match")
RDS_BACKUP_RETENTION_DAYS = Fact((0, 35), "days", _S9, _RDS_BACKUPS, "A",
                                 note="0 disables automated backups")

# --- §10 Aurora --------------------------------------------------------------------------------------------

_S10 = "§10 Aurora"
AURORA_MAX_REPLICAS = Fact(15, "replicas", _S10, _AURORA, "A", note="plus one writer")
AURORA_FAILOVER_TIERS = Fact((0, 15), "", _S10,
                             "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/"
                             "Concepts.AuroraHighAvailability.html", "A",
                             note="tier 0 is promoted first; ties go to the largest replica")

# --- §11 DynamoDB -----------------------------------------------------------------------------------------

_S11 = "§11 DynamoDB"
DYNAMODB_KEY_SCHEMA = Fact(("simple: partition key", "composite: partition key + sort key"), "", _S11,
                           "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.CoreComponents.html",
                           "A", note="the primary key is chosen at creation")
DYNAMODB_GSI_DEFAULT = Fact(20, "indexes", _S11, _DDB_QUOTAS, "A", adjustable=True,
                              note="can be added or deleted at any time")
DYNAMODB_LSI_MAX = Fact(5, "indexes", _S11, _DDB_LSI, "A")
DYNAMODB_LSI_AT_CREATION = Fact(True, "", _S11, _DDB_LSI, "A",
                                     note="an LSI is created with the table and never added or deleted later; it "
                                          "shares the table's partition key")
DYNAMODB_ITEM_MAX_KB = Fact(400, "KB", _S11, _DDB_QUOTAS, "A", note="attribute names plus values")
DYNAMODB_PITR_DAYS = Fact((1, 35), "days", _S11,
                          "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/"
                          "API_PointInTimeRecoverySpecification.html", "C",
                          note="RecoveryPeriodInDays, default 35")
DYNAMODB_GLOBAL_TABLES_MULTI_ACTIVE = Fact(True, "", _S11,
                                           "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/"
                                           "GlobalTables.html", "A")

# --- §12 ElastiCache ----------------------------------------------------------------------------------------

_S12 = "§12 ElastiCache"
ELASTICACHE_REPLICAS_PER_SHARD = Fact(5, "replicas", _S12,
                                      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html",
                                      "A", note="one primary plus up to five replicas (Valkey, Redis OSS); "
                                                "Multi-AZ failover is on by default with cluster mode enabled")
ELASTICACHE_MULTI_AZ_FAILOVER = Fact(True, "", _S12,
                                     "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html", "A",
                                     note="Valkey and Redis OSS promote a replica in another AZ automatically; on "
                                          "by default with cluster mode enabled; needs at least one replica")
MEMCACHED_NO_REPLICATION = Fact(True, "", _S12, _CACHE_ENGINES, "A",
                                note="Memcached has no replication, no failover and no backup")
ELASTICACHE_STRATEGIES = Fact(frozenset({"lazy_loading", "write_through"}), "", _S12,
                              "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Strategies.html", "A",
                              note="lazy loading fills on a miss and can be stale; write-through is never stale "
                                   "but writes unread data; AWS advises a TTL for both")

# --- §13 Monitoring and logging -------------------------------------------------------------------------

_S13 = "§13 Monitoring and logging"
# Checked: the PutMetricData API text says only "you should not specify a namespace that begins with AWS/";
# that the call is refused ("InvalidParameterValue: The value AWS/ for parameter Namespace is invalid.") is
# what API-compatible emulators (Eucalyptus and others) reproduce, not AWS documentation.
CLOUDWATCH_AWS_NAMESPACE_PREFIX = Fact("AWS/", "", _S13, _CW_CONCEPTS, "A",
                                       note="reserved for AWS service metrics, e.g. AWS/EC2; PutMetricData into "
                                            "it is refused as an invalid Namespace")
CLOUDWATCH_AGENT_NAMESPACE = Fact("CWAgent", "", _S13, _CW_CONCEPTS, "A", note="the agent's default")
EC2_METRICS_NEED_AGENT = Fact(frozenset({"memory", "swap", "disk_space"}), "", _S13, _EC2_MONITORING, "A",
                              note="EC2 publishes no metric for these; the CloudWatch agent must")
# Checked against the agent's default metric list (EMR guide), published under CWAgent.
CLOUDWATCH_AGENT_METRICS = Fact(
    frozenset({"mem_used_percent", "mem_available_percent", "mem_used", "mem_available", "mem_free", "mem_total",
               "swap_used_percent", "swap_used", "swap_free",
               "disk_used_percent", "disk_used", "disk_free", "disk_total"}),
    "", _S13, "https://docs.aws.amazon.com/emr/latest/ReleaseGuide/AmazonCloudWatchAgent-metrics.html", "C",
    note="memory, swap and disk metric names the CloudWatch agent publishes on Linux")
CLOUDWATCH_ALARM_STATES = Fact(frozenset({"OK", "ALARM", "INSUFFICIENT_DATA"}), "", _S13,
                               "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html",
                               "A")
CLOUDTRAIL_EVENT_HISTORY_DAYS = Fact(90, "days", _S13,
                                     "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/"
                                     "creating-trail-organization.html", "A",
                                     note="keep longer with a trail; an organization trail covers all accounts")
CLOUDTRAIL_DIGEST_INTERVAL_S = Fact(3600, "s", _S13,
                                    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/"
                                    "cloudtrail-log-file-validation-intro.html", "A",
                                    note="log file validation: SHA-256 hashes, RSA-signed hourly digests")
FLOW_LOG_DESTINATIONS = Fact(frozenset({"cloudwatch_logs", "s3", "firehose"}), "", _S13,
                             "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html", "A")

# --- §14 Elastic Load Balancing --------------------------------------------------------------------------

_S14 = "§14 Elastic Load Balancing"
ELB_TYPES = Fact(frozenset({"alb", "nlb", "gwlb", "clb"}), "", _S14,
                 "https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/migrate-classic-load-balancer.html",
                 "C")
ALB_LISTENER_PROTOCOLS = Fact(frozenset({"HTTP", "HTTPS"}), "", _S14, _ALB, "A", note="layer 7")
# Changed (December 2026 audit, fact sheet §34): NLBs also take QUIC and TCP_QUIC listeners.
NLB_LISTENER_PROTOCOLS = Fact(frozenset({"TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC"}), "", _S14,
                              "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html",
                              "C", note="layer 4; QUIC v1 passthrough, one QUIC listener per NLB, not with dualstack "
                                        "and not beside UDP or TCP_UDP listeners")
GWLB_LISTENER_PROTOCOLS = Fact(frozenset({"GENEVE"}), "", _S14, _GWLB, "A", note="layer 3")
GWLB_PORT = Fact(6081, "port", _S14, _GWLB, "A", note="GENEVE")
NLB_CROSS_ZONE_DEFAULT = Fact(False, "", _S14, _ELB_HOW, "A")
# Looked up: AWS docs found only offer migration; "previous generation" appears as a console label in
# third-party tutorials. A rule should suggest migrating at low severity, not call CLB deprecated.
CLB_PREVIOUS_GENERATION = Fact(True, "", _S14,
                               "https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/"
                               "migrate-classic-load-balancer.html",
                               "unverified-but-checked:AWS docs only offer migration to ALB/NLB; 'Previous "
                               "Generation' seen as a console label in third-party tutorials",
                               note="CLB still exists; AWS offers a migration wizard to ALB or NLB")

# --- §15 VPC endpoints ---------------------------------------------------------------------------------------

_S15 = "§15 VPC endpoints"
GATEWAY_ENDPOINT_SERVICES = Fact(frozenset({"s3", "dynamodb"}), "", _S15, _GATEWAY_EP, "C",
                                 note="not PrivateLink; a route-table target; no charge; same Region only")
# Checked: "gateway endpoints do not allow access from on-premises networks, from peered VPCs in other
# AWS Regions, or through a transit gateway" (S3 gateway endpoint page); VPC peering also rules out
# edge-to-edge routing through a peer's gateway endpoint (§16).
GATEWAY_ENDPOINT_UNREACHABLE_FROM = Fact(frozenset({"on_premises", "vpc_peering", "transit_gateway"}), "",
                                         _S15, _GATEWAY_EP_S3, "C",
                                         note="use an interface endpoint (PrivateLink) for these paths")
INTERFACE_ENDPOINT_GBPS_PER_AZ = Fact((10, 100), "Gbps", _S15, _ENDPOINT_QUOTAS, "C",
                                      note="10 Gbps per AZ by default, scaling automatically to 100 Gbps")

# --- §16 VPC peering ------------------------------------------------------------------------------------------

_S16 = "§16 VPC peering"
VPC_PEERING_TRANSITIVE = Fact(False, "", _S16, _PEERING, "A", note="one-to-one; A-B and B-C do not give A-C")
VPC_PEERING_NO_EDGE_TO_EDGE = Fact(frozenset({"internet_gateway", "nat_gateway", "vpn", "direct_connect",
                                              "gateway_endpoint"}), "", _S16, _PEERING, "A",
                                   note="a VPC cannot use its peer's gateways or connections")
VPC_PEERING_NO_OVERLAP = Fact(True, "", _S16, _PEERING, "A", note="no CIDR block of either VPC may overlap")
VPC_PEERINGS_PER_VPC_PAIR = Fact(1, "connections", _S16, _PEERING, "A")
VPC_PEERINGS_PER_VPC = Fact(50, "connections", _S16, _VPC_QUOTAS, "A", adjustable=True,
                            note="active peerings; can be raised to 125")
VPC_PEERINGS_PER_VPC_MAX = Fact(125, "connections", _S16, _VPC_QUOTAS, "A")

# --- §17 Transit Gateway --------------------------------------------------------------------------------------

_S17 = "§17 Transit Gateway"
TGW_ATTACHMENT_TYPES = Fact(frozenset({"vpc", "vpn", "dx_gateway", "connect", "peering"}), "", _S17,
                            _TGW_HOW, "A", note="peering attachments use static routes")
TGW_ATTACHMENTS_MAX = Fact(5000, "attachments", _S17, _TGW_QUOTAS, "A")
# Not in the fact sheet; checked: the appliance scenario page and AWS Network Firewall's guide
# (vpc-config-tgw-multi-az) say appliance mode must be on for the attachment of the VPC with the stateful
# appliances, so both directions of a flow use the same AZ there.
TGW_APPLIANCE_MODE_FOR_INSPECTION = Fact(True, "", _S17, _TGW_APPLIANCE,
                                         "unverified-but-checked:AWS Network Firewall developer guide, "
                                         "vpc-config-tgw-multi-az, says it must be enabled",
                                         note="off by default; without it the two directions of a flow may "
                                              "cross different AZs of the inspection VPC")
TGW_ROUTE_TABLE_LONGEST_PREFIX = Fact(True, "", _S17, _TGW_HOW, "A",
                                      note="the most specific route wins; a static route wins over a propagated "
                                           "one for the same prefix; a blackhole route drops")
# Not in the fact sheet; checked: Cloud WAN's "How routing works" page: each segment is a routing domain
# with a route table per core network edge; attachments in one segment reach each other unless the segment
# isolates its attachments (then only shared or static routes reach them).
CLOUDWAN_SEGMENT_ROUTING_DOMAIN = Fact(True, "", _S17,
                                       "https://docs.aws.amazon.com/network-manager/latest/cloudwan/"
                                       "cloudwan-how-routing-works.html", "S",
                                       note="a segment is one routing domain across the core network's "
                                            "Regions; `isolate-attachments` keeps its attachments apart")
TGW_ONE_ASSOCIATION = Fact(1, "route table", _S17,
                           "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/"
                           "API_AssociateTransitGatewayRouteTable.html", "C",
                           note="an attachment is associated with exactly one route table")
# Value and source are kept as rules.md renders them.
TGW_VPN_ECMP_NEEDS_BGP = Fact(True, "", _S17, _TGW_QUOTAS, "A")
TGW_VPN_ECMP_DEFAULT = Fact(True, "", _S17,
                            "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/"
                            "API_TransitGatewayRequestOptions.html", "C", note="VpnEcmpSupport is enabled by default")

# --- §18 Site-to-Site VPN ---------------------------------------------------------------------------------------

_S18 = "§18 Site-to-Site VPN"
VPN_PROTOCOLS = Fact(frozenset({"ipsec"}), "", _S18, _VPN, "A", note="IPsec only")
VPN_TUNNELS_PER_CONNECTION = Fact(2, "tunnels", _S18, _VPN_TUNNELS, "C",
                                  note="each in a different AZ; configure both for redundancy")
# Value and source are kept as rules.md renders them. Notes error (outdated): the notes give 1.25 Gbps
# as the VPN limit; it holds only for standard tunnels (and always on a virtual private gateway).
VPN_TUNNEL_GBPS = Fact(1.25, "Gbps", _S18, _VPN_LIMITS, "A")
VPN_TUNNEL_PPS = Fact(140_000, "packets/s", _S18, _VPN_LIMITS, "A",
                      note="about, per standard tunnel; small packets reach it before 1.25 Gbps")
VPN_ONE_FLOW_ONE_TUNNEL = Fact(True, "", _S18, _VPN_LIMITS, "C",
                               note="a flow (5-tuple) uses one tunnel, so ECMP adds capacity only for many flows")
# Checked: AWS's own Site-to-Site VPN skill ("Large tunnels are supported only on transit gateway and AWS
# Cloud WAN connections, not on a virtual private gateway"; the setting covers both tunnels of a
# connection) and the provider docs for TunnelBandwidth ("large supports up to 5 Gbps per tunnel. Not
# supported when vpnGatewayId is specified, or enableAcceleration is true"). The VPNTunnels page has a
# "Tunnel bandwidth options" section whose text was not returned.
VPN_LARGE_TUNNEL_GBPS = Fact(5.0, "Gbps", _S18, _VPN_TUNNELS, "S")
VPN_LARGE_TUNNEL_GATEWAYS = Fact(frozenset({"transit_gateway", "cloud_wan"}), "", _S18, _VPN_TUNNELS, "S",
                                 note="not a virtual private gateway; set per connection (both tunnels); "
                                      "costs more per hour")
VPN_LARGE_TUNNEL_NO_ACCELERATION = Fact(True, "", _S18, _VPN_TUNNELS, "S",
                                        note="large tunnels cannot be combined with an accelerated VPN")
# Value and source are kept as rules.md renders them: a VGW uses one active tunnel and no ECMP.
VGW_NO_ECMP = Fact(True, "", _S18, _VPN_ROUTING, "A")
VGW_ACTIVE_TUNNELS = Fact(1, "tunnels", _S18, _VPN_ROUTING, "A",
                          note="more throughput needs a transit gateway with ECMP, or large tunnels")

# --- §19 Direct Connect ------------------------------------------------------------------------------------------

_S19 = "§19 Direct Connect"
# Checked: the LAG page and the CreateLag API both list 1, 10, 100 and 400 Gbps dedicated connections.
DX_DEDICATED_SPEEDS_GBPS = Fact(frozenset({1, 10, 100, 400}), "Gbps", _S19, _DX_LAGS, "C")
DX_HOSTED_SPEEDS_MBPS = Fact(frozenset({50, 100, 200, 300, 400, 500, 1000, 2000, 5000, 10000, 25000}), "Mbps",
                             _S19, _DX_HOSTED, "C",
                             note="1 Gbps and up only from partners that meet AWS's requirements")
# Checked: the CreateConnection API says MACsec "is unavailable on hosted connections". AWS's Direct
# Connect skill adds that a partner can source MACsec on the interconnect hosting a customer connection.
DX_MACSEC_CONNECTION_TYPES = Fact(frozenset({"dedicated"}), "", _S19, _DX_MACSEC, "C",
                                  note="802.1AE, layer 2, point to point on the cross connect; enabled at creation")
DX_HIGH_RESILIENCY_LOCATIONS = Fact(2, "locations", _S19, _DX_HIGH, "A",
                                    note="one connection at each of two locations; 99.9% SLA per secondary "
                                         "sources")
DX_MAX_RESILIENCY_LOCATIONS = Fact(2, "locations", _S19, _DX_MAX, "A",
                                   note="separate connections on separate devices in more than one location; "
                                        "99.99% SLA per secondary sources")
# AWS's Direct Connect Resiliency Toolkit (AWS-authored skill, checked): maximum resiliency is two connections,
# on separate devices, at each of two locations; high is one at each of two; development and test has no SLA.
DX_MAX_RESILIENCY_CONNECTIONS_PER_LOCATION = Fact(2, "connections", _S19, _DX_MAX, "A",
                                                  note="separate devices at each location")
DX_MAX_RESILIENCY_TARGET = Fact(99.99, "%", _S19, _DX_MAX, "S",
                                note="service level target of the maximum resiliency model")
DX_HIGH_RESILIENCY_TARGET = Fact(99.9, "%", _S19, _DX_HIGH, "S",
                                 note="service level target of the high resiliency model; one location has none")

# --- §20 SQS ---------------------------------------------------------------------------------------------------------

_S20 = "§20 SQS"
SQS_VISIBILITY_TIMEOUT_S = Fact((0, 43200), "s", _S20, _SQS_VISIBILITY, "A", note="0 to 12 hours")
SQS_VISIBILITY_TIMEOUT_DEFAULT_S = Fact(30, "s", _S20, _SQS_VISIBILITY, "A")
SQS_RECEIVE_WAIT_S = Fact((0, 20), "s", _S20, _SQS_POLLING, "A",
                          note="0 is short polling (the default); above 0 is long polling")
SQS_LONG_POLL_MAX_S = Fact(20, "s", _S20, _SQS_POLLING, "A")
SQS_RETENTION_S = Fact((60, 14 * _DAY), "s", _S20, _SQS_MESSAGES, "C", note="60 seconds to 14 days")
SQS_RETENTION_DEFAULT_S = Fact(4 * _DAY, "s", _S20, _SQS_MESSAGES, "C", note="4 days")
SQS_MESSAGE_SIZE_BYTES = Fact((1024, 1_048_576), "bytes", _S20, _SQS_CREATE, "C",
                              note="MaximumMessageSize 1 KiB to 1 MiB, default 1 MiB. Notes error (outdated): "
                                   "the notes say 256 KiB", changed="2025")
SQS_MAX_RECEIVE_COUNT_MIN = Fact(1, "receives", _S20,
                                 "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/"
                                 "sqs-dead-letter-queues.html", "A",
                                 note="redrive maxReceiveCount; 1 moves a message to the DLQ after any failure")
SQS_LAMBDA_VISIBILITY_FACTOR = Fact(6, "x function timeout", _S20,
                                    "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html", "C",
                                    note="AWS recommends visibility >= 6 x the function timeout (plus the batching "
                                         "window); the mapping is rejected if the function timeout exceeds it")
SQS_FIFO_TPS = Fact(300, "transactions/s", _S20, _SQS_FIFO, "C",
                    note="per API action, without high-throughput mode")
SQS_FIFO_BATCHED_MESSAGES_PER_S = Fact(3000, "messages/s", _S20, _SQS_FIFO, "C",
                                       note="with batching of 10; high-throughput mode allows more, by Region")

# --- §21 SNS ----------------------------------------------------------------------------------------------------------

_S21 = "§21 SNS"
SNS_PROTOCOLS = Fact(frozenset({"http", "https", "email", "email-json", "sms", "sqs", "application", "lambda",
                                "firehose"}), "", _S21, _SNS_SUBSCRIBE, "C")
SNS_FIFO_PROTOCOLS = Fact(frozenset({"sqs"}), "", _S21, _SNS_FIFO, "C",
                          note="FIFO topics deliver to SQS FIFO and standard queues, not email, SMS, mobile or "
                               "HTTP. Notes error (outdated): the notes say SQS FIFO only")

# --- §22 Kinesis Data Streams and Amazon Data Firehose ------------------------------------------------------------

_S22 = "§22 Kinesis Data Streams and Firehose"
KINESIS_SHARD_IN_MB_S = Fact(1, "MB/s", _S22, _KDS_LIMITS, "A", note="per shard, or 1,000 records/s")
KINESIS_SHARD_IN_RECORDS_S = Fact(1000, "records/s", _S22, _KDS_LIMITS, "A", note="per shard")
KINESIS_SHARD_OUT_MB_S = Fact(2, "MB/s", _S22, _KDS_LIMITS, "A",
                              note="per shard, shared by all standard consumers")
KINESIS_RETENTION_H = Fact((24, 8760), "h", _S22,
                           "https://docs.aws.amazon.com/streams/latest/dev/key-concepts.html", "A",
                           note="24 hours by default, up to 365 days")
KINESIS_SHARED_LATENCY_MS = Fact(200, "ms", _S22, _KDS_CONSUMERS, "A", note="one standard consumer")
FIREHOSE_BUFFER_INTERVAL_S = Fact((0, 900), "s", _S22, _FIREHOSE_BUFFER, "C",
                                  note="Notes error (outdated): the minimum is 0 s, not 60 s", changed="2023")
FIREHOSE_BUFFER_INTERVAL_DEFAULT_S = Fact(300, "s", _S22, _FIREHOSE_BUFFER, "C")
FIREHOSE_BUFFER_SIZE_MIB = Fact((1, 128), "MiB", _S22, _FIREHOSE_BUFFER, "C")

# --- §23 Step Functions ---------------------------------------------------------------------------------------------

_S23 = "§23 Step Functions"
SFN_STANDARD_MAX_DURATION_S = Fact(365 * _DAY, "s", _S23, _SFN, "A",
                                   note="one year; exactly-once, billed per state transition")
SFN_EXPRESS_MAX_DURATION_S = Fact(300, "s", _S23, _SFN, "A", note="five minutes")
SFN_EXPRESS_SEMANTICS = Fact(("async: at-least-once", "sync: at-most-once"), "", _S23, _SFN, "A",
                             note="Notes error (incomplete): at-least-once holds only for asynchronous Express")

# --- §24 API Gateway -------------------------------------------------------------------------------------------------

_S24 = "§24 API Gateway"
APIGW_ACCOUNT_RPS = Fact(10000, "requests/s", _S24, _APIGW_LIMITS, "A", adjustable=True,
                         note="per account per Region")
APIGW_ACCOUNT_BURST = Fact(5000, "requests", _S24, _APIGW_LIMITS, "A", adjustable=True)
APIGW_INTEGRATION_TIMEOUT_MS = Fact((50, 29000), "ms", _S24,
                                    "https://docs.aws.amazon.com/apigateway/latest/developerguide/"
                                    "api-gateway-execution-service-limits-table.html", "C",
                                    note="29 s is the default maximum; Notes error (outdated): it is not a hard cap "
                                         "for Regional and private REST APIs", changed="2024")
# Checked: the API Gateway V2 API model text for TimeoutInMillis (CloudFormation
# AWS::ApiGatewayV2::Integration and the SDK/CLI references built from it): "Custom timeout between 50 and
# 29,000 milliseconds for WebSocket APIs and between 50 and 30,000 milliseconds for HTTP APIs. The default
# timeout is 29 seconds for WebSocket APIs and 30 seconds for HTTP APIs."
APIGW_HTTP_INTEGRATION_TIMEOUT_MS = Fact((50, 30000), "ms", _S24,
                                         "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/"
                                         "aws-resource-apigatewayv2-integration.html", "C",
                                         note="HTTP APIs: 50 ms to 30 s, default 30 s, not raisable; WebSocket "
                                              "APIs: 50 ms to 29 s")
APIGW_TIMEOUT_RAISABLE_ENDPOINTS = Fact(frozenset({"regional", "private"}), "", _S24, _APIGW_TIMEOUT, "C",
                                        note="REST APIs only (since June 2024); not edge-optimized REST APIs or "
                                             "HTTP APIs; raising it may lower the account throttle quota")
# Checked: only secondary sources give the ceiling (a re:Post answer: "up to a maximum of 300 seconds";
# a Terraform provider issue: 300,000 ms).
APIGW_RAISED_TIMEOUT_MAX_MS = Fact(300_000, "ms", _S24,
                                   "https://repost.aws/questions/QUlDTc_17EQ_mOJAhR3LHNDw/"
                                   "what-the-maximum-default-timeout-for-api-gateway-can-be-increased-to-after-"
                                   "applying-for-a-service-quotas-limit-increase", "S", adjustable=True,
                                   note="by Service Quotas request; AWS's own pages name no upper bound")
# Changed (fact sheet §34): REST response streaming (responseTransferMode STREAM, HTTP_PROXY or AWS_PROXY)
# allows integrations of up to 15 minutes on every REST endpoint type, edge-optimized included.
APIGW_STREAMING_TIMEOUT_MS = Fact(900_000, "ms", _S24,
                                  "https://docs.aws.amazon.com/apigateway/latest/developerguide/response-transfer-mode.html",
                                  "C", note="idle timeout 5 minutes (Regional, private) or 30 s (edge-optimized)")
APIGW_AUTHORIZERS = Fact(frozenset({"iam", "lambda", "cognito"}), "", _S24, _APIGW_ACCESS, "A")
APIGW_WAF_API_TYPES = Fact(frozenset({"rest"}), "", _S24, _APIGW_ACCESS, "A",
                           note="AWS WAF protects REST APIs")

# --- §25 Lambda -------------------------------------------------------------------------------------------------------

_S25 = "§25 Lambda"
LAMBDA_TIMEOUT_MAX_S = Fact(900, "s", _S25, _LAMBDA_LIMITS, "A", note="15 minutes")
LAMBDA_MEMORY_MB = Fact((128, 10240), "MB", _S25, _LAMBDA_LIMITS, "A", note="1 MB steps")
LAMBDA_EPHEMERAL_MB = Fact((512, 10240), "MB", _S25, _LAMBDA_LIMITS, "A", note="/tmp")
# Changed (fact sheet §34): Lambda Managed Instances and durable functions run longer.
LAMBDA_MANAGED_INSTANCES_TIMEOUT_MAX_S = Fact(5400, "s", _S25,
                                              "https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html",
                                              "C", note="90 minutes, for asynchronous and event source mapping "
                                                        "invocations (not Amazon MQ or DocumentDB); synchronous "
                                                        "invocations still stop at 15 minutes")
LAMBDA_DURABLE_EXECUTION_MAX_S = Fact(31_622_400, "s", _S25,
                                      "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/"
                                      "sam-property-function-durableconfig.html", "C",
                                      note="DurableConfig ExecutionTimeout, one 366-day year across checkpointed "
                                           "invocations; synchronous invocations stop at 15 minutes")

# --- §26 Route 53 -----------------------------------------------------------------------------------------------------

_S26 = "§26 Route 53"
ROUTE53_ROUTING_POLICIES = Fact(frozenset({"simple", "failover", "geolocation", "geoproximity", "latency",
                                           "ip_based", "multivalue", "weighted"}), "", _S26, _R53_POLICIES, "A")
ROUTE53_MULTIVALUE_MAX_RECORDS = Fact(8, "records", _S26,
                                      "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/"
                                      "routing-policy-multivalue.html", "A", note="healthy records per answer")
ROUTE53_WEIGHT_RANGE = Fact((0, 255), "", _S26,
                            "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/"
                            "resource-record-sets-values-weighted.html", "A",
                            note="0 sends no traffic; when all are 0, traffic is split equally")
ROUTE53_GEOLOCATION_NEEDS_DEFAULT = Fact(True, "", _S26,
                                         "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/"
                                         "routing-policy-geo.html", "A",
                                         note="without a default record, unmapped locations get no answer")
ROUTE53_FAILOVER_NEEDS_HEALTH_CHECK = Fact(True, "", _S26,
                                           "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/"
                                           "health-checks-how-route-53-chooses-records.html", "A",
                                           note="a record without a health check counts as healthy, so the primary "
                                                "needs one (or evaluate-target-health); the API does not enforce it")

# --- §27 CloudFront ---------------------------------------------------------------------------------------------------

_S27 = "§27 CloudFront"
CLOUDFRONT_S3_ACCESS_CONTROL = Fact("oac", "", _S27, _CF_S3, "A",
                                    note="origin access control is recommended over the legacy OAI")
CLOUDFRONT_OAC_NOT_FOR_WEBSITE_ENDPOINTS = Fact(True, "", _S27, _CF_S3, "A",
                                                note="S3 website endpoints are custom origins")
CLOUDFRONT_WAF_REGION = Fact("us-east-1", "", _S27, _WAF_RESOURCES, "C",
                             note="a web ACL for CloudFront is global and created in us-east-1")

# --- §28 Shield and WAF ----------------------------------------------------------------------------------------------

_S28 = "§28 Shield and WAF"
SHIELD_STANDARD_AUTOMATIC = Fact(True, "", _S28,
                                 "https://docs.aws.amazon.com/waf/latest/developerguide/ddos-standard-summary.html",
                                 "A",
                                 note="free, always on, layer 3 and 4")
# Checked: several secondary sources agree; AWS's pricing page itself was not read. For cost advice only.
SHIELD_ADVANCED_MONTHLY_USD = Fact(3000, "USD/month", _S28, "https://aws.amazon.com/shield/pricing/",
                                   "unverified-but-checked:secondary sources agree on $3,000 a month per "
                                   "organization with a one-year auto-renewing commitment",
                                   note="plus data transfer out fees; billed to the organization's payer account")
WAF_RESOURCE_TYPES = Fact(frozenset({"cloudfront_distribution", "api_gateway_rest", "alb", "appsync",
                                     "cognito_user_pool", "app_runner", "verified_access", "amplify",
                                     "bedrock_agentcore_gateway"}), "", _S28, _WAF_RESOURCES, "C",
                          note="Notes error (incomplete): the notes lack Amplify and Bedrock AgentCore Gateway; "
                               "never an NLB or an EC2 instance")

# --- §29 Disaster recovery --------------------------------------------------------------------------------------------

_S29 = "§29 Disaster recovery"
# The seconds are our reading of AWS's words, as (best, worst): "hours" = 1-24 h, "minutes" = 1-60 min,
# "tens of minutes" = 10-60 min, "seconds" = 1-60 s, "near zero" = under a second. Rules should compare a
# workload's RTO/RPO against the worst value and word findings with AWS's wording, not our numbers.
DR_BACKUP_RESTORE = Fact(DrStrategy("backup_restore", (5 * _MINUTE, 24 * _HOUR), (1 * _HOUR, 24 * _HOUR),
                                    "RPO in hours, RTO in 24 hours or less"),
                         "", _S29, _DR, _CHECKED_DR,
                         note="continuous backups with point-in-time recovery can lower RPO to about 5 minutes")
DR_PILOT_LIGHT = Fact(DrStrategy("pilot_light", (1 * _MINUTE, 1 * _HOUR), (10 * _MINUTE, 1 * _HOUR),
                                 "RPO in minutes, RTO in tens of minutes"),
                      "", _S29, _DR, _CHECKED_DR, note="older versions of the pillar say RTO in hours")
DR_WARM_STANDBY = Fact(DrStrategy("warm_standby", (1, 1 * _MINUTE), (1 * _MINUTE, 10 * _MINUTE),
                                  "RPO in seconds, RTO in minutes"),
                       "", _S29, _DR, _CHECKED_DR, note="fully scaled, it is a hot standby")
DR_ACTIVE_ACTIVE = Fact(DrStrategy("active_active", (0, 1), (0, 1 * _MINUTE),
                                   "RPO near zero, RTO potentially zero"),
                        "", _S29, _DR, _CHECKED_DR, note="multi-site active/active across Regions")

# The strategies themselves, which REL901 and REL903 rest on, are AWS's words (REL13-BP02).
DR_STRATEGIES = Fact(("backup_restore", "pilot_light", "warm_standby", "active_active"), "", _S29, _DR, "C",
                     note="REL13-BP02 names backup and restore, standby (pilot light, warm standby) and "
                          "active/active; each recovers into a recovery site or Region")

# --- §30 IAM ----------------------------------------------------------------------------------------------------------

_S30 = "§30 IAM"
IAM_EXPLICIT_DENY_WINS = Fact(True, "", _S30, _IAM_EVAL, "A",
                              note="implicit deny by default; boundaries, SCPs and session policies intersect")
IAM_CROSS_ACCOUNT_BOTH_ALLOW = Fact(True, "", _S30,
                                    "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
                                    "reference_policies_evaluation-logic-cross-account.html", "A",
                                    note="the caller's account and the resource's account must both allow")
IAM_POLICY_VERSION = Fact("2012-10-17", "", _S30, _IAM_ELEMENTS, "A")
IAM_POLICY_ELEMENTS = Fact(frozenset({"Version", "Id", "Statement", "Sid", "Effect", "Principal", "NotPrincipal",
                                      "Action", "NotAction", "Resource", "NotResource", "Condition"}), "",
                           _S30, _IAM_ELEMENTS, "A")
IAM_IDENTITY_POLICY_NO_PRINCIPAL = Fact(True, "", _S30, _IAM_ELEMENTS, "A",
                                        note="Principal and NotPrincipal belong in resource-based policies")
IAM_GROUPS_NEST = Fact(False, "", _S30, "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html", "A",
                       note="a group is not a principal either")
# Checked: AWS's knowledge center says the default is 10 and it can be raised to 20; the "20/25"
# figures some 2026 sources give were not found in AWS text.
IAM_MANAGED_POLICIES_PER_ROLE = Fact(10, "policies", _S30, _IAM_QUOTAS, "A", adjustable=True,
                                     note="quota L-0DA4ABF3; can be raised to 20; the same applies to users")
IAM_MANAGED_POLICIES_PER_ROLE_MAX = Fact(20, "policies", _S30, _IAM_QUOTAS, "A")
SCP_EXEMPTS_MANAGEMENT_ACCOUNT = Fact(True, "", _S30,
                                      "https://docs.aws.amazon.com/organizations/latest/userguide/"
                                      "orgs_manage_policies_scps.html", "A")
RCP_EXEMPTS_MANAGEMENT_ACCOUNT = Fact(True, "", _S30,
                                      "https://docs.aws.amazon.com/organizations/latest/userguide/"
                                      "orgs_manage_policies_rcps.html", "C",
                                      note="RCPs cap resource permissions in member accounts and grant nothing")
PERMISSIONS_BOUNDARY_PRINCIPALS = Fact(frozenset({"iam_user", "iam_role"}), "", _S30,
                                       "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",
                                       "A", note="not groups")

# --- §31 Well-Architected and global infrastructure -------------------------------------------------------------

_S31 = "§31 Well-Architected and global infrastructure"
WA_PILLARS = Fact(("operational-excellence", "security", "reliability", "performance-efficiency",
                   "cost-optimization", "sustainability"), "", _S31,
                  "https://docs.aws.amazon.com/wellarchitected/latest/sustainability-pillar/sustainability-pillar.html",
                  "C", note="sustainability was added at re:Invent 2021")
LOCAL_ZONES = Fact(frozenset({"local_zone", "wavelength_zone", "outpost"}), "", _S31,
                  "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-regions-availability-zones.html", "C",
                  note="Local Zones and Wavelength Zones (5G) extend one parent Region; Outposts run AWS "
                       "infrastructure on premises")
REGION_MIN_AZS = Fact(3, "AZs", _S31,
                      "https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html",
                      "C", note="every Region has at least three")
EDGE_SERVICES = Fact(frozenset({"cloudfront", "route53", "global_accelerator"}), "", _S31,
                     "https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/"
                     "points-of-presence.html", "C", note="run at edge points of presence")
# Not in the fact sheet; added for a sustainability rule after a lookup. AWS's ML Lens (MLSUS-12) says
# Graviton3 instances "use up to 60% less energy than comparable EC2 instances". Advice only.
GRAVITON_ENERGY_SAVING_PCT = Fact(60, "%", "not on the fact sheet (Graviton, sustainability)",
                                  "https://docs.aws.amazon.com/wellarchitected/latest/machine-learning-lens/mlsus-12.html",
                                  "C", note="up to, Graviton3 against comparable EC2 instances for the same "
                                            "performance; an AWS claim, not a measurement of this workload")

# x86 families and the Graviton3 family of the same class: general purpose, compute and memory to m7g, c7g
# and r7g; network-optimised compute to c7gn; local NVMe storage to m7gd, c7gd and r7gd. Families with no
# Graviton3 family of their class (m5n, m6in, r5n, r6in, r5b, m5zn, r7iz) get none. Graviton3 because AWS's
# energy figure (GRAVITON_ENERGY_SAVING_PCT) is about it; Graviton4 (the 8g families) is the current generation.
GRAVITON_FAMILY_OF = Fact(MappingProxyType({
    **{name: "m7g" for name in "m4 m5 m5a m6i m6a m7i m7i-flex m7a".split()},
    **{name: "c7g" for name in "c4 c5 c5a c6i c6a c7i c7i-flex c7a".split()},
    **{name: "r7g" for name in "r4 r5 r5a r6i r6a r7i r7a".split()},
    **{name: "c7gn" for name in "c5n c6in".split()},
    **{name: "m7gd" for name in "m5d m5ad m6id".split()},
    **{name: "c7gd" for name in "c5d c5ad c6id".split()},
    **{name: "r7gd" for name in "r5d r5ad r6id".split()}}),
    "", "not on the fact sheet (Graviton, sustainability)", "https://aws.amazon.com/ec2/graviton/",
    "unverified-but-checked:AWS's aws-graviton-getting-started names the Graviton3 families (C7g, M7g, R7g, "
    "C7gn, the d variants) and Graviton4 R8g; the RDS user guides name db.r8g as Graviton4",
    note="Graviton4 (m8g, c8g, r8g ...) is the current generation; the energy claim is Graviton3's")
# The sizes each Graviton3 family offers; a size with no counterpart (24xlarge, 48xlarge) gets no suggestion.
GRAVITON_SIZES = Fact(("medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"), "",
                      "not on the fact sheet (Graviton, sustainability)", "https://aws.amazon.com/ec2/instance-types/",
                      "unverified-but-checked:the Graviton3 families' size lists as the EC2 instance types pages "
                      "show them (no 24xlarge or 48xlarge)")
GRAVITON_METAL_FAMILIES = Fact(frozenset({"m7g", "c7g", "r7g"}), "", "not on the fact sheet (Graviton, sustainability)",
                               "https://aws.amazon.com/ec2/instance-types/",
                               "unverified-but-checked:m7g, c7g and r7g offer one `.metal` size; x86 `.metal-24xl` "
                               "and `.metal-48xl` map to it",
                               note="families with a bare-metal size")
# Region code prefix -> the geography the format's requirements.user_locations uses.
REGION_GEOGRAPHY = Fact(MappingProxyType({
    "us": "north_america", "ca": "north_america", "mx": "north_america", "sa": "south_america",
    "eu": "europe", "me": "middle_east", "il": "middle_east", "af": "africa", "ap": "asia_pacific",
    "cn": "asia_pacific"}), "", _S31,
    "https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html",
    "unverified-but-checked:Region codes and names as AWS lists them (e.g. the AWS Solutions supported-Regions "
    "tables); mapping a prefix to a geography is our reading",
    note="Oceania Regions share the ap- prefix: see REGION_OCEANIA")
REGION_OCEANIA = Fact(frozenset({"ap-southeast-2", "ap-southeast-4", "ap-southeast-6"}), "", _S31,
                      "https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html",
                      "unverified-but-checked:Sydney, Melbourne and New Zealand (Auckland) as AWS names them",
                      note="ap- Regions in Australia and New Zealand")

# --- §32 Auto Scaling and NAT gateway ---------------------------------------------------------------------------

_S32 = "§32 Auto Scaling and NAT gateway"
ASG_REPLACES_UNHEALTHY = Fact(True, "", _S32,
                              "https://docs.aws.amazon.com/autoscaling/ec2/userguide/auto-scaling-benefits.html", "A",
                              note="spans AZs and launches in another AZ when one fails")
NAT_GATEWAY_GBPS = Fact((5, 100), "Gbps", _S32, _NAT, "A", note="starts at 5 Gbps and scales to 100 Gbps")
NAT_ZONAL_ONE_AZ = Fact(True, "", _S32, _NAT, "A",
                        note="for AZ independence, one zonal gateway per AZ with per-AZ routes. Notes error "
                             "(outdated): 'NAT gateways are AZ-scoped' now holds only for zonal gateways")
NAT_REGIONAL_SPANS_AZS = Fact(True, "", _S32, _NAT_REGIONAL, "C",
                              note="one gateway that spans AZs automatically and needs no public subnet")

# --- §33 File storage and transfer ------------------------------------------------------------------------------

_S33 = "§33 File storage and transfer"
EFS_PROTOCOLS = Fact(frozenset({"NFSv4.0", "NFSv4.1"}), "", _S33, _EFS, "A",
                     note="no Windows clients")
EFS_UNSUPPORTED_CLIENTS = Fact(frozenset({"windows"}), "", _S33, _EFS, "A")
EFS_MULTI_AZ_STORAGE_CLASSES = Fact(frozenset({"standard"}), "", _S33, _EFS, "A",
                                    note="Notes error (incomplete): One Zone file systems live in one AZ")
STORAGE_GATEWAY_TYPES = Fact(frozenset({"s3_file", "fsx_file", "tape", "volume"}), "", _S33,
                             _STORAGE_GATEWAY, "A")
STORAGE_GATEWAY_CLOSED_TO_NEW = Fact(frozenset({"fsx_file"}), "", _S33,
                                     "https://docs.aws.amazon.com/storagegateway/latest/APIReference/Welcome.html", "C",
                                     note="Notes error (outdated): FSx File Gateway is closed to new customers; do "
                                          "not recommend it for new designs. The Storage Gateway API reference and "
                                          "SDK docs: 'no longer available to new customers. Existing customers of "
                                          "FSx File Gateway can continue to use the service normally'")

# -- Containers, security services and event plumbing (issue 16) ---------------------------------
_CONTAINERS = "not on the fact sheet (containers)"
_SECURITY_SERVICES = "not on the fact sheet (security services)"
_ENCRYPTION = "not on the fact sheet (encryption)"
COMPUTE_SLA_MULTI_AZ = Fact(99.99, "%", _CONTAINERS, "https://aws.amazon.com/compute/sla/",
                            "unverified-but-checked:the Compute SLA's archived version (May 2022, "
                            "aws.amazon.com/compute/sla/historical) gives 99.99% only to EC2, ECS and Fargate "
                            "running in two or more AZs; the instance-level 99.5% seen in a secondary source",
                            note="the Region-level SLA covers instances or tasks spread over two or more AZs; a "
                                 "single instance has the instance-level SLA of 99.5%")
COMPUTE_SLA_SINGLE_INSTANCE = Fact(99.5, "%", _CONTAINERS, "https://aws.amazon.com/compute/sla/", "S",
                                   note="the instance-level SLA: one instance or task may be down about 3.6 hours a "
                                        "month within it")
SINGLE_INSTANCE_AVAILABILITY_LIMIT = Fact(99.95, "%", _CONTAINERS, "https://aws.amazon.com/compute/sla/",
                                          "unverified-but-checked:wavalidate's threshold, not an AWS number: "
                                          "99.95% leaves about 22 minutes a month, which one instance's failure "
                                          "(detection, launch, boot, health checks) can use up; above the "
                                          "instance-level SLA of 99.5%",
                                          note="an Auto Scaling group that may shrink to one instance cannot meet "
                                               "this target through an instance failure")
ECS_SERVICE_AZ_SPREAD = Fact(True, "", _CONTAINERS,
                             "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-rebalancing.html",
                             "C",
                             note="ECS spreads a service's tasks over the AZs of its subnets and, since June 2025, "
                                  "rebalances them by default for new services; subnets in one AZ keep every task "
                                  "there")
FARGATE_SPOT_INTERRUPTION_S = Fact(120, "s", _CONTAINERS,
                                   "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/"
                                   "fargate-capacity-providers.html", "C",
                                   note="Fargate Spot tasks are interrupted with a two-minute warning when AWS needs "
                                        "the capacity; Fargate Spot runs Linux x86_64 tasks only")
FARGATE_SPOT_PLATFORMS = Fact(frozenset({("linux", "x86_64")}), "", _CONTAINERS,
                              "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/"
                              "fargate-capacity-providers.html", "C",
                              note="Fargate Spot runs only Linux tasks on X86_64: not ARM64, not Windows")
EKS_PUBLIC_ENDPOINT_DEFAULT = Fact(True, "", _CONTAINERS,
                                   "https://docs.aws.amazon.com/eks/latest/APIReference/API_VpcConfigRequest.html",
                                   "C",
                                   note="the API server endpoint is public by default and publicAccessCidrs defaults "
                                        "to 0.0.0.0/0")
EC2_IMDSV2 = Fact(True, "", "not on the fact sheet (EC2)",
                  "https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/ec2/aws.sdk.kotlin.services.ec2.model/"
                  "-launch-template-instance-metadata-options-request/http-tokens.html", "C",
                  note="IMDSv1 answers any request without a session token, which server-side request forgery "
                       "exploits; HttpTokens=required leaves only IMDSv2")
KMS_ROTATION_DAYS = Fact((90, 2560), "days", _SECURITY_SERVICES,
                         "https://docs.aws.amazon.com/kms/latest/developerguide/rotating-keys-enable.html", "C",
                         note="automatic rotation of a symmetric customer managed key is off until enabled; the "
                              "default period is 365 days, 90 to 2560 days allowed")
SECRETS_ROTATION = Fact(True, "", _SECURITY_SERVICES,
                        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html",
                        "unverified-but-checked:Secrets Manager User Guide 'Rotate secrets' (managed rotation or a "
                        "rotation function on a schedule); the page was not re-read for this fact",
                        note="a secret is not rotated until rotation is configured")
ENCRYPTED_AT_REST_ALWAYS = Fact(frozenset({"s3_bucket", "dynamodb_table", "fsx_file_system", "backup_plan",
                                           "sqs_queue"}), "", _ENCRYPTION,
                                "https://docs.aws.amazon.com/wellarchitected/latest/security-pillar/"
                                "sec_protect_data_rest_encrypt.html",
                                "unverified-but-checked:each service's documentation: S3 applies SSE-S3 to new "
                                "objects since January 2023, DynamoDB and FSx always encrypt, Backup vaults always "
                                "encrypt, new SQS queues use SSE-SQS by default since October 2022",
                                note="stores that are encrypted at rest whatever the settings (SQS unless "
                                     "`encryption: none`); EBS, EFS, RDS, Aurora, ElastiCache, SNS and Kinesis are "
                                     "encrypted only when asked")
KMS_CUSTOMER_MANAGED_CONTROL = Fact(True, "", _ENCRYPTION,
                                    "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html",
                                    "unverified-but-checked:KMS Developer Guide 'AWS KMS concepts' (customer managed "
                                    "keys: your key policy, rotation and deletion; AWS managed keys: policy not "
                                    "editable); the page was not re-read for this fact",
                                    note="only a customer managed key lets the owner limit and revoke who decrypts, "
                                         "and separate the key's administrators from the data's users")
ELASTICACHE_TRANSIT_ENCRYPTION = Fact(True, "", _S12,
                                      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html",
                                      "C",
                                      note="TLS is on only when TransitEncryptionEnabled is set (serverless caches "
                                           "always); without it cache traffic and AUTH tokens cross the VPC in clear "
                                           "text")
RDS_REQUIRE_TLS = Fact(frozenset({"rds.force_ssl", "require_secure_transport"}), "", _S9,
                       "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html",
                       "unverified-but-checked:RDS User Guide 'Using SSL/TLS to encrypt a connection to a DB "
                       "instance'; the page was not re-read for this fact",
                       note="RDS accepts TLS, but only these parameters make the server refuse clear-text clients")
ACCESS_LOGS_OFF_BY_DEFAULT = Fact(True, "", _S13,
                                  "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/"
                                  "load-balancer-access-logs.html",
                                  "unverified-but-checked:ELB access logs ('disabled by default'), CloudFront standard "
                                  "logs, S3 server access logging and API Gateway access logging are each opt-in",
                                  note="load balancer, CloudFront, S3 and API Gateway access logs exist only once "
                                       "enabled")
ALB_HTTP_REDIRECT = Fact(True, "", _S14,
                         "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html",
                         "unverified-but-checked:ALB User Guide 'Listeners for your Application Load Balancers' "
                         "(HTTP listeners, redirect actions to HTTPS); the page was not re-read for this fact",
                         note="an HTTP listener carries requests in clear text unless its action only redirects to "
                              "HTTPS")
SQS_DLQ_RETENTION = Fact(True, "", _S20,
                         "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/"
                         "setting-up-dead-letter-queue-retention.html", "C",
                         note="a standard queue's message keeps its original enqueue time in the dead-letter queue, "
                              "so the DLQ's retention must be longer than the source's; FIFO queues reset it")
LAMBDA_PARTIAL_BATCH_RESPONSE = Fact(True, "", _S25,
                                     "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html",
                                     "C",
                                     note="without ReportBatchItemFailures a failed batch makes every message visible "
                                          "again, those already processed included")
EVENTBRIDGE_TARGET_RETRY = Fact((185, 24 * _HOUR), "attempts, s", "not on the fact sheet (EventBridge)",
                                "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html",
                                "C",
                                note="a rule's target is retried for 24 hours and up to 185 times by default; then the "
                                     "event is dropped unless the target has a dead-letter queue")
NETWORK_FIREWALL_ENDPOINT_PER_AZ = Fact(True, "", "not on the fact sheet (Network Firewall)",
                                        "https://docs.aws.amazon.com/network-firewall/latest/developerguide/"
                                        "firewalls.html", "C",
                                        note="one subnet, and so one firewall endpoint, per AZ; AWS advises an "
                                             "endpoint in every AZ that has workloads, for AZ independence")


# --- Tables rules look things up in -----------------------------------------------------------------------------------
# Derived from the facts above; cite the Fact (the *_FACTS tables) rather than the bare value.

EBS_TYPE_FACTS: Mapping[str, Fact[EbsType]] = MappingProxyType({
    "gp3": EBS_GP3, "gp2": EBS_GP2, "io1": EBS_IO1, "io2": EBS_IO2, "st1": EBS_ST1, "sc1": EBS_SC1})
EBS_TYPES: Mapping[str, EbsType] = MappingProxyType({name: f.value for name, f in EBS_TYPE_FACTS.items()})
RDS_READ_REPLICA_FACTS: Mapping[str, Fact[int]] = MappingProxyType({
    "mysql": RDS_READ_REPLICAS_MAX, "mariadb": RDS_READ_REPLICAS_MAX, "postgres": RDS_READ_REPLICAS_MAX,
    "sqlserver": RDS_SQLSERVER_READ_REPLICAS_MAX, "oracle": RDS_ORACLE_READ_REPLICAS_MAX,
    "db2": RDS_DB2_READ_REPLICAS_MAX})
ELB_LISTENER_PROTOCOL_FACTS: Mapping[str, Fact[frozenset[str]]] = MappingProxyType({
    "alb": ALB_LISTENER_PROTOCOLS, "nlb": NLB_LISTENER_PROTOCOLS, "gwlb": GWLB_LISTENER_PROTOCOLS})
# Cheapest first, which is also slowest recovery first.
DR_STRATEGY_FACTS: tuple[Fact[DrStrategy], ...] = (DR_BACKUP_RESTORE, DR_PILOT_LIGHT, DR_WARM_STANDBY, DR_ACTIVE_ACTIVE)

# Public UPPER_CASE names that are not a Fact themselves (besides TABLES).
TABLES = ("EBS_TYPE_FACTS", "EBS_TYPES", "RDS_READ_REPLICA_FACTS", "ELB_LISTENER_PROTOCOL_FACTS",
          "DR_STRATEGY_FACTS")

_FIRM_TAGS = ("A", "C")


def all_facts() -> dict[str, Fact[Any]]:
    """Every Fact constant in this module, by name."""
    return {name: value for name, value in globals().items() if isinstance(value, Fact)}


def cite(*facts: Fact[Any]) -> tuple[str, ...]:
    """The facts' source URLs, each once, in the order given."""
    seen: dict[str, None] = {}
    for fact in facts:
        seen.setdefault(fact.source, None)
    return tuple(seen)


def prefer_warning(*facts: Fact[Any]) -> bool:
    """True when a rule built on these facts should warn rather than error.

    That is when any of them is an adjustable quota, or was not confirmed in current or archived
    AWS documentation (tag other than "A" or "C").
    """
    return any(fact.adjustable or fact.tag not in _FIRM_TAGS for fact in facts)


def in_range(value: float, fact: Fact[tuple[float, float]]) -> bool:
    """Whether value lies within a (min, max) range fact, inclusive."""
    low, high = fact.value
    return low <= value <= high


# -- added for compute (rules/wavalidate_rules/compute.py) --------------------------------------------------
# §4: "same instance type, one launch request advised" for cluster placement groups.
CLUSTER_PLACEMENT_SAME_TYPE_ADVISED = Fact(True, "", "§4 Placement groups",
                                           "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/placement-groups.html",
                                           "A", note="launch one instance type in a single request; mixing types or "
                                                     "adding later makes insufficient capacity errors likelier")

# -- added for serverless
SNS_SQS_NEEDS_QUEUE_POLICY = Fact(True, "", "§21 SNS", "https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html",
                                  "unverified-but-checked:not on the fact sheet; the AWS SDK for .NET SubscribeQueue "
                                  "docs show the "
                                  "queue policy SNS needs (Allow sqs:SendMessage, aws:SourceArn = the topic)",
                                  note="the queue's policy must let the topic call sqs:SendMessage")

# -- added for fundamentals and network (rules/wavalidate_rules/fundamentals.py, network.py) --------------------
# Not on the fact sheet: AWS's ENI page text ("both the network interface and the instance must reside in the
# same Availability Zone") was seen quoted with its URL in a public repository; the page itself was not read.
# Checked: the archived EC2 User Guide (awsdocs markdown of using-eni): "You can attach a network interface in one
# subnet to an instance in another subnet in the same VPC; however, both the network interface and the instance
# must reside in the same Availability Zone."
ENI_SAME_AZ = Fact(True, "", "not on the fact sheet (ENIs)",
                   "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-eni.html", "A",
                   note="an ENI attaches to instances in other subnets of the VPC, but only in its own AZ")
# Not on the fact sheet: public IPv4 addresses, Elastic IPs included, are billed hourly whether in use or idle
# (since February 2024); seen in secondary quotes of AWS. Do not hard-code the price.
PUBLIC_IPV4_HOURLY_CHARGE = Fact(True, "", "not on the fact sheet (Elastic IPs)",
                                 "https://aws.amazon.com/vpc/pricing/", "S",
                                 note="an idle Elastic IP is billed like any public IPv4 address")

# -- added for edge
CLOUDFRONT_VIEWER_PROTOCOL_POLICIES = Fact(frozenset({"allow_all", "redirect_to_https", "https_only"}), "",
                                           "§27 CloudFront",
                                           "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DefaultCacheBehavior.html",
                                           "unverified-but-checked:not on the fact sheet; the SDK and Security Hub API "
                                           "references list allow-all, redirect-to-https (301) and https-only (403)",
                                           note="allow_all lets viewers use plain HTTP")

# -- added for monitoring
ALB_MIN_AZS = Fact(2, "AZs", "§14 Elastic Load Balancing",
                   "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
                   "C", note="the CreateLoadBalancer and SetSubnets API text: '[Application Load Balancers] You must "
                             "specify subnets from at least two Availability Zones' (Outposts and Local Zones differ)")

# -- added for automation
CFN_DRIFT_DETECTION = Fact(True, "", "not on the fact sheet (IaC)",
                           "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-drift.html",
                           "unverified-but-checked:not on the fact sheet; the course notes list drift detection as an "
                           "IaC benefit and CloudFormation documents DetectStackDrift",
                           note="drift = resources changed outside the stack")
CFN_STACKS_BY_LIFECYCLE = Fact(True, "", "not on the fact sheet (IaC)",
                               "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/best-practices.html",
                               "unverified-but-checked:not on the fact sheet; AWS's CloudFormation best practices "
                               "('organize your stacks by lifecycle and ownership'), as quoted by secondary sources",
                               note="lower layers (network, security) change least and are depended on by higher ones")

# -- added for fundamentals (rules/wavalidate_rules/fundamentals.py)
# Not on the fact sheet: "Each subnet must reside entirely within one Availability Zone and cannot span zones",
# AWS VPC user guide text seen quoted verbatim by several secondary sources; the page itself was not read.
# Checked: the EC2 API CreateSubnet takes one AvailabilityZone (or Local Zone) per subnet (SDK reference on
# docs.aws.amazon.com); the VPC guide's "Each subnet must reside entirely within one Availability Zone and cannot
# span zones" is quoted verbatim in copies of the guide.
SUBNET_ONE_AZ = Fact(True, "", "not on the fact sheet (subnets)",
                     "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSubnet.html", "C",
                     note="a resource launched into a subnet runs in that subnet's AZ")

# -- added for IAM (rules/wavalidate_rules/iam.py, wavalidate/access.py) ---------------------------------------------
IAM_WORKLOADS_USE_ROLES = Fact(True, "", "not on the fact sheet (IAM credentials)",
                               "https://docs.aws.amazon.com/wellarchitected/latest/framework/sec_identities_unique.html",
                               "C", note="SEC02-BP02: use temporary credentials; long-term access keys for machine "
                                         "identities are a named anti-pattern (instance profiles, Lambda execution "
                                         "roles)")
IAM_MFA_FOR_HUMANS = Fact(True, "", "not on the fact sheet (IAM credentials)",
                          "https://docs.aws.amazon.com/wellarchitected/latest/framework/sec_identities_enforce_mechanisms.html",
                          "C", note="SEC02-BP01 (use strong sign-in mechanisms): 'Enforce multi-factor authentication "
                                    "(MFA)'; console passwords without MFA are a single factor")
S3_PUBLIC_POLICY_MEANING = Fact(frozenset({"aws:SourceIp", "aws:SourceArn", "aws:SourceVpc", "aws:SourceVpce",
                                           "aws:SourceOwner", "aws:SourceAccount",
                                           "s3:x-amz-server-side-encryption-aws-kms-key-id", "aws:userid"}), "",
                                "§8 S3",
                                "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PublicAccessBlockConfiguration.html",
                                "C", note="a bucket policy is public unless it fixes one of these keys (or names fixed "
                                          "principals); BlockPublicPolicy rejects a public policy, "
                                          "RestrictPublicBuckets "
                                          "limits a public one to the owner account and AWS services")
IAM_LEAST_PRIVILEGE = Fact(True, "", "not on the fact sheet (IAM permissions)",
                           "https://docs.aws.amazon.com/wellarchitected/latest/framework/sec_permissions_least_privileges.html",
                           "C", note="SEC03-BP02: 'Grant only the access that users require to perform specific "
                                     "actions "
                                     "on specific resources under specific conditions'; wildcard actions on every "
                                     "resource grant more than a workload needs")
IAM_CONFUSED_DEPUTY = Fact(frozenset({"sts:ExternalId", "aws:MultiFactorAuthPresent", "aws:PrincipalOrgID",
                                      "aws:SourceArn", "aws:SourceAccount"}), "", "not on the fact sheet (IAM roles)",
                           "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
                           "C", note="IAM User Guide 'The confused deputy problem' (ExternalId for third parties) "
                                     "and the services' cross-service confused deputy pages (aws:SourceArn, "
                                     "aws:SourceAccount); "
                           "condition keys that keep a cross-account trust from being abused")
IAM_PASSROLE_ESCALATION = Fact(True, "", "not on the fact sheet (IAM roles)",
                               "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
                               "C", note="IAM User Guide 'Grant a user permissions to pass a role to an AWS service' "
                                         "(scope iam:PassRole to role ARNs, iam:PassedToService) and 'Create a role to "
                                         "delegate permissions to an AWS service' (a passed role must not carry more "
                                         "permissions than the user should have); "
                               "passing any role to a service lets the caller act with that role's permissions")
IAM_SERVICE_ROLE_TRUST = Fact(frozenset({("ec2_instance", "ec2.amazonaws.com"),
                                         ("auto_scaling_group", "ec2.amazonaws.com"),
                                         ("launch_template", "ec2.amazonaws.com"),
                                         ("lambda_function", "lambda.amazonaws.com")}), "",
                              "not on the fact sheet (IAM roles)",
                              "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-service.html",
                              "C", note="IAM User Guide 'Create a role to delegate permissions to an AWS service' (a "
                                        "service role's trust policy names the service principal); "
                              "a role a service cannot assume gives the workload no credentials")
IAM_ACCESS_KEY_MAX_AGE_DAYS = Fact(90, "days", "not on the fact sheet (IAM credentials)",
                                   "https://docs.aws.amazon.com/config/latest/developerguide/access-keys-rotated.html",
                                   "C", note="the default maxAccessKeyAge of AWS Config's access-keys-rotated rule; "
                                             "the CIS AWS Foundations benchmark uses the same 90 days")
