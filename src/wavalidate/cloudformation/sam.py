"""SAM (`Transform: AWS::Serverless-2016-10-31`) expanded into plain CloudFormation, as a pre-pass.

Each `AWS::Serverless::*` resource becomes the resources the SAM translator
generates, under the same logical ids (`FnRole`, `FnMyQueue`,
`ServerlessRestApi`...), so references in the rest of the template still
resolve. Every generated property remembers the SAM line it came from: the
template's SourceMap gets the generated paths, pointing at the SAM spans
(an event source mapping's `BatchSize` at the event's `BatchSize`, a value
from `Globals` at `Globals`). Nothing is executed or fetched.

Deliberate differences from the translator: API events become
`AWS::ApiGateway::Method` / `AWS::ApiGatewayV2::Route` resources rather than
an OpenAPI body, so their authorization is read; hashed ids (versions,
deployments) have no hash. `AWS::Serverless::Application` and `GraphQLApi`
stay as they are (not read).
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from . import sam_policies

Keys = tuple
GLOBALS = {"AWS::Serverless::Function": "Function", "AWS::Serverless::Api": "Api",
           "AWS::Serverless::HttpApi": "HttpApi", "AWS::Serverless::SimpleTable": "SimpleTable",
           "AWS::Serverless::StateMachine": "StateMachine", "AWS::Serverless::LayerVersion": "LayerVersion"}
# Copied as they are from a SAM function onto its AWS::Lambda::Function.
FUNCTION_COPY = ("Handler", "Runtime", "MemorySize", "Timeout", "Role", "Environment", "VpcConfig", "Layers",
                 "Architectures", "EphemeralStorage", "ReservedConcurrentExecutions", "KmsKeyArn", "FunctionName",
                 "Description", "PackageType", "ImageConfig", "FileSystemConfigs", "LoggingConfig", "SnapStart",
                 "RuntimeManagementConfig", "CodeSigningConfigArn", "RecursiveLoop", "Tags")
POLL_POLICIES = {"SQS": "AWSLambdaSQSQueueExecutionRole", "Kinesis": "AWSLambdaKinesisExecutionRole",
                 "DynamoDB": "AWSLambdaDynamoDBExecutionRole"}
# Event properties copied onto the event source mapping (SAM's names are CloudFormation's).
MAPPING_COPY = ("BatchSize", "Enabled", "MaximumBatchingWindowInSeconds", "FilterCriteria", "FunctionResponseTypes",
                "ScalingConfig", "StartingPosition", "StartingPositionTimestamp", "MaximumRetryAttempts",
                "BisectBatchOnFunctionError", "MaximumRecordAgeInSeconds", "ParallelizationFactor",
                "TumblingWindowInSeconds", "DestinationConfig", "KmsKeyArn", "MetricsConfig")


def _is_function(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and isinstance(next(iter(value)), str) \
        and (next(iter(value)) == "Ref" or next(iter(value)).startswith("Fn::"))


def _id_part(value: Any) -> str:
    """A value as part of a logical id (a stage name given by `!Ref` adds nothing)."""
    return "".join(c for c in value if c.isalnum()) if isinstance(value, str) else ""


def _sub(text: str) -> dict:
    return {"Fn::Sub": text}


def _managed(name: str) -> dict:
    return _sub(f"arn:${{AWS::Partition}}:iam::aws:policy/{name}")


def _arn(lid: str) -> dict:
    return {"Fn::GetAtt": [lid, "Arn"]}


def _trust(service: str) -> dict:
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"Service": [service]}}]}


class _Resource:
    """One SAM resource with its `Globals` merged in, and where each of its values was written."""

    def __init__(self, lid: str, body: dict, template: dict) -> None:
        self.lid = lid
        self.body = body
        section = GLOBALS.get(body["Type"])
        found = template.get("Globals")
        self.globals = found.get(section) if isinstance(found, dict) and section else None
        if not isinstance(self.globals, dict):
            self.globals = {}
        local = body.get("Properties")
        self.local = local if isinstance(local, dict) else {}
        self.props = _merge(self.globals, self.local)

    def get(self, *keys: Any) -> Any:
        value: Any = self.props
        for key in keys:
            value = _step(value, key)
        return value

    def origin(self, keys: Keys) -> Keys:
        """The template path a merged value was written at (its own, or under `Globals`)."""
        local: Any = self.local
        glob: Any = self.globals
        for depth, key in enumerate(keys):
            if isinstance(key, int) and isinstance(local, list) and isinstance(glob, list):
                if key < len(glob):  # lists add up, the global items first
                    return self._global_path(keys[:depth + 1]) + keys[depth + 1:]
                keys = keys[:depth] + (key - len(glob),) + keys[depth + 1:]
                glob = None
            in_local = _step(local, keys[depth])
            if in_local is None:
                return self._global_path(keys) if _step(glob, keys[depth]) is not None else self.path(keys)
            local, glob = in_local, _step(glob, keys[depth])
        return self.path(keys)

    def path(self, keys: Keys) -> Keys:
        return ("Resources", self.lid, "Properties") + tuple(keys)

    def _global_path(self, keys: Keys) -> Keys:
        return ("Globals", GLOBALS[self.body["Type"]]) + tuple(keys)


def _step(value: Any, key: Any) -> Any:
    if isinstance(value, dict):
        return value.get(key) if isinstance(key, (str, int)) else None
    if isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
        return value[key]
    return None


def _merge(glob: Any, local: Any) -> Any:
    """SAM's Globals: a mapping merges, a list adds up (global items first), anything else is replaced."""
    if isinstance(glob, dict) and isinstance(local, dict) and not _is_function(glob) and not _is_function(local):
        out = dict(glob)
        for key, value in local.items():
            out[key] = _merge(glob[key], value) if key in glob else value
        return out
    if isinstance(glob, list) and isinstance(local, list):
        return glob + local
    return local


class Expansion:
    """The plain resources of one template, and the spans of their values."""

    def __init__(self, data: dict, source) -> None:
        self.data = data
        self.source = source
        self.resources: dict = dict(data["Resources"])
        self.implicit: dict = {}  # implicit API kind -> its logical id, once created

    # -- spans ------------------------------------------------------------
    def copy_span(self, new: Keys, old: Keys, overwrite: bool = True) -> None:
        src = self.source
        if old not in src.values or (not overwrite and new in src.values):
            return
        src.values[new] = src.values[old]
        if old in src.keys:
            src.keys[new] = src.keys[old]
        if old in src.collections:
            src.collections.add(new)

    def copy_tree(self, new: Keys, res: _Resource, keys: Keys, value: Any) -> None:
        """Point `new` and everything below it at where the SAM value at `keys` (and below) was written."""
        self.copy_span(new, res.origin(keys))
        if _is_function(value):
            children: Any = ()
        elif isinstance(value, dict):
            children = value.items()
        elif isinstance(value, list):
            children = enumerate(value)
        else:
            children = ()
        for key, item in children:
            self.copy_tree(new + (key,), res, keys + (key,), item)

    # -- resources --------------------------------------------------------
    def emit(self, lid: str, kind: str, res: _Resource, at: Keys, props: dict, fields: dict,
             main: bool = False) -> str:
        """Add a generated resource; `at` is the SAM path it comes from, `fields` maps each of its top-level
        properties to the SAM keys whose value (and spans) it takes."""
        if not main and lid in self.resources:
            lid = lid + "Sam"
        body: dict = {"Type": kind, "Properties": props}
        keys = ("Condition", "DeletionPolicy", "UpdateReplacePolicy", "Metadata") + (("DependsOn",) if main else ())
        for key in keys:
            if key in res.body:
                body[key] = res.body[key]
        self.resources[lid] = body
        where = ("Resources", res.lid) if not at else res.origin(at)
        self.copy_span(("Resources", lid), where)
        self.copy_span(("Resources", lid, "Type"), ("Resources", res.lid, "Type"))
        self.copy_span(("Resources", lid, "Properties"), where if at else ("Resources", res.lid, "Properties")
                       if ("Resources", res.lid, "Properties") in self.source.values else where)
        for name, keys in fields.items():
            value = res.get(*keys)
            if value is not None:
                props[name] = value
                self.copy_tree(("Resources", lid, "Properties", name), res, keys, value)
        return lid

    def permission(self, res: _Resource, name: str, function: Any, principal: str, source: Any) -> None:
        props = {"Action": "lambda:InvokeFunction", "FunctionName": function, "Principal": principal}
        if source is not None:
            props["SourceArn"] = source
        self.emit(f"{res.lid}{name}Permission", "AWS::Lambda::Permission", res, ("Events", name), props, {})


def rewrite(data: Any, source) -> Any:
    """The template with its `AWS::Serverless::*` resources expanded; other templates as they are."""
    resources = data.get("Resources") if isinstance(data, dict) else None
    if not isinstance(resources, dict) or not any(
            isinstance(b, dict) and isinstance(b.get("Type"), str) and b["Type"] in EXPAND for b in resources.values()):
        return data
    out = Expansion(data, source)
    for lid, body in resources.items():
        if isinstance(body, dict) and isinstance(body.get("Type"), str) and body["Type"] in EXPAND:
            EXPAND[body["Type"]](out, _Resource(lid, body, data))
    return {**data, "Resources": out.resources}


# -- Function -----------------------------------------------------------------

def function(out: Expansion, res: _Resource) -> None:
    lid = res.lid
    props: dict = {}
    fields = {name: (name,) for name in FUNCTION_COPY}
    code = _code(res)
    if code is not None:
        props["Code"] = code
        out.copy_span(("Resources", lid, "Properties", "Code"),
                      res.origin(("InlineCode",) if res.get("InlineCode") is not None else ("CodeUri",)
                                 if res.get("CodeUri") is not None else ("ImageUri",)))
    dlq = res.get("DeadLetterQueue")
    if isinstance(dlq, dict) and dlq.get("TargetArn") is not None:
        props["DeadLetterConfig"] = {"TargetArn": dlq["TargetArn"]}
        out.copy_tree(("Resources", lid, "Properties", "DeadLetterConfig"), res, ("DeadLetterQueue",),
                      {"TargetArn": dlq["TargetArn"]})
    tracing = res.get("Tracing")
    if tracing is not None:
        props["TracingConfig"] = {"Mode": tracing}
        out.copy_span(("Resources", lid, "Properties", "TracingConfig"), res.origin(("Tracing",)))
        out.copy_span(("Resources", lid, "Properties", "TracingConfig", "Mode"), res.origin(("Tracing",)))
    events = res.get("Events")
    events = events if isinstance(events, dict) else {}
    if res.get("Role") is None:
        props["Role"] = _arn(_role(out, res, events, "lambda.amazonaws.com", lid + "Role"))
    out.emit(lid, "AWS::Lambda::Function", res, (), props, fields, main=True)
    target: Any = {"Ref": lid}
    alias = res.get("AutoPublishAlias")
    if alias is not None:
        version = out.emit(f"{lid}Version", "AWS::Lambda::Version", res, ("AutoPublishAlias",),
                           {"FunctionName": {"Ref": lid}}, {})
        name = alias if isinstance(alias, str) else "live"
        target = {"Ref": out.emit(f"{lid}Alias{name}", "AWS::Lambda::Alias", res, ("AutoPublishAlias",), {
            "FunctionName": {"Ref": lid}, "FunctionVersion": {"Fn::GetAtt": [version, "Version"]}},
            {"Name": ("AutoPublishAlias",), "ProvisionedConcurrencyConfig": ("ProvisionedConcurrencyConfig",)})}
    _invoke_config(out, res, target, alias)
    for name, event in events.items():
        kind = event.get("Type") if isinstance(event, dict) else None
        handler = EVENTS.get(kind) if isinstance(kind, str) else None
        if handler is not None:
            handler(out, res, name, target)


def _code(res: _Resource) -> Any:
    inline, uri, image = res.get("InlineCode"), res.get("CodeUri"), res.get("ImageUri")
    if inline is not None:
        return {"ZipFile": inline}
    if image is not None:
        return {"ImageUri": image}
    if isinstance(uri, str) and uri.startswith("s3://"):
        bucket, _, key = uri[len("s3://"):].partition("/")
        return {"S3Bucket": bucket, "S3Key": key}
    if isinstance(uri, dict) and not _is_function(uri):
        return {"S3Bucket": uri.get("Bucket"), "S3Key": uri.get("Key")}
    return None if uri is None else {"S3Bucket": uri}  # a local folder: the CLI uploads it


def _role(out: Expansion, res: _Resource, events: dict, service: str, lid: str) -> str:
    """The execution role SAM creates when none is given, with the function's `Policies`."""
    managed: list = [_managed("service-role/AWSLambdaBasicExecutionRole")] if service.startswith("lambda") else []
    documents: list = []
    origins: list = []
    policies = res.get("Policies")
    items = policies if isinstance(policies, list) else [] if policies is None else [policies]
    for index, item in enumerate(items):
        at = ("Policies", index) if isinstance(policies, list) else ("Policies",)
        if isinstance(item, str) and not item.startswith("arn:"):
            managed.append(_managed(item))
        elif isinstance(item, str) or _is_function(item):
            managed.append(item)
        elif isinstance(item, dict) and "Statement" in item:
            documents.append(item)
            origins.append(at)
        elif isinstance(item, dict):
            for name, parameters in item.items():
                documents.append(sam_policies.document(name, parameters))
                origins.append(at)
    if service.startswith("lambda"):
        kinds: set[str] = {e["Type"] for e in events.values() if isinstance(e, dict)
                            and isinstance(e.get("Type"), str) and e["Type"] in POLL_POLICIES}
        managed.extend(_managed(f"service-role/{POLL_POLICIES[k]}") for k in sorted(kinds))
        if res.get("Tracing") == "Active":
            managed.append(_managed("AWSXrayWriteOnlyAccess"))
        if res.get("VpcConfig") is not None:
            managed.append(_managed("service-role/AWSLambdaVPCAccessExecutionRole"))
        for statement, at in _destination_statements(res):
            documents.append({"Version": "2012-10-17", "Statement": [statement]})
            origins.append(at)
    props = {"AssumeRolePolicyDocument": _trust(service), "ManagedPolicyArns": managed}
    if documents:
        props["Policies"] = [{"PolicyName": f"{lid}Policy{i}", "PolicyDocument": d} for i, d in enumerate(documents)]
    made = out.emit(lid, "AWS::IAM::Role", res, (), props,
                    {"PermissionsBoundary": ("PermissionsBoundary",), "Tags": ("Tags",)})
    base = ("Resources", made, "Properties")
    if policies is not None:
        out.copy_span(base + ("Policies",), res.origin(("Policies",)))
        out.copy_span(base + ("ManagedPolicyArns",), res.origin(("Policies",)))
    for i, at in enumerate(origins):
        for suffix in ((), ("PolicyDocument",)):
            out.copy_span(base + ("Policies", i) + suffix, res.origin(at))
    return made


def _destination_statements(res: _Resource) -> list:
    """What SAM lets the role do with the DLQ and the async destinations (SQS, SNS, Lambda, EventBridge)."""
    found: list = []
    dlq = res.get("DeadLetterQueue")
    if isinstance(dlq, dict) and dlq.get("TargetArn") is not None:
        action = "sns:Publish" if dlq.get("Type") == "SNS" else "sqs:SendMessage"
        found.append(({"Effect": "Allow", "Action": action, "Resource": dlq["TargetArn"]}, ("DeadLetterQueue",)))
    actions = {"SQS": "sqs:SendMessage", "SNS": "sns:Publish", "Lambda": "lambda:InvokeFunction",
               "EventBridge": "events:PutEvents"}
    for when in ("OnSuccess", "OnFailure"):
        dest = res.get("EventInvokeConfig", "DestinationConfig", when)
        kind = dest.get("Type") if isinstance(dest, dict) else None
        if isinstance(kind, str) and kind in actions and dest.get("Destination") is not None:
            found.append(({"Effect": "Allow", "Action": actions[kind], "Resource": dest["Destination"]},
                          ("EventInvokeConfig", "DestinationConfig", when)))
    return found


def _invoke_config(out: Expansion, res: _Resource, target: Any, alias: Any) -> None:
    config = res.get("EventInvokeConfig")
    if not isinstance(config, dict):
        return
    props: dict = {"FunctionName": {"Ref": res.lid}, "Qualifier": alias if alias is not None else "$LATEST"}
    destinations: dict = {}
    for when in ("OnSuccess", "OnFailure"):
        dest = res.get("EventInvokeConfig", "DestinationConfig", when)
        if isinstance(dest, dict) and dest.get("Destination") is not None:
            destinations[when] = {"Destination": dest["Destination"]}
    made = out.emit(f"{res.lid}EventInvokeConfig", "AWS::Lambda::EventInvokeConfig", res, ("EventInvokeConfig",),
                    props, {"MaximumEventAgeInSeconds": ("EventInvokeConfig", "MaximumEventAgeInSeconds"),
                            "MaximumRetryAttempts": ("EventInvokeConfig", "MaximumRetryAttempts")})
    if destinations:
        out.resources[made]["Properties"]["DestinationConfig"] = destinations
        base = ("Resources", made, "Properties", "DestinationConfig")
        out.copy_span(base, res.origin(("EventInvokeConfig", "DestinationConfig")))
        for when in destinations:
            at = ("EventInvokeConfig", "DestinationConfig", when)
            out.copy_span(base + (when,), res.origin(at))
            out.copy_span(base + (when, "Destination"), res.origin(at + ("Destination",)))


# -- Function events ------------------------------------------------------------

def _event_fields(name: str, keys: tuple) -> dict:
    return {key: ("Events", name, "Properties", key) for key in keys}


def _poller(arn_key: str) -> Callable:
    def expand(out: Expansion, res: _Resource, name: str, target: Any) -> None:
        fields = _event_fields(name, MAPPING_COPY)
        fields["EventSourceArn"] = ("Events", name, "Properties", arn_key)
        out.emit(f"{res.lid}{name}", "AWS::Lambda::EventSourceMapping", res, ("Events", name),
                 {"FunctionName": target}, fields)
    return expand


def _sns(out: Expansion, res: _Resource, name: str, target: Any) -> None:
    topic = res.get("Events", name, "Properties", "Topic")
    fields = _event_fields(name, ("FilterPolicy", "FilterPolicyScope", "Region", "RedrivePolicy"))
    fields["TopicArn"] = ("Events", name, "Properties", "Topic")
    queued = res.get("Events", name, "Properties", "SqsSubscription")
    if queued is True or isinstance(queued, dict):
        _sns_through_sqs(out, res, name, target, queued, fields)
        return
    out.emit(f"{res.lid}{name}", "AWS::SNS::Subscription", res, ("Events", name),
             {"Protocol": "lambda", "Endpoint": _function_arn(res, target)}, fields)
    out.permission(res, name, target, "sns.amazonaws.com", topic)


def _sns_through_sqs(out: Expansion, res: _Resource, name: str, target: Any, queued: Any, fields: dict) -> None:
    """`SqsSubscription`: the topic delivers to a queue (SAM's own, or the one given) that the function polls."""
    at = ("Events", name, "Properties", "SqsSubscription")
    given = queued.get("QueueArn") if isinstance(queued, dict) else None
    queue = given
    if given is None:
        made = out.emit(f"{res.lid}{name}Queue", "AWS::SQS::Queue", res, at, {}, {})
        queue = _arn(made)
        out.emit(f"{res.lid}{name}QueuePolicy", "AWS::SQS::QueuePolicy", res, at, {
            "Queues": [{"Ref": made}], "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queue,
                "Principal": {"Service": "sns.amazonaws.com"},
                "Condition": {"ArnEquals": {"aws:SourceArn": res.get("Events", name, "Properties", "Topic")}}}]}},
            {})
    out.emit(f"{res.lid}{name}", "AWS::SNS::Subscription", res, ("Events", name),
             {"Protocol": "sqs", "Endpoint": queue}, fields)
    out.emit(f"{res.lid}{name}EventSourceMapping", "AWS::Lambda::EventSourceMapping", res, at,
             {"FunctionName": target, "EventSourceArn": queue},
             {"BatchSize": at + ("BatchSize",), "Enabled": at + ("Enabled",)})


def _function_arn(res: _Resource, target: dict) -> Any:
    """The ARN events invoke: the function's, or its alias's (whose `Ref` is its ARN)."""
    return {"Fn::GetAtt": [res.lid, "Arn"]} if target.get("Ref") == res.lid else target


def _s3(out: Expansion, res: _Resource, name: str, target: Any) -> None:
    """The bucket (in this template) gets a Lambda notification, as SAM adds one."""
    bucket = res.get("Events", name, "Properties", "Bucket")
    out.permission(res, name, target, "s3.amazonaws.com", None)
    lid = bucket.get("Ref") if isinstance(bucket, dict) else None
    body = out.resources.get(lid) if isinstance(lid, str) else None
    if not isinstance(body, dict) or body.get("Type") != "AWS::S3::Bucket":
        return
    body = out.resources[lid] = {**body, "Properties": dict(body.get("Properties") or {})}
    config = dict(body["Properties"].get("NotificationConfiguration") or {})
    events = res.get("Events", name, "Properties", "Events")
    for event in events if isinstance(events, list) else [events]:
        item = {"Event": event, "Function": _function_arn(res, target)}
        flt = res.get("Events", name, "Properties", "Filter")
        if flt is not None:
            item["Filter"] = flt
        config["LambdaConfigurations"] = list(config.get("LambdaConfigurations") or []) + [item]
    body["Properties"]["NotificationConfiguration"] = config


def _rule(out: Expansion, res: _Resource, name: str, target: Any, schedule: bool, arn: Any = None,
          role: Optional[Any] = None) -> None:
    item: dict = {"Arn": arn if arn is not None else _function_arn(res, target), "Id": f"{res.lid}{name}Target"}
    if role is not None:
        item["RoleArn"] = role
    for key in ("Input", "InputPath", "RetryPolicy", "DeadLetterConfig", "InputTransformer"):
        value = res.get("Events", name, "Properties", key)
        if value is not None:
            item[key] = value
    props: dict = {"Targets": [item]}
    enabled = res.get("Events", name, "Properties", "Enabled")
    if isinstance(enabled, bool):
        props["State"] = "ENABLED" if enabled else "DISABLED"
    fields = _event_fields(name, ("EventBusName", "State", "Name", "Description"))
    fields["ScheduleExpression" if schedule else "EventPattern"] = (
        "Events", name, "Properties", "Schedule" if schedule else "Pattern")
    made = out.emit(f"{res.lid}{name}", "AWS::Events::Rule", res, ("Events", name), props, fields)
    if arn is None:
        out.permission(res, name, target, "events.amazonaws.com", _arn(made))


def _schedule(out: Expansion, res: _Resource, name: str, target: Any) -> None:
    _rule(out, res, name, target, True)


def _pattern(out: Expansion, res: _Resource, name: str, target: Any) -> None:
    _rule(out, res, name, target, False)


AUTHORIZERS = {"NONE": "NONE", "AWS_IAM": "AWS_IAM"}


def _api(out: Expansion, res: _Resource, name: str, target: Any) -> None:
    api = _api_of(out, res, name, "RestApiId", "AWS::Serverless::Api", "ServerlessRestApi", rest_api)
    method = res.get("Events", name, "Properties", "Method")
    verb = method.upper() if isinstance(method, str) else method
    verb = "ANY" if verb == "ANY" or verb == "X-AMAZON-APIGATEWAY-ANY-METHOD" else verb
    props = {"RestApiId": {"Ref": api}, "ResourceId": {"Fn::GetAtt": [api, "RootResourceId"]}, "HttpMethod": verb,
             "AuthorizationType": _authorization(out, res, name, api, rest=True),
             "Integration": {"Type": "AWS_PROXY", "IntegrationHttpMethod": "POST", "Uri": _sub(
                 "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"
                 f"${{{res.lid}.Arn}}/invocations" if target.get("Ref") == res.lid else
                 f"${{{target.get('Ref')}}}/invocations")}}
    made = out.emit(f"{res.lid}{name}Method", "AWS::ApiGateway::Method", res, ("Events", name), props, {})
    out.copy_span(("Resources", made, "Properties", "AuthorizationType"),
                  res.origin(("Events", name, "Properties", "Auth", "Authorizer")))
    out.permission(res, name, target, "apigateway.amazonaws.com", None)


def _http_api(out: Expansion, res: _Resource, name: str, target: Any) -> None:
    api = _api_of(out, res, name, "ApiId", "AWS::Serverless::HttpApi", "ServerlessHttpApi", http_api)
    method, path = res.get("Events", name, "Properties", "Method"), res.get("Events", name, "Properties", "Path")
    key = "$default" if method is None and path is None else f"{str(method or 'ANY').upper()} {path}"
    integration = out.emit(f"{res.lid}{name}Integration", "AWS::ApiGatewayV2::Integration", res, ("Events", name), {
        "ApiId": {"Ref": api}, "IntegrationType": "AWS_PROXY", "IntegrationUri": _function_arn(res, target),
        "PayloadFormatVersion": "2.0"}, _event_fields(name, ("PayloadFormatVersion", "TimeoutInMillis")))
    made = out.emit(f"{res.lid}{name}Route", "AWS::ApiGatewayV2::Route", res, ("Events", name), {
        "ApiId": {"Ref": api}, "RouteKey": key, "AuthorizationType": _authorization(out, res, name, api, rest=False),
        "Target": {"Fn::Join": ["/", ["integrations", {"Ref": integration}]]}}, {})
    out.copy_span(("Resources", made, "Properties", "AuthorizationType"),
                  res.origin(("Events", name, "Properties", "Auth", "Authorizer")))
    out.permission(res, name, target, "apigateway.amazonaws.com", None)


def _api_of(out: Expansion, res: _Resource, name: str, key: str, kind: str, implicit: str, make: Callable) -> str:
    """The API an event belongs to: the one it names, or the implicit one SAM creates for the template."""
    given = res.get("Events", name, "Properties", key)
    ref = given.get("Ref") if isinstance(given, dict) else None
    if isinstance(ref, str) and isinstance(out.data["Resources"].get(ref), dict):
        return ref
    if implicit not in out.implicit:
        out.implicit[implicit] = implicit
        body: dict = {"Type": kind, "Properties": {}}
        make(out, _Resource(implicit, body, out.data), at=("Events", name), owner=res)
    return implicit


def _authorization(out: Expansion, res: _Resource, name: str, api: str, rest: bool) -> str:
    auth = res.get("Events", name, "Properties", "Auth", "Authorizer")
    api_body = out.data["Resources"].get(api)
    api_res = _Resource(api, api_body, out.data) if isinstance(api_body, dict) else None
    if auth is None and api_res is not None:
        auth = api_res.get("Auth", "DefaultAuthorizer")
    if auth is None:
        return "NONE"
    if isinstance(auth, str) and auth in AUTHORIZERS:
        return AUTHORIZERS[auth]
    spec = api_res.get("Auth", "Authorizers", auth) if api_res is not None and isinstance(auth, str) else None
    if isinstance(spec, dict) and "UserPoolArn" in spec:
        return "COGNITO_USER_POOLS"
    if isinstance(spec, dict) and ("JwtConfiguration" in spec or "IdentitySource" in spec and not rest):
        return "JWT"
    return "CUSTOM"


# -- APIs ---------------------------------------------------------------------------

def rest_api(out: Expansion, res: _Resource, at: Keys = (), owner: Optional[_Resource] = None) -> None:
    """`AWS::Serverless::Api` (or the implicit API of `owner`'s events): the REST API and its stage."""
    spans = owner if owner is not None else res
    props: dict = {}
    kind = res.get("EndpointConfiguration")
    kind = kind.get("Type") if isinstance(kind, dict) else kind
    if kind is not None:
        props["EndpointConfiguration"] = {"Types": [kind]}
    fields = {"Name": ("Name",), "Body": ("DefinitionBody",), "BodyS3Location": ("DefinitionUri",),
              "BinaryMediaTypes": ("BinaryMediaTypes",), "MinimumCompressionSize": ("MinimumCompressionSize",),
              "DisableExecuteApiEndpoint": ("DisableExecuteApiEndpoint",), "Tags": ("Tags",)}
    made = out.emit(res.lid, "AWS::ApiGateway::RestApi", spans if owner else res, at, props,
                    {} if owner else fields, main=owner is None)
    if kind is not None and owner is None:
        out.copy_span(("Resources", made, "Properties", "EndpointConfiguration"),
                      res.origin(("EndpointConfiguration",)))
        out.copy_span(("Resources", made, "Properties", "EndpointConfiguration", "Types", 0),
                      res.origin(("EndpointConfiguration",)))
    stage = res.get("StageName") or "Prod"
    out.emit(f"{res.lid}{_id_part(stage)}Stage", "AWS::ApiGateway::Stage",
             spans if owner else res, at, {"RestApiId": {"Ref": made}, "StageName": stage},
             {} if owner else {"MethodSettings": ("MethodSettings",), "TracingEnabled": ("TracingEnabled",),
                               "AccessLogSetting": ("AccessLogSetting",), "Variables": ("Variables",),
                               "CacheClusterEnabled": ("CacheClusterEnabled",)})


def http_api(out: Expansion, res: _Resource, at: Keys = (), owner: Optional[_Resource] = None) -> None:
    """`AWS::Serverless::HttpApi` (or the implicit one): the HTTP API and its stage."""
    spans = owner if owner is not None else res
    made = out.emit(res.lid, "AWS::ApiGatewayV2::Api", spans, at, {"ProtocolType": "HTTP"},
                    {} if owner else {"Name": ("Name",), "Body": ("DefinitionBody",),
                                      "BodyS3Location": ("DefinitionUri",),
                                      "DisableExecuteApiEndpoint": ("DisableExecuteApiEndpoint",),
                                      "CorsConfiguration": ("CorsConfiguration",)}, main=owner is None)
    stage = res.get("StageName") or "$default"
    suffix = "ApiGatewayDefaultStage" if stage == "$default" else f"{_id_part(stage)}Stage"
    out.emit(f"{res.lid}{suffix}", "AWS::ApiGatewayV2::Stage", spans, at,
             {"ApiId": {"Ref": made}, "StageName": stage, "AutoDeploy": True},
             {} if owner else {"DefaultRouteSettings": ("DefaultRouteSettings",),
                               "AccessLogSettings": ("AccessLogSettings",), "StageVariables": ("StageVariables",)})


# -- the other resources -----------------------------------------------------------

def simple_table(out: Expansion, res: _Resource) -> None:
    key = res.get("PrimaryKey")
    key = key if isinstance(key, dict) else {"Name": "id", "Type": "String"}
    kinds = {"String": "S", "Number": "N", "Binary": "B"}
    kind = key.get("Type")
    props: dict = {"KeySchema": [{"AttributeName": key.get("Name"), "KeyType": "HASH"}],
             "AttributeDefinitions": [{"AttributeName": key.get("Name"),
                                       "AttributeType": kinds.get(kind, kind) if isinstance(kind, str) else kind}]}
    if res.get("ProvisionedThroughput") is None:
        props["BillingMode"] = "PAY_PER_REQUEST"
    lid = out.emit(res.lid, "AWS::DynamoDB::Table", res, (), props,
                   {"ProvisionedThroughput": ("ProvisionedThroughput",), "SSESpecification": ("SSESpecification",),
                    "TableName": ("TableName",), "Tags": ("Tags",),
                    "PointInTimeRecoverySpecification": ("PointInTimeRecoverySpecification",)}, main=True)
    out.copy_span(("Resources", lid, "Properties", "KeySchema"), res.origin(("PrimaryKey",)))


def state_machine(out: Expansion, res: _Resource) -> None:
    props: dict = {}
    fields = {"Definition": ("Definition",), "DefinitionS3Location": ("DefinitionUri",),
              "DefinitionSubstitutions": ("DefinitionSubstitutions",), "StateMachineType": ("Type",),
              "LoggingConfiguration": ("Logging",), "TracingConfiguration": ("Tracing",),
              "StateMachineName": ("Name",), "RoleArn": ("Role",), "Tags": ("Tags",)}
    if res.get("Role") is None:
        props["RoleArn"] = _arn(_role(out, res, {}, "states.amazonaws.com", res.lid + "Role"))
    out.emit(res.lid, "AWS::StepFunctions::StateMachine", res, (), props, fields, main=True)
    events = res.get("Events")
    role_arn = props.get("RoleArn") or res.get("Role")
    for name, event in (events.items() if isinstance(events, dict) else ()):
        kind = event.get("Type") if isinstance(event, dict) else None
        if kind in ("Schedule", "EventBridgeRule", "CloudWatchEvent"):
            _rule(out, res, name, None, kind == "Schedule", arn={"Ref": res.lid}, role=role_arn)


def layer(out: Expansion, res: _Resource) -> None:
    out.emit(res.lid, "AWS::Lambda::LayerVersion", res, (), {},
             {"Content": ("ContentUri",), "LayerName": ("LayerName",), "CompatibleRuntimes": ("CompatibleRuntimes",),
              "CompatibleArchitectures": ("CompatibleArchitectures",), "LicenseInfo": ("LicenseInfo",),
              "Description": ("Description",)}, main=True)


EVENTS: dict = {"SQS": _poller("Queue"), "Kinesis": _poller("Stream"), "DynamoDB": _poller("Stream"),
                "SNS": _sns, "S3": _s3, "Schedule": _schedule, "EventBridgeRule": _pattern,
                "CloudWatchEvent": _pattern, "Api": _api, "HttpApi": _http_api}
EXPAND: dict = {"AWS::Serverless::Function": function, "AWS::Serverless::Api": rest_api,
                "AWS::Serverless::HttpApi": http_api, "AWS::Serverless::SimpleTable": simple_table,
                "AWS::Serverless::StateMachine": state_machine, "AWS::Serverless::LayerVersion": layer}
