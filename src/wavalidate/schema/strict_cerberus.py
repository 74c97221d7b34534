"""The cerberus validator the format uses; imported only when a document fails the fast check."""
from __future__ import annotations

import cerberus


class StrictValidator(cerberus.Validator):
    # cerberus counts True as an integer; the format does not.
    types_mapping = dict(cerberus.Validator.types_mapping)
    types_mapping["integer"] = cerberus.TypeDefinition("integer", (int,), (bool,))

    def _error(self, *args):
        """Collect errors without cerberus's per-error upkeep.

        For every error it adds, cerberus re-sorts the whole error list and
        files the error in two error trees, which it also keeps sorted: a
        mapping with N unknown keys cost O(N^2) comparisons (5,000 keys took
        45 s). validate.py reads only `_errors`, sorts them once, and never
        the trees, so errors are appended here and nothing else is kept.
        """
        if len(args) == 1:
            self._errors.extend(args[0])
        else:
            super()._error(*args)
