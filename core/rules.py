"""dvar's rules of evaluation for a graph where some number may be missing.

This file is written once and used twice.  dvar's engine imports it, and every
script that Export as Python writes carries a copy of this source, unchanged.
So the script and dvar agree to the word and to the bit.  It uses nothing but
``math``.

- The helpers that the op expressions call: ``fpow``, ``fabs``, ``sigmoid``, ...
- The number formatting of every message.
- Why a value is undefined.
- The careful evaluation: nulls for empty slots and domain errors, and the
  reason for each.

Every derivative is a sum of terms.  They are added in one canonical order, the
``order`` argument: consumers in the backward order, then by slot.  The first
term starts the sum.  So a single term of -0.0 gives -0.0, and a node with no
terms keeps +0.0.  Starting each sum at -0.0 does exactly that, because
-0.0 + t is t for every t.
"""

import math
from math import cos, exp, fabs, log, sin, sqrt, tanh

FAILURES = (ArithmeticError, ValueError)
#: What a missing (null) number reads as.
MISSING = "\u2014"
#: Significant digits in messages and reports.
DIGITS = 6


def fpow(x, y):
    """x ** y for real numbers only: a ValueError where Python would give a complex number."""
    return math.pow(x, y)


def sigmoid(x):
    """1 / (1 + e^-x), computed so that neither branch can overflow."""
    if x >= 0.0:
        return 1.0 / (1.0 + exp(-x))
    e = exp(x)
    return e / (1.0 + e)


HELPERS = {
    "cos": cos,
    "exp": exp,
    "fabs": fabs,
    "fpow": fpow,
    "log": log,
    "sigmoid": sigmoid,
    "sin": sin,
    "sqrt": sqrt,
    "tanh": tanh,
}


def fmt(x, digits=DIGITS):
    """Up to ``digits`` significant digits, trailing zeros trimmed: 6, 33.003, 1.5e-07.

    None reads as an em dash, and -0 reads as 0.
    """
    if x is None:
        return MISSING
    if not math.isfinite(x):
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    if x == 0:
        return "0"
    text = f"{x:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def why(op, xs, names):
    """Why ``op`` has no finite value for the operands ``xs``, called ``names``.

    ``op.domain`` lists (test, message) pairs.  The first test that holds gives the
    message, filled in with ``{n0}``, ``{n1}`` (the operands' names) and ``{x0}``,
    ``{x1}`` (their values).  If none holds, the result overflowed.
    """
    x0, x1 = xs[0], xs[-1]
    for test, message in op.domain:
        if test(x0, x1):
            return message.format(n0=names[0], n1=names[-1], x0=fmt(x0), x1=fmt(x1))
    shown = ", ".join(f"{names[k]} = {fmt(xs[k])}" for k in range(len(xs)))
    return f"{op.name} has no finite value here ({shown}): the result overflows"


def partial_failure(name, operand_names, slot, text, xs):
    """The reason a local partial is not finite, e.g. ``∂p/∂x = ... is not finite at ...``."""
    shown = ", ".join(f"{operand_names[k]} = {fmt(xs[k])}" for k in range(len(xs)))
    return f"\u2202{name}/\u2202{operand_names[slot]} = {text} is not finite at {shown}"


def careful_values(ops, names, args, values, fixed=()):
    """Fill in every computed value, None where there is none, in topological order.

    ``values`` holds the leaves' values (and None elsewhere) and is filled in place;
    positions in ``fixed`` keep the value they have (a nudged node).  Returns the
    reason for each missing value, and each missing value's root cause, by position.
    """
    errors = {}
    cause = {}
    for i, op in enumerate(ops):
        if not op.dfns or i in fixed:
            continue
        operands = []
        for slot, a in enumerate(args[i]):
            if a is None:
                errors[i] = f"slot {slot + 1} of {names[i]} is empty"
                cause[i] = i
                break
            x = values[a]
            if x is None:
                cause[i] = cause[a]
                errors[i] = f"waits on {names[cause[a]]}"
                break
            operands.append(x)
        else:
            try:
                y = op.fn(*operands)
            except FAILURES:
                y = math.nan
            if math.isfinite(y):
                values[i] = y
            else:
                errors[i] = why(op, operands, [names[a] for a in args[i]])
                cause[i] = i
    return errors, cause


def careful_grads(ops, names, args, values, out, reach, order, texts, errors):
    """Every derivative dJ/dnode for output position ``out``, None where there is none.

    ``order`` is the backward order (each consumer before its operands); ``texts(i,
    slot)`` gives a partial's text for messages.  Reasons go into ``errors``.
    """
    n = len(values)
    if out is None:
        for i in range(n):
            errors.setdefault(i, "no output chosen")
        return [None] * n
    grads = [-0.0 if r else 0.0 for r in reach]
    if values[out] is None:
        for i in range(n):
            if reach[i]:
                grads[i] = None
                errors.setdefault(i, f"{names[out]} has no value")
        return grads
    grads[out] = 1.0
    broken = {}  # for a null derivative: the node where it first broke
    for i in order:
        op = ops[i]
        if not reach[i] or not op.dfns:
            continue
        g = grads[i]
        xs = [values[a] for a in args[i]]
        for slot, a in enumerate(args[i]):
            if grads[a] is None:
                continue
            if g is None:
                grads[a] = None
                broken[a] = broken[i]
                errors.setdefault(a, f"waits on d{names[broken[i]]}")
                continue
            try:
                term = g * op.dfns[slot](xs[0], xs[-1], values[i])
            except FAILURES:
                term = math.nan
            if not math.isfinite(term):
                grads[a] = None
                broken[a] = a
                operand_names = [names[b] for b in args[i]]
                errors.setdefault(
                    a, partial_failure(names[i], operand_names, slot, texts(i, slot), xs)
                )
                continue
            grads[a] += term
            if not math.isfinite(grads[a]):
                grads[a] = None
                broken[a] = a
                errors.setdefault(a, f"d{names[a]} overflows: the sum is too large")
    return grads
