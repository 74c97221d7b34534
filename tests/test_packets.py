"""The packet-filter algebra the NACL and security group rules share."""
from __future__ import annotations

import ipaddress

from hypothesis import given
from hypothesis import strategies as st

from wavalidate.api import (
    ALL_PORTS,
    AclEntry,
    acl_entries,
    allowed_ports,
    cidr_or_none,
    port_range,
    protocol_number,
    show_ports,
    subtract,
    supernets,
    uncovered,
)
from wavalidate.model import Architecture

small_ports = st.integers(0, 300)  # small, so the property can enumerate every port
intervals = st.tuples(small_ports, small_ports).map(sorted).map(tuple)


def test_parsing():
    assert [protocol_number(v) for v in ("TCP", "udp", "all", -1, "6", "icmpv6", "gre")] == [6, 17, -1, -1, 6, 58, -2]
    assert port_range("443", 6) == (443, 443)
    assert port_range("1024-65535", 6) == (1024, 65535)
    assert port_range(None, 6) == port_range("*", 6) == port_range("22", -1) == ALL_PORTS
    assert [show_ports(p) for p in ((22, 22), (80, 90), ALL_PORTS)] == ["port 22", "ports 80-90", "all ports"]
    assert cidr_or_none("10.0.0.5/24") == ipaddress.ip_network("10.0.0.0/24")
    assert cidr_or_none("nonsense") is None and cidr_or_none(None) is None


def test_subtract_and_uncovered():
    assert subtract([(0, 100)], 10, 20) == [(0, 9), (21, 100)]
    assert subtract([(0, 100)], 0, 100) == []
    assert subtract([(0, 5), (50, 60)], 6, 49) == [(0, 5), (50, 60)]
    assert uncovered([(1024, 2000), (3000, 65535)], 1024, 65535) == [(2001, 2999)]
    assert uncovered([(0, 65535)], 1024, 65535) == []


@given(st.lists(intervals, max_size=6), intervals)
def test_uncovered_is_exactly_the_ports_no_interval_covers(covering, target):
    low, high = target
    left = [p for a, b in uncovered(covering, low, high) for p in range(a, b + 1)]
    assert left == [p for p in range(low, high + 1) if not any(a <= p <= b for a, b in covering)]


def test_first_match_wins():
    acl = Architecture({"resources": {"acl": {"type": "network_acl", "vpc": "v", "inbound": [
        {"rule": 200, "action": "allow", "protocol": "tcp", "ports": "1024-65535", "cidr": "0.0.0.0/0"},
        {"rule": 100, "action": "deny", "protocol": "tcp", "ports": "2000-3000", "cidr": "10.0.0.0/8"},
        {"rule": 150, "action": "allow", "protocol": "udp", "ports": "all", "cidr": "10.0.0.0/8"},
    ]}, "v": {"type": "vpc", "cidr": "10.0.0.0/16"}}}).get("acl")
    entries = acl_entries(acl, "inbound")
    assert [(e.number, e.index) for e in entries] == [(100, 1), (150, 2), (200, 0)]
    inside, outside = ipaddress.ip_address("10.1.2.3"), ipaddress.ip_address("192.0.2.1")
    assert allowed_ports(entries, 6, inside, 1024, 65535) == [(1024, 1999), (3001, 65535)]
    assert allowed_ports(entries, 6, outside, 1024, 65535) == [(1024, 65535)]
    assert allowed_ports(entries, 17, inside, 0, 65535) == [(0, 65535)]
    assert allowed_ports(entries, 1, outside, 0, 65535) == []  # no rule matches icmp: the implicit deny


def test_entry_matching_respects_the_ip_version():
    entry = AclEntry(0, {"rule": 1, "action": "allow", "protocol": "-1", "cidr": "::/0"})
    assert entry.matches(6, ipaddress.ip_address("2001:db8::1"))
    assert not entry.matches(6, ipaddress.ip_address("10.0.0.1"))
    assert AclEntry(0, {"rule": 1, "action": "allow", "protocol": "tcp", "cidr": "bad"}).net is None


def test_supernets_run_from_the_block_to_everything():
    keys = list(supernets(ipaddress.ip_network("10.1.0.0/16")))
    assert keys[0] == (4, 16, int(ipaddress.ip_address("10.1.0.0")))
    assert keys[-1] == (4, 0, 0) and len(keys) == 17
