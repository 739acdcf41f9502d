"""The kinds of row the action table (``gui.app.actions``) is written in.

A :class:`Menu` holds its items in order: each an :class:`Action`, a :class:`Submenu`
the window fills itself (recent files, examples, notation, panels) or the
:data:`SEPARATOR` line.  An :class:`Action` says:

- ``id``: its name in ``window.actions``;
- ``text``: the menu text, ``&`` before the mnemonic;
- ``handler``: the window method it calls, or a dotted path from the window
  (``"view.fit"``) read when the action fires, so it reaches the current document's
  views; ``args`` are passed along, and a checkable action passes its new state;
- ``keys``: its shortcuts (see below);
- ``enabled``: a predicate on the window, or ``None`` for always.  Predicates are read
  again whenever the undo history or the selection changes and whenever a menu opens;
- ``checkable``, with ``checked`` (the state at start) or ``preference`` (the
  preference that holds its state);
- ``canvas``: a single-key shortcut (``B``, ``Tab``, ``Esc``...) that fires only while the
  canvas has focus, so it never fires while a field is being typed in;
- ``toolbar``: it also sits on the toolbar, with the icon ``resources/icons/<id>.svg``
  drawn in the theme's colours (``gui.app.icons``) and a tooltip naming its key.
  The toolbar keeps the menus' order, with a line between menus.

A key is either a ``QKeySequence.StandardKey``, the platform's own key for the job
(Ctrl+W closes on Linux, Ctrl+F4 on Windows), or a string in Qt's portable form.  Where
a platform's standard key may differ from dvar's long-standing one, both are listed,
the standard key first: a standard key a platform lacks, and a repeated key, are dropped.

May import: QtGui (the key type) and the standard library.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QKeySequence

Key = QKeySequence.StandardKey | str
Std = QKeySequence.StandardKey


@dataclass(frozen=True)
class Action:
    """One entry of the table: see the module's docstring."""

    id: str
    text: str
    handler: str
    keys: tuple[Key, ...] = ()
    tip: str = ""
    args: tuple[Any, ...] = ()
    enabled: Callable[[Any], bool] | None = None
    checkable: bool = False
    checked: bool = False
    preference: str = ""
    canvas: bool = False
    toolbar: bool = False


@dataclass(frozen=True)
class Submenu:
    """A submenu whose items the window makes: ``build`` is called with the new QMenu."""

    title: str
    build: str


class Separator:
    """A line between groups of a menu."""


SEPARATOR = Separator()


@dataclass(frozen=True)
class Menu:
    title: str
    items: tuple[Action | Submenu | Separator, ...]

    def actions(self) -> list[Action]:
        return [item for item in self.items if isinstance(item, Action)]
