"""Precision and recall of wavalidate on the precision corpus (benchmarks/precision/corpus).

Each architecture `NN-name.yaml` has `NN-name.expect.yaml`:

    expected:                 # the findings a reviewer agrees with
      - {code: REL001, resource: orders-db}
      - {code: SUS914, optional: true}          # right if it appears, not a miss if it does not
      - {code: SEC550, at_most: low}            # right only at this severity or below
      - {code: REL662, resource: x, message_not: "no VPN backs"}   # and the message must not say this
    must_not:                 # traps: findings that would be false positives
      - {code: SEC550, why: the organisation trail covers the account}

Every finding that matches no `expected` entry is a false positive (so a
must_not entry documents a trap; it is counted like any other unexpected
finding). A non-optional expected entry that no finding matches is a miss.

    python benchmarks/precision/score.py [--min 0.95] [-v]

prints recall and precision at medium and above and for all severities,
with every false positive and miss, and exits 1 below `--min`.
"""
from __future__ import annotations

import argparse
import glob
import os
import sys
from dataclasses import dataclass, field

import yaml

from wavalidate.engine import check_files
from wavalidate.plugins import load_rules

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
MEDIUM = RANK["medium"]


@dataclass
class Score:
    """Counts at one severity floor."""

    true: int = 0
    false: int = 0
    hits: int = 0
    wanted: int = 0
    false_positives: list = field(default_factory=list)
    misses: list = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true / (self.true + self.false) if self.true + self.false else 1.0

    @property
    def recall(self) -> float:
        return self.hits / self.wanted if self.wanted else 1.0


def _matches(entry: dict, finding) -> bool:
    if entry.get("code") != finding.code:
        return False
    if "resource" in entry and entry["resource"] != finding.resource:
        return False
    if entry.get("message") and entry["message"] not in finding.message:
        return False
    if entry.get("message_not") and entry["message_not"] in finding.message:
        return False
    return RANK[finding.severity] <= RANK[entry.get("at_most", "critical")]


def architectures(corpus: str = CORPUS) -> list[str]:
    return sorted(p for p in glob.glob(os.path.join(corpus, "*.yaml")) if not p.endswith(".expect.yaml"))


def score(corpus: str = CORPUS) -> dict[str, Score]:
    """Scores at two floors: "medium" (medium and above) and "all"."""
    rules, errors = load_rules()
    if errors:
        raise SystemExit(f"rule packs failed: {errors}")
    scores = {"medium": Score(), "all": Score()}
    for path in architectures(corpus):
        with open(path[:-5] + ".expect.yaml", encoding="utf-8") as handle:
            expect = yaml.safe_load(handle) or {}
        expected = list(expect.get("expected") or [])
        findings = [f for f in check_files([path], rules).findings if f.code[0] != "W"]
        name = os.path.basename(path)
        problems = [f for f in findings if f.code.startswith("E")]
        if problems:
            raise SystemExit(f"{name}: {problems[0].line}:{problems[0].col} {problems[0].message}")
        for floor, score_ in scores.items():
            floor_rank = MEDIUM if floor == "medium" else 0
            seen = [f for f in findings if RANK[f.severity] >= floor_rank]
            matched: set[int] = set()
            for finding in seen:
                hit = [i for i, entry in enumerate(expected) if _matches(entry, finding)]
                if hit:
                    score_.true += 1
                    matched.update(hit)
                else:
                    score_.false += 1
                    trap = next((e for e in expect.get("must_not") or () if _matches(
                        {k: v for k, v in e.items() if k != "why"}, finding)), None)
                    why = f"  [trap: {trap.get('why', 'listed in must_not')}]" if trap else ""
                    score_.false_positives.append(f"{name}:{finding.line}:{finding.col} {finding.severity} "
                                                  f"{finding.code} {finding.message}{why}")
            for i, entry in enumerate(expected):
                if entry.get("optional"):
                    continue
                # an entry allowed only below the floor is not wanted at it
                if RANK[entry.get("at_most", "critical")] < floor_rank:
                    continue
                score_.wanted += 1
                if i in matched:
                    score_.hits += 1
                else:
                    score_.misses.append(f"{name}: {entry}")
    return scores


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min", type=float, default=0.95, help="fail below this precision or recall")
    parser.add_argument("--corpus", default=CORPUS)
    args = parser.parse_args(argv)
    scores = score(args.corpus)
    print(f"{len(architectures(args.corpus))} architectures")
    for floor, s in scores.items():
        label = "medium and above" if floor == "medium" else "all severities"
        print(f"{label:17}  precision {s.precision:.2f} ({s.true}/{s.true + s.false})  "
              f"recall {s.recall:.2f} ({s.hits}/{s.wanted})")
    for floor, s in scores.items():
        for line in s.false_positives:
            print(f"false positive [{floor}]: {line}")
        for line in s.misses:
            print(f"miss [{floor}]: {line}")
    medium = scores["medium"]
    return 0 if medium.precision >= args.min and medium.recall >= args.min else 1


if __name__ == "__main__":
    sys.exit(main())
