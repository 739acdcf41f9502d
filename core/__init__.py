"""dvar's engine: computation graphs, their values and derivatives, and .dvar files.

Pure Python plus networkx; it never imports Qt.  The GUI, the command line, a
notebook and the tests all use it the same way::

    from dvar import core
    g = core.load("resources/examples/lecture.dvar")
    ev = core.evaluate(g)
    ev.values["J"], ev.grads["b"]        # 33.0, 6.0
    ev.breakdown("b")                    # 'db = du · ∂u/∂b = du · c = 3 · 2 = 6'
    g.set_value("a", 5.001)
    core.evaluate(g).values["J"]         # 33.003
    core.save(g, "out.dvar")             # atomic
    core.diagnose(ev, "b", 3.0).verdict  # 'upstream-only': du alone (see core/practice.py)
"""

from dvar.core.display import show
from dvar.core.engine import Nudge, evaluate, nudge, prepare
from dvar.core.evaluation import NOTATIONS, Evaluation, Term, derivative_symbol
from dvar.core.fileformat import FileFormatError, dumps, from_dict, load, loads, save, to_dict
from dvar.core.formula import (
    BuildResult,
    Formula,
    FormulaError,
    build_graph,
    graph_from_formula,
    parse_formula,
)
from dvar.core.forward import ForwardResult, forward_derivatives
from dvar.core.graph import Event, Graph, GraphError, Node
from dvar.core.layout import arrange, layered_layout
from dvar.core.micrograd import from_micrograd
from dvar.core.numbers import format_full, format_number, parse_number
from dvar.core.ops import OPS, Op
from dvar.core.paths import Path, Share
from dvar.core.practice import Diagnosis, diagnose, hints
from dvar.core.problems import make_problem
from dvar.core.pyexport import to_python
from dvar.core.resources import example_path, examples
from dvar.core.tracer import Value
from dvar.core.tracing import trace
from dvar.core.train import TrainResult, descend, plan_descent

__version__ = "0.1.0"

__all__ = [
    "NOTATIONS",
    "OPS",
    "BuildResult",
    "Diagnosis",
    "Evaluation",
    "Event",
    "FileFormatError",
    "Formula",
    "FormulaError",
    "ForwardResult",
    "Graph",
    "GraphError",
    "Node",
    "Nudge",
    "Op",
    "Path",
    "Share",
    "Term",
    "TrainResult",
    "Value",
    "arrange",
    "build_graph",
    "derivative_symbol",
    "descend",
    "diagnose",
    "dumps",
    "evaluate",
    "example_path",
    "examples",
    "format_full",
    "format_number",
    "forward_derivatives",
    "from_dict",
    "from_micrograd",
    "graph_from_formula",
    "hints",
    "layered_layout",
    "load",
    "loads",
    "make_problem",
    "nudge",
    "parse_formula",
    "parse_number",
    "plan_descent",
    "prepare",
    "save",
    "show",
    "to_dict",
    "to_python",
    "trace",
]
