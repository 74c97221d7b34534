"""Time and peak memory of `wavalidate check` on every file of the bad-input corpus.

    python benchmarks/bad_inputs.py

Each file runs in its own process; the issue's bound is 2 s and 200 MB per
input. The figures are printed, not asserted: speed is measured here, never
in timed tests.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(os.path.dirname(HERE), "tests", "bad_inputs")
COMMAND = [sys.executable, "-m", "wavalidate", "check"]


def measure(path: str) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit code of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(COMMAND + [path], capture_output=True)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest so far; a new maximum belongs to this run.
    return elapsed, max(peak, before) / 1024, result.returncode


def main() -> None:
    files = sorted(f for f in os.listdir(CORPUS) if f.endswith(".yaml") and f != "expected.yaml")
    worst_time = worst_memory = 0.0
    print(f"{'input':<32} {'seconds':>8} {'peak MB':>8} {'exit':>5}")
    for name in files:
        elapsed, peak, code = measure(os.path.join(CORPUS, name))
        worst_time, worst_memory = max(worst_time, elapsed), max(worst_memory, peak)
        print(f"{name:<32} {elapsed:>8.3f} {peak:>8.1f} {code:>5}")
    print(f"\nworst: {worst_time:.3f} s (bound 2 s), {worst_memory:.1f} MB peak (bound 200 MB)")


if __name__ == "__main__":
    main()
