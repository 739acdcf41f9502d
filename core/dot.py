"""A graph as a Graphviz DOT file, for papers: ``dvar export FILE -o OUT.dot``.

Laid out left to right (``rankdir=LR``), each node an HTML-like table as the canvas
draws it: its name and op in a header, its value line (``u = b·c = 6``) and its red
derivative (``du = 3``), its input ports down the left side and its output port on
the right.  A constant with one use sits on the port it feeds as its number, with no
node of its own.  With ``backward``, edges are red, point right to left
(``dir=back``) and carry their local derivatives.  Canvas notes become note-shaped
nodes beside the graph (Graphviz places them; it has no fixed positions).

Node names in the file are ``n<key>``; ids and labels appear only in the HTML text,
escaped, so any id or label is safe.
"""

from __future__ import annotations

from html import escape

from dvar.core.evaluation import Evaluation
from dvar.core.figure import Box, Figure, make_figure
from dvar.core.graph import Graph

RED = "#c62828"
HEAD = "#ededed"
OUTPUT_HEAD = "#fce5c0"
OUTPUT_BORDER = "#f0a030"
BORDER = "#a0a0a0"
MUTED = "#707070"
FONT = "Helvetica"


def _text(text: str) -> str:
    """Text for an HTML-like label: ``&``, ``<``, ``>`` and quotes escaped, lines broken."""
    return "<BR/>".join(escape(line, quote=True) for line in text.split("\n")) or " "


def _string(text: str) -> str:
    """A double-quoted DOT string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot_graph(figure: Figure) -> str:
    """The DOT text of a figure."""
    lines = [
        "digraph dvar {",
        "  rankdir=LR;",
        "  nodesep=0.4; ranksep=0.7;",
        f'  node [shape=plaintext, fontname="{FONT}", fontsize=11];',
        f'  edge [fontname="{FONT}", fontsize=10, arrowsize=0.7];',
    ]
    if figure.title:
        lines.append(f"  // {_string(figure.title)}")
    for index, note in enumerate(figure.notes):
        shape = "note" if note.kind == "note" else "box"
        style = "filled" if note.kind == "note" else "rounded,bold"
        colour = "fillcolor" if note.kind == "note" else "color"
        lines.append(
            f"  note{index} [shape={shape}, style={_string(style)}, "
            f"{colour}={_string(note.color)}, label={_string(note.text)}];"
        )
    for box in figure.boxes:
        lines.append(f"  n{box.key} [label=<{_table(box, figure.values)}>];")
    for edge in figure.edges:
        ends = f"n{edge.source}:out:e -> n{edge.consumer}:in{edge.slot}:w"
        if figure.backward:
            label = (
                f', label=<<FONT COLOR="{RED}">{_text(edge.label)}</FONT>>' if edge.label else ""
            )
            lines.append(f'  {ends} [dir=back, color="{RED}"{label}];')
        else:
            lines.append(f"  {ends};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _table(box: Box, values: bool) -> str:
    """The HTML-like label of one box: ports | (header / value / derivative) | out."""
    head = OUTPUT_HEAD if box.is_output else HEAD
    border = OUTPUT_BORDER if box.is_output else BORDER
    symbol = ("output  " if box.is_output else "") + box.symbol
    rows = [
        f'<TR><TD ALIGN="LEFT" BGCOLOR="{head}"><B>{_text(box.title)}</B></TD>'
        f'<TD ALIGN="RIGHT" BGCOLOR="{head}"><FONT COLOR="{MUTED}">{_text(symbol)}</FONT>'
        "</TD></TR>",
        f'<TR><TD ALIGN="LEFT" COLSPAN="2">{_text(box.value_line)}</TD></TR>',
    ]
    if values and box.grad_line:
        rows.append(
            f'<TR><TD ALIGN="LEFT" COLSPAN="2"><FONT COLOR="{RED}"><I>{_text(box.grad_line)}'
            "</I></FONT></TD></TR>"
        )
    chips = {chip.slot: chip for chip in box.chips}
    ports = []
    for slot in range(box.arity):
        chip = chips.get(slot)
        if chip is None:
            ports.append(
                f'<TR><TD PORT="in{slot}" FIXEDSIZE="TRUE" WIDTH="6" HEIGHT="12"></TD></TR>'
            )
        else:  # the constant, on the port it feeds
            ports.append(
                f'<TR><TD PORT="in{slot}" BORDER="1" STYLE="rounded" CELLPADDING="1">'
                f"{_text(chip.number)}</TD></TR>"
            )
    inner = (
        f'<TABLE BORDER="1" COLOR="{border}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4" '
        f'STYLE="rounded">{"".join(rows)}</TABLE>'
    )
    port_column = (
        f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="4" CELLPADDING="0">{"".join(ports)}</TABLE>'
        if ports
        else ""
    )
    cells = [f"<TD>{port_column}</TD>"] if port_column else []
    cells += [f"<TD>{inner}</TD>", '<TD PORT="out" FIXEDSIZE="TRUE" WIDTH="4" HEIGHT="12"></TD>']
    return (
        '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">'
        f"<TR>{''.join(cells)}</TR></TABLE>"
    )


def to_dot(
    graph: Graph,
    evaluation: Evaluation,
    *,
    backward: bool = False,
    values: bool = True,
    only=None,
) -> str:
    """The graph as Graphviz DOT text."""
    return dot_graph(make_figure(graph, evaluation, backward=backward, values=values, only=only))
