"""Packet-filter algebra: protocols, port ranges as closed intervals, and first-match rule lists.

Network ACL entries and security group rules name a protocol, a port range
and a CIDR. Ports are closed intervals (low, high); an ACL direction is a
list of entries evaluated in rule-number order, the first match deciding.
Exported through `wavalidate.api`.
"""
from __future__ import annotations

import ipaddress
from typing import Any, Iterable, Iterator, Optional, Union

IPNetwork = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]
Interval = tuple[int, int]

PROTOCOL_NUMBERS = {"tcp": 6, "udp": 17, "icmp": 1, "icmpv6": 58, "all": -1, "-1": -1}
ALL_PORTS = (0, 65535)


def cidr_or_none(text: Any) -> Optional[IPNetwork]:
    """An ip_network for a CIDR string (host bits allowed), or None when it is not one."""
    try:
        return ipaddress.ip_network(str(text), strict=False)
    except ValueError:
        return None


def protocol_number(value: Any) -> int:
    """The IP protocol number of `tcp`, `udp`, `icmp`, `icmpv6`, `all`/-1 or a number; -2 for anything else."""
    text = str(value).strip().lower()
    if text in PROTOCOL_NUMBERS:
        return PROTOCOL_NUMBERS[text]
    try:
        return int(text)
    except ValueError:
        return -2  # unknown: matches only itself


def port_range(value: Any, protocol: int) -> Interval:
    """(low, high) of a `ports` value; all ports for a missing value, `all`, or the all-protocols rule."""
    if protocol == -1 or value is None:
        return ALL_PORTS
    text = str(value).strip().lower()
    if text in ("all", "*"):
        return ALL_PORTS
    if "-" in text:
        low, high = text.split("-", 1)
        return int(low), int(high)
    return int(text), int(text)


def show_ports(ports: Interval) -> str:
    low, high = ports
    if (low, high) == ALL_PORTS:
        return "all ports"
    return f"port {low}" if low == high else f"ports {low}-{high}"


class AclEntry:
    """One NACL rule with its fields parsed."""

    __slots__ = ("index", "number", "allow", "protocol", "ports", "net", "raw")

    def __init__(self, index: int, raw: Any) -> None:
        self.index = index
        self.raw = raw
        self.number = raw.get("rule")
        self.allow = raw.get("action") == "allow"
        self.protocol = protocol_number(raw.get("protocol"))
        self.ports = port_range(raw.get("ports"), self.protocol)
        self.net = cidr_or_none(raw.get("cidr"))

    def matches(self, protocol: int, address: Any) -> bool:
        return ((self.protocol == -1 or self.protocol == protocol) and self.net is not None
                and address.version == self.net.version and address in self.net)


def acl_entries(acl: Any, direction: str) -> list[AclEntry]:
    """A network ACL's rules of one direction (`inbound`, `outbound`) in evaluation order."""
    entries = [AclEntry(i, raw) for i, raw in enumerate(acl.get(direction) or ())]
    return sorted(entries, key=lambda e: (e.number, e.index))


def subtract(intervals: Iterable[Interval], low: int, high: int) -> list[Interval]:
    """The intervals less [low, high]."""
    out = []
    for a, b in intervals:
        if b < low or a > high:
            out.append((a, b))
            continue
        if a < low:
            out.append((a, low - 1))
        if b > high:
            out.append((high + 1, b))
    return out


def allowed_ports(entries: Iterable[AclEntry], protocol: int, address: Any, low: int, high: int) -> list[Interval]:
    """The ports in [low, high] that a NACL direction allows for one protocol and address (first match wins)."""
    undecided = [(low, high)]
    allowed = []
    for entry in entries:
        if not undecided:
            break
        if not entry.matches(protocol, address):
            continue
        a, b = entry.ports
        if entry.allow:
            for u, v in undecided:
                lo, hi = max(u, a), min(v, b)
                if lo <= hi:
                    allowed.append((lo, hi))
        undecided = subtract(undecided, a, b)
    return allowed


def uncovered(intervals: Iterable[Interval], low: int, high: int) -> list[Interval]:
    """The parts of [low, high] that none of the intervals covers."""
    left = [(low, high)]
    for a, b in intervals:
        left = subtract(left, a, b)
    return left


def supernets(net: IPNetwork) -> Iterator[tuple[int, int, int]]:
    """Every block containing `net`, itself included, as (version, prefix length, first address) keys."""
    for prefix in range(net.prefixlen, -1, -1):
        yield (net.version, prefix, int(net.supernet(new_prefix=prefix).network_address))
