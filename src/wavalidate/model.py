"""The read-only architecture model that rules see, with references resolved."""
from __future__ import annotations

import contextvars
from collections import deque
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Callable, Hashable, Iterable, Iterator, Mapping, Optional, Sequence, TypeVar

from . import units
from .locations import Path
from .schema.fields import expand, iter_refs
from .schema.types import RESOURCE_TYPES, resource_field

T = TypeVar("T")

# At or above this availability target a tier needs more than one AZ: one AZ
# is one failure domain (Well-Architected REL10-BP01).
HIGH_AVAILABILITY = 99.9
NON_PRODUCTION = ("development", "test")

_HUBS = frozenset({"vpc", "account", "org_unit", "cloudformation_stack"})

TIER_OF_TYPE = {
    "ec2_instance": "compute", "auto_scaling_group": "compute", "lambda_function": "compute",
    "load_balancer": "load_balancer",
    "rds_instance": "data", "aurora_cluster": "data", "dynamodb_table": "data", "efs_file_system": "data",
    "fsx_file_system": "data", "elasticache_cluster": "cache",
}


class Requirements:
    """What a workload or one resource needs, with units parsed."""

    __slots__ = ("raw",)

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = MappingProxyType(dict(raw))

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)

    @property
    def availability(self) -> Optional[float]:
        return self.raw.get("availability")

    @property
    def high_availability(self) -> bool:
        availability = self.raw.get("availability")
        return bool(self.raw.get("critical")) or (availability is not None and availability >= HIGH_AVAILABILITY)

    @property
    def rto_seconds(self) -> Optional[float]:
        return units.seconds(self.raw.get("rto"))

    @property
    def rpo_seconds(self) -> Optional[float]:
        return units.seconds(self.raw.get("rpo"))

    @property
    def bandwidth_bps(self) -> Optional[float]:
        return units.bits_per_second(self.raw.get("bandwidth"))

    @property
    def ingest_bps(self) -> Optional[float]:
        return units.bits_per_second(self.raw.get("ingest"))


# Values known only at deploy time (a CloudFormation parameter without a
# default, an import) are left out of the data and named in `unknown`. Reading
# one records it here, so an access assertion that rests on one is left
# undecided. (The engine judges violations statically: see `unknown_near`.)
UNKNOWN_READS: contextvars.ContextVar = contextvars.ContextVar("wavalidate_unknown_reads", default=None)


def _read_unknown(resource: "Resource", key: str) -> None:
    reads = UNKNOWN_READS.get()
    if reads is not None:
        reads.append((resource.name, key))


@lru_cache(maxsize=None)
def _defaults(type_name: str) -> Mapping[str, Any]:
    fields = resource_field(type_name).fields or {}
    return MappingProxyType({name: f.default for name, f in fields.items()})


@lru_cache(maxsize=None)
def _ref_patterns(type_name: str) -> tuple:
    return tuple(pattern for pattern, _ in iter_refs(resource_field(type_name)))


@lru_cache(maxsize=None)
def reference_fields() -> frozenset:
    """The top-level fields, of any resource type, that hold references."""
    return frozenset(pattern[0] for name in RESOURCE_TYPES for pattern in _ref_patterns(name) if pattern)


class Resource:
    """One named resource. Declared fields read as attributes; unset ones give their default."""

    __slots__ = ("name", "type", "props", "unknown")

    def __init__(self, name: str, props: Mapping[str, Any], unknown: frozenset = frozenset()) -> None:
        self.name = name
        self.type: str = props["type"]
        self.props = MappingProxyType(props)
        self.unknown = unknown

    def __getattr__(self, key: str) -> Any:
        defaults = _defaults(object.__getattribute__(self, "type"))
        if key not in defaults:
            raise AttributeError(f"{self.type} has no field `{key}`")
        if key in self.unknown:
            _read_unknown(self, key)
        return self.props.get(key, defaults[key])

    def get(self, key: str, default: Any = None) -> Any:
        """A field as written (no schema default); rules and helpers read through this or attributes."""
        if key in self.unknown:
            _read_unknown(self, key)
        return self.props.get(key, default)

    def has(self, key: str) -> bool:
        """True when the file sets `key` (as opposed to a default)."""
        if key in self.unknown:
            _read_unknown(self, key)
        return key in self.props

    def path(self, *keys: Any) -> Path:
        """The document path of this resource, or of a key inside it."""
        return ("resources", self.name) + keys

    @property
    def category(self) -> str:
        return RESOURCE_TYPES[self.type][0]

    @property
    def tier(self) -> Optional[str]:
        return self.props.get("tier") or TIER_OF_TYPE.get(self.type)

    def __repr__(self) -> str:
        return f"<{self.type} {self.name}>"


class Architecture:
    """A validated architecture file, read-only, with indexes for the rules."""

    def __init__(self, data: Mapping[str, Any], file: str = "", unknown: Iterable[tuple] = ()) -> None:
        self.file = file
        self.data = data
        self.name: str = data.get("name", "")
        self.requirements = Requirements(data.get("requirements") or {})
        self.regions: Mapping[str, Any] = data.get("regions") or {}
        self.flows: list = list(data.get("flows") or [])
        self.dr: Mapping[str, Any] = data.get("dr") or {}
        self.organization: Mapping[str, Any] = data.get("organization") or {}
        unknown_fields: dict[str, set] = {}
        for path in unknown:
            if len(path) > 2 and path[0] == "resources":
                unknown_fields.setdefault(path[1], set()).add(path[2])
        self.resources: dict[str, Resource] = {
            name: Resource(name, body, frozenset(unknown_fields.get(name, ())))
            for name, body in (data.get("resources") or {}).items()}
        self._by_type: dict[str, list[Resource]] = {}
        for resource in self.resources.values():
            self._by_type.setdefault(resource.type, []).append(resource)
        self._referrers: Optional[dict[str, list[tuple[Resource, Path]]]] = None
        self._outgoing: dict[str, list[str]] = {}   # names each resource refers to; built with _referrers
        self._unknown_near: Optional[dict[Optional[str], frozenset]] = None
        self._cached: dict[tuple, Any] = {}

    def cached(self, function: Callable[..., T], *args: Hashable) -> T:
        """`function(self, *args)`, computed once per file and shared by every rule that asks for it.

        For indexes several rules build (replicas by source, policy lint results):
        the model is read-only, and the engine judges deploy-time values without
        watching what a rule reads (see `unknown_near`), so sharing changes no
        verdict. The function must depend on the model alone, and callers must
        not change what it returns.
        """
        key = (function, args)
        if key not in self._cached:
            self._cached[key] = function(self, *args)
        return self._cached[key]

    # -- lookup ----------------------------------------------------------
    def of_type(self, *types: str) -> list[Resource]:
        if len(types) == 1:
            return list(self._by_type.get(types[0], ()))
        return [r for r in self.resources.values() if r.type in types]

    def get(self, name: Optional[str]) -> Optional[Resource]:
        return self.resources.get(name) if isinstance(name, str) else None

    def all(self, names: Optional[Iterable[str]]) -> list[Resource]:
        """The resources a list of names refers to (names are validated)."""
        return [self.resources[n] for n in names or () if n in self.resources]

    # -- requirements ----------------------------------------------------
    def requirements_for(self, resource: Optional[Resource]) -> Requirements:
        """The workload's requirements with the resource's own overrides on top."""
        own = resource.get("requirements") if resource is not None else None
        if not own:
            return self.requirements
        return Requirements({**self.requirements.raw, **own})

    def needs_high_availability(self, resource: Optional[Resource] = None) -> bool:
        return self.requirements_for(resource).high_availability

    def environment_of(self, resource: Optional[Resource] = None) -> Optional[str]:
        """The resource's environment (its own requirement, else the workload's), or None when unstated."""
        return self.requirements_for(resource).get("environment")

    def non_production(self, resource: Optional[Resource] = None) -> bool:
        """Development or test: the one notion of environment every rule uses."""
        return self.environment_of(resource) in NON_PRODUCTION

    # -- organisation context --------------------------------------------
    def provided(self, capability: str) -> Optional[Mapping[str, Any]]:
        """Where the organisation provides a capability outside this file (`organization.provides`), or None."""
        found = (self.organization.get("provides") or {}).get(capability)
        return found if isinstance(found, Mapping) else None

    def provided_where(self, capability: str) -> str:
        """" (account `log-archive`, landing-zone/trail.yaml)" for a message, or "" when nothing is named."""
        found = self.provided(capability) or {}
        parts = [f"account `{found['account']}`" if found.get("account") else "",
                 str(found["file"]) if found.get("file") else ""]
        named = ", ".join(p for p in parts if p)
        return f" ({named})" if named else ""

    # -- placement -------------------------------------------------------
    def vpc_of(self, resource: Resource) -> Optional[Resource]:
        if resource.type == "vpc":
            return resource
        vpc = self.get(resource.get("vpc"))
        if vpc is not None:
            return vpc
        for subnet in self.subnets_of(resource):
            vpc = self.get(subnet.get("vpc"))
            if vpc is not None:
                return vpc
        return None

    def subnets_of(self, resource: Resource) -> list[Resource]:
        if resource.type == "subnet":
            return [resource]
        names = list(resource.get("subnets") or ())
        if resource.get("subnet"):
            names.insert(0, resource.get("subnet"))
        return self.all(names)

    def azs_of(self, resource: Resource) -> set[str]:
        """The AZs a resource runs in, from its own `az`, its subnets or its instances."""
        zones = {resource.get("az")} if resource.get("az") else set()
        zones.update(s.get("az") for s in self.subnets_of(resource) if s is not resource and s.get("az"))
        if resource.type == "aurora_cluster":
            zones.update(i["az"] for i in resource.get("instances") or () if i.get("az"))
        return zones

    def region_of(self, resource: Resource) -> Optional[str]:
        if resource.get("region"):
            return resource.get("region")
        for zone in sorted(self.azs_of(resource)):
            region = units.region_of_zone(zone)
            if region:
                return region
        vpc = self.vpc_of(resource)
        if vpc is not None and vpc is not resource:
            return self.region_of(vpc)
        return None

    def route_targets(self, subnet: Resource) -> list[tuple[int, Mapping[str, Any], Resource]]:
        """(index, route, target) of each route in the subnet's route table whose target is a resource."""
        table = self.get(subnet.get("route_table"))
        if table is None:
            return []
        return [(i, route, self.resources[route["target"]]) for i, route in enumerate(table.get("routes") or ())
                if self.get(route.get("target")) is not None]

    def is_public_subnet(self, subnet: Resource) -> bool:
        """A subnet is public when its route table routes to an internet gateway."""
        return any(target.type == "internet_gateway" for _, _, target in self.route_targets(subnet))

    def is_or_declared_public(self, subnet: Resource) -> bool:
        """The subnet routes to an internet gateway, or the file declares it `public: true`."""
        return self.is_public_subnet(subnet) or bool(subnet.get("public"))

    # -- graph -----------------------------------------------------------
    def references(self, resource: Resource) -> Iterator[tuple[Path, Resource]]:
        """(path inside the resource, target) for every name the resource refers to."""
        for pattern in _ref_patterns(resource.type):
            for path, value in expand(resource.props, pattern):
                target = self.get(value)
                if target is not None:
                    yield path, target

    def referrers(self, resource: Resource) -> list[tuple[Resource, Path]]:
        """(resource, path) of every reference to `resource`; indexed once."""
        if self._referrers is None:
            index: dict[str, list[tuple[Resource, Path]]] = {}
            outgoing: dict[str, list[str]] = {}
            for source in self.resources.values():
                targets = outgoing[source.name] = []
                for path, target in self.references(source):
                    index.setdefault(target.name, []).append((source, path))
                    targets.append(target.name)
            self._referrers = index
            self._outgoing = outgoing
        return self._referrers.get(resource.name, [])

    def neighbourhood(self, name: str, radius: int = 2) -> frozenset:
        """Names within `radius` references of a resource, either way, not crossing hubs.

        A VPC, account, OU or stack links nearly everything, so passing through
        one would make every resource a neighbour of every other.
        """
        return self._walk(name, radius, outgoing=True, incoming=True)

    def dependants(self, name: str, radius: int = 2) -> frozenset:
        """Names of the resources that reach `name` by following at most `radius` references, not through hubs."""
        return self._walk(name, radius, outgoing=False, incoming=True)

    def _walk(self, name: str, radius: int, outgoing: bool, incoming: bool) -> frozenset:
        if self._referrers is None and name in self.resources:
            self.referrers(self.resources[name])  # builds both indexes
        seen = {name}
        frontier = [name]
        for _ in range(radius):
            reached = []
            for current in frontier:
                resource = self.resources.get(current)
                if resource is None or (current != name and resource.type in _HUBS):
                    continue
                linked = list(self._outgoing[current]) if outgoing else []
                linked += [source.name for source, _ in self.referrers(resource)] if incoming else []
                for other in linked:
                    if other not in seen:
                        seen.add(other)
                        reached.append(other)
            frontier = reached
        return frozenset(seen)

    @property
    def has_unknowns(self) -> bool:
        """Some value of the file is known only at deploy time."""
        return bool(self.unknown_near())

    def unknown_near(self, name: Optional[str] = None) -> frozenset:
        """The fields known only at deploy time that a finding about a resource could rest on.

        Those are the unknown fields of the resource and of what it references,
        up to two references away (its subnet, the subnet's route table: where
        it runs), and the unknown references of its `neighbourhood` (what is
        linked to what). Without a name: the unknown fields of the whole file.
        Computed once per file, from the resources that have unknowns, so
        asking for each violation costs a lookup. A `type` is always known.
        """
        if self._unknown_near is None:
            near: dict[Optional[str], set] = {}
            links = reference_fields()
            for resource in self.resources.values():
                fields = resource.unknown - {"type"}
                if not fields:
                    continue
                near.setdefault(None, set()).update(fields)
                for other in self.dependants(resource.name):
                    near.setdefault(other, set()).update(fields)
                if fields & links:
                    for other in self.neighbourhood(resource.name):
                        near.setdefault(other, set()).update(fields & links)
            self._unknown_near = {key: frozenset(value) for key, value in near.items()}
        return self._unknown_near.get(name, frozenset())

    def flows_of(self, resource: Resource) -> list[tuple[int, Mapping[str, Any]]]:
        """(index, flow) of each declared flow from, to or via the resource."""
        return [(i, f) for i, f in enumerate(self.flows)
                if resource.name in (f.get("source"), f.get("target")) or resource.name in (f.get("via") or ())]


# -- graph algorithms -------------------------------------------------------------
# On plain graphs of names (node -> its successors, in order), as rules build them from
# the model: stacks' `depends_on`, functions' `invokes`, VPC peerings. Iterative, so a
# long chain cannot exhaust the interpreter's stack.

def closing_edges(graph: Mapping[str, Sequence[str]]) -> Iterator[tuple[str, int, list[str]]]:
    """(node, index of its successor, cycle) for each edge that closes a cycle, found once by a depth-first search.

    Roots and successors are visited in order; successors that are not nodes
    are skipped. The cycle runs from the successor back to it
    (["a", "b", "a"] for a -> b -> a).
    """
    white, grey, black = 0, 1, 2
    colour = {name: white for name in graph}
    for root in graph:
        if colour[root] != white:
            continue
        colour[root] = grey
        trail = [root]
        work = [(root, iter(enumerate(graph[root])))]
        while work:
            name, edges = work[-1]
            step = next(edges, None)
            if step is None:
                colour[name] = black
                work.pop()
                trail.pop()
                continue
            index, nxt = step
            if nxt not in graph:
                continue
            if colour[nxt] == grey:
                yield name, index, trail[trail.index(nxt):] + [nxt]
            elif colour[nxt] == white:
                colour[nxt] = grey
                trail.append(nxt)
                work.append((nxt, iter(enumerate(graph[nxt]))))


def strongly_connected(graph: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Tarjan's algorithm without recursion: node -> component number, successors' components first.

    Every successor must be a node of the graph.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    component: dict[str, int] = {}
    counter = components = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            targets = graph[node]
            if position < len(targets):
                work.append((node, position + 1))
                nxt = targets[position]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = components
                    if member == node:
                        break
                components += 1
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return component


def connected_groups(graph: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Node -> a representative of its group of nodes joined by edges either way (union-find)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for node, linked in graph.items():
        for other in linked:
            parent[find(node)] = find(other)
    return {node: find(node) for node in graph}


def shortest_path(graph: Mapping[str, Iterable[str]], start: str, goal: str, budget: int) -> list[str]:
    """The shortest chain of nodes from start to goal (breadth first, successors in sorted order).

    [] when there is none among the first `budget` nodes reached, which keeps
    a search per flow or per pair from growing with the whole graph.
    """
    previous: dict[str, str] = {start: start}
    queue = deque([start])
    while queue and len(previous) <= budget:
        current = queue.popleft()
        if current == goal:
            chain = [goal]
            while chain[-1] != start:
                chain.append(previous[chain[-1]])
            return chain[::-1]
        for nxt in sorted(graph.get(current, ())):
            if nxt not in previous:
                previous[nxt] = current
                queue.append(nxt)
    return []
