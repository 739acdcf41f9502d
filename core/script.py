"""The graph of a person's own Python script, for ``dvar trace SCRIPT.py``.

Running the script is the person's explicit choice, as ``python SCRIPT.py`` is:
dvar never runs a file because it was asked to open it.  The script runs as a
module named ``__dvar_trace__`` (so its ``if __name__ == "__main__":`` block does
not run), with its own folder first on ``sys.path`` and ``sys.argv`` set to
``[SCRIPT]``, as Python would.  Then:

- ``function``: the script's function of that name is traced with ``values``
  (:func:`dvar.core.tracing.trace`);
- ``variable``: the module-level variable of that name is taken: a ``dvar.Value``
  (its graph), a ``core.Graph``, or a micrograd ``Value`` (``from_micrograd``).

Whatever goes wrong is a :class:`ScriptError` whose text is one line; an exception
raised by the script names the exception, its message and the script's line.
"""

from __future__ import annotations

import os
import runpy
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path

from dvar.core.graph import Graph, GraphError
from dvar.core.micrograd import from_micrograd
from dvar.core.tracer import Value
from dvar.core.tracing import trace

MODULE_NAME = "__dvar_trace__"


class ScriptError(Exception):
    """A script that gave no graph.  ``str(error)`` is one line."""


def graph_of_script(
    path: str | os.PathLike[str],
    *,
    function: str | None = None,
    values: Mapping[str, float] | None = None,
    variable: str | None = None,
) -> Graph:
    """Run the script at ``path`` and return the graph of ``function`` (traced with
    ``values``) or of the module-level ``variable``; exactly one of the two."""
    if (function is None) == (variable is None):
        raise ScriptError("name either a function (--function) or a variable (--var)")
    script = Path(path)
    if not script.is_file():
        raise ScriptError(f"{script}: no such file")
    namespace = _run(script)
    name = function if function is not None else variable
    if name not in namespace:
        kind = "function" if function is not None else "variable"
        raise ScriptError(f"{script} defines no {kind} named {name!r}")
    found = namespace[name]
    if function is not None:
        if not callable(found):
            raise ScriptError(f"{script}: {name} is not a function (it is {type(found).__name__})")
        try:
            return trace(found, **dict(values or {}))
        except Exception as error:  # noqa: BLE001 - the script's own code raised it
            raise ScriptError(_describe(error, script)) from None
    return _graph_of(found, name, script)


def _run(script: Path) -> dict[str, object]:
    saved_path, saved_argv = sys.path[:], sys.argv[:]
    sys.path.insert(0, str(script.resolve().parent))
    sys.argv = [str(script)]
    try:
        return runpy.run_path(str(script), run_name=MODULE_NAME)
    except SystemExit as error:
        if error.code in (None, 0):
            raise ScriptError(f"{script} exited before it defined anything to trace") from None
        raise ScriptError(f"{script} exited with status {error.code}") from None
    except Exception as error:  # noqa: BLE001 - the script's own code raised it
        raise ScriptError(_describe(error, script)) from None
    finally:
        sys.path[:] = saved_path
        sys.argv = saved_argv


def _graph_of(found: object, name: str, script: Path) -> Graph:
    if isinstance(found, Graph):
        return found
    if isinstance(found, Value):
        return found.graph()
    if all(hasattr(found, field) for field in ("data", "_prev", "_op")):
        try:
            return from_micrograd(found)[0]
        except GraphError as error:
            raise ScriptError(f"{script}: {name}: {error}") from None
    raise ScriptError(
        f"{script}: {name} is not a dvar.Value, a Graph or a micrograd Value "
        f"(it is {type(found).__name__})"
    )


def _describe(error: BaseException, script: Path) -> str:
    """``SCRIPT, line 7: ZeroDivisionError: division by zero`` (the script's last line
    in the traceback; a syntax error's own line)."""
    line = None
    if isinstance(error, SyntaxError) and error.filename and _same(error.filename, script):
        line = error.lineno
    else:
        for frame in traceback.extract_tb(error.__traceback__):
            if _same(frame.filename, script):
                line = frame.lineno
    message = " ".join(str(error).split())
    what = f"{type(error).__name__}: {message}" if message else type(error).__name__
    where = f"{script}, line {line}" if line is not None else str(script)
    return f"{where}: {what}"


def _same(filename: str, script: Path) -> bool:
    try:
        return Path(filename).resolve() == script.resolve()
    except OSError:
        return False
