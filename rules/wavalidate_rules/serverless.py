"""Serverless: API Gateway, SQS, SNS, Kinesis, Firehose, Step Functions, Lambda (notes: 서버리스)."""
from __future__ import annotations

import math

from wavalidate.api import Violation, facts, human_seconds, rule, service_call_allowed, strongly_connected, units
from wavalidate_rules._shared import cloudfront_fronted


def _seconds(value, default=None):
    parsed = units.seconds(value)
    return default if parsed is None else parsed


def _dead_letter_queues(arch) -> set[str]:
    """Names of queues that serve as another queue's or a function's dead-letter queue."""
    dlqs = {q.dead_letter_queue for q in arch.of_type("sqs_queue") if q.dead_letter_queue}
    dlqs.update(f.dead_letter for f in arch.of_type("lambda_function") if f.dead_letter)
    return dlqs


# -- API Gateway ------------------------------------------------------------------

@rule("SEC750", severity="high",
      title="Public APIs authorize their callers",
      notes="서버리스 > API Gateway", best_practice="SEC03-BP01",
      facts=[facts.APIGW_AUTHORIZERS])
def api_gateway_authorization(arch):
    """API Gateway can authorize every request with IAM (SigV4), a Lambda
    authorizer, or a Cognito user pool (HTTP APIs also take JWT authorizers).
    A public API with none lets anyone on the internet call the backend, which
    is the data-exfiltration and bill-shock path the notes' "인증 및 권한 부여"
    point warns about.

    Fix: set `authorizer` to `iam`, `cognito`, `lambda` or `jwt`. If the API is
    deliberately open (public data), suppress the finding with the reason.
    """
    for api in arch.of_type("api_gateway"):
        if api.public and api.authorizer in (None, "none"):
            how = "sets `authorizer: none`" if api.authorizer else "declares no authorizer"
            # api_type is None when only deployment knows it (the finding is then dropped as resting on it)
            kind = {"websocket": "WebSocket ", None: ""}.get(api.api_type, f"{str(api.api_type).upper()} ")
            yield Violation(api.path("authorizer") if api.has("authorizer") else api.path("api_type"),
                            f"public {kind}API `{api.name}` {how}; anyone on the internet can call its integrations")


@rule("REL750", severity="medium",
      title="Public APIs set their own throttling limits",
      notes="서버리스 > API Gateway", best_practice="REL05-BP02",
      facts=[facts.APIGW_ACCOUNT_RPS, facts.APIGW_ACCOUNT_BURST])
def api_gateway_throttling(arch):
    """Without stage or route throttling an API is limited only by the account
    quota: 10,000 requests per second with a burst of 5,000, shared by every
    API in the account and Region. One noisy client can then use it all,
    throttling the other APIs, and pass the whole load to the backend.

    Fix: set `throttling: {rate: ..., burst: ...}` below what the backend can
    absorb (and use usage plans for per-client limits on REST APIs).
    """
    quota, burst = facts.APIGW_ACCOUNT_RPS.value, facts.APIGW_ACCOUNT_BURST.value
    for api in arch.of_type("api_gateway"):
        if api.public and not api.throttling:
            yield Violation(api.path("api_type"),
                            f"public API `{api.name}` has no throttling, so it shares the account's {quota:,} "
                            f"requests/s (burst {burst:,}) with every other API in the Region and passes any "
                            "surge to its backend")


@rule("SEC751", severity="medium",
      title="Public REST APIs are protected by AWS WAF",
      notes="서버리스 > API Gateway", best_practice="SEC05-BP03",
      facts=[facts.APIGW_WAF_API_TYPES, facts.WAF_RESOURCE_TYPES])
def api_gateway_waf(arch):
    """AWS WAF filters layer 7 attacks (SQL injection, bad bots, request
    floods by rate-based rules) before they reach the backend. For API
    Gateway it attaches to REST APIs; HTTP APIs take no web ACL, so they are
    protected by putting CloudFront with a web ACL in front (which this rule
    also accepts for REST APIs).

    Fix: associate a regional `waf_web_acl` with the REST API (`waf:`), or
    front the API with a CloudFront distribution that has one.
    """
    fronted = cloudfront_fronted(arch, waf_only=True)
    protected = {name for acl in arch.of_type("waf_web_acl") for name in acl.associations or ()}
    for api in arch.of_type("api_gateway"):
        if (api.public and api.api_type in facts.APIGW_WAF_API_TYPES.value and not api.waf
                and api.name not in fronted and api.name not in protected):
            yield Violation(api.path("api_type"),
                            f"public REST API `{api.name}` has no AWS WAF web ACL, nor CloudFront with one in front")


@rule("REL751", severity="high",
      title="API integration timeouts fit the limit of the API type",
      notes="서버리스 > API Gateway", best_practice="REL05-BP05",
      facts=[facts.APIGW_INTEGRATION_TIMEOUT_MS, facts.APIGW_HTTP_INTEGRATION_TIMEOUT_MS,
             facts.APIGW_TIMEOUT_RAISABLE_ENDPOINTS, facts.APIGW_RAISED_TIMEOUT_MAX_MS,
             facts.APIGW_STREAMING_TIMEOUT_MS])
def api_gateway_integration_timeout(arch):
    """An integration may run from 50 ms to 29 s by default (HTTP APIs: up
    to 30 s). The notes call 29 s a hard cap, which is outdated: since June
    2024 Regional and private REST APIs can raise it through a Service
    Quotas request (which may lower the account's throttle quota). HTTP
    APIs (30 s), WebSocket APIs and edge-optimized REST APIs (the default
    endpoint type, 29 s) cannot, so a longer timeout there cannot be
    configured and callers get a 504. A REST integration that streams its
    response (`transfer_mode: stream`, proxy integrations) may run up to
    15 minutes on every endpoint type, edge-optimized included.

    Fix: make long work asynchronous (return 202 and hand off to SQS, Step
    Functions or an async Lambda invocation), stream the response from a
    REST API, or use a Regional REST API and request a higher integration
    timeout.
    """
    raised_ms = facts.APIGW_RAISED_TIMEOUT_MAX_MS.value
    stream_ms = facts.APIGW_STREAMING_TIMEOUT_MS.value
    for api in arch.of_type("api_gateway"):
        low_ms, high_ms = _integration_timeout_range(api)
        endpoint = api.endpoint_type or ("edge" if api.api_type == "rest" else None)
        raisable = api.api_type == "rest" and endpoint in facts.APIGW_TIMEOUT_RAISABLE_ENDPOINTS.value
        for index, integration in enumerate(api.integrations or ()):
            seconds = units.seconds(integration.get("timeout"))
            if seconds is None:
                continue
            path = api.path("integrations", index, "timeout")
            ms = seconds * 1000
            if ms < low_ms:
                yield Violation(path, f"integration timeout {human_seconds(seconds)} of API `{api.name}` is below "
                                      f"the minimum of {low_ms} ms")
            elif api.api_type == "rest" and integration.get("transfer_mode") == "stream":
                if ms > stream_ms:
                    yield Violation(path, f"integration timeout {human_seconds(seconds)} of streaming REST API "
                                          f"`{api.name}` is over the {human_seconds(stream_ms / 1000)} a streamed "
                                          "response may run")
            elif ms > high_ms and not raisable:
                kind = ("HTTP API" if api.api_type == "http" else "WebSocket API" if api.api_type == "websocket"
                        else "edge-optimized REST API" + ("" if api.endpoint_type else " (the default endpoint type)"))
                yield Violation(path, f"integration timeout {human_seconds(seconds)} of {kind} `{api.name}` is over "
                                      f"{high_ms // 1000} s, which this API type cannot raise; callers get a 504")
            elif ms > raised_ms:
                yield Violation(path, f"integration timeout {human_seconds(seconds)} of API `{api.name}` is over the "
                                      f"{raised_ms // 1000} s that a quota increase is reported to allow",
                                severity="medium")
            elif ms > high_ms:
                yield Violation(path, f"integration timeout {human_seconds(seconds)} of {endpoint} REST API "
                                      f"`{api.name}` is over the default {high_ms // 1000} s; it needs a Service "
                                      "Quotas increase, which may lower the account throttle quota",
                                severity="low")


def _integration_timeout_range(api) -> tuple[int, int]:
    """(min, default max) integration timeout in ms: HTTP APIs allow 30 s, the other types 29 s."""
    if api.api_type == "http":
        return facts.APIGW_HTTP_INTEGRATION_TIMEOUT_MS.value
    return facts.APIGW_INTEGRATION_TIMEOUT_MS.value


# -- SQS ------------------------------------------------------------------------------

@rule("REL752", severity="medium",
      title="SQS visibility timeouts are at least six times the timeout of their Lambda consumers",
      notes="서버리스 > AWS SQS를 통한 느슨한 결합", best_practice="REL05-BP03",
      facts=[facts.SQS_LAMBDA_VISIBILITY_FACTOR, facts.SQS_VISIBILITY_TIMEOUT_DEFAULT_S])
def sqs_visibility_lambda_timeout(arch):
    """While a Lambda function processes a batch, the messages stay hidden
    for the queue's visibility timeout. If the timeout ends first, another
    invocation receives the same messages and they are processed twice. AWS
    recommends a visibility timeout of at least six times the function
    timeout (plus the batching window) to leave room for retries when the
    function is throttled; Lambda refuses to create the event source mapping
    when the function timeout exceeds the visibility timeout.

    Consumers whose `timeout_s` is not given are not checked.

    Fix: set the queue's `visibility_timeout` to at least 6 x the consumer's
    `timeout_s`, or shorten the function timeout.
    """
    factor = facts.SQS_LAMBDA_VISIBILITY_FACTOR.value
    for queue in arch.of_type("sqs_queue"):
        visibility = _seconds(queue.visibility_timeout, facts.SQS_VISIBILITY_TIMEOUT_DEFAULT_S.value)
        where = queue.path("visibility_timeout") if queue.has("visibility_timeout") else queue.path("consumers")
        shown = human_seconds(visibility) + ("" if queue.has("visibility_timeout") else " (the default)")
        for function in arch.all(queue.consumers):
            if function.type != "lambda_function" or not function.timeout_s:
                continue
            timeout = function.timeout_s
            if visibility < timeout:
                yield Violation(where, f"queue `{queue.name}` hides messages for {shown}, less than the "
                                       f"{human_seconds(timeout)} timeout of consumer `{function.name}`; Lambda "
                                       "rejects this event source mapping", severity="high")
            elif visibility < factor * timeout:
                yield Violation(where, f"queue `{queue.name}` hides messages for {shown}, less than {factor} x the "
                                       f"{human_seconds(timeout)} timeout of consumer `{function.name}` "
                                       f"({human_seconds(factor * timeout)}); messages may be processed twice")


@rule("REL753", severity="medium",
      title="Consumed SQS queues have a dead-letter queue",
      notes="서버리스 > AWS SQS를 통한 느슨한 결합", best_practice="REL05-BP04",
      facts=[facts.SQS_MAX_RECEIVE_COUNT_MIN, facts.SQS_RETENTION_DEFAULT_S])
def sqs_dead_letter_queue(arch):
    """A message that its consumer cannot process (a poison message) returns
    to the queue after every visibility timeout and is retried until its
    retention period ends (4 days by default), wasting invocations, blocking
    FIFO message groups, and finally vanishing without a trace. A redrive
    policy moves it to a dead-letter queue after `max_receive_count` tries,
    where it can be inspected and redriven.

    Fix: create a second queue and set `dead_letter_queue` and
    `max_receive_count` (for example 5) on the source queue; alarm on the DLQ
    depth.
    """
    dlqs = _dead_letter_queues(arch)
    for queue in arch.of_type("sqs_queue"):
        if queue.name in dlqs or queue.dead_letter_queue or not queue.consumers:
            continue
        yield Violation(queue.path("consumers"),
                        f"queue `{queue.name}` has no dead-letter queue; a message its consumers cannot process "
                        "is retried until it expires")


@rule("COST750", severity="low",
      title="SQS queues polled by your own consumers use long polling",
      notes="서버리스 > AWS SQS를 통한 느슨한 결합 > 폴링 유형",
      facts=[facts.SQS_RECEIVE_WAIT_S, facts.SQS_LONG_POLL_MAX_S])
def sqs_long_polling(arch):
    """Short polling (a receive wait time of 0, the default) answers at once,
    often empty, and queries only a subset of servers, so consumers make many
    more billed ReceiveMessage calls for the same messages, and keep compute
    busy doing it (a sustainability cost too). Long polling waits up to 20 s
    for a message. The notes list the trade-off; for most consumers long
    polling is cheaper at no real latency cost. Lambda event source mappings
    long-poll by themselves, so queues consumed only by Lambda are skipped, as
    are dead-letter queues that nothing polls.

    Fix: set `receive_wait: 20s` on the queue (ReceiveMessageWaitTimeSeconds).
    """
    dlqs = _dead_letter_queues(arch)
    for queue in arch.of_type("sqs_queue"):
        if _seconds(queue.receive_wait, 0) > 0 or (queue.name in dlqs and not queue.consumers):
            continue
        pollers = [c for c in arch.all(queue.consumers) if c.type != "lambda_function"]
        if queue.consumers and not pollers:
            continue
        who = f"consumer `{pollers[0].name}` pays" if pollers else "its consumers pay"
        yield Violation(queue.path("receive_wait") if queue.has("receive_wait") else queue.path("type"),
                        f"queue `{queue.name}` uses short polling, so {who} for many empty receives; set a "
                        f"receive wait of up to {facts.SQS_LONG_POLL_MAX_S.value} s")


@rule("REL754", severity="high",
      title="SQS queue settings and message sizes are within SQS limits",
      notes="서버리스 > AWS SQS를 통한 느슨한 결합", best_practice="REL01-BP01",
      facts=[facts.SQS_VISIBILITY_TIMEOUT_S, facts.SQS_RECEIVE_WAIT_S, facts.SQS_RETENTION_S,
             facts.SQS_MESSAGE_SIZE_BYTES])
def sqs_limits(arch):
    """SQS accepts a visibility timeout of 0 s to 12 h, a receive wait of 0 to
    20 s, a retention period of 60 s to 14 days, and a maximum message size of
    1 KiB to 1 MiB. The notes' 256 KiB maximum is outdated: SQS now takes
    messages of up to 1 MiB (the default maximum). Larger payloads belong in
    S3 with a pointer in the message (the extended client library).

    Fix: bring the setting into range; for bigger messages store the payload
    in S3 and send its key.
    """
    vis_range = facts.SQS_VISIBILITY_TIMEOUT_S.value
    wait_range = facts.SQS_RECEIVE_WAIT_S.value
    keep_range = facts.SQS_RETENTION_S.value
    size_range = facts.SQS_MESSAGE_SIZE_BYTES.value
    for queue in arch.of_type("sqs_queue"):
        checks = (("visibility_timeout", units.seconds(queue.visibility_timeout), vis_range, human_seconds),
                  ("receive_wait", units.seconds(queue.receive_wait), wait_range, human_seconds),
                  ("retention", units.seconds(queue.retention), keep_range, human_seconds),
                  ("max_message_size", units.size_bytes(queue.max_message_size), size_range, _human_bytes))
        for key, value, (low, high), show in checks:
            if value is not None and not low <= value <= high:
                yield Violation(queue.path(key), f"queue `{queue.name}` sets {key.replace('_', ' ')} to "
                                                 f"{show(value)}; SQS allows {show(low)} to {show(high)}")
        record_kb = arch.requirements_for(queue).get("record_size_kb")
        if record_kb is not None and record_kb * 1000 > size_range[1]:
            yield Violation(queue.path("requirements", "record_size_kb"),
                            f"queue `{queue.name}` must carry messages of {record_kb:g} KB, over the SQS maximum of "
                            f"{size_range[1] / 2 ** 20:g} MiB; store the payload in S3 and send a pointer")


def _human_bytes(value: float) -> str:
    for unit, size in (("GiB", 1024 ** 3), ("MiB", 1024 ** 2), ("KiB", 1024)):
        if value >= size:
            return f"{value / size:g} {unit}"
    return f"{value:g} bytes"


@rule("PERF750", severity="high",
      title="FIFO queues are not asked for more than FIFO throughput allows",
      notes="서버리스 > AWS SQS를 통한 느슨한 결합", best_practice="PERF01-BP01",
      facts=[facts.SQS_FIFO_TPS, facts.SQS_FIFO_BATCHED_MESSAGES_PER_S])
def sqs_fifo_throughput(arch):
    """A FIFO queue without high-throughput mode handles 300 transactions per
    second per API action: 300 messages/s unbatched, or up to 3,000 messages/s
    in batches of ten. Above that, sends are throttled. High-throughput FIFO
    raises the limit (by Region); standard queues are nearly unlimited.

    Fix: batch sends (`batching: true`), enable `high_throughput` (with many
    message group IDs), or use a standard queue if strict ordering and
    deduplication are not required.
    """
    for queue in arch.of_type("sqs_queue"):
        rate = arch.requirements_for(queue).get("rate")
        if not queue.fifo or queue.high_throughput or rate is None:
            continue
        limit = (facts.SQS_FIFO_BATCHED_MESSAGES_PER_S if queue.batching else facts.SQS_FIFO_TPS).value
        if rate > limit:
            how = "with batching" if queue.batching else "without batching"
            yield Violation(queue.path("fifo"),
                            f"FIFO queue `{queue.name}` must take {rate:g} messages/s, but a FIFO queue {how} "
                            f"handles {limit:,}; enable high-throughput mode" + ("" if queue.batching else " or batch"))


# -- SNS ------------------------------------------------------------------------------

@rule("REL755", severity="high",
      title="Queues subscribed to an SNS topic have a policy that lets the topic send",
      notes="서버리스 > Amazon Simple Notification Service(Amazon SNS)",
      facts=[facts.SNS_SQS_NEEDS_QUEUE_POLICY, facts.SNS_PROTOCOLS])
def sns_sqs_queue_policy(arch):
    """To deliver to an SQS subscription, SNS calls `sqs:SendMessage` on the
    queue as the topic. Unless the queue's resource policy allows that
    (typically Principal `sns.amazonaws.com`, or `*` conditioned on
    `aws:SourceArn` being the topic), every delivery is denied and the
    fan-out silently drops messages.

    The queue policy is evaluated as IAM does for SNS's request (an explicit
    Deny wins, conditions on aws:SourceArn and aws:SourceAccount are checked
    against the topic); when the answer depends on something the file does
    not say, the rule stays silent.

    Fix: add a queue `policy` statement allowing `sqs:SendMessage` from
    `sns.amazonaws.com` with `aws:SourceArn` set to the topic's ARN.
    """
    for topic in arch.of_type("sns_topic"):
        for index, subscription in enumerate(topic.subscriptions or ()):
            queue = arch.get(subscription.get("endpoint"))
            if subscription.get("protocol") != "sqs" or queue is None or queue.type != "sqs_queue":
                continue
            allowed = service_call_allowed(arch, queue.policy, "sns.amazonaws.com", "sqs:SendMessage", queue, topic)
            if allowed is False:
                state = "has no policy" if not queue.policy else "has a policy that does not allow it"
                yield Violation(topic.path("subscriptions", index, "endpoint"),
                                f"topic `{topic.name}` delivers to queue `{queue.name}`, which {state} to receive "
                                "from the topic (sqs:SendMessage); every delivery is denied")


@rule("REL756", severity="high",
      title="FIFO topics deliver only to SQS queues",
      notes="서버리스 > Amazon Simple Notification Service(Amazon SNS)",
      facts=[facts.SNS_FIFO_PROTOCOLS])
def sns_fifo_subscriptions(arch):
    """A FIFO topic keeps order and deduplicates, which only SQS subscribers
    can honour: it delivers to SQS FIFO and standard queues, and not to
    Lambda, HTTP(S), email, SMS or mobile endpoints. (The notes' "FIFO topics
    deliver only to FIFO queues" is outdated: standard queues are accepted
    too.)

    Fix: subscribe an SQS queue and have the other consumers read from it,
    or use a standard topic for those protocols.
    """
    allowed = facts.SNS_FIFO_PROTOCOLS.value
    for topic in arch.of_type("sns_topic"):
        if not topic.fifo:
            continue
        for index, subscription in enumerate(topic.subscriptions or ()):
            if subscription.get("protocol") not in allowed:
                yield Violation(topic.path("subscriptions", index, "protocol"),
                                f"FIFO topic `{topic.name}` cannot deliver to `{subscription.get('protocol')}` "
                                "subscriptions; FIFO topics deliver to SQS queues only")


# -- Kinesis and Firehose -------------------------------------------------------------

@rule("PERF751", severity="high",
      title="Kinesis streams have enough shards for their ingest and readers",
      notes="서버리스 > Amazon Kinesis > Kinesis Data Streams", best_practice="PERF01-BP01",
      facts=[facts.KINESIS_SHARD_IN_MB_S, facts.KINESIS_SHARD_IN_RECORDS_S, facts.KINESIS_SHARD_OUT_MB_S])
def kinesis_shard_capacity(arch):
    """Each shard takes in 1 MB/s or 1,000 records/s, whichever comes first,
    and serves 2 MB/s out, shared by all standard consumers (enhanced fan-out
    gives each registered consumer its own 2 MB/s). A provisioned stream with
    fewer shards than the ingest needs throttles producers
    (ProvisionedThroughputExceeded).

    The ingest comes from `requirements.ingest`, or `requirements.rate` times
    `requirements.record_size_kb`; records per second from `rate`.

    Fix: raise `shards` to what the numbers need (with headroom), use
    on-demand mode, or enable enhanced fan-out for many readers.
    """
    in_mb, in_records, out_mb = (facts.KINESIS_SHARD_IN_MB_S.value, facts.KINESIS_SHARD_IN_RECORDS_S.value,
                                 facts.KINESIS_SHARD_OUT_MB_S.value)
    for stream in arch.of_type("kinesis_stream"):
        if stream.mode == "on_demand" or not stream.shards:
            continue
        needs = arch.requirements_for(stream)
        rate = needs.get("rate")
        mb_s = None
        if needs.ingest_bps:
            mb_s = needs.ingest_bps / 8 / 1e6
        elif rate is not None and needs.get("record_size_kb") is not None:
            mb_s = rate * needs.get("record_size_kb") / 1000
        reasons = []
        required = 0
        if mb_s:
            shards = math.ceil(mb_s / in_mb - 1e-9)
            required = max(required, shards)
            reasons.append((shards, f"{mb_s:g} MB/s in needs {shards} (1 MB/s each)"))
        if rate:
            shards = math.ceil(rate / in_records - 1e-9)
            required = max(required, shards)
            reasons.append((shards, f"{rate:g} records/s needs {shards} (1,000 records/s each)"))
        readers = stream.consumers or 0
        if mb_s and readers > 1 and not stream.enhanced_fan_out:
            shards = math.ceil(mb_s * readers / out_mb - 1e-9)
            required = max(required, shards)
            reasons.append((shards, f"{readers} readers of {mb_s:g} MB/s need {shards} (2 MB/s out each, shared)"))
        if required > stream.shards:
            yield Violation(stream.path("shards"),
                            f"stream `{stream.name}` has {stream.shards} shard{'s' if stream.shards != 1 else ''}, "
                            f"but {'; '.join(text for need, text in reasons if need > stream.shards)}")


@rule("PERF752", severity="medium",
      title="Firehose is not used where consumers need records in real time",
      notes="서버리스 > Amazon Kinesis > kinesis_data_firehose", best_practice="PERF01-BP01",
      facts=[facts.FIREHOSE_BUFFER_INTERVAL_S, facts.FIREHOSE_BUFFER_INTERVAL_DEFAULT_S,
             facts.KINESIS_SHARED_LATENCY_MS])
def firehose_real_time(arch):
    """Firehose buffers records and delivers when the buffer interval or
    size is reached (300 s and 5 MiB by default), so records arrive in
    batches, minutes late. The notes say the difference between Data Streams
    and Firehose is real time; precisely, the delay is the configured
    buffer. The notes' 60 s minimum interval is outdated: it can be 0 s,
    which still delivers in batches with a few seconds' delay.

    Fix: set `buffer_interval: 0s` when near-real-time is enough, or read the
    Kinesis data stream directly (about 200 ms, 70 ms with enhanced fan-out)
    and keep Firehose for archiving.
    """
    default = facts.FIREHOSE_BUFFER_INTERVAL_DEFAULT_S.value
    for stream in arch.of_type("firehose_stream"):
        if not arch.requirements_for(stream).get("real_time"):
            continue
        interval = _seconds(stream.buffer_interval, default)
        if interval > 1:
            shown = human_seconds(interval) + ("" if stream.has("buffer_interval") else " (the default)")
            yield Violation(stream.path("buffer_interval") if stream.has("buffer_interval") else stream.path("type"),
                            f"Firehose stream `{stream.name}` buffers records for up to {shown} before delivery, "
                            "but its consumers need records within about a second")


# -- Step Functions ---------------------------------------------------------------------

@rule("REL757", severity="high",
      title="Express workflows are used only for short, at-least-once work",
      notes="서버리스 > Amazon Step Functions",
      facts=[facts.SFN_EXPRESS_MAX_DURATION_S, facts.SFN_EXPRESS_SEMANTICS])
def step_functions_express_fit(arch):
    """An Express workflow runs for at most five minutes and does not
    guarantee exactly-once execution: asynchronous Express runs are
    at-least-once, synchronous ones at-most-once (the notes' "Express =
    at-least-once" is incomplete). A longer run is stopped, and steps that
    must run exactly once may run twice or not at all.

    Fix: use a Standard workflow (up to one year, exactly-once), or split the
    work so each Express run stays short and every step is idempotent.
    """
    limit = facts.SFN_EXPRESS_MAX_DURATION_S.value
    for machine in arch.of_type("step_function"):
        if machine.workflow != "express":
            continue
        needs = arch.requirements_for(machine)
        longest = units.seconds(needs.get("max_duration"))
        if longest is not None and longest > limit:
            yield Violation(machine.path("workflow"),
                            f"Express workflow `{machine.name}` must run up to {human_seconds(longest)}, but "
                            f"Express runs stop after {human_seconds(limit)}")
        if needs.get("exactly_once"):
            semantics = "at-most-once" if machine.invocation == "sync" else "at-least-once"
            yield Violation(machine.path("workflow"),
                            f"Express workflow `{machine.name}` needs exactly-once steps, but "
                            f"{machine.invocation or 'async'} Express runs are {semantics}")


STANDARD_HIGH_RATE = 100  # executions per second; where Express usually costs far less


@rule("COST751", severity="low",
      title="Short, high-rate workflows use Express rather than Standard",
      notes="서버리스 > Amazon Step Functions", best_practice="COST05-BP01",
      facts=[facts.SFN_STANDARD_MAX_DURATION_S, facts.SFN_EXPRESS_MAX_DURATION_S])
def step_functions_standard_high_rate(arch):
    """Standard workflows are billed per state transition; Express workflows
    by requests and duration. For short workflows started at a high rate
    (this rule's threshold is 100 executions per second, a heuristic), Express
    is usually much cheaper, as long as the work fits in five minutes and
    tolerates at-least-once (asynchronous) execution.

    Fix: move the workflow to `workflow: express` if it needs no
    exactly-once steps and runs under five minutes; otherwise accept the cost
    with a suppression.
    """
    limit = facts.SFN_EXPRESS_MAX_DURATION_S.value
    for machine in arch.of_type("step_function"):
        if machine.workflow != "standard":
            continue
        needs = arch.requirements_for(machine)
        rate = needs.get("rate")
        longest = units.seconds(needs.get("max_duration"))
        if rate is None or rate < STANDARD_HIGH_RATE or needs.get("exactly_once"):
            continue
        if longest is not None and longest > limit:
            continue
        yield Violation(machine.path("workflow"),
                        f"Standard workflow `{machine.name}` starts {rate:g} executions/s and is billed per state "
                        "transition; an Express workflow would usually cost much less")


# -- Lambda -------------------------------------------------------------------------------

@rule("REL758", severity="high",
      title="Lambda timeout, memory and ephemeral storage are within Lambda limits",
      notes="서버리스", best_practice="REL01-BP01",
      facts=[facts.LAMBDA_TIMEOUT_MAX_S, facts.LAMBDA_MEMORY_MB, facts.LAMBDA_EPHEMERAL_MB,
             facts.LAMBDA_MANAGED_INSTANCES_TIMEOUT_MAX_S, facts.LAMBDA_DURABLE_EXECUTION_MAX_S])
def lambda_limits(arch):
    """A Lambda function runs for at most 900 s (15 minutes), with 128 to
    10,240 MB of memory and 512 to 10,240 MB of ephemeral storage (/tmp).
    Two compute modes run longer: on Lambda Managed Instances
    (`compute_mode: managed_instances`) asynchronous and event source mapping
    invocations may run 90 minutes, and a durable function
    (`compute_mode: durable`, `timeout_s` its durable execution timeout)
    may run a 366-day year across checkpointed invocations. Settings outside
    these ranges are rejected; work that needs longer belongs in Step
    Functions, ECS/Fargate or Batch.

    Fix: bring the setting into range, make the function durable or run it
    on Lambda Managed Instances when it is invoked asynchronously, or split
    long work into steps (Step Functions) or move it to a container or batch
    job.
    """
    max_timeout = {"managed_instances": facts.LAMBDA_MANAGED_INSTANCES_TIMEOUT_MAX_S.value,
                   "durable": facts.LAMBDA_DURABLE_EXECUTION_MAX_S.value}
    mem_low, mem_high = facts.LAMBDA_MEMORY_MB.value
    eph_low, eph_high = facts.LAMBDA_EPHEMERAL_MB.value
    for function in arch.of_type("lambda_function"):
        mode = function.compute_mode or "default"
        limit = max_timeout.get(mode, facts.LAMBDA_TIMEOUT_MAX_S.value)
        if function.timeout_s is not None and not 0 < function.timeout_s <= limit:
            kind = {"managed_instances": "on Lambda Managed Instances", "durable": "as a durable function"}
            where = kind.get(mode, "in the default compute mode")
            yield Violation(function.path("timeout_s"),
                            f"function `{function.name}` has a timeout of {function.timeout_s:g} s; Lambda allows "
                            f"1 to {limit:,} s ({human_seconds(limit)}) {where}")
        if function.memory_mb is not None and not mem_low <= function.memory_mb <= mem_high:
            yield Violation(function.path("memory_mb"),
                            f"function `{function.name}` has {function.memory_mb} MB of memory; Lambda allows "
                            f"{mem_low} to {mem_high:,} MB")
        if function.ephemeral_mb is not None and not eph_low <= function.ephemeral_mb <= eph_high:
            yield Violation(function.path("ephemeral_mb"),
                            f"function `{function.name}` has {function.ephemeral_mb} MB of ephemeral storage; "
                            f"Lambda allows {eph_low} to {eph_high:,} MB")


CHAIN_LENGTH = 3


@rule("REL759", severity="medium",
      title="Lambda functions do not call each other in long synchronous chains",
      notes="서버리스 > AWS SQS를 통한 느슨한 결합", best_practice="REL04-BP02",
      facts=[facts.LAMBDA_TIMEOUT_MAX_S, facts.SQS_LAMBDA_VISIBILITY_FACTOR])
def lambda_synchronous_chain(arch):
    """When function A invokes B synchronously and B invokes C, every caller
    waits (and is billed) for the whole chain, the timeouts must nest (A's
    at least B's plus C's, within 15 minutes), concurrency is consumed at
    every level, and one failure or throttle at the end fails the whole
    request. The notes' answer is loose coupling: put a queue (SQS), topic or
    workflow (Step Functions) between the steps.

    The rule reports each chain of three or more functions that invoke each
    other synchronously (`invokes`), once, from the function at its start
    (for a cycle of calls, from its first function in the file).

    Fix: hand work from one function to the next through SQS or SNS, or
    orchestrate the steps with Step Functions.
    """
    functions = {f.name: f for f in arch.of_type("lambda_function")}
    calls = {name: [n for n in (f.invokes or ()) if n in functions and n != name] for name, f in functions.items()}
    called = {n for targets in calls.values() for n in targets}
    order = {name: i for i, name in enumerate(functions)}
    component = strongly_connected(calls)
    members: dict[int, list[str]] = {}
    for name in functions:
        members.setdefault(component[name], []).append(name)
    # Longest chain over the graph of call cycles, which has no cycles: a cycle
    # counts as all its functions. Components come out of Tarjan's algorithm
    # callees first, so one pass in that order sees every callee done.
    longest: dict[int, list[str]] = {}
    for index in sorted(members):
        best: list[str] = []
        for name in members[index]:
            for nxt in calls[name]:
                candidate = longest.get(component[nxt], []) if component[nxt] != index else []
                if len(candidate) > len(best):
                    best = candidate
        longest[index] = members[index] + best

    covered: set[str] = set()
    # Chains start at functions nobody calls; then functions left over (in cycles of calls).
    for name in sorted(functions, key=lambda n: (n in called, order[n])):
        if name in covered:
            continue
        path = longest[component[name]]
        if path[0] != name:
            path = [name] + [n for n in path if n != name]
        covered.update(path)
        if len(path) >= CHAIN_LENGTH:
            shown = " -> ".join(path if len(path) <= 6 else path[:5] + ["...", path[-1]])
            yield Violation(functions[name].path("invokes"),
                            f"functions call each other synchronously in a chain of {len(path)} "
                            f"({shown}); each caller waits and pays for the rest, and one failure fails the request")


@rule("REL760", severity="medium",
      title="Lambda functions behind API Gateway finish within the integration timeout",
      notes="서버리스 > API Gateway", best_practice="REL05-BP05",
      facts=[facts.APIGW_INTEGRATION_TIMEOUT_MS, facts.APIGW_HTTP_INTEGRATION_TIMEOUT_MS,
             facts.LAMBDA_TIMEOUT_MAX_S, facts.APIGW_STREAMING_TIMEOUT_MS])
def api_lambda_timeout(arch):
    """API Gateway stops waiting for an integration after its timeout (29 s,
    30 s for HTTP APIs, unless set lower, or raised for a Regional or
    private REST API) and
    returns 504 to the caller, but the function keeps running to its own
    timeout. A function allowed to run longer than the integration wastes
    that time, and a client that retries after the 504 runs the work again.

    Fix: give the function a timeout below the integration timeout, make
    the long work asynchronous (return 202 and continue through SQS or Step
    Functions), or, on a REST API of any endpoint type, stream the response
    (`transfer_mode: stream`) with an integration timeout of up to 15
    minutes.
    """
    for api in arch.of_type("api_gateway"):
        default_ms = _integration_timeout_range(api)[1]
        for index, integration in enumerate(api.integrations or ()):
            function = arch.get(integration.get("target"))
            if function is None or function.type != "lambda_function" or not function.timeout_s:
                continue
            seconds = units.seconds(integration.get("timeout"))
            limit = seconds if seconds is not None else default_ms / 1000
            if function.timeout_s > limit:
                shown = human_seconds(limit) + ("" if seconds is not None else " (the default)")
                yield Violation(api.path("integrations", index, "timeout" if seconds is not None else "target"),
                                f"API `{api.name}` gives up on `{function.name}` after {shown}, but the function may "
                                f"run {human_seconds(function.timeout_s)}; callers get a 504 while it keeps working")


@rule("REL761", severity="high",
      title="Kinesis retention and Firehose buffering are within their limits",
      notes="서버리스 > Amazon Kinesis", best_practice="REL01-BP01",
      facts=[facts.KINESIS_RETENTION_H, facts.FIREHOSE_BUFFER_INTERVAL_S, facts.FIREHOSE_BUFFER_SIZE_MIB])
def stream_limits(arch):
    """A Kinesis data stream keeps records for 24 hours to 365 days (8,760
    hours). Firehose buffers for 0 to 900 seconds and 1 to 128 MiB; the
    notes' 60 s minimum interval is outdated. Values outside these ranges are
    rejected.

    Fix: bring the setting into range; for data kept longer than a year,
    deliver it to S3 (through Firehose) and keep it there.
    """
    low_h, high_h = facts.KINESIS_RETENTION_H.value
    for stream in arch.of_type("kinesis_stream"):
        seconds = units.seconds(stream.retention)
        if seconds is not None and not low_h * 3600 <= seconds <= high_h * 3600:
            yield Violation(stream.path("retention"),
                            f"stream `{stream.name}` keeps records for {human_seconds(seconds)}; Kinesis allows "
                            f"{low_h} h to {high_h:,} h ({high_h // 24} days)")
    low_s, high_s = facts.FIREHOSE_BUFFER_INTERVAL_S.value
    low_mib, high_mib = facts.FIREHOSE_BUFFER_SIZE_MIB.value
    for firehose in arch.of_type("firehose_stream"):
        seconds = units.seconds(firehose.buffer_interval)
        if seconds is not None and not low_s <= seconds <= high_s:
            yield Violation(firehose.path("buffer_interval"),
                            f"Firehose stream `{firehose.name}` buffers for {human_seconds(seconds)}; Firehose allows "
                            f"{low_s} to {high_s} s")
        size = units.size_bytes(firehose.buffer_size)
        if size is not None and not low_mib * 1024 ** 2 <= size <= high_mib * 1024 ** 2:
            yield Violation(firehose.path("buffer_size"),
                            f"Firehose stream `{firehose.name}` buffers {_human_bytes(size)}; Firehose allows "
                            f"{low_mib} to {high_mib} MiB")
