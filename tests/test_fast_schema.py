"""The compiled fast validator accepts exactly what cerberus accepts."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wavalidate.schema.types import RESOURCE_TYPES, resource_field
from wavalidate.schema.validate import _fast, _validator

from .test_properties import value_for

JUNK = st.one_of(st.none(), st.booleans(), st.integers(-10, 10 ** 6), st.floats(allow_nan=False),
                 st.text(max_size=5), st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3),
                                                                                          st.integers(), max_size=2))


@st.composite
def resource_or_broken(draw):
    kind = draw(st.sampled_from(sorted(RESOURCE_TYPES)))
    fields = dict(resource_field(kind).fields or {})
    body = draw(value_for(resource_field(kind), 0, {"a": kind, "b": "vpc"}))
    body["type"] = kind
    if draw(st.booleans()):
        key = draw(st.sampled_from(sorted(fields) + ["not_a_field"]))
        body[key] = draw(JUNK)
    if draw(st.integers(0, 4)) == 0 and len(body) > 1:
        body.pop(draw(st.sampled_from(sorted(k for k in body if k != "type"))))
    return kind, body


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(resource_or_broken())
def test_fast_validator_agrees_with_cerberus(case):
    kind, body = case
    assert _fast(kind)(body) == _validator(kind).validate(body), (kind, body, _validator(kind).errors)
