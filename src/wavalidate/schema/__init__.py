"""The architecture format: its fields, validation and JSON Schema."""
from __future__ import annotations

from .types import DOCUMENT, RESOURCE_TYPES, resource_field
from .validate import Problem, validate

__all__ = ["DOCUMENT", "RESOURCE_TYPES", "Problem", "resource_field", "validate"]
