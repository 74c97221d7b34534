"""Reading real templates faithfully: symbolic AZs, conditions at every depth, no false rejects.

Each pattern found in real public templates has its own small template here,
written for the test (the corpus itself is never copied). Positions are found
in the template text, so they are exact.
"""
from __future__ import annotations

import os
import textwrap

import pytest

from wavalidate.cloudformation import load_template
from wavalidate.engine import Options, check_file, check_text

HERE = os.path.dirname(os.path.abspath(__file__))
ZONES = os.path.join(HERE, "templates", "zones.yaml")
HA = Options(requirements={"availability": 99.95})


def line_col(text: str, anchor: str, needle: str) -> tuple[int, int]:
    """(line, column), 1-based, of `needle` on the first line holding it after the line holding `anchor`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if anchor in line)
    index = next(i for i in range(start, len(lines)) if needle in lines[i])
    return index + 1, lines[index].index(needle) + 1


def read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def where(findings, code):
    return sorted((f.line, f.col) for f in findings if f.code == code)


def check(text: str, rules, options: Options | None = None, name: str = "t.yaml"):
    return check_text(textwrap.dedent(text), rules, name, options or Options())


# -- 1. symbolic Availability Zones -----------------------------------------------------------

def test_az_rules_fire_on_getazs_templates_at_the_template_line(rules):
    text = read(ZONES)
    findings = check_file(ZONES, rules, HA)
    subnets = line_col(text, "  LoadBalancer:", "Subnets:")
    fleet = line_col(text, "  AppFleet:", "VPCZoneIdentifier:")
    assert where(findings, "REL552") == [subnets]
    assert where(findings, "REL218") == [fleet]
    assert where(findings, "REL020") == sorted([subnets, fleet])
    assert where(findings, "REL110") == [line_col(text, "  AppAssociationB:", "!Ref AppRoutes")]
    message = next(f.message for f in findings if f.code == "REL552")
    assert "AZ #0 (`!Select [0, !GetAZs '']`)" in message


def test_spread_getazs_templates_pass(rules):
    text = read(ZONES)
    text = text.replace('AvailabilityZone: !Select [0, !GetAZs {Ref: "AWS::Region"}]',
                        "AvailabilityZone: !Select [1, !GetAZs '']")
    text = text.replace("VPCZoneIdentifier: [!Ref AppSubnetA]", "VPCZoneIdentifier: [!Ref AppSubnetA, !Ref AppSubnetB]")
    text = text.replace("SubnetId: !Ref AppSubnetB", "SubnetId: !Ref AppSubnetA")  # no route to AZ #0's NAT
    findings = check_text(text, rules, "spread.yaml", HA)
    assert not [f for f in findings if f.code in ("REL552", "REL218", "REL020", "REL110")]
    assert not [f for f in findings if f.code.startswith("E")]


def test_az_parameter_defaults_are_names_and_say_so(rules):
    findings = check("""
        AWSTemplateFormatVersion: "2010-09-09"
        Parameters:
          ZoneA: {Type: "AWS::EC2::AvailabilityZone::Name", Default: eu-west-1a}
          Zones: {Type: "List<AWS::EC2::AvailabilityZone::Name>", Default: "eu-west-1a,eu-west-1b"}
          Free: {Type: "AWS::EC2::AvailabilityZone::Name"}
        Resources:
          Vpc: {Type: "AWS::EC2::VPC", Properties: {CidrBlock: 10.0.0.0/16}}
          A: {Type: "AWS::EC2::Subnet", Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24, AvailabilityZone: !Ref ZoneA}}
          B: {Type: "AWS::EC2::Subnet", Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24,
                                                     AvailabilityZone: !Select [0, !Ref Zones]}}
          C: {Type: "AWS::EC2::Subnet", Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24, AvailabilityZone: !Ref Free}}
          Lb:
            Type: AWS::ElasticLoadBalancingV2::LoadBalancer
            Properties: {Subnets: [!Ref A, !Ref B]}
          Lb2:
            Type: AWS::ElasticLoadBalancingV2::LoadBalancer
            Properties: {Subnets: [!Ref A, !Ref C]}
        """, rules)
    rel552 = [f for f in findings if f.code == "REL552"]
    assert [f.resource for f in rel552] == ["Lb"]  # C's AZ is unknown: nothing rests on it
    assert "eu-west-1a" in rel552[0].message
    assert rel552[0].message.endswith("(with the default of parameters `ZoneA`, `Zones`)")


def test_one_az_parameter_without_default_is_one_az(rules):
    template = """
        Parameters:
          Zone: {Type: "AWS::EC2::AvailabilityZone::Name"}
          Other: {Type: "AWS::EC2::AvailabilityZone::Name"}
        Resources:
          Vpc: {Type: "AWS::EC2::VPC", Properties: {CidrBlock: 10.0.0.0/16}}
          A: {Type: "AWS::EC2::Subnet", Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24, AvailabilityZone: !Ref Zone}}
          B: {Type: "AWS::EC2::Subnet", Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: !Ref Zone}}
          Lb:
            Type: AWS::ElasticLoadBalancingV2::LoadBalancer
            Properties: {Subnets: [!Ref A, !Ref B]}
        """
    rel552 = [f for f in check(template, rules) if f.code == "REL552"]
    assert len(rel552) == 1 and "AZ (`!Ref Zone`)" in rel552[0].message
    # another parameter without a default may or may not be the same AZ: no finding either way
    other = template.replace("10.0.1.0/24, AvailabilityZone: !Ref Zone", "10.0.1.0/24, AvailabilityZone: !Ref Other")
    assert [f for f in check(other, rules) if f.code.startswith(("REL552", "E"))] == []


def test_mixed_zone_names_and_getazs_stay_unknown(tmp_path):
    template = tmp_path / "mixed.yaml"
    template.write_text(textwrap.dedent("""
        Resources:
          Vpc: {Type: "AWS::EC2::VPC", Properties: {CidrBlock: 10.0.0.0/16}}
          A: {Type: "AWS::EC2::Subnet", Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24,
                                                     AvailabilityZone: !Select [0, !GetAZs '']}}
          B: {Type: "AWS::EC2::Subnet", Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24,
                                                     AvailabilityZone: eu-west-1a}}
        """))
    document = load_template(str(template))
    assert "az" not in document.data["resources"]["A"]
    assert ("resources", "A", "az") in document.unknown
    assert document.data["resources"]["B"]["az"] == "eu-west-1a"


# -- 2. conditions at every depth -----------------------------------------------------------------

CONDITIONAL = """
    AWSTemplateFormatVersion: "2010-09-09"
    Parameters:
      Environment: {Type: String, Default: prod}
      Versioned: {Type: String, AllowedValues: ["true", "false"]}
    Conditions:
      IsProd: !Equals [!Ref Environment, prod]
      Versioning: !Equals [!Ref Versioned, "true"]
    Resources:
      Decided:
        Type: AWS::S3::Bucket
        Properties:
          VersioningConfiguration: !If [IsProd, {Status: Enabled}, !Ref "AWS::NoValue"]
          BucketEncryption: !If
            - IsProd
            - ServerSideEncryptionConfiguration:
                - ServerSideEncryptionByDefault: {SSEAlgorithm: "aws:kms"}
            - !Ref AWS::NoValue
      Undecided:
        Type: AWS::S3::Bucket
        Properties:
          VersioningConfiguration: !If [Versioning, {Status: Enabled}, !Ref "AWS::NoValue"]
      Group:
        Type: AWS::EC2::SecurityGroup
        Properties:
          GroupDescription: web
          SecurityGroupIngress:
            - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}
            - !If [IsProd, !Ref "AWS::NoValue", {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}]
            - !If [Versioning, {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0}, !Ref "AWS::NoValue"]
    """


def test_a_conditional_block_is_resolved_or_unknown(tmp_path):
    template = tmp_path / "conditional.yaml"
    template.write_text(textwrap.dedent(CONDITIONAL))
    document = load_template(str(template))
    resources = document.data["resources"]
    assert resources["Decided"]["versioning"] == "enabled"
    assert resources["Decided"]["encryption"] == "sse-kms"
    assert "versioning" not in resources["Undecided"]
    assert ("resources", "Undecided", "versioning") in document.unknown  # unknown, never absent
    assert ("resources", "Group", "ingress") in document.unknown        # an undecidable list item
    assert document.defaults[("resources", "Decided", "versioning")] == ["Environment"]


def test_a_finding_on_a_default_names_the_parameter(rules):
    findings = check("""
        AWSTemplateFormatVersion: "2010-09-09"
        Parameters:
          Open: {Type: String, Default: "0.0.0.0/0"}
        Resources:
          Group:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: rdp
              SecurityGroupIngress:
                - {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: !Ref Open}
        """, rules)
    sec116 = [f for f in findings if f.code == "SEC116"]
    assert sec116 and "(with the default of parameter `Open`)" in sec116[0].message


def test_a_lifecycle_rule_that_is_disabled_is_not_applied(tmp_path):
    template = tmp_path / "lifecycle.yaml"
    template.write_text(textwrap.dedent("""
        Resources:
          Logs:
            Type: AWS::S3::Bucket
            Properties:
              LifecycleConfiguration:
                Rules:
                  - {Status: Disabled, ExpirationInDays: 30}
                  - {Status: Enabled, ExpirationInDays: 365}
        """))
    assert load_template(str(template)).data["resources"]["Logs"]["lifecycle"] == [{"expire_after": "365d"}]


# -- 3. no false rejects, no tracebacks -------------------------------------------------------------

def test_deployable_patterns_are_not_rejected(rules):
    findings = check("""
        AWSTemplateFormatVersion: "2010-09-09"
        Conditions:
          Never: !Equals ["a", "b"]
          Maybe: !Equals [!Ref "AWS::Region", eu-west-1]
        Resources:
          Vpc: {Type: "AWS::EC2::VPC", Properties: {CidrBlock: 10.0.0.0/16}}
          Ipv6:
            Type: AWS::EC2::VPCCidrBlock
            Properties: {VpcId: !Ref Vpc, AmazonProvidedIpv6CidrBlock: true}
          Primary:
            Type: AWS::RDS::DBInstance
            Properties: {Engine: postgres, DBInstanceClass: db.r6g.large, AllocatedStorage: "100", MultiAZ: true}
          Replica:
            Type: AWS::RDS::DBInstance
            Properties: {SourceDBInstanceIdentifier: !Ref Primary, DBInstanceClass: db.r6g.large}
          OtherReplica:
            Type: AWS::RDS::DBInstance
            Properties: {SourceDBInstanceIdentifier: "arn:aws:rds:eu-west-1:123456789012:db:main",
                         DBInstanceClass: db.r6g.large}
          Table:
            Type: AWS::DynamoDB::Table
            Properties:
              BillingMode: PAY_PER_REQUEST
              AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: at, AttributeType: S}]
              KeySchema: [{AttributeName: id, KeyType: HASH}]
              LocalSecondaryIndexes: !If
                - Maybe
                - - IndexName: byTime
                    KeySchema: [{AttributeName: id, KeyType: HASH}, {AttributeName: at, KeyType: RANGE}]
                    Projection: {ProjectionType: ALL}
                - !Ref AWS::NoValue
          Embedded:
            Type: AWS::S3::Bucket
            Properties:
              VersioningConfiguration: !Rain::Embed versioning.json
          Plain:
            Type: AWS::S3::Bucket
            Properties:
              PublicAccessBlockConfiguration: {BlockPublicAcls: false, BlockPublicPolicy: false,
                                               IgnorePublicAcls: false, RestrictPublicBuckets: false}
        """, rules)
    assert [f for f in findings if f.code.startswith("E")] == []
    notes = [f for f in findings if f.code == "W130"]
    assert len(notes) == 1 and notes[0].severity == "info" and "!Rain::Embed" in notes[0].message
    assert "SEC300" in {f.code for f in findings}  # the rest of the file is checked


def test_a_read_replica_inherits_its_engine(tmp_path):
    template = tmp_path / "replica.yaml"
    template.write_text(textwrap.dedent("""
        Resources:
          Primary: {Type: "AWS::RDS::DBInstance", Properties: {Engine: mysql, DBInstanceClass: db.m7g.large}}
          Replica: {Type: "AWS::RDS::DBInstance", Properties: {SourceDBInstanceIdentifier: !Ref Primary}}
          Remote: {Type: "AWS::RDS::DBInstance", Properties: {SourceDBInstanceIdentifier: other-db}}
        """))
    document = load_template(str(template))
    assert document.data["resources"]["Replica"]["engine"] == "mysql"
    assert ("resources", "Remote", "engine") in document.unknown


WRONG_TYPES = [
    ("AWS::EC2::SecurityGroup", "GroupDescription: x\n      SecurityGroupEgress: 5", "SecurityGroupEgress"),
    ("AWS::ApiGateway::UsagePlan", "ApiStages: 5", "ApiStages"),
    ("AWS::DynamoDB::Table", "KeySchema: [{AttributeName: id, KeyType: HASH}]\n      GlobalSecondaryIndexes: 5",
     "GlobalSecondaryIndexes"),
    ("AWS::ElasticLoadBalancingV2::LoadBalancer", "LoadBalancerAttributes: 5", "LoadBalancerAttributes"),
    ("AWS::IAM::Group", "Policies: 5", "Policies"),
    ("AWS::IAM::ManagedPolicy", "PolicyDocument: {}\n      Groups: 5", "Groups"),
    ("AWS::IAM::Policy", "PolicyName: p\n      PolicyDocument: {}\n      Groups: 5", "Groups"),
    ("AWS::SNS::Topic", "Subscription: 5", "Subscription"),
]


@pytest.mark.parametrize("kind, properties, key", WRONG_TYPES, ids=[w[0] for w in WRONG_TYPES])
def test_a_property_of_the_wrong_type_is_an_input_error_at_its_position(rules, kind, properties, key):
    text = f"Resources:\n  Thing:\n    Type: {kind}\n    Properties:\n      {properties}\n"
    findings = check_text(text, rules, "wrong.yaml")
    assert [(f.code, f.line, f.col) for f in findings] == [("E201",) + line_col(text, "Thing", f"{key}: 5")[:1]
                                                          + (line_col(text, "Thing", f"{key}: 5")[1]
                                                             + len(key) + 2,)]
    assert f"`{key}` of `Thing` must be a list, not 5" in findings[0].message


def test_a_resource_that_cannot_be_translated_is_e904_and_the_rest_is_checked(rules, monkeypatch):
    from wavalidate.cloudformation import translate

    def broken(b, lid):
        raise KeyError("boom")
    monkeypatch.setitem(translate.TYPES, "AWS::EC2::VPC", (0, broken))
    findings = check("""
        Resources:
          Vpc: {Type: "AWS::EC2::VPC", Properties: {CidrBlock: 10.0.0.0/16}}
          Group:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: rdp
              SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0}]
        """, rules)
    e904 = [f for f in findings if f.code == "E904"]
    assert len(e904) == 1 and "`Vpc`" in e904[0].message and (e904[0].line, e904[0].col) == (3, 3)
    assert "SEC116" in {f.code for f in findings}


# -- 5. more types read -------------------------------------------------------------------------

def test_an_inline_role_policy_resource_is_read(rules):
    findings = check("""
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument:
                Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: "sts:AssumeRole"}]
          Everything:
            Type: AWS::IAM::RolePolicy
            Properties:
              RoleName: !Ref Role
              PolicyName: all
              PolicyDocument:
                Statement: [{Effect: Allow, Action: "*", Resource: "*"}]
        """, rules)
    assert "SEC508" in {f.code for f in findings}


def test_a_backup_selection_covers_its_stores(tmp_path, rules):
    text = textwrap.dedent("""
        Resources:
          Table:
            Type: AWS::DynamoDB::Table
            Properties:
              BillingMode: PAY_PER_REQUEST
              AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
              KeySchema: [{AttributeName: id, KeyType: HASH}]
          Files:
            Type: AWS::EFS::FileSystem
            Properties: {Encrypted: true, FileSystemTags: [{Key: backup, Value: daily}]}
          Tagged:
            Type: AWS::S3::Bucket
            Properties: {Tags: [{Key: backup, Value: daily}]}
          Plan:
            Type: AWS::Backup::BackupPlan
            Properties:
              BackupPlan:
                BackupPlanName: daily
                BackupPlanRule:
                  - {RuleName: daily, TargetBackupVault: vault, ScheduleExpression: "cron(0 5 ? * * *)",
                     Lifecycle: {DeleteAfterDays: 35}}
          ByName:
            Type: AWS::Backup::BackupSelection
            Properties:
              BackupPlanId: !Ref Plan
              BackupSelection:
                SelectionName: tables
                IamRoleArn: arn:aws:iam::123456789012:role/backup
                Resources: [!GetAtt Table.Arn, !Sub "arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:file-system/${Files}"]
          ByTag:
            Type: AWS::Backup::BackupSelection
            Properties:
              BackupPlanId: !Ref Plan
              BackupSelection:
                SelectionName: tagged
                IamRoleArn: arn:aws:iam::123456789012:role/backup
                ListOfTags: [{ConditionType: STRINGEQUALS, ConditionKey: backup, ConditionValue: daily}]
        """)
    template = tmp_path / "backup.yaml"
    template.write_text(text)
    plan = load_template(str(template)).data["resources"]["Plan"]
    assert plan["rules"] == [{"schedule": "cron(0 5 ? * * *)", "retention": "35d"}]
    assert sorted(plan["resources"]) == ["Files", "Table"] and plan["selection_tags"] == {"backup": "daily"}
    assert "REL904" not in {f.code for f in check_file(str(template), rules)}


# -- 6. nested stacks -------------------------------------------------------------------------------

ROOT = """
    AWSTemplateFormatVersion: "2010-09-09"
    Resources:
      Network:
        Type: AWS::CloudFormation::Stack
        Properties:
          TemplateURL: stacks/network.yaml
          Parameters: {Cidr: 10.40.0.0/16}
      LoadBalancer:
        Type: AWS::ElasticLoadBalancingV2::LoadBalancer
        Properties:
          Subnets: [!GetAtt Network.Outputs.SubnetA, !GetAtt Network.Outputs.SubnetB]
      Remote:
        Type: AWS::CloudFormation::Stack
        Properties:
          TemplateURL: https://s3.amazonaws.com/artifacts/network.yaml
      Escaping:
        Type: AWS::CloudFormation::Stack
        Properties:
          TemplateURL: ../outside.yaml
      Absolute:
        Type: AWS::CloudFormation::Stack
        Properties:
          TemplateURL: {absolute}
      Linked:
        Type: AWS::CloudFormation::Stack
        Properties:
          TemplateURL: stacks/linked.yaml
      Uses:
        Type: AWS::ElasticLoadBalancingV2::LoadBalancer
        Properties:
          Subnets: [!GetAtt Remote.Outputs.SubnetA, !GetAtt Linked.Outputs.SubnetA]
    """

NETWORK = """
    AWSTemplateFormatVersion: "2010-09-09"
    Parameters:
      Cidr: {Type: String}
    Resources:
      Vpc:
        Type: AWS::EC2::VPC
        Properties:
          CidrBlock: !Ref Cidr
      SubnetA:
        Type: AWS::EC2::Subnet
        Properties:
          VpcId: !Ref Vpc
          CidrBlock: 10.40.0.0/24
          AvailabilityZone: !Select [0, !GetAZs ""]
      SubnetB:
        Type: AWS::EC2::Subnet
        Properties:
          VpcId: !Ref Vpc
          CidrBlock: 10.40.1.0/24
          AvailabilityZone: !Select [0, !GetAZs ""]
    Outputs:
      SubnetA: {Value: !Ref SubnetA}
      SubnetB: {Value: !Ref SubnetB}
    """


@pytest.fixture
def repository(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "stacks").mkdir()
    (repo / "stacks" / "network.yaml").write_text(textwrap.dedent(NETWORK))
    (tmp_path / "outside.yaml").write_text(textwrap.dedent(NETWORK))
    os.symlink(tmp_path / "outside.yaml", repo / "stacks" / "linked.yaml")
    (repo / "root.yaml").write_text(textwrap.dedent(ROOT).replace("{absolute}", str(repo / "stacks" / "network.yaml")))
    return repo


def test_a_local_nested_stack_is_followed_with_parameters_and_outputs(repository, rules):
    document = load_template(str(repository / "root.yaml"))
    resources = document.data["resources"]
    assert resources["Network/Vpc"]["cidr"] == "10.40.0.0/16"         # the parameter the parent passes
    assert resources["Network/SubnetA"]["stack"] == "Network"
    assert resources["LoadBalancer"]["subnets"] == ["Network/SubnetA", "Network/SubnetB"]  # outputs wired
    findings = check_file(str(repository / "root.yaml"), rules)
    rel552 = [f for f in findings if f.code == "REL552"]
    assert [(f.file, f.line) for f in rel552] == [(str(repository / "root.yaml"), 12)]
    ops121 = [f for f in findings if f.code == "SEC121"]  # flow logs (was OPS121)
    assert [(f.file, f.line, f.col) for f in ops121] == [(str(repository / "stacks" / "network.yaml"), 6, 3)]


def test_only_local_files_under_the_repository_are_followed(repository):
    document = load_template(str(repository / "root.yaml"))
    names = set(document.data["resources"])
    assert not {name for name in names if name.startswith(("Remote/", "Escaping/", "Absolute/", "Linked/"))}
    assert ("resources", "Uses", "subnets") in document.unknown  # outputs of stacks not followed are unknown


def test_a_duplicate_key_in_a_template_is_a_warning_and_the_last_value_wins(rules):
    text = textwrap.dedent("""
        Resources:
          Logs:
            Type: AWS::S3::Bucket
            Properties:
              VersioningConfiguration: {Status: Suspended}
              VersioningConfiguration: {Status: Enabled}
        """)
    findings = check_text(text, rules, "dup.yaml")
    assert [(f.code, f.severity, f.line, f.col) for f in findings if not f.pillar] == [("W131", "low", 7, 7)]
    assert "first at line 6" in findings[0].message or any("first at line 6" in f.message for f in findings)
    architecture = "version: 1\nresources:\n  a: {type: vpc, cidr: 10.0.0.0/16}\n  a: {type: vpc, cidr: 10.1.0.0/16}\n"
    assert [f.code for f in check_text(architecture, rules, "arch.yaml")] == ["E101"]


# -- 7. the corpus report ---------------------------------------------------------------------------

def test_the_corpus_report_finds_templates_and_their_types():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "corpus", os.path.join(os.path.dirname(os.path.dirname(HERE)), "benchmarks", "corpus.py"))
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    found = corpus.templates(os.path.join(HERE, "templates"))
    assert ZONES in found and all(path.endswith((".yaml", ".json")) for path in found)
    assert corpus.resource_types(ZONES).count("AWS::EC2::Subnet") == 4
