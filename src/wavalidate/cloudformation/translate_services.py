"""CloudFormation types of the container, security and event services, registered into `translate.TYPES`.

Kept apart from translate.py so the network, storage and serverless tables there stay short; the
same idioms apply: a `simple(...)` table where properties copy onto fields, a small function where a
helper resource (a rotation schedule, an invoke config) folds into the resource it belongs to.
"""
from __future__ import annotations

import re
from typing import Any

from .builder import Builder
from .resolve import UNKNOWN, Reference
from .translate import (
    SECOND,
    TYPES,
    _boolean,
    _choice,
    _copy,
    _integer,
    _lower,
    _ref,
    _refs,
    _seconds,
    _text,
    folded,
    simple,
)

ARCHITECTURES = {"X86_64": "x86_64", "ARM64": "arm64"}


def _kms_key(b: Builder, v: Any) -> Any:
    """A key the template defines; an `alias/aws/...` is an AWS managed key (no customer key)."""
    if isinstance(v, str) and v.startswith("alias/aws/"):
        return None
    return b.name_of(v)


def _days(b: Builder, v: Any) -> Any:
    n = _integer(b, v)
    return f"{n}d" if isinstance(n, int) else n


def _texts(b: Builder, v: Any) -> Any:
    if v is None or v is UNKNOWN:
        return v
    if not isinstance(v, list):
        return UNKNOWN
    out = [_text(b, x) for x in v]
    return UNKNOWN if UNKNOWN in out or None in out else out


# -- KMS, ACM, Secrets Manager, Cognito ---------------------------------------------

kms_key = simple("kms_key", {
    "usage": ("KeyUsage", _choice({"ENCRYPT_DECRYPT": "encrypt_decrypt", "SIGN_VERIFY": "sign_verify",
                                   "GENERATE_VERIFY_MAC": "generate_verify_mac"})),
    "key_spec": ("KeySpec", _text), "rotation": ("EnableKeyRotation", _boolean),
    "rotation_days": ("RotationPeriodInDays", _integer), "multi_region": ("MultiRegion", _boolean),
    "deletion_window_days": ("PendingWindowInDays", _integer)},
    after=lambda b, lid: b.set(lid, "key_policy", b.document(lid, "KeyPolicy"), b.tpath(lid, "KeyPolicy")))


def certificate(b: Builder, lid: str) -> None:
    b.add(lid, "acm_certificate")
    _copy(b, lid, lid, {"domain": ("DomainName", _text), "alternative_names": ("SubjectAlternativeNames", _texts),
                        "key_algorithm": ("KeyAlgorithm", _text),
                        "validation": ("ValidationMethod", _choice({"DNS": "dns", "EMAIL": "email"}))})
    if b.prop(lid, "CertificateAuthorityArn") is not None:
        b.set(lid, "validation", "private_ca", b.tpath(lid, "CertificateAuthorityArn"))


def secret(b: Builder, lid: str) -> None:
    b.add(lid, "secrets_manager_secret")
    b.set(lid, "kms_key", _kms_key(b, b.prop(lid, "KmsKeyId")), b.tpath(lid, "KmsKeyId"))
    replicas = b.items(lid, "ReplicaRegions")
    if isinstance(replicas, list):
        regions = [_text(b, r.get("Region")) if isinstance(r, dict) else UNKNOWN for r in replicas]
        b.set(lid, "replica_regions", UNKNOWN if UNKNOWN in regions or None in regions else regions,
              b.tpath(lid, "ReplicaRegions"))
    elif replicas is UNKNOWN:
        b.set(lid, "replica_regions", UNKNOWN, b.tpath(lid, "ReplicaRegions"))


RATE = re.compile(r"^rate\((\d+) (day|days|hour|hours)\)$")


def _rotation_every(b: Builder, lid: str) -> Any:
    days = b.prop(lid, "RotationRules", "AutomaticallyAfterDays")
    if days is not None:
        return _days(b, days)
    expression = _text(b, b.prop(lid, "RotationRules", "ScheduleExpression"))
    if not isinstance(expression, str):
        return expression
    match = RATE.match(expression.strip())
    return f"{match.group(1)}{match.group(2)[0]}" if match else UNKNOWN  # a cron schedule: no fixed interval


def rotation_schedule(b: Builder, lid: str) -> None:
    """Folded into its secret: rotation on, how often, and the function (none for hosted rotation)."""
    owner = b.name_of(b.prop(lid, "SecretId"))
    if not (isinstance(owner, str) and b.resources.get(owner, {}).get("type") == "secrets_manager_secret"):
        return
    b.set(owner, "rotation", True, b.tpath(lid))
    b.set(owner, "rotation_every", _rotation_every(b, lid), b.tpath(lid, "RotationRules"))
    b.set(owner, "rotation_function", _ref(b, b.prop(lid, "RotationLambdaARN")), b.tpath(lid, "RotationLambdaARN"))


def user_pool(b: Builder, lid: str) -> None:
    b.add(lid, "cognito_user_pool")
    _copy(b, lid, lid, {
        "mfa": ("MfaConfiguration", _choice({"OFF": "off", "ON": "required", "OPTIONAL": "optional"})),
        "threat_protection": (("UserPoolAddOns", "AdvancedSecurityMode"),
                              _choice({"OFF": "off", "AUDIT": "audit", "ENFORCED": "enforced"})),
        "password_min_length": (("Policies", "PasswordPolicy", "MinimumLength"), _integer),
        "deletion_protection": ("DeletionProtection", _choice({"ACTIVE": True, "INACTIVE": False}))})


# -- containers ---------------------------------------------------------------------

PROVIDERS = {"FARGATE": "fargate", "FARGATE_SPOT": "fargate_spot"}  # any other name: a group's provider


def _capacity(b: Builder, lid: str, key: str) -> Any:
    strategy = b.items(lid, key)
    if not isinstance(strategy, list):
        return strategy
    out: list = []
    for item in strategy:
        if not isinstance(item, dict):
            return UNKNOWN
        provider = item.get("CapacityProvider")
        entry = {"provider": PROVIDERS.get(str(provider), "auto_scaling_group")
                 if isinstance(provider, (str, Reference)) else UNKNOWN,
                 "weight": _integer(b, item.get("Weight")), "base": _integer(b, item.get("Base"))}
        if UNKNOWN in entry.values():
            return UNKNOWN
        out.append({k: v for k, v in entry.items() if v is not None})
    return out


def ecs_cluster(b: Builder, lid: str) -> None:
    b.add(lid, "ecs_cluster")
    settings = b.items(lid, "ClusterSettings")
    if isinstance(settings, list):
        for index, setting in enumerate(settings):
            if isinstance(setting, dict) and setting.get("Name") == "containerInsights":
                value = _text(b, setting.get("Value"))
                b.set(lid, "container_insights", value in ("enabled", "enhanced") if isinstance(value, str) else value,
                      b.tpath(lid, "ClusterSettings", index))
    b.set(lid, "capacity_providers", _capacity(b, lid, "DefaultCapacityProviderStrategy"),
          b.tpath(lid, "DefaultCapacityProviderStrategy"))


def _vcpu(b: Builder, v: Any) -> Any:
    """`Cpu` is CPU units ("256", 1024) or "1 vCPU"."""
    text = _text(b, v)
    if not isinstance(text, str):
        return text
    match = re.match(r"^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$", text, re.IGNORECASE)
    if not match:
        return UNKNOWN
    number = float(match.group(1)) / (1 if match.group(2) else 1024)
    return int(number) if number.is_integer() else number


def _memory(b: Builder, v: Any) -> Any:
    """`Memory` is MiB ("512", 2048) or "2 GB" (which ECS reads as GiB)."""
    text = _text(b, v)
    if not isinstance(text, str):
        return text
    match = re.match(r"^\s*(\d+)\s*(gb)?\s*$", text, re.IGNORECASE)
    if not match:
        return UNKNOWN
    return f"{match.group(1)}{'GiB' if match.group(2) else 'MiB'}"


def _container(b: Builder, item: Any) -> Any:
    if not isinstance(item, dict):
        return UNKNOWN
    entry = {"name": _text(b, item.get("Name")), "image": _text(b, item.get("Image")),
             "essential": _boolean(b, item.get("Essential"))}
    ports = item.get("PortMappings")
    if isinstance(ports, list) and ports and isinstance(ports[0], dict):
        entry["port"] = _integer(b, ports[0].get("ContainerPort"))
    secrets = item.get("Secrets")
    if isinstance(secrets, list):
        names = [b.name_of(s.get("ValueFrom")) if isinstance(s, dict) else UNKNOWN for s in secrets]
        entry["secrets"] = UNKNOWN if UNKNOWN in names else [n for n in names if n] or None
    if UNKNOWN in entry.values() or entry["name"] is None:
        return UNKNOWN
    return {k: v for k, v in entry.items() if v is not None}


def task_definition(b: Builder, lid: str) -> None:
    b.add(lid, "ecs_task_definition")
    _copy(b, lid, lid, {"cpu": ("Cpu", _vcpu), "memory": ("Memory", _memory), "task_role": ("TaskRoleArn", _ref),
                        "execution_role": ("ExecutionRoleArn", _ref), "network_mode": ("NetworkMode", _lower),
                        "architecture": (("RuntimePlatform", "CpuArchitecture"), _choice(ARCHITECTURES))})
    family = _text(b, b.prop(lid, "RuntimePlatform", "OperatingSystemFamily"))
    b.set(lid, "platform", family if not isinstance(family, str) else "windows" if family.startswith("WINDOWS")
          else "linux" if family == "LINUX" else UNKNOWN, b.tpath(lid, "RuntimePlatform", "OperatingSystemFamily"))
    compatibility = _texts(b, b.items(lid, "RequiresCompatibilities"))
    b.set(lid, "compatibility", [c.lower() for c in compatibility] if isinstance(compatibility, list)
          else compatibility, b.tpath(lid, "RequiresCompatibilities"))
    containers = b.items(lid, "ContainerDefinitions")
    if containers is UNKNOWN:
        b.set(lid, "containers", UNKNOWN, b.tpath(lid, "ContainerDefinitions"))
    for index, item in enumerate(containers if isinstance(containers, list) else []):
        b.append(lid, "containers", _container(b, item), b.tpath(lid, "ContainerDefinitions", index))
    volumes = b.items(lid, "Volumes")
    if volumes is UNKNOWN:
        b.set(lid, "volumes", UNKNOWN, b.tpath(lid, "Volumes"))
    for index, item in enumerate(volumes if isinstance(volumes, list) else []):
        entry: Any = UNKNOWN
        if isinstance(item, dict) and isinstance(_text(b, item.get("Name")), str):
            entry = {"name": _text(b, item.get("Name"))}
            efs = item.get("EFSVolumeConfiguration")
            if isinstance(efs, dict) and efs.get("FilesystemId") is not None:
                entry["efs"] = b.name_of(efs.get("FilesystemId"))
            entry = UNKNOWN if UNKNOWN in entry.values() else entry
        b.append(lid, "volumes", entry, b.tpath(lid, "Volumes", index))


AWSVPC = ("NetworkConfiguration", "AwsvpcConfiguration")


def ecs_service(b: Builder, lid: str) -> None:
    b.add(lid, "ecs_service")
    _copy(b, lid, lid, {"task_definition": ("TaskDefinition", _ref), "desired_count": ("DesiredCount", _integer),
                        "launch_type": ("LaunchType", _lower),
                        "subnets": (AWSVPC + ("Subnets",), _refs),
                        "security_groups": (AWSVPC + ("SecurityGroups",), _refs),
                        "public_ip": (AWSVPC + ("AssignPublicIp",), _choice({"ENABLED": True, "DISABLED": False})),
                        "az_rebalancing": ("AvailabilityZoneRebalancing",
                                           _choice({"ENABLED": True, "DISABLED": False}))})
    cluster = b.prop(lid, "Cluster")
    # no Cluster is the account's `default` cluster, which the template does not define
    b.set(lid, "cluster", UNKNOWN if cluster is None else _ref(b, cluster), b.tpath(lid, "Cluster"))
    b.set(lid, "capacity_providers", _capacity(b, lid, "CapacityProviderStrategy"),
          b.tpath(lid, "CapacityProviderStrategy"))
    breaker = b.prop(lid, "DeploymentConfiguration", "DeploymentCircuitBreaker")
    if isinstance(breaker, dict):
        value = {"enabled": _boolean(b, breaker.get("Enable")), "rollback": _boolean(b, breaker.get("Rollback"))}
        b.set(lid, "circuit_breaker", UNKNOWN if UNKNOWN in value.values() else
              {k: v for k, v in value.items() if v is not None}, b.tpath(lid, "DeploymentConfiguration"))
    elif breaker is UNKNOWN:
        b.set(lid, "circuit_breaker", UNKNOWN, b.tpath(lid, "DeploymentConfiguration"))
    balancers = b.items(lid, "LoadBalancers")
    if isinstance(balancers, list):
        groups = [b.name_of(x.get("TargetGroupArn")) if isinstance(x, dict) else UNKNOWN for x in balancers]
        b.set(lid, "target_groups", UNKNOWN if UNKNOWN in groups else [g for g in groups if g] or None,
              b.tpath(lid, "LoadBalancers"))
    elif balancers is UNKNOWN:
        b.set(lid, "target_groups", UNKNOWN, b.tpath(lid, "LoadBalancers"))


VPC_CONFIG = ("ResourcesVpcConfig",)
LOG_TYPES = {"api": "api", "audit": "audit", "authenticator": "authenticator",
             "controllermanager": "controllerManager", "scheduler": "scheduler"}


def eks_cluster(b: Builder, lid: str) -> None:
    b.add(lid, "eks_cluster")
    _copy(b, lid, lid, {"version": ("Version", _text), "role": ("RoleArn", _ref),
                        "subnets": (VPC_CONFIG + ("SubnetIds",), _refs),
                        "security_groups": (VPC_CONFIG + ("SecurityGroupIds",), _refs),
                        "endpoint_public": (VPC_CONFIG + ("EndpointPublicAccess",), _boolean),
                        "endpoint_private": (VPC_CONFIG + ("EndpointPrivateAccess",), _boolean),
                        "public_access_cidrs": (VPC_CONFIG + ("PublicAccessCidrs",), _texts),
                        "secrets_kms_key": (("EncryptionConfig", 0, "Provider", "KeyArn"), _ref),
                        "auto_mode": (("ComputeConfig", "Enabled"), _boolean)})
    enabled = b.items(lid, "Logging", "ClusterLogging", "EnabledTypes")
    if isinstance(enabled, list):
        kinds = [LOG_TYPES.get(str(_text(b, t.get("Type"))).lower(), UNKNOWN) if isinstance(t, dict) else UNKNOWN
                 for t in enabled]
        b.set(lid, "logging", UNKNOWN if UNKNOWN in kinds else kinds, b.tpath(lid, "Logging"))
    elif enabled is UNKNOWN:
        b.set(lid, "logging", UNKNOWN, b.tpath(lid, "Logging"))


def _ami_architecture(b: Builder, v: Any) -> Any:
    v = _text(b, v)
    return ("arm64" if "ARM_64" in v else "x86_64" if "x86_64" in v else UNKNOWN) if isinstance(v, str) else v


eks_node_group = simple("eks_node_group", {
    "cluster": ("ClusterName", _ref), "min_size": (("ScalingConfig", "MinSize"), _integer),
    "max_size": (("ScalingConfig", "MaxSize"), _integer), "desired": (("ScalingConfig", "DesiredSize"), _integer),
    "instance_types": ("InstanceTypes", _texts), "subnets": ("Subnets", _refs), "role": ("NodeRole", _ref),
    "capacity_type": ("CapacityType", _choice({"ON_DEMAND": "on_demand", "SPOT": "spot"})),
    "architecture": ("AmiType", _ami_architecture), "launch_template": (("LaunchTemplate", "Id"), _ref)})


def fargate_profile(b: Builder, lid: str) -> None:
    b.add(lid, "eks_fargate_profile")
    _copy(b, lid, lid, {"cluster": ("ClusterName", _ref), "role": ("PodExecutionRoleArn", _ref),
                        "subnets": ("Subnets", _refs)})
    selectors = b.items(lid, "Selectors")
    if isinstance(selectors, list):
        spaces = [_text(b, s.get("Namespace")) if isinstance(s, dict) else UNKNOWN for s in selectors]
        b.set(lid, "namespaces", UNKNOWN if UNKNOWN in spaces or None in spaces else spaces,
              b.tpath(lid, "Selectors"))
    elif selectors is UNKNOWN:
        b.set(lid, "namespaces", UNKNOWN, b.tpath(lid, "Selectors"))


# -- network firewall, detection and compliance -------------------------------------------

STATELESS = {"aws:pass": "pass", "aws:drop": "drop", "aws:forward_to_sfe": "forward_to_stateful"}
RULE_ORDER = {"DEFAULT_ACTION_ORDER": "default", "STRICT_ORDER": "strict"}


def network_firewall(b: Builder, lid: str) -> None:
    b.add(lid, "network_firewall")
    _copy(b, lid, lid, {"policy": ("FirewallPolicyArn", _ref), "delete_protection": ("DeleteProtection", _boolean)})
    mappings = b.items(lid, "SubnetMappings")
    if isinstance(mappings, list):
        b.set(lid, "subnets", _refs(b, [m.get("SubnetId") if isinstance(m, dict) else UNKNOWN for m in mappings]),
              b.tpath(lid, "SubnetMappings"))
    elif mappings is UNKNOWN:
        b.set(lid, "subnets", UNKNOWN, b.tpath(lid, "SubnetMappings"))


def firewall_logging(b: Builder, lid: str) -> None:
    """`AWS::NetworkFirewall::LoggingConfiguration`, folded into its firewall."""
    owner = b.name_of(b.prop(lid, "FirewallArn"))
    if not (isinstance(owner, str) and b.resources.get(owner, {}).get("type") == "network_firewall"):
        return
    configs = b.items(lid, "LoggingConfiguration", "LogDestinationConfigs")
    kinds = [_lower(b, c.get("LogType")) if isinstance(c, dict) else UNKNOWN for c in configs] \
        if isinstance(configs, list) else configs
    b.set(owner, "logging", UNKNOWN if isinstance(kinds, list) and (UNKNOWN in kinds or None in kinds) else kinds,
          b.tpath(lid, "LoggingConfiguration"))


def _rule_group(b: Builder, item: Any) -> Any:
    arn = item.get("ResourceArn") if isinstance(item, dict) else UNKNOWN
    return arn.logical_id if isinstance(arn, Reference) else _text(b, arn)


def firewall_policy(b: Builder, lid: str) -> None:
    b.add(lid, "network_firewall_policy")
    policy = ("FirewallPolicy",)
    actions = _texts(b, b.items(lid, *policy, "StatelessDefaultActions"))
    if isinstance(actions, list):  # custom actions may come first; the standard one decides
        actions = next((STATELESS[a] for a in actions if a in STATELESS), UNKNOWN)
    b.set(lid, "stateless_default_action", actions, b.tpath(lid, *policy, "StatelessDefaultActions"))
    b.set(lid, "stateful_rule_order", _choice(RULE_ORDER)(b, b.prop(lid, *policy, "StatefulEngineOptions",
                                                                    "RuleOrder")),
          b.tpath(lid, *policy, "StatefulEngineOptions", "RuleOrder"))
    stateful = _texts(b, b.items(lid, *policy, "StatefulDefaultActions"))
    b.set(lid, "stateful_default_actions", [a.removeprefix("aws:") for a in stateful] if isinstance(stateful, list)
          else stateful, b.tpath(lid, *policy, "StatefulDefaultActions"))
    groups: Any = []
    for key in ("StatelessRuleGroupReferences", "StatefulRuleGroupReferences"):
        found = b.items(lid, *policy, key)
        groups = UNKNOWN if found is UNKNOWN or groups is UNKNOWN else \
            groups + [_rule_group(b, item) for item in found or []]
    b.set(lid, "rule_groups", UNKNOWN if groups is UNKNOWN or UNKNOWN in groups or None in groups else groups or None,
          b.tpath(lid, *policy))
    if b.prop(lid, *policy, "TLSInspectionConfigurationArn") is not None:
        b.set(lid, "tls_inspection", True, b.tpath(lid, *policy, "TLSInspectionConfigurationArn"))


FREQUENCY = {"FIFTEEN_MINUTES": "15m", "ONE_HOUR": "1h", "SIX_HOURS": "6h"}
DATA_SOURCES = {"s3_data_events": ("S3Logs", "Enable"), "eks_audit_logs": ("Kubernetes", "AuditLogs", "Enable"),
                "ebs_malware_protection": ("MalwareProtection", "ScanEc2InstanceWithFindings", "EbsVolumes")}


def guardduty(b: Builder, lid: str) -> None:
    if _boolean(b, b.prop(lid, "Enable")) is False:
        return  # a suspended detector detects nothing: as if absent
    b.add(lid, "guardduty_detector")
    b.set(lid, "publishing_frequency", _choice(FREQUENCY)(b, b.prop(lid, "FindingPublishingFrequency")),
          b.tpath(lid, "FindingPublishingFrequency"))
    features: Any = [name for name, keys in DATA_SOURCES.items()
                     if _boolean(b, b.prop(lid, "DataSources", *keys)) is True]
    listed = b.items(lid, "Features")
    if listed is UNKNOWN:
        features = UNKNOWN
    for item in listed if isinstance(listed, list) else []:
        name = _lower(b, item.get("Name")) if isinstance(item, dict) else UNKNOWN
        status = _text(b, item.get("Status")) if isinstance(item, dict) else UNKNOWN
        if UNKNOWN in (name, status) or features is UNKNOWN:
            features = UNKNOWN
        elif status == "ENABLED" and name not in features:
            features.append(name)
    b.set(lid, "features", features or None, b.tpath(lid, "Features"))


DEFAULT_STANDARDS = ["aws-foundational-security-best-practices", "cis-aws-foundations-benchmark"]


def security_hub(b: Builder, lid: str) -> None:
    b.add(lid, "security_hub")
    default = _boolean(b, b.prop(lid, "EnableDefaultStandards"))
    b.set(lid, "standards", DEFAULT_STANDARDS if default in (True, None) else None if default is False else UNKNOWN,
          b.tpath(lid, "EnableDefaultStandards"))


def config_recorder(b: Builder, lid: str) -> None:
    b.add(lid, "config_recorder")
    group = ("RecordingGroup",)
    if b.prop(lid, *group) is None:
        b.set(lid, "all_supported", True, b.tpath(lid))  # no recording group: every supported type
    _copy(b, lid, lid, {"all_supported": (group + ("AllSupported",), _boolean),
                        "include_global": (group + ("IncludeGlobalResourceTypes",), _boolean)})


def _the_one(b: Builder, arch_type: str) -> Any:
    """The template's only resource of a type (one Config recorder per account and Region)."""
    found = [name for name, body in b.resources.items() if body.get("type") == arch_type]
    return found[0] if len(found) == 1 else None


def delivery_channel(b: Builder, lid: str) -> None:
    recorder = _the_one(b, "config_recorder")
    if recorder is not None:
        b.set(recorder, "delivery_bucket", _ref(b, b.prop(lid, "S3BucketName")), b.tpath(lid, "S3BucketName"))


def config_rule(b: Builder, lid: str) -> None:
    recorder = _the_one(b, "config_recorder")
    name = _text(b, b.prop(lid, "Source", "SourceIdentifier"))
    if recorder is not None and b.prop(lid, "Source", "Owner") == "AWS":
        b.append(recorder, "rules", name if isinstance(name, str) else UNKNOWN, b.tpath(lid, "Source"))


# -- events, prefix lists ---------------------------------------------------------------

def event_bus(b: Builder, lid: str) -> None:
    b.add(lid, "eventbridge_bus")
    b.set(lid, "kms_key", _kms_key(b, b.prop(lid, "KmsKeyIdentifier")), b.tpath(lid, "KmsKeyIdentifier"))
    b.set(lid, "policy", b.document(lid, "Policy"), b.tpath(lid, "Policy"))


def event_archive(b: Builder, lid: str) -> None:
    """`AWS::Events::Archive`, folded into the bus it archives."""
    owner = b.name_of(b.prop(lid, "SourceArn"))
    if not (isinstance(owner, str) and b.resources.get(owner, {}).get("type") == "eventbridge_bus"):
        return
    entry = {"name": _text(b, b.prop(lid, "ArchiveName")) or lid,
             "retention": _days(b, b.prop(lid, "RetentionDays"))}
    pattern = b.prop(lid, "EventPattern")
    if pattern is not None:
        entry["event_pattern"] = pattern if isinstance(pattern, dict) and not isinstance(pattern, Reference) \
            else UNKNOWN
    if entry["retention"] == "0d":
        entry["retention"] = None  # 0 is forever
    b.append(owner, "archives", UNKNOWN if UNKNOWN in entry.values()
             else {k: v for k, v in entry.items() if v is not None}, b.tpath(lid))


def prefix_list(b: Builder, lid: str) -> None:
    b.add(lid, "prefix_list")
    _copy(b, lid, lid, {"max_entries": ("MaxEntries", _integer), "address_family": ("AddressFamily", _text)})
    entries = b.items(lid, "Entries")
    if isinstance(entries, list):
        cidrs = [_text(b, e.get("Cidr")) if isinstance(e, dict) else UNKNOWN for e in entries]
        b.set(lid, "entries", UNKNOWN if UNKNOWN in cidrs or None in cidrs else cidrs, b.tpath(lid, "Entries"))
    elif entries is UNKNOWN:
        b.set(lid, "entries", UNKNOWN, b.tpath(lid, "Entries"))


def event_invoke_config(b: Builder, lid: str) -> None:
    """`AWS::Lambda::EventInvokeConfig`: asynchronous destinations and retries, folded into the function."""
    owner = b.name_of(b.prop(lid, "FunctionName"))
    if not (isinstance(owner, str) and b.resources.get(owner, {}).get("type") == "lambda_function"):
        return
    destinations = ("DestinationConfig",)
    for field, key in (("on_failure", "OnFailure"), ("on_success", "OnSuccess")):
        b.set(owner, field, _ref(b, b.prop(lid, *destinations, key, "Destination")),
              b.tpath(lid, *destinations, key, "Destination"))
    b.set(owner, "max_retries", _integer(b, b.prop(lid, "MaximumRetryAttempts")), b.tpath(lid, "MaximumRetryAttempts"))
    b.set(owner, "max_event_age", _seconds(b, b.prop(lid, "MaximumEventAgeInSeconds")),
          b.tpath(lid, "MaximumEventAgeInSeconds"))


# -- fields the format gained on types translate.py reads -----------------------------------
# Each reader runs after that type's translator (see `_also` below): one place for the new fields,
# and translate.py's functions stay as they are.

TOKENS = _choice({"required": "required", "optional": "optional"})


def _metadata_tokens(*keys: str):
    def read(b: Builder, lid: str) -> None:
        b.set(lid, "metadata_tokens", TOKENS(b, b.prop(lid, *keys, "MetadataOptions", "HttpTokens")),
              b.tpath(lid, *keys, "MetadataOptions", "HttpTokens"))
    return read


def _key_at(*keys: Any):
    def read(b: Builder, lid: str) -> None:
        b.set(lid, "kms_key", _kms_key(b, b.prop(lid, *keys)), b.tpath(lid, *keys))
    return read


def _bucket_extras(b: Builder, lid: str) -> None:
    _key_at("BucketEncryption", "ServerSideEncryptionConfiguration", 0, "ServerSideEncryptionByDefault",
            "KMSMasterKeyID")(b, lid)
    logging = b.mapping(lid, "LoggingConfiguration")
    if logging is UNKNOWN:
        b.set(lid, "access_logs", UNKNOWN, b.tpath(lid, "LoggingConfiguration"))
    elif isinstance(logging, dict):
        b.set(lid, "access_logs", True, b.tpath(lid, "LoggingConfiguration"))
        target = logging.get("DestinationBucketName")  # none: the logs go to the bucket itself
        b.set(lid, "log_bucket", lid if target is None else _ref(b, target),
              b.tpath(lid, "LoggingConfiguration", "DestinationBucketName"))


def _queue_extras(b: Builder, lid: str) -> None:
    key = b.prop(lid, "KmsMasterKeyId")
    b.set(lid, "kms_key", _kms_key(b, key), b.tpath(lid, "KmsMasterKeyId"))
    managed = _boolean(b, b.prop(lid, "SqsManagedSseEnabled"))
    encryption = "sse-kms" if key is not None and key is not UNKNOWN else UNKNOWN if key is UNKNOWN \
        else "none" if managed is False else None if managed is None else "sse-sqs" if managed else UNKNOWN
    b.set(lid, "encryption", encryption, b.tpath(lid, "KmsMasterKeyId" if key is not None else "SqsManagedSseEnabled"))


def _table_extras(b: Builder, lid: str) -> None:
    b.set(lid, "stream", _lower(b, b.prop(lid, "StreamSpecification", "StreamViewType")),
          b.tpath(lid, "StreamSpecification", "StreamViewType"))
    enabled = _boolean(b, b.prop(lid, "SSESpecification", "SSEEnabled"))
    key = _kms_key(b, b.prop(lid, "SSESpecification", "KMSMasterKeyId"))
    where = b.tpath(lid, "SSESpecification")
    if enabled is UNKNOWN or key is UNKNOWN:
        b.set(lid, "encryption", UNKNOWN, where)
    elif enabled is True:  # SSEEnabled: KMS; a customer key when one is named, else the AWS managed key
        b.set(lid, "encryption", "customer_managed" if key else "aws_managed", where)
        b.set(lid, "kms_key", key, b.tpath(lid, "SSESpecification", "KMSMasterKeyId"))


def _stream_extras(b: Builder, lid: str) -> None:
    kind = _text(b, b.prop(lid, "StreamEncryption", "EncryptionType"))
    b.set(lid, "encryption", "kms" if kind == "KMS" else UNKNOWN if kind is UNKNOWN else None,
          b.tpath(lid, "StreamEncryption"))
    _key_at("StreamEncryption", "KeyId")(b, lid)


def _attributes(b: Builder, lid: str) -> Any:
    """`LoadBalancerAttributes` as a key -> (value, index) mapping; UNKNOWN when deploy-time only."""
    attributes = b.items(lid, "LoadBalancerAttributes")
    if not isinstance(attributes, list):
        return attributes if attributes is UNKNOWN else {}
    return {a.get("Key"): (a.get("Value"), index) for index, a in enumerate(attributes)
            if isinstance(a, dict) and isinstance(a.get("Key"), str)}


def _load_balancer_extras(b: Builder, lid: str) -> None:
    attributes = _attributes(b, lid)
    if attributes is UNKNOWN:
        b.set(lid, "access_logs", UNKNOWN, b.tpath(lid, "LoadBalancerAttributes"))
        return
    if "access_logs.s3.enabled" in attributes:
        value, index = attributes["access_logs.s3.enabled"]
        b.set(lid, "access_logs", _boolean(b, value), b.tpath(lid, "LoadBalancerAttributes", index, "Value"))
    if "access_logs.s3.bucket" in attributes:
        value, index = attributes["access_logs.s3.bucket"]
        b.set(lid, "log_bucket", _ref(b, value), b.tpath(lid, "LoadBalancerAttributes", index, "Value"))


def _classic_extras(b: Builder, lid: str) -> None:
    b.set(lid, "access_logs", _boolean(b, b.prop(lid, "AccessLoggingPolicy", "Enabled")),
          b.tpath(lid, "AccessLoggingPolicy", "Enabled"))
    b.set(lid, "log_bucket", _ref(b, b.prop(lid, "AccessLoggingPolicy", "S3BucketName")),
          b.tpath(lid, "AccessLoggingPolicy", "S3BucketName"))


def _cloudfront_extras(b: Builder, lid: str) -> None:
    logging = ("DistributionConfig", "Logging")
    if b.prop(lid, *logging) is not None:
        b.set(lid, "access_logs", True if b.prop(lid, *logging) is not UNKNOWN else UNKNOWN, b.tpath(lid, *logging))
        b.set(lid, "log_bucket", _ref(b, b.prop(lid, *logging, "Bucket")), b.tpath(lid, *logging, "Bucket"))


def _target_setting(b: Builder, target: Any) -> Any:
    if not isinstance(target, dict):
        return UNKNOWN
    retry: Any = target.get("RetryPolicy") if isinstance(target.get("RetryPolicy"), dict) else {}
    dead: Any = target.get("DeadLetterConfig") if isinstance(target.get("DeadLetterConfig"), dict) else {}
    entry = {"target": b.name_of(target.get("Arn")), "dead_letter_queue": b.name_of(dead.get("Arn")),
             "max_retries": _integer(b, retry.get("MaximumRetryAttempts")),
             "max_event_age": _seconds(b, retry.get("MaximumEventAgeInSeconds"))}
    return UNKNOWN if UNKNOWN in entry.values() or entry["target"] is None else \
        {k: v for k, v in entry.items() if v is not None}


def _rule_extras(b: Builder, lid: str) -> None:
    bus = b.prop(lid, "EventBusName")
    b.set(lid, "bus", None if bus == "default" else _ref(b, bus), b.tpath(lid, "EventBusName"))
    targets = b.items(lid, "Targets")
    if targets is UNKNOWN:
        b.set(lid, "target_settings", UNKNOWN, b.tpath(lid, "Targets"))
    for index, target in enumerate(targets if isinstance(targets, list) else []):
        if isinstance(target, dict) and (target.get("DeadLetterConfig") is not None
                                         or target.get("RetryPolicy") is not None):
            b.append(lid, "target_settings", _target_setting(b, target), b.tpath(lid, "Targets", index))


EXTRAS = {
    "AWS::EC2::Instance": _metadata_tokens(),
    "AWS::EC2::LaunchTemplate": _metadata_tokens("LaunchTemplateData"),
    "AWS::AutoScaling::LaunchConfiguration": _metadata_tokens(),
    "AWS::S3::Bucket": _bucket_extras,
    "AWS::SQS::Queue": _queue_extras,
    "AWS::SNS::Topic": _key_at("KmsMasterKeyId"),
    "AWS::DynamoDB::Table": _table_extras,
    "AWS::Kinesis::Stream": _stream_extras,
    "AWS::RDS::DBInstance": _key_at("KmsKeyId"),
    "AWS::RDS::DBCluster": _key_at("KmsKeyId"),
    "AWS::EFS::FileSystem": _key_at("KmsKeyId"),
    "AWS::EC2::Volume": _key_at("KmsKeyId"),
    "AWS::FSx::FileSystem": _key_at("KmsKeyId"),
    "AWS::ElastiCache::ReplicationGroup": _key_at("KmsKeyId"),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": _load_balancer_extras,
    "AWS::ElasticLoadBalancing::LoadBalancer": _classic_extras,
    "AWS::CloudFront::Distribution": _cloudfront_extras,
    "AWS::Events::Rule": _rule_extras,
}


def _also(translate: Any, extra: Any) -> Any:
    def both(b: Builder, lid: str) -> None:
        translate(b, lid)
        if lid in b.resources:  # a translator may decide the resource is absent
            extra(b, lid)
    return both


for _type, _extra in EXTRAS.items():
    _pass, _translate = TYPES[_type]
    TYPES[_type] = (_pass, _also(_translate, _extra))


TYPES.update({
    "AWS::KMS::Key": (0, kms_key),
    "AWS::KMS::Alias": (0, folded),
    "AWS::CertificateManager::Certificate": (0, certificate),
    "AWS::SecretsManager::Secret": (0, secret),
    "AWS::SecretsManager::RotationSchedule": (SECOND, rotation_schedule),
    "AWS::Cognito::UserPool": (0, user_pool),
    "AWS::ECS::Cluster": (0, ecs_cluster),
    "AWS::ECS::TaskDefinition": (0, task_definition),
    "AWS::ECS::Service": (0, ecs_service),
    "AWS::EKS::Cluster": (0, eks_cluster),
    "AWS::EKS::Nodegroup": (0, eks_node_group),
    "AWS::EKS::FargateProfile": (0, fargate_profile),
    "AWS::NetworkFirewall::Firewall": (0, network_firewall),
    "AWS::NetworkFirewall::FirewallPolicy": (0, firewall_policy),
    "AWS::NetworkFirewall::LoggingConfiguration": (SECOND, firewall_logging),
    "AWS::GuardDuty::Detector": (0, guardduty),
    "AWS::SecurityHub::Hub": (0, security_hub),
    "AWS::Config::ConfigurationRecorder": (0, config_recorder),
    "AWS::Config::DeliveryChannel": (SECOND, delivery_channel),
    "AWS::Config::ConfigRule": (SECOND, config_rule),
    "AWS::Events::EventBus": (0, event_bus),
    "AWS::Events::Archive": (SECOND, event_archive),
    "AWS::EC2::PrefixList": (0, prefix_list),
    "AWS::Lambda::EventInvokeConfig": (SECOND, event_invoke_config),
})
