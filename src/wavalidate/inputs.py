"""Reading an input file as an architecture: a wavalidate file or a CloudFormation template."""
from __future__ import annotations

import re

from .loader import DEFAULT_LIMITS, Document, Limits, LoadError, load_yaml, read_text

# Short-form tags make a template unreadable as plain YAML, so templates are
# recognised from their text before parsing; the parse result then confirms.
_TEMPLATE_HINT = re.compile(r"AWSTemplateFormatVersion|^\s*\"?Type\"?\s*:\s*[\"']?AWS::", re.MULTILINE)


def load_document(path: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    text = read_text(path, limits)
    return parse_document(path, text, limits)


def parse_document(name: str, text: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    if _TEMPLATE_HINT.search(text, 0, 1 << 16):
        from . import cloudformation
        data, source = cloudformation.importer.parse(text, limits)
        if cloudformation.is_template(data):
            return cloudformation.template_document(name, text, data, source)
        if _has_local_tags(data):
            raise LoadError("E102", "CloudFormation tags such as !Ref are only read in CloudFormation templates",
                            source.locate(()))
        return Document(name, data, source, text)
    data, source = load_yaml(text, limits)
    return Document(name, data, source, text)


def _has_local_tags(data) -> bool:
    """True when the CloudFormation reading turned a tag into a function (so the plain reading would refuse it)."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if len(value) == 1 and next(iter(value)) in ("Ref", "Condition") or any(
                    isinstance(k, str) and k.startswith("Fn::") for k in value):
                return True
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False
