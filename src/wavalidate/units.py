"""Parsing of the format's durations, rates, sizes and zone names."""
from __future__ import annotations

import re
from typing import Optional

_NUMBER_UNIT = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]+(?:/s)?)\s*$")
# The units the format accepts, as written (the schema's patterns and error messages come from these).
DURATION_UNITS = ("ms", "s", "m", "min", "h", "d", "w", "y")
RATE_UNITS = ("bps", "Kbps", "Mbps", "Gbps", "Tbps", "B/s", "KB/s", "MB/s", "GB/s", "TB/s", "KiB/s", "MiB/s",
              "GiB/s")
SIZE_UNITS = ("B", "KB", "KiB", "MB", "MiB", "GB", "GiB", "TB", "TiB", "PB", "PiB")
_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400,
            "y": 365 * 86400}
_BYTES = {"b": 1, "kb": 1e3, "kib": 1024, "mb": 1e6, "mib": 1024 ** 2, "gb": 1e9, "gib": 1024 ** 3,
          "tb": 1e12, "tib": 1024 ** 4, "pb": 1e15, "pib": 1024 ** 5}
# Rates in bits, and in bytes per second (8 bits each): 5MB/s is 40 Mbps.
_BPS = {"bps": 1, "kbps": 1e3, "mbps": 1e6, "gbps": 1e9, "tbps": 1e12,
        **{f"{unit}/s": factor * 8 for unit, factor in _BYTES.items() if unit not in ("pb", "pib")}}
_ZONE_REGION = re.compile(r"^([a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-[0-9]+)")


def _parse(value: object, table: dict[str, float], lower: bool = True) -> Optional[float]:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    match = _NUMBER_UNIT.match(str(value))
    if not match:
        return None
    unit = match.group(2).lower() if lower else match.group(2)
    factor = table.get(unit)
    return None if factor is None else float(match.group(1)) * factor


def seconds(value: object) -> Optional[float]:
    """'15m' -> 900.0, '10y' -> 10 * 365 days; a bare number is already seconds."""
    return _parse(value, _SECONDS)


def bits_per_second(value: object) -> Optional[float]:
    """'1.25Gbps' -> 1.25e9; bytes count 8 bits: '5MB/s' -> 4e7."""
    return _parse(value, _BPS)


def size_bytes(value: object) -> Optional[float]:
    """'5GB' -> 5e9, '5GiB' -> 5 * 2**30 and '1PB' -> 1e15."""
    return _parse(value, _BYTES)


def region_of_zone(zone: Optional[str]) -> Optional[str]:
    """'eu-west-1a' -> 'eu-west-1'; 'us-west-2-lax-1a' (a Local Zone) -> 'us-west-2'."""
    if not zone:
        return None
    match = _ZONE_REGION.match(zone)
    return match.group(1) if match else None


def human_seconds(value: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if value >= size and value % size == 0:
            return f"{int(value // size)} {unit}"
    return f"{value:g} s"


def human_bps(value: float) -> str:
    for unit, size in (("Tbps", 1e12), ("Gbps", 1e9), ("Mbps", 1e6), ("Kbps", 1e3)):
        if value >= size:
            return f"{value / size:g} {unit}"
    return f"{value:g} bps"
