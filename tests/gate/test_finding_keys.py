"""Finding identities that ignore lines: baseline keys and SARIF fingerprints; annotation escaping."""
from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from wavalidate.finding_keys import fingerprint, fingerprints, key, path_text
from wavalidate.findings import Finding
from wavalidate.formats.github import escape_data, escape_property
from wavalidate.locations import Span

FINDING = Finding("infra/a.yaml", Span(7, 15, 7, 20), "PERF001", "high", "VPN `v` must carry 3 Gbps, has 2.5 Gbps",
                  "vpn-bandwidth", "performance-efficiency", "v", ("resources", "v", "routing"))


def test_path_text():
    assert path_text(("resources", "sg", "ingress", 2, "cidr")) == "resources.sg.ingress[2].cidr"
    assert path_text(()) == "" and path_text((0,)) == "[0]"


def test_key_and_fingerprint_ignore_lines_and_numbers_but_not_identity():
    moved = replace(FINDING, span=Span(70, 3, 70, 9))
    assert key(moved) == key(FINDING) == ("infra/a.yaml", "PERF001", "v", "resources.v.routing")
    assert key(FINDING, with_file=False) == ("PERF001", "v", "resources.v.routing")
    assert fingerprint(moved) == fingerprint(FINDING)
    assert fingerprint(replace(FINDING, message="VPN `v` must carry 4 Gbps, has 1.25 Gbps")) == fingerprint(FINDING)
    assert fingerprint(replace(FINDING, resource="w")) != fingerprint(FINDING)
    assert fingerprint(replace(FINDING, file="infra/b.yaml")) != fingerprint(FINDING)
    assert fingerprint(replace(FINDING, file="./infra/a.yaml")) == fingerprint(FINDING)
    assert fingerprint(replace(FINDING, message="VPN `w` must carry 3 Gbps")) != fingerprint(FINDING)


def test_repeated_fingerprints_are_numbered():
    first, second, third = fingerprints([FINDING, FINDING, replace(FINDING, code="PERF002")])
    assert second == first + ":2" and ":" not in third


def _unescape(text: str, table) -> str:
    out, i = "", 0
    while i < len(text):
        if text[i] == "%" and text[i + 1:i + 3] in table:
            out += table[text[i + 1:i + 3]]
            i += 3
        else:
            out += text[i]
            i += 1
    return out


@given(st.text())
def test_annotation_escapes_round_trip_and_stay_on_one_line(text):
    data = escape_data(text)
    assert "\n" not in data and "\r" not in data
    assert _unescape(data, {"25": "%", "0D": "\r", "0A": "\n"}) == text
    prop = escape_property(text)
    assert not set(prop) & {"\n", "\r", ":", ","}
    assert _unescape(prop, {"25": "%", "0D": "\r", "0A": "\n", "3A": ":", "2C": ","}) == text
