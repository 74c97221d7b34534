"""CloudFormation resource types mapped onto the architecture model.

Each mapped type has one function. Most copy properties onto fields through
a small table; the rest fold a helper resource (a route, a rule, an
attachment) into the resource it belongs to, which is how the model reads.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from .builder import Builder
from .resolve import UNKNOWN, Reference

Convert = Callable[[Builder, Any], Any]


def _scalar(b: Optional[Builder], v: Any) -> Any:
    return v if isinstance(v, (str, int, float, bool)) or v is None else UNKNOWN


def _text(b: Optional[Builder], v: Any) -> Any:
    v = _scalar(b, v)
    return str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v


def _boolean(b: Builder, v: Any) -> Any:
    if isinstance(v, bool) or v is None or v is UNKNOWN:
        return v
    if isinstance(v, str) and v.lower() in ("true", "false"):
        return v.lower() == "true"
    return UNKNOWN


def _integer(b: Builder, v: Any) -> Any:
    if v is None or v is UNKNOWN:
        return v
    try:
        return int(v) if not isinstance(v, bool) else UNKNOWN
    except (TypeError, ValueError):
        return UNKNOWN


def _number(b: Builder, v: Any) -> Any:
    if v is None or v is UNKNOWN:
        return v
    try:
        number = float(v) if not isinstance(v, bool) else UNKNOWN
    except (TypeError, ValueError):
        return UNKNOWN
    return int(number) if isinstance(number, float) and number.is_integer() else number


def _ref(b: Builder, v: Any) -> Any:
    return b.name_of(v)


def _refs(b: Builder, v: Any) -> Any:
    if v is None or v is UNKNOWN:
        return v
    if not isinstance(v, list):
        v = [v]
    names = [b.name_of(x) for x in v]
    return UNKNOWN if UNKNOWN in names else names


def _seconds(b: Builder, v: Any) -> Any:
    n = _integer(b, v)
    return f"{n}s" if isinstance(n, int) else n


def _lower(b: Builder, v: Any) -> Any:
    v = _text(b, v)
    return v.lower() if isinstance(v, str) else v


def _lower_or_wrong(b: Builder, v: Any) -> Any:
    """A required string: a mapping or list (no intrinsic function) stays as written, so the schema reports
    the wrong type at its position instead of the field reading as known only at deploy time."""
    return v if isinstance(v, (dict, list)) else _lower(b, v)


def _choice(table: dict) -> Convert:
    def convert(b: Builder, v: Any) -> Any:
        v = _text(b, v)
        if v is None or v is UNKNOWN:
            return v
        return table.get(v, table.get(str(v).lower(), UNKNOWN))
    return convert


def _copy(b: Builder, lid: str, name: str, spec: dict) -> None:
    for field, (keys, convert) in spec.items():
        keys = keys if isinstance(keys, tuple) else (keys,)
        b.set(name, field, convert(b, b.prop(lid, *keys)), b.tpath(lid, *keys))


def simple(arch_type: str, spec: dict, after: Optional[Callable] = None):
    def translate(b: Builder, lid: str) -> None:
        b.add(lid, arch_type)
        _copy(b, lid, lid, spec)
        if after is not None:
            after(b, lid)
    return translate


def _target_of(b: Builder, lid: str, keys: tuple, field: str, value: Any, tpath: tuple) -> None:
    """Set `field` on the resource a property of `lid` refers to."""
    owner = b.name_of(b.prop(lid, *keys))
    if isinstance(owner, str) and owner in b.resources:
        b.set(owner, field, value, tpath)


def _append_to(b: Builder, lid: str, keys: tuple, field: str, item: Any, item_paths: Optional[dict] = None) -> None:
    owner = b.name_of(b.prop(lid, *keys))
    if isinstance(owner, str):
        b.append(owner, field, item, b.tpath(lid), item_paths)


# -- network ---------------------------------------------------------------

def _protocol(b: Builder, v: Any) -> Any:
    v = _text(b, v)
    return {"-1": "all", "6": "tcp", "17": "udp", "1": "icmp"}.get(v, v) if isinstance(v, str) else v


def _ports(low: Any, high: Any) -> Any:
    if low is UNKNOWN or high is UNKNOWN:
        return UNKNOWN
    if low is None and high is None:
        return None
    low, high = (low if low is not None else high), (high if high is not None else low)
    try:
        low, high = int(low), int(high)
    except (TypeError, ValueError):
        return UNKNOWN
    if low == -1 or (low == 0 and high == 65535):
        return "all"
    return low if low == high else f"{low}-{high}"


def _sg_rule(b: Builder, rule: Any, kind: str) -> Any:
    if not isinstance(rule, dict):
        return UNKNOWN
    out = {"protocol": _protocol(b, rule.get("IpProtocol"))}
    ports = _ports(rule.get("FromPort"), rule.get("ToPort"))
    if ports is not None:
        out["ports"] = ports
    cidr = rule.get("CidrIp") or rule.get("CidrIpv6")
    if cidr is not None:
        out["cidr"] = _text(b, cidr)
    peer = rule.get("SourceSecurityGroupId" if kind == "ingress" else "DestinationSecurityGroupId")
    if peer is not None:
        out["source_security_group"] = b.name_of(peer)
    if rule.get("Description") is not None:
        out["description"] = _text(b, rule.get("Description"))
    return UNKNOWN if UNKNOWN in out.values() or out["protocol"] is None else out


def security_group(b: Builder, lid: str) -> None:
    b.add(lid, "security_group")
    b.set(lid, "vpc", _ref(b, b.prop(lid, "VpcId")), b.tpath(lid, "VpcId"))
    for kind, key in (("ingress", "SecurityGroupIngress"), ("egress", "SecurityGroupEgress")):
        rules = b.items(lid, key)
        if rules is UNKNOWN:  # a list chosen by a condition decided at deploy time
            b.set(lid, kind, UNKNOWN, b.tpath(lid, key))
            continue
        for index, rule in enumerate(rules if isinstance(rules, list) else []):
            b.append(lid, kind, _sg_rule(b, rule, kind), b.tpath(lid, key, index),
                     _sg_rule_paths(b, rule, kind, b.tpath(lid, key, index)))


def _sg_rule_paths(b: Builder, rule: Any, kind: str, at: tuple) -> dict:
    """Template paths of each field of a security group rule, so findings point at the property."""
    if not isinstance(rule, dict):
        return {}
    peer = "SourceSecurityGroupId" if kind == "ingress" else "DestinationSecurityGroupId"
    paths = {"protocol": at + ("IpProtocol",), "ports": at + ("FromPort",), "description": at + ("Description",),
             "cidr": at + ("CidrIp" if rule.get("CidrIp") is not None else "CidrIpv6",),
             "source_security_group": at + (peer,)}
    return paths


def security_group_rule(kind: str):
    def translate(b: Builder, lid: str) -> None:
        rule = resolve_props(b, lid)
        _append_to(b, lid, ("GroupId",), kind, _sg_rule(b, rule, kind), _sg_rule_paths(b, rule, kind, b.tpath(lid)))
    return translate


def resolve_props(b: Builder, lid: str) -> Any:
    props = b.prop(lid)
    return props if isinstance(props, dict) else {}


def route(b: Builder, lid: str) -> None:
    props = resolve_props(b, lid)
    destination = props.get("DestinationCidrBlock") or props.get("DestinationIpv6CidrBlock") \
        or props.get("DestinationPrefixListId")
    target = next((props[k] for k in ("GatewayId", "NatGatewayId", "TransitGatewayId", "VpcPeeringConnectionId",
                                      "NetworkInterfaceId", "InstanceId", "EgressOnlyInternetGatewayId",
                                      "VpcEndpointId") if props.get(k) is not None), None)
    item = {"destination": _text(b, destination), "target": b.name_of(target)}
    if target is None:
        item.pop("target")
    at = b.tpath(lid)
    paths = {"destination": at + (next((k for k in ("DestinationCidrBlock", "DestinationIpv6CidrBlock",
                                                    "DestinationPrefixListId") if props.get(k) is not None),
                                       "DestinationCidrBlock"),),
             "target": at + (next((k for k in ("GatewayId", "NatGatewayId", "TransitGatewayId",
                                               "VpcPeeringConnectionId", "NetworkInterfaceId", "InstanceId",
                                               "EgressOnlyInternetGatewayId", "VpcEndpointId")
                                   if props.get(k) is not None), "GatewayId"),)}
    _append_to(b, lid, ("RouteTableId",), "routes", UNKNOWN if UNKNOWN in item.values() else item, paths)


def nacl_entry(b: Builder, lid: str) -> None:
    props = resolve_props(b, lid)
    port_range = props.get("PortRange") if isinstance(props.get("PortRange"), dict) else {}
    item = {"rule": _integer(b, props.get("RuleNumber")), "action": _lower(b, props.get("RuleAction")),
            "protocol": _protocol(b, props.get("Protocol")),
            "cidr": _text(b, props.get("CidrBlock") or props.get("Ipv6CidrBlock"))}
    ports = _ports(port_range.get("From"), port_range.get("To"))
    if ports is not None:
        item["ports"] = ports
    direction = "outbound" if _boolean(b, props.get("Egress")) is True else "inbound"
    at = b.tpath(lid)
    paths = {"rule": at + ("RuleNumber",), "action": at + ("RuleAction",), "protocol": at + ("Protocol",),
             "cidr": at + ("CidrBlock" if props.get("CidrBlock") is not None else "Ipv6CidrBlock",),
             "ports": at + ("PortRange",)}
    _append_to(b, lid, ("NetworkAclId",), direction, UNKNOWN if UNKNOWN in item.values() else item, paths)


def gateway_attachment(b: Builder, lid: str) -> None:
    vpc = _ref(b, b.prop(lid, "VpcId"))
    for key in ("InternetGatewayId", "VpnGatewayId"):
        _target_of(b, lid, (key,), "vpc", vpc, b.tpath(lid, "VpcId"))


def subnet_association(field: str, key: str):
    def translate(b: Builder, lid: str) -> None:
        _target_of(b, lid, ("SubnetId",), field, _ref(b, b.prop(lid, key)), b.tpath(lid, key))
    return translate


def vpc_cidr(b: Builder, lid: str) -> None:
    """An IPv4 block; an IPv6 one (`AmazonProvidedIpv6CidrBlock`, `Ipv6CidrBlock`, an IPAM pool) is not
    an IPv4 secondary CIDR and is left out."""
    cidr = _text(b, b.prop(lid, "CidrBlock"))
    if cidr is None and b.prop(lid, "Ipv4IpamPoolId") is not None:
        cidr = UNKNOWN  # allocated from an IPAM pool at deploy time
    if cidr is not None:
        _append_to(b, lid, ("VpcId",), "secondary_cidrs", cidr)


def eni_attachment(b: Builder, lid: str) -> None:
    _target_of(b, lid, ("NetworkInterfaceId",), "attached_to", _ref(b, b.prop(lid, "InstanceId")),
               b.tpath(lid, "InstanceId"))


def volume_attachment(b: Builder, lid: str) -> None:
    _append_to(b, lid, ("VolumeId",), "attached_to", _ref(b, b.prop(lid, "InstanceId")))


# -- compute -----------------------------------------------------------------

def _purchase(b: Builder, market: Any) -> Any:
    if market is UNKNOWN:
        return UNKNOWN
    if isinstance(market, dict) and str(market.get("MarketType", "")).lower() == "spot":
        return "spot"
    return None


def instance(b: Builder, lid: str) -> None:
    b.add(lid, "ec2_instance")
    _copy(b, lid, lid, {"instance_type": ("InstanceType", _text), "az": ("AvailabilityZone", _text),
                        "security_groups": ("SecurityGroupIds", _refs),
                        "placement_group": ("PlacementGroupName", _ref), "monitoring": ("Monitoring", _choice(
                            {"true": "detailed", "false": "basic", True: "detailed", False: "basic"}))})
    subnet = b.prop(lid, "SubnetId")
    path = b.tpath(lid, "SubnetId")
    if subnet is None:
        subnet, path = b.prop(lid, "NetworkInterfaces", 0, "SubnetId"), b.tpath(lid, "NetworkInterfaces", 0, "SubnetId")
        b.set(lid, "public_ip", _boolean(b, b.prop(lid, "NetworkInterfaces", 0, "AssociatePublicIpAddress")),
              b.tpath(lid, "NetworkInterfaces", 0, "AssociatePublicIpAddress"))
        if b.prop(lid, "SecurityGroupIds") is None:  # the groups then sit on the primary interface
            b.set(lid, "security_groups", _refs(b, b.prop(lid, "NetworkInterfaces", 0, "GroupSet")),
                  b.tpath(lid, "NetworkInterfaces", 0, "GroupSet"))
    b.set(lid, "subnet", _ref(b, subnet), path)
    b.set(lid, "purchase", _purchase(b, b.prop(lid, "InstanceMarketOptions")), b.tpath(lid, "InstanceMarketOptions"))
    b.set(lid, "role", _profile_role(b, b.prop(lid, "IamInstanceProfile")), b.tpath(lid, "IamInstanceProfile"))


def _profile_role(b: Builder, value: Any) -> Any:
    profile = b.name_of(value)
    if not isinstance(profile, str):
        return profile
    body = b.template["Resources"].get(profile, {})
    if body.get("Type") != "AWS::IAM::InstanceProfile":
        return UNKNOWN
    roles = b.prop(profile, "Roles")
    return b.name_of(roles[0]) if isinstance(roles, list) and roles else UNKNOWN


def launch_template(b: Builder, lid: str) -> None:
    b.add(lid, "launch_template")
    data = ("LaunchTemplateData",)
    _copy(b, lid, lid, {"instance_type": (data + ("InstanceType",), _text),
                        "placement_group": (data + ("Placement", "GroupName"), _ref),
                        "security_groups": (data + ("SecurityGroupIds",), _refs)})
    if b.prop(lid, *data, "SecurityGroupIds") is None and b.prop(lid, *data, "NetworkInterfaces") is not None:
        b.set(lid, "security_groups", _refs(b, b.prop(lid, *data, "NetworkInterfaces", 0, "Groups")),
              b.tpath(lid, *data, "NetworkInterfaces", 0, "Groups"))
    b.set(lid, "purchase", _purchase(b, b.prop(lid, *data, "InstanceMarketOptions")),
          b.tpath(lid, *data, "InstanceMarketOptions"))
    b.set(lid, "role", _profile_role(b, b.prop(lid, *data, "IamInstanceProfile", "Arn")),
          b.tpath(lid, *data, "IamInstanceProfile"))


def auto_scaling_group(b: Builder, lid: str) -> None:
    b.add(lid, "auto_scaling_group")
    _copy(b, lid, lid, {"subnets": ("VPCZoneIdentifier", _refs), "min_size": ("MinSize", _integer),
                        "max_size": ("MaxSize", _integer), "desired": ("DesiredCapacity", _integer),
                        "launch_template": (("LaunchTemplate", "LaunchTemplateId"), _ref),
                        "target_groups": ("TargetGroupARNs", _refs),
                        "health_check": ("HealthCheckType", _lower), "placement_group": ("PlacementGroup", _ref)})
    if b.prop(lid, "LaunchTemplate", "LaunchTemplateId") is None:
        b.set(lid, "launch_template", _ref(b, b.prop(lid, "LaunchTemplate", "LaunchTemplateName")),
              b.tpath(lid, "LaunchTemplate"))
    if b.prop(lid, "LaunchTemplate") is None and b.prop(lid, "LaunchConfigurationName") is not None:
        b.set(lid, "launch_template", _ref(b, b.prop(lid, "LaunchConfigurationName")),
              b.tpath(lid, "LaunchConfigurationName"))
    share = b.prop(lid, "MixedInstancesPolicy", "InstancesDistribution", "OnDemandPercentageAboveBaseCapacity")
    share = _integer(b, share)
    b.set(lid, "spot_percentage", 100 - share if isinstance(share, int) else share,
          b.tpath(lid, "MixedInstancesPolicy"))


# -- storage -----------------------------------------------------------------

SSE = {"AES256": "sse-s3", "aws:kms": "sse-kms", "aws:kms:dsse": "dsse-kms"}


def bucket(b: Builder, lid: str) -> None:
    b.add(lid, "s3_bucket")
    b.set(lid, "versioning", _choice({"Enabled": "enabled", "Suspended": "suspended"})(
        b, b.prop(lid, "VersioningConfiguration", "Status")), b.tpath(lid, "VersioningConfiguration", "Status"))
    rule = ("BucketEncryption", "ServerSideEncryptionConfiguration", 0, "ServerSideEncryptionByDefault",
            "SSEAlgorithm")
    b.set(lid, "encryption", _choice(SSE)(b, b.prop(lid, *rule)), b.tpath(lid, *rule))
    block = b.prop(lid, "PublicAccessBlockConfiguration")
    if isinstance(block, dict):
        flags = [_boolean(b, block.get(k)) for k in ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls",
                                                     "RestrictPublicBuckets")]
        value = UNKNOWN if UNKNOWN in flags else all(f is True for f in flags)
        b.set(lid, "block_public_access", value, b.tpath(lid, "PublicAccessBlockConfiguration"))
    elif block is UNKNOWN:
        b.set(lid, "block_public_access", UNKNOWN, b.tpath(lid, "PublicAccessBlockConfiguration"))
    rules = b.items(lid, "LifecycleConfiguration", "Rules")
    if isinstance(rules, list):
        lifecycle: Any = []
        for r in rules:
            if not isinstance(r, dict):
                continue
            status = _text(b, r.get("Status"))
            if status == "Disabled":
                continue  # written down, not applied
            if status is UNKNOWN:
                lifecycle = UNKNOWN
                break
            entry: dict = {}
            transition = (r.get("Transitions") or [{}])[0] if isinstance(r.get("Transitions"), list) else {}
            if isinstance(transition, dict) and transition.get("TransitionInDays") is not None:
                entry["transition_after"] = f"{_integer(b, transition['TransitionInDays'])}d"
                entry["storage_class"] = _text(b, transition.get("StorageClass"))
            if r.get("ExpirationInDays") is not None:
                entry["expire_after"] = f"{_integer(b, r['ExpirationInDays'])}d"
            if entry and "UNKNOWNd" not in entry.values() and UNKNOWN not in entry.values():
                lifecycle.append(entry)
        b.set(lid, "lifecycle", lifecycle, b.tpath(lid, "LifecycleConfiguration"))
    elif rules is UNKNOWN or b.prop(lid, "LifecycleConfiguration") is UNKNOWN:
        b.set(lid, "lifecycle", UNKNOWN, b.tpath(lid, "LifecycleConfiguration"))
    notifications = b.mapping(lid, "NotificationConfiguration")
    if notifications is UNKNOWN:
        b.set(lid, "notifications", UNKNOWN, b.tpath(lid, "NotificationConfiguration"))
    if isinstance(notifications, dict):
        for key, target in (("QueueConfigurations", "Queue"), ("TopicConfigurations", "Topic"),
                            ("LambdaConfigurations", "Function")):
            configured = b.items(lid, "NotificationConfiguration", key)
            if configured is UNKNOWN:
                b.set(lid, "notifications", UNKNOWN, b.tpath(lid, "NotificationConfiguration", key))
            for index, item in enumerate(configured if isinstance(configured, list) else []):
                if isinstance(item, dict):
                    b.append(lid, "notifications", {"events": [str(item.get("Event"))],
                                                    "destination": b.name_of(item.get(target))},
                             b.tpath(lid, "NotificationConfiguration", key, index))
        if notifications.get("EventBridgeConfiguration") is not None:
            b.set(lid, "event_bridge", True, b.tpath(lid, "NotificationConfiguration"))
    b.set(lid, "website", True if b.prop(lid, "WebsiteConfiguration") is not None else None,
          b.tpath(lid, "WebsiteConfiguration"))
    replication = b.items(lid, "ReplicationConfiguration", "Rules")
    if replication is UNKNOWN:
        b.set(lid, "replication", UNKNOWN, b.tpath(lid, "ReplicationConfiguration"))
    for index, r in enumerate(replication if isinstance(replication, list) else []):
        if isinstance(r, dict) and isinstance(r.get("Destination"), dict):
            destination = b.name_of(r["Destination"].get("Bucket"))  # a bucket outside the template: unknown
            b.append(lid, "replication", {"destination": destination} if isinstance(destination, str) else UNKNOWN,
                     b.tpath(lid, "ReplicationConfiguration", "Rules", index))


def resource_policy(field: str, key: str):
    def translate(b: Builder, lid: str) -> None:
        owners = b.prop(lid, key)
        for owner in owners if isinstance(owners, list) else [owners]:
            name = b.name_of(owner)
            if isinstance(name, str) and name in b.resources:
                b.set(name, field, b.document(lid, "PolicyDocument"), b.tpath(lid, "PolicyDocument"))
    return translate


def efs(b: Builder, lid: str) -> None:
    b.add(lid, "efs_file_system")
    zone = b.prop(lid, "AvailabilityZoneName")
    b.set(lid, "storage_class", "one_zone" if zone is not None else "standard",
          b.tpath(lid, "AvailabilityZoneName") if zone is not None else b.tpath(lid))
    b.set(lid, "az", _text(b, zone), b.tpath(lid, "AvailabilityZoneName"))
    b.set(lid, "encrypted", _boolean(b, b.prop(lid, "Encrypted")), b.tpath(lid, "Encrypted"))


def mount_target(b: Builder, lid: str) -> None:
    _append_to(b, lid, ("FileSystemId",), "mount_targets", _ref(b, b.prop(lid, "SubnetId")))


FSX_FAMILY = {"LUSTRE": "lustre", "ONTAP": "ontap", "OPENZFS": "openzfs", "WINDOWS": "windows"}
FSX_CONFIG = {"lustre": "LustreConfiguration", "ontap": "OntapConfiguration", "openzfs": "OpenZFSConfiguration",
              "windows": "WindowsConfiguration"}


def _fsx_deployment(family: Any, value: Any) -> Any:
    """SCRATCH_2 -> scratch_2 (Lustre); MULTI_AZ_1 -> multi_az, SINGLE_AZ_2 -> single_az (the others)."""
    if not isinstance(value, str):
        return value
    value = value.upper()
    if family == "lustre":
        return value.lower() if value in ("SCRATCH_1", "SCRATCH_2", "PERSISTENT_1", "PERSISTENT_2") else UNKNOWN
    return "multi_az" if value.startswith("MULTI_AZ") else "single_az" if value.startswith("SINGLE_AZ") else UNKNOWN


def fsx(b: Builder, lid: str) -> None:
    b.add(lid, "fsx_file_system")
    family = _choice(FSX_FAMILY)(b, b.prop(lid, "FileSystemType"))
    b.set(lid, "family", family, b.tpath(lid, "FileSystemType"))
    b.set(lid, "subnets", _refs(b, b.prop(lid, "SubnetIds")), b.tpath(lid, "SubnetIds"))
    if isinstance(family, str):
        keys = (FSX_CONFIG[family], "DeploymentType")
        value = b.prop(lid, *keys)
        if value is None and family == "lustre":
            value = "SCRATCH_1"  # the default of a Lustre file system
        b.set(lid, "deployment", _fsx_deployment(family, value), b.tpath(lid, *keys))


# -- backup ----------------------------------------------------------------------

def backup_plan(b: Builder, lid: str) -> None:
    b.add(lid, "backup_plan")
    rules = b.prop(lid, "BackupPlan", "BackupPlanRule")
    if rules is UNKNOWN or not isinstance(rules, list):
        b.set(lid, "rules", UNKNOWN if rules is not None else None, b.tpath(lid, "BackupPlan", "BackupPlanRule"))
        return
    out = []
    for item in rules:
        item = item if isinstance(item, dict) else {}
        rule: dict = {}
        schedule = _text(b, item.get("ScheduleExpression"))
        if isinstance(schedule, str):
            rule["schedule"] = schedule
        days = _integer(b, (item.get("Lifecycle") or {}).get("DeleteAfterDays")
                        if isinstance(item.get("Lifecycle"), dict) else None)
        if isinstance(days, int):
            rule["retention"] = f"{days}d"
        for action in item.get("CopyActions") or () if isinstance(item.get("CopyActions"), list) else ():
            vault = action.get("DestinationBackupVaultArn") if isinstance(action, dict) else None
            parts = vault.split(":") if isinstance(vault, str) else []
            if len(parts) > 3 and parts[3]:
                rule["copy_to_region"] = parts[3]
        out.append(rule)
    b.set(lid, "rules", out, b.tpath(lid, "BackupPlan", "BackupPlanRule"))


def backup_selection(b: Builder, lid: str) -> None:
    """A selection adds what it names (resources, or tags as `selection_tags`) to its plan."""
    plan = b.name_of(b.prop(lid, "BackupPlanId"))
    if not isinstance(plan, str) or plan not in b.resources:
        return
    items = b.raw(lid, "BackupSelection", "Resources")
    for index in range(len(items) if isinstance(items, list) else 0):
        target = b.target(lid, "BackupSelection", "Resources", index)
        if isinstance(target, str) and target in b.resources:
            b.append(plan, "resources", target, b.tpath(lid, "BackupSelection", "Resources", index))
        else:  # a wildcard ARN, or an ARN of something outside the template: what it covers is unknown
            b.append(plan, "resources", UNKNOWN, b.tpath(lid, "BackupSelection", "Resources", index))
    tags = b.prop(lid, "BackupSelection", "ListOfTags")
    if isinstance(tags, list):
        wanted = {t.get("ConditionKey"): t.get("ConditionValue") for t in tags if isinstance(t, dict)
                  and str(t.get("ConditionType", "STRINGEQUALS")).upper() == "STRINGEQUALS"}
        if wanted and all(isinstance(k, str) and isinstance(v, str) for k, v in wanted.items()):
            b.set(plan, "selection_tags", {**(b.resources[plan].get("selection_tags") or {}), **wanted},
                  b.tpath(lid, "BackupSelection", "ListOfTags"))


# -- databases -----------------------------------------------------------------

def _engine(value: Any) -> Any:
    if not isinstance(value, str):
        return UNKNOWN if value is not None else None
    value = value.lower()
    for prefix, name in (("aurora-postgresql", "aurora-postgresql"), ("aurora", "aurora-mysql"),
                         ("postgres", "postgres"), ("mysql", "mysql"), ("mariadb", "mariadb"),
                         ("oracle", "oracle"), ("sqlserver", "sqlserver"), ("db2", "db2")):
        if value.startswith(prefix):
            return name
    return UNKNOWN


def _inherited_engine(b: Builder, lid: str) -> Any:
    """The engine; a read replica (`SourceDBInstanceIdentifier`) or a restored snapshot without one
    inherits its source's, which the template may not hold: then it is unknown, never missing."""
    engine = _engine(b.prop(lid, "Engine"))
    if engine is not None:
        return engine
    source = b.name_of(b.prop(lid, "SourceDBInstanceIdentifier"))
    if isinstance(source, str) and source != lid and b.template["Resources"][source].get("Type") == \
            "AWS::RDS::DBInstance" and b.prop(source, "SourceDBInstanceIdentifier") is None:
        return _engine(b.prop(source, "Engine")) or UNKNOWN
    return UNKNOWN


def _group_subnets(b: Builder, group: Any, group_type: str) -> Any:
    name = b.name_of(group)
    if not isinstance(name, str):
        return name
    if b.template["Resources"].get(name, {}).get("Type") != group_type:
        return UNKNOWN
    return _refs(b, b.prop(name, "SubnetIds"))


DB = {"storage_encrypted": ("StorageEncrypted", _boolean), "backup_retention_days": ("BackupRetentionPeriod", _integer),
      "deletion_protection": ("DeletionProtection", _boolean)}


def db_instance(b: Builder, lid: str) -> None:
    if b.prop(lid, "DBClusterIdentifier") is not None:
        return  # an Aurora instance: folded into its cluster
    b.add(lid, "rds_instance")
    b.set(lid, "engine", _inherited_engine(b, lid), b.tpath(lid, "Engine"))
    _copy(b, lid, lid, {**DB, "multi_az": ("MultiAZ", _boolean), "publicly_accessible": ("PubliclyAccessible",
                                                                                         _boolean),
                        "instance_class": ("DBInstanceClass", _text), "az": ("AvailabilityZone", _text),
                        "read_replica_of": ("SourceDBInstanceIdentifier", _ref), "iops": ("Iops", _integer),
                        "storage_type": ("StorageType", _text), "security_groups": ("VPCSecurityGroups", _refs),
                        "allocated_gb": ("AllocatedStorage", _integer)})
    b.set(lid, "subnets", _group_subnets(b, b.prop(lid, "DBSubnetGroupName"), "AWS::RDS::DBSubnetGroup"),
          b.tpath(lid, "DBSubnetGroupName"))


def db_cluster(b: Builder, lid: str) -> None:
    engine = _engine(b.prop(lid, "Engine")) or UNKNOWN  # restored or replicated: inherited
    subnets = _group_subnets(b, b.prop(lid, "DBSubnetGroupName"), "AWS::RDS::DBSubnetGroup")
    if engine in ("mysql", "postgres"):  # a Multi-AZ DB cluster of RDS, not Aurora
        b.add(lid, "rds_instance")
        b.set(lid, "engine", engine, b.tpath(lid, "Engine"))
        b.set(lid, "deployment", "multi_az_cluster", b.tpath(lid, "Engine"))
    else:
        b.add(lid, "aurora_cluster")
        b.set(lid, "engine", engine, b.tpath(lid, "Engine"))
        members = [m for m, body in b.template["Resources"].items()
                   if isinstance(body, dict) and body.get("Type") == "AWS::RDS::DBInstance"
                   and b.name_of(b.prop(m, "DBClusterIdentifier")) == lid]
        for member in members:
            item = {"name": member}
            for field, key, convert in (("az", "AvailabilityZone", _text), ("instance_class", "DBInstanceClass", _text),
                                        ("failover_tier", "PromotionTier", _integer)):
                value = convert(b, b.prop(member, key))
                if value is not None and value is not UNKNOWN:
                    item[field] = value
            b.append(lid, "instances", item, ("Resources", member))
    _copy(b, lid, lid, DB)
    b.set(lid, "subnets", subnets, b.tpath(lid, "DBSubnetGroupName"))


def _keys(schema: Any) -> tuple:
    if not isinstance(schema, list):
        return UNKNOWN, UNKNOWN
    found = {str(k.get("KeyType")): _text(None, k.get("AttributeName")) for k in schema if isinstance(k, dict)}
    return found.get("HASH"), found.get("RANGE")


def dynamodb(b: Builder, lid: str) -> None:
    b.add(lid, "dynamodb_table")
    partition, sort = _keys(b.prop(lid, "KeySchema"))
    b.set(lid, "partition_key", partition, b.tpath(lid, "KeySchema"))
    b.set(lid, "sort_key", sort, b.tpath(lid, "KeySchema"))
    for field, key in (("lsis", "LocalSecondaryIndexes"), ("gsis", "GlobalSecondaryIndexes")):
        indexes = b.items(lid, key)
        if indexes is UNKNOWN:
            b.set(lid, field, UNKNOWN, b.tpath(lid, key))
        for index, item in enumerate(indexes if isinstance(indexes, list) else []):
            if isinstance(item, dict):
                p, s = _keys(item.get("KeySchema"))
                entry = {"name": _text(b, item.get("IndexName")), "partition_key": p}
                if s is not None:
                    entry["sort_key"] = s
                b.append(lid, field, entry if UNKNOWN not in entry.values() else UNKNOWN, b.tpath(lid, key, index))
    b.set(lid, "pitr", _boolean(b, b.prop(lid, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled")),
          b.tpath(lid, "PointInTimeRecoverySpecification"))
    b.set(lid, "billing", _choice({"PAY_PER_REQUEST": "on_demand", "PROVISIONED": "provisioned"})(
        b, b.prop(lid, "BillingMode")), b.tpath(lid, "BillingMode"))


def cache(b: Builder, lid: str) -> None:
    b.add(lid, "elasticache_cluster")
    kind = b.template["Resources"][lid]["Type"]
    b.set(lid, "engine", _choice({"redis": "redis", "valkey": "valkey", "memcached": "memcached"})(
        b, b.prop(lid, "Engine")), b.tpath(lid, "Engine"))
    if kind == "AWS::ElastiCache::ReplicationGroup":
        _copy(b, lid, lid, {"multi_az": ("MultiAZEnabled", _boolean),
                            "automatic_failover": ("AutomaticFailoverEnabled", _boolean),
                            "replicas_per_shard": ("ReplicasPerNodeGroup", _integer),
                            "shards": ("NumNodeGroups", _integer),
                            "transit_encryption": ("TransitEncryptionEnabled", _boolean),
                            "at_rest_encryption": ("AtRestEncryptionEnabled", _boolean)})
    else:
        mode = _text(b, b.prop(lid, "AZMode"))
        if mode is not None:
            b.set(lid, "multi_az", mode == "cross-az" if isinstance(mode, str) else mode, b.tpath(lid, "AZMode"))
    b.set(lid, "subnets", _group_subnets(b, b.prop(lid, "CacheSubnetGroupName"), "AWS::ElastiCache::SubnetGroup"),
          b.tpath(lid, "CacheSubnetGroupName"))
    b.set(lid, "security_groups", _refs(b, b.prop(lid, "SecurityGroupIds") or b.prop(lid, "VpcSecurityGroupIds")),
          b.tpath(lid, "SecurityGroupIds"))


# -- load balancing and monitoring -------------------------------------------------

def load_balancer(b: Builder, lid: str) -> None:
    b.add(lid, "load_balancer")
    b.set(lid, "lb_type", _choice({"application": "alb", "network": "nlb", "gateway": "gwlb"})(
        b, b.prop(lid, "Type") or "application"), b.tpath(lid, "Type"))
    b.set(lid, "scheme", _choice({"internet-facing": "internet_facing", "internal": "internal"})(
        b, b.prop(lid, "Scheme")), b.tpath(lid, "Scheme"))
    subnets = b.prop(lid, "Subnets")
    mappings = b.items(lid, "SubnetMappings")
    if subnets is None and mappings is UNKNOWN:
        subnets = UNKNOWN
    elif subnets is None and isinstance(mappings, list):
        subnets = [m.get("SubnetId") if isinstance(m, dict) else UNKNOWN for m in mappings]
    b.set(lid, "subnets", _refs(b, subnets), b.tpath(lid, "Subnets"))
    b.set(lid, "security_groups", _refs(b, b.prop(lid, "SecurityGroups")), b.tpath(lid, "SecurityGroups"))
    attributes = b.items(lid, "LoadBalancerAttributes")
    if attributes is UNKNOWN:
        b.set(lid, "cross_zone", UNKNOWN, b.tpath(lid, "LoadBalancerAttributes"))
    for index, attribute in enumerate(attributes if isinstance(attributes, list) else []):
        if isinstance(attribute, dict) and attribute.get("Key") == "load_balancing.cross_zone.enabled":
            b.set(lid, "cross_zone", _boolean(b, attribute.get("Value")),
                  b.tpath(lid, "LoadBalancerAttributes", index))


def classic_load_balancer(b: Builder, lid: str) -> None:
    b.add(lid, "load_balancer")
    b.set(lid, "lb_type", "clb", b.tpath(lid))
    b.set(lid, "subnets", _refs(b, b.prop(lid, "Subnets")), b.tpath(lid, "Subnets"))
    b.set(lid, "scheme", _choice({"internet-facing": "internet_facing", "internal": "internal"})(
        b, b.prop(lid, "Scheme")), b.tpath(lid, "Scheme"))


def listener(b: Builder, lid: str) -> None:
    item = {"protocol": _text(b, b.prop(lid, "Protocol")), "port": _integer(b, b.prop(lid, "Port"))}
    group = b.name_of(b.prop(lid, "DefaultActions", 0, "TargetGroupArn"))
    if group is not None and group is not UNKNOWN:
        item["target_group"] = group
    item = {k: v for k, v in item.items() if v is not None}
    _append_to(b, lid, ("LoadBalancerArn",), "listeners", UNKNOWN if UNKNOWN in item.values() else item,
               {k: b.tpath(lid, {"protocol": "Protocol", "port": "Port"}.get(k, "DefaultActions")) for k in item})


def target_group(b: Builder, lid: str) -> None:
    b.add(lid, "target_group")
    _copy(b, lid, lid, {"protocol": ("Protocol", _text), "port": ("Port", _integer)})
    targets = b.prop(lid, "Targets")
    if isinstance(targets, list):
        b.set(lid, "targets", _refs(b, [t.get("Id") for t in targets if isinstance(t, dict)]), b.tpath(lid, "Targets"))


def alarm(b: Builder, lid: str) -> None:
    b.add(lid, "cloudwatch_alarm")
    _copy(b, lid, lid, {"metric": ("MetricName", _text), "namespace": ("Namespace", _text),
                        "threshold": ("Threshold", _number), "actions": ("AlarmActions", _refs)})
    if b.prop(lid, "MetricName") is None:
        b.set(lid, "metric", UNKNOWN, b.tpath(lid, "Metrics"))  # metric math over `Metrics`
    dimensions = b.prop(lid, "Dimensions")
    if isinstance(dimensions, list):
        watched = [b.name_of(d.get("Value")) for d in dimensions if isinstance(d, dict)
                   and isinstance(d.get("Value"), Reference)]
        b.set(lid, "monitors", watched or None, b.tpath(lid, "Dimensions"))


def flow_log(b: Builder, lid: str) -> None:
    b.add(lid, "flow_log")
    _copy(b, lid, lid, {"resource": ("ResourceId", _ref),
                        "destination": ("LogDestinationType", _choice({"cloud-watch-logs": "cloudwatch_logs",
                                                                       "s3": "s3", "kinesis-data-firehose":
                                                                           "firehose"})),
                        "traffic": ("TrafficType", _lower)})
    if b.prop(lid, "LogDestinationType") is None:
        b.set(lid, "destination", "cloudwatch_logs", b.tpath(lid))


# -- serverless, edge, IAM: mostly tables ---------------------------------------------

def lambda_function(b: Builder, lid: str) -> None:
    b.add(lid, "lambda_function")
    _copy(b, lid, lid, {"runtime": ("Runtime", _text), "memory_mb": ("MemorySize", _integer),
                        "timeout_s": ("Timeout", _integer), "role": ("Role", _ref),
                        "architecture": (("Architectures", 0), _text),
                        "ephemeral_mb": (("EphemeralStorage", "Size"), _integer),
                        "reserved_concurrency": ("ReservedConcurrentExecutions", _integer),
                        "subnets": (("VpcConfig", "SubnetIds"), _refs),
                        "security_groups": (("VpcConfig", "SecurityGroupIds"), _refs),
                        "dead_letter": (("DeadLetterConfig", "TargetArn"), _ref)})
    if b.prop(lid, "Timeout") is None:
        b.set(lid, "timeout_s", 3, b.tpath(lid))  # CloudFormation's default
    if b.prop(lid, "MemorySize") is None:
        b.set(lid, "memory_mb", 128, b.tpath(lid))


def event_source_mapping(b: Builder, lid: str) -> None:
    source = b.name_of(b.prop(lid, "EventSourceArn"))
    if isinstance(source, str) and b.resources.get(source, {}).get("type") == "sqs_queue":
        _append_to(b, lid, ("EventSourceArn",), "consumers", _ref(b, b.prop(lid, "FunctionName")))


def queue(b: Builder, lid: str) -> None:
    b.add(lid, "sqs_queue")
    _copy(b, lid, lid, {"fifo": ("FifoQueue", _boolean), "visibility_timeout": ("VisibilityTimeout", _seconds),
                        "receive_wait": ("ReceiveMessageWaitTimeSeconds", _seconds),
                        "retention": ("MessageRetentionPeriod", _seconds),
                        "dead_letter_queue": (("RedrivePolicy", "deadLetterTargetArn"), _ref),
                        "max_receive_count": (("RedrivePolicy", "maxReceiveCount"), _integer)})
    size = _integer(b, b.prop(lid, "MaximumMessageSize"))
    b.set(lid, "max_message_size", f"{size}B" if isinstance(size, int) else size, b.tpath(lid, "MaximumMessageSize"))
    limit = _text(b, b.prop(lid, "FifoThroughputLimit"))
    if limit is not None:
        b.set(lid, "high_throughput", limit == "perMessageGroupId" if isinstance(limit, str) else limit,
              b.tpath(lid, "FifoThroughputLimit"))


def topic(b: Builder, lid: str) -> None:
    b.add(lid, "sns_topic")
    b.set(lid, "fifo", _boolean(b, b.prop(lid, "FifoTopic")), b.tpath(lid, "FifoTopic"))
    subscriptions = b.items(lid, "Subscription")
    if subscriptions is UNKNOWN:
        b.set(lid, "subscriptions", UNKNOWN, b.tpath(lid, "Subscription"))
    for index, item in enumerate(subscriptions if isinstance(subscriptions, list) else []):
        if isinstance(item, dict):
            b.append(lid, "subscriptions", _subscription(b, item.get("Protocol"), item.get("Endpoint")),
                     b.tpath(lid, "Subscription", index))


def _subscription(b: Builder, protocol: Any, endpoint: Any) -> Any:
    item = {"protocol": _lower(b, protocol)}
    if isinstance(endpoint, Reference):
        item["endpoint"] = b.name_of(endpoint)
    elif isinstance(endpoint, str):
        item["address"] = endpoint
    return UNKNOWN if UNKNOWN in item.values() else item


def subscription(b: Builder, lid: str) -> None:
    _append_to(b, lid, ("TopicArn",), "subscriptions",
               _subscription(b, b.prop(lid, "Protocol"), b.prop(lid, "Endpoint")))


def stream(b: Builder, lid: str) -> None:
    b.add(lid, "kinesis_stream")
    _copy(b, lid, lid, {"shards": ("ShardCount", _integer),
                        "mode": (("StreamModeDetails", "StreamMode"), _choice({"PROVISIONED": "provisioned",
                                                                               "ON_DEMAND": "on_demand"}))})
    hours = _integer(b, b.prop(lid, "RetentionPeriodHours"))
    b.set(lid, "retention", f"{hours}h" if isinstance(hours, int) else hours, b.tpath(lid, "RetentionPeriodHours"))


def firehose(b: Builder, lid: str) -> None:
    b.add(lid, "firehose_stream")
    b.set(lid, "source", _ref(b, b.prop(lid, "KinesisStreamSourceConfiguration", "KinesisStreamARN")),
          b.tpath(lid, "KinesisStreamSourceConfiguration"))
    for key in ("ExtendedS3DestinationConfiguration", "S3DestinationConfiguration",
                "RedshiftDestinationConfiguration", "HttpEndpointDestinationConfiguration"):
        if b.prop(lid, key) is not None:
            b.set(lid, "destination", key.replace("DestinationConfiguration", "").replace("Extended", "").lower(),
                  b.tpath(lid, key))
            interval = _integer(b, b.prop(lid, key, "BufferingHints", "IntervalInSeconds"))
            b.set(lid, "buffer_interval", f"{interval}s" if isinstance(interval, int) else interval,
                  b.tpath(lid, key, "BufferingHints", "IntervalInSeconds"))
            size = _integer(b, b.prop(lid, key, "BufferingHints", "SizeInMBs"))
            b.set(lid, "buffer_size", f"{size}MiB" if isinstance(size, int) else size,
                  b.tpath(lid, key, "BufferingHints", "SizeInMBs"))
            break


def cloudfront(b: Builder, lid: str) -> None:
    b.add(lid, "cloudfront_distribution")
    config = ("DistributionConfig",)
    origins = b.items(lid, *config, "Origins")
    if origins is UNKNOWN:
        b.set(lid, "origins", UNKNOWN, b.tpath(lid, *config, "Origins"))
    for index, origin in enumerate(origins if isinstance(origins, list) else []):
        if not isinstance(origin, dict):
            continue
        is_s3 = origin.get("S3OriginConfig") is not None
        item: dict = {"origin_type": "s3" if is_s3 else "custom"}
        target = b.target(lid, *config, "Origins", index, "DomainName")
        if isinstance(target, str):
            item["target"] = target
        if is_s3:
            oai = (origin.get("S3OriginConfig") or {}).get("OriginAccessIdentity")
            item["access_control"] = "oac" if origin.get("OriginAccessControlId") else "oai" if oai else "none"
        b.append(lid, "origins", item, b.tpath(lid, *config, "Origins", index))
    b.set(lid, "viewer_protocol", _choice({"allow-all": "allow_all", "redirect-to-https": "redirect_to_https",
                                           "https-only": "https_only"})(
        b, b.prop(lid, *config, "DefaultCacheBehavior", "ViewerProtocolPolicy")),
          b.tpath(lid, *config, "DefaultCacheBehavior", "ViewerProtocolPolicy"))
    b.set(lid, "waf", _ref(b, b.prop(lid, *config, "WebACLId")), b.tpath(lid, *config, "WebACLId"))
    b.set(lid, "price_class", _text(b, b.prop(lid, *config, "PriceClass")), b.tpath(lid, *config, "PriceClass"))


def record(b: Builder, lid: str) -> None:
    b.add(lid, "route53_record")
    _copy(b, lid, lid, {"dns_name": ("Name", _text), "record_type": ("Type", _text), "set_id": ("SetIdentifier", _text),
                        "health_check": ("HealthCheckId", _ref), "weight": ("Weight", _integer),
                        "failover": ("Failover", _lower), "values": ("ResourceRecords", _scalars),
                        "evaluate_target_health": (("AliasTarget", "EvaluateTargetHealth"), _boolean)})
    props = resolve_props(b, lid)
    routing = ("failover" if "Failover" in props else "geolocation" if "GeoLocation" in props else
               "latency" if "Region" in props else "weighted" if "Weight" in props else
               "multivalue" if _boolean(b, props.get("MultiValueAnswer")) is True else "simple")
    b.set(lid, "routing", routing, b.tpath(lid))
    if routing == "latency":
        b.set(lid, "region", _text(b, props.get("Region")), b.tpath(lid, "Region"))
    geo = props.get("GeoLocation")
    if isinstance(geo, dict):
        b.set(lid, "location", _text(b, geo.get("CountryCode") or geo.get("ContinentCode")
                                     or geo.get("SubdivisionCode")), b.tpath(lid, "GeoLocation"))
    alias = b.name_of(b.prop(lid, "AliasTarget", "DNSName"))
    b.set(lid, "target", alias if isinstance(alias, str) else None, b.tpath(lid, "AliasTarget"))


def _scalars(b: Builder, v: Any) -> Any:
    if v is None or v is UNKNOWN:
        return v
    return [str(x) for x in v] if isinstance(v, list) and all(isinstance(x, (str, int)) for x in v) else UNKNOWN


def waf_association(b: Builder, lid: str) -> None:
    _append_to(b, lid, ("WebACLArn",), "associations", b.target(lid, "ResourceArn"))


def trail(b: Builder, lid: str) -> None:
    b.add(lid, "cloudtrail_trail")
    _copy(b, lid, lid, {"multi_region": ("IsMultiRegionTrail", _boolean),
                        "log_file_validation": ("EnableLogFileValidation", _boolean),
                        "organization": ("IsOrganizationTrail", _boolean), "bucket": ("S3BucketName", _ref)})
    b.set(lid, "cloudwatch_logs", True if b.prop(lid, "CloudWatchLogsLogGroupArn") is not None else None,
          b.tpath(lid, "CloudWatchLogsLogGroupArn"))


def _documents(b: Builder, lid: str) -> Any:
    if b.items(lid, "Policies") is UNKNOWN:
        return UNKNOWN
    policies = b.document(lid, "Policies")
    if policies is UNKNOWN:
        return UNKNOWN
    return [p.get("PolicyDocument") for p in policies if isinstance(p, dict)] or None \
        if isinstance(policies, list) else None


def role(b: Builder, lid: str) -> None:
    b.add(lid, "iam_role")
    _copy(b, lid, lid, {"permission_boundary": ("PermissionsBoundary", _ref)})
    b.set(lid, "trust_policy", b.document(lid, "AssumeRolePolicyDocument"), b.tpath(lid, "AssumeRolePolicyDocument"))
    b.set(lid, "policies", _documents(b, lid), b.tpath(lid, "Policies"))
    _managed(b, lid)


def _managed(b: Builder, lid: str) -> None:
    arns = b.prop(lid, "ManagedPolicyArns")
    if isinstance(arns, list):  # AWS managed policies (plain ARNs) are outside the template
        names = [b.name_of(a) for a in arns if isinstance(a, Reference)]
        b.set(lid, "managed_policies", names or None, b.tpath(lid, "ManagedPolicyArns"))


def user(b: Builder, lid: str) -> None:
    b.add(lid, "iam_user")
    _copy(b, lid, lid, {"groups": ("Groups", _refs), "permission_boundary": ("PermissionsBoundary", _ref)})
    b.set(lid, "policies", _documents(b, lid), b.tpath(lid, "Policies"))
    _managed(b, lid)


def group(b: Builder, lid: str) -> None:
    b.add(lid, "iam_group")
    b.set(lid, "policies", _documents(b, lid), b.tpath(lid, "Policies"))
    _managed(b, lid)


def managed_policy(b: Builder, lid: str) -> None:
    b.add(lid, "iam_policy")
    b.set(lid, "document", b.document(lid, "PolicyDocument"), b.tpath(lid, "PolicyDocument"))
    for key in ("Roles", "Users", "Groups"):
        owners = b.items(lid, key)
        for owner in owners if isinstance(owners, list) else []:
            name = b.name_of(owner)
            if isinstance(name, str):
                b.append(name, "managed_policies", lid, b.tpath(lid, key))


def inline_policy(b: Builder, lid: str) -> None:
    for key in ("Roles", "Users", "Groups"):
        owners = b.items(lid, key)
        for owner in owners if isinstance(owners, list) else []:
            name = b.name_of(owner)
            if isinstance(name, str):
                b.append(name, "policies", b.document(lid, "PolicyDocument"), b.tpath(lid, "PolicyDocument"))


def access_key(b: Builder, lid: str) -> None:
    _append_to(b, lid, ("UserName",), "access_keys", {"active": _choice({"Active": True, "Inactive": False})(
        b, b.prop(lid, "Status") or "Active")})


def nested_stack(b: Builder, lid: str) -> None:
    b.add(lid, "cloudformation_stack")
    b.set(lid, "template", _text(b, b.prop(lid, "TemplateURL")), b.tpath(lid, "TemplateURL"))
    b.set(lid, "drift_detection", UNKNOWN, b.tpath(lid))  # configured on the deployed stack, not in a template


def tgw_association(b: Builder, lid: str) -> None:
    _target_of(b, lid, ("TransitGatewayAttachmentId",), "route_table",
               _ref(b, b.prop(lid, "TransitGatewayRouteTableId")), b.tpath(lid, "TransitGatewayRouteTableId"))


def tgw_propagation(b: Builder, lid: str) -> None:
    _append_to(b, lid, ("TransitGatewayAttachmentId",), "propagates_to",
               _ref(b, b.prop(lid, "TransitGatewayRouteTableId")))


def tgw_route(b: Builder, lid: str) -> None:
    item = {"destination": _text(b, b.prop(lid, "DestinationCidrBlock"))}
    attachment = _ref(b, b.prop(lid, "TransitGatewayAttachmentId"))
    if attachment is not None:
        item["attachment"] = attachment
    if _boolean(b, b.prop(lid, "Blackhole")) is True:
        item["blackhole"] = True
    _append_to(b, lid, ("TransitGatewayRouteTableId",), "routes", UNKNOWN if UNKNOWN in item.values() else item,
               {"destination": b.tpath(lid, "DestinationCidrBlock"),
                "attachment": b.tpath(lid, "TransitGatewayAttachmentId"), "blackhole": b.tpath(lid, "Blackhole")})


def vpn_route(b: Builder, lid: str) -> None:
    _append_to(b, lid, ("VpnConnectionId",), "static_routes", _text(b, b.prop(lid, "DestinationCidrBlock")))


def dx_association(b: Builder, lid: str) -> None:
    _append_to(b, lid, ("DirectConnectGatewayId",), "associations", _ref(b, b.prop(lid, "AssociatedGatewayId")))


def _tgw_attachment(attachment_type: str):
    def translate(b: Builder, lid: str) -> None:
        b.add(lid, "transit_gateway_attachment")
        b.set(lid, "attachment_type", attachment_type, b.tpath(lid))
        _copy(b, lid, lid, {"transit_gateway": ("TransitGatewayId", _ref), "vpc": ("VpcId", _ref),
                            "subnets": ("SubnetIds", _refs)})
    return translate


def _endpoint_service(b: Builder, v: Any) -> Any:
    return v.rsplit(".", 1)[-1] if isinstance(v, str) else v


def vpc_endpoint(b: Builder, lid: str) -> None:
    b.add(lid, "vpc_endpoint")
    raw = b.template["Resources"][lid].get("Properties", {}).get("ServiceName")
    service = b.prop(lid, "ServiceName")
    if service is UNKNOWN and isinstance(raw, dict) and isinstance(raw.get("Fn::Sub"), str):
        service = raw["Fn::Sub"]  # com.amazonaws.${AWS::Region}.s3: the service is known even if the Region is not
    b.set(lid, "service", _endpoint_service(b, service), b.tpath(lid, "ServiceName"))
    b.set(lid, "endpoint_type", _choice({"Gateway": "gateway", "Interface": "interface",
                                         "GatewayLoadBalancer": "gateway_load_balancer"})(
        b, b.prop(lid, "VpcEndpointType") or "Gateway"), b.tpath(lid, "VpcEndpointType"))
    _copy(b, lid, lid, {"vpc": ("VpcId", _ref), "route_tables": ("RouteTableIds", _refs),
                        "subnets": ("SubnetIds", _refs), "private_dns": ("PrivateDnsEnabled", _boolean),
                        "security_groups": ("SecurityGroupIds", _refs)})


def vpn_connection(b: Builder, lid: str) -> None:
    b.add(lid, "vpn_connection")
    _copy(b, lid, lid, {"customer_gateway": ("CustomerGatewayId", _ref), "vpn_gateway": ("VpnGatewayId", _ref),
                        "transit_gateway": ("TransitGatewayId", _ref),
                        "routing": ("StaticRoutesOnly", _choice({"true": "static", "false": "bgp", True: "static",
                                                                 False: "bgp"})),
                        "accelerated": ("EnableAcceleration", _boolean)})
    if b.prop(lid, "StaticRoutesOnly") is None:
        b.set(lid, "routing", "bgp", b.tpath(lid))
    kind = _text(b, b.prop(lid, "Type"))
    b.set(lid, "protocol", kind.split(".")[0] if isinstance(kind, str) else kind, b.tpath(lid, "Type"))


# -- API Gateway: the API, and what its methods, stages and usage plans say about it ----------

def rest_api(b: Builder, lid: str) -> None:
    b.add(lid, "api_gateway")
    b.set(lid, "api_type", "rest", b.tpath(lid))
    kind = _lower(b, b.prop(lid, "EndpointConfiguration", "Types", 0))
    b.set(lid, "endpoint_type", kind, b.tpath(lid, "EndpointConfiguration", "Types", 0))
    if kind == "private":  # reachable only through interface endpoints
        b.set(lid, "public", False, b.tpath(lid, "EndpointConfiguration", "Types", 0))


AUTHORIZERS = {"none": "none", "aws_iam": "iam", "custom": "lambda", "cognito_user_pools": "cognito", "jwt": "jwt"}


def api_method(api_key: str, verb_key: str):
    """A REST method or an HTTP/WebSocket route: its authorization is the API's `authorizer`.

    The weakest wins: one method anyone can call makes the API callable by
    anyone. CORS preflight (`OPTIONS`) methods are open by design and skipped.
    """
    def translate(b: Builder, lid: str) -> None:
        api = b.name_of(b.prop(lid, api_key))
        verb = _text(b, b.prop(lid, verb_key))
        if not isinstance(api, str) or api not in b.resources or (isinstance(verb, str) and verb.upper()
                                                                   .startswith("OPTIONS")):
            return
        kind = _lower(b, b.prop(lid, "AuthorizationType") or "NONE")
        kind = AUTHORIZERS.get(kind, UNKNOWN) if isinstance(kind, str) else kind
        seen = b.api_authorizers.setdefault(api, [])
        seen.append((kind, b.tpath(lid, "AuthorizationType")))
    return translate


def api_stage(api_key: str, settings: tuple, rate_key: str, burst_key: str):
    def translate(b: Builder, lid: str) -> None:
        api = b.name_of(b.prop(lid, api_key))
        if not isinstance(api, str) or api not in b.resources:
            return
        found = b.api_stages.setdefault(api, [])
        blocks = b.prop(lid, *settings)
        for index, block in enumerate(blocks if isinstance(blocks, list) else [blocks]):
            if isinstance(block, dict) and (block.get(rate_key) is not None or block.get(burst_key) is not None):
                at = settings + ((index,) if isinstance(blocks, list) else ())
                found.append(({"rate": block.get(rate_key), "burst": block.get(burst_key)}, b.tpath(lid, *at)))
                return
        found.append((None, b.tpath(lid)))
    return translate


def usage_plan(b: Builder, lid: str) -> None:
    throttle = b.mapping(lid, "Throttle")
    stages = b.items(lid, "ApiStages")
    for stage in stages if isinstance(stages, list) else []:
        api = b.name_of(stage.get("ApiId")) if isinstance(stage, dict) else None
        if isinstance(api, str) and api in b.resources and isinstance(throttle, dict):
            b.api_stages.setdefault(api, []).append(
                ({"rate": throttle.get("RateLimit"), "burst": throttle.get("BurstLimit")}, b.tpath(lid, "Throttle")))


def finish_apis(b: Builder) -> None:
    """After every helper resource: each API's authorizer and throttling, or unknown when the template
    does not say (methods and stages defined in an OpenAPI body, or in another stack)."""
    for name, body in b.resources.items():
        if body["type"] != "api_gateway":
            continue
        methods = b.api_authorizers.get(name)
        if not methods:
            b.set(name, "authorizer", UNKNOWN, ("Resources", name))
        else:
            weakest = next((m for m in methods if m[0] == "none"), None) or next(
                (m for m in methods if m[0] is UNKNOWN), None) or methods[0]
            b.set(name, "authorizer", weakest[0], weakest[1])
        stages = b.api_stages.get(name)
        if not stages:
            b.set(name, "throttling", UNKNOWN, ("Resources", name))
            continue
        limits = next((stage for stage in stages if stage[0] is not None), None)
        if limits is not None:
            rate = _number(b, limits[0]["rate"])
            burst = _integer(b, limits[0]["burst"])
            value = {k: v for k, v in (("rate", rate), ("burst", burst)) if v is not None}
            b.set(name, "throttling", UNKNOWN if UNKNOWN in value.values() else value, limits[1])


def link_elastic_ips(b: Builder) -> None:
    """An Elastic IP attached to an instance or an interface makes it reachable: note it on the target."""
    for name, body in b.resources.items():
        if body["type"] != "elastic_ip":
            continue
        target = b.resources.get(body.get("attached_to") or "")
        if target is not None and target["type"] in ("ec2_instance", "network_interface") \
                and "elastic_ip" not in target:
            b.set(body["attached_to"], "elastic_ip", name, b.tpath(name))


FINISH = (finish_apis, link_elastic_ips)


def dx_connection(b: Builder, lid: str) -> None:
    b.add(lid, "dx_connection")
    _copy(b, lid, lid, {"location": ("Location", _text), "macsec": ("RequestMACSec", _boolean)})
    speed = _text(b, b.prop(lid, "Bandwidth"))
    b.set(lid, "speed", speed.replace(" ", "") if isinstance(speed, str) else speed, b.tpath(lid, "Bandwidth"))
    b.set(lid, "connection_type", "hosted" if b.prop(lid, "ProviderName") is not None else "dedicated", b.tpath(lid))


SECOND = 1  # folds into resources defined in the first pass

TYPES: dict[str, tuple[int, Callable[[Builder, str], None]]] = {
    "AWS::EC2::VPC": (0, simple("vpc", {"cidr": ("CidrBlock", _text), "dns_support": ("EnableDnsSupport", _boolean),
                                        "dns_hostnames": ("EnableDnsHostnames", _boolean),
                                        "tenancy": ("InstanceTenancy", _text)})),
    "AWS::EC2::VPCCidrBlock": (SECOND, vpc_cidr),
    "AWS::EC2::Subnet": (0, simple("subnet", {"vpc": ("VpcId", _ref), "az": ("AvailabilityZone", _text),
                                              "cidr": ("CidrBlock", _text),
                                              "map_public_ip": ("MapPublicIpOnLaunch", _boolean)},
                                   after=lambda b, lid: b.prop(lid, "AvailabilityZone") is None and b.set(
                                       lid, "az", UNKNOWN, b.tpath(lid)))),  # AWS picks it (or an AZ id)
    "AWS::EC2::RouteTable": (0, simple("route_table", {"vpc": ("VpcId", _ref)})),
    "AWS::EC2::Route": (SECOND, route),
    "AWS::EC2::SubnetRouteTableAssociation": (SECOND, subnet_association("route_table", "RouteTableId")),
    "AWS::EC2::InternetGateway": (0, simple("internet_gateway", {})),
    "AWS::EC2::EgressOnlyInternetGateway": (0, simple("egress_only_internet_gateway", {"vpc": ("VpcId", _ref)})),
    "AWS::EC2::VPCGatewayAttachment": (SECOND, gateway_attachment),
    "AWS::EC2::NatGateway": (0, simple("nat_gateway", {"subnet": ("SubnetId", _ref),
                                                       "connectivity": ("ConnectivityType", _lower),
                                                       "elastic_ip": ("AllocationId", _ref)})),
    "AWS::EC2::EIP": (0, simple("elastic_ip", {"attached_to": ("InstanceId", _ref)})),
    "AWS::EC2::EIPAssociation": (SECOND, lambda b, lid: _target_of(
        b, lid, ("AllocationId",), "attached_to", _ref(b, b.prop(lid, "InstanceId") or b.prop(
            lid, "NetworkInterfaceId")), b.tpath(lid, "InstanceId"))),
    "AWS::EC2::NetworkInterface": (0, simple("network_interface", {"subnet": ("SubnetId", _ref),
                                                                   "security_groups": ("GroupSet", _refs),
                                                                   "source_dest_check": ("SourceDestCheck",
                                                                                         _boolean)})),
    "AWS::EC2::NetworkInterfaceAttachment": (SECOND, eni_attachment),
    "AWS::EC2::NetworkAcl": (0, simple("network_acl", {"vpc": ("VpcId", _ref)})),
    "AWS::EC2::NetworkAclEntry": (SECOND, nacl_entry),
    "AWS::EC2::SubnetNetworkAclAssociation": (SECOND, subnet_association("network_acl", "NetworkAclId")),
    "AWS::EC2::SecurityGroup": (0, security_group),
    "AWS::EC2::SecurityGroupIngress": (SECOND, security_group_rule("ingress")),
    "AWS::EC2::SecurityGroupEgress": (SECOND, security_group_rule("egress")),
    "AWS::EC2::FlowLog": (0, flow_log),
    "AWS::EC2::Instance": (0, instance),
    "AWS::EC2::LaunchTemplate": (0, launch_template),
    "AWS::AutoScaling::AutoScalingGroup": (0, auto_scaling_group),
    "AWS::EC2::PlacementGroup": (0, simple("placement_group", {"strategy": ("Strategy", _lower),
                                                               "partitions": ("PartitionCount", _integer),
                                                               "spread_level": ("SpreadLevel", _lower)})),
    "AWS::EC2::Volume": (0, simple("ebs_volume", {"az": ("AvailabilityZone", _text),
                                                  "volume_type": ("VolumeType", _lower),
                                                  "size_gb": ("Size", _integer), "iops": ("Iops", _integer),
                                                  "throughput": ("Throughput", _integer),
                                                  "encrypted": ("Encrypted", _boolean),
                                                  "multi_attach": ("MultiAttachEnabled", _boolean)},
                                    after=lambda b, lid: b.prop(lid, "VolumeType") is None and b.set(
                                        lid, "volume_type", "gp2", b.tpath(lid)))),
    "AWS::EC2::VolumeAttachment": (SECOND, volume_attachment),
    "AWS::S3::Bucket": (0, bucket),
    "AWS::S3::BucketPolicy": (SECOND, resource_policy("policy", "Bucket")),
    "AWS::EFS::FileSystem": (0, efs),
    "AWS::EFS::MountTarget": (SECOND, mount_target),
    "AWS::FSx::FileSystem": (0, fsx),
    "AWS::Backup::BackupPlan": (0, backup_plan),
    "AWS::Backup::BackupSelection": (SECOND, backup_selection),
    "AWS::RDS::DBInstance": (0, db_instance),
    "AWS::RDS::DBCluster": (0, db_cluster),
    "AWS::DynamoDB::Table": (0, dynamodb),
    "AWS::ElastiCache::CacheCluster": (0, cache),
    "AWS::ElastiCache::ReplicationGroup": (0, cache),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": (0, load_balancer),
    "AWS::ElasticLoadBalancing::LoadBalancer": (0, classic_load_balancer),
    "AWS::ElasticLoadBalancingV2::Listener": (SECOND, listener),
    "AWS::ElasticLoadBalancingV2::TargetGroup": (0, target_group),
    "AWS::EC2::VPCEndpoint": (0, vpc_endpoint),
    "AWS::EC2::VPCPeeringConnection": (0, simple("vpc_peering", {"requester": ("VpcId", _ref),
                                                                 "accepter": ("PeerVpcId", _ref),
                                                                 "peer_region": ("PeerRegion", _text),
                                                                 "peer_account": ("PeerOwnerId", _text)})),
    "AWS::EC2::TransitGateway": (0, simple("transit_gateway", {
        "asn": ("AmazonSideAsn", _integer),
        "vpn_ecmp": ("VpnEcmpSupport", _choice({"enable": True, "disable": False})),
        "default_association": ("DefaultRouteTableAssociation", _choice({"enable": True, "disable": False})),
        "default_propagation": ("DefaultRouteTablePropagation", _choice({"enable": True, "disable": False}))})),
    "AWS::EC2::TransitGatewayAttachment": (0, _tgw_attachment("vpc")),
    "AWS::EC2::TransitGatewayVpcAttachment": (0, _tgw_attachment("vpc")),
    "AWS::EC2::TransitGatewayRouteTable": (0, simple("transit_gateway_route_table", {
        "transit_gateway": ("TransitGatewayId", _ref)})),
    "AWS::EC2::TransitGatewayRouteTableAssociation": (SECOND, tgw_association),
    "AWS::EC2::TransitGatewayRouteTablePropagation": (SECOND, tgw_propagation),
    "AWS::EC2::TransitGatewayRoute": (SECOND, tgw_route),
    "AWS::EC2::VPNConnection": (0, vpn_connection),
    "AWS::EC2::VPNConnectionRoute": (SECOND, vpn_route),
    "AWS::EC2::VPNGateway": (0, simple("vpn_gateway", {"asn": ("AmazonSideAsn", _integer)})),
    "AWS::EC2::CustomerGateway": (0, simple("customer_gateway", {"ip_address": ("IpAddress", _text),
                                                                 "bgp_asn": ("BgpAsn", _integer),
                                                                 "device": ("DeviceName", _text)})),
    "AWS::DirectConnect::Connection": (0, dx_connection),
    "AWS::DirectConnect::DirectConnectGateway": (0, simple("dx_gateway", {})),
    "AWS::DirectConnect::DirectConnectGatewayAssociation": (SECOND, dx_association),
    "AWS::ApiGateway::RestApi": (0, rest_api),
    "AWS::ApiGatewayV2::Api": (0, simple("api_gateway", {"api_type": ("ProtocolType", _lower_or_wrong)})),
    "AWS::ApiGateway::Method": (SECOND, api_method("RestApiId", "HttpMethod")),
    "AWS::ApiGatewayV2::Route": (SECOND, api_method("ApiId", "RouteKey")),
    "AWS::ApiGateway::Stage": (SECOND, api_stage("RestApiId", ("MethodSettings",), "ThrottlingRateLimit",
                                                 "ThrottlingBurstLimit")),
    "AWS::ApiGatewayV2::Stage": (SECOND, api_stage("ApiId", ("DefaultRouteSettings",), "ThrottlingRateLimit",
                                                   "ThrottlingBurstLimit")),
    "AWS::ApiGateway::UsagePlan": (SECOND, usage_plan),
    "AWS::Lambda::Function": (0, lambda_function),
    "AWS::Lambda::EventSourceMapping": (SECOND, event_source_mapping),
    "AWS::SQS::Queue": (0, queue),
    "AWS::SQS::QueuePolicy": (SECOND, resource_policy("policy", "Queues")),
    "AWS::SNS::Topic": (0, topic),
    "AWS::SNS::Subscription": (SECOND, subscription),
    "AWS::SNS::TopicPolicy": (SECOND, resource_policy("policy", "Topics")),
    "AWS::Kinesis::Stream": (0, stream),
    "AWS::KinesisFirehose::DeliveryStream": (0, firehose),
    "AWS::StepFunctions::StateMachine": (0, simple("step_function", {"workflow": (
        "StateMachineType", _choice({"STANDARD": "standard", "EXPRESS": "express"}))},
        after=lambda b, lid: b.prop(lid, "StateMachineType") is None and b.set(lid, "workflow", "standard",
                                                                               b.tpath(lid)))),
    "AWS::Route53::RecordSet": (0, record),
    "AWS::Route53::HealthCheck": (0, simple("route53_health_check", {
        "protocol": (("HealthCheckConfig", "Type"), _text)})),
    "AWS::CloudFront::Distribution": (0, cloudfront),
    "AWS::WAFv2::WebACL": (0, simple("waf_web_acl", {"scope": ("Scope", _lower)})),
    "AWS::WAFv2::WebACLAssociation": (SECOND, waf_association),
    "AWS::CloudWatch::Alarm": (0, alarm),
    "AWS::CloudTrail::Trail": (0, trail),
    "AWS::IAM::Role": (0, role),
    "AWS::IAM::User": (0, user),
    "AWS::IAM::Group": (0, group),
    "AWS::IAM::ManagedPolicy": (SECOND, managed_policy),
    "AWS::IAM::Policy": (SECOND, inline_policy),
    "AWS::IAM::AccessKey": (SECOND, access_key),
    "AWS::CloudFormation::Stack": (0, nested_stack),
}


# -- added types: inline policies as their own resources, launch configurations, EventBridge ---------------

def owned_policy(owner_key: str):
    """`AWS::IAM::RolePolicy` / `UserPolicy` / `GroupPolicy`: one inline policy of the role, user or group."""
    def translate(b: Builder, lid: str) -> None:
        owner = b.name_of(b.prop(lid, owner_key))
        if isinstance(owner, str):
            b.append(owner, "policies", b.document(lid, "PolicyDocument"), b.tpath(lid, "PolicyDocument"))
    return translate


def launch_configuration(b: Builder, lid: str) -> None:
    b.add(lid, "launch_template")
    _copy(b, lid, lid, {"instance_type": ("InstanceType", _text), "security_groups": ("SecurityGroups", _refs)})
    b.set(lid, "role", _profile_role(b, b.prop(lid, "IamInstanceProfile")), b.tpath(lid, "IamInstanceProfile"))
    market = b.prop(lid, "SpotPrice")
    b.set(lid, "purchase", "spot" if isinstance(market, (str, int, float)) else None if market is None else UNKNOWN,
          b.tpath(lid, "SpotPrice"))


def event_rule(b: Builder, lid: str) -> None:
    b.add(lid, "eventbridge_rule")
    b.set(lid, "schedule", _text(b, b.prop(lid, "ScheduleExpression")), b.tpath(lid, "ScheduleExpression"))
    pattern = b.prop(lid, "EventPattern")
    b.set(lid, "event_pattern", pattern if isinstance(pattern, (dict, str)) and not isinstance(
        pattern, Reference) else None if pattern is None else UNKNOWN, b.tpath(lid, "EventPattern"))
    targets = b.items(lid, "Targets")
    if targets is UNKNOWN:
        b.set(lid, "targets", UNKNOWN, b.tpath(lid, "Targets"))
    elif isinstance(targets, list):
        names = [b.name_of(t.get("Arn")) if isinstance(t, dict) else UNKNOWN for t in targets]
        b.set(lid, "targets", UNKNOWN if UNKNOWN in names else [n for n in names if n] or None,
              b.tpath(lid, "Targets"))


def folded(b: Builder, lid: str) -> None:
    """Read where it is used (an instance profile by the instance, a subnet group by its database)."""


TYPES.update({
    "AWS::IAM::RolePolicy": (SECOND, owned_policy("RoleName")),
    "AWS::IAM::UserPolicy": (SECOND, owned_policy("UserName")),
    "AWS::IAM::GroupPolicy": (SECOND, owned_policy("GroupName")),
    "AWS::AutoScaling::LaunchConfiguration": (0, launch_configuration),
    "AWS::Events::Rule": (0, event_rule),
    "AWS::IAM::InstanceProfile": (0, folded),
    "AWS::RDS::DBSubnetGroup": (0, folded),
    "AWS::ElastiCache::SubnetGroup": (0, folded),
})
