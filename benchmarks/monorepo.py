"""The monorepo case: `wavalidate check` over 1,000 architecture files of 20-200 resources.

    python benchmarks/monorepo.py                 # 1,000 files, 3 rounds
    python benchmarks/monorepo.py --files 200 --rounds 1 --keep /tmp/mono

Measures, each as a whole process, interleaved round by round so a change in
the machine's load hits every variant alike:

- `--jobs 1` (one process, today's behaviour) and `--jobs 2`, cold (no cache);
- `--jobs 2 --cache DIR` warm: the cache filled by an earlier run, then one
  file changed (a resource added), as in a pull request that touches one file.

For each: the median wall time, and the CPU time of the process and its
children (wait4's rusage), since on a shared machine wall time is noisy. It
checks that every variant's JSON output is byte for byte that of `--jobs 1`.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import generate  # noqa: E402
from run import ENV, wavalidate_command  # noqa: E402


def write_files(folder: str, count: int) -> list[str]:
    rng = random.Random(19)
    names = []
    for i in range(count):
        n = rng.randint(20, 200)
        name = f"team{i % 40:02d}/arch-{i:04d}.yaml"
        os.makedirs(os.path.join(folder, os.path.dirname(name)), exist_ok=True)
        with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
            handle.write(generate.dump(generate.architecture(n)))
        names.append(name)
    return names


def run(command: list[str], cwd: str) -> tuple[float, float, bytes]:
    """(wall seconds, CPU seconds of the process and its children, stdout)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=ENV)
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1, 2):
        raise SystemExit(f"{command} exited {code}")
    return wall, usage.ru_utime + usage.ru_stime, out


def touch_one(folder: str, name: str, round_: int) -> None:
    """Change one file as a pull request would: one more queue."""
    with open(os.path.join(folder, name), "a", encoding="utf-8") as handle:
        handle.write(f"  pr-queue-{round_}:\n    type: sqs_queue\n    region: eu-west-1\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", help="write the files here and keep them")
    args = parser.parse_args()

    folder = args.keep or tempfile.mkdtemp(prefix="wavalidate-monorepo-")
    os.makedirs(folder, exist_ok=True)
    cache = tempfile.mkdtemp(prefix="wavalidate-monorepo-cache-")   # outside the checked folder
    names = write_files(folder, args.files)
    base = wavalidate_command() + ["check", *names, "--format", "json", "--fail-on", "never"]
    variants = {"jobs 1": ["--jobs", "1"], "jobs 2": ["--jobs", "2"],
                "jobs 2, warm cache, 1 file changed": ["--jobs", "2", "--cache", cache]}
    load = os.getloadavg()
    run(base + ["--jobs", "2"], folder)            # untimed: bytecode and page cache warm
    walls: dict = {v: [] for v in variants}
    cpus: dict = {v: [] for v in variants}
    identical = True
    for round_ in range(args.rounds):
        touch_one(folder, names[round_ % len(names)], round_)
        reference = None
        run(base + variants["jobs 2, warm cache, 1 file changed"], folder)  # fill the cache for this state
        touch_one(folder, names[(round_ + 7) % len(names)], round_)       # then one file changes
        for variant, extra in variants.items():
            wall, cpu, out = run(base + extra, folder)
            walls[variant].append(wall)
            cpus[variant].append(cpu)
            reference = reference or out
            identical = identical and out == reference
        print(f"  round {round_ + 1}: " + ", ".join(f"{v} {walls[v][-1]:.2f} s" for v in variants),
              file=sys.stderr, flush=True)
    load_after = os.getloadavg()

    sizes = sum(os.path.getsize(os.path.join(folder, n)) for n in names)
    print(f"# monorepo: {len(names):,} architecture files of 20-200 resources ({sizes / 1e6:.1f} MB), "
          f"{os.cpu_count()} CPUs; median of {args.rounds} interleaved rounds; load average "
          f"{load[0]:.1f} before, {load_after[0]:.1f} after")
    print()
    print("| run | wall (s) | CPU, process and children (s) |")
    print("| --- | ---: | ---: |")
    median = {v: statistics.median(walls[v]) for v in variants}
    for variant in variants:
        print(f"| {variant} | {median[variant]:.2f} | {statistics.median(cpus[variant]):.2f} |")
    print()
    speedup = median["jobs 1"] / median["jobs 2"]
    warm = median["jobs 2"] / median["jobs 2, warm cache, 1 file changed"]
    print(f"--jobs 2 speed-up over --jobs 1: {speedup:.2f}x (goal >= 1.7x: {'yes' if speedup >= 1.7 else 'NO'})")
    print(f"warm cache, one file changed, against cold --jobs 2: {warm:.1f}x faster "
          f"(goal >= 10x: {'yes' if warm >= 10 else 'NO'})")
    print(f"outputs byte-identical to --jobs 1: {'yes' if identical else 'NO'}")
    shutil.rmtree(cache, ignore_errors=True)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
