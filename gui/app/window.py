"""The main window: palette, canvas, derivative panel, inspector, history, menus.

Here: its construction, showing a document (``set_document``, its docks and panels),
the title and status bar, the selection followed between canvas and panels, and its
saved layout.  Its parts live beside it, mixed into :class:`MainWindow`: the actions
and menus in ``actions`` (one table), the File menu's work in ``files``, Open Recent
in ``recent``, crash recovery in ``recovery``, the lesson player's side in
``lessons``, the Edit menu in ``edit_menu``, the Node menu in ``node_menu``, the
canvas's right-click menu in ``canvas_menu``, the View menu and preferences in
``view_menu``, the Teach menu in ``teach_menu``, the Help menu in ``help_menu``, and
the dock layout in ``docks``.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QUndoGroup
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QToolButton, QUndoView

from dvar import core
from dvar.gui import messages, numbers
from dvar.gui.app import actions
from dvar.gui.app.canvas_menu import CanvasMenu
from dvar.gui.app.docks import make_docks
from dvar.gui.app.edit_menu import EditMenu
from dvar.gui.app.files import FileMenu
from dvar.gui.app.help_menu import HelpMenu
from dvar.gui.app.lessons import LessonMenu
from dvar.gui.app.node_menu import NodeMenu
from dvar.gui.app.recent import RecentFiles
from dvar.gui.app.recovery import RecoveryOffer
from dvar.gui.app.teach_menu import TeachMenu
from dvar.gui.app.view_menu import ViewMenu
from dvar.gui.canvas import accessible
from dvar.gui.canvas.quick_add import QuickAdd
from dvar.gui.canvas.scene import GraphScene
from dvar.gui.canvas.view import GraphView
from dvar.gui.dialogs.preferences import (
    Preferences,
    PreferencesDialog,
    apply_text_size,
    apply_theme,
    outline_if_dark,
)
from dvar.gui.document.autosave import Autosaver
from dvar.gui.document.document import Document
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


class MainWindow(
    FileMenu,
    RecentFiles,
    RecoveryOffer,
    LessonMenu,
    EditMenu,
    NodeMenu,
    CanvasMenu,
    ViewMenu,
    TeachMenu,
    HelpMenu,
    QMainWindow,
):
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
