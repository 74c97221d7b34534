"""Caching: ElastiCache strategies, engines and availability (notes: 데이터베이스 > 캐싱)."""
from __future__ import annotations

from wavalidate.api import Violation, facts, rule

REPLICATING = ("redis", "valkey")
ENGINE = {"redis": "Redis OSS", "valkey": "Valkey", "memcached": "Memcached"}


@rule("REL450", severity="medium",
      title="Lazy-loaded caches expire their entries",
      notes="데이터베이스 > 캐싱 > 캐싱 전략",
      facts=[facts.ELASTICACHE_STRATEGIES])
def cache_lazy_loading_ttl(arch):
    """With lazy loading (cache-aside) an item enters the cache on a miss and
    stays there until it is evicted. When the database changes, the cache
    keeps serving the old value: nothing updates it. A time to live bounds
    how stale an item can get. AWS gives no fixed TTL (its example uses 300
    seconds); pick one from how stale the data may be.

    Fix: set `ttl` (for example 5m) for the cached items, shorter for data
    that changes often; add jitter so entries do not all expire together.
    """
    for cache in arch.of_type("elasticache_cluster"):
        if cache.strategy == "lazy_loading" and not cache.ttl:
            yield Violation(cache.path("ttl"),
                            f"cache `{cache.name}` loads lazily but sets no TTL, so it keeps serving stale data "
                            "after the database changes")


@rule("PERF451", severity="medium",
      title="Write-through caches expire unread entries",
      notes="데이터베이스 > 캐싱 > 캐싱 전략", best_practice="PERF03-BP01",
      facts=[facts.ELASTICACHE_STRATEGIES])
def cache_write_through_ttl(arch):
    """Write-through puts every database write in the cache, so the cache is
    never stale, but it fills with data that is written and never read.
    Without a time to live that data stays until memory pressure evicts it,
    which wastes node memory and pushes hot items out. The AWS guidance is to
    combine write-through with lazy loading and a TTL.

    Fix: set `ttl` so unread entries expire, and load on miss for the items
    that were evicted or lost when a node was replaced.
    """
    for cache in arch.of_type("elasticache_cluster"):
        if cache.strategy == "write_through" and not cache.ttl:
            yield Violation(cache.path("ttl"),
                            f"cache `{cache.name}` writes through without a TTL, so data that is never read fills "
                            "its memory")


@rule("REL452", severity="high",
      title="Data that must survive a node failure is not kept in Memcached",
      notes="데이터베이스 > 캐싱", best_practice="REL09-BP01",
      facts=[facts.MEMCACHED_NO_REPLICATION])
def memcached_data_survives_failover(arch):
    """Memcached has no replication, no failover and no backups: when a node
    fails or is replaced, the items on it are gone. That is fine for a cache
    that can be refilled from the database, but not for data that must
    survive a failure (sessions without another copy, counters, queues).

    Fix: use Valkey or Redis OSS with a replica per shard and Multi-AZ
    automatic failover (and backups if the data must survive a full cluster
    loss), or keep that data in a database such as DynamoDB.
    """
    for cache in arch.of_type("elasticache_cluster"):
        if cache.engine == "memcached" and cache.data_must_survive_failover:
            yield Violation(cache.path("engine"),
                            f"cache `{cache.name}` holds data that must survive a failover, but Memcached has no "
                            "replication, failover or backup")


@rule("REL453", severity="high",
      title="Valkey and Redis caches that need availability fail over across AZs",
      notes="데이터베이스 > 캐싱", best_practice="REL10-BP01",
      facts=[facts.ELASTICACHE_MULTI_AZ_FAILOVER])
def cache_multi_az_failover(arch):
    """A Valkey or Redis OSS shard has one primary and up to 5 replicas. Only
    with Multi-AZ and automatic failover enabled, and at least one replica in
    another AZ, does ElastiCache promote a replica when the primary or its AZ
    fails; otherwise writes stop until the node is replaced and the cache
    comes back empty, and the database behind it takes the full load. The
    rule applies where the workload (or the cache's own requirements) needs
    high availability. With cluster mode enabled (`shards` above 1) both
    settings are on by default, so only an explicit `false` counts there.

    Fix: set `multi_az: true`, `automatic_failover: true` and
    `replicas_per_shard` of at least 1, with the subnet group in two or more
    AZs.
    """
    for cache in arch.of_type("elasticache_cluster"):
        if cache.engine not in REPLICATING or not arch.needs_high_availability(cache):
            continue
        # cluster mode enabled (more than one shard) turns both on unless the file says otherwise
        cluster_mode = (cache.shards or 0) > 1
        missing = []
        if not (cache.multi_az or (cluster_mode and not cache.has("multi_az"))):
            missing.append(("multi_az", "Multi-AZ is off"))
        if not (cache.automatic_failover or (cluster_mode and not cache.has("automatic_failover"))):
            missing.append(("automatic_failover", "automatic failover is off"))
        if cache.has("replicas_per_shard") and cache.replicas_per_shard == 0:
            missing.append(("replicas_per_shard", "no shard has a replica"))
        if missing:
            yield Violation(cache.path(missing[0][0]),
                            f"{ENGINE[cache.engine]} cache `{cache.name}` must be highly available, but "
                            f"{' and '.join(text for _, text in missing)}; a primary failure loses the cache")


@rule("REL454", severity="high",
      title=f"Valkey and Redis shards have at most {facts.ELASTICACHE_REPLICAS_PER_SHARD.value} replicas",
      notes="데이터베이스 > 캐싱", best_practice="REL01-BP01",
      facts=[facts.ELASTICACHE_REPLICAS_PER_SHARD])
def cache_replicas_per_shard(arch):
    """A Valkey or Redis OSS shard (node group) has one primary and up to 5
    read replicas. A design that counts on more replicas per shard cannot be
    built.

    Fix: keep `replicas_per_shard` at 5 or fewer; for more read capacity add
    shards (cluster mode enabled) or use larger nodes.
    """
    limit = facts.ELASTICACHE_REPLICAS_PER_SHARD.value
    for cache in arch.of_type("elasticache_cluster"):
        count = cache.replicas_per_shard
        if cache.engine in REPLICATING and count is not None and count > limit:
            yield Violation(cache.path("replicas_per_shard"),
                            f"cache `{cache.name}` asks for {count} replicas per shard, but a shard has at most "
                            f"{limit}")
