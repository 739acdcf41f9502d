"""Every action of the main window, in one table: the menus, the keys and the shortcut sheet.

:data:`MENUS` lists the menu bar from left to right.  Its rows are written in two
modules, by menu: ``gui.app.actions_document`` (File, Edit, Node) and
``gui.app.actions_teaching`` (View, Teach, Help); what a row says is explained in
``gui.app.action_records``.  This module puts the menus together, in one place, and makes
them live in a window: the QActions and their keys, the menu bar, the toolbar, the
enabled state and the shortcut sheet's sections.

The menus, the toolbar, the shortcut sheet (Help → Keyboard Shortcuts) and the test that tries
every action all read this table; adding an action means adding one entry to its menu's
rows and, if it is new work, one window method.

May import: Qt and the rest of ``gui.app``'s action table (records, rows, icons).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QMenuBar, QToolBar

from dvar.gui.app import icons
from dvar.gui.app.action_records import SEPARATOR, Action, Key, Menu, Separator, Submenu
from dvar.gui.app.actions_document import EDIT_MENU, FILE_MENU, NODE_MENU
from dvar.gui.app.actions_teaching import HELP_MENU, TEACH_MENU, VIEW_MENU

#: The menu bar, left to right.
MENUS: tuple[Menu, ...] = (FILE_MENU, EDIT_MENU, NODE_MENU, VIEW_MENU, TEACH_MENU, HELP_MENU)

#: Every action by id, in menu order.
ACTIONS: dict[str, Action] = {action.id: action for menu in MENUS for action in menu.actions()}


def key_sequences(keys: tuple[Key, ...]) -> list[QKeySequence]:
    """The shortcuts for ``keys`` on this platform: none empty, none twice, in order."""
    sequences: list[QKeySequence] = []
    for sequence in map(QKeySequence, keys):
        if not sequence.isEmpty() and sequence not in sequences:
            sequences.append(sequence)
    return sequences


def handler(window, spec: Action) -> Callable[..., Any]:
    """The callable an action runs, looked up on the window now."""
    target = window
    for name in spec.handler.split("."):
        target = getattr(target, name)
    return target


def build_actions(window) -> dict[str, QAction]:
    """Make the table's actions for ``window``, its shortcuts live.

    Window-wide actions are added to the window.  Canvas actions are not: the window
    adds them to its canvas view, where their single keys belong.
    """
    actions: dict[str, QAction] = {}
    for spec in ACTIONS.values():
        action = QAction(spec.text, window)
        action.setShortcuts(key_sequences(spec.keys))
        if spec.tip:
            action.setStatusTip(spec.tip)
        if spec.checkable:
            action.setCheckable(True)
            checked = window.preferences.get(spec.preference) if spec.preference else spec.checked
            action.setChecked(checked)
            action.toggled.connect(lambda on, s=spec: handler(window, s)(on))
        else:
            action.triggered.connect(lambda _=False, s=spec: handler(window, s)(*s.args))
        if spec.canvas:
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        else:
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            window.addAction(action)
        actions[spec.id] = action
    return actions


def build_menus(window, bar: QMenuBar) -> dict[str, QMenu]:
    """Fill the menu bar from :data:`MENUS`; returns the menus by title (without ``&``)."""
    menus = {}
    for spec in MENUS:
        menu = bar.addMenu(spec.title)
        menu.aboutToShow.connect(lambda: refresh(window))
        for item in spec.items:
            if isinstance(item, Separator):
                menu.addSeparator()
            elif isinstance(item, Submenu):
                getattr(window, item.build)(menu.addMenu(item.title))
            else:
                menu.addAction(window.actions[item.id])
        menus[plain(spec.title)] = menu
    return menus


def toolbar_entries() -> list[Action | Separator]:
    """The toolbar's actions in menu order, with a separator between menus."""
    entries: list[Action | Separator] = []
    for menu in MENUS:
        chosen = [spec for spec in menu.actions() if spec.toolbar]
        if chosen and entries:
            entries.append(SEPARATOR)
        entries.extend(chosen)
    return entries


def tooltip(action: QAction) -> str:
    """``Nudge (N)``: the action's name and its first key, as the toolbar shows it."""
    name = plain(action.text()).rstrip("…").rstrip(".")
    keys = action.shortcuts()
    if not keys:
        return name
    return f"{name} ({keys[0].toString(QKeySequence.SequenceFormat.NativeText)})"


def build_toolbar(window) -> QToolBar:
    """The main toolbar, from the table's ``toolbar`` entries; its icons follow the theme."""
    bar = QToolBar("Toolbar", window)
    bar.setObjectName("toolbar")  # saveState() remembers it by this name
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    bar.toggleViewAction().setText("&Toolbar")
    for entry in toolbar_entries():
        if isinstance(entry, Separator):
            bar.addSeparator()
            continue
        action = window.actions[entry.id]
        action.setToolTip(tooltip(action))
        bar.addAction(action)
    paint_icons(window)
    return bar


def paint_icons(window) -> None:
    """Give each toolbar action its icon in the application's current colours."""
    palette = QApplication.palette()
    for spec in ACTIONS.values():
        if spec.toolbar:
            action = window.actions[spec.id]
            action.setIcon(icons.themed_icon(spec.id, palette))
            # In a menu, a check box says "on" more plainly than a framed icon.
            action.setIconVisibleInMenu(not spec.checkable)


def refresh(window) -> None:
    """Enable or disable each action that has a predicate, as the window is now."""
    for spec in ACTIONS.values():
        if spec.enabled is not None:
            window.actions[spec.id].setEnabled(bool(spec.enabled(window)))


def plain(text: str) -> str:
    """Menu text without its mnemonic marker."""
    return text.replace("&", "")


def shortcut_sections(actions: dict[str, QAction]) -> list[tuple[str, list[tuple[str, str]]]]:
    """For the shortcut sheet: each menu's title, with each action's text and keys."""
    native = QKeySequence.SequenceFormat.NativeText
    return [
        (
            plain(menu.title),
            [
                (
                    plain(spec.text),
                    ", ".join(key.toString(native) for key in actions[spec.id].shortcuts()),
                )
                for spec in menu.actions()
            ],
        )
        for menu in MENUS
    ]
