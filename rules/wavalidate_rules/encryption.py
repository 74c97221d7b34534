"""Encryption at rest and in transit by data classification, and the keys and secrets behind it.

Notes: 스토리지 > S3 > 서버 측 암호화 키 유형 (the key types), applied to every store.
RDS and Aurora encryption at rest is SEC400; S3 KMS keys for confidential data are SEC301.
"""
from __future__ import annotations

from wavalidate.api import Violation, facts, rule

from ._shared import SENSITIVE

NOTES = "스토리지 > S3 > 서버 측 암호화 키 유형"

# type -> (field that switches encryption at rest on, the value meaning on, what to call it)
AT_REST = {
    "ebs_volume": ("encrypted", True, "EBS volume"),
    "efs_file_system": ("encrypted", True, "EFS file system"),
    "elasticache_cluster": ("at_rest_encryption", True, "ElastiCache cluster"),
    "kinesis_stream": ("encryption", "kms", "Kinesis stream"),
}
# Types whose customer-managed key is their `kms_key` field (restricted data asks for one).
KEYED = {"ebs_volume": "EBS volume", "efs_file_system": "EFS file system", "fsx_file_system": "FSx file system",
         "rds_instance": "RDS instance", "aurora_cluster": "Aurora cluster",
         "elasticache_cluster": "ElastiCache cluster", "dynamodb_table": "DynamoDB table", "s3_bucket": "S3 bucket",
         "sns_topic": "SNS topic", "sqs_queue": "SQS queue", "kinesis_stream": "Kinesis stream",
         "backup_plan": "backup plan"}


def _classification(arch, resource):
    return arch.requirements_for(resource).get("data_classification")


@rule("SEC310", severity="medium",
      title="Confidential and restricted data is encrypted at rest in every store",
      notes=NOTES, best_practice="SEC08-BP02",
      facts=[facts.ENCRYPTED_AT_REST_ALWAYS])
def sensitive_data_encrypted_at_rest(arch):
    """S3, DynamoDB, FSx, AWS Backup vaults and new SQS queues encrypt
    everything at rest whatever the settings. EBS volumes, EFS file systems,
    ElastiCache clusters, SNS topics and Kinesis streams do so only when
    asked, and for most of them only at creation: turning it on later means a
    new resource and a copy of the data. Data classified confidential or
    restricted must not sit unencrypted on disks, snapshots or replicas.

    A store that says `false` is reported as high (the file itself says the
    data is unencrypted); one that says nothing is low (account-level
    defaults such as EBS encryption by default may cover it, and the file
    cannot tell). RDS and Aurora are SEC400.

    Fix: set `encrypted: true` (EBS, EFS), `at_rest_encryption: true`
    (ElastiCache), `encryption: kms` (Kinesis), a `kms_key` (SNS), and do not
    switch SQS encryption off; for an existing unencrypted store, create an
    encrypted copy and move the data.
    """
    for resource in arch.of_type(*AT_REST, "sns_topic", "sqs_queue"):
        level = _classification(arch, resource)
        if level not in SENSITIVE:
            continue
        if resource.type == "sns_topic":
            referrers = arch.referrers(resource)
            if referrers and all(r.type == "cloudwatch_alarm" for r, _ in referrers):
                continue  # it carries alarm notifications, not the workload's data
            if not resource.kms_key:
                yield Violation(resource.path("kms_key"),
                                f"SNS topic `{resource.name}` carries {level} data but names no KMS key; without "
                                "one its messages are stored unencrypted", severity="low")
            continue
        if resource.type == "sqs_queue":
            if resource.encryption == "none":
                yield Violation(resource.path("encryption"),
                                f"SQS queue `{resource.name}` carries {level} data with encryption switched off",
                                severity="high")
            continue
        key, on, kind = AT_REST[resource.type]
        value = resource.get(key)
        if value == on or (resource.kms_key and not resource.has(key)):
            continue  # naming a KMS key implies encryption with it
        if resource.has(key):
            yield Violation(resource.path(key), f"{kind} `{resource.name}` holds {level} data unencrypted at rest",
                            severity="high")
        else:
            yield Violation(resource.path(key), f"{kind} `{resource.name}` holds {level} data but does not declare "
                                                "encryption at rest", severity="low")


@rule("SEC311", severity="medium",
      title="Restricted data is encrypted with customer managed KMS keys",
      notes=NOTES, best_practice="SEC08-BP01",
      facts=[facts.KMS_CUSTOMER_MANAGED_CONTROL])
def restricted_data_customer_managed_keys(arch):
    """AWS owned and AWS managed keys encrypt the data, but their key
    policies are not yours: anyone the service lets read the data gets it
    decrypted, and you cannot revoke the key, separate key administrators
    from data users, or see each use against a policy you wrote. Data
    classified restricted calls for a customer managed key on every store
    and copy, backups included.

    A store that states a weaker choice (`encryption: sse-s3` on a bucket,
    `aws_owned` or `aws_managed` on a table) is medium; one that names no key
    is low, since the file may simply not say.

    Fix: create a `kms_key` (rotation on, a key policy naming the roles that
    may decrypt) and reference it from each store of restricted data; for
    DynamoDB also set `encryption: customer_managed`.
    """
    for resource in arch.of_type(*KEYED):
        if _classification(arch, resource) != "restricted" or resource.kms_key:
            continue
        if resource.type == "backup_plan" and not resource.resources and not resource.selection_tags:
            continue
        weaker = (resource.type == "s3_bucket" and resource.encryption == "sse-s3") or (
            resource.type == "dynamodb_table" and resource.has("encryption")
            and resource.encryption in ("aws_owned", "aws_managed"))
        at = resource.path("encryption") if weaker else resource.path("kms_key")
        yield Violation(at, f"{KEYED[resource.type]} `{resource.name}` holds restricted data without a customer "
                            "managed KMS key, so only AWS's key policy controls who can decrypt it",
                        severity=None if weaker else "low")


@rule("SEC312", severity="medium",
      title="Customer managed KMS keys rotate automatically",
      notes=NOTES, best_practice="SEC08-BP01",
      facts=[facts.KMS_ROTATION_DAYS])
def kms_key_rotation(arch):
    """Automatic rotation of a symmetric customer managed key is off until it
    is enabled. Rotation creates new key material on a schedule (every 365
    days by default, 90 to 2560 allowed) while the key id, policy and the
    ability to decrypt old data stay the same, which limits how much data one
    key material protects. Asymmetric and HMAC keys cannot rotate
    automatically and are left out.

    Fix: set `rotation: true` (and `rotation_days` if the policy asks for a
    shorter period) on each symmetric encryption key.
    """
    for key in arch.of_type("kms_key"):
        if key.usage != "encrypt_decrypt" or key.key_spec != "SYMMETRIC_DEFAULT" or key.replica_of:
            continue
        if not key.rotation:
            yield Violation(key.path("rotation"),
                            f"KMS key `{key.name}` does not rotate its key material automatically")


@rule("SEC313", severity="medium",
      title="Secrets Manager secrets rotate",
      notes="보안", best_practice="SEC02-BP05",
      facts=[facts.SECRETS_ROTATION])
def secrets_rotation(arch):
    """A secret that never changes stays valid wherever it leaked (a log,
    a laptop, a former employee's notes). Secrets Manager rotates database
    credentials with managed rotation or a rotation function on a schedule,
    but only once rotation is configured.

    Fix: turn on rotation (`rotation: true`, `rotation_every: 30d`), with
    managed rotation for RDS, Aurora and Redshift or a `rotation_function`
    for others.
    """
    for secret in arch.of_type("secrets_manager_secret"):
        if not secret.rotation:
            yield Violation(secret.path("rotation"), f"secret `{secret.name}` is never rotated")


@rule("SEC314", severity="high",
      title="Caches holding confidential data encrypt traffic in transit",
      notes="데이터베이스 > 캐싱", best_practice="SEC09-BP02",
      facts=[facts.ELASTICACHE_TRANSIT_ENCRYPTION])
def cache_transit_encryption(arch):
    """ElastiCache sends data (and AUTH tokens) between clients and nodes,
    and between nodes, in clear text unless in-transit encryption is on.
    Anyone who can capture traffic in the VPC, a mirrored interface or a
    compromised host on the path reads confidential values.

    Fix: create the cluster with `transit_encryption: true` (TLS) and
    connect with TLS-enabled clients; on Valkey and Redis OSS 7 and later it
    can be turned on for an existing cluster in steps.
    """
    for cache in arch.of_type("elasticache_cluster"):
        level = _classification(arch, cache)
        if level not in SENSITIVE or cache.transit_encryption:
            continue
        severity = None if cache.has("transit_encryption") else "medium"
        yield Violation(cache.path("transit_encryption"),
                        f"ElastiCache cluster `{cache.name}` holds {level} data without TLS in transit",
                        severity=severity)


@rule("SEC315", severity="high",
      title="Confidential data does not travel over plain HTTP",
      notes="모니터링 및 크기 조정 > ELB 유형", best_practice="SEC09-BP02",
      facts=[facts.ALB_HTTP_REDIRECT, facts.ALB_LISTENER_PROTOCOLS])
def sensitive_http(arch):
    """An HTTP listener that forwards requests, or a CloudFront origin
    reached over HTTP, carries requests, cookies and responses in clear
    text. For confidential or restricted data every hop should use TLS; an
    HTTP listener that only redirects to HTTPS is fine, and one that forwards
    to no target group is taken for a redirect. (Viewer HTTP on CloudFront
    is SEC851.)

    Fix: serve HTTPS (with an ACM `certificate`) and make the HTTP listener
    redirect (`redirect_to_https: true`); set CloudFront custom origins to
    `origin_protocol: https_only`.
    """
    for lb in arch.of_type("load_balancer"):
        level = _classification(arch, lb)
        if level not in SENSITIVE:
            continue
        for index, listener in enumerate(lb.listeners or ()):
            forwards = listener.get("target_group") and not listener.get("redirect_to_https")
            if listener.get("protocol") == "HTTP" and forwards:
                yield Violation(lb.path("listeners", index, "protocol"),
                                f"load balancer `{lb.name}` serves {level} data over plain HTTP on port "
                                f"{listener.get('port', 80)}")
    for distribution in arch.of_type("cloudfront_distribution"):
        level = _classification(arch, distribution)
        if level not in SENSITIVE:
            continue
        for index, origin in enumerate(distribution.origins or ()):
            if origin.get("origin_protocol") == "http_only":
                yield Violation(distribution.path("origins", index, "origin_protocol"),
                                f"CloudFront distribution `{distribution.name}` fetches {level} data from its "
                                f"origin `{origin.get('target')}` over plain HTTP")


@rule("SEC316", severity="medium",
      title="Databases holding confidential data refuse connections without TLS",
      notes="데이터베이스 > RDS", best_practice="SEC09-BP02",
      facts=[facts.RDS_REQUIRE_TLS])
def database_require_tls(arch):
    """RDS and Aurora accept TLS connections, but also clear-text ones unless
    the parameter group says otherwise (`rds.force_ssl` for PostgreSQL and
    SQL Server, `require_secure_transport` for MySQL and MariaDB). One
    misconfigured client then sends confidential rows and credentials in
    clear text without anyone noticing.

    Fix: set the parameter in the DB parameter group (cluster parameter
    group for Aurora) and declare `require_tls: true`; give clients the RDS
    CA bundle so they verify the server. An explicit `require_tls: false` is
    medium; an unstated one is low, and only for restricted data (PostgreSQL
    15 and later force TLS by default, and the file may not say).
    """
    for db in arch.of_type("rds_instance", "aurora_cluster"):
        level = _classification(arch, db)
        stated = db.has("require_tls")
        if level in SENSITIVE and not db.require_tls and (stated or level == "restricted"):
            kind = "RDS instance" if db.type == "rds_instance" else "Aurora cluster"
            yield Violation(db.path("require_tls"),
                            f"{kind} `{db.name}` holds {level} data but "
                            + ("accepts connections without TLS" if stated else "does not declare `require_tls`, so it "
                               "may accept connections without TLS"), severity=None if stated else "low")
