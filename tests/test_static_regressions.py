"""Regressions for bugs found by static analysis (ruff, mypy) and the Python 3.10 check."""
from __future__ import annotations

import textwrap
from datetime import datetime, timedelta, timezone

import pytest
import yaml

from wavalidate import loader
from wavalidate.locations import Span
from wavalidate.policy import Request
from wavalidate.policy.conditions import evaluate_condition
from wavalidate.policy.model import Condition
from wavalidate.suppress import Entry, check_entry, today

USER = "arn:aws:iam::111122223333:user/alice"


def _date_equals(value: str, expected: str) -> object:
    request = Request(USER, "s3:GetObject", "arn:aws:s3:::bucket/key", context={"aws:CurrentTime": value})
    result, _ = evaluate_condition(Condition("DateEquals", "aws:CurrentTime", (expected,), ("Condition",)), request,
                                   True)
    return result


# datetime.fromisoformat on Python 3.10 refused all of these, so the same policy was unknown there and
# decided on 3.11+.
@pytest.mark.parametrize("value", [
    "2024-01-01T00:00:00.1Z",
    "2024-01-01T00:00:00.12Z",
    "2024-01-01T00:00:00.1234567Z",
    "2024-01-01T00:00:00,5Z",
    "2024-01-01T00:00:00+0000",
    "2024-01-01T00:00:00+00",
    "2024-01-01T05:30:00.000+05:30",
    "2023-12-31T19:00:00-05",
    "2024-01-01 00:00Z",
    "2024-01-01t00:00:00z",
])
def test_iso_dates_read_the_same_on_every_python(value: str) -> None:
    moment = datetime(2024, 1, 1, tzinfo=timezone.utc)
    fraction = {"2024-01-01T00:00:00.1Z": timedelta(milliseconds=100),
                "2024-01-01T00:00:00.12Z": timedelta(milliseconds=120),
                "2024-01-01T00:00:00.1234567Z": timedelta(microseconds=123456),
                "2024-01-01T00:00:00,5Z": timedelta(milliseconds=500)}.get(value, timedelta())
    assert _date_equals(value, (moment + fraction).isoformat()) is True


@pytest.mark.parametrize("value", ["2024-01-01T00:00:00", "2024-01-01T24:00:00Z", "2024-02-30T00:00:00Z",
                                   "2024-01-01T00:00:00+24:00", "20240101T000000Z", "2024-W01-1T00:00:00Z"])
def test_dates_without_zone_or_outside_the_w3c_profile_stay_unknown(value: str) -> None:
    assert _date_equals(value, "2024-01-01T00:00:00Z") is None


def _entry(expires: str) -> Entry:
    return Entry("REL001", "accepted for the pilot environment", "comment", "arch.yaml", Span.point(3, 5),
                 Span.point(3, 30), expires=expires)


def test_expires_must_be_yyyy_mm_dd_on_every_python() -> None:
    # Python 3.11's date.fromisoformat also reads 20990101 and 2099-W01-1; 3.10 refused them.
    for expires in ("20990101", "2099-W01-1"):
        problem = check_entry(_entry(expires), today("2026-06-01"))
        assert problem is not None and problem.code == "E301", expires
    assert check_entry(_entry("2099-01-01"), today("2026-06-01")) is None


def test_nesting_error_without_a_mark_still_becomes_a_load_error(monkeypatch) -> None:
    def parse(*_args, **_kwargs):
        raise yaml.MarkedYAMLError(problem="exceeded the maximum nesting depth")
        yield  # pragma: no cover

    monkeypatch.setattr(loader.yaml, "parse", parse)
    with pytest.raises(loader.LoadError) as caught:
        loader.load_yaml("a: 1\n")
    assert caught.value.code == "E104" and caught.value.span == Span.point(1, 1)


def test_sample_graph_names_an_invalid_sample(tmp_path) -> None:
    from wavalidate.render.samples import sample_graph
    bad = tmp_path / "samples" / "broken.yaml"
    bad.parent.mkdir()
    bad.write_text(textwrap.dedent("""\
        version: 1
        resources:
          db: {type: rds_instance}
        """), encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.yaml is not a valid architecture"):
        sample_graph(str(bad), str(tmp_path))
