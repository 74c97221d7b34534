"""`python -m wavalidate`: the same as the `wavalidate` command."""
from __future__ import annotations

import os
import sys

# `python -m` puts the current folder first on sys.path; a checked repository
# must never be able to shadow the built-in rule pack from there.
sys.path[:] = [p for p in sys.path if p not in ("", ".", os.getcwd())]

from wavalidate.cli import main  # noqa: E402

main(prog_name="wavalidate")
