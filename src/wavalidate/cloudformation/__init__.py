"""Reading CloudFormation templates (YAML or JSON) as architectures, findings pointing at the template."""
from __future__ import annotations

from .importer import is_template, load_template, template_document

__all__ = ["is_template", "load_template", "template_document"]
