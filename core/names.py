"""How dvar names the nodes it makes: one rule for the palette, the canvas, pasting and formulas.

A node's derivative is written with a ``d`` in front of its id (``da``, ``dbc``), so an
id is chosen to read well with and without that ``d``:

- **Free ids.** :func:`unique` gives ``stem`` itself when it is free, else ``stem_2``,
  ``stem_3``, ...  The stem is put in Unicode normal form NFKC first, and a stem that
  cannot name a node (a keyword, or not an identifier) gets ``n_`` in front.
- **Stems by op** (:func:`default_stem`): inputs are ``x``, constants ``k``, any other
  node is named after its op (``mul``, ``exp``).  Constants never get a word name such
  as ``one``: its derivative ``done`` would read as the English word.
- **Steps of a formula** (:func:`expression_name`): a step nobody named is named after
  its expression when that is short:

  ======================  ===============  ==========================================
  expression              name             rule
  ======================  ===============  ==========================================
  ``b*c``, ``w*x``        ``bc``, ``wx``   a product of one-letter names concatenates
  ``w*x + b``             ``wx_b``         a sum of such names joins them with ``_``
  ``w1*x1``, ``a + w1``   ``w1_times_x1``, other products and sums say ``times`` and
                          ``a_plus_w1``    ``plus``
  ``1 - a``, ``a/b``      ``one_minus_a``, differences say ``minus``, quotients
                          ``a_over_b``     ``over``, powers ``pow`` (``x_pow_two``)
  ``log(a)``, ``-a``      ``log_a``,       a function's name comes first (``neg`` for
                          ``neg_a``        a minus sign), then its arguments
  ======================  ===============  ==========================================

  Numbers inside a name are words: ``zero`` to ``ten`` and ``half``.  A name longer than
  :data:`MAX_READABLE` characters, one with another number in it, or one that would clash
  (one starting with ``d``, which reads as a derivative, or ``ef`` and ``el``, whose
  derivatives ``def`` and ``del`` are Python keywords) is not used: the step
  is ``t1``, ``t2``, ... instead (:func:`numbered`).  A name the person typed
  (``u = b*c``) is always kept.
"""

from __future__ import annotations

import keyword
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dvar.core.ops import Op

#: Names made from an expression are used only up to this many characters.
MAX_READABLE = 12

#: The stem of an input, a constant, and a step of a formula with no readable name.
INPUT_STEM = "x"
CONSTANT_STEM = "k"
STEP_STEM = "t"

#: Numbers written as words inside a name made from an expression (``one_minus_a``).
NUMBER_WORDS: dict[float, str] = {
    0: "zero",
    1: "one",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    0.5: "half",
}

#: The word between the operands of a binary operator (``a_minus_b``); other ops use their name.
_INFIX_WORDS = {"add": "plus", "sub": "minus", "mul": "times", "div": "over"}

#: Ids whose derivative would be a Python keyword (``def``, ``del``): an exported script
#: names each derivative ``d`` + id.
_D_KEYWORDS = frozenset(word[1:] for word in keyword.kwlist if word.startswith("d"))


# ----------------------------------------------------------------- free ids
def default_stem(op_name: str) -> str:
    """The stem of a new node of this op: ``x`` for an input, ``k`` for a constant, else the op."""
    return {"input": INPUT_STEM, "const": CONSTANT_STEM}.get(op_name, op_name)


def unique(stem: str, taken: Callable[[str], bool]) -> str:
    """``stem`` if it is free, else ``stem_2``, ``stem_3``, ...: the first that ``taken`` refuses.

    The stem is made a valid id first (NFKC, ``n_`` in front of a keyword or a non-name).
    """
    stem = unicodedata.normalize("NFKC", stem)
    if not stem.isidentifier() or keyword.iskeyword(stem):
        stem = f"n_{stem}" if f"n_{stem}".isidentifier() else "n"
    if not taken(stem):
        return stem
    n = 2
    while taken(f"{stem}_{n}"):
        n += 1
    return f"{stem}_{n}"


def numbered(stem: str, taken: Callable[[str], bool], start: int = 1) -> tuple[str, int]:
    """The first of ``stem<start>``, ``stem<start+1>``, ... that is free, and its number."""
    n = start
    while taken(f"{stem}{n}"):
        n += 1
    return f"{stem}{n}", n


# --------------------------------------------------- names from expressions
@dataclass(frozen=True, slots=True)
class Piece:
    """How one operand reads inside a name: its text, and what kind of text it is.

    ``kind`` is ``"letters"`` for a one-letter name or a product of them (``b``, ``bc``),
    ``"sum"`` for a ``_``-joined sum of those (``wx_b``), ``"word"`` for anything else.
    ``text`` is None for an operand that cannot be written in a name (``2.5``).
    """

    text: str | None
    kind: str = "word"


def node_piece(node_id: str) -> Piece:
    """How the node ``node_id`` reads inside a name made from an expression that uses it."""
    letter = len(node_id) == 1 and node_id.isalpha()
    return Piece(node_id, "letters" if letter else "word")


def number_piece(value: float) -> Piece:
    """How a number reads inside a name: its word (``one``), or no text at all."""
    return Piece(NUMBER_WORDS.get(value))


def combine(op: Op, operands: list[Piece]) -> Piece:
    """The piece for ``op`` applied to ``operands`` (see the module's table).

    The result may be long or clash: :func:`expression_name` decides whether to use it.
    """
    texts = [p.text for p in operands]
    if any(t is None for t in texts):
        return Piece(None)
    kinds = {p.kind for p in operands}
    if op.name == "mul" and kinds == {"letters"}:
        joined = "".join(texts)  # type: ignore[arg-type]
        if not _reads_as_derivative(joined):
            return Piece(joined, "letters")
    if op.name == "add" and kinds <= {"letters", "sum"}:
        return Piece("_".join(texts), "sum")  # type: ignore[arg-type]
    if op.operator and len(operands) == 2:
        word = _INFIX_WORDS.get(op.name, op.function or op.name)
        return Piece(f"{texts[0]}_{word}_{texts[1]}")
    return Piece("_".join([op.function or op.name, *texts]))  # type: ignore[list-item]


def expression_name(piece: Piece) -> str | None:
    """The piece's text if it makes a good node id, else None (the step is then numbered)."""
    text = piece.text
    if text is None or len(text) > MAX_READABLE:
        return None
    if unicodedata.normalize("NFKC", text) != text or not text.isidentifier():
        return None
    if keyword.iskeyword(text) or _reads_as_derivative(text):
        return None
    return text


def _reads_as_derivative(name: str) -> bool:
    """True for ``dx``-like names, and for ``ef`` and ``el``, whose derivatives are keywords."""
    return (len(name) > 1 and name[0] == "d" and name[1] != "_") or name in _D_KEYWORDS
