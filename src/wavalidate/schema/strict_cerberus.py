"""The cerberus validator the format uses; imported only when a document fails the fast check."""
from __future__ import annotations

import cerberus


class StrictValidator(cerberus.Validator):
    # cerberus counts True as an integer; the format does not.
    types_mapping = dict(cerberus.Validator.types_mapping)
    types_mapping["integer"] = cerberus.TypeDefinition("integer", (int,), (bool,))
