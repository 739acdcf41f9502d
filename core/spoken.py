"""What a screen reader says about a graph, in words rather than symbols, with no Qt.

The canvas reads each node as one sentence (``node u, multiply b by c, value 6,
derivative du 3``) and each port as a short one (``input 1 of u, from b``); the
derivative panel reads a row as ``db equals 6; db equals du times c, 3 times 2``.

A teaching preview decides what may be read out: :class:`Shown` carries, for one
node, what the overlay lets show (a step not reached yet, a practice cell still
hidden, forward mode's derivative in place of dJ/dnode, a nudge).  A hidden
number is never spoken: the sentence says that it is hidden instead.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Container

from dvar.core.evaluation import Evaluation, derivative_symbol
from dvar.core.graph import Graph, Node
from dvar.core.numbers import format_number

Number = Callable[[float | None], str]

#: How each op reads as an instruction, its operands in place of ``{0}`` and ``{1}``.
#: An op missing here reads as its title: ``hyperbolic tangent of x``.
_PHRASES = {
    "add": "add {0} and {1}",
    "sub": "subtract {1} from {0}",
    "mul": "multiply {0} by {1}",
    "div": "divide {0} by {1}",
    "pow": "raise {0} to the power {1}",
    "max": "the larger of {0} and {1}",
    "min": "the smaller of {0} and {1}",
    "neg": "negate {0}",
    "exp": "e to the power {0}",
    "log": "natural log of {0}",
    "sqrt": "square root of {0}",
    "sigmoid": "sigmoid of {0}",
    "relu": "ReLU of {0}",
}

#: Symbols in formulas and breakdowns, and the words a listener hears for them.
_SYMBOLS = (
    (" · ", " times "),
    ("·", " times "),
    (" × ", " times "),
    (" + ", " plus "),
    (" − ", " minus "),
    (" - ", " minus "),
    (" / ", " over "),
    (" ÷ ", " divided by "),
    (" = ", " equals "),
    (" → ", " goes to "),
    ("→", " goes to "),
    ("≡", " means "),
    ("²", " squared"),
    ("√", "square root of "),
    ("^", " to the power "),
    ("½", "half "),
    ("σ", "sigmoid "),
    ("Δ", "change in "),
    ("□", "empty slot"),
    ("—", "undefined"),
    ("✓", "right"),
    ("✗", "wrong"),
    ("…", ""),
)

_PARTIAL = re.compile(r"∂(\w+)/∂(\w+)(?:\[(\d)\])?")
_RATIO = re.compile(r"\b(d\w+)/(d\w+)\b")
_MINUS = re.compile(r"(^|[\s(\[])[-−](?=[\d.])")
_SLASH = re.compile(r"(?<=\w)/(?=[\w(])")
_LEADING_EQUALS = re.compile(r"(^|\n)\s*=\s+")
_EXPONENT = re.compile(r"(?<=\d)e([+-]?)0*(\d+)\b")
_BRACKETED = re.compile(r"\((minus [^()\s]+)\)(?! squared| to the power)")


def words(text: str) -> str:
    """A formula, breakdown or note read aloud: ``du · c`` → ``du times c``,
    ``∂u/∂b`` → ``partial u by partial b``, ``-3`` → ``minus 3``."""

    def partial(match: re.Match) -> str:
        slot = f" in slot {match.group(3)}" if match.group(3) else ""
        return f"partial {match.group(1)} by partial {match.group(2)}{slot}"

    out = _LEADING_EQUALS.sub(r"\1equals ", text)  # a line going on: "= 3 · 2"
    out = _PARTIAL.sub(partial, out)
    out = _EXPONENT.sub(_power_of_ten, out)
    out = _RATIO.sub(r"\1 by \2", out)
    out = _MINUS.sub(r"\1minus ", out)
    for symbol, said in _SYMBOLS:
        out = out.replace(symbol, said)
    out = _SLASH.sub(" over ", out)
    out = _BRACKETED.sub(r"\1", out)  # "3 times (minus 2)": the brackets are not said
    return re.sub(r"\s{2,}", " ", out).strip()


def _power_of_ten(match: re.Match) -> str:
    """``4e-21`` → ``4 times ten to the minus 21``: an exponent as it is said."""
    sign = "minus " if match.group(1) == "-" else ""
    return f" times ten to the {sign}{match.group(2)}"


@dataclasses.dataclass(frozen=True)
class Hidden:
    """A practice cell hidden from the learner: what it shows instead of its number."""

    #: The mark's text: ``""``, ``"?"``, ``"15 ✗"``, ``"21 ✓"``, ``"21 (given)"``.
    text: str
    #: ``waiting``, ``open``, ``wrong``, ``right`` or ``revealed``.
    state: str


@dataclasses.dataclass(frozen=True)
class Shown:
    """What a teaching preview lets a listener hear about one node; the default is
    everything (the plain view)."""

    #: The value may be read (stepping has computed it; practice has it solved).
    value: bool = True
    #: The derivative may be read.
    grad: bool = True
    #: False while stepping through the forward pass: no derivative is spoken at all.
    backward: bool = True
    #: The chain rule for the derivative may be read with its numbers.
    breakdown: bool = True
    #: Practice marks on the value and the derivative, or None.
    value_mark: Hidden | None = None
    grad_mark: Hidden | None = None
    #: Forward mode's text in place of dJ/dnode (``du/da = 0``); ``""``: none; None: dJ/dnode.
    derivative: str | None = None
    #: A nudge's value line (``J = 33 → 33.003``), or ``""``.
    nudge: str = ""
    #: A nudge's note beside the derivative (``(ΔJ/Δa = 3.000)``), or ``""``.
    note: str = ""
    #: Stepping: this node is the one being computed.
    current: bool = False


EVERYTHING = Shown()


def mark_words(mark: Hidden) -> str:
    """A practice mark read aloud: ``hidden, to be worked out``, ``15, wrong``."""
    answer = re.sub(r"\s*(✗|✓|\(given\))\s*$", "", mark.text)
    if mark.state == "waiting":
        return "hidden, waiting for the cells it needs"
    if mark.state == "open":
        return "hidden, to be worked out"
    if mark.state == "wrong":
        return f"hidden, your answer {words(answer)} is wrong"
    if mark.state == "revealed":
        return f"{words(answer)}, given"
    return f"{words(answer)}, right"


def operation(
    graph: Graph, node: Node, inline: Container[int] = (), number: Number = format_number
) -> str:
    """What a node does, as an instruction over its operands' names:
    ``multiply b by c``; ``input``, ``constant`` for the nodes that hold a value."""
    op = node.op
    if op.is_leaf:
        return "constant" if op.name == "const" else "input"
    names = [_operand(graph, key, inline, number) for key in node.inputs]
    phrase = _PHRASES.get(op.name)
    if phrase is None:
        title = op.title.split(":")[0].lower()
        return f"{title} of {' and '.join(names)}"
    return phrase.format(*names)


def _operand(graph: Graph, key: int | None, inline: Container[int], number: Number) -> str:
    if key is None:
        return "an empty slot"
    operand = graph.node(key)
    if key in inline and operand.op.name == "const":
        return words(number(operand.value))
    return operand.id


def node_name(
    graph: Graph,
    evaluation: Evaluation,
    key: int,
    shown: Shown = EVERYTHING,
    notation: str = "d",
    number: Number = format_number,
) -> str:
    """One node in a sentence: ``node u, multiply b by c, value 6, derivative du 3``.

    ``evaluation`` is the graph's current one.  A node without a value says why; a
    value or derivative the preview hides is said to be hidden, never read."""
    node = graph.node(key)
    parts = [f"node {node.id}"]
    if node.label and node.label != node.id:
        parts[0] += f", {node.label}"
    if key == graph.output_key:
        parts.append("output")
    parts.append(operation(graph, node, evaluation.inline_constant_keys, number))
    parts.append(_value_part(evaluation, key, shown, number))
    derivative = _derivative_part(graph, evaluation, key, shown, notation, number)
    if derivative:
        parts.append(derivative)
    if shown.current:
        parts.append("being computed now")
    return ", ".join(parts)


def _value_part(evaluation: Evaluation, key: int, shown: Shown, number: Number) -> str:
    if shown.nudge:
        return f"nudged: {words(shown.nudge)}"
    if shown.value_mark is not None:
        return f"value {mark_words(shown.value_mark)}"
    if not shown.value:
        return "value not computed yet"
    value = evaluation.values[key]
    if value is None:
        return f"no value: {evaluation.error(key) or 'a value is missing'}"
    return f"value {words(number(value))}"


def _derivative_part(
    graph: Graph,
    evaluation: Evaluation,
    key: int,
    shown: Shown,
    notation: str,
    number: Number,
) -> str:
    if not shown.backward:
        return ""
    if shown.derivative is not None:  # forward mode writes its own derivative, or none
        return f"forward derivative {words(shown.derivative)}" if shown.derivative else ""
    symbol = words(derivative_symbol(graph.node(key).id, graph.output, notation))
    if shown.grad_mark is not None:
        return f"derivative {symbol} {mark_words(shown.grad_mark)}"
    if not shown.grad:
        return f"derivative {symbol} not computed yet"
    if graph.output_key is None:
        return "no derivative: no output is chosen"
    grad = evaluation.grads[key]
    if grad is None:
        if evaluation.values[key] is None:
            return f"no derivative {symbol}"
        return f"no derivative {symbol}: {evaluation.error(key) or 'a value is missing'}"
    note = f", {words(shown.note.strip('()'))}" if shown.note else ""
    return f"derivative {symbol} {words(number(grad))}{note}"


def group_name(
    graph: Graph,
    evaluation: Evaluation,
    title: str,
    count: int,
    inputs: list[int],
    outputs: list[int],
    shown: Callable[[int], Shown] = lambda key: EVERYTHING,
    notation: str = "d",
    number: Number = format_number,
    most: int = 5,
) -> str:
    """A collapsed group in a sentence: ``group Neuron 1, collapsed, 12 nodes; inputs
    x1 and w1; outputs n1 value 0.5, derivative dn1 1.2``; ``shown`` gives what the
    preview lets be read of each output."""
    parts = [f"group {title}, collapsed, {count:,} node{'s' * (count != 1)}"]
    if inputs:
        parts.append("inputs " + _listed([graph.node(k).id for k in inputs], most))
    said = []
    for key in outputs[:most]:
        told = shown(key)
        words_of = [graph.node(key).id, _value_part(evaluation, key, told, number)]
        derivative = _derivative_part(graph, evaluation, key, told, notation, number)
        if derivative:
            words_of.append(derivative)
        said.append(", ".join(words_of))
    if len(outputs) > most:
        said.append(f"{len(outputs) - most} more")
    if said:
        parts.append(("output " if len(outputs) == 1 else "outputs ") + "; ".join(said))
    return "; ".join(parts)


def node_description(graph: Graph, key: int, most: int = 5) -> str:
    """What a node is made of and what uses it, with no numbers (those are in its
    name, where the preview decides what shows): ``u equals b times c; used by v``."""
    node = graph.node(key)
    if node.op.is_leaf:
        kind = "a constant" if node.op.name == "const" else "an input: a value you set"
        head = f"{node.id} is {kind}"
    else:
        inline = {k for k in node.inputs if k is not None and graph.is_inline_constant(k)}
        names = [_operand(graph, k, inline, format_number) for k in node.inputs]
        head = f"{node.id} equals {words(node.op.template.format(*names))}"
    return f"{head}; {_uses(graph, key, most)}"


def _uses(graph: Graph, key: int, most: int) -> str:
    consumers = [name for name, _ in graph.consumers(key)]
    if not consumers:
        return "the output" if key == graph.output_key else "not used by any node"
    return "used by " + _listed(consumers, most)


def _listed(names: list[str], most: int) -> str:
    more = len(names) - most
    shown = names[:most]
    if more > 0:
        shown.append(f"{more} more")
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + f" and {shown[-1]}"


def port_name(graph: Graph, key: int, side: str, slot: int = 0, most: int = 5) -> str:
    """A port in a few words: ``input 1 of u, from b``; ``output of u, to v``."""
    node = graph.node(key)
    if side == "in":
        source = node.inputs[slot]
        if source is None:
            return f"input {slot + 1} of {node.id}, empty"
        operand = graph.node(source)
        if graph.is_inline_constant(source):
            number = words(format_number(operand.value))
            return f"input {slot + 1} of {node.id}, from constant {number}"
        return f"input {slot + 1} of {node.id}, from {operand.id}"
    consumers = [name for name, _ in graph.consumers(key)]
    if not consumers:
        return f"output of {node.id}, not connected"
    return f"output of {node.id}, to {_listed(consumers, most)}"


def derivative_row(
    evaluation: Evaluation,
    key: int,
    shown: Shown = EVERYTHING,
    notation: str = "d",
    number: Number = format_number,
) -> str:
    """A row of the derivative panel read aloud: ``db equals 6; db equals du times c,
    3 times 2``, the chain rule only when the preview lets it show."""
    node_id = evaluation.id_of(key)
    symbol = words(derivative_symbol(node_id, evaluation.output, notation))
    if shown.grad_mark is not None:
        head = f"{symbol} {mark_words(shown.grad_mark)}"
    elif not shown.grad:
        head = f"{symbol} not computed yet"
    elif evaluation.grads[key] is None:
        reason = evaluation.error(key) or "a value is missing"
        return f"{symbol} has no value: {reason}"
    else:
        head = f"{symbol} equals {words(number(evaluation.grads[key]))}"
    if shown.note:
        head += f", {words(shown.note.strip('()'))}"
    if not (shown.grad and shown.breakdown):
        return head
    steps = evaluation.breakdown_steps(key, notation)
    if len(steps) < 3:  # the output: dJ = 1; or a derivative of 0
        if evaluation.output == node_id:
            return f"{head}; {node_id} is the output"
        return f"{head}; {words(steps[-1])}" if len(steps) == 1 else head
    # Between the symbolic chain rule and the result: the local partials, then the
    # numbers (the symbolic form alone when nothing else is written).
    middle = steps[2:-1] or steps[1:-1]
    return f"{head}; {symbol} equals " + ", ".join(words(step) for step in middle)
