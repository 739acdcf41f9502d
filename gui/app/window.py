"""The main window: palette, canvas, derivative panel, inspector, history, menus.

Its parts live beside it: the actions and menus in ``actions`` (one table), the File
menu's work in ``files``, Open Recent in ``recent``, crash recovery in ``recovery``,
and the dock layout in ``docks``.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QPointF, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QUndoGroup
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QToolButton,
    QUndoView,
)

from dvar import core
from dvar.core.resources import lessons as bundled_lessons
from dvar.gui import messages, numbers
from dvar.gui.app import actions
from dvar.gui.app.docks import make_docks
from dvar.gui.app.files import FileMenu
from dvar.gui.app.lessons import LessonMenu
from dvar.gui.app.recent import RecentFiles
from dvar.gui.app.recovery import RecoveryOffer
from dvar.gui.canvas import accessible, notes
from dvar.gui.canvas.group_actions import arrange_shown
from dvar.gui.canvas.nodes import NodeItem
from dvar.gui.canvas.notes import NoteItem
from dvar.gui.canvas.quick_add import QuickAdd
from dvar.gui.canvas.scene import GraphScene
from dvar.gui.canvas.view import GraphView
from dvar.gui.dialogs.preferences import (
    NOTATIONS,
    Preferences,
    PreferencesDialog,
    apply_text_size,
    apply_theme,
    outline_if_dark,
    stepped_text_size,
)
from dvar.gui.dialogs.shortcuts import ShortcutSheet
from dvar.gui.document.autosave import Autosaver
from dvar.gui.document.clipboard import copy_nodes, paste_records
from dvar.gui.document.document import Document
from dvar.gui.document.field_commands import MoveNodes
from dvar.gui.document.structure_commands import AddNodes, RemoveItems, SetOutput
from dvar.gui.numbers import format_number
from dvar.gui.panels.derivatives import DerivativePanel
from dvar.gui.panels.inspector import Inspector
from dvar.gui.panels.operations import Palette
from dvar.gui.teach.paths import PathsPanel
from dvar.gui.teach.practice_panel import PracticePanel, problem_text
from dvar.gui.teach.present import Presentation
from dvar.gui.teach.teaching import TeachingPanel
from dvar.gui.teach.training import TrainingPanel

#: Bump when the docks or toolbars change so much that an old saved layout would not fit.
LAYOUT_VERSION = 1


class MainWindow(FileMenu, RecentFiles, RecoveryOffer, LessonMenu, QMainWindow):
    """One window editing one document."""

    def __init__(self, document: Document | None = None) -> None:
        super().__init__()
        accessible.install()  # screen readers see the canvas's nodes and ports
        self.settings = QSettings("dvar", "dvar")
        self.preferences = Preferences(self.settings)
        apply_theme(self.preferences.get("theme"))
        apply_text_size(self.preferences.get("text_size"))
        numbers.set_digits(self.preferences.get("digits"))
        self.preferences_dialog: PreferencesDialog | None = None
        self.document: Document = None  # type: ignore[assignment]
        self.resize(_first_size())
        self.undo_group = QUndoGroup(self)
        self.actions: dict[str, QAction] = actions.build_actions(self)
        self._follow_history()
        actions.build_menus(self, self.menuBar())
        self.value_label = QLabel()
        self.value_label.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self.value_label)
        self.setAcceptDrops(True)
        self.autosaver = Autosaver(self)
        self.recovered_windows: list[MainWindow] = []
        self.presentation = Presentation(self)
        self.set_document(document if document is not None else Document.lecture())
        self.toolbar = actions.build_toolbar(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        for button in self.toolbar.findChildren(QToolButton, "qt_toolbar_ext_button"):
            button.setAccessibleName("More toolbar buttons")  # Qt's own, shown when narrow
        self.panels_menu.addSeparator()
        self.panels_menu.addAction(self.toolbar.toggleViewAction())
        self._restore_layout()

    def _restore_layout(self) -> None:
        """Put the window, its docks and its toolbar back as they were when it last closed."""
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state, LAYOUT_VERSION)

    def _save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState(LAYOUT_VERSION))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "toolbar"):
            actions.paint_icons(self)  # the theme changed: icons in its colours
            # The system's scheme may have turned dark: after this event, not inside it.
            QTimer.singleShot(0, lambda: outline_if_dark(QApplication.palette()))
        super().changeEvent(event)

    def _follow_history(self) -> None:
        """Undo and Redo name the step they would take, and are enabled when there is one."""
        group = self.undo_group
        for name, text_changed, ready_changed in (
            ("undo", group.undoTextChanged, group.canUndoChanged),
            ("redo", group.redoTextChanged, group.canRedoChanged),
        ):
            action, base = self.actions[name], actions.ACTIONS[name].text
            text_changed.connect(lambda text, a=action, b=base: _name_step(a, b, text))
            ready_changed.connect(lambda _: actions.refresh(self))
        actions.refresh(self)

    # -------------------------------------------------------------- documents
    def set_document(self, document: Document) -> None:
        """Show a document, replacing the current one and its views."""
        old = self.document
        old_scene = getattr(self, "scene", None)
        self.document = document
        document.setParent(self)
        self.scene = GraphScene(document, self)
        if old_scene is None:
            self.view = GraphView(self.scene, self)
            self.quick_add = QuickAdd(self.view)
            self.setCentralWidget(self.view)
            self.view.quick_add_requested.connect(self.quick_add.open)
            self.view.customContextMenuRequested.connect(self._canvas_menu)
            self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            for spec in actions.ACTIONS.values():
                if spec.canvas:  # their single keys work only while the canvas has focus
                    self.view.addAction(self.actions[spec.id])
        else:  # one view for the window's life: the layout and its sizes stay put
            self.view.show_scene(self.scene)
            old_scene.deleteLater()
        self._build_docks()
        editor = getattr(self, "lesson_editor", None)
        if editor is not None:  # Teach → Edit Lesson… follows the window to its new file
            editor.set_document(document, self.scene, self.view)
        self._follow_paths_dock()
        self.scene.set_notation(self.notation())
        self.panel.set_notation(self.notation())
        self.scene.set_snap(self.actions["snap"].isChecked())
        self.scene.set_backward_view(self.actions["backward"].isChecked())
        self.scene.set_constants_as_nodes(self.actions["constants_as_nodes"].isChecked())
        self.panel.set_show_constant_derivatives(self.actions["constant_derivatives"].isChecked())
        self.view.show_grid = self.actions["grid"].isChecked()
        self.view.minimap.enabled = self.actions["minimap"].isChecked()
        document.message.connect(self.show_message)
        document.history_moving.connect(self.statusBar().clearMessage)
        document.changed.connect(self._after_change)
        document.undo_stack.cleanChanged.connect(self._update_title)
        self.scene.selectionChanged.connect(self._on_canvas_selection)
        self.scene.note_edit_requested.connect(self.edit_note_text)
        self.panel.node_activated.connect(self._on_panel_row)
        self.autosaver.watch(document)
        self.undo_group.addStack(document.undo_stack)
        self.undo_group.setActiveStack(document.undo_stack)
        self._update_title()
        self._after_change([], document.evaluation)
        if old is not None:
            self.undo_group.removeStack(old.undo_stack)
            old.deleteLater()
        self.view.setFocus()
        QTimer.singleShot(0, self.view.fit)

    def _build_docks(self) -> None:
        """Dock the panels for the current document; the docks themselves are made once."""
        first = not hasattr(self, "docks")
        if first:
            self.palette = Palette()
            self.palette.op_chosen.connect(self._add_from_palette)
            self.history = QUndoView(self.undo_group)
            self.history.setAccessibleName("Edit history")
            self.history.setEmptyLabel("Start")
        old_teaching = getattr(self, "teaching", None)
        if old_teaching is not None:
            old_teaching.clear()
        old_training = getattr(self, "training", None)
        old_paths = getattr(self, "paths_panel", None)
        if old_paths is not None:
            old_paths.clear()
        old_practice = getattr(self, "practice", None)
        if old_practice is not None:
            old_practice.stop()
        old_lesson = getattr(self, "lesson_player", None)
        if old_lesson is not None:
            old_lesson.stop()
        for old in (
            old_practice,
            old_lesson,
            getattr(self, "panel", None),
            getattr(self, "inspector", None),
            old_teaching,
            old_training,
            old_paths,
        ):
            if old is not None:
                old.deleteLater()
        self.panel = DerivativePanel(self.document)
        self.inspector = Inspector(self.document)
        self.teaching = TeachingPanel(self.document, self.scene)
        self.teaching.forward.toggled.connect(self._sync_forward_action)
        self._sync_forward_action(False)
        self.training = TrainingPanel(self.document)
        self.paths_panel = PathsPanel(self.document, self.scene)
        self.practice = PracticePanel(self.document, self.scene, self.view)
        self.practice.session_changed.connect(self._on_practice)
        self.lesson_player = self._make_lesson_player()
        widgets = {
            "palette": self.palette,
            "panel": self.panel.container,  # the card above the rows
            "inspector": self.inspector,
            "history": self.history,
            "teach": self.teaching,
            "train": self.training,
            "practice": self.practice,
            "paths": self.paths_panel,
            "lesson": self.lesson_player,
        }
        if not first:
            for name, widget in widgets.items():
                self.docks[name].setWidget(widget)
            return
        self.docks = make_docks(self, widgets, self.panels_menu)

    def _update_title(self, *_) -> None:
        problem = problem_text(self.document).split(":")[0]
        where = f" — {problem}" if problem else ""
        self.setWindowTitle(f"{self.document.name}[*]{where} — dvar")
        self.setWindowModified(not self.document.undo_stack.isClean())

    def _after_change(self, events, evaluation: core.Evaluation) -> None:
        out = evaluation.output
        practice = getattr(self, "practice", None)
        lesson = getattr(self, "lesson_player", None)
        if practice is not None and practice.session is not None:
            self.value_label.setText(practice.status_text())  # J's value may be an answer
        elif lesson is not None and lesson.active:
            self.value_label.setText(lesson.status_text())  # ... or a lesson's
        elif out is None:
            self.value_label.setText(
                "No output chosen: right-click a node → Set as output (Ctrl+J)"
            )
        else:
            value = evaluation.values[out]
            self.value_label.setText(
                f"{out} = {format_number(value)}"
                if value is not None
                else f"{out} has no value: {evaluation.error(out)}"
            )
        self._update_title()

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.presentation.stop()  # the layout saved is the window's own, not the slides'
        if self._confirm_discard():
            self.autosaver.finish()
            self._save_layout()
            event.accept()
        else:
            event.ignore()

    # -------------------------------------------------------------- edit menu
    def selected_keys(self) -> list[int]:
        return self.scene.selected_keys()

    def copy(self) -> bool:
        keys = self.scene.selected_with_chips()
        if not keys:
            self.show_message("Nothing selected to copy")
            return False
        QGuiApplication.clipboard().setMimeData(copy_nodes(self.document.graph, keys))
        self.show_message(f"Copied {len(keys)} node{'s' * (len(keys) != 1)}")
        return True

    def cut(self) -> None:
        if self.copy():
            self.delete_selection()

    def paste(self) -> None:
        records = paste_records(QGuiApplication.clipboard().mimeData())
        if not records:
            self.show_message("The clipboard holds no dvar nodes")
            return
        self._add_records(records, f"Paste {len(records)} node{'s' * (len(records) != 1)}")

    def duplicate(self) -> None:
        keys = self.scene.selected_with_chips()
        if not keys:
            self.show_message("Select nodes to duplicate")
            return
        records = paste_records(copy_nodes(self.document.graph, keys))
        self._add_records(records, f"Duplicate {len(records)} node{'s' * (len(records) != 1)}")

    def _add_records(self, records: list[dict], text: str) -> None:
        command = AddNodes(self.document.graph, records, text)
        if self.document.run(command):
            self.scene.select_keys(command.keys)

    def delete_selection(self) -> None:
        keys, edges = self.scene.selected_with_chips(), self.scene.selected_edges()
        note_keys = self.scene.selected_note_keys()
        if not keys and not edges and not note_keys:
            self.show_message("Nothing selected to delete")
            return
        stack = self.document.undo_stack
        both = bool(note_keys) and bool(keys or edges)
        if both:
            stack.beginMacro("Delete")
        try:
            if note_keys:
                notes.delete_notes(self.scene, note_keys)
            if keys or edges:
                self.document.run(RemoveItems(self.document.graph, keys, edges))
        finally:
            if both:
                stack.endMacro()

    # ------------------------------------------------------- notes and frames
    def add_note(self, kind: str, at: QPointF | None = None) -> int | None:
        """Node → Add Note / Add Frame: placed at ``at`` or at the mouse."""
        return notes.add_note(self.scene, kind, at or self.view.cursor_scene_pos())

    def edit_note_text(self, key: int) -> None:
        """Edit a note's text (a frame's title) as plain text."""
        note = self.document.graph.notes.get(key)
        if note is None:
            return
        what = "title" if note.kind == "frame" else "text"
        text, ok = QInputDialog.getMultiLineText(
            self, f"Edit {note.kind}", f"The {note.kind}'s {what} (plain text):", note.text
        )
        if ok:
            notes.set_text(self.scene, key, text)

    def _note_menu(self, menu: QMenu, item: NoteItem) -> None:
        if not item.isSelected():
            self.scene.clearSelection()
            item.setSelected(True)
        key = item.key
        menu.addAction("Edit &Text…", lambda: self.edit_note_text(key))
        colours = menu.addMenu("&Colour")
        for name, colour in notes.COLORS.items():
            colours.addAction(name, lambda c=colour: notes.set_color(self.scene, key, c))
        menu.addSeparator()
        menu.addAction(self.actions["delete"])

    # ------------------------------------------------------------ presenting
    def toggle_presentation(self) -> None:
        """View → Present (F5): full screen, one step per click; F5 or Esc leaves."""
        if self.presentation.active:
            self.presentation.stop()
        elif not self._practising("present"):
            self.teaching.clear()
            self.presentation.start()

    def select_all(self) -> None:
        self.scene.select_keys(self.scene.nodes, boxes=True)

    def find_node(self) -> None:
        ids = sorted(node.id for node in self.document.graph)
        if not ids:
            return
        text, ok = QInputDialog.getItem(self, "Find node", "Name:", ids, 0, True)
        if not ok or not text:
            return
        if text not in self.document.graph:
            self.show_message(f"No node named {text!r}")
            return
        key = self.document.graph.key_of(text)
        self.scene.select_keys([key])
        self.view.center_on_node(key)

    # -------------------------------------------------------------- node menu
    def open_quick_add(self) -> None:
        self.quick_add.open(self.view.cursor_scene_pos())

    def _add_from_palette(self, op: str) -> None:
        center = self.view.mapToScene(self.view.viewport().rect().center())
        self.view.add_node(op, center - QPointF(78, 36))
        self.view.setFocus()

    def _single_selected(self) -> int | None:
        keys = self.selected_keys()
        if len(keys) != 1:
            self.show_message("Select one node first")
            return None
        return keys[0]

    def edit_value(self) -> None:
        key = self._single_selected()
        if key is None:
            return
        if not self.document.graph.node(key).op.is_leaf:
            self.show_message(
                f"{self.document.graph.id_of(key)} is computed; only inputs and "
                "constants have a value to edit"
            )
            return
        self.view.edit_value(key)

    def rename(self) -> None:
        if self.scene.groups.rename(self):  # a group's box: its title
            return
        key = self._single_selected()
        if key is not None:
            self.docks["inspector"].show()
            self.inspector.focus_name()

    def set_output(self) -> None:
        key = self._single_selected()
        if key is not None and key != self.document.graph.output_key:
            self.document.run(SetOutput(self.document.graph, key))

    def build_from_formula(self) -> None:
        from dvar.gui.dialogs.formula import FormulaDialog

        dialog = FormulaDialog(self.document, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.command is not None:
            self.scene.select_keys(list(dialog.command.result.created_keys))
            self.view.fit()

    def arrange(self) -> None:
        """Lay out the selection (or everything) in layers; one undoable step."""
        if arrange_shown(self.scene):  # groups collapsed: what is shown, a box as one
            return
        graph = self.document.graph
        keys = self.selected_keys() or None
        positions = core.arrange(graph, keys)
        moves = {}
        for key, (x, y) in positions.items():
            node = graph.node(key)
            if (node.x, node.y) != (x, y):
                moves[key] = ((node.x, node.y), (x, y))
        if not moves:
            self.show_message("Already arranged")
            return
        self.document.run(MoveNodes(graph, moves, "Arrange"))
        if keys is None:
            self.view.fit()

    # ------------------------------------------------------------- teach menu
    def _practising(self, what: str) -> bool:
        """True (and says so) while practice is on: ``what`` would show the answers."""
        if self.practice.active:
            self.show_message(f"Leave practice (P) to {what}")
            return True
        return False

    def _set_practice(self, on: bool) -> None:
        if on:
            self.lesson_player.stop()
            if getattr(self, "lesson_editor", None) is not None:
                self.lesson_editor.close()  # its step preview would lie over the practice
            self.teaching.clear()
            self.paths_panel.clear()
            self.docks["practice"].show()
            self.docks["practice"].raise_()
            if not self.practice.start():
                self._sync_practice_action(False)
        else:
            self.practice.stop()

    def _on_practice(self, session) -> None:
        """Practice started (a session) or ended (None): its answers are what Undo takes
        back meanwhile, the inspector shows no numbers, J's value leaves the status bar."""
        old = getattr(self, "_practice_stack", None)
        if old is not None:
            self.undo_group.removeStack(old)
            self._practice_stack = None
        if session is not None:
            self._practice_stack = session.undo_stack
            self.undo_group.addStack(session.undo_stack)
            self.undo_group.setActiveStack(session.undo_stack)
            session.changed.connect(lambda: self._after_change([], self.document.evaluation))
            if "partial" in session.kinds and not self.actions["backward"].isChecked():
                self.actions["backward"].setChecked(True)  # local derivatives sit on edges
        elif self.document.undo_stack in self.undo_group.stacks():
            self.undo_group.setActiveStack(self.document.undo_stack)
        self._sync_practice_action(session is not None)
        # The other teaching tools would show what is hidden (the step-through's
        # breakdowns, the nudge's "beside da = 3"): they wait until practice ends.
        self.teaching.setEnabled(session is None)
        self.training.setEnabled(session is None)  # it shows J, and could not step anyway
        self.paths_panel.setEnabled(session is None)  # its products are the answers
        for name in _SHOW_ANSWERS:
            self.actions[name].setEnabled(session is None)
        self._on_canvas_selection()
        self._after_change([], self.document.evaluation)

    def _sync_practice_action(self, on: bool) -> None:
        action = self.actions["practice"]
        action.blockSignals(True)
        action.setChecked(on)
        action.blockSignals(False)

    def new_problem(self) -> None:
        """Teach → New Problem…: a generated graph, as a new untitled document, practised."""
        from dvar.core.problems import make_problem
        from dvar.gui.dialogs.new_problem import NewProblemDialog

        dialog = NewProblemDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted or not self._confirm_discard():
            return
        level, seed = dialog.level(), dialog.seed()
        try:
            graph = make_problem(level, seed)
        except (ValueError, RuntimeError) as error:
            self.show_message(f"No problem made: {error}")
            return
        self.set_document(Document(graph, None, untitled_name=f"level-{level}-seed-{seed}.dvar"))
        self._set_practice(True)
        self.show_message(f"Practice: level {level}, seed {seed}")

    def nudge(self) -> None:
        if self.practice.active:
            self.practice.nudge()
            return
        self.docks["teach"].show()
        self.docks["teach"].raise_()
        self.teaching.nudge_selected()

    def clear_preview(self) -> None:
        if self.teaching.active:
            self.teaching.clear()
        else:
            self.scene.clearSelection()

    def step_backward(self) -> None:
        if self._practising("step through the passes"):
            return
        self.docks["teach"].show()
        self.docks["teach"].raise_()
        self.teaching.start_steps(backward=True)

    def step_forward(self) -> None:
        if self._practising("step through the passes"):
            return
        self.docks["teach"].show()
        self.docks["teach"].raise_()
        self.teaching.start_steps(backward=False)

    def _set_forward_mode(self, on: bool) -> None:
        if on and self._practising("use forward mode"):
            self._sync_forward_action(False)
            return
        if on:
            self.docks["teach"].show()
            self.docks["teach"].raise_()
        if not self.teaching.forward.set_active(on):
            self._sync_forward_action(False)

    def _sync_forward_action(self, on: bool) -> None:
        action = self.actions["forward_mode"]
        action.blockSignals(True)
        action.setChecked(on)
        action.blockSignals(False)
        self._lesson_view_changed()

    def show_paths(self) -> None:
        """Teach → Paths: the selected node's paths to the output, in the Paths dock."""
        if self._practising("list the paths"):
            return
        self.docks["paths"].show()
        self.docks["paths"].raise_()
        keys = self.selected_keys()
        if len(keys) == 1:
            self.paths_panel.choose(keys[0])

    def _follow_paths_dock(self) -> None:
        """The Paths panel works only while its dock is on screen (not a hidden tab), and
        takes its highlight off the canvas when the dock is left."""
        dock = self.docks["paths"]
        if not getattr(self, "_paths_dock_followed", False):
            dock.visibilityChanged.connect(lambda shown: self.paths_panel.set_shown(shown))
            self._paths_dock_followed = True
        self.paths_panel.set_shown(self.isVisible() and not dock.visibleRegion().isEmpty())

    def show_training(self) -> None:
        self.docks["train"].show()
        self.docks["train"].raise_()
        self.training.step_button.setFocus()

    # -------------------------------------------------------------- view menu
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

    # --------------------------------------------------------------- selection
    def _on_canvas_selection(self) -> None:
        keys = self.scene.selected_keys()
        key = keys[0] if len(keys) == 1 else None
        practising = getattr(self, "practice", None) is not None and self.practice.active
        self.inspector.show_node(None if practising else key)  # it would show the values
        self.panel.select_node(key)
        self.scene.highlight_terms(key)
        actions.refresh(self)

    def _on_panel_row(self, key: int) -> None:
        self.scene.blockSignals(True)
        self.scene.select_keys([key])
        self.scene.blockSignals(False)
        self.inspector.show_node(None if self.practice.active else key)
        self.practice.choose(key)  # while practising, the answer box moves to its cell
        self.scene.highlight_terms(key)
        item = self.scene.item_showing(key)  # a node in a collapsed group shows as its box
        if item is not None:
            self.view.ensureVisible(item, 40, 40)

    # ------------------------------------------------------------ context menu
    def _canvas_menu(self, point) -> None:
        scene_pos = self.view.mapToScene(point)
        item = self.scene.node_at(scene_pos)
        menu = QMenu(self)
        under = self.view.itemAt(point)
        if item is None and isinstance(under, NoteItem):
            self._note_menu(menu, under)
        elif isinstance(item, NodeItem):
            if not item.isSelected():
                self.scene.select_keys([item.key])
            node = self.document.graph.node(item.key)
            if node.op.is_leaf:
                menu.addAction(self.actions["edit_value"])
            menu.addAction(self.actions["rename"])
            menu.addAction(self.actions["set_output"])
            menu.addAction(self.actions["nudge"])
            menu.addSeparator()
            menu.addActions(
                [self.actions["copy"], self.actions["duplicate"], self.actions["delete"]]
            )
        else:
            add = menu.addMenu("Add Node")
            for op in core.OPS.values():
                add.addAction(
                    f"{op.name}  {op.symbol}", lambda o=op.name: self.view.add_node(o, scene_pos)
                )
            menu.addAction("Add No&te", lambda: self.add_note("note", scene_pos))
            menu.addAction("Add Fra&me", lambda: self.add_note("frame", scene_pos))
            menu.addAction(self.actions["paste"])
            menu.addSeparator()
            menu.addAction(self.actions["fit"])
        menu.exec(self.view.viewport().mapToGlobal(point))

    # -------------------------------------------------------------------- help
    def edit_lesson(self) -> None:
        """Teach → Edit Lesson…: the lesson editor, a window beside the canvas."""
        if self._practising("edit the lesson"):
            return
        self.lesson_player.stop()
        editor = getattr(self, "lesson_editor", None)
        if editor is None:  # loaded when first asked for: most sessions never write a lesson
            from dvar.gui.teach.lesson_editor import LessonEditor

            self.lesson_editor = editor = LessonEditor(self.document, self.scene, self.view, self)
        editor.show()
        editor.raise_()
        editor.activateWindow()

    def _build_lessons_menu(self, menu: QMenu) -> None:
        """Help → Lessons: dvar's own lessons by title, read from the files when it opens."""
        menu.aboutToShow.connect(lambda: self._fill_lessons_menu(menu))

    def _fill_lessons_menu(self, menu: QMenu) -> None:
        menu.clear()
        for name, path in bundled_lessons().items():
            try:
                title = core.load(path).lesson.title
            except (core.FileFormatError, OSError, AttributeError):
                continue  # a damaged install: the menu lists the lessons that load
            menu.addAction(title, lambda n=name: self.open_bundled_lesson(n))

    def open_bundled_lesson(self, name: str) -> bool:
        """Open one of dvar's lessons as an untitled copy (Save never writes into the
        installed package) and play it."""
        if not self._confirm_discard():
            return False
        path = bundled_lessons()[name]
        try:
            graph = core.load(path)
        except (core.FileFormatError, OSError) as error:
            messages.critical(self, "Cannot open the lesson", f"{path.name}: {error}")
            return False
        self.set_document(Document(graph, None, self, f"{name}.dvar"))
        return self.play_lesson()

    def show_shortcuts(self) -> None:
        ShortcutSheet(actions.shortcut_sections(self.actions), self).exec()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About dvar",
            f"<h3>dvar {core.__version__}</h3>"
            "<p>Build a computation graph and watch backpropagation: every node shows its "
            "value and, in red, its derivative <i>dnode</i> = ∂J/∂node. The derivative "
            "panel explains each one with the chain rule.</p>"
            "<p>Opens with the lecture's example J = 3(a + bc).</p>",
        )


#: Teach actions that would show the answers, off while practising.
_SHOW_ANSWERS = (
    "step_backward",
    "step_forward",
    "next_step",
    "previous_step",
    "play_steps",
    "forward_mode",
    "train",
    "paths",
)


def _first_size() -> QSize:
    """1280 × 800, or the screen's free area on a smaller screen (a netbook, a projector
    at 1024 × 768): the window never opens bigger than the screen."""
    wanted = QSize(1280, 800)
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return wanted
    return wanted.boundedTo(screen.availableGeometry().size())


def _name_step(action: QAction, base: str, step: str) -> None:
    """``&Undo Move a``: the action's text names the step; its tooltip is plain text."""
    action.setText(f"{base} {step}" if step else base)
    # "Undo Label a “<h1>…”": the tooltip Qt makes from an action's text would be rich.
    action.setToolTip(messages.plain_tip(action.iconText()))
