"""Coverage-guided fuzzing of the baseline reader with atheris.

    python fuzz/fuzz_baseline.py /tmp/corpus-baseline fuzz/seeds/baseline -max_total_time=600 -rss_limit_mb=1024

Any exception other than BaselineError, or a BaselineError without `name:line:col:`, is a crash.
"""
from __future__ import annotations

import re
import sys

import atheris

with atheris.instrument_imports():
    from wavalidate.baseline import BaselineError, loads
    from wavalidate.loader import Limits, LoadError, decode

LIMITS = Limits(max_bytes=1 << 20, max_nodes=50_000)
POSITIONED = re.compile(r"^b\.json:\d+:\d+: error E\d{3} ")


def test_one_input(data: bytes) -> None:
    try:
        text = decode(data)
    except LoadError:
        return
    try:
        entries = loads(text, "b.json", LIMITS)
    except BaselineError as error:
        assert POSITIONED.match(str(error)), str(error)
        return
    for entry in entries:
        assert isinstance(entry["count"], int) and entry["count"] >= 1
        assert all(isinstance(entry[k], str) for k in ("file", "code", "resource", "path", "message"))


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
