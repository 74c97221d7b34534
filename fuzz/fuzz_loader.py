"""Coverage-guided fuzzing of the loader, the CloudFormation reader, the schema and the rules with atheris.

    pip install atheris
    python fuzz/fuzz_loader.py fuzz/seeds -max_total_time=600 -rss_limit_mb=512

Any exception other than a LoadError, or a position outside the input, is a
crash; atheris stops and writes the input as crash-<hash>. Add such inputs to
tests/bad_inputs/ once fixed.
"""
from __future__ import annotations

import re
import sys

import atheris

with atheris.instrument_imports():
    from wavalidate.engine import check_document
    from wavalidate.inputs import parse_document
    from wavalidate.loader import Limits, LoadError, decode
    from wavalidate.plugins import load_rules

LIMITS = Limits(max_bytes=1 << 20, max_nodes=50_000, max_resources=2_000)
RULES = load_rules()[0]
# YAML's line breaks, which is how the loader (and editors) count lines.
BREAKS = re.compile("\r\n|\r|\n|\x85|\u2028|\u2029")


def test_one_input(data: bytes) -> None:
    try:
        text = decode(data)
        document = parse_document("fuzz.yaml", text, LIMITS)
    except LoadError as error:
        assert error.span.line >= 1 and error.span.col >= 1
        return
    lines = len(BREAKS.findall(text)) + 1
    for finding in check_document(document, RULES):
        assert 1 <= finding.line <= lines + 1, (finding, lines)
        assert finding.col >= 1
        assert not finding.code.startswith("E9"), finding  # a built-in rule crashed


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
