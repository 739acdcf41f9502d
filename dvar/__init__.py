"""dvar: see backpropagation happen.

Installed, dvar is one package: ``dvar.core`` (the engine, Qt-free), ``dvar.gui``
(the editor) and ``dvar.resources`` (examples, icons, desktop files).  In a checkout
they are the folders ``core/``, ``gui/`` and ``resources/`` beside this one, mapped
under this name by ``pyproject.toml``.  Importing ``dvar`` loads no Qt.
"""

__version__ = "0.1.0"
