"""Wildcard matching: agrees with a regular-expression reading and stays fast on patterns made to explode."""
from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from wavalidate.engine import check_text
from wavalidate.plugins import load_rules
from wavalidate.policy import globs


def _reference(src: str, value: str, ignore_case: bool, colon_bound: bool) -> bool:
    star, one = ("[^:]*", "[^:]") if colon_bound else (".*", ".")
    parts = [star if t is globs.Wild.STAR else one if t is globs.Wild.ONE else re.escape(t)
             for t in globs.tokens(src)]
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.fullmatch("".join(parts), value, flags) is not None


@settings(max_examples=400, deadline=None)
@given(st.text("ab:*?\\A", max_size=8), st.text("abA:", max_size=8), st.booleans(), st.booleans())
def test_match_agrees_with_a_regex(src, value, ignore_case, colon_bound):
    assert globs.match(src, value, ignore_case=ignore_case, colon_bound=colon_bound) == \
        _reference(src, value, ignore_case, colon_bound)


def test_examples():
    assert globs.match("arn:aws:s3:::b/*", "arn:aws:s3:::b/x:y")
    assert not globs.match("arn:aws:s3:::b/*", "arn:aws:s3:::b/x:y", colon_bound=True)
    assert globs.match("s3:get*", "s3:GetObject", ignore_case=True)
    assert globs.match(globs.literal("a*[b]"), "a*[b]")
    assert not globs.match(globs.literal("a*"), "ab")
    assert globs.match("[ab]", "[ab]")  # `[` is an ordinary character in IAM patterns


STARS = "arn:aws:s3:::" + "*a" * 14 + "*c"
BUCKET = "a" * 60


def test_many_stars_do_not_backtrack():
    start = time.perf_counter()
    for colon_bound in (False, True):
        assert not globs.match(STARS, "arn:aws:s3:::" + BUCKET, colon_bound=colon_bound)
        assert globs.match(STARS, "arn:aws:s3:::" + BUCKET + "c", colon_bound=colon_bound)
    assert not globs.match("*a" * 2000 + "*c", "a" * 4000)
    assert time.perf_counter() - start < 1.0  # a backtracking matcher takes minutes here


def test_sec513_on_a_pattern_made_to_explode():
    arch = f"""\
version: 1
resources:
  only-a:
    type: iam_policy
    document:
      Version: "2012-10-17"
      Statement: {{Effect: Allow, Action: "s3:*", Resource: "{STARS}"}}
  app:
    type: iam_role
    permission_boundary: only-a
    trust_policy:
      Version: "2012-10-17"
      Statement: {{Effect: Allow, Principal: {{Service: ec2.amazonaws.com}}, Action: "sts:AssumeRole"}}
    policies:
      - Version: "2012-10-17"
        Statement: {{Effect: Allow, Action: "s3:GetObject", Resource: "arn:aws:s3:::{BUCKET}"}}
"""
    rules = [r for r in load_rules()[0] if r.code == "SEC513"]
    start = time.perf_counter()
    findings = check_text(arch, rules, name="case.yaml")
    assert time.perf_counter() - start < 1.0
    assert [(f.code, f.line) for f in findings] == [("SEC513", 16)]
