"""How wavalidate reads a folder of real CloudFormation templates.

    python benchmarks/corpus.py PATH [--jobs N]

Every template under PATH (.yaml, .yml, .json, .template) is checked in its
own `wavalidate check -f json` process, timed whole-process. Printed:
templates checked, exit codes, tracebacks, E9xx findings, the share of
resources whose type is read (overall, and the 20 most common unread types),
findings per rule, and time per template (median, max). Figures are printed,
never asserted. Run it with `nice -n 19` on a shared machine.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

EXTENSIONS = (".yaml", ".yml", ".json", ".template")
COMMAND = [sys.executable, "-m", "wavalidate", "check", "-f", "json", "--fail-on", "never"]


def templates(root: str) -> list[str]:
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        found.extend(os.path.join(folder, f) for f in sorted(files) if f.endswith(EXTENSIONS))
    return found


def run(path: str, root: str) -> dict:
    """One check, run from the corpus folder: it is the repository root the reads are confined to."""
    start = time.perf_counter()
    result = subprocess.run(COMMAND + [path], capture_output=True, text=True, check=False, cwd=root)
    elapsed = time.perf_counter() - start
    findings: list = []
    try:
        findings = json.loads(result.stdout).get("findings", [])
    except ValueError:
        pass
    return {"path": path, "exit": result.returncode, "seconds": elapsed, "findings": findings,
            "traceback": "Traceback (most recent call last)" in result.stderr, "stderr": result.stderr}


def resource_types(path: str) -> list[str]:
    """The `Type` of every resource of a template (empty when it does not parse)."""
    from wavalidate.cloudformation.importer import parse
    from wavalidate.loader import LoadError
    try:
        with open(path, encoding="utf-8") as handle:
            data, _ = parse(handle.read())
    except (LoadError, UnicodeDecodeError, OSError):
        return []
    resources = data.get("Resources") if isinstance(data, dict) else None
    return [body["Type"] for body in (resources or {}).values()
            if isinstance(body, dict) and isinstance(body.get("Type"), str)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--list", action="store_true", help="also list each template with exit 2 and its error")
    args = parser.parse_args()
    from wavalidate.cloudformation.translate import TYPES
    args.path = os.path.abspath(args.path)
    paths = templates(args.path)
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda path: run(path, args.path), paths))
    exits = collections.Counter(r["exit"] for r in results)
    by_rule = collections.Counter(f["code"] for r in results for f in r["findings"])
    e9 = [(r["path"], f) for r in results for f in r["findings"] if f["code"].startswith("E9")]
    types = collections.Counter(t for p in paths for t in resource_types(p))
    total = sum(types.values())
    read = sum(n for t, n in types.items() if t in TYPES)
    unread = collections.Counter({t: n for t, n in types.items() if t not in TYPES})
    times = sorted(r["seconds"] for r in results)
    print(f"templates checked: {len(results)}")
    print("exit codes: " + ", ".join(f"{code}: {n}" for code, n in sorted(exits.items())))
    print(f"tracebacks: {sum(r['traceback'] for r in results)}")
    for r in results:
        if r["traceback"]:
            print(f"  {os.path.relpath(r['path'], args.path)}: {r['stderr'].strip().splitlines()[-1]}")
    print(f"E9xx findings: {len(e9)}")
    for path, finding in e9:
        print(f"  {os.path.relpath(path, args.path)}:{finding['line']}: {finding['code']} {finding['message']}")
    if total:
        print(f"resources: {total}, of a type that is read: {read} ({100 * read / total:.1f} %)")
    print("most common unread types:")
    for name, count in unread.most_common(20):
        print(f"  {count:>5}  {name}")
    print("findings per rule:")
    for code, count in sorted(by_rule.items()):
        print(f"  {code:<8} {count}")
    if times:
        print(f"time per template: median {statistics.median(times):.3f} s, max {times[-1]:.3f} s")
    if args.list:
        print("exit 2:")
        for r in results:
            if r["exit"] == 2:
                first = next((f for f in r["findings"] if f["code"].startswith("E")), None)
                reason = f"{first['line']}:{first['column']} {first['code']} {first['message']}" if first else \
                    r["stderr"].strip()[-200:]
                print(f"  {os.path.relpath(r['path'], args.path)}: {reason}")


if __name__ == "__main__":
    main()
