"""Violations that could rest on deploy-time values are dropped, whatever order a rule reads in."""
from __future__ import annotations

import dataclasses
import textwrap

from wavalidate.api import Violation, rule
from wavalidate.engine import _known_violations, check_document
from wavalidate.inputs import parse_document
from wavalidate.model import Architecture
from wavalidate.reads import could_read

TEXT = textwrap.dedent("""\
    version: 1
    resources:
      vpc: {type: vpc, cidr: 10.0.0.0/16}
      subnet-a: {type: subnet, vpc: vpc, cidr: 10.0.0.0/24, az: eu-west-1a}
      subnet-b: {type: subnet, vpc: vpc, cidr: 10.0.1.0/24, az: eu-west-1b}
      known-db: {type: rds_instance, engine: postgres, subnets: [subnet-a]}
      unknown-db: {type: rds_instance, engine: postgres, subnets: [subnet-a]}
      replica: {type: rds_instance, engine: postgres, subnets: [subnet-b], read_replica_of: unknown-db}
      placed-db: {type: rds_instance, engine: postgres, subnets: [subnet-b]}
    """)
# unknown-db's multi_az is a parameter without default; subnet-b's AZ is imported.
UNKNOWN = frozenset({("resources", "unknown-db", "multi_az"), ("resources", "subnet-b", "az")})


def document():
    return dataclasses.replace(parse_document("t.yaml", TEXT), unknown=UNKNOWN)


def _single_az(arch, db):
    return not db.multi_az and len(arch.azs_of(db)) == 1


@rule("TEST-REL001", severity="high", title="t")
def reads_then_yields(arch):
    """Reads every database first, then reports."""
    flagged = [db for db in arch.of_type("rds_instance") if _single_az(arch, db)]
    for db in flagged:
        yield Violation(db.path("multi_az"), db.name)


@rule("TEST-REL002", severity="high", title="t")
def yields_as_it_reads(arch):
    """Reports each database as soon as it is read, last one first."""
    for db in reversed(arch.of_type("rds_instance")):
        if _single_az(arch, db):
            yield Violation(db.path("multi_az"), db.name)


_MEMO: dict = {}


@rule("TEST-REL003", severity="high", title="t")
def cached_reads(arch):
    """Computes the verdicts once per model and reuses them: the second run reads nothing."""
    if arch not in _MEMO:
        _MEMO[arch] = [db.name for db in arch.of_type("rds_instance") if _single_az(arch, db)]
    for name in _MEMO[arch]:
        yield Violation(("resources", name, "multi_az"), name)


def kept(check) -> set:
    findings = check_document(document(), [check.__wavalidate_rule__])
    return {f.resource for f in findings}


def test_the_verdict_does_not_depend_on_read_order_or_caching():
    expected = {"known-db"}  # unknown-db: its own multi_az; replica and placed-db: subnet-b's AZ
    assert kept(reads_then_yields) == expected
    assert kept(yields_as_it_reads) == expected
    doc = document()
    arch = Architecture(doc.data, doc.name, doc.unknown)
    cached = cached_reads.__wavalidate_rule__
    for _ in range(2):  # the second run reads nothing, and must judge the same
        assert {v.path[1] for v in _known_violations(cached, list(cached.check(arch)), arch)} == expected


def test_unknown_near_covers_what_a_violation_can_rest_on():
    doc = document()
    arch = Architecture(doc.data, doc.name, doc.unknown)
    assert arch.unknown_near("unknown-db") == {"multi_az"}
    assert arch.unknown_near("placed-db") == {"az"}            # its subnet's AZ
    assert arch.unknown_near("replica") == {"az", "multi_az"}  # it rests on its source too
    assert arch.unknown_near("known-db") == frozenset()        # a database beside it is not what it rests on
    assert arch.unknown_near("vpc") == frozenset()             # a subnet's AZ is not the VPC's
    assert arch.unknown_near() == {"multi_az", "az"}
    assert arch.has_unknowns


def test_an_unknown_reference_reaches_the_neighbourhood():
    doc = dataclasses.replace(document(), unknown=frozenset({("resources", "known-db", "security_groups")}))
    arch = Architecture(doc.data, doc.name, doc.unknown)
    assert arch.unknown_near("unknown-db") == {"security_groups"}  # linked through subnet-a


def test_could_read_follows_helpers_and_model_methods():
    words = could_read(reads_then_yields)
    assert {"multi_az", "az", "subnets", "subnet"} <= words       # _single_az, then Architecture.azs_of
    assert "read_replica_of" not in words
    assert could_read(len) is None                                 # not Python code: any unknown counts


def test_garbage_is_reported_even_where_values_are_unknown():
    @rule("TEST-REL004", severity="high", title="t")
    def garbage(arch):
        yield "not a violation"

    [finding] = check_document(document(), [garbage.__wavalidate_rule__])
    assert finding.code == "E902"
