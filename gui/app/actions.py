"""Every action of the main window, in one table: the menus, the keys and the shortcut sheet.

:data:`MENUS` lists the menu bar from left to right.  Each menu holds its actions in
order, with separators and the submenus the window fills itself (recent files,
examples, notation, panels).  An :class:`Action` says:

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

The menus, the toolbar, the shortcut sheet (Help → Keyboard Shortcuts) and the test that tries
every action all read this table; adding an action means adding one entry here and,
if it is new work, one window method.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QMenuBar, QToolBar

from dvar.gui.app import icons

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


def _can_undo(window) -> bool:
    return window.undo_group.canUndo()


def _can_redo(window) -> bool:
    return window.undo_group.canRedo()


def _groups_allow(what: str) -> Callable[[Any], bool]:
    """Enabled while the canvas's group actions allow ``what`` (``can_group``...)."""

    def enabled(window) -> bool:
        scene = getattr(window, "scene", None)
        return scene is not None and getattr(scene.groups, what)()

    return enabled


MENUS: tuple[Menu, ...] = (
    Menu(
        "&File",
        (
            Action("new", "&New", "new_document", (Std.New,)),
            Action("open", "&Open…", "open_dialog", (Std.Open,)),
            Submenu("Open &Recent", "_build_recent_menu"),
            Submenu("&Examples", "_build_examples_menu"),
            SEPARATOR,
            Action("save", "&Save", "save", (Std.Save,)),
            Action("save_as", "Save &As…", "save_as", (Std.SaveAs,)),
            Action(
                "export_image",
                "E&xport Image…",
                "export_image",
                ("Ctrl+E",),
                tip="Write the diagram as PNG, SVG or PDF",
            ),
            Action(
                "export_python",
                "Export as P&ython…",
                "export_python",
                tip="Write the forward and backward passes as a runnable Python script",
            ),
            Action(
                "export_steps",
                "Export S&teps…",
                "export_steps",
                tip="Write every step of a pass as the step-through shows it: a PDF or a GIF",
            ),
            Action(
                "copy_image",
                "Copy as &Image",
                "copy_image",
                ("Ctrl+Shift+C",),
                tip="Put a picture of the diagram on the clipboard",
            ),
            Action(
                "copy_svg",
                "Copy as S&VG",
                "copy_svg",
                tip="Put the diagram on the clipboard as an SVG drawing, to paste as vectors",
            ),
            SEPARATOR,
            Action("print", "&Print…", "print_diagram", (Std.Print,)),
            Action(
                "print_worksheet",
                "Print &Worksheet…",
                "print_worksheet",
                tip="A worksheet to print: the diagram with numbered blanks and a table to fill in",
            ),
            Action("close", "&Close", "close_document", (Std.Close, "Ctrl+W")),
            Action("quit", "&Quit", "close", (Std.Quit, "Ctrl+Q")),
        ),
    ),
    Menu(
        "&Edit",
        (
            Action("undo", "&Undo", "undo_group.undo", (Std.Undo,), enabled=_can_undo),
            Action(
                "redo",
                "&Redo",
                "undo_group.redo",
                (Std.Redo, "Ctrl+Shift+Z", "Ctrl+Y"),
                enabled=_can_redo,
            ),
            SEPARATOR,
            Action("cut", "Cu&t", "cut", (Std.Cut,)),
            Action("copy", "&Copy", "copy", (Std.Copy,)),
            Action("paste", "&Paste", "paste", (Std.Paste,)),
            Action("duplicate", "D&uplicate", "duplicate", ("Ctrl+D",)),
            Action(
                "delete",
                "&Delete",
                "delete_selection",
                (Std.Delete, "Del", "Backspace"),
                canvas=True,
            ),
            SEPARATOR,
            Action("select_all", "Select &All", "select_all", (Std.SelectAll,)),
            Action("find", "&Find Node…", "find_node", (Std.Find,)),
            SEPARATOR,
            Action(
                "preferences",
                "Pre&ferences…",
                "show_preferences",
                (Std.Preferences, "Ctrl+,"),
                tip="Theme, notation, number precision, grid and snap",
            ),
        ),
    ),
    Menu(
        "&Node",
        (
            Action(
                "add_node",
                "&Add Node…",
                "open_quick_add",
                ("Tab",),
                tip="Search the operations and add one at the cursor",
                canvas=True,
            ),
            Action("edit_value", "Edit &Value", "edit_value", ("Return",), canvas=True),
            Action("rename", "Re&name…", "rename", ("F2",)),
            Action("set_output", "Set as &Output", "set_output", ("Ctrl+J",)),
            SEPARATOR,
            Action(
                "group",
                "&Group",
                "scene.groups.group",
                ("Ctrl+G",),
                tip="Collapse the selected nodes into one box (its inputs, outputs and a count)",
                enabled=_groups_allow("can_group"),
            ),
            Action(
                "ungroup",
                "&Ungroup",
                "scene.groups.ungroup",
                ("Ctrl+Alt+G",),
                tip="Dissolve the selected group: its nodes move up one level",
                enabled=_groups_allow("can_ungroup"),
            ),
            Action(
                "expand_group",
                "&Expand Group",
                "scene.groups.expand",
                ("Ctrl+Shift+G",),
                tip="Open the selected group's box in place (or double-click its title)",
                enabled=_groups_allow("can_expand"),
            ),
            Action(
                "collapse_group",
                "Co&llapse Group",
                "scene.groups.collapse",
                ("Ctrl+Alt+C",),
                tip="Close the group of the selected nodes into its box again",
                enabled=_groups_allow("can_collapse"),
            ),
            SEPARATOR,
            Action(
                "next_port",
                "Next Po&rt",
                "view.keyboard.next_port",
                ("]",),
                tip="Put the keyboard on the focused node's next port (inputs, then output)",
                canvas=True,
            ),
            Action(
                "previous_port",
                "&Previous Port",
                "view.keyboard.previous_port",
                ("[",),
                tip="Put the keyboard on the focused node's previous port",
                canvas=True,
            ),
            Action(
                "connect_port",
                "&Connect Port…",
                "view.keyboard.open_slot_menu",
                ("C",),
                tip="Choose what the focused port connects to (an input's source, or the "
                "inputs an output feeds)",
                canvas=True,
            ),
            Action(
                "disconnect_port",
                "&Disconnect Port",
                "view.keyboard.disconnect_port",
                ("D",),
                tip="Take the edge off the focused input port (every edge off an output)",
                canvas=True,
            ),
            SEPARATOR,
            Action(
                "formula",
                "Build from &Formula…",
                "build_from_formula",
                ("Ctrl+Shift+N",),
                tip="Type J = 3*(a + b*c) and get the graph, laid out",
                toolbar=True,
            ),
            Action(
                "arrange",
                "&Arrange",
                "arrange",
                ("Ctrl+Shift+L",),
                tip="Lay the graph out in layers, left to right (selection only if any)",
            ),
            SEPARATOR,
            Action(
                "add_note",
                "Add No&te",
                "add_note",
                args=("note",),
                tip="A box of plain text on the canvas, at the mouse (double-click it to edit)",
            ),
            Action(
                "add_frame",
                "Add Fra&me",
                "add_note",
                args=("frame",),
                tip="A coloured rectangle with a title, to mark a part of the canvas",
            ),
        ),
    ),
    Menu(
        "&View",
        (
            # Ctrl+= and Ctrl+- size node text (below); zoom keeps Ctrl++ and takes
            # Ctrl+Shift+- (the same keys with Shift), the wheel and this menu.
            Action("zoom_in", "Zoom &In", "view.zoom_by", (Std.ZoomIn, "Ctrl++"), args=(1.25,)),
            Action("zoom_out", "Zoom &Out", "view.zoom_by", ("Ctrl+Shift+-",), args=(0.8,)),
            Action(
                "fit",
                "&Fit to View",
                "view.fit",
                ("F", "Ctrl+0"),
                tip="Zoom to show the whole graph",
                canvas=True,
                toolbar=True,
            ),
            Action(
                "text_larger",
                "&Larger Node Text",
                "change_text_size",
                ("Ctrl+=",),
                args=(1,),
                tip="Node text one size larger, whatever the zoom (remembered)",
            ),
            Action(
                "text_smaller",
                "Smalle&r Node Text",
                "change_text_size",
                ("Ctrl+-",),
                args=(-1,),
                tip="Node text one size smaller, whatever the zoom (remembered)",
            ),
            Action(
                "text_usual",
                "&Usual Node Text Size",
                "change_text_size",
                ("Ctrl+Shift+0",),
                args=(0,),
                tip="Node text back to 100 %",
            ),
            SEPARATOR,
            Action(
                "backward",
                "&Backward View",
                "_set_backward",
                ("B",),
                tip="Red edges pointing right to left, labelled with local derivatives",
                checkable=True,
                canvas=True,
                toolbar=True,
            ),
            Action("grid", "Show &Grid", "_set_grid", checkable=True, preference="grid"),
            Action("snap", "&Snap to Grid", "_set_snap", checkable=True, preference="snap"),
            Action(
                "constants_as_nodes",
                "&Constants as Nodes",
                "_set_constants_as_nodes",
                tip="Draw every constant as a box of its own, not as a chip on the port it feeds",
                checkable=True,
                preference="constants_as_nodes",
            ),
            Action(
                "constant_derivatives",
                "&Derivatives of Constants",
                "_set_constant_derivatives",
                tip="Give constants drawn as chips rows of their own in the derivative panel",
                checkable=True,
                preference="constant_derivatives",
            ),
            Action(
                "minimap",
                "&Minimap",
                "_set_minimap",
                ("M",),
                checkable=True,
                checked=True,
                canvas=True,
            ),
            SEPARATOR,
            Action(
                "present",
                "&Present",
                "toggle_presentation",
                ("F5",),
                tip="Full screen, one step per click: the forward pass, then the backward pass "
                "(Esc leaves)",
            ),
            Submenu("Derivative &Notation", "_build_notation_menu"),
            Submenu("&Panels", "_build_panels_menu"),
            Action(
                "next_pane",
                "Next Pan&e",
                "view.keyboard.next_pane",
                ("F6",),
                tip="Move the keyboard to the next panel, or back to the canvas",
            ),
            Action(
                "previous_pane",
                "Pre&vious Pane",
                "view.keyboard.previous_pane",
                ("Shift+F6",),
                tip="Move the keyboard to the previous panel, or back to the canvas",
            ),
        ),
    ),
    Menu(
        "&Teach",
        (
            Action(
                "nudge",
                "&Nudge",
                "nudge",
                ("N",),
                tip="Bump the selected node by h and watch what moves",
                canvas=True,
                toolbar=True,
            ),
            Action("clear_preview", "&Clear Nudge / Steps", "clear_preview", ("Esc",), canvas=True),
            SEPARATOR,
            Action(
                "step_backward",
                "Step Through &Backward Pass",
                "step_backward",
                ("Ctrl+Shift+B",),
                tip="Reveal the derivatives one node at a time, from J back to the inputs",
                toolbar=True,
            ),
            Action("step_forward", "Step Through &Forward Pass", "step_forward", ("Ctrl+Shift+F",)),
            Action("next_step", "Ne&xt Step", "teaching.next_step", ("F10",)),
            Action("previous_step", "&Previous Step", "teaching.previous_step", ("Shift+F10",)),
            Action("play_steps", "P&lay / Pause", "teaching.toggle_play", ("F9",)),
            SEPARATOR,
            Action(
                "forward_mode",
                "F&orward Mode",
                "_set_forward_mode",
                ("Ctrl+Shift+D",),
                tip="Every node shows d(node)/dx for one chosen input x, from one forward sweep",
                checkable=True,
                toolbar=True,
            ),
            Action(
                "paths",
                "Pat&hs",
                "show_paths",
                ("Ctrl+Shift+H",),
                tip="List every path from the selected node to J: the sum of their products is "
                "its derivative, and factored it is the chain rule",
            ),
            Action(
                "train",
                "&Train…",
                "show_training",
                ("Ctrl+Shift+T",),
                tip="Gradient descent on the inputs marked as parameters",
                toolbar=True,
            ),
            SEPARATOR,
            Action(
                "practice",
                "Pr&actice",
                "_set_practice",
                ("P",),
                tip="Hide the derivatives (or values) and work them out; each mistake is named",
                checkable=True,
                canvas=True,
                toolbar=True,
            ),
            Action(
                "new_problem",
                "New Probl&em…",
                "new_problem",
                tip="A generated graph to practise on, by level and seed",
            ),
            Action(
                "play_lesson",
                "Play Le&sson",
                "play_lesson",
                tip="Walk through the lesson this file carries, one step at a time",
                enabled=lambda w: w.document is not None and w.document.graph.lesson is not None,
            ),
            Action(
                "edit_lesson",
                "E&dit Lesson…",
                "edit_lesson",
                tip="Write the lesson this file carries: steps, text, spotlight, hidden and "
                "asked cells, actions",
            ),
        ),
    ),
    Menu(
        "&Help",
        (
            Submenu("&Lessons", "_build_lessons_menu"),
            SEPARATOR,
            Action("shortcuts", "&Keyboard Shortcuts", "show_shortcuts", (Std.HelpContents,)),
            Action("about", "&About dvar", "show_about"),
        ),
    ),
)

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
