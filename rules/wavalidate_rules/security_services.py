"""Instance metadata and access logs (notes: 보안, 모니터링 및 크기 조정 > CloudWatch)."""
from __future__ import annotations

from wavalidate.api import Violation, facts, rule

from ._shared import critical_data, log_buckets

LOGGED = {"load_balancer": "load balancer", "cloudfront_distribution": "CloudFront distribution",
          "s3_bucket": "S3 bucket", "api_gateway": "API"}


@rule("SEC241", severity="high",
      title="Instances and launch templates require IMDSv2",
      notes="보안 > 역할", best_practice="SEC06-BP02",
      facts=[facts.EC2_IMDSV2])
def imdsv2_required(arch):
    """The instance metadata service hands out the credentials of the
    instance's role. IMDSv1 answers any GET without a session token, so a
    server-side request forgery in the application (a URL fetcher, an image
    proxy) can read them. Requiring tokens (IMDSv2) blocks that. An explicit
    `optional` is high; an unstated setting on compute with a role is low,
    since newer AMIs and the account default may already require tokens.

    Fix: set `metadata_tokens: required` on the instance or launch template
    (HttpTokens=required), with a hop limit of 2 where containers call it.
    """
    for item in arch.of_type("ec2_instance", "launch_template", "auto_scaling_group"):
        if item.type == "auto_scaling_group" and item.launch_template:
            continue  # the template is checked
        if item.metadata_tokens == "required":
            continue
        kind = {"ec2_instance": "instance", "launch_template": "launch template",
                "auto_scaling_group": "Auto Scaling group"}[item.type]
        if item.metadata_tokens == "optional":
            yield Violation(item.path("metadata_tokens"),
                            f"{kind} `{item.name}` allows IMDSv1, so a request forgery can read its role's "
                            "credentials")
        elif item.role:
            yield Violation(item.path("metadata_tokens"),
                            f"{kind} `{item.name}` does not declare `metadata_tokens: required` (IMDSv2)",
                            severity="low")


@rule("OPS560", severity="medium",
      title="Entry points and buckets keep access logs where the requirements ask for them",
      notes="모니터링 및 크기 조정 > CloudWatch", best_practice="OPS08-BP01",
      facts=[facts.ACCESS_LOGS_OFF_BY_DEFAULT])
def access_logging(arch):
    """Load balancer, CloudFront, S3 server and API Gateway access logs record
    each request: who called, what, when and with what result. They are what
    an investigation or a debugging session starts from, and none of them is
    on by default. Where the requirements ask for them (`access_logs: true`),
    each entry point and bucket must have them on; and an explicit
    `access_logs: false` on one whose data is confidential, restricted or
    critical is reported too. Buckets that hold logs are left out (logging
    them would log the logging); a bucket is low, since CloudTrail data
    events can record its requests instead.

    Fix: set `access_logs: true` and name the `log_bucket` (a bucket in a
    log archive account, with a lifecycle rule); for API Gateway, turn on
    access logging to CloudWatch Logs.
    """
    logs = log_buckets(arch)
    for item in arch.of_type(*LOGGED):
        if item.access_logs:
            continue
        if item.type == "s3_bucket" and item.name in logs:
            continue
        if item.type == "load_balancer" and item.lb_type == "gwlb":
            continue
        asked = arch.requirements_for(item).get("access_logs")
        refused = item.has("access_logs") and critical_data(arch, item)
        if not (asked or refused):
            continue
        why = "the requirements ask for access logs" if asked else "its data is sensitive or critical"
        yield Violation(item.path("access_logs"),
                        f"{LOGGED[item.type]} `{item.name}` keeps no access logs, though {why}",
                        severity="low" if item.type == "s3_bucket" else None)
