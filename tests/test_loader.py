"""The loader: exact 1-based spans, duplicate keys, refused tags, bounded expansion."""
from __future__ import annotations

import pytest

from wavalidate.loader import Limits, LoadError, decode, load_yaml
from wavalidate.locations import Span


def test_spans_are_one_based_for_keys_and_values():
    data, source = load_yaml("a: 1\nb:\n  c: [x, y]\n")
    assert data == {"a": 1, "b": {"c": ["x", "y"]}}
    assert source.values[("a",)] == Span(1, 4, 1, 5)
    assert source.keys[("b", "c")] == Span(3, 3, 3, 4)
    assert source.values[("b", "c", 1)] == Span(3, 10, 3, 11)


def test_locate_points_at_key_for_collections_and_parent_for_missing():
    _, source = load_yaml("db:\n  engine: x\n")
    assert source.locate(("db",)) == Span(1, 1, 1, 3)
    assert source.locate(("db", "multi_az")) == Span(1, 1, 1, 3)
    assert source.locate(("db", "engine")).col == 11
    assert source.locate(("db", "engine"), on_key=True).col == 3


def test_keys_stay_text():
    data, _ = load_yaml("80: http\nyes: no\n")
    assert data == {"80": "http", "yes": False}


@pytest.mark.parametrize("text,code,line,col", [
    ("a: 1\na: 2\n", "E101", 2, 1),
    ("a: !!python/object/apply:os.system [ls]\n", "E102", 1, 4),
    ("a: !!python/name:os.system\n", "E102", 1, 4),
    ("a: [1, 2\n", "E100", 2, 1),
    ("", "E105", 1, 1),
    ("# only a comment\n", "E105", 1, 1),
    ("a: 1\n---\nb: 2\n", "E105", 2, 1),
    ("a: &x [*x]\n", "E100", 1, 8),
    ("a: *nothing\n", "E100", 1, 4),
    ("a: 1" + "0" * 5000 + "\n", "E100", 1, 4),
])
def test_input_errors_have_positions(text, code, line, col):
    with pytest.raises(LoadError) as caught:
        load_yaml(text)
    assert (caught.value.code, caught.value.span.line, caught.value.span.col) == (code, line, col)


def test_alias_bomb_is_bounded():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 10) + "]")
    with pytest.raises(LoadError) as caught:
        load_yaml("\n".join(lines) + "\n", Limits(max_nodes=100_000))
    assert caught.value.code == "E104"
    assert caught.value.span.line > 1


def test_depth_is_bounded():
    with pytest.raises(LoadError) as caught:
        load_yaml("a: " + "[" * 100 + "]" * 100 + "\n")
    assert caught.value.code == "E104"


def test_merge_keys_keep_explicit_values():
    data, _ = load_yaml("base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\n")
    assert data["item"] == {"x": 1, "y": 3}


@pytest.mark.parametrize("raw,line,col", [
    (b"a: 1\nb: \xff\n", 2, 4),
    (b"\xff\xfea\x00:\x00", 1, 1),
    (b"a: 1\n\x00", 2, 1),
])
def test_bad_encodings(raw, line, col):
    with pytest.raises(LoadError) as caught:
        decode(raw)
    assert caught.value.code == "E103"
    assert (caught.value.span.line, caught.value.span.col) == (line, col)


def test_extreme_flow_nesting_is_a_limit_error_whatever_the_libyaml_version():
    # PyYAML 6.0.4's libyaml stops at 1,000 levels itself; older builds reach our limit first.
    with pytest.raises(LoadError) as caught:
        load_yaml("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert caught.value.code == "E104" and "nesting deeper" in caught.value.message



def test_the_collector_is_paused_while_loading_and_restored():
    import gc

    from wavalidate import loader
    seen = []
    original = loader._Builder.feed

    def feed(self, event):
        seen.append(gc.isenabled())
        return original(self, event)
    loader._Builder.feed = feed
    try:
        assert gc.isenabled()
        load_yaml("a: [1, 2]\n")
        with pytest.raises(LoadError):
            load_yaml("a: [\n")
        assert gc.isenabled()
        gc.disable()
        load_yaml("a: 1\n")
        assert not gc.isenabled()   # a caller's choice is kept
    finally:
        gc.enable()
        loader._Builder.feed = original
    assert seen and not any(seen)
