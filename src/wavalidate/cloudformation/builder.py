"""Building an architecture document from a template, with spans that point into the template."""
from __future__ import annotations

from typing import Any, Optional

from ..loader import LoadError
from ..locations import Path, SourceMap
from .resolve import (
    _VARIABLE,
    UNKNOWN,
    Context,
    Reference,
    _Zones,
    defaults_in,
    document,
    resolve,
)


def _is_function(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("Ref", "Condition") \
        or isinstance(value, dict) and any(isinstance(k, str) and k.startswith("Fn::") for k in value)


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    text = repr(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


class Builder:
    """Accumulates architecture resources; every value remembers the template path it came from."""

    def __init__(self, template: dict, source: SourceMap, ctx: Context) -> None:
        self.template = template
        self.tsource = source
        self.ctx = ctx
        self.resources: dict[str, dict] = {}
        self.source = SourceMap()
        self.unknown: set[Path] = set()
        self.api_authorizers: dict[str, list] = {}  # API -> [(authorizer, template path)] from its methods
        self.api_stages: dict[str, list] = {}       # API -> [(throttling or None, template path)]
        self._resolved: dict[str, Any] = {}         # logical id -> its Properties, every function evaluated
        self.defaults: dict[Path, list] = {}       # architecture path -> parameters whose defaults it rests on
        self.source.values[()] = source.values.get((), source.locate(()))
        self._span(("resources",), ("Resources",))

    # -- spans -----------------------------------------------------------
    def _span(self, path: Path, tpath: Path) -> None:
        """Map an architecture path to the nearest existing template path."""
        tpath = self.tsource.nearest(tpath)
        span = self.tsource.values.get(tpath)
        if span is None:
            return
        self.source.values[path] = span
        key = self.tsource.keys.get(tpath)
        if key is not None:
            self.source.keys[path] = key
        if tpath in self.tsource.collections:
            self.source.collections.add(path)

    def tpath(self, logical_id: str, *keys: Any) -> Path:
        return ("Resources", logical_id, "Properties") + keys

    # -- resources -------------------------------------------------------
    def add(self, name: str, arch_type: str, logical_id: Optional[str] = None) -> dict:
        body = {"type": arch_type}
        self.resources[name] = body
        self._span(("resources", name), ("Resources", logical_id or name))
        return body

    def raw(self, logical_id: str, *keys: Any) -> Any:
        """A property as written (intrinsic functions unevaluated); None when absent."""
        value: Any = self.template["Resources"][logical_id].get("Properties") or {}
        for key in keys:
            if isinstance(value, dict) and key in value:
                value = value[key]
            elif isinstance(value, list) and isinstance(key, int) and key < len(value):
                value = value[key]
            else:
                return None
        return value

    def prop(self, logical_id: str, *keys: Any) -> Any:
        """A resolved property value (UNKNOWN when deploy-time only, None when absent).

        The whole `Properties` is evaluated first, so a `Fn::If` or `AWS::NoValue` at any depth (a
        property block, a list item) is taken into account: a decided condition picks its branch, an
        undecidable one makes everything below it unknown, never absent.
        """
        if logical_id not in self._resolved:
            props = self.template["Resources"][logical_id].get("Properties")
            self._resolved[logical_id] = {} if props is None else resolve(props, self.ctx)
        value = self._resolved[logical_id]
        for key in keys:
            if value is UNKNOWN or isinstance(value, (Reference, _Zones)):
                return UNKNOWN
            if isinstance(value, dict) and key in value:
                value = value[key]
            elif isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
                value = value[key]
            else:
                return None
        return value

    def items(self, logical_id: str, *keys: Any) -> Any:
        """A list property: the list, None when absent, UNKNOWN when deploy-time only.

        A literal of another type (`SecurityGroupEgress: 5`) is an input error at its position, as
        CloudFormation rejects it; a function whose result is not a list is unknown.
        """
        value = self.prop(logical_id, *keys)
        if value is None or value is UNKNOWN or isinstance(value, list):
            return value
        raw = self.raw(logical_id, *keys)
        if raw is None or _is_function(raw) or not isinstance(raw, (str, int, float, bool, dict)):
            return UNKNOWN
        where = ".".join(str(k) for k in keys)
        raise LoadError("E201", f"`{where}` of `{logical_id}` must be a list, not {_shown(raw)}",
                        self.tsource.locate(self.tsource.nearest(self.tpath(logical_id, *keys))))

    def mapping(self, logical_id: str, *keys: Any) -> Any:
        """A mapping property: the mapping, None when absent, UNKNOWN when deploy-time only; a literal
        of another type is an input error at its position."""
        value = self.prop(logical_id, *keys)
        if value is None or value is UNKNOWN or isinstance(value, dict):
            return value
        raw = self.raw(logical_id, *keys)
        if raw is None or _is_function(raw) or not isinstance(raw, (str, int, float, bool, list)):
            return UNKNOWN
        where = ".".join(str(k) for k in keys)
        raise LoadError("E201", f"`{where}` of `{logical_id}` must be a mapping, not {_shown(raw)}",
                        self.tsource.locate(self.tsource.nearest(self.tpath(logical_id, *keys))))

    def document(self, logical_id: str, *keys: Any) -> Any:
        """A free-form property (an IAM policy) as plain data; UNKNOWN when it rests on deploy-time values."""
        value = self.raw(logical_id, *keys)
        return None if value is None else document(value, self.ctx)

    def set(self, name: str, field: str, value: Any, tpath: Path) -> None:
        """Set a field; UNKNOWN leaves it out and records it, None leaves it out."""
        path = ("resources", name, field)
        if value is UNKNOWN:
            self.unknown.add(path)
            self._span(path, tpath)
            return
        if value is None:
            return
        self.resources[name][field] = value
        self._span(path, tpath)
        self.note_defaults(path, tpath)

    def note_defaults(self, path: Path, tpath: Path) -> None:
        """Remember which parameter defaults the value at `tpath` rests on (a property, not a whole resource)."""
        if len(tpath) <= 3 or not self.ctx.parameters:
            return
        value: Any = self.template
        for key in tpath:
            if isinstance(value, dict) and key in value:
                value = value[key]
            elif isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
                value = value[key]
            else:
                break
        names = defaults_in(value, self.ctx)
        if names:
            self.defaults[path[:3]] = sorted(names)

    def append(self, name: str, field: str, item: Any, tpath: Path, item_paths: Optional[dict] = None) -> None:
        """Append to a list field (routes, rules, subscriptions) from another template resource."""
        if name not in self.resources:
            return
        if item is UNKNOWN:
            self.unknown.add(("resources", name, field))
            return
        items = self.resources[name].setdefault(field, [])
        index = len(items)
        items.append(item)
        self.note_defaults(("resources", name, field), tpath)
        if index == 0:
            self._span(("resources", name, field), tpath)
        self._span(("resources", name, field, index), tpath)
        for key, sub in (item_paths or {}).items():
            self._span(("resources", name, field, index, key), sub)

    def target(self, logical_id: str, *keys: Any) -> Any:
        """The resource a property names: a `!Ref`/`!GetAtt`, or text built with `!Sub` around exactly one
        resource (`arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/prod`, `${Api}.execute-api...`)."""
        raw = self.raw(logical_id, *keys)
        if isinstance(raw, dict) and len(raw) == 1 and "Fn::Sub" in raw:
            text = raw["Fn::Sub"][0] if isinstance(raw["Fn::Sub"], list) and raw["Fn::Sub"] else raw["Fn::Sub"]
            if isinstance(text, str):
                found = {name.split(".")[0] for name in _VARIABLE.findall(text)} & set(self.ctx.resources)
                return found.pop() if len(found) == 1 else UNKNOWN
        return self.name_of(self.prop(logical_id, *keys))

    def name_of(self, value: Any) -> Any:
        """The architecture name a reference points at; UNKNOWN for what cannot be followed."""
        if isinstance(value, Reference):
            return value.logical_id if value.logical_id in self.ctx.resources else UNKNOWN
        if value is None:
            return None
        return UNKNOWN
