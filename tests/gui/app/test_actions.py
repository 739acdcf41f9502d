"""The table of actions: every entry in one menu and in the shortcut sheet, no key twice."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QMenu, QWidget

from dvar.gui.app import actions
from dvar.gui.app.action_records import Action, Separator, Submenu
from dvar.gui.app.actions import ACTIONS, MENUS
from dvar.gui.dialogs.shortcuts import CANVAS_KEYS, GESTURES, ShortcutSheet
from tests.gui.helpers import keys, press_key

#: The menu bar as it reads: "---" a separator, "name ▸" a submenu.
MENU_BAR = {
    "&File": [
        "&New", "&Open…", "Open &Recent ▸", "&Examples ▸", "---",
        "&Save", "Save &As…", "E&xport Image…", "Export as P&ython…", "Export S&teps…",
        "Copy as &Image", "Copy as S&VG", "---",
        "&Print…", "Print &Worksheet…", "&Close", "&Quit",
    ],
    "&Edit": [
        "&Undo", "&Redo", "---",
        "Cu&t", "&Copy", "&Paste", "D&uplicate", "&Delete", "---",
        "Select &All", "&Find Node…", "---",
        "Pre&ferences…",
    ],
    "&Node": [
        "&Add Node…", "Edit &Value", "Re&name…", "Set as &Output", "---",
        "&Group", "&Ungroup", "&Expand Group", "Co&llapse Group", "---",
        "Next Po&rt", "&Previous Port", "&Connect Port…", "&Disconnect Port", "---",
        "Build from &Formula…", "&Arrange", "---",
        "Add No&te", "Add Fra&me",
    ],
    "&View": [
        "Zoom &In", "Zoom &Out", "&Fit to View",
        "&Larger Node Text", "Smalle&r Node Text", "&Usual Node Text Size", "---",
        "&Backward View", "Show &Grid", "&Snap to Grid", "&Constants as Nodes",
        "&Derivatives of Constants", "&Minimap", "---",
        "&Present", "Derivative &Notation ▸", "&Panels ▸", "Next Pan&e", "Pre&vious Pane",
    ],
    "&Teach": [
        "&Nudge", "&Clear Nudge / Steps", "---",
        "Step Through &Backward Pass", "Step Through &Forward Pass", "Ne&xt Step",
        "&Previous Step", "P&lay / Pause", "---",
        "F&orward Mode", "Pat&hs", "&Train…", "---",
        "Pr&actice", "New Probl&em…", "Play Le&sson", "E&dit Lesson…",
    ],
    "&Help": ["&Lessons ▸", "---", "&Keyboard Shortcuts", "&About dvar"],
}  # fmt: skip


def menu_texts(menu: QMenu) -> list[str]:
    return [
        "---" if a.isSeparator() else f"{a.text()} ▸" if a.menu() else a.text()
        for a in menu.actions()
    ]


def all_menu_actions(menu: QMenu, title: str, found: list) -> list:
    """Every (menu title, action) in a menu and its submenus."""
    for action in menu.actions():
        if action.menu():
            all_menu_actions(action.menu(), action.text(), found)
        elif not action.isSeparator():
            found.append((title, action))
    return found


def test_the_menu_bar_reads_as_it_always_has(window):
    bar = window.menuBar()
    assert {a.text(): menu_texts(a.menu()) for a in bar.actions()} == MENU_BAR
    assert [a.text() for a in bar.actions()] == [menu.title for menu in MENUS]


def test_every_table_entry_sits_in_exactly_one_menu_the_one_the_table_names(window):
    found = []
    for top in window.menuBar().actions():
        all_menu_actions(top.menu(), top.text(), found)
    counts = Counter(action for _, action in found)
    for menu in MENUS:
        for spec in menu.actions():
            action = window.actions[spec.id]
            assert counts[action] == 1, spec.id
            assert [title for title, a in found if a is action] == [menu.title], spec.id
    assert set(window.actions) == set(ACTIONS)


def test_every_table_entry_is_in_the_shortcut_sheet_with_its_keys(window, monkeypatch):
    shown: list[ShortcutSheet] = []
    monkeypatch.setattr(QDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    window.actions["shortcuts"].trigger()
    (sheet,) = shown
    rows = sheet.rows()
    native = QKeySequence.SequenceFormat.NativeText
    for spec in ACTIONS.values():
        keys_text = ", ".join(s.toString(native) for s in window.actions[spec.id].shortcuts())
        assert rows.count((actions.plain(spec.text), keys_text)) == 1, spec.id
    headings = [actions.plain(menu.title) for menu in MENUS] + ["Keyboard on the Canvas", "Mouse"]
    assert [row[0] for row in rows if row[0] in headings and row[1] == ""] == headings
    for gesture, effect in GESTURES:
        assert (effect, gesture) in rows
    for keys_text, effect in CANVAS_KEYS:
        assert (effect, keys_text) in rows
    assert rows[-len(GESTURES) - 1] == ("Mouse", "")
    # One row per action, per heading, per canvas key, per gesture: nothing else.
    assert len(rows) == len(ACTIONS) + len(MENUS) + 2 + len(CANVAS_KEYS) + len(GESTURES)


def test_no_two_actions_share_a_shortcut(window):
    owners: dict[str, list[str]] = {}
    for name, action in window.actions.items():
        assert len(set(action.shortcuts())) == len(action.shortcuts()), name
        for sequence in action.shortcuts():
            owners.setdefault(sequence.toString(), []).append(name)
    shared = {key: names for key, names in owners.items() if len(names) > 1}
    assert shared == {}
    # Nor do the keys the table asks for, before the platform drops any.
    written = Counter(key for spec in ACTIONS.values() for key in set(spec.keys))
    assert [key for key, count in written.items() if count > 1] == []


def test_a_standard_key_is_the_platforms_and_todays_key_stays(window):
    for spec in ACTIONS.values():
        shortcuts = window.actions[spec.id].shortcuts()
        first = spec.keys[0] if spec.keys else None
        if isinstance(first, QKeySequence.StandardKey) and not QKeySequence(first).isEmpty():
            assert shortcuts[0] == QKeySequence(first), spec.id
        for key in spec.keys:
            if isinstance(key, str):
                assert QKeySequence(key) in shortcuts, (spec.id, key)
    assert QKeySequence("Ctrl+W") in window.actions["close"].shortcuts()
    assert QKeySequence("Ctrl+Q") in window.actions["quit"].shortcuts()
    assert window.actions["save"].shortcuts()[0] == QKeySequence(QKeySequence.StandardKey.Save)


def test_key_sequences_drop_missing_standard_keys_and_repeats():
    standard = QKeySequence.StandardKey
    empty = next(k for k in (standard.Preferences, standard.Deselect) if QKeySequence(k).isEmpty())
    assert actions.key_sequences((empty, "Ctrl+,", "Ctrl+,")) == [QKeySequence("Ctrl+,")]
    same = QKeySequence(standard.Copy).toString()
    assert actions.key_sequences((standard.Copy, same)) == [QKeySequence(same)]


def test_every_handler_and_submenu_builder_exists(window):
    for spec in ACTIONS.values():
        assert callable(actions.handler(window, spec)), spec.id
    for menu in MENUS:
        for item in menu.items:
            assert isinstance(item, (Action, Submenu, Separator))
            if isinstance(item, Submenu):
                assert callable(getattr(window, item.build)), item.title


def test_canvas_keys_belong_to_the_canvas_and_the_rest_to_the_window(window):
    for spec in ACTIONS.values():
        action = window.actions[spec.id]
        if spec.canvas:
            assert action in window.view.actions(), spec.id
            assert action not in QWidget.actions(window), spec.id
            assert action.shortcutContext() == Qt.ShortcutContext.WidgetShortcut
        else:
            assert action in QWidget.actions(window), spec.id
            assert action.shortcutContext() == Qt.ShortcutContext.WindowShortcut
    # A key a text field also takes never fires while one is being typed in.
    typed = {"B", "F", "M", "N", "Tab", "Return", "Esc", "Del", "Backspace"}
    for spec in ACTIONS.values():
        if typed.intersection(key for key in spec.keys if isinstance(key, str)):
            assert spec.canvas, spec.id


def test_checkable_actions_start_as_the_table_and_preferences_say(window):
    for spec in ACTIONS.values():
        action = window.actions[spec.id]
        assert action.isCheckable() == spec.checkable, spec.id
        if spec.preference:
            assert action.isChecked() == window.preferences.get(spec.preference), spec.id
        elif spec.checkable:
            assert action.isChecked() == spec.checked, spec.id


def test_undo_and_redo_name_their_step_and_are_enabled_only_when_there_is_one(window):
    undo, redo = window.actions["undo"], window.actions["redo"]
    assert (undo.text(), undo.isEnabled(), redo.text(), redo.isEnabled()) == (
        "&Undo",
        False,
        "&Redo",
        False,
    )
    window.scene.select_keys([keys(window)["b"]])
    press_key(window, Qt.Key.Key_Delete)
    step = window.document.undo_stack.undoText()
    assert step
    assert (undo.text(), undo.isEnabled(), redo.isEnabled()) == (f"&Undo {step}", True, False)
    undo.trigger()
    assert (undo.text(), undo.isEnabled(), redo.text(), redo.isEnabled()) == (
        "&Undo",
        False,
        f"&Redo {step}",
        True,
    )
    assert redo.toolTip() == f"Redo {step}"


@pytest.mark.parametrize("name", ["zoom_in", "zoom_out"])
def test_a_handler_with_arguments_gets_them(window, name):
    before = window.view.transform().m11()
    window.actions[name].trigger()
    factor = ACTIONS[name].args[0]
    assert window.view.transform().m11() == pytest.approx(before * factor)
