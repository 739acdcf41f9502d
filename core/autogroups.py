"""Groups made for a graph built from code: by the calls that made its nodes
(``dvar.trace``), or by the neurons and layers of a micrograd model
(``from_micrograd(loss, model=model)``).

Both give the same shape to the same computation, and both are deterministic:
the same code gives the same groups, so the same file bytes.

- :func:`by_calls` turns a trace's call table into nested groups: every call of
  the person's code below the traced function that made a node is a group, titled
  after its class (``Neuron.__call__`` is ``Neuron``) or function.  Calls repeated
  beside each other are numbered, and the numbers nest (``Layer 1`` holds
  ``Neuron 1.1``, ``Neuron 1.2``, ..., and a lone call inside ``Layer 2`` is
  ``Neuron 2.1``); a model's ``__call__`` repeated right below
  the traced function is one call per sample: ``sample 1``, ``sample 2``, ...
- :func:`by_model` finds each neuron's computation on each sample from the
  neuron's parameters (the nodes that use its ``w`` and ``b``, down to its
  activation), joins the pieces of one sample together, and groups them into
  ``sample s`` > ``Layer i`` > ``Neuron i.j``, all collapsed, inside one
  ``N samples`` group.  What follows the samples gets groups of its own at the
  top level: ``losses`` (a term per sample), ``mean`` (what combines the samples),
  ``regularisation`` (what only the parameters feed) and ``parameters``; the
  output J stays outside every group.  So the moons demo opens as "100 samples →
  losses → mean + regularisation".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from dvar.core.groups import Group
from dvar.core.node import Node

# --------------------------------------------------------------- by calls


def by_calls(
    qualnames: Sequence[str],
    parents: Sequence[int],
    node_calls: Sequence[int],
    collapsed: bool = False,
) -> tuple[Group, ...]:
    """Groups from a call table (see ``core.tracing.CallTable``): call ``i`` is
    ``qualnames[i]`` made from ``parents[i]``, node key ``k`` was made in
    ``node_calls[k]`` (-1: outside the traced function).  Nodes made by the traced
    function itself, or outside it, stay ungrouped."""
    count = len(qualnames)
    members: list[list[int]] = [[] for _ in range(count)]
    for key, call in enumerate(node_calls):
        if 0 <= call < count:
            members[call].append(key)
    # A call takes part when it, or a call below it, made a node.  Calls are numbered
    # in the order they start, so each one's number is above its parent's.
    used = [bool(m) for m in members]
    children: list[list[int]] = [[] for _ in range(count)]
    for call in range(count - 1, -1, -1):
        parent = parents[call]
        if used[call] and parent >= 0:
            used[parent] = True
            children[parent].append(call)
    for kids in children:
        kids.reverse()  # back in call order

    def make(call: int, title: str, number: str) -> Group:
        nested = tuple(_titled(children[call], qualnames, number, False, make))
        return Group(title, tuple(members[call]), nested, collapsed)

    roots = [call for call in range(count) if parents[call] < 0 and used[call]]
    groups: list[Group] = []
    for root in roots:  # the traced function: its own nodes stay at the top level
        groups.extend(_titled(children[root], qualnames, "", True, make))
    return tuple(groups)


def _titled(
    calls: list[int],
    qualnames: Sequence[str],
    number: str,
    top: bool,
    make: Callable[[int, str, str], Group],
) -> list[Group]:
    """The groups of sibling calls, each titled and numbered among its namesakes."""
    seen: dict[str, int] = {}
    for call in calls:
        seen[qualnames[call]] = seen.get(qualnames[call], 0) + 1
    index: dict[str, int] = {}
    out = []
    for call in calls:
        qualname = qualnames[call]
        name = _call_name(qualname)
        if seen[qualname] == 1 and not number:
            out.append(make(call, name, number))
            continue
        n = index[qualname] = index.get(qualname, 0) + 1
        if top and seen[qualname] > 1 and qualname.rsplit(".", 1)[-1] in ("__call__", "forward"):
            out.append(make(call, f"sample {n}", ""))
            continue
        mine = f"{number}.{n}" if number else str(n)
        out.append(make(call, f"{name} {mine}", mine))
    return out


def _call_name(qualname: str) -> str:
    """``Neuron.__call__`` → ``Neuron``; any other function keeps its qualified name."""
    owner, _, method = qualname.rpartition(".")
    return owner if owner and method == "__call__" else qualname


# --------------------------------------------------------------- by model


def model_neurons(model: object) -> list[tuple[int, int, list[object]]] | None:
    """(layer number, neuron number, parameters) of each neuron of a micrograd-like
    model (``.layers`` of ``.neurons`` with ``.w`` and ``.b``; a lone Layer or Neuron
    too), numbered from 1; None for a model of another shape."""
    layers = getattr(model, "layers", None)
    if layers is None:
        layers = [model] if hasattr(model, "neurons") else None
    if layers is None:
        return [(1, 1, _params(model))] if _params(model) else None
    out = []
    try:
        for i, layer in enumerate(layers, 1):
            for j, neuron in enumerate(getattr(layer, "neurons", ()), 1):
                params = _params(neuron)
                if not params:
                    return None
                out.append((i, j, params))
    except TypeError:
        return None
    return out or None


def _params(neuron: object) -> list[object]:
    w, b = getattr(neuron, "w", None), getattr(neuron, "b", None)
    if w is None or b is None:
        return []
    try:
        return [*w, b]
    except TypeError:
        return []


_NONE, _MANY = -1, -2


def by_model(
    nodes: list[Node],
    output: int | None,
    neurons: list[tuple[int, int, list[int]]],
) -> tuple[Group, ...]:
    """Groups of a graph whose node ``k`` is ``nodes[k]`` (operands before consumers),
    made by a model whose neurons are ``(layer, neuron, parameter keys)``; () when a
    parameter belongs to two neurons.  One pass over the nodes."""
    n = len(nodes)
    owner = [-1] * n  # the neuron (index into ``neurons``) whose parameter a node is
    for index, (_, _, keys) in enumerate(neurons):
        for key in keys:
            if owner[key] >= 0:
                return ()
            owner[key] = index
    work = [-1] * n  # the neuron whose computation (on some sample) a node is part of
    # Which piece of a sample a node is in (a neuron's computation, the data, or what
    # depends on one sample only), _MANY for more than one sample, _NONE for none.
    # Pieces join up as the sums meet (union-find over ``merged``).
    piece = [_NONE] * n
    merged: list[int] = []
    found: list[dict[int, list[int]]] = []  # per piece: neuron -> its nodes there
    data: list[list[int]] = []  # per piece: its data leaves
    on_params = [m >= 0 for m in owner]
    rest: list[int] = []  # nodes after (or beside) the samples, in order

    def find(x: int) -> int:
        while merged[x] != x:
            merged[x] = merged[merged[x]]
            x = merged[x]
        return x

    def same(a: int, b: int) -> int:
        ra, rb = find(a), find(b)
        if ra != rb:
            ra, rb = min(ra, rb), max(ra, rb)
            merged[rb] = ra
        return ra

    def new_piece() -> int:
        merged.append(len(merged))
        found.append({})
        data.append([])
        return len(merged) - 1

    for key, node in enumerate(nodes):
        inputs = node.inputs
        if not inputs:
            continue
        at = -1
        if len(inputs) == 2 and None not in inputs:  # most nodes: the fast way
            a, b = inputs
            neuron, other = owner[a], b
            if neuron < 0:
                neuron, other = owner[b], a
            elif owner[b] >= 0:
                other = -1  # two parameters: a square, w·w, is no neuron's computation
            clean = True
        else:
            neuron, other, clean = -1, -1, None not in inputs
            for o in inputs:
                if o is None:
                    continue
                m = owner[o]
                if m >= 0:
                    if neuron >= 0 and m != neuron:
                        clean = False
                    neuron = m
                else:
                    other = o
        if neuron >= 0:
            # w·x or b + w·x: one parameter of one neuron and something else.
            if clean and other >= 0:
                if work[other] >= 0:
                    at = piece[other]
                elif not nodes[other].inputs and owner[other] < 0:  # a sample's data
                    at = piece[other]
                    if at < 0:
                        at = piece[other] = new_piece()
                        data[at].append(other)
                else:  # something computed outside the model: a piece of its own
                    at = new_piece()
        elif clean:
            first = work[inputs[0]]
            if first >= 0 and (len(inputs) == 1 or all(work[o] == first for o in inputs)):
                neuron = first  # the sum going on, and the activation
                at = piece[inputs[0]]
                for o in inputs:
                    if piece[o] != at:
                        at = same(at, piece[o])
        if at >= 0:
            work[key], piece[key] = neuron, at
            found[at].setdefault(neuron, []).append(key)
            continue
        # After the samples: on one sample (a loss term), on several, or on none.
        d, p = _NONE, False
        for o in inputs:
            if o is None:
                continue
            if on_params[o]:
                p = True
            s = piece[o]
            if s >= 0:
                s = find(s)
            if s != _NONE and s != d:
                d = s if d == _NONE else _MANY
        piece[key], on_params[key] = d, p
        rest.append(key)

    # The samples, in the order of their first pieces.
    sample_of: dict[int, int] = {}
    for x in range(len(merged)):
        root = find(x)
        if root not in sample_of:
            sample_of[root] = len(sample_of)
    if not sample_of:
        return ()
    samples = len(sample_of)
    pieces: list[dict[int, list[int]]] = [{} for _ in range(samples)]
    direct: list[list[int]] = [[] for _ in range(samples)]
    for x in range(len(merged)):
        s = sample_of[find(x)]
        direct[s].extend(data[x])
        for neuron, keys in found[x].items():
            pieces[s].setdefault(neuron, []).extend(keys)
    kind: dict[int, str | int] = {}  # key -> sample (a loss term), or a group's name
    for key in rest:
        if key == output:
            continue
        d = piece[key]
        if d >= 0:
            kind[key] = sample_of[find(d)]
        elif d == _MANY:
            kind[key] = "mean"
        elif on_params[key]:
            kind[key] = "regularisation"
    # A constant or an input that is none of these goes where all of its uses are.
    uses: dict[int, object] = {}
    for key in rest:
        where = kind.get(key)
        for o in nodes[key].inputs:
            if o is not None and piece[o] == _NONE and not nodes[o].inputs and owner[o] < 0:
                uses[o] = where if uses.get(o, where) == where else None
    for o, where in uses.items():
        if where is not None:
            kind[o] = where
    return _model_groups(nodes, neurons, pieces, direct, kind)


def _model_groups(
    nodes: list[Node],
    neurons: list[tuple[int, int, list[int]]],
    pieces: list[dict[int, list[int]]],
    direct: list[list[int]],
    kind: dict[int, str | int],
) -> tuple[Group, ...]:
    """The groups once every node knows its place: per sample, its neurons' nodes
    (``pieces``) and its data (``direct``); ``kind`` places the rest."""
    samples = len(pieces)
    layers = sorted({layer for layer, _, _ in neurons})

    def layered(make: Callable[[int], list[int]]) -> tuple[Group, ...]:
        out = []
        for layer in layers:
            inner = tuple(
                Group(f"Neuron {i}.{j}", tuple(sorted(keys)), (), True)
                for index, (i, j, _) in enumerate(neurons)
                if i == layer and (keys := make(index))
            )
            if inner:
                out.append(Group(f"Layer {layer}", (), inner, True))
        return tuple(out)

    sample_groups = tuple(
        Group(
            f"sample {s + 1}",
            tuple(sorted(direct[s])),
            layered(lambda index, s=s: pieces[s].get(index, [])),
            True,
        )
        for s in range(samples)
    )
    groups: list[Group] = []
    if samples == 1:
        groups.append(Group("sample", sample_groups[0].members, sample_groups[0].groups, True))
    else:
        groups.append(Group(f"{samples} samples", (), sample_groups, True))
    terms: list[list[int]] = [[] for _ in range(samples)]
    named: dict[str, list[int]] = {"mean": [], "regularisation": []}
    for key, where in kind.items():
        if isinstance(where, int):
            terms[where].append(key)
        else:
            named[where].append(key)
    loss_groups = tuple(
        Group(f"loss {s + 1}", tuple(sorted(keys)), (), True)
        for s, keys in enumerate(terms)
        if keys
    )
    if loss_groups:
        groups.append(
            Group("losses", (), loss_groups, True)
            if len(loss_groups) > 1
            else Group("loss", loss_groups[0].members, (), True)
        )
    if named["mean"]:
        title = "mean" if _is_mean(nodes, named["mean"], samples) else "over all samples"
        groups.append(Group(title, tuple(sorted(named["mean"])), (), True))
    if named["regularisation"]:
        groups.append(Group("regularisation", tuple(sorted(named["regularisation"])), (), True))
    parameters = layered(lambda index: neurons[index][2])
    if parameters:
        groups.append(Group("parameters", (), parameters, True))
    return tuple(groups)


def _is_mean(nodes: list[Node], keys: list[int], samples: int) -> bool:
    """Whether what combines the samples ends in a product with 1/samples."""
    for key in keys:
        node = nodes[key]
        if node.op.name != "mul":
            continue
        for o in node.inputs:
            value = nodes[o].value if o is not None else None
            if value is not None and math.isclose(value * samples, 1.0):
                return True
    return False
