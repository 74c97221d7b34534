"""Coverage-guided fuzzing of the waiver-file reader (and matching) with atheris.

    python fuzz/fuzz_waivers.py /tmp/corpus-waivers fuzz/seeds/waivers -max_total_time=600 -rss_limit_mb=1024

Each input is written to a scratch file and read as the command line would; any exception, or a
problem without a position, is a crash.
"""
from __future__ import annotations

import datetime
import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    from wavalidate.findings import Finding
    from wavalidate.locations import Span
    from wavalidate.suppress import WaiverIndex, load_waivers

SCRATCH = os.path.join(tempfile.mkdtemp(prefix="fuzz-waivers-"), "w.yaml")
TODAY = datetime.date(2026, 1, 1)
FINDINGS = [Finding(file, Span.point(1, 1), code, "high", "m", name, "reliability", resource)
            for file in ("a.yaml", "infra/a.yaml") for code, name in (("REL001", "rds-single-az"), ("SEC116", "x"))
            for resource in ("db", "")]


def test_one_input(data: bytes) -> None:
    with open(SCRATCH, "wb") as handle:
        handle.write(data)
    entries, problems = load_waivers([SCRATCH], TODAY)
    for problem in problems:
        assert problem.line >= 1 and problem.col >= 1, problem
    index = WaiverIndex(entries)
    for finding in FINDINGS:
        assert list(index.matching(finding)) == [e for e in entries if e.matches(finding)]


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
