"""The action table's rows for the File, Edit and Node menus: the file and the graph it holds.

``gui.app.actions`` puts these menus first in the menu bar, in this order; the kinds of
row are ``gui.app.action_records``'s.

May import: ``gui.app.action_records`` and the standard library.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dvar.gui.app.action_records import SEPARATOR, Action, Menu, Std, Submenu


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


FILE_MENU = Menu(
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
)


EDIT_MENU = Menu(
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
)


NODE_MENU = Menu(
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
)
