"""The View menu's switches and the preferences: notation, digits, text size, the
backward view, grid, snap, constants, minimap, presenting.

:class:`ViewMenu` is a part of the main window (a mixin): a switch stores itself in the
window's ``preferences`` and passes itself on to the scene, view and panels.

May import: ``gui.dialogs.preferences``, ``gui.numbers`` and Qt.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from dvar.gui import numbers
from dvar.gui.dialogs.preferences import (
    NOTATIONS,
    PreferencesDialog,
    apply_text_size,
    apply_theme,
    stepped_text_size,
)


class ViewMenu:
    """How the main window shows the graph, and the Preferences dialog that remembers it."""

    def notation(self) -> str:
        return self.preferences.get("notation")

    def _build_notation_menu(self, menu: QMenu) -> None:
        group = QActionGroup(self)
        current = self.notation()
        self.notation_actions: dict[str, QAction] = {}
        for value, label in NOTATIONS.items():
            action = menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(value == current)
            action.triggered.connect(lambda _=False, v=value: self.set_notation(v))
            group.addAction(action)
            self.notation_actions[value] = action

    def _build_panels_menu(self, menu: QMenu) -> None:
        self.panels_menu = menu  # the docks list themselves here as they are made

    def set_notation(self, notation: str) -> None:
        self.preferences.set("notation", notation)
        self.notation_actions[notation].setChecked(True)
        self.scene.set_notation(notation)
        self.panel.set_notation(notation)
        self.practice.set_notation(notation)

    def set_digits(self, digits: int) -> None:
        """Show every number with this many significant digits."""
        self.preferences.set("digits", digits)
        numbers.set_digits(digits)
        self.scene.refresh(self.document.evaluation)
        self.panel.restyle()
        self._on_canvas_selection()  # the inspector shows numbers too

    def change_text_size(self, step: int) -> None:
        """Node text a size larger (1) or smaller (-1), or back to 100 % (0), in every
        window; remembered."""
        size = stepped_text_size(self.preferences.get("text_size"), step)
        self.preferences.set("text_size", size)
        apply_text_size(size)
        if self.preferences_dialog is not None:
            self.preferences_dialog.show_values()
        self.show_message(f"Node text at {size} %")

    def show_preferences(self) -> None:
        if self.preferences_dialog is None:
            self.preferences_dialog = PreferencesDialog(self.preferences, self)
            self.preferences_dialog.changed.connect(self.apply_preference)
        self.preferences_dialog.show_values()
        self.preferences_dialog.show()
        self.preferences_dialog.raise_()
        self.preferences_dialog.activateWindow()

    def apply_preference(self, name: str, value) -> None:
        """Act on a preference the dialog changed (and stored)."""
        if name == "theme":
            apply_theme(value)
        elif name == "notation":
            self.set_notation(value)
        elif name == "digits":
            self.set_digits(value)
        elif name == "text_size":
            apply_text_size(value)
        else:  # grid, snap: their menu actions do the rest
            self.actions[name].setChecked(value)

    def _set_backward(self, on: bool) -> None:
        self.scene.set_backward_view(on)
        self._lesson_view_changed()

    def _set_grid(self, on: bool) -> None:
        self.preferences.set("grid", on)
        self.view.show_grid = on
        self.view.resetCachedContent()
        self.view.viewport().update()

    def _set_snap(self, on: bool) -> None:
        self.preferences.set("snap", on)
        self.scene.set_snap(on)

    def _set_constants_as_nodes(self, on: bool) -> None:
        self.preferences.set("constants_as_nodes", on)
        self.scene.set_constants_as_nodes(on)
        self.view.minimap.schedule()

    def _set_constant_derivatives(self, on: bool) -> None:
        self.preferences.set("constant_derivatives", on)
        self.panel.set_show_constant_derivatives(on)

    def _set_minimap(self, on: bool) -> None:
        self.view.minimap.enabled = on
        self.view.minimap.setVisible(False)
        self.view.minimap.schedule()

    def toggle_presentation(self) -> None:
        """View → Present (F5): full screen, one step per click; F5 or Esc leaves."""
        if self.presentation.active:
            self.presentation.stop()
        elif not self._practising("present"):
            self.teaching.clear()
            self.presentation.start()
