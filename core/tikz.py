"""A graph as a TikZ picture, for lecture notes: ``dvar export FILE -o OUT.tex``.

The document uses only what Debian's ``texlive-latex-base`` and ``texlive-pictures``
hold: the ``article`` class, ``tikz`` and an empty page style.  The page is made the
size of the picture (the picture is measured first), so the PDF is the figure alone.
:func:`tikz_picture` is the ``tikzpicture`` by itself, to paste into notes: it brings
its own colours and styles.

Everything written is ASCII: ids, labels and formulas go through :func:`latex_text`,
which escapes TeX's special characters and writes the symbols dvar uses (·, −, σ, √,
∂, Greek letters, accented Latin letters) as TeX commands, and any other character
as its code point, so the file always compiles.
"""

from __future__ import annotations

import unicodedata

from dvar.core.evaluation import Evaluation
from dvar.core.figure import Box, Figure, make_figure
from dvar.core.graph import Graph

#: One canvas unit is one pixel at 96 dpi: 0.75 pt.
UNIT_PT = 0.75
#: The canvas's box: its default width and height, and the header's height (nodes.py).
BOX_WIDTH, BOX_HEIGHT, HEADER = 184.0, 78.0, 26.0
#: How far a chip reaches right of its port's centre (chips.py).
OVER_PORT = 7.5
#: Where a box's text starts, clear of the input ports (nodes.py).
TEXT_LEFT = 16.0

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "%": r"\%",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    "\n": r"\\ ",
    "\t": " ",
}

_SYMBOLS = {
    "·": r"\ensuremath{\cdot}",
    "×": r"\ensuremath{\times}",
    "÷": r"\ensuremath{\div}",
    "−": r"\ensuremath{-}",
    "±": r"\ensuremath{\pm}",
    "√": r"\ensuremath{\surd}",
    "∂": r"\ensuremath{\partial}",
    "Σ": r"\ensuremath{\Sigma}",
    "→": r"\ensuremath{\rightarrow}",
    "←": r"\ensuremath{\leftarrow}",
    "≈": r"\ensuremath{\approx}",
    "≤": r"\ensuremath{\leq}",
    "≥": r"\ensuremath{\geq}",
    "≠": r"\ensuremath{\neq}",
    "∞": r"\ensuremath{\infty}",
    "≡": r"\ensuremath{\equiv}",
    "²": r"\ensuremath{^2}",
    "³": r"\ensuremath{^3}",
    "—": "---",
    "–": "--",
    "…": r"\ldots{}",
    "□": r"{\setlength{\fboxsep}{0pt}\fbox{\phantom{M}}}",
    "“": "``",
    "”": "''",
    "‘": "`",
    "’": "'",
    "ß": r"\ss{}",
    "ø": r"\o{}",
    "Ø": r"\O{}",
    "æ": r"\ae{}",
    "Æ": r"\AE{}",
    "œ": r"\oe{}",
    "Œ": r"\OE{}",
    "å": r"\aa{}",
    "Å": r"\AA{}",
    "ł": r"\l{}",
    "Ł": r"\L{}",
    "ı": r"\i{}",
    "\u00a0": "~",
}

_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa",
    "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho",
    "σ": "sigma", "ς": "varsigma", "τ": "tau", "υ": "upsilon", "φ": "phi",
    "χ": "chi", "ψ": "psi", "ω": "omega", "Γ": "Gamma", "Δ": "Delta",
    "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi", "Υ": "Upsilon",
    "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega", "ϕ": "varphi", "ϵ": "epsilon",
}  # fmt: skip

#: Combining accents that TeX's text fonts can put on any letter.
_ACCENTS = {
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0308": '"',
    "\u0304": "=", "\u0307": ".", "\u030b": "H", "\u030c": "v", "\u0306": "u",
    "\u030a": "r", "\u0327": "c", "\u0328": "k", "\u0323": "d", "\u0331": "b",
}  # fmt: skip

_SUBSCRIPTS = {chr(0x2080 + d): str(d) for d in range(10)}


def latex_text(text: str) -> str:
    """``text`` as TeX for text mode, in ASCII: specials escaped, symbols as commands."""
    out = []
    for char in text:
        if char in _SPECIAL:
            out.append(_SPECIAL[char])
        elif " " <= char <= "~":
            out.append(char)
        else:
            out.append(_other(char))
    return "".join(out)


def _other(char: str) -> str:
    if char in _SYMBOLS:
        return _SYMBOLS[char]
    if char in _GREEK:
        return rf"\ensuremath{{\{_GREEK[char]}}}"
    if char in _SUBSCRIPTS:
        return rf"\ensuremath{{_{_SUBSCRIPTS[char]}}}"
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if (
        marks
        and all(mark in _ACCENTS for mark in marks)
        and (" " <= base <= "~" or base in _SYMBOLS)
    ):
        body = _SYMBOLS.get(base, base)
        if base in "ij":
            body = rf"\{base}"  # a dotless i or j under the accent
        for mark in marks:
            body = rf"\{_ACCENTS[mark]}{{{body}}}"
        return body
    if unicodedata.category(char).startswith(("C", "Z")):
        return " "
    return rf"\texttt{{[U+{ord(char):04X}]}}"


def _number(x: float) -> str:
    """A coordinate: short, and never in exponent form (TikZ reads no ``1e+20``)."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _color(hex_color: str) -> str:
    return hex_color.lstrip("#").upper()


def tikz_picture(figure: Figure) -> str:
    """The ``tikzpicture`` environment alone (with its colours and styles)."""
    lines = [
        "% Drawn by dvar.  To fit a column: \\resizebox{\\linewidth}{!}{\\input{this file}}",
        f"\\begin{{tikzpicture}}[x={UNIT_PT}pt, y=-{UNIT_PT}pt,",
        "  every node/.style={font=\\small},",
        "  dvar text/.style={inner sep=4pt, anchor=north west, align=left},",
        "  dvar box/.style={draw=dvarmid, line width=0.6pt},",
        "  dvar line/.style={text height=1.6ex, text depth=0.4ex},",
        "  dvar output/.style={draw=dvaroutput, line width=1.4pt},",
        "  dvar port/.style={circle, draw=black, fill=white, inner sep=0pt, minimum size=6pt},",
        "  dvar chip/.style={draw=black, fill=white, rounded corners=5pt, inner xsep=4pt,",
        "    inner ysep=1pt, minimum height=11pt, anchor=east},",
        "  dvar edge/.style={line width=0.6pt, -{Stealth[length=5pt]}},",
        "  dvar backward/.style={line width=0.6pt, draw=dvarred, {Stealth[length=5pt]}-},",
        "  dvar label/.style={fill=white, rounded corners=2pt, inner sep=1pt, text=dvarred,",
        "    font=\\footnotesize}]",
        # notes under the boxes, boxes under their texts, ports and edges
        "\\pgfdeclarelayer{dvarnotes}",
        "\\pgfdeclarelayer{dvarboxes}",
        "\\pgfsetlayers{dvarnotes,dvarboxes,main}",
        "\\definecolor{dvarred}{HTML}{C62828}",
        "\\definecolor{dvarmid}{HTML}{A0A0A0}",
        "\\definecolor{dvarhead}{HTML}{EDEDED}",
        "\\definecolor{dvaroutput}{HTML}{F0A030}",
        "\\definecolor{dvaroutputhead}{HTML}{FCE5C0}",
        "\\definecolor{dvarmuted}{HTML}{707070}",
    ]
    # frames behind notes, as on the canvas; both behind the graph
    if figure.notes:
        lines.append("\\begin{pgfonlayer}{dvarnotes}")
        for note in sorted(figure.notes, key=lambda note: note.kind != "frame"):
            lines += _note(note)
        lines.append("\\end{pgfonlayer}")
    for box in figure.boxes:
        lines += _box(box, figure.values)
    for edge in figure.edges:
        start = f"(n{edge.source}-out)"
        end = f"(n{edge.consumer}-in{edge.slot})"
        if figure.backward:
            label = (
                f" node[dvar label, midway, above=1pt] {{{latex_text(edge.label)}}}"
                if edge.label
                else ""
            )
            lines.append(f"\\draw[dvar backward] {start} to[out=0, in=180]{label} {end};")
        else:
            lines.append(f"\\draw[dvar edge] {start} to[out=0, in=180] {end};")
    lines.append("\\end{tikzpicture}")
    return "\n".join(lines) + "\n"


def _box(box: Box, values: bool) -> list[str]:
    """One node as the canvas draws it: a rounded box, at least the canvas's size and as
    wide as its text needs, with a header band (name, op), the value line and the red
    derivative, its ports, and the chips on its ports."""
    name = f"n{box.key}"
    x, y = box.x, box.y
    below_head = _number(y + HEADER)
    text = [latex_text(box.value_line)]
    if values and box.grad_line:
        text.append(f"\\textcolor{{dvarred}}{{\\itshape {latex_text(box.grad_line)}}}")
    body = "\\\\ ".join(text)
    symbol = ("output\\quad " if box.is_output else "") + latex_text(box.symbol)
    head = "dvaroutputhead" if box.is_output else "dvarhead"
    border = "dvar box, dvar output" if box.is_output else "dvar box"
    at = f"({_number(x + TEXT_LEFT - 4)}, {_number(y + HEADER + 1)})"
    corners = f"({_number(x)}, {_number(y)}) ({_number(x + BOX_WIDTH)}, {_number(y + BOX_HEIGHT)})"
    return [
        f"% {_comment(box.id)}",
        # the texts first: the box is as wide as they need, and at least the canvas's box
        f"\\node[dvar text] ({name}-text) at {at} {{{body}}};",
        f"\\node[dvar text, dvar line, font=\\small\\bfseries, inner ysep=0pt, "
        f"minimum height={_number(HEADER * UNIT_PT)}pt] "
        f"({name}-head) at ({_number(x)}, {_number(y)}) "
        f"{{{latex_text(box.title)}\\quad\\phantom{{\\mdseries {symbol}}}}};",
        f"\\node[fit={{{corners} ({name}-text) ({name}-head)}}, inner sep=0pt] ({name}) {{}};",
        "\\begin{pgfonlayer}{dvarboxes}",
        f"\\fill[white, rounded corners=4pt] ({name}.south west) rectangle ({name}.north east);",
        "\\begin{scope}",
        f"\\clip[rounded corners=4pt] ({name}.south west) rectangle ({name}.north east);",
        f"\\fill[{head}] ({name}.north west) rectangle ({name}.east |- 0,{below_head});",
        "\\end{scope}",
        f"\\draw[{border}, rounded corners=4pt] ({name}.south west) rectangle ({name}.north east);",
        "\\end{pgfonlayer}",
        f"\\node[anchor=east, dvar line, text=dvarmuted] at "
        f"($({name}.north east)!0.5!({name}.east |- 0,{below_head})$) {{{symbol}}};",
        *_ports(box, name, below_head),
    ]


def _ports(box: Box, name: str, below_head: str) -> list[str]:
    """The input ports spread down the box's body (as on the canvas), the output port
    half-way down it, and the chips sitting on their ports."""
    out = []
    top_left, top_right = f"({name}.west |- 0,{below_head})", f"({name}.east |- 0,{below_head})"
    for slot in range(box.arity):
        share = _number((slot + 1) / (box.arity + 1))
        where = f"${top_left}!{share}!({name}.south west)$"
        out.append(f"\\node[dvar port] ({name}-in{slot}) at ({where}) {{}};")
    middle = f"${top_right}!0.5!({name}.south east)$"
    out.append(f"\\node[dvar port, fill=black] ({name}-out) at ({middle}) {{}};")
    for chip in box.chips:
        out.append(
            f"\\node[dvar chip] at ($({name}-in{chip.slot}.center) + ({_number(OVER_PORT)}, 0)$) "
            f"{{{latex_text(chip.number)}}}; % {_comment(chip.id)}"
        )
    return out


def _note(note) -> list[str]:
    """A canvas note (a pale box of text) or frame (a coloured outline with a title)."""
    x0, y0 = _number(note.x), _number(note.y)
    x1, y1 = _number(note.x + note.w), _number(note.y + note.h)
    color = _color(note.color)
    text = latex_text(note.text)
    if note.kind == "frame":
        return [
            f"\\definecolor{{dvarnote}}{{HTML}}{{{color}}}",
            f"\\draw[dvarnote, line width=1pt, rounded corners=6pt, fill=dvarnote!8] "
            f"({x0}, {y0}) rectangle ({x1}, {y1});",
            f"\\node[anchor=north west, text=dvarnote!70!black, font=\\small\\bfseries] "
            f"at ({x0}, {y0}) {{{text}}};",
        ]
    width = _number(max(1.0, note.w - 12) * UNIT_PT)
    return [
        f"\\definecolor{{dvarnote}}{{HTML}}{{{color}}}",
        f"\\draw[dvarnote!80!black, fill=dvarnote, rounded corners=3pt] "
        f"({x0}, {y0}) rectangle ({x1}, {y1});",
        f"\\node[anchor=north west, text width={width}pt, align=left] at ({x0}, {y0}) {{{text}}};",
    ]


def _comment(text: str) -> str:
    """Text for a ``%`` comment: one line, ASCII."""
    return text.encode("ascii", "backslashreplace").decode("ascii").replace("\n", " ")


PREAMBLE = r"""\documentclass{article}
\usepackage{tikz}
\usetikzlibrary{arrows.meta, calc, fit}
\pagestyle{empty}
% The page is the picture's size with a margin: the picture is measured first.
\newsavebox{\dvarpicture}
\newlength{\dvarmargin}
\setlength{\dvarmargin}{12pt}
\sbox{\dvarpicture}{\normalfont%
%PICTURE%}
\setlength{\paperwidth}{\dimexpr\wd\dvarpicture+2\dvarmargin\relax}
\setlength{\paperheight}{\dimexpr\ht\dvarpicture+\dp\dvarpicture+2\dvarmargin+1pt\relax}
\setlength{\pdfpagewidth}{\paperwidth}
\setlength{\pdfpageheight}{\paperheight}
\setlength{\textwidth}{\wd\dvarpicture}
\setlength{\textheight}{\dimexpr\ht\dvarpicture+\dp\dvarpicture+1pt\relax}
\setlength{\hoffset}{-1in}
\setlength{\voffset}{-1in}
\setlength{\oddsidemargin}{\dvarmargin}
\setlength{\evensidemargin}{\dvarmargin}
\setlength{\topmargin}{\dvarmargin}
\setlength{\headheight}{0pt}
\setlength{\headsep}{0pt}
\setlength{\footskip}{0pt}
\setlength{\topskip}{0pt}
\setlength{\parindent}{0pt}
"""

DOCUMENT = r"""\begin{document}
\usebox{\dvarpicture}
\end{document}
"""


def tikz_document(figure: Figure) -> str:
    """A standalone LaTeX document holding the picture, on a page of its size."""
    title = f"% {_comment(figure.title)}\n" if figure.title else ""
    return title + PREAMBLE.replace("%PICTURE%", tikz_picture(figure)) + DOCUMENT


def to_tikz(
    graph: Graph,
    evaluation: Evaluation,
    *,
    backward: bool = False,
    values: bool = True,
    only=None,
    body: bool = False,
) -> str:
    """The graph as a LaTeX document (or, with ``body``, the ``tikzpicture`` alone)."""
    figure = make_figure(graph, evaluation, backward=backward, values=values, only=only)
    return tikz_picture(figure) if body else tikz_document(figure)
