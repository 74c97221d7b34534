"""Time `wavalidate check` as a whole process and print the figures and the ratios against the targets.

    python benchmarks/run.py            # 100, 1,000, 10,000 and 50,000 resources; a few minutes
    python benchmarks/run.py --quick    # fewer repetitions, competitors at 100 and 1,000 only
    python benchmarks/run.py --sizes 100 1000 --keep /tmp/bench

For each size it generates an architecture file and a CloudFormation template
(benchmarks/generate.py) and measures, each in its own process:

- `wavalidate check FILE`: the median wall time of several runs and the peak
  resident memory (from wait4's rusage of that child);
- the parse floor: `yaml.load(FILE, Loader=CSafeLoader)` alone (the short-form
  tags of templates accepted), the least any YAML-reading tool could do;
- cfn-lint and Checkov on the same templates, when they are installed
  (Checkov is looked for on PATH, in $CHECKOV, then in /tmp/checkov-venv).

Then it prints the ratios the issue sets as targets. It is a measurement, not
a test: nothing fails, it reports.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import generate  # noqa: E402

FLOOR = """
import sys, yaml
class Loader(yaml.CSafeLoader):
    pass
Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
with open(sys.argv[1], "rb") as f:
    yaml.load(f, Loader=Loader)
"""
# The strictest fair floor: the same load with the garbage collector paused while it runs. Without the pause
# the collector's full passes over the growing tree make a plain load superlinear, which flatters a tool that
# tunes its own collector (as `check` does).
FLOOR_PAUSED = FLOOR.replace("    yaml.load(f, Loader=Loader)", "    import gc\n    gc.disable()\n"
                             "    yaml.load(f, Loader=Loader)\n    gc.enable()")
IMPORTS = "import yaml, cerberus, click"


def wavalidate_command() -> list[str]:
    """The wavalidate of the running interpreter's environment (not another one earlier on PATH)."""
    beside = os.path.join(os.path.dirname(sys.executable), "wavalidate")
    found = beside if os.path.exists(beside) else shutil.which("wavalidate")
    return [found] if found else [sys.executable, "-m", "wavalidate"]


def checkov_command():
    for candidate in (shutil.which("checkov"), os.environ.get("CHECKOV"), "/tmp/checkov-venv/bin/checkov"):
        if candidate and os.path.exists(candidate):
            return [candidate]
    return None


# Installed packages have their bytecode compiled at install time. A source checkout run with
# PYTHONDONTWRITEBYTECODE=1 would instead compile every module on every run (about 80 ms for
# wavalidate), which measures the environment rather than the tool: the runs here keep bytecode
# in a cache of their own (outside the source tree), warmed by an untimed first run.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "wavalidate-bench-pycache")


CPU: dict = {}   # command (as a tuple) -> median CPU seconds (user + system, with its children) of its last measure


def measure(command: list[str], runs: int, timeout: float, warm: bool = False) -> tuple[float, float, int]:
    """(median seconds, peak RSS in MiB, exit code of the last run); seconds is inf on a timeout.
    The median CPU time goes to CPU[tuple(command)]: on a shared machine it is the steadier figure."""
    times, cpus, peak, code = [], [], 0, 0
    if warm:
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV, timeout=timeout)
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                os.wait4(process.pid, 0)
                return float("inf"), 0.0, -9
            time.sleep(0.002)
        times.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)   # wait4: the process and the children it waited for
        peak = max(peak, usage.ru_maxrss)  # KiB on Linux
        code = os.waitstatus_to_exitcode(status)
        process.returncode = code
    CPU[tuple(command)] = statistics.median(cpus)
    return statistics.median(times), peak / 1024, code


def fmt(seconds: float) -> str:
    if seconds == float("inf"):
        return "timeout"
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000, 20000, 50000])
    parser.add_argument("--quick", action="store_true", help="fewer runs; competitors at 1,000 resources at most")
    parser.add_argument("--keep", help="write the generated files here and keep them")
    parser.add_argument("--no-competitors", action="store_true", help="skip cfn-lint and Checkov")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per process before it is stopped")
    args = parser.parse_args()

    folder = args.keep or tempfile.mkdtemp(prefix="wavalidate-bench-")
    os.makedirs(folder, exist_ok=True)
    check = wavalidate_command()
    limits = ["--max-file-size", str(1 << 30), "--max-nodes", str(50_000_000), "--fail-on", "never",
              "--allow-outside-root", "--rule-timeout", "0"]   # files in a temporary folder; no timeouts under load
    cfn_lint = None if args.no_competitors else shutil.which("cfn-lint")
    checkov = None if args.no_competitors else checkov_command()
    competitor_max = 1000 if args.quick else 10000

    def runs_for(n: int) -> int:
        if args.quick:
            return 3 if n <= 1000 else 1
        return 7 if n <= 1000 else 3 if n <= 10000 else 1

    print(f"# wavalidate benchmark: {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, {cpu_model()}")
    print(f"# files in {folder}; median of several runs (1 at 50,000 resources); peak RSS of the process")
    print()

    # startup: a 10-resource template and architecture against importing the three libraries
    startup = {}
    for kind, text in (("arch", generate.dump(generate.architecture(10))), ("cfn", generate.template(10))):
        name = os.path.join(folder, f"{kind}-10.yaml")
        with open(name, "w", encoding="utf-8") as handle:
            handle.write(text)
        startup[kind] = measure(check + ["check", name] + limits, 9, args.timeout, warm=True)[0]
    imports = measure([sys.executable, "-c", IMPORTS], 9, args.timeout, warm=True)[0]

    rows = []
    results: dict = {}
    for n in args.sizes:
        for kind in ("arch", "cfn"):
            name = os.path.join(folder, f"{kind}-{n}.yaml")
            text = generate.dump(generate.architecture(n)) if kind == "arch" else generate.template(n)
            with open(name, "w", encoding="utf-8") as handle:
                handle.write(text)
            runs = runs_for(n)
            # interleaved, run by run, so a change in the machine's load hits all three alike
            command = check + ["check", name, "--jobs", "1"] + limits
            floors = ([sys.executable, "-c", FLOOR, name], [sys.executable, "-c", FLOOR_PAUSED, name])
            timed: dict = {"check": [], "floor": [], "paused": [], "check_cpu": [], "paused_cpu": []}
            peak, code = 0.0, 0
            for _ in range(runs):
                seconds, run_peak, code = measure(command, 1, args.timeout)
                peak = max(peak, run_peak)
                timed["check"].append(seconds)
                timed["check_cpu"].append(CPU[tuple(command)])
                timed["floor"].append(measure(floors[0], 1, args.timeout)[0])
                timed["paused"].append(measure(floors[1], 1, args.timeout)[0])
                timed["paused_cpu"].append(CPU[tuple(floors[1])])
                if code not in (0, 1):
                    print(f"!! wavalidate exited {code} on {name} (input errors?)", file=sys.stderr)
            seconds, floor, paused = (statistics.median(timed[k]) for k in ("check", "floor", "paused"))
            row = {"kind": kind, "n": n, "bytes": len(text.encode()), "check": seconds, "peak": peak, "floor": floor,
                   "paused": paused, "check_cpu": statistics.median(timed["check_cpu"]),
                   "paused_cpu": statistics.median(timed["paused_cpu"]), "cfn-lint": None, "checkov": None}
            if kind == "cfn" and n <= competitor_max:
                competitor_runs = 3 if n <= 1000 and not args.quick else 1
                if cfn_lint:
                    row["cfn-lint"] = measure([cfn_lint, name], competitor_runs, args.timeout)[0]
                if checkov:
                    row["checkov"] = measure(checkov + ["-f", name, "--framework", "cloudformation", "--quiet",
                                                        "--compact", "--skip-download"],
                                             competitor_runs, args.timeout)[0]
            rows.append(row)
            results[(kind, n)] = row
            print(f"  {kind:<4} {n:>6,}: check {fmt(seconds)} s, {peak:.0f} MiB; floor {fmt(floor)} s, "
                  f"paused {fmt(paused)} s"
                  + (f"; cfn-lint {fmt(row['cfn-lint'])} s" if row["cfn-lint"] is not None else "")
                  + (f"; checkov {fmt(row['checkov'])} s" if row["checkov"] is not None else ""),
                  file=sys.stderr, flush=True)

    print(f"# load average {os.getloadavg()[0]:.1f} at the end; CPU ratios are user + system time")
    print("| input | resources | size | wavalidate check (s) | peak RSS (MiB) | parse floor (s) | check / floor "
          "| GC-paused floor (s) | check / paused floor (wall, CPU) | cfn-lint (s) | Checkov (s) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {'architecture' if r['kind'] == 'arch' else 'CloudFormation'} | {r['n']:,} | "
              f"{r['bytes'] / 1e6:.1f} MB | {fmt(r['check'])} | {r['peak']:.0f} | {fmt(r['floor'])} | "
              f"{r['check'] / r['floor']:.1f}x | {fmt(r['paused'])} | {r['check'] / r['paused']:.2f}x, "
              f"{r['check_cpu'] / r['paused_cpu']:.2f}x | "
              f"{fmt(r['cfn-lint']) if r['cfn-lint'] is not None else '-'} | "
              f"{fmt(r['checkov']) if r['checkov'] is not None else '-'} |")
    print()
    print(f"startup: check on 10 resources {startup['arch']:.3f} s (architecture), {startup['cfn']:.3f} s "
          f"(template); `python -c \"{IMPORTS}\"` {imports:.3f} s")
    print()
    print("| target | measured | goal | met |")
    print("| --- | ---: | ---: | --- |")

    def target(label: str, value, goal: str, ok) -> None:
        if value is None:
            print(f"| {label} | n/a | {goal} | - |")
        else:
            print(f"| {label} | {value} | {goal} | {'yes' if ok else 'NO'} |")

    cfn_1000 = results.get(("cfn", 1000))
    if cfn_1000 and cfn_1000["cfn-lint"] is not None:
        ratio = cfn_1000["cfn-lint"] / cfn_1000["check"]
        target("vs cfn-lint, 1,000-resource template", f"{ratio:.1f}x faster", ">= 20x", ratio >= 20)
    else:
        target("vs cfn-lint, 1,000-resource template", None, ">= 20x", None)
    if cfn_1000 and cfn_1000["checkov"] is not None:
        ratio = cfn_1000["checkov"] / cfn_1000["check"]
        target("vs Checkov, 1,000-resource template", f"{ratio:.1f}x faster", ">= 10x", ratio >= 10)
    else:
        target("vs Checkov, 1,000-resource template", None, ">= 10x", None)
    for kind in ("arch", "cfn"):
        big = max((n for (k, n) in results if k == kind), default=None)
        if big is not None and big >= 10000:
            r = results[(kind, big)]
            ratio = r["check"] / r["floor"]
            target(f"{kind} {big:,}: total / C-loader parse floor", f"{ratio:.2f}x", "<= 3x", ratio <= 3)
        for small, large in ((1000, 10000), (5000, 50000)):
            if (kind, small) in results and (kind, large) in results:
                ratio = results[(kind, large)]["check"] / results[(kind, small)]["check"]
                target(f"{kind}: time({large:,}) / time({small:,})", f"{ratio:.1f}x", "<= 12x", ratio <= 12)
        if (kind, 10000) in results and (kind, 50000) in results:
            ratio = results[(kind, 50000)]["check"] / results[(kind, 10000)]["check"]
            target(f"{kind}: time(50,000) / time(10,000) (5x the resources)", f"{ratio:.1f}x", "<= 6x", ratio <= 6)
    for kind in ("cfn", "arch"):
        for n in (1000, 20000):
            if (kind, n) in results:
                r = results[(kind, n)]
                ratio, cpu_ratio = r["check"] / r["paused"], r["check_cpu"] / r["paused_cpu"]
                target(f"{kind} {n:,}: total / GC-paused parse floor (wall; CPU)", f"{ratio:.2f}x; {cpu_ratio:.2f}x",
                       "<= 2x", ratio <= 2)
    for kind, label in (("arch", "architecture"), ("cfn", "template")):
        ratio = startup[kind] / imports
        target(f"startup, 10-resource {label} / imports", f"{ratio:.2f}x", "<= 1.5x", ratio <= 1.5)
    for kind in ("arch", "cfn"):
        if (kind, 50000) in results:
            peak = results[(kind, 50000)]["peak"]
            target(f"{kind} 50,000: peak memory", f"{peak:.0f} MiB", "< 1024 MiB", peak < 1024)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    main()
