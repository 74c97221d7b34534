"""A JSON Schema of the format, for editors such as the YAML language server."""
from __future__ import annotations

from .fields import to_jsonschema
from .types import DOCUMENT, RESOURCE_TYPES, resource_field

SCHEMA_ID = "https://wavalidate.dev/schema/architecture-v1.json"


def json_schema() -> dict:
    root = to_jsonschema(DOCUMENT)
    root["$schema"] = "http://json-schema.org/draft-07/schema#"
    root["$id"] = SCHEMA_ID
    root["title"] = "wavalidate architecture, format version 1"
    resource = {
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": sorted(RESOURCE_TYPES)}},
        "allOf": [
            {"if": {"properties": {"type": {"const": name}}},
             "then": {"$ref": f"#/definitions/{name}"}}
            for name in sorted(RESOURCE_TYPES)
        ],
    }
    root["properties"]["resources"]["additionalProperties"] = resource
    root["patternProperties"] = {"^x-": {"description": "your own keys (YAML anchors to reuse); ignored"}}
    definitions = {}
    for name in sorted(RESOURCE_TYPES):
        body = to_jsonschema(resource_field(name))
        body["properties"]["type"] = {"const": name}
        definitions[name] = body
    root["definitions"] = definitions
    return root
