"""dvar's editor (PySide6), in rooms; see docs/architecture.md for the map.

- ``app``: the ``dvar`` command line, the main window, its action table, desktop files.
- ``canvas``: scene, view, node and edge items, look, gestures, drawing for export.
- ``panels``: derivatives, inspector, operations palette.
- ``teach``: nudge, step-through, forward mode, training.
- ``document``: the open document, undo commands, clipboard, autosave, the overlay.
- ``dialogs``: build from formula, preferences, export, the shortcut sheet.
- ``messages``: plain-text message boxes and tooltips, for every room.
- ``numbers``: the number precision a person chose, for every room.

Each room's docstring says which others it may import (tests/packaging checks it).
This package and ``app.cli`` import no Qt when loaded, so ``dvar eval`` never does.
"""
