"""The graph algorithms rules run on plain graphs of names (wavalidate.model, exported through the API)."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wavalidate.api import closing_edges, connected_groups, shortest_path, strongly_connected

names = st.sampled_from("abcdefg")
graphs = st.dictionaries(names, st.lists(names, max_size=4))


def test_closing_edges_report_each_cycle_once_at_the_edge_that_closes_it():
    graph = {"net": [], "app": ["data", "net"], "data": ["app", "gone"], "ops": ["ops"]}
    assert list(closing_edges(graph)) == [("data", 0, ["app", "data", "app"]), ("ops", 0, ["ops", "ops"])]
    assert list(closing_edges({"a": ["b"], "b": ["c"], "c": []})) == []


def test_closing_edges_survive_a_long_chain():
    chain = {str(i): [str(i + 1)] for i in range(5000)}
    chain["5000"] = ["0"]
    [(name, index, cycle)] = closing_edges(chain)
    assert (name, index, len(cycle)) == ("5000", 0, 5002)


def reaches(graph, a, b) -> bool:
    seen, todo = {a}, [a]
    while todo:
        for nxt in graph[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return b in seen


@given(graphs)
def test_strongly_connected_components_and_their_order(raw):
    graph = {node: [n for n in targets if n in raw] for node, targets in raw.items()}
    component = strongly_connected(graph)
    assert component.keys() == graph.keys()
    for a in graph:
        for b in graph:
            assert (component[a] == component[b]) == (reaches(graph, a, b) and reaches(graph, b, a))
        for b in graph[a]:
            assert component[b] <= component[a]  # successors' components first


@given(graphs)
def test_closing_edges_exist_exactly_when_the_graph_has_a_cycle(raw):
    graph = {node: [n for n in targets if n in raw] for node, targets in raw.items()}
    component = strongly_connected(graph)
    cyclic = len(set(component.values())) < len(graph) or any(n in graph[n] for n in graph)
    found = list(closing_edges(graph))
    assert bool(found) == cyclic
    for name, index, cycle in found:
        assert graph[name][index] == cycle[0] == cycle[-1] and cycle[-2] == name


def test_connected_groups():
    groups = connected_groups({"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"c"}, "e": set()})
    assert groups["a"] == groups["b"] != groups["c"] == groups["d"] != groups["e"]


def test_shortest_path_within_its_budget():
    graph = {"a": {"b", "c"}, "b": {"a", "d"}, "c": {"a", "d"}, "d": {"b", "c", "e"}, "e": {"d"}}
    assert shortest_path(graph, "a", "e", 64) == ["a", "b", "d", "e"]  # b before c: sorted
    assert shortest_path(graph, "a", "a", 64) == ["a"]
    assert shortest_path(graph, "a", "z", 64) == []
    assert shortest_path(graph, "a", "e", 3) == []  # gave up after three VPCs
