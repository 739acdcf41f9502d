"""What the engine reads of a graph: a small public view, never its internals."""

from __future__ import annotations

import ast
from pathlib import Path

from dvar import core
from dvar.core.plan import plan_for

CORE = Path(core.__file__).parent


def test_nodes_in_order_puts_operands_first() -> None:
    graph = core.Graph()
    graph.add_node("input", "b", value=2.0)
    graph.add_node("mul", "m")
    graph.add_node("input", "a", value=3.0)
    graph.connect("a", "m", 0)
    graph.connect("b", "m", 1)
    nodes = graph.nodes_in_order()
    assert [node.key for node in nodes] == graph.topological_keys()
    ids = [node.id for node in nodes]
    assert ids.index("a") < ids.index("m") and ids.index("b") < ids.index("m")
    assert all(node is graph.node(node.key) for node in nodes)


def test_the_plan_lives_in_the_graphs_slot_until_the_structure_changes() -> None:
    graph = core.load(core.example_path("lecture"))
    assert graph.cached_plan is None
    plan = plan_for(graph)
    assert graph.cached_plan is plan and plan_for(graph) is plan
    graph.set_value("a", 7.0)  # a value: the same plan
    assert plan_for(graph) is plan
    graph.rename("a", "alpha")  # a rename: the same plan, with the new ids
    assert plan_for(graph) is plan and "alpha" in plan.names
    graph.set_output("u")  # the structure: a new plan
    assert plan_for(graph) is not plan
    assert plan_for(graph).out == plan_for(graph).pos[graph.key_of("u")]


def test_no_module_but_the_graph_reads_its_private_fields() -> None:
    for path in sorted(CORE.glob("*.py")):
        if path.name == "graph.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in ("graph", "g")
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                raise AssertionError(f"{path.name}:{node.lineno} reads graph.{node.attr}")
