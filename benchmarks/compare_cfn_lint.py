"""What wavalidate, cfn-lint and Checkov each report on the same templates, concern by concern.

    python benchmarks/compare_cfn_lint.py                       # tests/cloudformation/templates
    python benchmarks/compare_cfn_lint.py TEMPLATE... --markdown

For each concern the tools share (RDS Multi-AZ and encryption, security
groups open to the internet, S3 public access, ...) it prints, per template
resource, where each tool reports it: `line:col` for wavalidate (the
property at fault), `line:col` for cfn-lint, the resource's line range for
Checkov, or `-` for nothing. wavalidate runs with the requirements of
tests/cloudformation (availability 99.95 %, 3 Gbps), since its architecture
rules judge the design against them and a template cannot state them.
Checkov is looked for on PATH, in $CHECKOV, then in /tmp/checkov-venv.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "src"))

# concern: (wavalidate codes, cfn-lint rule ids, Checkov check ids)
CONCERNS = {
    "RDS Multi-AZ": ({"REL001"}, set(), {"CKV_AWS_157"}),
    "RDS storage encryption": ({"SEC400"}, {"E3709", "E3720"}, {"CKV_AWS_16"}),
    "security group open to the internet (admin/database ports)": (
        {"SEC116"}, set(), {"CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"}),
    "S3 public access": ({"SEC300"}, set(), {"CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"}),
    "VPN bandwidth / Transit Gateway ECMP": ({"PERF001", "PERF002", "PERF003"}, set(), set()),
    "network ACL rules (return traffic, shadowing, empty ACL)": ({"REL113", "SEC112", "REL124"}, set(),
                                                                  {"CKV_AWS_230", "CKV_AWS_231", "CKV_AWS_232"}),
    "CloudTrail all Regions / log validation": ({"SEC551", "SEC550"}, set(), {"CKV_AWS_36", "CKV_AWS_67"}),
    "CloudFront HTTPS / WAF": ({"SEC851", "SEC852"}, set(), {"CKV_AWS_34", "CKV_AWS_68"}),
    "SNS to SQS delivery allowed by the queue policy": ({"REL755"}, set(), set()),
    "API Gateway authorization and throttling": ({"SEC750", "REL750"}, set(), {"CKV_AWS_59", "CKV_AWS_120"}),
    "IAM wildcard permissions": ({"SEC508", "SEC509", "SEC517", "SEC519"}, set(),
                                 {"CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_109", "CKV_AWS_110", "CKV_AWS_111"}),
}
REQUIREMENTS = {"availability": 99.95, "rto": "1h", "rpo": "15m", "bandwidth": "3Gbps"}


def wavalidate_findings(path: str) -> list[tuple[str, str, str]]:
    """(code, resource, "line:col") of each finding."""
    from wavalidate.engine import Options, check_file
    from wavalidate.plugins import load_rules
    rules, _ = load_rules()
    return [(f.code, f.resource or "(template)", f"{f.line}:{f.col}")
            for f in check_file(path, rules, Options(requirements=REQUIREMENTS))]


def cfn_lint_findings(path: str) -> list[tuple[str, str, str]]:
    exe = shutil.which("cfn-lint")
    if exe is None:
        return []
    out = subprocess.run([exe, "--format", "json", path], capture_output=True, text=True).stdout
    found = []
    for item in json.loads(out or "[]"):
        where = item.get("Location", {})
        steps = where.get("Path") or []
        resource = steps[1] if len(steps) > 1 and steps[0] == "Resources" else "(template)"
        start = where.get("Start", {})
        found.append((item["Rule"]["Id"], resource, f"{start.get('LineNumber')}:{start.get('ColumnNumber')}"))
    return found


def checkov_exe():
    for candidate in (shutil.which("checkov"), os.environ.get("CHECKOV"), "/tmp/checkov-venv/bin/checkov"):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def checkov_findings(path: str) -> list[tuple[str, str, str]]:
    exe = checkov_exe()
    if exe is None:
        return []
    out = subprocess.run([exe, "-f", path, "--framework", "cloudformation", "-o", "json", "--quiet", "--compact",
                          "--skip-download"], capture_output=True, text=True).stdout
    data = json.loads(out or "{}")
    found = []
    for report in data if isinstance(data, list) else [data]:
        for check in report.get("results", {}).get("failed_checks", []):
            resource = check["resource"].split(".", 1)[-1]
            low, high = check.get("file_line_range") or (0, 0)
            found.append((check["check_id"], resource, f"lines {low}-{high}"))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("templates", nargs="*")
    args = parser.parse_args()
    templates = args.templates or sorted(glob.glob(os.path.join(ROOT, "tests", "cloudformation", "templates", "*")))
    tools = {"wavalidate": wavalidate_findings, "cfn-lint": cfn_lint_findings, "Checkov": checkov_findings}
    results = {name: {t: run(t) for t in templates} for name, run in tools.items()}
    print(f"cfn-lint: {'found' if shutil.which('cfn-lint') else 'not installed'}; "
          f"Checkov: {checkov_exe() or 'not installed'}")
    for concern, codes in CONCERNS.items():
        rows = {}
        for index, name in enumerate(tools):
            for template in templates:
                for code, resource, where in results[name][template]:
                    if code in codes[index]:
                        key = (os.path.basename(template), resource)
                        rows.setdefault(key, {n: [] for n in tools})[name].append(f"{code} {where}")
        print(f"\n### {concern}\n")
        print("| template | resource | " + " | ".join(tools) + " |")
        print("| --- | --- |" + " --- |" * len(tools))
        if not rows:
            print("| - | - |" + " - |" * len(tools))
        for (template, resource), cells in sorted(rows.items()):
            print(f"| {template} | {resource} | " + " | ".join("<br>".join(cells[n]) or "-" for n in tools) + " |")
    totals = {name: sum(len(v) for v in results[name].values()) for name in tools}
    print("\nall findings: " + ", ".join(f"{name} {count}" for name, count in totals.items()))


if __name__ == "__main__":
    main()
