"""``dvar.from_micrograd(loss)``: a micrograd graph as a dvar graph.

It reads only the fields micrograd's ``Value`` has (``data``, ``_prev``, ``_op``,
and ``label`` where the lecture-series version has one) and never imports
micrograd, so forks with the same fields work too.  The ops: ``+``, ``*``,
``**k`` (k is read from the ``_op`` text, ``**2``, ``**-1``), ``ReLU``, ``tanh``,
``exp``; a Value without ``_prev`` is an input.

micrograd keeps a Value's operands in a *set*, so their order is lost, and
``x*x`` has one child.  So that the same code always gives the same file,
whatever the set's order or the objects' addresses, every order here comes from
the structure alone:

1. each Value gets a *structural hash*, bottom up: a leaf from its value and
   label, an op from its op and its operands' hashes (in sorted order, since
   ``+`` and ``*`` do not care).  Python's hash of ints and tuples of ints does
   not depend on ``PYTHONHASHSEED``; text goes through CRC-32;
2. operands are put in slots by their hash; where two look alike from below
   (equal hashes), a top-down hash from their consumers decides, and then one
   mixing both (so that a use of something below them elsewhere counts);
3. nodes are numbered by a walk from the output that takes operands in slot
   order, each once all its consumers are done (the engine's backward order),
   and named in that order, operands first: a ``label`` that is a valid id, else
   ``J`` for the output, ``x``, ``x_2`` ... for inputs, ``k`` for the exponent of
   ``**k``, and the op's name (``mul``, ``mul_2``) for the rest.  A label that
   cannot be an id stays the node's label.

Everything is iterative (66,000 nodes, no recursion), and nothing is laid out:
the editor lays out what it shows.

The garbage collector decides much of the time, so the import works with it:

- it is paused while the graph is built: the nodes hold no reference cycles, so
  there is nothing for it to find, and a full collection in the middle would walk
  every object of the caller's micrograd graph (about 0.4 s for the moons step)
  only to free nothing;
- the finished graph goes straight into the oldest generation (``gc.freeze()``
  then ``gc.unfreeze()``, skipped if the program has frozen objects of its own),
  as a graph that will live a while: the young collections would otherwise walk
  its 130,000 objects twice to learn that, and count them towards the next full
  collection.  Full collections still look at it, as at any long-lived data.
"""

from __future__ import annotations

import gc
import math
import struct
import zlib
from collections.abc import Iterator, Mapping

from dvar.core.autogroups import by_model, model_neurons
from dvar.core.bulk import is_valid_id
from dvar.core.graph import Graph, GraphError, Node
from dvar.core.ops import OPS

__all__ = ["NodeOf", "from_micrograd"]

#: micrograd's ``_op`` text -> (dvar op, code in the structural hash).
_OPS = {"": ("input", 1), "+": ("add", 2), "*": ("mul", 3), "ReLU": ("relu", 4)}
_OPS.update({"tanh": ("tanh", 5), "exp": ("exp", 6)})
_POW_CODE = 7
_MASK = (1 << 64) - 1
_bits = struct.Struct("<d").pack


class NodeOf(Mapping):
    """Each micrograd Value's node id, looked up by the Value itself (by identity, so
    a fork whose Values overload ``==`` works too)."""

    __slots__ = ("_values", "_index", "_position", "_nodes")

    def __init__(
        self, values: list, index: dict[int, int], position: list[int], nodes: list[Node]
    ) -> None:
        self._values = values  # keeps the Values alive, so their id() stays theirs
        self._index = index  # id(Value) -> the Value's index in values
        self._position = position  # index -> its node's key
        self._nodes = nodes

    def __getitem__(self, value: object) -> str:
        i = self._index.get(id(value))
        if i is None:
            raise KeyError(value)
        return self._nodes[self._position[i]].id

    def __contains__(self, value: object) -> bool:
        return id(value) in self._index

    def __iter__(self) -> Iterator:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def from_micrograd(value: object, model: object = None) -> tuple[Graph, NodeOf]:
    """The graph of a micrograd ``Value`` (its output), and each micrograd Value's node id.

    ``model``, when given, must have ``parameters()`` returning micrograd Values (an
    ``MLP``); it is checked, its parameters become the graph's trainable parameters
    (``param``), and the graph is grouped by samples, layers and neurons
    (``core.autogroups.by_model``), all collapsed.  Raises GraphError for anything
    that is not a micrograd graph dvar reads.
    """
    _check_value(value, "from_micrograd's value")
    if model is not None:
        _check_model(model)
    paused = gc.isenabled()
    if paused:  # see the module's docstring
        gc.disable()
    try:
        walk = _Walk(value)
        walk.hash()
        walk.order_operands()
        result = walk.assemble()
        if model is not None:
            _mark_parameters(result, model)
            _group(result, model)
        if paused and gc.get_freeze_count() == 0:  # never touch what the program froze
            gc.freeze()  # the new graph goes straight to the oldest generation
            gc.unfreeze()
        return result
    finally:
        if paused:
            gc.enable()


def _mark_parameters(result: tuple[Graph, NodeOf], model: object) -> None:
    """The model's parameters that the graph holds, marked as trainable parameters."""
    graph, node_of = result
    index, position = node_of._index, node_of._position
    nodes = node_of._nodes
    for p in model.parameters():
        i = index.get(id(p))
        if i is not None and nodes[position[i]].op.name == "input":
            nodes[position[i]].param = True  # a new graph: no one listens yet


def _group(result: tuple[Graph, NodeOf], model: object) -> None:
    """Group the graph by the model's neurons (nothing for a model of another shape)."""
    graph, node_of = result
    neurons = model_neurons(model)
    if not neurons:
        return
    index, position = node_of._index, node_of._position
    found = []
    for layer, neuron, params in neurons:
        keys = [position[index[id(p)]] for p in params if id(p) in index]
        if keys:
            found.append((layer, neuron, keys))
    nodes = graph.nodes()  # in key order: the order they were built in, operands first
    output = graph.output_key
    # Made when first read (by_model takes 50 to 60 ms at 66,000 nodes), so a graph
    # imported only to evaluate or train never pays.  by_model puts each node in one
    # group at most: no Graph.set_groups check.
    graph.group_later(lambda: by_model(nodes, output, found))


def _check_value(v: object, what: str) -> None:
    if not all(hasattr(v, field) for field in ("data", "_prev", "_op")):
        raise GraphError(
            f"{what} is a {type(v).__name__}, not a micrograd Value (data, _prev, _op)"
        )


def _check_model(model: object) -> None:
    parameters = getattr(model, "parameters", None)
    if not callable(parameters):
        raise GraphError(
            f"model is a {type(model).__name__} without parameters(); pass a micrograd "
            "module such as MLP"
        )
    for p in parameters():
        _check_value(p, "a parameter of the model")


class _Walk:
    """One micrograd graph in flat lists indexed by the order Values were found in
    (root first): op code, two operand slots (-1 for none), and uses per Value.  Flat
    lists of numbers, not a list per Value: fewer objects for the garbage collector."""

    def __init__(self, root: object) -> None:
        index = {id(root): 0}
        values = [root]
        codes: list[int] = []
        c0: list[int] = []
        c1: list[int] = []
        uses = [0]
        self.ks: dict[int, float] = {}  # exponents of the powers, by index
        get = index.get
        known_get = {text: code for text, (_, code) in _OPS.items()}.get
        add_code, add_c0, add_c1 = codes.append, c0.append, c1.append
        add_value, add_use = values.append, uses.append
        labelled = False
        for v in values:  # grows while we walk it
            try:  # the fields straight from the Value's __dict__, as micrograd keeps them
                d = v.__dict__
                prev = d["_prev"]
                code = known_get(d["_op"])
                if "label" in d:
                    labelled = True
            except (AttributeError, KeyError):  # slots or properties: the general way
                prev, code = _fields(v)
                labelled = True
            except TypeError:  # an _op that is not text
                code = None
            n = len(prev)
            if n == 2:
                if code is None or code > 3:
                    code = self._odd(v, n, len(codes))
                x, y = prev
            elif n == 1:
                if code is None or code == 1:
                    code = self._odd(v, n, len(codes))
                (x,) = prev
                y = x if code == 2 or code == 3 else None  # x*x or x+x: one child
            elif n == 0:
                if code != 1:
                    code = self._odd(v, n, len(codes))
                add_code(1)
                add_c0(-1)
                add_c1(-1)
                continue
            else:
                self._odd(v, n, len(codes))  # refuses it: no op takes three operands
            add_code(code)
            key = id(x)
            j = get(key)
            if j is None:
                j = index[key] = len(values)
                add_value(x)
                add_use(1)
            else:
                uses[j] += 1
            add_c0(j)
            if y is None:
                add_c1(-1)
                continue
            key = id(y)
            j = get(key)
            if j is None:
                j = index[key] = len(values)
                add_value(y)
                add_use(1)
            else:
                uses[j] += 1
            add_c1(j)
        self.values, self.index, self.codes, self.c0, self.c1 = values, index, codes, c0, c1
        self.labelled = labelled  # some Value may have a label (see _labels)
        self.uses = uses

    def _odd(self, v: object, n: int, i: int) -> int:
        """The code of a Value the fast path does not know: a power (its exponent goes
        into ``ks``), else GraphError."""
        text = v._op
        code = _OPS.get(text, (None, None))[1] if isinstance(text, str) else None
        if code is None:
            code = _POW_CODE
            self.ks[i] = _exponent(text)
        if n > 2 or (n == 0) != (code == 1) or (n == 2 and code not in (2, 3)):
            raise GraphError(f"a micrograd {text or 'leaf'} Value with {n} operands")
        return code

    def walk(self) -> list[int]:
        """Indices from the root down, each once all of its consumers have come, operands
        in slot order (breadth-first): consumers before operands."""
        waiting = self.uses[:]
        c0, c1 = self.c0, self.c1
        order = [0]
        append = order.append
        for i in order:  # grows while we walk it
            a = c0[i]
            if a < 0:
                continue
            left = waiting[a] - 1
            waiting[a] = left
            if not left:
                append(a)
            b = c1[i]
            if b >= 0:
                left = waiting[b] - 1
                waiting[b] = left
                if not left:
                    append(b)
        return order

    def hash(self) -> None:
        """The bottom-up structural hash of each Value (see the module's docstring), and
        each ``+`` and ``*``'s operands in slot order by it, the smaller first."""
        values, codes, c0, c1, ks = self.values, self.codes, self.c0, self.c1, self.ks
        h = [0] * len(values)
        order = self.walk()
        self.first_walk = order
        ties: list[int] = []
        for i in reversed(order):
            code = codes[i]
            if code == 1:
                v = values[i]
                try:
                    x = float(v.data)
                except (TypeError, ValueError):
                    raise GraphError(f"a micrograd leaf holds {v.data!r}, not a number") from None
                label = getattr(v, "label", None)
                tag = zlib.crc32(label.encode("utf-8", "surrogatepass")) if label else 0
                h[i] = hash((1, int.from_bytes(_bits(x), "little"), tag))
            elif code == _POW_CODE:
                h[i] = hash((code, h[c0[i]], int.from_bytes(_bits(ks[i]), "little")))
            else:
                i0, i1 = c0[i], c1[i]
                if i1 < 0:  # ReLU, tanh, exp
                    h[i] = hash((code, h[i0], 0))
                    continue
                a, b = h[i0], h[i1]
                if a < b:
                    h[i] = hash((code, a, b))
                elif a > b:  # slot order by hash: the smaller first
                    h[i] = hash((code, b, a))
                    c0[i], c1[i] = i1, i0
                else:
                    h[i] = hash((code, a, b))
                    if i0 != i1:  # alike from below: order_operands decides
                        ties.append(i)
        self.h = h
        self.ties = ties

    def order_operands(self) -> None:
        """:meth:`hash` put each ``+`` and ``*``'s operands in slot order by hash; where
        two hash the same, a second hash from their consumers (:meth:`_top_down`) and a
        third from both (:meth:`_up_again`) decide.  Operands still alike are alike for
        every use."""
        c0, c1, ties = self.c0, self.c1, self.ties
        if ties:
            down = self._top_down()
            up = self._up_again(down)
            for i in ties:
                a, b = c0[i], c1[i]
                if (up[a], down[a]) > (up[b], down[b]):
                    c0[i], c1[i] = b, a

    def _top_down(self) -> list[int]:
        """A second hash per Value from what uses it, and how, up to the output: it tells
        apart operands that look the same from below but are used differently."""
        h, codes, c0, c1 = self.h, self.codes, self.c0, self.c1
        down = [0] * len(h)
        down[0] = 1
        for i in self.first_walk:  # every consumer before its operands
            mine = hash((down[i], codes[i], h[i]))
            for c in {c0[i], c1[i]} - {-1}:
                down[c] = (down[c] + mine) & _MASK  # a sum: the consumers' order does not count
        return down

    def _up_again(self, down: list[int]) -> list[int]:
        """The bottom-up hash once more, each Value mixing in its top-down hash: two
        operands that differ only in how something below them is used elsewhere."""
        h, c0, c1 = self.h, self.c0, self.c1
        up = [0] * len(h)
        for i in reversed(self.first_walk):  # operands before their consumers
            a = c0[i]
            if a < 0:
                up[i] = hash((h[i], down[i]))
                continue
            x, y = up[a], up[c1[i]] if c1[i] >= 0 else 0
            up[i] = hash((h[i], down[i], x, y) if x <= y else (h[i], down[i], y, x))
        return up

    def assemble(self) -> tuple[Graph, NodeOf]:
        """Number the nodes in the final walk, reversed (operands first), with a constant
        before each power for its exponent, name them, and build the graph in one pass."""
        values, codes, c0, c1, ks = self.values, self.codes, self.c0, self.c1, self.ks
        order = self.walk()
        order.reverse()
        taken = self._labels(order)
        position = [0] * len(values)
        ops = {code: OPS[name] for name, code in _OPS.values()}
        ops[_POW_CODE] = OPS["pow"]
        stem_of = {code: "x" if code == 1 else op.name for code, op in ops.items()}
        count = dict.fromkeys(["k", *stem_of.values()], 0)  # for names next to labels
        stems = [stem_of.get(code, "") for code in range(_POW_CODE + 1)]
        counts = [0] * len(stems)  # names by counting, where there are no labels at all
        op_list = [ops.get(code) for code in range(_POW_CODE + 1)]
        nodes: list[Node] = []
        append = nodes.append
        isfinite = math.isfinite
        p = 0
        for i in order:
            code = codes[i]
            if code == 1:
                x = float(values[i].data)
                if not isfinite(x):
                    raise GraphError(f"a micrograd leaf holds {x}; dvar holds finite numbers only")
                inputs = []
            elif code == _POW_CODE:  # the exponent: a constant just before its power
                append(Node(p, _fresh("k", count, taken), OPS["const"], ks[i], []))
                inputs, x = [position[c0[i]], p], None
                p += 1
            else:
                b = c1[i]
                inputs, x = [position[c0[i]]] if b < 0 else [position[c0[i]], position[b]], None
            label = None
            if not taken:  # no labels at all (micrograd itself): a name by counting
                n = counts[code] + 1
                counts[code] = n
                name = f"{stems[code]}_{n}" if n > 1 else stems[code]
            else:
                found = taken.get(i)  # None, (True, id) or (False, text): see _labels
                if found is not None and found[0]:  # the label is the id
                    name = found[1]
                else:
                    name = _fresh(stems[code], count, taken)
                    label = None if found is None else found[1]
            if i == 0 and "J" not in taken and not (taken and taken.get(0, (False,))[0]):
                name = "J"  # an output without a label of its own: J, as in the lecture
            append(Node(p, name, op_list[code], x, inputs, label))
            position[i] = p
            p += 1
        graph = Graph._from_nodes(nodes, list(range(len(nodes))), position[0], {})
        return graph, NodeOf(values, self.index, position, nodes)

    def _labels(self, order: list[int]) -> dict:
        """Labels of the lecture-series micrograd, by index: (True, id) for one that names
        its node (the first Value in ``order`` with a label that is a valid id gets it),
        (False, text) for one that stays a label.  The names taken are keys too."""
        values = self.values
        found: dict = {}
        if not self.labelled:  # micrograd itself: no labels at all
            return found
        for i in order:
            v = values[i]
            try:
                label = v.__dict__.get("label")  # no exception where there is none
            except AttributeError:
                label = getattr(v, "label", None)
            if label and isinstance(label, str):
                if is_valid_id(label) and label not in found:
                    found[label] = True
                    found[i] = (True, label)
                else:
                    found[i] = (False, label)
        return found


def _fresh(stem: str, count: dict[str, int], taken: dict) -> str:
    """The next of ``stem``, ``stem_2``, ... that no label has taken (generated names
    never meet: each stem is a different word)."""
    n = count[stem] + 1
    name = stem if n == 1 else f"{stem}_{n}"
    while name in taken:
        n += 1
        name = f"{stem}_{n}"
    count[stem] = n
    return name


def _fields(v: object) -> tuple[object, int | None]:
    """``_prev`` and the op code of a Value that keeps its fields outside ``__dict__``."""
    try:
        prev, text = v._prev, v._op  # type: ignore[attr-defined]
    except AttributeError:
        _check_value(v, "an operand")
        raise
    try:
        return prev, _OPS.get(text, (None, None))[1]
    except TypeError:  # an _op that is not text
        return prev, None


def _exponent(text: object) -> float:
    if not (isinstance(text, str) and text.startswith("**")):
        raise GraphError(
            f"micrograd's op {text!r} has no dvar op; dvar reads +, *, **k, ReLU, tanh, exp"
        )
    try:
        k = float(text[2:])
    except ValueError:
        raise GraphError(f"cannot read the exponent of micrograd's op {text!r}") from None
    if not math.isfinite(k):
        raise GraphError(f"the exponent of micrograd's op {text!r} is not finite")
    return k
