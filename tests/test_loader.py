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


def _event_loaded(text: str, tags=None):
    """What the event loader alone builds (the fast path bypassed)."""
    import yaml

    from wavalidate.loader import DEFAULT_LIMITS, _Builder, _EventLoader
    builder = _Builder(DEFAULT_LIMITS, tags)
    for event in yaml.parse(text, Loader=_EventLoader):
        builder.feed(event)
    return builder.root, builder.source


def _typed(value):
    """Data with the type of every value, so `1` and `True` and `"1"` differ."""
    if isinstance(value, dict):
        return [(key, _typed(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return (type(value).__name__, value)


FAST_CASES = [
    "a: 1\nb: [x, 'y', \"z\", 1.5, true, null, ~, 2024-01-01]\nc: {d: {e: []}, f: {}}\n",
    "- 1\n- - 2\n  - {k: v}\n- |\n  block\n- >-\n  folded\n- !!str 12\n- !!int '7'\n- ! 12\n",
    "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      A: !Ref X\n      B: !If [C, !GetAtt Y.Arn, "
    "!Sub '${Z}']\n      C: !Join ['', [a, !Ref B]]\n      D: !Select [0, !GetAZs '']\n",
    "# only a comment before\n---\nk: v\n...\n",
]


@pytest.mark.parametrize("text", FAST_CASES)
def test_the_node_path_builds_what_the_event_loader_builds(text):
    from wavalidate.cloudformation.tags import long_form
    from wavalidate.loader import DEFAULT_LIMITS, _from_nodes
    tags = long_form if "Resources" in text else None
    fast = _from_nodes(text, DEFAULT_LIMITS, tags)
    assert fast is not None   # these are all for the fast path
    data, source = _event_loaded(text, tags)
    assert _typed(fast[0]) == _typed(data)
    assert list(fast[1].values.items()) == list(source.values.items())
    assert list(fast[1].keys.items()) == list(source.keys.items())
    assert fast[1].collections == source.collections


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",          # anchors: nodes would be shared
    "80: http\n",                # a key read as a number stays text: the event loader does that
    "a: 1\na: 2\n",              # a duplicate key: the event loader reports it
    "<<: {a: 1}\n",              # a merge key
    "a: !Ref x\n",               # a local tag without a tag handler
    "? [a]\n: 1\n",              # a complex key
    "a: 1\n---\nb: 2\n",         # several documents
    "",                          # nothing
])
def test_the_node_path_leaves_the_unusual_to_the_event_loader(text):
    from wavalidate.loader import DEFAULT_LIMITS, _from_nodes
    assert _from_nodes(text, DEFAULT_LIMITS, None) is None


def test_the_node_path_gives_up_at_the_limits():
    from wavalidate.loader import _from_nodes
    text = "a: [1, 2, 3]\nb: xxxxxxxxxx\n"
    assert _from_nodes(text, Limits(max_nodes=5), None) is None
    assert _from_nodes(text, Limits(max_scalar=5), None) is None
    assert _from_nodes("a: {b: {c: 1}}\n", Limits(max_depth=2), None) is None
    with pytest.raises(LoadError) as caught:
        load_yaml(text, Limits(max_nodes=5))
    assert caught.value.code == "E104"
