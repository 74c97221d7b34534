"""Which requirements a finding rests on: each rule that found something is run again on the architecture
with its requirements recorded as they are read, and the reads between two findings are charged to the
second (as the engine charges unknown values)."""
from __future__ import annotations

from typing import Any, Iterator, Mapping, Sequence

from ..findings import Finding
from ..model import Architecture, Requirements


class _Recorded(Mapping):
    def __init__(self, data: Mapping[str, Any], reads: list) -> None:
        self._data, self._reads = dict(data), reads

    def __getitem__(self, key: str) -> Any:
        if key in self._data:
            self._reads.append(key)
        return self._data[key]

    def get(self, key: str, default: Any = None) -> Any:
        if key in self._data:
            self._reads.append(key)
        return self._data.get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def _recording(arch: Architecture, reads: list) -> Architecture:
    base = dict(arch.requirements.raw)

    def recorded(raw: Mapping[str, Any]) -> Requirements:
        requirements = Requirements({})
        requirements.raw = _Recorded(raw, reads)   # type: ignore[assignment]  # reads go through the recorder
        return requirements

    arch.requirements = recorded(base)

    def requirements_for(resource=None) -> Requirements:
        own = resource.get("requirements") if resource is not None else None
        return recorded({**base, **own} if own else base)
    arch.requirements_for = requirements_for   # type: ignore[method-assign]
    return arch


def triggers(make_arch, rules: Sequence, findings: Sequence[Finding]) -> dict[tuple, dict[str, Any]]:
    """{(code, path): {requirement: value}} for the findings of one file. `make_arch()` returns a fresh
    Architecture of the file (each rule gets its own, so the recorder never leaks into the report's)."""
    wanted = {f.code for f in findings if f.pillar}
    out: dict[tuple, dict[str, Any]] = {}
    for rule in rules:
        if rule.code not in wanted:
            continue
        reads: list = []
        arch = _recording(make_arch(), reads)
        values = dict(arch.requirements.raw._data)  # type: ignore[attr-defined]
        try:
            for violation in rule.check(arch) or ():
                path = tuple(getattr(violation, "path", ()) or ())
                resource = arch.get(path[1]) if len(path) > 1 and path[0] == "resources" else None
                own = (resource.get("requirements") or {}) if resource is not None else {}
                seen = {k: own.get(k, values.get(k)) for k in dict.fromkeys(reads)}
                out.setdefault((rule.code, path), {}).update(seen)
                reads.clear()
        except Exception:  # a rule that fails now failed in the check too, and is reported there
            continue
    return out
