"""The read-only architecture model that rules see, with references resolved."""
from __future__ import annotations

import contextvars
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Iterable, Iterator, Mapping, Optional

from . import units
from .locations import Path
from .schema.fields import expand, iter_refs
from .schema.types import RESOURCE_TYPES, resource_field

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
# one records it here, so the engine can drop a violation that rests on it.
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
        self._neighbourhoods: dict = {}

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
            for source in self.resources.values():
                for path, target in self.references(source):
                    index.setdefault(target.name, []).append((source, path))
            self._referrers = index
        return self._referrers.get(resource.name, [])

    def neighbourhood(self, name: str, radius: int = 2) -> frozenset:
        """Names within `radius` references of a resource, either way, not crossing hubs.

        A VPC, account, OU or stack links nearly everything, so passing through
        one would make every resource a neighbour of every other.
        """
        cached = self._neighbourhoods.get((name, radius))
        if cached is not None:
            return cached
        seen = {name}
        frontier = [name]
        for _ in range(radius):
            step = []
            for current in frontier:
                resource = self.resources.get(current)
                if resource is None or (current != name and resource.type in _HUBS):
                    continue
                linked = [t.name for _, t in self.references(resource)]
                linked += [source.name for source, _ in self.referrers(resource)]
                for other in linked:
                    if other not in seen:
                        seen.add(other)
                        step.append(other)
            frontier = step
        result = frozenset(seen)
        self._neighbourhoods[(name, radius)] = result
        return result

    def flows_of(self, resource: Resource) -> list[tuple[int, Mapping[str, Any]]]:
        """(index, flow) of each declared flow from, to or via the resource."""
        return [(i, f) for i, f in enumerate(self.flows)
                if resource.name in (f.get("source"), f.get("target")) or resource.name in (f.get("via") or ())]
