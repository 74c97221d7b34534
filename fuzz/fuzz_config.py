"""Coverage-guided fuzzing of the configuration reader (`.wavalidate.yaml` and `pyproject.toml`) with atheris.

    python fuzz/fuzz_config.py /tmp/corpus-config fuzz/seeds/config -max_total_time=600 -rss_limit_mb=1024

The first byte chooses the file: odd, pyproject.toml (a `[tool.wavalidate]` table); even, .wavalidate.yaml.
Any exception, or a problem without a position, is a crash.
"""
from __future__ import annotations

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    from wavalidate import config

FOLDER = tempfile.mkdtemp(prefix="fuzz-config-")


def test_one_input(data: bytes) -> None:
    if not data:
        return
    name = os.path.join(FOLDER, "pyproject.toml" if data[0] & 1 else ".wavalidate.yaml")
    with open(name, "wb") as handle:
        handle.write(data[1:])
    loaded = config.load(name)
    for problem in loaded.problems:
        assert problem.line >= 1 and problem.col >= 1, problem
    os.unlink(name)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
