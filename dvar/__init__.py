"""dvar: see backpropagation happen.

``import dvar`` is the Python face of the project: it re-exports the engine's public
API (``dvar.Graph``, ``dvar.evaluate``, ``dvar.load``, ...; see ``dvar.core``) and
adds the tracer::

    import dvar

    def f(a, b, c):
        u = b * c
        v = a + u
        J = 3 * v
        return J

    g = dvar.trace(f, a=5, b=3, c=2)      # the lecture's graph: a, b, c, u, v, J
    dvar.evaluate(g).grads["b"]           # 6.0
    x = dvar.Value(2.0, "x")
    y = dvar.tanh(x * x + 1)
    y.backward(); x.grad                  # as in micrograd
    dvar.show(y)                          # the editor, in its own process
    graph, node_of = dvar.from_micrograd(loss)

``dvar.max`` and ``dvar.min`` take Values; they shadow the builtins only inside this
namespace.  Importing ``dvar`` loads no Qt.

Installed, dvar is one package: ``dvar.core`` (the engine, Qt-free), ``dvar.gui``
(the editor) and ``dvar.resources`` (examples, icons, desktop files).  In a checkout
they are the folders ``core/``, ``gui/`` and ``resources/`` beside this one, mapped
under this name by ``pyproject.toml``.
"""

from dvar.core import *  # noqa: F403 - the facade re-exports core's public API
from dvar.core import __all__ as _core_all
from dvar.core.tracer import *  # noqa: F403 - Value and the functions that take Values
from dvar.core.tracer import __all__ as _tracer_all

__version__ = "0.1.0"

__all__ = list(dict.fromkeys([*_core_all, *_tracer_all]))
