"""The AWS fact table: every fact is sourced and tagged, quotas are marked, corrected numbers stay corrected."""
from __future__ import annotations

import re

import pytest

from wavalidate import facts
from wavalidate.facts import Fact

PUBLIC = sorted(name for name in vars(facts) if name.isupper() and not name.startswith("_"))
FACTS = facts.all_facts()
SECTION = re.compile(r"^§([0-9]+) \S")

# Quotas AWS lets you raise: a rule built on one must warn, not error.
ADJUSTABLE = (
    "VPC_IPV4_CIDRS_PER_VPC", "SUBNETS_PER_VPC", "VPCS_PER_REGION", "IGWS_PER_REGION", "NACL_RULES_PER_DIRECTION",
    "NACLS_PER_VPC", "SG_RULES_INBOUND", "SG_RULES_OUTBOUND", "SGS_PER_ENI", "SGS_PER_REGION",
    "DYNAMODB_GSI_DEFAULT", "GATEWAY_ENDPOINTS_PER_REGION", "INTERFACE_ENDPOINTS_PER_VPC", "VPC_PEERINGS_PER_VPC",
    "TGW_ROUTE_TABLES", "APIGW_ACCOUNT_RPS", "APIGW_ACCOUNT_BURST", "IAM_MANAGED_POLICIES_PER_ROLE",
)
# Hard limits: raising is not possible, so exceeding one is an error.
FIXED = (
    "SUBNET_RESERVED_ADDRESSES", "SUBNET_PREFIX_MIN", "SUBNET_PREFIX_MAX", "IGW_PER_VPC", "NACL_RULE_NUMBER_RANGE",
    "SPREAD_MAX_INSTANCES_PER_AZ", "PARTITION_MAX_PER_AZ", "MULTI_ATTACH_MAX_INSTANCES", "TGW_ATTACHMENTS_MAX",
    "DYNAMODB_LSI_MAX", "DYNAMODB_ITEM_MAX_KB", "LAMBDA_TIMEOUT_MAX_S", "SQS_LONG_POLL_MAX_S",
    "VPN_TUNNELS_PER_CONNECTION", "SG_RULES_TIMES_SGS_PER_ENI_MAX",
)
# The names the built-in rules use, with what docs/rules.md renders for them.
RENDERED = {
    "VPN_TUNNEL_GBPS": (1.25, "Gbps", "https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-limits.html"),
    "VPN_LARGE_TUNNEL_GBPS": (5.0, "Gbps", "https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html"),
    "VGW_NO_ECMP": (True, "", "https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNRoutingTypes.html"),
    "TGW_VPN_ECMP_NEEDS_BGP": (True, "", "https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html"),
    "RDS_MULTI_AZ": (True, "", "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html"),
    "CLUSTER_PLACEMENT_ONE_AZ": (True, "", "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/placement-groups.html"),
    "SPREAD_MAX_INSTANCES_PER_AZ": (7, "instances",
                                    "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/placement-groups.html"),
    "PARTITION_MAX_PER_AZ": (7, "partitions", "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/placement-groups.html"),
}


def test_every_public_constant_is_a_sourced_fact():
    problems = []
    for name in PUBLIC:
        if name == "TABLES" or name in facts.TABLES:
            continue
        fact = getattr(facts, name)
        if not isinstance(fact, Fact):
            problems.append(f"{name} is public and UPPER_CASE but not a Fact; list it in TABLES or make it private")
            continue
        if not fact.source.startswith("https://") or " " in fact.source:
            problems.append(f"{name}: source {fact.source!r}")
        match = SECTION.match(fact.section)
        # Facts the sheet lacks say so: "not on the fact sheet (topic)".
        if not (match and 1 <= int(match.group(1)) <= 33) and not fact.section.startswith("not on the fact sheet ("):
            problems.append(f"{name}: section {fact.section!r} is neither a fact sheet section nor "
                            "'not on the fact sheet (topic)'")
        if not (isinstance(fact.unit, str) and isinstance(fact.note, str) and isinstance(fact.adjustable, bool)):
            problems.append(f"{name}: unit, note or adjustable has the wrong type")
    assert not problems, "\n".join(problems)
    assert len(FACTS) > 200


def test_tags_are_known():
    problems = []
    for name, fact in FACTS.items():
        if fact.tag.startswith("unverified-but-checked:"):
            if not fact.tag.split(":", 1)[1].strip():
                problems.append(f"{name}: say how it was checked")
        elif fact.tag not in ("A", "C", "S"):
            problems.append(f"{name}: unknown tag {fact.tag!r}")
    assert not problems, "\n".join(problems)


def test_ranges_are_ordered():
    # Every numeric pair in this module is an inclusive (min, max) range.
    for name, fact in FACTS.items():
        value = fact.value
        if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, (int, float)) for v in value):
            assert value[0] <= value[1], name


def test_tables_are_listed_and_consistent():
    assert set(facts.TABLES) <= set(PUBLIC)
    assert set(facts.EBS_TYPES) == {"gp2", "gp3", "io1", "io2", "st1", "sc1"}
    assert all(facts.EBS_TYPES[k] is f.value for k, f in facts.EBS_TYPE_FACTS.items())
    assert set(facts.RDS_READ_REPLICA_FACTS) == facts.RDS_ENGINES.value
    assert set(facts.ELB_CROSS_ZONE_DEFAULT_FACTS) == facts.ELB_TYPES.value
    assert set(facts.ELB_LISTENER_PROTOCOL_FACTS) < facts.ELB_TYPES.value
    for table in (facts.EBS_TYPE_FACTS, facts.RDS_READ_REPLICA_FACTS, facts.ELB_LISTENER_PROTOCOL_FACTS,
                  facts.ELB_CROSS_ZONE_DEFAULT_FACTS):
        assert all(f in FACTS.values() for f in table.values())
    with pytest.raises(TypeError):
        facts.EBS_TYPES["gp4"] = facts.EBS_TYPES["gp3"]  # type: ignore[index]


def test_facts_are_immutable():
    with pytest.raises(AttributeError):
        facts.VPN_TUNNEL_GBPS.value = 10  # type: ignore[misc]


@pytest.mark.parametrize("name", ADJUSTABLE)
def test_adjustable_quotas_are_marked(name):
    assert FACTS[name].adjustable, f"{name} is an adjustable quota"
    assert facts.prefer_warning(FACTS[name])


@pytest.mark.parametrize("name", FIXED)
def test_hard_limits_are_not_adjustable(name):
    assert not FACTS[name].adjustable, name


def test_each_default_quota_sits_below_its_maximum():
    pairs = [(n[: -len("_MAX")], n) for n in FACTS if n.endswith("_MAX") and n[: -len("_MAX")] in FACTS]
    assert len(pairs) >= 5
    for default, ceiling in pairs:
        assert FACTS[default].adjustable and not FACTS[ceiling].adjustable, (default, ceiling)
        assert FACTS[default].value < FACTS[ceiling].value, (default, ceiling)
        assert FACTS[default].unit == FACTS[ceiling].unit, (default, ceiling)


@pytest.mark.parametrize("name", sorted(RENDERED))
def test_facts_the_rules_use_render_as_docs_expect(name):
    value, unit, source = RENDERED[name]
    fact = FACTS[name]
    assert (fact.value, fact.unit, fact.source) == (value, unit, source)


def test_corrected_numbers():
    gp3 = facts.EBS_TYPES["gp3"]
    assert (gp3.max_iops, gp3.max_mibps, gp3.max_gib) == (80_000, 2_000, 65_536)
    assert (gp3.baseline_iops, gp3.baseline_mibps) == (3_000, 125)
    assert facts.RDS_READ_REPLICA_FACTS["sqlserver"].value == 15
    assert facts.RDS_READ_REPLICA_FACTS["oracle"].value == 5
    assert facts.SQS_MESSAGE_SIZE_BYTES.value == (1024, 1024 * 1024)
    assert facts.SQS_MAX_MESSAGE_SIZE_DEFAULT_BYTES.value == 1024 * 1024
    assert facts.FIREHOSE_BUFFER_INTERVAL_S.value[0] == 0
    assert facts.S3_MAX_OBJECT_TIB.value == 48.8 and facts.S3_MAX_OBJECT_TIB.unit == "TiB"
    assert "10.0.0.225" in facts.SUBNET_RESERVED_ADDRESSES.note
    assert facts.SNS_FIFO_PROTOCOLS.value == frozenset({"sqs"})
    assert facts.STORAGE_GATEWAY_CLOSED_TO_NEW.value == frozenset({"fsx_file"})


def test_notes_errors_are_recorded():
    noted = {name for name, fact in FACTS.items() if "Notes error" in fact.note}
    assert {"EBS_GP3", "RDS_SQLSERVER_READ_REPLICAS_MAX", "RDS_READ_REPLICAS_MAX", "SQS_MESSAGE_SIZE_BYTES", "FIREHOSE_BUFFER_INTERVAL_S",
            "S3_MAX_OBJECT_TIB", "SNS_FIFO_PROTOCOLS", "APIGW_INTEGRATION_TIMEOUT_MS", "NAT_ZONAL_ONE_AZ",
            "STORAGE_GATEWAY_CLOSED_TO_NEW", "SUBNET_RESERVED_ADDRESSES", "WAF_RESOURCE_TYPES"} <= noted


def test_spot_checks():
    assert facts.SUBNET_RESERVED_ADDRESSES.value == 5
    assert (facts.SUBNET_PREFIX_MIN.value, facts.SUBNET_PREFIX_MAX.value) == (16, 28)
    assert facts.NACL_RULE_NUMBER_RANGE.value == (1, 32766)
    assert facts.EPHEMERAL_PORTS_LINUX.value == (32768, 61000)
    assert facts.EPHEMERAL_PORTS_ELB_NAT_LAMBDA.value == (1024, 65535)
    assert facts.EPHEMERAL_PORTS_WINDOWS.value == (49152, 65535)
    assert facts.GATEWAY_ENDPOINT_SERVICES.value == frozenset({"s3", "dynamodb"})
    assert facts.GWLB_PORT.value == 6081
    assert facts.SPOT_INTERRUPTION_NOTICE_S.value == 120
    assert facts.SQS_VISIBILITY_TIMEOUT_S.value == (0, 12 * 3600)
    assert facts.SFN_EXPRESS_MAX_DURATION_S.value == 300
    assert facts.LAMBDA_TIMEOUT_MAX_S.value == 900
    assert facts.DX_DEDICATED_SPEEDS_GBPS.value == frozenset({1, 10, 100, 400})
    assert 25_000 in facts.DX_HOSTED_SPEEDS_MBPS.value and 50 in facts.DX_HOSTED_SPEEDS_MBPS.value
    assert facts.CLOUDWATCH_AWS_NAMESPACE_PREFIX.value == "AWS/"
    assert "mem_used_percent" in facts.CLOUDWATCH_AGENT_METRICS.value


def test_unconfirmed_facts_prefer_warnings():
    # Secondary or unverified figures must not drive error-level findings on their own.
    for name in ("VPN_LARGE_TUNNEL_GBPS", "TGW_ATTACHMENT_GBPS", "APIGW_RAISED_TIMEOUT_MAX_MS",
                 "DX_MACSEC_SPEEDS_GBPS", "SHIELD_ADVANCED_MONTHLY_USD", "CLB_PREVIOUS_GENERATION"):
        assert facts.prefer_warning(FACTS[name]), name
    assert not facts.prefer_warning(facts.VPN_TUNNEL_GBPS, facts.SPREAD_MAX_INSTANCES_PER_AZ)


def test_dr_strategies_are_ordered_and_sane():
    strategies = [f.value for f in facts.DR_STRATEGY_FACTS]
    assert [s.name for s in strategies] == ["backup_restore", "pilot_light", "warm_standby", "active_active"]
    for s in strategies:
        assert 0 <= s.rpo_s[0] <= s.rpo_s[1] and 0 <= s.rto_s[0] <= s.rto_s[1], s.name
    worst_rto = [s.rto_s[1] for s in strategies]
    worst_rpo = [s.rpo_s[1] for s in strategies]
    assert worst_rto == sorted(worst_rto, reverse=True) and worst_rpo == sorted(worst_rpo, reverse=True)
    assert strategies[0].rto_s[1] == 24 * 3600


def test_ebs_types_are_self_consistent():
    for name, ebs in facts.EBS_TYPES.items():
        assert ebs.name == name and 0 < ebs.min_gib < ebs.max_gib
        assert ebs.multi_attach == (name in facts.MULTI_ATTACH_VOLUME_TYPES.value)
        if ebs.baseline_iops is not None:
            assert ebs.baseline_iops <= ebs.max_iops and ebs.baseline_mibps <= ebs.max_mibps
    assert not facts.EBS_TYPES["st1"].bootable and not facts.EBS_TYPES["sc1"].bootable


def test_cite_and_helpers():
    assert facts.cite(facts.SPREAD_MAX_INSTANCES_PER_AZ, facts.PARTITION_MAX_PER_AZ, facts.VPN_TUNNEL_GBPS) == (
        "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/placement-groups.html",
        "https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-limits.html")
    assert facts.cite() == ()
    assert facts.in_range(20, facts.SQS_RECEIVE_WAIT_S) and not facts.in_range(21, facts.SQS_RECEIVE_WAIT_S)
    assert facts.all_facts()["IGW_PER_VPC"] is facts.IGW_PER_VPC
