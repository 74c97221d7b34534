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
    "DYNAMODB_GSI_DEFAULT", "VPC_PEERINGS_PER_VPC", "APIGW_ACCOUNT_RPS", "APIGW_ACCOUNT_BURST",
    "IAM_MANAGED_POLICIES_PER_ROLE",
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
    assert set(facts.ELB_LISTENER_PROTOCOL_FACTS) < facts.ELB_TYPES.value
    for table in (facts.EBS_TYPE_FACTS, facts.RDS_READ_REPLICA_FACTS, facts.ELB_LISTENER_PROTOCOL_FACTS):
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
    assert facts.FIREHOSE_BUFFER_INTERVAL_S.value[0] == 0
    assert facts.S3_MAX_OBJECT_TIB.value == 48.8 and facts.S3_MAX_OBJECT_TIB.unit == "TiB"
    assert "10.0.0.225" in facts.SUBNET_RESERVED_ADDRESSES.note
    assert facts.SNS_FIFO_PROTOCOLS.value == frozenset({"sqs"})
    assert facts.STORAGE_GATEWAY_CLOSED_TO_NEW.value == frozenset({"fsx_file"})


def test_notes_errors_are_recorded():
    noted = {name for name, fact in FACTS.items() if "Notes error" in fact.note}
    assert {"EBS_GP3", "RDS_SQLSERVER_READ_REPLICAS_MAX", "RDS_READ_REPLICAS_MAX", "SQS_MESSAGE_SIZE_BYTES",
            "FIREHOSE_BUFFER_INTERVAL_S",
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
    for name in ("VPN_LARGE_TUNNEL_GBPS", "APIGW_RAISED_TIMEOUT_MAX_MS", "SHIELD_ADVANCED_MONTHLY_USD",
                 "CLB_PREVIOUS_GENERATION", "GRAVITON_FAMILY_OF"):
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


# -- the claims facts.py makes about how rules use it -------------------------------------------------------

def _rules():
    from wavalidate.plugins import load_rules
    return load_rules()[0]


def test_high_and_critical_rules_rest_on_a_confirmed_hard_fact():
    """facts.py: a rule whose facts are all unconfirmed or adjustable warns rather than errors."""
    offenders = []
    for rule in _rules():
        cited = [f for f in rule.facts if isinstance(f, Fact)]
        if rule.severity in ("high", "critical") and cited and all(facts.prefer_warning(f) for f in cited):
            names = [name for name, fact in FACTS.items() if any(fact is f for f in cited)]
            offenders.append(f"{rule.code} ({rule.severity}) rests only on {', '.join(names)}")
    assert not offenders, "\n".join(offenders)


def _fact_names_in(folder: str) -> set:
    import glob
    import os
    names = set()
    for path in glob.glob(os.path.join(folder, "**", "*.py"), recursive=True):
        if os.path.basename(path) != "facts.py":
            names.update(re.findall(r"\bfacts\.([A-Z][A-Z0-9_]+)\b", open(path, encoding="utf-8").read()))
    return names


def test_every_fact_is_used():
    """A fact no rule, table or schema uses is dead weight that drifts; remove it or cite it."""
    import os

    import wavalidate
    import wavalidate_rules
    cited = {id(f) for rule in _rules() for f in rule.facts}
    named = (_fact_names_in(os.path.dirname(wavalidate.__file__))
             | _fact_names_in(os.path.dirname(wavalidate_rules.__file__)))
    in_tables = {id(f) for table in facts.TABLES for f in
                 (getattr(facts, table).values() if hasattr(getattr(facts, table), "values") else getattr(facts, table))
                 if isinstance(f, Fact)}
    unused = sorted(name for name, fact in FACTS.items()
                    if id(fact) not in cited and id(fact) not in in_tables and name not in named)
    assert not unused, f"facts no rule uses: {unused}"


def _renderings(fact) -> set:
    """How a number of this fact reads in prose: '1.25 Gbps', '1 MiB' (from bytes), '15 minutes' (from s)."""
    value = fact.value
    pair = isinstance(value, tuple) and len(value) == 2 and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
    forms = []
    for number in (value if pair else (value,)):
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            continue
        unit = fact.unit
        if unit == "bytes":
            forms += [(number // size, name) for size, name in ((1024, "KiB"), (1024 ** 2, "MiB"), (1024 ** 3, "GiB"))
                      if number % size == 0]
        elif unit == "s":
            forms.append((number, "s"))
            for size, names in ((60, ("minutes", "min")), (3600, ("hours", "h")), (86400, ("days", "d"))):
                if number % size == 0:
                    forms += [(number // size, name) for name in names]
        elif unit == "ms":
            forms += [(number, "ms")] + ([(number // 1000, "s")] if number % 1000 == 0 else [])
        elif unit and (" " not in unit or unit == "packets/s"):
            forms.append((number, unit))
    # 0, 1 and 2 of most units are too common to mean the fact ("2 AZs"); sizes and rates still count.
    return {f"{text} {unit}" for number, unit in forms
            if number not in (0, 1, 2) or unit in ("KiB", "MiB", "GiB", "Gbps")
            for text in {f"{number:g}", f"{number:,}"}}


def _rule_texts(tree):
    """(line, literal text) of rule titles and the literal parts of Violation messages."""
    import ast

    def literal(node):
        return "\x00".join(sub.value for sub in ast.walk(node) if isinstance(sub, ast.Constant)
                           and isinstance(sub.value, str))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", "")
        if name == "Violation" and len(node.args) > 1:
            yield node.lineno, literal(node.args[1])
        elif name == "rule":
            yield from ((node.lineno, literal(kw.value)) for kw in node.keywords if kw.arg == "title")


def test_rule_titles_and_messages_format_limits_from_the_facts():
    """'1.25 Gbps' typed into a title or message drifts when the fact changes; format it from the fact."""
    import ast
    import glob
    import os

    import wavalidate_rules
    forms: dict = {}
    for name, fact in FACTS.items():
        for text in _renderings(fact):
            forms.setdefault(text, []).append(name)
    hits = []
    for path in sorted(glob.glob(os.path.join(os.path.dirname(wavalidate_rules.__file__), "*.py"))):
        tree = ast.parse(open(path, encoding="utf-8").read())
        for line, text in _rule_texts(tree):
            for form, names in forms.items():
                if re.search(r"(?<![\d.,])" + re.escape(form) + r"(?!\w)", text):
                    hits.append(f"{os.path.basename(path)}:{line}: '{form}' repeats {' or '.join(names)}")
    assert not hits, "\n".join(hits)


def test_renderings_find_a_repeated_limit():
    # The scanner itself: a typed-in tunnel limit and an SQS size in MiB are found, a formatted one is not.
    import ast
    tree = ast.parse('Violation(p, f"{x} carries 1.25 Gbps")\nViolation(p, f"up to {limit:g} Gbps and 1 MiB")')
    texts = [text for _, text in _rule_texts(tree)]
    assert "1.25 Gbps" in _renderings(facts.VPN_TUNNEL_GBPS) and "1 MiB" in _renderings(facts.SQS_MESSAGE_SIZE_BYTES)
    assert "1.25 Gbps" in texts[0] and "1.25 Gbps" not in texts[1] and "1 MiB" in texts[1]


def test_facts_aws_changed():
    # The December 2026 audit (fact sheet §34); each names its AWS source.
    assert {"QUIC", "TCP_QUIC"} <= facts.NLB_LISTENER_PROTOCOLS.value
    assert facts.RDS_MULTI_AZ_CLUSTER_ENGINES.value == frozenset({"mysql", "postgres"})
    assert facts.EBS_GP3_MIBPS_PER_IOPS.value * 8000 == facts.EBS_GP3.value.max_mibps
    assert facts.LAMBDA_MANAGED_INSTANCES_TIMEOUT_MAX_S.value == 90 * 60
    assert facts.LAMBDA_DURABLE_EXECUTION_MAX_S.value == 366 * 86400
    assert facts.APIGW_STREAMING_TIMEOUT_MS.value == 15 * 60 * 1000
    assert facts.SPOT_NO_PLACEMENT_GROUP_BEHAVIOURS.value == frozenset({"stop", "hibernate"})
    assert facts.VPN_TUNNEL_PPS.value == 140_000 and facts.VPN_ONE_FLOW_ONE_TUNNEL.value
    assert "cloud_wan" in facts.VPN_LARGE_TUNNEL_GATEWAYS.value
    for name in ("NLB_LISTENER_PROTOCOLS", "SG_VPC_ASSOCIATIONS", "APIGW_STREAMING_TIMEOUT_MS",
                 "LAMBDA_MANAGED_INSTANCES_TIMEOUT_MAX_S", "LAMBDA_DURABLE_EXECUTION_MAX_S",
                 "RDS_MULTI_AZ_CLUSTER_ENGINES", "EBS_GP3_MIBPS_PER_IOPS", "SPOT_NO_PLACEMENT_GROUP_BEHAVIOURS",
                 "VPN_ONE_FLOW_ONE_TUNNEL"):
        assert FACTS[name].tag == "C" and FACTS[name].source.startswith("https://docs.aws.amazon.com/"), name


def test_schema_uses_the_fact_for_rds_engines():
    from wavalidate.schema.types import T
    assert set(T["rds_instance"][2]["engine"].allowed) == facts.RDS_ENGINES.value


def test_graviton_and_region_tables():
    assert facts.GRAVITON_FAMILY_OF.value["m5"] == "m7g" and facts.GRAVITON_FAMILY_OF.value["c6in"] == "c7gn"
    assert "8g" in facts.GRAVITON_FAMILY_OF.note and "24xlarge" not in facts.GRAVITON_SIZES.value
    assert facts.REGION_GEOGRAPHY.value["eu"] == "europe" and "ap-southeast-2" in facts.REGION_OCEANIA.value
