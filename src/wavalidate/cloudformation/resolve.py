"""Evaluating intrinsic functions as far as a template alone allows.

Values that only exist at deploy time (a parameter without a default, an
import, the AZs of an account, a condition that depends on them) come out as
UNKNOWN, never as a guess.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Optional


class _Unknown:
    _instance: Optional["_Unknown"] = None

    def __new__(cls) -> "_Unknown":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()
NO_VALUE = object()  # AWS::NoValue: the property is removed


class Zone(str):
    """AZ #i of the stack's Region (`!Select [i, !GetAZs '']`): the same index is the same AZ, different
    indexes are different AZs, whichever Region the stack lands in. Or the AZ an AZ parameter without a
    default names (`!Ref Zone`, `!Select [i, !Ref Zones]`): the same parameter is the same AZ. `family`
    says which: AZs of different families are unknown to each other. The text is what the schema
    accepts and what messages show."""

    position: int   # not `index`, which is str's method
    family: str

    def __new__(cls, index: Optional[int], family: str = "") -> "Zone":
        if not family:
            text = f"AZ #{index} (`!Select [{index}, !GetAZs '']`)"
        elif index is None:
            text = f"AZ (`!Ref {family}`)"
        else:
            text = f"AZ #{index} (`!Select [{index}, !Ref {family}]`)"
        zone = super().__new__(cls, text)
        zone.position, zone.family = (-1 if index is None else index), family
        return zone


class _Zones:
    """`Fn::GetAZs` (or a list-of-AZs parameter without a default): AZs whose names and number are known
    only at deploy time."""

    def __init__(self, family: str = "") -> None:
        self.family = family

    def __repr__(self) -> str:
        return f"Zones({self.family})"


ZONES = _Zones()


@dataclass(frozen=True)
class Reference:
    """A `!Ref` or `!GetAtt` to another resource of the template."""

    logical_id: str
    attribute: str = ""


@dataclass
class Context:
    parameters: Mapping[str, Any]     # name -> default value or UNKNOWN
    resources: Mapping[str, Any]      # logical id -> resource body
    mappings: Mapping[str, Any]
    conditions: Mapping[str, Any]     # name -> condition expression
    region: Any = UNKNOWN
    _decided: Optional[dict] = None
    outputs: Optional[dict] = None    # nested stack logical id -> {output name: value}, for followed templates
    zone_parameters: Optional[dict] = None  # AZ parameter -> "one" or "list" (AWS::EC2::AvailabilityZone::Name)

    def condition(self, name: str) -> Any:
        """True, False or UNKNOWN."""
        if self._decided is None:
            self._decided = {}
        if name not in self._decided:
            self._decided[name] = UNKNOWN  # a cycle stays unknown
            self._decided[name] = truth(resolve(self.conditions.get(name, UNKNOWN), self))
        return self._decided[name]


def defaults_in(value: Any, ctx: "Context", seen: Optional[set] = None) -> set:
    """Names of the parameters whose defaults a template value uses (directly, in `Fn::Sub`, or through
    the conditions of its `Fn::If`s): a deployment that passes other values changes it."""
    seen = set() if seen is None else seen
    found: set = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, argument in item.items():
                if key == "Ref" and isinstance(argument, str):
                    found.add(argument)
                elif key == "Fn::Sub":
                    text = argument[0] if isinstance(argument, list) and argument else argument
                    found.update(n for n in _VARIABLE.findall(text) if "." not in n) if isinstance(text, str) else None
                    stack.append(argument)
                elif key in ("Fn::If", "Condition"):
                    name = argument[0] if key == "Fn::If" and isinstance(argument, list) and argument else argument
                    if isinstance(name, str) and name not in seen:
                        seen.add(name)
                        stack.append(ctx.conditions.get(name))
                    stack.append(argument)
                else:
                    stack.append(argument)
    return {name for name in found if name in ctx.parameters and ctx.parameters[name] is not UNKNOWN}


PSEUDO = {"AWS::NoValue": NO_VALUE, "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}


def truth(value: Any) -> Any:
    if value is UNKNOWN or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return UNKNOWN


def resolve(value: Any, ctx: Context) -> Any:
    """The value with every intrinsic function evaluated, or UNKNOWN."""
    if isinstance(value, list):
        items = [resolve(v, ctx) for v in value]
        return [v for v in items if v is not NO_VALUE]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        (key, argument), = value.items()
        if key == "Ref":
            return _ref(argument, ctx)
        if key == "Condition":
            return ctx.condition(argument) if isinstance(argument, str) else UNKNOWN
        if key.startswith("Fn::"):
            return _function(key[4:], argument, ctx)
    out = {}
    for key, item in value.items():
        resolved = resolve(item, ctx)
        if resolved is not NO_VALUE:
            out[key] = resolved
    return out


def _ref(name: Any, ctx: Context) -> Any:
    if not isinstance(name, str):
        return UNKNOWN
    if name in ctx.parameters:
        kind = ctx.zone_parameters.get(name) if ctx.zone_parameters else None
        if kind is not None and ctx.parameters[name] is UNKNOWN:
            return _Zones(name) if kind == "list" else Zone(None, name)
        return ctx.parameters[name]
    if name in ctx.resources:
        return Reference(name)
    if name == "AWS::Region":
        return ctx.region
    return PSEUDO.get(name, UNKNOWN)


def _function(name: str, arg: Any, ctx: Context) -> Any:
    if name == "GetAtt":
        if isinstance(arg, list) and len(arg) > 1 and ctx.outputs and arg[0] in ctx.outputs \
                and isinstance(arg[1], str) and arg[1].startswith("Outputs."):
            return ctx.outputs[arg[0]].get(arg[1][len("Outputs."):], UNKNOWN)
        if isinstance(arg, list) and arg and isinstance(arg[0], str) and arg[0] in ctx.resources:
            return Reference(arg[0], str(arg[1]) if len(arg) > 1 else "")
        return UNKNOWN
    if name == "If":
        if not (isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str)):
            return UNKNOWN
        decided = ctx.condition(arg[0])
        if decided is UNKNOWN:
            first, second = resolve(arg[1], ctx), resolve(arg[2], ctx)
            return first if _same(first, second) else UNKNOWN
        return resolve(arg[1] if decided else arg[2], ctx)
    if name in ("Equals", "And", "Or", "Not"):
        return _logic(name, resolve(arg, ctx))
    if name == "Select":
        if not (isinstance(arg, list) and len(arg) == 2):
            return UNKNOWN
        index, items = resolve(arg[0], ctx), resolve(arg[1], ctx)
        if isinstance(items, _Zones):
            try:
                return Zone(int(index), items.family) if not isinstance(index, bool) and int(index) >= 0 \
                    else UNKNOWN
            except (ValueError, TypeError):
                return UNKNOWN
        try:
            return items[int(index)] if isinstance(items, list) else UNKNOWN
        except (ValueError, TypeError, IndexError):
            return UNKNOWN
    if name == "Join":
        if not (isinstance(arg, list) and len(arg) == 2):
            return UNKNOWN
        sep, items = resolve(arg[0], ctx), resolve(arg[1], ctx)
        if not isinstance(sep, str) or not isinstance(items, list) or not all(
                isinstance(i, str) and not isinstance(i, Zone) for i in items):
            return UNKNOWN
        return sep.join(items)
    if name == "Split":
        if isinstance(arg, list) and len(arg) == 2:
            sep, text = resolve(arg[0], ctx), resolve(arg[1], ctx)
            if isinstance(sep, str) and isinstance(text, str) and sep:
                return text.split(sep)
        return UNKNOWN
    if name == "Sub":
        return _sub(arg, ctx)
    if name == "FindInMap":
        if isinstance(arg, list) and len(arg) >= 3:
            keys = [resolve(a, ctx) for a in arg[:3]]
            if all(isinstance(k, str) for k in keys):
                try:
                    return ctx.mappings[keys[0]][keys[1]][keys[2]]
                except (KeyError, TypeError):
                    return UNKNOWN
        return UNKNOWN
    if name == "Base64":
        return resolve(arg, ctx)
    if name == "GetAZs":
        region = resolve(arg, ctx)
        return ZONES if region == "" or isinstance(region, str) or region is UNKNOWN else UNKNOWN
    # GetAZs of a bad argument, ImportValue, Cidr, Transform, ToJsonString, Length: known only at deploy time.
    return UNKNOWN


def _same(first: Any, second: Any) -> bool:
    """Both branches of an undecidable `Fn::If` give the same value: it is known either way."""
    if first is UNKNOWN or second is UNKNOWN or type(first) is not type(second):
        return False
    return bool(first == second)


def _logic(name: str, args: Any) -> Any:
    if not isinstance(args, list):
        return UNKNOWN
    if name == "Equals":
        if len(args) != 2 or UNKNOWN in args or any(isinstance(a, (Reference, _Zones)) for a in args):
            return UNKNOWN
        if any(isinstance(a, Zone) for a in args):
            return args[0] == args[1] if all(isinstance(a, Zone) for a in args) \
                and args[0].family == args[1].family else UNKNOWN
        return str(args[0]) == str(args[1]) if not isinstance(args[0], (list, dict)) else args[0] == args[1]
    values = [truth(a) for a in args]
    if name == "Not":
        return UNKNOWN if not values or values[0] is UNKNOWN else not values[0]
    if name == "And":
        if False in values:
            return False
        return UNKNOWN if UNKNOWN in values else True
    if True in values:
        return True
    return UNKNOWN if UNKNOWN in values else False


_VARIABLE = re.compile(r"\$\{([^}!][^}]*)\}")


def _sub(arg: Any, ctx: Context) -> Any:
    text, extra = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1]) if isinstance(arg, list) and len(arg) == 2 \
        else (None, {})
    if not isinstance(text, str) or not isinstance(extra, dict):
        return UNKNOWN
    unknown = False

    def replace(match: re.Match) -> str:
        nonlocal unknown
        name = match.group(1)
        value = resolve(extra[name], ctx) if name in extra else _ref(name, ctx) if "." not in name else UNKNOWN
        if isinstance(value, (Reference, Zone)) or not isinstance(value, (str, int, float)):
            unknown = True
            return ""
        return str(value)
    result = _VARIABLE.sub(replace, text)
    return UNKNOWN if unknown else result.replace("${!", "${")


# -- free-form documents (IAM policies) ----------------------------------------------

_ARNS = {
    "AWS::S3::Bucket": "arn:aws:s3:::{id}",
    "AWS::Lambda::Function": "arn:aws:lambda:{r}:{a}:function:{id}",
    "AWS::DynamoDB::Table": "arn:aws:dynamodb:{r}:{a}:table/{id}",
    "AWS::Kinesis::Stream": "arn:aws:kinesis:{r}:{a}:stream/{id}",
    "AWS::KinesisFirehose::DeliveryStream": "arn:aws:firehose:{r}:{a}:deliverystream/{id}",
    "AWS::IAM::Role": "arn:aws:iam::{a}:role/{id}",
    "AWS::IAM::User": "arn:aws:iam::{a}:user/{id}",
    "AWS::IAM::Group": "arn:aws:iam::{a}:group/{id}",
    "AWS::IAM::ManagedPolicy": "arn:aws:iam::{a}:policy/{id}",
    "AWS::StepFunctions::StateMachine": "arn:aws:states:{r}:{a}:stateMachine:{id}",
    "AWS::KMS::Key": "arn:aws:kms:{r}:{a}:key/{id}",
    "AWS::Logs::LogGroup": "arn:aws:logs:{r}:{a}:log-group:{id}",
}
_REF_IS_ARN = {"AWS::SNS::Topic", "AWS::IAM::ManagedPolicy", "AWS::StepFunctions::StateMachine"}


def _stand_in(reference: Reference, ctx: Context) -> str:
    """The text a reference stands for inside a policy document.

    Resource names are not known before deployment, so the logical id takes
    their place: ARNs end with it, which is how architecture files name the
    resource a policy is about. The account and (unless known) the Region
    stay `${AWS::AccountId}` / `${AWS::Region}`: policy variables without a
    value, which the policy evaluator treats as unknown.
    """
    body = ctx.resources.get(reference.logical_id)
    kind = body.get("Type", "") if isinstance(body, dict) else ""
    region = ctx.region if isinstance(ctx.region, str) else "${AWS::Region}"
    attribute = reference.attribute
    wants_arn = attribute.endswith("Arn") or (not attribute and kind in _REF_IS_ARN)
    if not wants_arn:
        if kind == "AWS::SQS::Queue" and not attribute:
            return f"https://sqs.{region}.amazonaws.com/${{AWS::AccountId}}/{reference.logical_id}"
        return reference.logical_id
    service = kind.split("::")[1].lower() if kind.count("::") == 2 else "cloudformation"
    pattern = _ARNS.get(kind, "arn:aws:" + service + ":{r}:{a}:{id}")
    return pattern.format(r=region, a="${AWS::AccountId}", id=reference.logical_id)


def document(value: Any, ctx: Context) -> Any:
    """A free-form value (an IAM policy) as plain data, or UNKNOWN.

    Unlike `resolve`, text built with `Fn::Sub` or `Fn::Join` keeps what only
    deployment can fill in as `${...}` (it stays a string, never a wildcard),
    and references become names or ARNs ending in the logical id. A whole
    value known only at deploy time (a parameter without a default, an
    import) makes the whole document UNKNOWN: guessing would invent findings.
    """
    if isinstance(value, list):
        items = [document(v, ctx) for v in value]
        if UNKNOWN in items:
            return UNKNOWN
        return [v for v in items if v is not NO_VALUE]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        (key, argument), = value.items()
        if key == "Fn::Sub":
            return _sub_text(argument, ctx)
        if key == "Fn::Join" and isinstance(argument, list) and len(argument) == 2:
            sep, parts = resolve(argument[0], ctx), document(argument[1], ctx)
            if isinstance(sep, str) and isinstance(parts, list) and all(isinstance(p, (str, int)) for p in parts):
                return sep.join(str(p) for p in parts)
            return UNKNOWN
        if key == "Fn::If" and isinstance(argument, list) and len(argument) == 3 and isinstance(argument[0], str):
            decided = ctx.condition(argument[0])
            return UNKNOWN if decided is UNKNOWN else document(argument[1] if decided else argument[2], ctx)
        if key == "Ref" or key.startswith("Fn::"):
            resolved = resolve(value, ctx)
            if isinstance(resolved, Reference):
                return _stand_in(resolved, ctx)
            if resolved is UNKNOWN or resolved is NO_VALUE or isinstance(resolved, _Zones):
                return UNKNOWN if isinstance(resolved, _Zones) else resolved
            return document(resolved, ctx)
    out = {}
    for key, item in value.items():
        resolved = document(item, ctx)
        if resolved is UNKNOWN:
            return UNKNOWN
        if resolved is not NO_VALUE:
            out[key] = resolved
    return out


def _sub_text(arg: Any, ctx: Context) -> Any:
    text, extra = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1]) if isinstance(arg, list) and len(arg) == 2 \
        else (None, {})
    if not isinstance(text, str) or not isinstance(extra, dict):
        return UNKNOWN

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name in extra:
            value = document(extra[name], ctx)
        elif "." in name:
            logical_id, _, attribute = name.partition(".")
            value = _stand_in(Reference(logical_id, attribute), ctx) if logical_id in ctx.resources else UNKNOWN
        else:
            value = _ref(name, ctx)
            if isinstance(value, Reference):
                value = _stand_in(value, ctx)
        return str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) \
            else "${" + name + "}"
    return _VARIABLE.sub(replace, text).replace("${!", "${")


# -- references to conditions ----------------------------------------------------------------


def check_conditions(template: Mapping, source, text: str = "") -> None:
    """Raise LoadError at the first reference to a condition that CloudFormation rejects: a name the
    `Conditions` section does not define (E210), or a condition that depends on itself (E212). Until
    then they read as unknown, which hid a template that cannot deploy."""
    problems = condition_problems(template, walk_ifs="If" in text if text else True)
    if not problems:
        return
    from ..loader import LoadError
    placed = sorted((_place(source, path), code, message) for code, message, path in problems)
    span, code, message = placed[0]
    if len(placed) > 1:
        message += f" ({len(placed) - 1} more condition problem{'s' if len(placed) > 2 else ''} after this one)"
    raise LoadError(code, message, span)


def condition_problems(template: Mapping, walk_ifs: bool = True) -> list[tuple[str, str, tuple]]:
    """(code, message, template path) of each undefined or circular condition reference."""
    defined = template.get("Conditions")
    defined = defined if isinstance(defined, dict) else {}
    problems: list[tuple[str, str, tuple]] = []

    def undefined(name: str, path: tuple) -> None:
        problems.append(("E210", f"`{name}` is not a condition in this template's `Conditions`", path))

    edges: dict[str, list[tuple[str, tuple]]] = {}
    for name, expression in defined.items():
        edges[name] = []
        for ref, path in _references(expression, ("Conditions", name), "Condition"):
            if ref in defined:
                edges[name].append((ref, path))
            else:
                undefined(ref, path)
    problems.extend(_cycles(edges))
    for section in ("Resources", "Outputs"):
        entries = template.get(section)
        for key, body in entries.items() if isinstance(entries, dict) else ():
            if not isinstance(body, dict):
                continue
            named = body.get("Condition")
            if isinstance(named, str) and named not in defined:
                undefined(named, (section, key, "Condition"))
            if walk_ifs and not _if_names(body) <= defined.keys():  # paths only where one is missing
                for ref, path in _references(body, (section, key), "Fn::If"):
                    if ref not in defined:
                        undefined(ref, path)
    return problems


def _if_names(value: Any) -> set:
    """The condition names of every `Fn::If` inside a value (a walk that builds no paths: it runs on all)."""
    names = set()
    stack = [value]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if len(value) == 1 and "Fn::If" in value:
                argument = value["Fn::If"]
                if isinstance(argument, list) and argument and isinstance(argument[0], str):
                    names.add(argument[0])
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return names


def _references(value: Any, at: tuple, function: str):
    """(condition name, path) of each `{"Condition": name}` or `{"Fn::If": [name, ...]}` inside a value."""
    stack = [(value, at)]
    while stack:
        value, at = stack.pop()
        if isinstance(value, dict):
            if len(value) == 1 and function in value:
                argument = value[function]
                if function == "Condition" and isinstance(argument, str):
                    yield argument, at + (function,)
                    continue
                if function == "Fn::If" and isinstance(argument, list) and argument and isinstance(argument[0], str):
                    yield argument[0], at + (function, 0)
            stack.extend((item, at + (key,)) for key, item in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend((item, at + (index,)) for index, item in reversed(list(enumerate(value))))


def _cycles(edges: dict[str, list[tuple[str, tuple]]]) -> list[tuple[str, str, tuple]]:
    """E212 at each reference that closes a cycle, found by one depth-first pass (linear in references)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    found = []
    for root in edges:
        if root in state:
            continue
        trail = [root]
        state[root] = 1
        stack = [iter(edges[root])]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                state[trail.pop()] = 2
                stack.pop()
                continue
            ref, path = step
            if state.get(ref) == 1:
                cycle = trail[trail.index(ref):] + [ref]
                how = "refers to itself" if len(cycle) == 2 else "depends on itself: " + " → ".join(
                    f"`{c}`" for c in cycle)
                found.append(("E212", f"condition `{trail[-1]}` {how}; CloudFormation rejects circular "
                                      "conditions", path))
            elif ref not in state:
                state[ref] = 1
                trail.append(ref)
                stack.append(iter(edges[ref]))
    return found


def _place(source, path: tuple):
    """The span of the reference, or of the nearest enclosing value the source map knows (short-form tags
    such as `!If` are mapped as a whole)."""
    while path and path not in source.values:
        path = path[:-1]
    return source.locate(path)
