"""Generate architecture files (and CloudFormation templates) of N resources with a realistic mix.

    python benchmarks/generate.py arch 1000 > /tmp/arch-1000.yaml
    python benchmarks/generate.py cfn 1000 > /tmp/cfn-1000.yaml        # CloudFormation, short-form tags
    python benchmarks/generate.py cfn-json 1000 > /tmp/cfn-1000.json   # the same in JSON

The mix repeats a unit of one VPC with subnets in three AZs, route tables, a
NAT gateway, security groups, an Auto Scaling group, instances with volumes,
a load balancer, an RDS database, a cache, a bucket, queues and functions.
"""
from __future__ import annotations

import sys

import yaml

AZS = ("a", "b", "c")


def unit(i: int, region: str = "eu-west-1") -> dict:
    p = f"u{i}-"
    octet = i % 250
    second = (i // 250) % 250
    r = {
        p + "vpc": {"type": "vpc", "region": region, "cidr": f"10.{second}.0.0/16", "stack": "network"},
        p + "igw": {"type": "internet_gateway", "vpc": p + "vpc"},
        p + "public-rt": {"type": "route_table", "vpc": p + "vpc",
                          "routes": [{"destination": "0.0.0.0/0", "target": p + "igw"}]},
        p + "private-rt": {"type": "route_table", "vpc": p + "vpc",
                           "routes": [{"destination": "0.0.0.0/0", "target": p + "nat"}]},
        p + "nat": {"type": "nat_gateway", "subnet": p + "public-a"},
        p + "web-sg": {"type": "security_group", "vpc": p + "vpc",
                       "ingress": [{"protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"}]},
        p + "app-sg": {"type": "security_group", "vpc": p + "vpc",
                       "ingress": [{"protocol": "tcp", "ports": 8080, "source_security_group": p + "web-sg"}]},
        p + "lb": {"type": "load_balancer", "lb_type": "alb", "subnets": [p + "public-a", p + "public-b"],
                   "listeners": [{"protocol": "HTTPS", "port": 443}], "security_groups": [p + "web-sg"]},
        p + "asg": {"type": "auto_scaling_group", "subnets": [p + "app-a", p + "app-b"], "min_size": 2,
                    "max_size": 6, "instance_type": "m7g.large", "security_groups": [p + "app-sg"]},
        p + "db": {"type": "rds_instance", "engine": "postgres", "subnets": [p + "app-a", p + "app-b"],
                   "multi_az": i % 3 != 0, "storage_encrypted": True, "backup_retention_days": 7},
        p + "cache": {"type": "elasticache_cluster", "engine": "redis", "subnets": [p + "app-a", p + "app-b"],
                      "strategy": "lazy_loading", "ttl": "5m", "multi_az": True, "automatic_failover": True},
        p + "bucket": {"type": "s3_bucket", "region": region, "versioning": "enabled", "encryption": "sse-kms"},
        p + "queue": {"type": "sqs_queue", "visibility_timeout": "3m", "receive_wait": "20s"},
        p + "fn": {"type": "lambda_function", "runtime": "python3.12", "memory_mb": 512, "timeout_s": 30},
    }
    for zone in AZS:
        index = AZS.index(zone)
        r[p + "public-" + zone] = {"type": "subnet", "vpc": p + "vpc", "az": region + zone, "public": True,
                                   "cidr": f"10.{second}.{index}.0/24", "route_table": p + "public-rt"}
        r[p + "app-" + zone] = {"type": "subnet", "vpc": p + "vpc", "az": region + zone,
                                "cidr": f"10.{second}.{10 + index}.0/24", "route_table": p + "private-rt"}
        r[p + "vm-" + zone] = {"type": "ec2_instance", "subnet": p + "app-" + zone, "instance_type": "m7g.large",
                               "security_groups": [p + "app-sg"]}
        r[p + "vol-" + zone] = {"type": "ebs_volume", "az": region + zone, "volume_type": "gp3", "size_gb": 100,
                                "attached_to": [p + "vm-" + zone], "snapshots": True}
    del octet
    return r


UNIT_SIZE = len(unit(0))


def architecture(n: int) -> dict:
    """An architecture of exactly `n` resources: whole units, then standalone queues for the remainder
    (cutting a unit short would leave references to resources that are not there)."""
    resources = {"network": {"type": "cloudformation_stack", "layer": "network", "drift_detection": True}}
    i = 0
    while len(resources) + UNIT_SIZE <= n:
        resources.update(unit(i))
        i += 1
    k = 0
    while len(resources) < n:
        resources[f"extra-queue-{k}"] = {"type": "sqs_queue", "visibility_timeout": "1m", "receive_wait": "20s"}
        k += 1
    names = list(resources)[:n]
    return {"version": 1, "name": f"generated-{n}",
            "requirements": {"availability": 99.95, "rto": "1h", "rpo": "15m"},
            "resources": {name: resources[name] for name in names}}


def dump(document: dict) -> str:
    return yaml.dump(document, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False,
                     default_flow_style=False, width=120)


# -- CloudFormation templates ------------------------------------------------------------
#
# The same mix as `unit`, written the way real templates are: short-form tags
# (!Ref, !GetAtt, !Sub, !Select/!GetAZs, !If, !FindInMap), helper resources
# (routes, associations, attachments, ingress rules, listeners, subnet groups),
# parameters with and without defaults, a mapping and conditions.

TEMPLATE_HEAD = """AWSTemplateFormatVersion: "2010-09-09"
Description: generated benchmark template ({n} resources)
Parameters:
  Environment:
    Type: String
    Default: prod
  AdminCidr:
    Type: String
  ImageId:
    Type: AWS::EC2::Image::Id
Mappings:
  Sizes:
    prod: {{App: m7g.large, Db: db.r6g.large}}
    staging: {{App: t4g.medium, Db: db.t4g.medium}}
Conditions:
  IsProd: !Equals [!Ref Environment, prod]
Resources:
"""

TEMPLATE_UNIT = """  {p}Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.{second}.0.0/16
      EnableDnsSupport: true
      EnableDnsHostnames: true
      Tags:
        - {{Key: Name, Value: !Sub "${{Environment}}-{p}vpc"}}
  {p}Igw:
    Type: AWS::EC2::InternetGateway
  {p}IgwAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref {p}Vpc
      InternetGatewayId: !Ref {p}Igw
  {p}PublicRt:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref {p}Vpc
  {p}PublicDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref {p}PublicRt
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref {p}Igw
  {p}PrivateRt:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref {p}Vpc
  {p}PrivateDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref {p}PrivateRt
      DestinationCidrBlock: 0.0.0.0/0
      NatGatewayId: !Ref {p}Nat
  {p}NatIp:
    Type: AWS::EC2::EIP
    Properties:
      Domain: vpc
  {p}Nat:
    Type: AWS::EC2::NatGateway
    Properties:
      AllocationId: !GetAtt {p}NatIp.AllocationId
      SubnetId: !Ref {p}PublicA
{subnets}  {p}WebSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      VpcId: !Ref {p}Vpc
      SecurityGroupIngress:
        - {{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}}
  {p}AppSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: app
      VpcId: !Ref {p}Vpc
  {p}AppFromWeb:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref {p}AppSg
      IpProtocol: tcp
      FromPort: 8080
      ToPort: 8080
      SourceSecurityGroupId: !GetAtt {p}WebSg.GroupId
  {p}AdminSsh:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref {p}AppSg
      IpProtocol: tcp
      FromPort: 22
      ToPort: 22
      CidrIp: !Ref AdminCidr
  {p}Lb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Scheme: internet-facing
      Subnets: [!Ref {p}PublicA, !Ref {p}PublicB]
      SecurityGroups: [!Ref {p}WebSg]
  {p}Tg:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      VpcId: !Ref {p}Vpc
      Protocol: HTTP
      Port: 8080
  {p}Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref {p}Lb
      Protocol: HTTPS
      Port: 443
      Certificates:
        - CertificateArn: !Sub "arn:${{AWS::Partition}}:acm:${{AWS::Region}}:${{AWS::AccountId}}:certificate/{p}"
      DefaultActions:
        - {{Type: forward, TargetGroupArn: !Ref {p}Tg}}
  {p}Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: !Ref ImageId
        InstanceType: !FindInMap [Sizes, !Ref Environment, App]
        SecurityGroupIds: [!Ref {p}AppSg]
  {p}Asg:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "2"
      MaxSize: "6"
      VPCZoneIdentifier: [!Ref {p}AppA, !Ref {p}AppB]
      LaunchTemplate:
        LaunchTemplateId: !Ref {p}Lt
        Version: !GetAtt {p}Lt.LatestVersionNumber
      TargetGroupARNs: [!Ref {p}Tg]
  {p}DbSubnets:
    Type: AWS::RDS::DBSubnetGroup
    Properties:
      DBSubnetGroupDescription: data
      SubnetIds: [!Ref {p}AppA, !Ref {p}AppB]
  {p}Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: !FindInMap [Sizes, !Ref Environment, Db]
      AllocatedStorage: "100"
      MasterUsername: app
      MasterUserPassword: "{{{{resolve:secretsmanager:db-{p}:SecretString:password}}}}"
      DBSubnetGroupName: !Ref {p}DbSubnets
      MultiAZ: {multi_az}
      StorageEncrypted: true
      BackupRetentionPeriod: 7
  {p}Bucket:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: {{Status: Enabled}}
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {{SSEAlgorithm: aws:kms}}
  {p}Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 180
      ReceiveMessageWaitTimeSeconds: 20
  {p}Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {{Effect: Allow, Principal: {{Service: lambda.amazonaws.com}}, Action: sts:AssumeRole}}
      Policies:
        - PolicyName: queue
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {{Effect: Allow, Action: [sqs:ReceiveMessage, sqs:DeleteMessage], Resource: !GetAtt {p}Queue.Arn}}
  {p}Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      MemorySize: 512
      Timeout: 30
      Role: !GetAtt {p}Role.Arn
      Code: {{ZipFile: "def handler(event, context): return None"}}
  {p}FnQueue:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt {p}Queue.Arn
      FunctionName: !Ref {p}Fn
{instances}"""

TEMPLATE_SUBNET = """  {p}{tier}{Z}:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref {p}Vpc
      CidrBlock: 10.{second}.{third}.0/24
      AvailabilityZone: !Select [{index}, !GetAZs ""]
      MapPublicIpOnLaunch: {public}
  {p}{tier}{Z}Routes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref {p}{tier}{Z}
      RouteTableId: !Ref {p}{table}
"""

TEMPLATE_INSTANCE = """  {p}Vm{Z}:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref ImageId
      InstanceType: !If [IsProd, m7g.large, t4g.medium]
      SubnetId: !Ref {p}App{Z}
      SecurityGroupIds: [!Ref {p}AppSg]
  {p}Vol{Z}:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: !GetAtt {p}Vm{Z}.AvailabilityZone
      Size: 100
      VolumeType: gp3
      Encrypted: true
  {p}Vol{Z}Attachment:
    Type: AWS::EC2::VolumeAttachment
    Properties:
      VolumeId: !Ref {p}Vol{Z}
      InstanceId: !Ref {p}Vm{Z}
      Device: /dev/sdf
"""


def template_unit(i: int) -> str:
    p = f"U{i}"
    second = i % 250
    subnets = "".join(
        TEMPLATE_SUBNET.format(p=p, tier=tier, Z=zone, second=second, third=base + index, index=index,
                               public="true" if tier == "Public" else "false",
                               table="PublicRt" if tier == "Public" else "PrivateRt")
        for tier, base in (("Public", 0), ("App", 10)) for index, zone in enumerate("ABC"))
    instances = "".join(TEMPLATE_INSTANCE.format(p=p, Z=zone) for zone in "ABC")
    return TEMPLATE_UNIT.format(p=p, second=second, subnets=subnets, instances=instances,
                                multi_az="true" if i % 3 else "false")


def _split_resources(text: str) -> list[str]:
    """The resource blocks of a unit, in order (each starts with two spaces and a logical id)."""
    blocks: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.startswith("  ") and not line.startswith("   "):
            blocks.append(line)
        else:
            blocks[-1] += line
    return blocks


TEMPLATE_UNIT_SIZE = len(_split_resources(template_unit(0)))


def template(n: int) -> str:
    """A CloudFormation template (YAML, short-form tags) of exactly `n` resources: whole units, then
    standalone queues and topics for the remainder (so every reference resolves)."""
    parts = [TEMPLATE_HEAD.format(n=n)]
    units = n // TEMPLATE_UNIT_SIZE
    parts.extend(template_unit(i) for i in range(units))
    for k in range(n - units * TEMPLATE_UNIT_SIZE):
        if k % 2:
            parts.append(f"  Extra{k}:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Sub "
                         f"\"${{AWS::StackName}}-extra-{k}\"\n")
        else:
            parts.append(f"  Extra{k}:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 60\n"
                         f"      MessageRetentionPeriod: !If [IsProd, 1209600, 345600]\n")
    return "".join(parts)


def template_json(n: int) -> str:
    """The same template in JSON (long-form functions)."""
    import json
    sys.path.insert(0, __import__("os").path.join(__import__("os").path.dirname(__file__), "..", "src"))
    from wavalidate.cloudformation.importer import parse
    data, _ = parse(template(n))
    return json.dumps(data, indent=1) + "\n"


if __name__ == "__main__":
    kind, count = sys.argv[1], int(sys.argv[2])
    if kind == "arch":
        sys.stdout.write(dump(architecture(count)))
    elif kind == "cfn":
        sys.stdout.write(template(count))
    elif kind == "cfn-json":
        sys.stdout.write(template_json(count))
    else:
        raise SystemExit(f"unknown kind {kind} (arch, cfn or cfn-json)")
