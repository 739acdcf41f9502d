"""The one oracle table the tests check dvar's ops against.

Each op's forward function, written here from the mathematics, independently of
``core/ops.py`` and ``core/rules.py``: a wrong expression there cannot hide by
being copied here.  ``pow`` is the real power (``math.pow`` raises where ``**``
would give a complex number), and ``sigmoid`` is written so it cannot overflow.
"""

from __future__ import annotations

import math
from collections.abc import Callable


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    e = math.exp(x)
    return e / (1 + e)


#: op name -> the function it computes.
REFERENCE: dict[str, Callable[..., float]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": math.pow,
    "max": lambda a, b: a if a >= b else b,
    "min": lambda a, b: a if a <= b else b,
    "neg": lambda a: -a,
    "exp": math.exp,
    "log": math.log,
    "sqrt": math.sqrt,
    "sin": math.sin,
    "cos": math.cos,
    "tanh": math.tanh,
    "sigmoid": _sigmoid,
    "relu": lambda a: a if a > 0 else 0.0,
    "abs": math.fabs,
}

#: How a formula writes the binary operators, as Python does.
OPERATORS: dict[str, str] = {"+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow"}
