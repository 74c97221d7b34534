"""Edge services: Route 53, CloudFront, WAF, Shield (notes: 엣지 서비스)."""
from __future__ import annotations

from wavalidate.api import Violation, facts, rule

EDGE_TYPES = ("route53_record", "route53_health_check", "cloudfront_distribution", "waf_web_acl",
              "shield_protection", "global_accelerator")


def dns_name(record) -> str:
    """The record's DNS name (`record.name` is the resource's own name)."""
    return str(record.dns_name)


def record_groups(arch, routing: str) -> dict[tuple[str, str], list]:
    """Records of one routing policy, grouped by (name, record type)."""
    groups: dict[tuple[str, str], list] = {}
    for record in arch.of_type("route53_record"):
        if record.routing == routing:
            key = (dns_name(record).rstrip(".").lower(), str(record.record_type).upper())
            groups.setdefault(key, []).append(record)
    return groups


# -- Route 53 ---------------------------------------------------------------------

@rule("REL850", severity="high",
      title="Failover primary records have a health check",
      notes="엣지 서비스 > Route 53 > 장애 조치 라우팅", best_practice="REL11-BP01",
      facts=[facts.ROUTE53_FAILOVER_NEEDS_HEALTH_CHECK])
def route53_failover_health_check(arch):
    """Route 53 treats a record with no health check as always healthy. A
    failover primary without a health check (or, for an alias, without
    evaluate-target-health) is therefore never considered down, and traffic
    never moves to the secondary: the failover the design relies on does not
    happen. The API does not stop you from creating it.

    Fix: attach a `health_check` to the primary record, or set
    `evaluate_target_health: true` on an alias to an ELB, CloudFront or
    another record.
    """
    for record in arch.of_type("route53_record"):
        if record.routing != "failover" or record.failover != "primary":
            continue
        if record.health_check or record.evaluate_target_health:
            continue
        yield Violation(record.path("failover"),
                        f"failover primary `{record.name}` for {dns_name(record)} has no health check and does not "
                        "evaluate target health, so Route 53 always treats it as healthy and never fails over")


@rule("REL851", severity="medium",
      title="Geolocation records include a default location",
      notes="엣지 서비스 > Route 53 > 지리적 위치 라우팅", best_practice="REL11-BP01",
      facts=[facts.ROUTE53_GEOLOCATION_NEEDS_DEFAULT])
def route53_geolocation_default(arch):
    """Geolocation routing answers by the user's location. A query from a
    location no record covers (or whose IP Route 53 cannot place) gets no
    answer at all unless a default record (`location: "*"`) exists, so those
    users cannot reach the service.

    Fix: add a geolocation record for the same name with `location: "*"`.
    """
    for (_name, kind), records in record_groups(arch, "geolocation").items():
        if not any(str(r.location).strip() == "*" for r in records):
            first = records[0]
            covered = ", ".join(sorted(str(r.location) for r in records if r.location))
            yield Violation(first.path("location") if first.has("location") else first.path("routing"),
                            f"geolocation records for {dns_name(first)} ({kind}) cover only {covered or 'no location'} "
                            "and have no default (`location: \"*\"`); users elsewhere get no answer")


@rule("REL852", severity="low",
      title="Multivalue answer sets stay within eight records",
      notes="엣지 서비스 > Route 53 > 다중값 응답 라우팅", best_practice="REL11-BP01",
      facts=[facts.ROUTE53_MULTIVALUE_MAX_RECORDS])
def route53_multivalue_limit(arch):
    """Multivalue answer routing returns up to eight healthy records for a
    query, chosen at random. Records beyond eight are never returned together,
    so a design that expects clients to see all of them (to spread load over
    every endpoint) does not get it.

    Fix: keep eight or fewer multivalue records per name, or put the endpoints
    behind a load balancer and answer with one alias.
    """
    limit = facts.ROUTE53_MULTIVALUE_MAX_RECORDS.value
    for (_name, kind), records in record_groups(arch, "multivalue").items():
        count = sum(max(1, len(r.values or ())) for r in records)
        if count > limit:
            yield Violation(records[limit].path() if len(records) > limit else records[0].path("values"),
                            f"{dns_name(records[0])} ({kind}) has {count} multivalue answers; Route 53 returns at most "
                            f"{limit} healthy ones per query", on_key=len(records) > limit)


@rule("REL853", severity="low",
      title="Weighted record sets do not give every record weight 0",
      notes="엣지 서비스 > Route 53 > 가중치 기반 라우팅", best_practice="REL11-BP01",
      facts=[facts.ROUTE53_WEIGHT_RANGE])
def route53_weighted_all_zero(arch):
    """A weight of 0 normally sends a record no traffic, which is how
    blue/green cut-overs drain one side. When every record of the name has
    weight 0, Route 53 instead splits traffic equally among them, which is
    rarely what was meant (for example a drained old stack receiving half
    the traffic again).

    Fix: give the records that should serve a non-zero weight; remove the
    ones that should serve nothing.
    """
    for (_name, kind), records in record_groups(arch, "weighted").items():
        weights = [r.weight for r in records]
        if weights and all(w == 0 for w in weights):
            yield Violation(records[0].path("weight"),
                            f"every weighted record for {dns_name(records[0])} ({kind}) has weight 0, so Route 53 "
                            f"splits traffic equally across all {len(records)} instead of sending none")


@rule("REL854", severity="medium",
      title="Latency records point at Regions where the workload runs",
      notes="엣지 서비스 > Route 53 > 지연 시간 기반 라우팅", best_practice="PERF04-BP01",
      facts=[facts.ROUTE53_ROUTING_POLICIES])
def route53_latency_region(arch):
    """Latency-based routing sends each user to the record whose Region has
    the lowest latency for them. A latency record for a Region where nothing
    of the workload runs sends those users to an endpoint that does not
    exist (or to a copy the design does not include).

    Fix: point the record at the endpoint in its own Region (its `target`),
    or deploy the workload there; remove records for Regions you left.
    """
    regions: set[str] = set()
    for resource in arch.resources.values():
        if resource.type not in EDGE_TYPES:
            region = arch.region_of(resource)
            if region:
                regions.add(region)
    for record in arch.of_type("route53_record"):
        if record.routing != "latency":
            continue
        target = arch.get(record.target)
        region = record.region or (arch.region_of(target) if target is not None else None)
        if region and region not in regions:
            yield Violation(record.path("region") if record.region else record.path("target"),
                            f"latency record `{record.name}` for {dns_name(record)} routes users to {region}, where "
                            "no resource of the workload runs")


# -- CloudFront ----------------------------------------------------------------------

@rule("SEC850", severity="high",
      title="CloudFront S3 origins use origin access control",
      notes="엣지 서비스 > Amazon CloudFront", best_practice="SEC03-BP07",
      facts=[facts.CLOUDFRONT_S3_ACCESS_CONTROL, facts.CLOUDFRONT_OAC_NOT_FOR_WEBSITE_ENDPOINTS])
def cloudfront_s3_origin_access_control(arch):
    """An S3 origin without origin access control only works if the bucket
    is publicly readable, so anyone can bypass CloudFront (and its WAF,
    geo restrictions and signed URLs) by reading the bucket directly. Origin
    access control (OAC) lets CloudFront sign requests so the bucket can stay
    private; the older origin access identity (OAI) still works but is
    legacy and lacks SSE-KMS and newer Regions. S3 website endpoints are
    custom origins and cannot use OAC.

    Fix: set `access_control: oac` and allow only the distribution in the
    bucket policy; migrate OAI origins to OAC. For a website endpoint, use
    the bucket's REST endpoint with OAC instead.
    """
    for distribution in arch.of_type("cloudfront_distribution"):
        for index, origin in enumerate(distribution.origins or ()):
            kind, control = origin.get("origin_type"), origin.get("access_control")
            name = origin.get("target") or f"origin {index}"
            path = distribution.path("origins", index, "access_control" if control else "origin_type")
            if kind == "s3" and control == "oai":
                yield Violation(path, f"distribution `{distribution.name}` reaches S3 origin `{name}` through a "
                                      "legacy origin access identity; migrate it to origin access control (OAC)",
                                severity="low")
            elif kind == "s3" and control in (None, "none"):
                yield Violation(path, f"distribution `{distribution.name}` reaches S3 origin `{name}` without origin "
                                      "access control, so the bucket must be public and can be read around "
                                      "CloudFront")
            elif kind == "s3_website" and control == "oac":
                yield Violation(path, f"S3 website endpoint `{name}` of `{distribution.name}` is a custom origin and "
                                      "cannot use OAC; use the bucket's REST endpoint with OAC",
                                severity="medium")


@rule("SEC851", severity="medium",
      title="CloudFront viewers use HTTPS",
      notes="엣지 서비스 > Amazon CloudFront", best_practice="SEC09-BP02",
      facts=[facts.CLOUDFRONT_VIEWER_PROTOCOL_POLICIES])
def cloudfront_viewer_https(arch):
    """With the viewer protocol policy `allow_all`, viewers may fetch
    content over plain HTTP: cookies, tokens and pages travel unencrypted and
    can be read or altered on the way.

    Fix: set `viewer_protocol: redirect_to_https` (HTTP gets a 301 to HTTPS)
    or `https_only` (HTTP gets a 403).
    """
    for distribution in arch.of_type("cloudfront_distribution"):
        if distribution.viewer_protocol == "allow_all":
            yield Violation(distribution.path("viewer_protocol"),
                            f"distribution `{distribution.name}` lets viewers use plain HTTP; redirect them to HTTPS")


@rule("SEC852", severity="medium",
      title="CloudFront distributions in front of applications have a web ACL",
      notes="엣지 서비스 > DDoS 보호", best_practice="SEC05-BP03",
      facts=[facts.WAF_RESOURCE_TYPES, facts.CLOUDFRONT_WAF_REGION, facts.SHIELD_STANDARD_AUTOMATIC])
def cloudfront_waf(arch):
    """Shield Standard protects every distribution against layer 3 and 4
    floods for free, but layer 7 attacks (SQL injection, credential
    stuffing, HTTP floods) reach the application unless a WAF web ACL
    inspects requests at the edge. A distribution with a dynamic origin (a
    load balancer, API or server) is a public application entry point.
    Distributions serving only S3 content are not reported.

    Fix: create a web ACL with `scope: cloudfront` (in us-east-1) with the
    AWS managed rule groups and a rate-based rule, and set it as the
    distribution's `waf`.
    """
    for distribution in arch.of_type("cloudfront_distribution"):
        if distribution.waf:
            continue
        dynamic = [o for o in distribution.origins or () if o.get("origin_type") == "custom"]
        if dynamic:
            name = dynamic[0].get("target") or "a custom origin"
            yield Violation(distribution.path("origins"),
                            f"distribution `{distribution.name}` fronts application origin `{name}` with no WAF web "
                            "ACL; layer 7 attacks pass straight to the origin")


# -- WAF and Shield ---------------------------------------------------------------------

LB_NAMES = {"nlb": "Network Load Balancer", "gwlb": "Gateway Load Balancer", "clb": "Classic Load Balancer"}
API_NAMES = {"http": "HTTP API", "websocket": "WebSocket API"}


def _waf_kind(resource) -> str:
    """The name WAF_RESOURCE_TYPES uses for a resource, or a description of it."""
    if resource.type == "cloudfront_distribution":
        return "cloudfront_distribution"
    if resource.type == "api_gateway":
        return "api_gateway_rest" if resource.api_type == "rest" else API_NAMES[resource.api_type]
    if resource.type == "load_balancer":
        return "alb" if resource.lb_type == "alb" else LB_NAMES[resource.lb_type]
    return resource.type.replace("_", " ")


@rule("SEC853", severity="high",
      title="Web ACLs are associated only with resources AWS WAF supports, in the right scope",
      notes="엣지 서비스 > DDoS 보호 > AWS Shield", best_practice="SEC05-BP03",
      facts=[facts.WAF_RESOURCE_TYPES, facts.CLOUDFRONT_WAF_REGION])
def waf_supported_resource(arch):
    """AWS WAF protects CloudFront distributions, REST APIs in API Gateway,
    Application Load Balancers, AppSync, Cognito user pools, App Runner,
    Verified Access, Amplify and Bedrock AgentCore Gateway (the notes' list
    lacks the last two). It cannot be associated with a Network or Gateway
    Load Balancer, a Classic Load Balancer, an HTTP API or an EC2 instance, so
    the protection the design counts on does not exist. A CloudFront web ACL
    must have CloudFront scope (created in us-east-1); every other resource
    takes a regional web ACL.

    Fix: protect what WAF supports (put an ALB or CloudFront in front of an
    NLB or instance; use a REST API or CloudFront for an HTTP API), and
    create the web ACL in the scope the resource needs.
    """
    supported = facts.WAF_RESOURCE_TYPES.value
    seen: set[tuple[str, str]] = set()
    pairs = []
    for acl in arch.of_type("waf_web_acl"):
        for index, name in enumerate(acl.associations or ()):
            target = arch.get(name)
            if target is not None:
                pairs.append((acl, target, acl.path("associations", index)))
    for kind in ("cloudfront_distribution", "api_gateway", "load_balancer"):
        for resource in arch.of_type(kind):
            acl = arch.get(resource.waf)
            if acl is not None:
                pairs.append((acl, resource, resource.path("waf")))
    for acl, target, path in pairs:
        if (acl.name, target.name) in seen:
            continue
        seen.add((acl.name, target.name))
        kind = _waf_kind(target)
        if kind not in supported:
            yield Violation(path, f"web ACL `{acl.name}` is associated with `{target.name}` ({kind}), which AWS WAF "
                                  "cannot protect")
            continue
        wanted = "cloudfront" if kind == "cloudfront_distribution" else "regional"
        if acl.scope and acl.scope != wanted:
            yield Violation(path, f"web ACL `{acl.name}` has {acl.scope} scope but protects `{target.name}`, which "
                                  f"needs a {wanted} web ACL"
                                  + (" (created in us-east-1)" if wanted == "cloudfront" else ""))


INTERNET_FACING = ("cloudfront_distribution", "global_accelerator", "load_balancer", "elastic_ip")


@rule("SEC854", severity="info",
      title="Critical internet-facing entry points consider Shield Advanced",
      notes="엣지 서비스 > DDoS 보호 > AWS Shield", best_practice="SEC05-BP03",
      facts=[facts.SHIELD_STANDARD_AUTOMATIC, facts.SHIELD_ADVANCED_MONTHLY_USD])
def shield_advanced_critical(arch):
    """Shield Standard (free, automatic) absorbs common layer 3 and 4
    attacks. For critical workloads, Shield Advanced adds detection tuned to
    the resource, the Shield Response Team, and cost protection against
    scaling charges caused by an attack, for a monthly fee (about
    USD 3,000 per organization, per secondary sources). It is advice for
    critical entry points, not a requirement.

    The rule reports each critical internet-facing entry point (CloudFront,
    Global Accelerator, internet-facing load balancers, Elastic IPs) that no
    `shield_protection` covers, once per file.

    Fix: add a `shield_protection` covering the entry points, or suppress
    this with the reason (for example, accepted DDoS risk).
    """
    protected = {name for p in arch.of_type("shield_protection") for name in p.protects or ()}
    exposed = []
    for resource in arch.of_type(*INTERNET_FACING):
        if resource.type == "load_balancer" and resource.scheme != "internet_facing":
            continue
        if resource.name in protected or not arch.requirements_for(resource).get("critical"):
            continue
        exposed.append(resource)
    if exposed:
        names = ", ".join(f"`{r.name}`" for r in exposed[:5]) + (f" and {len(exposed) - 5} more" if len(exposed) > 5
                                                                  else "")
        yield Violation(exposed[0].path(), f"critical internet-facing {names} "
                                            f"{'has' if len(exposed) == 1 else 'have'} only Shield Standard; consider "
                                            "Shield Advanced", on_key=True)
