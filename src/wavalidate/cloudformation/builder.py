"""Building an architecture document from a template, with spans that point into the template."""
from __future__ import annotations

from typing import Any, Optional

from ..locations import Path, SourceMap
from .resolve import _VARIABLE, UNKNOWN, Context, Reference, document, resolve


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
        """A resolved property value (UNKNOWN when deploy-time only, None when absent)."""
        value = self.raw(logical_id, *keys)
        return None if value is None else resolve(value, self.ctx)

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
