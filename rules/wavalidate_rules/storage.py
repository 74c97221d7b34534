"""Storage: S3, EFS, FSx and Storage Gateway (notes: 스토리지)."""
from __future__ import annotations

from wavalidate.api import Violation, facts, rule, size_bytes
from wavalidate_rules._shared import SENSITIVE

# Our thresholds, not AWS limits: where lifecycle rules start to pay, and how
# many applications make one bucket policy hard to manage.
LARGE_BUCKET_BYTES = 1e12   # 1 TB
SHARED_BUCKET_APPLICATIONS = 5
GIB = 1024 ** 3
TIB = 1024 ** 4


def single_put_limit() -> float:
    """The single-PUT limit in bytes. AWS writes "5 GB" but means 5 GiB (the
    largest part is also 5 GiB); reading it as GiB avoids flagging objects
    between 5e9 and 5 * 2**30 bytes that do upload."""
    return facts.S3_SINGLE_PUT_MAX_GB.value * GIB


def human_bytes(value: float) -> str:
    for unit, size in (("TiB", TIB), ("GiB", GIB), ("MiB", 1024 ** 2)):
        if value >= size:
            return f"{value / size:.4g} {unit}"
    return f"{value:g} B"


# -- S3 -------------------------------------------------------------------------

@rule("SEC300", severity="high",
      title="S3 Block Public Access stays on unless the bucket is public on purpose",
      notes="스토리지 > S3", best_practice="SEC08-BP04",
      facts=[facts.S3_BPA_ON_BY_DEFAULT_SINCE])
def s3_block_public_access(arch):
    """Block Public Access, set at the account, bucket or access point,
    overrides any policy or ACL that would make data public. New buckets
    have all four settings on and ACLs disabled since April 2023, so turning
    them off is a deliberate choice that deserves a recorded reason.

    Fix: keep `block_public_access: true` and serve public content through
    CloudFront with origin access control; if the bucket really is public,
    say why with `public_reason`.
    """
    for bucket in arch.of_type("s3_bucket"):
        if not bucket.block_public_access and not bucket.public_reason:
            yield Violation(bucket.path("block_public_access"),
                            f"S3 bucket `{bucket.name}` turns Block Public Access off without a "
                            "`public_reason`; a bucket policy or ACL can then make its objects public")


@rule("SEC301", severity="medium",
      title="Confidential data in S3 is encrypted with KMS keys",
      notes="스토리지 > S3 > 서버 측 암호화 키 유형", best_practice="SEC08-BP01",
      facts=[facts.S3_DEFAULT_ENCRYPTION, facts.S3_ENCRYPTION_TYPES])
def s3_kms_sensitive_data(arch):
    """Every object is encrypted at rest with SSE-S3 by default, but S3 holds
    those keys: anyone whose IAM policy allows s3:GetObject reads the data,
    and key use is not logged separately. SSE-KMS (or DSSE-KMS) adds a key
    policy as a second gate, CloudTrail records each use of the key, and the
    key can be disabled. Data classified confidential or restricted calls
    for that control.

    Fix: set the bucket's default encryption to SSE-KMS with a customer
    managed key (`encryption: sse-kms`, or `dsse-kms` where two layers are
    required) and enable S3 Bucket Keys to keep KMS request costs down.
    """
    for bucket in arch.of_type("s3_bucket"):
        level = arch.requirements_for(bucket).get("data_classification")
        if level in SENSITIVE and bucket.encryption in (None, "sse-s3"):
            how = "SSE-S3" if bucket.encryption else "only the default SSE-S3"
            yield Violation(bucket.path("encryption"),
                            f"S3 bucket `{bucket.name}` holds {level} data with {how}; use SSE-KMS so a key "
                            "policy and CloudTrail control and record every decryption")


@rule("SEC302", severity="medium",
      title="S3 buckets do not rely on SSE-C",
      notes="스토리지 > S3 > 서버 측 암호화 키 유형", best_practice="SEC08-BP01",
      facts=[facts.S3_SSE_C_BLOCKED_FROM])
def s3_sse_c(arch):
    """With SSE-C the client sends its own key with every request: S3 keeps
    no copy, so the application must store, rotate and protect the keys, a
    lost key loses the data, and anyone holding a write credential can
    encrypt objects with a key the owner never sees. Since April 2026 AWS
    blocks SSE-C on new general purpose buckets (and on existing buckets in
    accounts with no SSE-C objects): SSE-C writes get 403 unless the
    bucket's BlockedEncryptionTypes is set back to NONE, so the design
    deploys once SSE-C is re-enabled (medium). The notes list SSE-C as one
    of four equal choices; it is now off by default.

    Fix: use SSE-KMS with a customer managed key (or DSSE-KMS), which keeps
    customer control of the key without handing keys around.
    """
    for bucket in arch.of_type("s3_bucket"):
        if bucket.encryption == "sse-c":
            yield Violation(bucket.path("encryption"),
                            f"S3 bucket `{bucket.name}` uses SSE-C, which new buckets block by default since "
                            "April 2026 (writes get 403 until BlockedEncryptionTypes is set to NONE); use SSE-KMS")


@rule("REL303", severity="medium",
      title="Buckets with critical data have versioning enabled",
      notes="스토리지 > S3", best_practice="REL09-BP01",
      facts=[facts.S3_VERSIONING_STATES])
def s3_versioning_critical(arch):
    """Without versioning an overwrite or a delete, by a bug, an operator or
    ransomware, destroys the only copy of an object. Versioning keeps the
    previous versions; replication also requires it. A bucket can go from
    unversioned to enabled or suspended, never back to unversioned.

    Fix: set `versioning: enabled`, with a lifecycle rule that expires
    noncurrent versions after the retention you need (and MFA delete or
    Object Lock for the most critical data).
    """
    for bucket in arch.of_type("s3_bucket"):
        needs = arch.requirements_for(bucket)
        if bucket.versioning == "enabled" or not needs.get("critical"):
            continue
        state = bucket.versioning or "not set"
        yield Violation(bucket.path("versioning"),
                        f"S3 bucket `{bucket.name}` holds critical data but versioning is {state}; "
                        "an overwrite or delete loses the only copy")


@rule("COST304", severity="low",
      title="Large or rarely read buckets have lifecycle rules",
      notes="스토리지 > S3", best_practice="COST04-BP05",
      facts=[facts.S3_LIFECYCLE_ACTIONS])
def s3_lifecycle(arch):
    """Lifecycle rules transition objects to cheaper storage classes and
    expire what is no longer needed. A bucket of a terabyte or more, or one
    whose data is read infrequently or rarely, pays S3 Standard prices for
    every byte without them; storage is the first item of the notes' S3
    cost list. The 1 TB threshold is our judgement, not an AWS limit.

    Fix: add lifecycle rules: transition to S3 Standard-IA, Glacier Instant
    or Flexible Retrieval, or Deep Archive as the data cools (or use
    Intelligent-Tiering when the pattern is unknown), and expire data past
    its retention.
    """
    for bucket in arch.of_type("s3_bucket"):
        if bucket.lifecycle:
            continue
        access = arch.requirements_for(bucket).get("access")
        stored = size_bytes(bucket.size) or 0
        if stored >= LARGE_BUCKET_BYTES:
            why = f"stores {bucket.size}"
        elif access in ("infrequent", "rare"):
            why = f"holds {access}ly accessed data" if access == "rare" else "holds infrequently accessed data"
        else:
            continue
        yield Violation(bucket.path("lifecycle"),
                        f"S3 bucket `{bucket.name}` {why} but has no lifecycle rules to move it to cheaper "
                        "storage classes or expire it")


@rule("REL305", severity="high",
      title=f"Objects over {facts.S3_SINGLE_PUT_MAX_GB.value} GB are uploaded with multipart upload",
      notes="스토리지 > S3 > 멀티파트 업로드",
      facts=[facts.S3_SINGLE_PUT_MAX_GB, facts.S3_PART_SIZE_MIB])
def s3_single_put_limit(arch):
    """A single PUT uploads at most 5 GB; larger objects must use multipart
    upload (or a tool, such as the AWS CLI or SDK transfer managers, that
    uses it). An upload path without multipart fails for the largest
    objects.

    Fix: upload with multipart upload (`multipart: true`), in parts of
    5 MiB to 5 GiB.
    """
    limit = single_put_limit()
    for bucket in arch.of_type("s3_bucket"):
        largest = size_bytes(bucket.largest_object)
        if largest and largest > limit and not bucket.multipart:
            yield Violation(bucket.path("largest_object"),
                            f"S3 bucket `{bucket.name}` receives objects of {bucket.largest_object} without "
                            f"multipart upload, but a single PUT stops at {facts.S3_SINGLE_PUT_MAX_GB.value} GB")


@rule("PERF306", severity="low",
      title=f"Objects over {facts.S3_MULTIPART_RECOMMENDED_FROM_MB.value} MB are uploaded with multipart upload",
      notes="스토리지 > S3 > 멀티파트 업로드", best_practice="PERF03-BP02",
      facts=[facts.S3_MULTIPART_RECOMMENDED_FROM_MB, facts.S3_SINGLE_PUT_MAX_GB])
def s3_multipart_upload(arch):
    """AWS advises multipart upload from 100 MB: the parts upload in
    parallel (higher throughput), a network failure retries one part
    instead of the whole object, and uploads can pause and resume (the
    notes list the same benefits). Objects over 5 GB are REL305's error.

    Fix: upload with multipart upload (the AWS CLI and SDK transfer
    managers do it above a threshold) and say so with `multipart: true`.
    """
    advised = facts.S3_MULTIPART_RECOMMENDED_FROM_MB.value * 1e6
    limit = single_put_limit()
    for bucket in arch.of_type("s3_bucket"):
        largest = size_bytes(bucket.largest_object)
        if largest and advised < largest <= limit and not bucket.multipart:
            yield Violation(bucket.path("largest_object"),
                            f"S3 bucket `{bucket.name}` receives objects of {bucket.largest_object} without "
                            f"multipart upload; AWS advises it from {advised / 1e6:g} MB for throughput and "
                            "retries")


@rule("REL307", severity="high",
      title="Objects fit S3's maximum object size",
      notes="스토리지 > S3 > 멀티파트 업로드",
      facts=[facts.S3_MAX_OBJECT_TIB, facts.S3_MAX_PARTS, facts.S3_PART_SIZE_MIB])
def s3_max_object_size(arch):
    """An S3 object can be up to 48.8 TiB (about 50 TB): 10,000 parts of up
    to 5 GiB. The notes' maximum of 5 TB is outdated: that was the limit
    (5 TiB) before AWS raised it.

    Fix: split the data into several objects, or store it in a file system
    (FSx for Lustre backed by S3, for example).
    """
    limit = facts.S3_MAX_OBJECT_TIB.value * TIB
    for bucket in arch.of_type("s3_bucket"):
        largest = size_bytes(bucket.largest_object)
        if largest and largest > limit:
            yield Violation(bucket.path("largest_object"),
                            f"S3 bucket `{bucket.name}` would store objects of {bucket.largest_object}, but "
                            f"an S3 object is at most {human_bytes(limit)}")


@rule("REL308", severity="high",
      title="S3 event notifications go to a supported destination",
      notes="스토리지 > S3 > S3 이벤트 알림",
      facts=[facts.S3_EVENT_DESTINATIONS, facts.S3_EVENT_FIFO_VIA_EVENTBRIDGE_ONLY])
def s3_notification_destination(arch):
    """S3 event notifications deliver directly to standard SNS topics,
    standard SQS queues and Lambda functions. FIFO queues and FIFO topics are
    not supported destinations (S3 rejects the configuration); to reach a
    FIFO queue, send the events to EventBridge and route them from there.
    EventBridge itself is not a notification destination: the bucket turns
    on EventBridge delivery, and rules match the events.

    Fix: notify a standard queue or topic, or enable EventBridge delivery
    on the bucket (`event_bridge: true`) and target the FIFO queue from an
    EventBridge rule.
    """
    for bucket in arch.of_type("s3_bucket"):
        for index, notification in enumerate(bucket.notifications or ()):
            target = arch.get(notification.get("destination"))
            if target is None:
                continue
            at = bucket.path("notifications", index, "destination")
            if target.type in ("sqs_queue", "sns_topic") and target.fifo:
                kind = "queue" if target.type == "sqs_queue" else "topic"
                yield Violation(at, f"S3 bucket `{bucket.name}` notifies FIFO {kind} `{target.name}` directly; "
                                    f"S3 notifies only standard queues and topics, so route through EventBridge")
            elif target.type == "eventbridge_rule" and not bucket.event_bridge:
                yield Violation(at, f"S3 bucket `{bucket.name}` sends events to EventBridge rule `{target.name}` "
                                    "but EventBridge delivery is off on the bucket (`event_bridge: true`)")


@rule("SEC309", severity="low",
      title="Buckets shared by many applications use access points",
      notes="스토리지 > S3 > S3 액세스 포인트", best_practice="SEC03-BP02",
      facts=[facts.S3_ACCESS_POINT_NETWORK_ORIGINS])
def s3_access_points_shared(arch):
    """A bucket shared by many applications needs one bucket policy that
    describes every application's access: it grows with each team, every
    change risks the others, and it tends towards broad grants. Access
    points give each application its own named endpoint with its own policy
    and network origin (internet or one VPC), combined with the bucket
    policy, which then only delegates to the access points. Five
    applications is our threshold, not an AWS limit.

    Fix: create an access point per application (VPC-only where the
    application runs in a VPC) and reduce the bucket policy to delegating
    access control to the account's access points.
    """
    for bucket in arch.of_type("s3_bucket"):
        if (bucket.applications or 0) >= SHARED_BUCKET_APPLICATIONS and not bucket.access_points:
            yield Violation(bucket.path("applications"),
                            f"S3 bucket `{bucket.name}` is shared by {bucket.applications} applications through "
                            "one bucket policy; give each its own access point")


# -- EFS, FSx, Storage Gateway ------------------------------------------------------

@rule("REL310", severity="high",
      title="EFS is mounted only by Linux and macOS clients",
      notes="스토리지 > EFS", best_practice="PERF03-BP01",
      facts=[facts.EFS_PROTOCOLS, facts.EFS_UNSUPPORTED_CLIENTS])
def efs_windows_clients(arch):
    """EFS speaks NFS (v4.0 and v4.1) and does not support Windows
    instances. Windows clients need SMB: FSx for Windows File Server (or
    FSx for NetApp ONTAP for mixed Linux and Windows access).

    Fix: serve Windows clients from FSx for Windows File Server, or FSx for
    NetApp ONTAP when Linux and Windows share the same data.
    """
    for fs in arch.of_type("efs_file_system"):
        clients = list(fs.clients or ())
        if "windows" in clients:
            yield Violation(fs.path("clients", clients.index("windows")),
                            f"EFS file system `{fs.name}` lists Windows clients, but EFS is NFS-only and does "
                            "not support Windows; use FSx for Windows File Server")


@rule("REL311", severity="high",
      title="EFS One Zone is not used where high availability is required",
      notes="스토리지 > EFS", best_practice="REL10-BP01",
      facts=[facts.EFS_MULTI_AZ_STORAGE_CLASSES])
def efs_one_zone_availability(arch):
    """EFS Standard storage classes keep data in several AZs; One Zone
    classes keep it in a single AZ, which goes down (and can be lost) with
    that AZ. The notes describe EFS as multi-AZ, which holds only for the
    Standard classes.

    Fix: use `storage_class: standard` with a mount target in every AZ the
    clients run in, or accept the AZ dependency with a lower availability
    target and a backup.
    """
    for fs in arch.of_type("efs_file_system"):
        if fs.storage_class == "one_zone" and arch.needs_high_availability(fs):
            yield Violation(fs.path("storage_class"),
                            f"EFS file system `{fs.name}` is One Zone, which lives in one AZ, but needs high "
                            "availability; use the Standard storage class")


@rule("REL314", severity="medium",
      title="A highly available EFS file system has mount targets in several AZs",
      notes="스토리지 > EFS", best_practice="REL10-BP01",
      facts=[facts.EFS_MULTI_AZ_STORAGE_CLASSES])
def efs_mount_targets_per_az(arch):
    """An EFS Standard file system stores its data across AZs, but clients
    reach it through mount targets, one per AZ. With mount targets in a single
    AZ, every client goes through that AZ: its loss cuts all of them off,
    and clients elsewhere pay cross-AZ latency and data transfer.

    Fix: create a mount target in each AZ where clients run, and have each
    client mount through its own AZ's target.
    """
    for fs in arch.of_type("efs_file_system"):
        if fs.storage_class == "one_zone" or not fs.mount_targets or not arch.needs_high_availability(fs):
            continue
        zones = {s.get("az") for s in arch.all(fs.mount_targets) if s.get("az")}
        if len(zones) == 1:
            yield Violation(fs.path("mount_targets"),
                            f"EFS file system `{fs.name}` needs high availability but has mount targets only in "
                            f"{next(iter(zones))}; clients lose it with that AZ")


@rule("REL315", severity="high",
      title="An EFS One Zone file system is mounted only in its own AZ",
      notes="스토리지 > EFS", best_practice="REL10-BP01",
      facts=[facts.EFS_MULTI_AZ_STORAGE_CLASSES])
def efs_one_zone_mount_targets(arch):
    """An EFS One Zone file system lives in one AZ and has its single mount
    target there. A design that places One Zone mount targets in several
    AZs cannot be built; clients in the other AZs mount across AZs, pay
    cross-AZ data transfer and lose the file system with its AZ. The notes
    describe EFS as multi-AZ, which holds only for the Standard classes.

    Fix: use the Standard storage class when clients in several AZs need
    the file system, or keep all One Zone clients in the file system's AZ.
    """
    for fs in arch.of_type("efs_file_system"):
        if fs.storage_class != "one_zone" or not fs.mount_targets:
            continue
        zones = sorted({s.get("az") for s in arch.all(fs.mount_targets) if s.get("az")})
        if len(zones) > 1:
            yield Violation(fs.path("mount_targets"),
                            f"EFS One Zone file system `{fs.name}` has mount targets in {len(zones)} AZs "
                            f"({', '.join(zones)}); a One Zone file system lives in one AZ")


@rule("OPS312", severity="medium",
      title="New designs do not use FSx File Gateway",
      notes="스토리지 > AWS Storage Gateway",
      facts=[facts.STORAGE_GATEWAY_CLOSED_TO_NEW])
def fsx_file_gateway_new(arch):
    """Amazon FSx File Gateway is no longer available to new customers. An
    account that does not already use it cannot deploy it, and existing
    customers keep it only as a service AWS steers away from (it names FSx
    for Windows File Server as the replacement). A new design built on it
    therefore either cannot be deployed or starts on a dead end. The notes
    still present it for on-premises group file shares and home
    directories, which is outdated.

    Fix: give on-premises users FSx for Windows File Server directly over
    Direct Connect or VPN (with DFS or a local cache where latency demands
    it), or use S3 File Gateway when the data can live in S3. Existing
    gateways: set `new_deployment: false`.
    """
    for gateway in arch.of_type("storage_gateway"):
        if gateway.gateway_type == "fsx_file" and gateway.new_deployment:
            yield Violation(gateway.path("gateway_type"),
                            f"Storage Gateway `{gateway.name}` is an FSx File Gateway, which is closed to new "
                            "customers (existing customers may keep using it); plan FSx for Windows File Server "
                            "or S3 File Gateway instead")


GATEWAY_USES = {
    "s3_file": ("file_shares", "home_directories", "backup", "archive", "data_lake"),
    "fsx_file": ("file_shares", "home_directories"),
    "tape": ("backup", "archive"),
    "volume": ("block_volumes", "backup"),
}
GATEWAY_NAMES = {"s3_file": "S3 File Gateway", "fsx_file": "FSx File Gateway", "tape": "Tape Gateway",
                 "volume": "Volume Gateway"}
USE_NAMES = {"file_shares": "file shares", "home_directories": "home directories", "data_lake": "data-lake ingest",
             "block_volumes": "block volumes", "backup": "backup", "archive": "archiving"}
BEST_FOR = {"file_shares": "S3 File Gateway (or FSx for Windows File Server for SMB group shares)",
            "home_directories": "FSx for Windows File Server (or S3 File Gateway)",
            "data_lake": "S3 File Gateway", "block_volumes": "Volume Gateway",
            "backup": "Tape Gateway for tape-based backup software, or S3 File Gateway",
            "archive": "Tape Gateway (or S3 File Gateway with lifecycle rules)"}


@rule("PERF313", severity="medium",
      title="The Storage Gateway type fits its use case",
      notes="스토리지 > AWS Storage Gateway", best_practice="PERF03-BP01",
      facts=[facts.STORAGE_GATEWAY_TYPES])
def storage_gateway_use_case(arch):
    """The four gateways serve different jobs. S3 File Gateway gives file
    (NFS/SMB) access to S3 for backups, archives and data-lake ingest; FSx
    File Gateway gave on-premises access to FSx for Windows File Server for
    group shares and home directories; Tape Gateway is a virtual tape
    library for backup software, archiving to S3 Glacier tiers; Volume
    Gateway presents iSCSI block volumes backed by EBS snapshots. A tape
    gateway cannot serve file shares, and a volume gateway cannot feed a
    data lake with objects.

    Fix: choose the gateway that matches the use case (S3 File Gateway for
    file shares and data lakes, Tape Gateway for tape-based backup, Volume
    Gateway for block volumes).
    """
    for gateway in arch.of_type("storage_gateway"):
        use = gateway.use_case
        if use is None or use in GATEWAY_USES[gateway.gateway_type]:
            continue
        yield Violation(gateway.path("use_case"),
                        f"Storage Gateway `{gateway.name}` is a {GATEWAY_NAMES[gateway.gateway_type]}, which does "
                        f"not serve {USE_NAMES[use]}; use {BEST_FOR[use]}")
