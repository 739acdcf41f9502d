"""The action table's rows for the View, Teach and Help menus: how the graph is shown and taught.

``gui.app.actions`` puts these menus after File, Edit and Node, in this order; the kinds
of row are ``gui.app.action_records``'s.

May import: ``gui.app.action_records`` and the standard library.
"""

from __future__ import annotations

from dvar.gui.app.action_records import SEPARATOR, Action, Menu, Std, Submenu

VIEW_MENU = Menu(
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
)


TEACH_MENU = Menu(
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
)


HELP_MENU = Menu(
    "&Help",
    (
        Submenu("&Lessons", "_build_lessons_menu"),
        SEPARATOR,
        Action("shortcuts", "&Keyboard Shortcuts", "show_shortcuts", (Std.HelpContents,)),
        Action("about", "&About dvar", "show_about"),
    ),
)
