"""Random edits pushed as commands: undo all gives the exact start, redo all the exact end.

hypothesis drives ``document.run`` (not the mouse), with a scene attached so the
items are checked against the graph after every step.
"""

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from dvar import core
from dvar.core.text import formula, inline_constants
from dvar.gui.canvas.scene import GraphScene
from dvar.gui.document.document import Document
from dvar.gui.document.field_commands import MoveNodes, SetField
from dvar.gui.document.structure_commands import (
    AddNodes,
    Connect,
    Disconnect,
    RemoveItems,
    SetOutput,
)
from dvar.gui.numbers import format_number
from tests.gui.helpers import facts
from tests.profiles import scaled

OPS = sorted(core.OPS)
#: New names, some of them taken or not identifiers: those renames are refused.
NAMES = ["x", "y", "w1", "a", "J", "1x", "class", "n_2"]
NUMBERS = st.integers(-4, 4).map(float) | st.sampled_from([0.5, -2.5, 5.001, 1e-3])
COORDS = st.integers(-20, 40).map(lambda n: n * 20.0)


def filled(graph) -> list[tuple[int, int]]:
    return [(n.key, s) for n in graph for s, src in enumerate(n.inputs) if src is not None]


def all_slots(graph) -> list[tuple[int, int]]:
    return [(n.key, s) for n in graph for s in range(n.op.arity)]


def add_nodes(draw, graph):
    count = draw(st.integers(1, 3))
    ids = draw(st.lists(st.sampled_from(["x", "k", "a", "m"]), min_size=count, max_size=count))
    records = []
    for i, op in enumerate(draw(st.lists(st.sampled_from(OPS), min_size=count, max_size=count))):
        record = {"id": f"{ids[i]}{i}" if i else ids[i], "op": op}
        record["x"], record["y"] = draw(COORDS), draw(COORDS)
        if core.OPS[op].is_leaf:
            record["value"] = draw(NUMBERS)
        else:  # like a paste: operands come from the records before, or stay empty
            earlier = [None] + [r["id"] for r in records]
            arity = core.OPS[op].arity
            record["inputs"] = [draw(st.sampled_from(earlier)) for _ in range(arity)]
        records.append(record)
    into = []  # like a constant made on an empty port: feed a new node into a free slot
    free = [(c, s) for c, s in all_slots(graph) if graph.node(c).inputs[s] is None]
    if free and draw(st.booleans()):
        into.append((*draw(st.sampled_from(free)), draw(st.integers(0, count - 1))))
    return AddNodes(graph, records, "Add", connect=into)


def connect(draw, graph):
    source = draw(st.sampled_from(graph.nodes())).key
    consumer, slot = draw(st.sampled_from(all_slots(graph)))  # may be taken or make a loop
    return Connect(graph, source, consumer, slot)


def reconnect(draw, graph):
    old = draw(st.sampled_from(filled(graph)))
    consumer, slot = draw(st.sampled_from(all_slots(graph)))
    return Connect(graph, graph.node(old[0]).inputs[old[1]], consumer, slot, previous=old)


def disconnect(draw, graph):
    return Disconnect(graph, *draw(st.sampled_from(all_slots(graph))))


def set_value(draw, graph):
    leaves = [n.key for n in graph if n.op.is_leaf]
    return SetField.to(graph, draw(st.sampled_from(leaves)), "value", draw(NUMBERS))


def rename(draw, graph):
    key = draw(st.sampled_from(graph.nodes())).key
    return SetField.to(graph, key, "id", draw(st.sampled_from(NAMES)))


def set_output(draw, graph):
    return SetOutput(graph, draw(st.sampled_from([None, *(n.key for n in graph)])))


def move(draw, graph):
    chosen = draw(st.lists(st.sampled_from(graph.nodes()), min_size=1, max_size=3, unique=True))
    return MoveNodes(graph, {n.key: ((n.x, n.y), (draw(COORDS), draw(COORDS))) for n in chosen})


def remove(draw, graph):
    keys = draw(st.lists(st.sampled_from([n.key for n in graph]), max_size=3, unique=True))
    edges = filled(graph)
    edges = draw(st.lists(st.sampled_from(edges), max_size=2, unique=True)) if edges else []
    if not keys and not edges:
        keys = [graph.nodes()[0].key]
    return RemoveItems(graph, keys, edges)


def builders(graph) -> list:
    """The kinds of command that make sense for the graph as it is now."""
    if not len(graph):
        return [add_nodes]
    kinds = [add_nodes, rename, set_output, move, remove]
    if all_slots(graph):
        kinds += [connect, disconnect]
    if filled(graph):
        kinds.append(reconnect)
    if any(n.op.is_leaf for n in graph):
        kinds.append(set_value)
    return kinds


def assert_scene_matches(scene, document) -> None:
    graph, evaluation = document.graph, document.evaluation
    assert set(scene.nodes) == {n.key for n in graph}
    chips = inline_constants(graph)  # drawn on their consumer's port, with no edge
    assert set(scene.chips) == chips
    assert {k: (e.source.key, e.consumer.key) for k, e in scene.edges.items()} == {
        (c, s): (graph.node(c).inputs[s], c)
        for c, s in filled(graph)
        if graph.node(c).inputs[s] not in chips
    }
    for node in graph:
        item = scene.nodes[node.key]
        head = node.id if node.op.is_leaf else formula(graph, node, chips, format_number)
        assert item.value_text == f"{head} = {format_number(evaluation.values[node.key])}"
        assert item.is_output == (node.key == graph.output_key)


@settings(
    max_examples=scaled(30),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_undo_all_then_redo_all_round_trips_exactly(qtbot, data):
    document = Document.lecture()
    scene = GraphScene(document)
    try:
        with qtbot.capture_exceptions() as errors:
            edit_undo_redo(data, document, scene, errors)
    finally:  # no timers of this document fire during later examples
        scene.deleteLater()
        document.deleteLater()


def edit_undo_redo(data, document, scene, errors) -> None:
    graph, stack = document.graph, document.undo_stack
    start = core.dumps(graph)
    for _ in range(data.draw(st.integers(1, 10), label="steps")):
        build = data.draw(st.sampled_from(builders(graph)), label="kind")
        command = build(data.draw, graph)
        before, depth, evaluations = core.dumps(graph), stack.count(), document.evaluations
        text = command.text()  # a refused command is deleted by the stack
        accepted = document.run(command)
        note(f"{text}: {'done' if accepted else command.error}")
        if accepted:
            assert stack.count() == depth + 1
        else:
            assert core.dumps(graph) == before and stack.count() == depth
        assert document.evaluations - evaluations <= 1  # one evaluation per command
        assert_scene_matches(scene, document)
    end = core.dumps(graph)
    stack.setIndex(0)
    assert not errors, f"undo raised {errors[0][1]!r}"
    assert facts(core.dumps(graph)) == facts(start)
    assert core.dumps(graph) == start
    assert_scene_matches(scene, document)
    stack.setIndex(stack.count())
    assert not errors, f"redo raised {errors[0][1]!r}"
    assert core.dumps(graph) == end
    assert_scene_matches(scene, document)
