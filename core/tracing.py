"""``dvar.trace(f, a=5, b=3, c=2)``: run a function on Values and return its graph.

Each parameter of ``f`` that gets a number becomes an input named after the
parameter; anything else (a model, a list of data) is passed as it is.  While
``f`` runs, a profile hook (``sys.setprofile``) watches the calls of Python
functions (frames of dvar's engine itself take no part):

- **Names.** When a call returns, each local variable of its frame that holds a
  Value made during that call proposes its name for that Value.  A name from an
  outer call beats one from a helper it called, so the result is named as ``f``
  names it; a Value that no frame held when it returned is named by the house rule.
  So the lecture's ``u = b*c; v = a + u; J = 3*v`` gives exactly a, b, c, u, v, J
  and the constant ``k``.
- **Calls.** Every call gets a number, and every Value remembers the innermost
  call it was made in (generator expressions and comprehensions count as the call
  around them).  :func:`call_chains` turns that into ``("f", "MLP.__call__",
  "Layer.__call__", "Neuron.__call__")`` per node, and :func:`call_table` gives
  each node's call number (one call of ``Neuron.__call__`` is one neuron on one
  sample).  It is kept beside the graph, not in its file; the groups made from
  it (``core.autogroups.by_calls``: ``sample 3`` > ``Layer 1`` > ``Neuron 1.4``)
  are the graph's own, and are saved.

The hook costs a little on every Python call while ``f`` runs, nothing after.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from dvar.core import tracer
from dvar.core.autogroups import by_calls
from dvar.core.bulk import LAYOUT_LIMIT
from dvar.core.graph import Graph
from dvar.core.tracer import Value

#: Frames of dvar's engine (the Value operators, check_value, ...) are no calls of the
#: person's code: they neither name Values nor count as calls.
_ENGINE = os.path.join(os.path.dirname(os.path.abspath(tracer.__file__)), "")


@dataclass(frozen=True)
class CallTable:
    """The calls a trace watched: call i is ``qualnames[i]`` (``Layer.__call__``; a
    function defined inside another is named without its ``f.<locals>.``) made from
    call ``parents[i]`` (-1 for ``f`` itself), and node key k was made in call
    ``node_calls[k]`` (-1: before or outside ``f``, such as a model's weights)."""

    qualnames: tuple[str, ...]
    parents: tuple[int, ...]
    node_calls: tuple[int, ...]

    def chain(self, call: int) -> tuple[int, ...]:
        """The call numbers from ``f`` down to ``call``."""
        out = []
        while call >= 0:
            out.append(call)
            call = self.parents[call]
        return tuple(reversed(out))


#: The call table of each graph :func:`trace` made, for as long as the graph lives.
_TABLES: WeakKeyDictionary[Graph, CallTable] = WeakKeyDictionary()


def trace(f: Callable[..., object], /, **values: object) -> Graph:
    """Call ``f`` with a Value for each number in ``values`` (named after its parameter),
    and return the graph of what it returns, its output named as ``f`` named it (``J``
    if it did not), laid out when small enough (``core.bulk.LAYOUT_LIMIT``).

    Raises TypeError when ``f`` lacks a value for a parameter or does not return a
    Value; an exception inside ``f`` propagates unchanged.
    """
    if not callable(f):
        raise TypeError(f"trace needs a function, not {type(f).__name__}")
    arguments = _arguments(f, values)
    result, names_of, table = _run(f, arguments)
    if not isinstance(result, Value):
        name = getattr(f, "__name__", "the function")
        raise TypeError(f"{name} returned {type(result).__name__}, not a dvar.Value")
    graph, made = tracer.build(result, names_of)
    calls = CallTable(
        table[0], table[1], tuple(v._call if v._call < len(table[0]) else -1 for v in made)
    )
    _TABLES[graph] = calls
    # Grouped by the calls that made the nodes (core/autogroups.py); a graph too big
    # to lay out at once opens with its groups collapsed.
    collapsed = len(graph) > LAYOUT_LIMIT
    graph.group_later(lambda: by_calls(calls.qualnames, calls.parents, calls.node_calls, collapsed))
    return graph


def call_table(graph: Graph) -> CallTable | None:
    """The calls that made each node of a graph :func:`trace` returned, or None."""
    return _TABLES.get(graph)


def call_chains(graph: Graph) -> dict[int, tuple[str, ...]]:
    """Per node key, the qualified names of the calls it was made in, outermost first:
    ``("f", "MLP.__call__", "Layer.__call__", "Neuron.__call__")``; () for nodes made
    outside ``f``.  Empty for a graph that :func:`trace` did not make."""
    table = _TABLES.get(graph)
    if table is None:
        return {}
    names = table.qualnames
    memo: dict[int, tuple[str, ...]] = {-1: ()}
    out = {}
    for key, call in enumerate(table.node_calls):
        chain = memo.get(call)
        if chain is None:
            chain = memo[call] = tuple(names[c] for c in table.chain(call))
        out[key] = chain
    return out


def _arguments(f: Callable[..., object], values: dict[str, object]) -> dict[str, object]:
    try:
        signature = inspect.signature(f)
    except (TypeError, ValueError):
        signature = None
    if signature is not None:
        parameters = signature.parameters
        named = [  # in the signature's order: the first missing one is named
            name
            for name, p in parameters.items()
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        ]
        takes_any = any(p.kind is p.VAR_KEYWORD for p in parameters.values())
        unknown = [name for name in values if name not in named and not takes_any]
        if unknown:
            raise TypeError(f"{_name(f)} has no parameter {unknown[0]!r}")
        missing = [
            name
            for name in named
            if name not in values and parameters[name].default is inspect.Parameter.empty
        ]
        if missing:
            raise TypeError(f"trace: give a value for {_name(f)}'s parameter {missing[0]!r}")
    return {
        name: Value(x, name) if isinstance(x, int | float) and not isinstance(x, bool) else x
        for name, x in values.items()
    }


def _name(f: object) -> str:
    return getattr(f, "__qualname__", None) or getattr(f, "__name__", None) or repr(f)


def _run(
    f: Callable[..., object], arguments: dict[str, object]
) -> tuple[object, dict[Value, str], tuple[tuple[str, ...], tuple[int, ...]]]:
    """Run ``f`` under the profile hook: its result, the proposed names, the call table."""
    stack: list[list] = []  # [frame, call id, first sequence number made in it]
    qualnames: list[str] = []
    parents: list[int] = []
    best: dict[Value, tuple[int, str]] = {}
    engine: dict[object, bool] = {}  # code object -> whether it is dvar's engine
    mark = tracer._sequence.__next__  # a number below every Value made after it

    def profile(frame, event, arg):  # noqa: ARG001 - sys.setprofile's signature
        if event == "call":
            code = frame.f_code
            ours = engine.get(code)
            if ours is None:
                ours = engine[code] = os.path.abspath(code.co_filename).startswith(_ENGINE)
            if ours:
                return
            parent = stack[-1][1] if stack else -1
            if code.co_name.startswith("<") and stack:  # a genexpr or comprehension
                call = parent
            else:
                call = len(qualnames)
                qualnames.append(code.co_qualname.rpartition("<locals>.")[2])
                parents.append(parent)
            stack.append([frame, call, mark()])
        elif event == "return" and stack and stack[-1][0] is frame:
            _, _, first = stack.pop()
            depth = len(stack)
            for name, v in frame.f_locals.items():
                if type(v) is Value and v.name is None and v._seq >= first:
                    known = best.get(v)
                    if known is None or depth < known[0]:
                        best[v] = (depth, name)

    previous, outer = sys.getprofile(), tracer._calls  # a trace inside a trace gets both back
    tracer._calls = stack
    sys.setprofile(profile)
    try:
        result = f(**arguments)
    finally:
        sys.setprofile(previous)
        tracer._calls = outer
    names_of = {v: name for v, (_, name) in best.items()}
    return result, names_of, (tuple(qualnames), tuple(parents))
