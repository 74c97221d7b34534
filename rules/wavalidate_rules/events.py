"""Event plumbing: dead-letter queues, event source mappings and EventBridge delivery.

Notes: 서버리스 > AWS SQS를 통한 느슨한 결합, 모니터링 및 크기 조정 > EventBridge.
"""
from __future__ import annotations

from wavalidate.api import Violation, facts, human_seconds, rule, units


def _retention(queue) -> float:
    """A queue's retention in seconds, the SQS default when unset."""
    return units.seconds(queue.retention) or facts.SQS_RETENTION_DEFAULT_S.value


@rule("REL770", severity="medium",
      title="Dead-letter queues keep messages longer than their source queues",
      notes="서버리스 > AWS SQS를 통한 느슨한 결합", best_practice="REL05-BP04",
      facts=[facts.SQS_DLQ_RETENTION, facts.SQS_RETENTION_S, facts.SQS_RETENTION_DEFAULT_S])
def dlq_retention(arch):
    """A message of a standard queue keeps its original enqueue time when it
    moves to the dead-letter queue, and the DLQ's retention counts from that
    time. A message that spent three days failing in a source queue with a
    four-day retention, moved to a DLQ that also keeps four days, expires a
    day later: often before anyone looks at it. AWS's advice is a DLQ
    retention longer than the source's. (FIFO queues reset the time and are
    left out.)

    Fix: give the dead-letter queue a longer `retention` than its source
    queue, usually the 14-day maximum, and alarm on its depth.
    """
    longest = facts.SQS_RETENTION_S.value[1]
    for queue in arch.of_type("sqs_queue"):
        dlq = arch.get(queue.dead_letter_queue)
        if dlq is None or queue.fifo or dlq.type != "sqs_queue":
            continue
        source, kept = _retention(queue), _retention(dlq)
        if kept > source or kept >= longest:
            continue
        at = dlq.path("retention")
        yield Violation(at, f"dead-letter queue `{dlq.name}` keeps messages {human_seconds(kept)}, no longer than its "
                            f"source `{queue.name}` ({human_seconds(source)}): a message's age counts from when it "
                            "entered the source, so it can expire before anyone looks")


@rule("REL771", severity="medium",
      title="Batches of non-idempotent work report partial failures",
      notes="서버리스 > AWS SQS를 통한 느슨한 결합", best_practice="REL05-BP03",
      facts=[facts.LAMBDA_PARTIAL_BATCH_RESPONSE])
def partial_batch_response(arch):
    """When a function fails on one record of a batch, Lambda retries the
    whole batch: for SQS every message becomes visible again, for streams the
    batch is sent again, including the records already processed. A function
    that is not idempotent then charges, emails or inserts twice. With a
    partial batch response (ReportBatchItemFailures) the function names the
    failed records and only those are retried. A batch of one, or a function
    declared idempotent, needs neither.

    Fix: set `partial_batch_response: true` on the event source mapping and
    return `batchItemFailures` from the function (Powertools' batch utility
    does both), or make the function idempotent (an idempotency key in
    DynamoDB) and declare `idempotent: true`.
    """
    for mapping in arch.of_type("lambda_event_source_mapping"):
        if mapping.partial_batch_response or mapping.batch_size == 1:
            continue
        function = arch.get(mapping.function)
        if function is None or function.idempotent:
            continue
        size = mapping.batch_size or "the default batch size"
        yield Violation(mapping.path("partial_batch_response"),
                        f"event source mapping `{mapping.name}` hands `{function.name}` batches of {size} without "
                        "partial batch responses, and the function is not idempotent: one failure repeats the "
                        "records already processed")


@rule("REL772", severity="medium",
      title="EventBridge rule targets have a dead-letter queue",
      notes="모니터링 및 크기 조정 > EventBridge", best_practice="REL05-BP04",
      facts=[facts.EVENTBRIDGE_TARGET_RETRY])
def eventbridge_target_dlq(arch):
    """EventBridge retries a target that fails (by default for 24 hours and up
    to 185 times) and then drops the event; only the FailedInvocations
    metric shows it happened. A dead-letter queue on the target keeps each
    undelivered event with the error, so it can be inspected and sent again.

    Fix: add a `target_settings` entry for each target with a
    `dead_letter_queue` (a standard SQS queue whose policy lets EventBridge
    send), and a retry policy (`max_retries`, `max_event_age`) that fits how
    long the target may be down.
    """
    for rule_ in arch.of_type("eventbridge_rule"):
        settings = {s.get("target"): s for s in rule_.target_settings or ()}
        for index, target in enumerate(rule_.targets or ()):
            if (settings.get(target) or {}).get("dead_letter_queue"):
                continue
            yield Violation(rule_.path("targets", index),
                            f"EventBridge rule `{rule_.name}` delivers to `{target}` without a dead-letter queue: "
                            "events that still fail after the retries are dropped")
