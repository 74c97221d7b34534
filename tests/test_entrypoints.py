"""Entry-point discovery: the quick look for a group's header, and the fallback to importlib.metadata."""
from __future__ import annotations

import sys

from wavalidate import entrypoints


def _dist(tmp_path, name: str, text: str):
    folder = tmp_path / f"{name}-1.0.dist-info"
    folder.mkdir()
    (folder / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
    (folder / "entry_points.txt").write_text(text, encoding="utf-8")


def test_an_undeclared_group_needs_no_metadata_scan(monkeypatch):
    entrypoints._entry_point_files.cache_clear()
    assert tuple(entrypoints.entry_points("wavalidate.no-such-group")) == ()
    entrypoints._entry_point_files.cache_clear()


def test_a_declared_group_is_found(tmp_path, monkeypatch):
    _dist(tmp_path, "extra_pack", "[wavalidate.rules]\nextra = extra_pack.rules\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path)] + sys.path)
    entrypoints._entry_point_files.cache_clear()
    try:
        found = {point.name: point.value for point in entrypoints.entry_points("wavalidate.rules")}
        assert found.get("extra") == "extra_pack.rules"
    finally:
        entrypoints._entry_point_files.cache_clear()


def test_a_zip_on_the_path_falls_back_to_importlib_metadata(tmp_path, monkeypatch):
    archive = tmp_path / "bundle.zip"
    archive.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip file
    monkeypatch.setattr(sys, "path", [str(archive)] + sys.path)
    entrypoints._entry_point_files.cache_clear()
    try:
        assert entrypoints._entry_point_files() is None
        list(entrypoints.entry_points("wavalidate.no-such-group"))  # answered by importlib.metadata
    finally:
        entrypoints._entry_point_files.cache_clear()
