"""``dvar.show``: look at a graph from a script, a REPL or a notebook, without Qt here.

- From a script or a REPL, :func:`show` writes the graph to a temporary ``.dvar``
  file and starts the editor on it in a process of its own (``python -m dvar
  FILE``), detached: the call returns at once and the window outlives the script.
- In Jupyter a ``Value`` or a ``Graph`` shows itself inline (``_repr_svg_``): the
  SVG comes from ``python -m dvar export FILE -o OUT.svg`` in a subprocess, so the
  notebook's own process never loads Qt.  :func:`show` there displays it inline.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from dvar.core.bulk import LAYOUT_LIMIT
from dvar.core.fileformat import save
from dvar.core.graph import Graph

#: How long an inline SVG may take to render before the notebook shows text instead.
SVG_TIMEOUT = 60.0
#: Bigger graphs are not drawn inline: the picture would be unreadable and slow to make.
SVG_LIMIT = LAYOUT_LIMIT


def show(what: object) -> subprocess.Popen | None:
    """Show a ``dvar.Value`` (its graph) or a ``core.Graph``: inline in Jupyter, else in
    the editor, in its own process (returned), without waiting for it."""
    graph = _graph_of(what)
    if _in_notebook():
        from IPython.display import SVG, display

        picture = svg(graph)
        display(SVG(picture) if picture else graph)
        return None
    path = _temporary(graph, "dvar-show-")
    return subprocess.Popen(
        [sys.executable, "-m", "dvar", str(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # the window outlives the script, and Ctrl+C in it
        close_fds=True,
    )


def svg(graph: Graph) -> str | None:
    """The graph's diagram as SVG text, with values and derivatives, drawn by ``dvar
    export`` in a subprocess; None if that fails, or for a graph of more than
    :data:`SVG_LIMIT` nodes (the notebook then shows the repr; ``show`` opens it)."""
    if len(graph) > SVG_LIMIT:
        return None
    with tempfile.TemporaryDirectory(prefix="dvar-svg-") as folder:
        source = Path(folder) / "graph.dvar"
        out = Path(folder) / "graph.svg"
        save(graph, source)
        env = dict(os.environ)
        if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
            env.setdefault("QT_QPA_PLATFORM", "offscreen")
        try:
            done = subprocess.run(
                [sys.executable, "-m", "dvar", "export", str(source), "-o", str(out)],
                capture_output=True,
                timeout=SVG_TIMEOUT,
                env=env,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        if done.returncode != 0 or not out.exists():
            return None
        return out.read_text(encoding="utf-8")


def _graph_of(what: object) -> Graph:
    if isinstance(what, Graph):
        return what
    from dvar.core.tracer import Value

    if isinstance(what, Value):
        return what.graph()
    raise TypeError(f"dvar.show takes a dvar.Value or a Graph, not {type(what).__name__}")


def _temporary(graph: Graph, prefix: str) -> Path:
    """A new file in the temporary folder holding the graph (the editor opens it)."""
    handle, name = tempfile.mkstemp(prefix=prefix, suffix=".dvar")
    os.close(handle)
    save(graph, name)
    return Path(name)


def _in_notebook() -> bool:
    """True inside a Jupyter kernel (IPython with a kernel), never importing IPython."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython() if hasattr(ipython, "get_ipython") else None
    return shell is not None and getattr(shell, "kernel", None) is not None
