"""The main window: palette, canvas, derivative panel, inspector, history, menus."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QSettings, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QUndoView,
    QVBoxLayout,
)

from dvar import core
from dvar.core import numbers
from dvar.core.numbers import format_number
from dvar.gui import messages
from dvar.gui.canvas.nodes import NodeItem
from dvar.gui.canvas.quick_add import QuickAdd
from dvar.gui.canvas.scene import GraphScene
from dvar.gui.canvas.view import GraphView
from dvar.gui.dialogs.preferences import NOTATIONS, Preferences, PreferencesDialog, apply_theme
from dvar.gui.document.autosave import Autosaver
from dvar.gui.document.clipboard import copy_nodes, paste_records
from dvar.gui.document.commands import AddNodes, MoveNodes, RemoveItems, SetOutput
from dvar.gui.document.document import Document
from dvar.gui.panels.derivatives import DerivativePanel
from dvar.gui.panels.inspector import Inspector
from dvar.gui.panels.operations import Palette
from dvar.gui.teach.teaching import TeachingPanel
from dvar.gui.teach.training import TrainingPanel

RECENT_LIMIT = 10

#: Actions whose shortcuts are single keys: they work while the canvas has focus.
CANVAS_KEYS = (
    "fit",
    "backward",
    "minimap",
    "edit_value",
    "delete",
    "add_node",
    "nudge",
    "clear_preview",
)


class MainWindow(QMainWindow):
    """One window editing one document."""

    def __init__(self, document: Document | None = None) -> None:
        super().__init__()
        self.settings = QSettings("dvar", "dvar")
        self.preferences = Preferences(self.settings)
        apply_theme(self.preferences.get("theme"))
        numbers.set_digits(self.preferences.get("digits"))
        self.preferences_dialog: PreferencesDialog | None = None
        self.document: Document = None  # type: ignore[assignment]
        self.actions: dict[str, QAction] = {}
        self.resize(1280, 800)
        self._build_actions()
        self._build_menus()
        self.value_label = QLabel()
        self.value_label.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self.value_label)
        self.setAcceptDrops(True)
        self.autosaver = Autosaver(self)
        self.recovered_windows: list[MainWindow] = []
        self.set_document(document if document is not None else Document.lecture())

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
            for name in CANVAS_KEYS:
                self.view.addAction(self.actions[name])
        else:  # one view for the window's life: the layout and its sizes stay put
            self.view.show_scene(self.scene)
            old_scene.deleteLater()
        self._build_docks()
        self.scene.set_notation(self.notation())
        self.panel.set_notation(self.notation())
        self.scene.set_snap(self.actions["snap"].isChecked())
        self.scene.set_backward_view(self.actions["backward"].isChecked())
        self.view.show_grid = self.actions["grid"].isChecked()
        self.view.minimap.enabled = self.actions["minimap"].isChecked()
        document.message.connect(self.show_message)
        document.history_moving.connect(self.statusBar().clearMessage)
        document.changed.connect(self._after_change)
        document.undo_stack.cleanChanged.connect(self._update_title)
        self.scene.selectionChanged.connect(self._on_canvas_selection)
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
            self.history.setEmptyLabel("Start")
        old_teaching = getattr(self, "teaching", None)
        if old_teaching is not None:
            old_teaching.clear()
        old_training = getattr(self, "training", None)
        for old in (
            getattr(self, "panel", None),
            getattr(self, "inspector", None),
            old_teaching,
            old_training,
        ):
            if old is not None:
                old.deleteLater()
        self.panel = DerivativePanel(self.document)
        self.inspector = Inspector(self.document)
        self.teaching = TeachingPanel(self.document, self.scene, self.panel)
        self.teaching.forward.toggled.connect(self._sync_forward_action)
        self._sync_forward_action(False)
        self.training = TrainingPanel(self.document)
        widgets = {
            "palette": self.palette,
            "panel": self.panel,
            "inspector": self.inspector,
            "history": self.history,
            "teach": self.teaching,
            "train": self.training,
        }
        if not first:
            for name, widget in widgets.items():
                self.docks[name].setWidget(widget)
            return
        self.docks: dict[str, QDockWidget] = {}
        layout = [
            ("palette", "Operations", Qt.DockWidgetArea.LeftDockWidgetArea),
            ("panel", "Derivatives", Qt.DockWidgetArea.RightDockWidgetArea),
            ("inspector", "Inspector", Qt.DockWidgetArea.RightDockWidgetArea),
            ("history", "History", Qt.DockWidgetArea.LeftDockWidgetArea),
            ("teach", "Teach", Qt.DockWidgetArea.RightDockWidgetArea),
            ("train", "Train", Qt.DockWidgetArea.RightDockWidgetArea),
        ]
        for name, title, area in layout:
            dock = QDockWidget(title, self)
            dock.setObjectName(name)
            dock.setWidget(widgets[name])
            self.addDockWidget(area, dock)
            self.panels_menu.addAction(dock.toggleViewAction())
            self.docks[name] = dock
        self.tabifyDockWidget(self.docks["inspector"], self.docks["teach"])
        self.tabifyDockWidget(self.docks["teach"], self.docks["train"])
        self.docks["inspector"].raise_()
        self.resizeDocks([self.docks["palette"]], [170], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["panel"]], [400], Qt.Orientation.Horizontal)
        self.resizeDocks(
            [self.docks["panel"], self.docks["inspector"]], [420, 380], Qt.Orientation.Vertical
        )

    def _update_title(self, *_) -> None:
        self.setWindowTitle(f"{self.document.name}[*] — dvar")
        self.setWindowModified(not self.document.undo_stack.isClean())

    def _after_change(self, events, evaluation: core.Evaluation) -> None:
        out = evaluation.output
        if out is None:
            self.value_label.setText("No output chosen: right-click a node → Set as output")
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

    # ---------------------------------------------------------------- actions
    def _action(
        self,
        name: str,
        text: str,
        slot,
        shortcut=None,
        checkable: bool = False,
        checked: bool = False,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
            sequences = []  # a standard key may be empty, or the same as another, here
            for sequence in map(QKeySequence, shortcuts):
                if not sequence.isEmpty() and sequence not in sequences:
                    sequences.append(sequence)
            action.setShortcuts(sequences)
        if checkable:
            action.setCheckable(True)
            action.setChecked(checked)
            action.toggled.connect(slot)
        else:
            action.triggered.connect(slot)
        if tip:
            action.setStatusTip(tip)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(action)
        self.actions[name] = action
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        self._action("new", "&New", self.new_document, key.New)
        self._action("open", "&Open…", self.open_dialog, key.Open)
        self._action("close", "&Close", self.close_document, "Ctrl+W")
        self._action("print", "&Print…", self.print_diagram, key.Print)
        self._action("save", "&Save", self.save, key.Save)
        self._action("save_as", "Save &As…", self.save_as, key.SaveAs)
        self._action(
            "export_image",
            "E&xport Image…",
            self.export_image,
            "Ctrl+E",
            tip="Write the diagram as PNG, SVG or PDF",
        )
        self._action(
            "export_python",
            "Export as P&ython…",
            self.export_python,
            tip="Write the forward and backward passes as a runnable Python script",
        )
        self._action(
            "copy_image",
            "Copy as &Image",
            self.copy_image,
            "Ctrl+Shift+C",
            tip="Put a picture of the diagram on the clipboard",
        )
        self._action("quit", "&Quit", self.close, "Ctrl+Q")
        self.undo_group = QUndoGroup(self)
        for name, action, keys in (
            ("undo", self.undo_group.createUndoAction(self, "&Undo"), [key.Undo]),
            ("redo", self.undo_group.createRedoAction(self, "&Redo"), ["Ctrl+Shift+Z", "Ctrl+Y"]),
        ):
            action.setShortcuts([QKeySequence(k) for k in keys])
            self.addAction(action)
            self.actions[name] = action
        # "Undo Label a “<h1>…”": the tooltip Qt makes from an action's text would be rich.
        for signal, action in (
            (self.undo_group.undoTextChanged, self.actions["undo"]),
            (self.undo_group.redoTextChanged, self.actions["redo"]),
        ):
            signal.connect(lambda _, a=action: a.setToolTip(messages.plain_tip(a.iconText())))
        self._action("cut", "Cu&t", self.cut, key.Cut)
        self._action("copy", "&Copy", self.copy, key.Copy)
        self._action("paste", "&Paste", self.paste, key.Paste)
        self._action("duplicate", "D&uplicate", self.duplicate, "Ctrl+D")
        self._action("delete", "&Delete", self.delete_selection, ["Del", "Backspace"])
        self._action("select_all", "Select &All", self.select_all, key.SelectAll)
        self._action(
            "add_node",
            "&Add Node…",
            self.open_quick_add,
            "Tab",
            tip="Search the operations and add one at the cursor",
        )
        self._action("edit_value", "Edit &Value", self.edit_value, "Return")
        self._action("rename", "Re&name…", self.rename, "F2")
        self._action("set_output", "Set as &Output", self.set_output, "Ctrl+J")
        self._action("find", "&Find Node…", self.find_node, key.Find)
        self._action("zoom_in", "Zoom &In", lambda: self.view.zoom_by(1.25), [key.ZoomIn, "Ctrl+="])
        self._action("zoom_out", "Zoom &Out", lambda: self.view.zoom_by(0.8), key.ZoomOut)
        self._action("fit", "&Fit to View", lambda: self.view.fit(), ["F", "Ctrl+0"])
        self._action(
            "backward",
            "&Backward View",
            self._set_backward,
            "B",
            checkable=True,
            tip="Red edges pointing right to left, labelled with local derivatives",
        )
        prefer = self.preferences.get
        self._action("grid", "Show &Grid", self._set_grid, checkable=True, checked=prefer("grid"))
        self._action(
            "snap", "&Snap to Grid", self._set_snap, checkable=True, checked=prefer("snap")
        )
        self._action(
            "preferences",
            "Pre&ferences…",
            self.show_preferences,
            [key.Preferences, "Ctrl+,"],
            tip="Theme, notation, number precision, grid and snap",
        )
        self._action("minimap", "&Minimap", self._set_minimap, "M", checkable=True, checked=True)
        self._action(
            "formula",
            "Build from &Formula…",
            self.build_from_formula,
            "Ctrl+Shift+N",
            tip="Type J = 3*(a + b*c) and get the graph, laid out",
        )
        self._action(
            "arrange",
            "&Arrange",
            self.arrange,
            "Ctrl+Shift+L",
            tip="Lay the graph out in layers, left to right (selection only if any)",
        )
        self._action(
            "nudge",
            "&Nudge",
            self.nudge,
            "N",
            tip="Bump the selected node by h and watch what moves",
        )
        self._action("clear_preview", "&Clear Nudge / Steps", self.clear_preview, "Esc")
        self._action(
            "step_backward", "Step Through &Backward Pass", self.step_backward, "Ctrl+Shift+B"
        )
        self._action(
            "step_forward", "Step Through &Forward Pass", self.step_forward, "Ctrl+Shift+F"
        )
        self._action("next_step", "Ne&xt Step", lambda: self.teaching.next_step(), "F10")
        self._action(
            "previous_step", "&Previous Step", lambda: self.teaching.previous_step(), "Shift+F10"
        )
        self._action("play_steps", "P&lay / Pause", lambda: self.teaching.toggle_play(), "F9")
        self._action(
            "forward_mode",
            "F&orward Mode",
            self._set_forward_mode,
            "Ctrl+Shift+D",
            checkable=True,
            tip="Every node shows d(node)/dx for one chosen input x, from one forward sweep",
        )
        self._action(
            "train",
            "&Train…",
            self.show_training,
            "Ctrl+Shift+T",
            tip="Gradient descent on the inputs marked as parameters",
        )
        self._action("shortcuts", "&Keyboard Shortcuts", self.show_shortcuts, key.HelpContents)
        self._action("about", "&About dvar", self.show_about)
        # Single-key shortcuts belong to the canvas, so they never fire while typing in a field.
        for name in CANVAS_KEYS:
            self.removeAction(self.actions[name])
            self.actions[name].setShortcutContext(Qt.ShortcutContext.WidgetShortcut)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        a = self.actions
        file = bar.addMenu("&File")
        file.addActions([a["new"], a["open"]])
        self.recent_menu = file.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        examples = file.addMenu("&Examples")
        for name in core.examples():
            examples.addAction(name.replace("_", " "), lambda n=name: self.open_example(n))
        file.addSeparator()
        file.addActions([a["save"], a["save_as"]])
        file.addActions([a["export_image"], a["export_python"], a["copy_image"]])
        file.addSeparator()
        file.addActions([a["print"], a["close"], a["quit"]])
        edit = bar.addMenu("&Edit")
        edit.addActions([a["undo"], a["redo"]])
        edit.addSeparator()
        edit.addActions([a["cut"], a["copy"], a["paste"], a["duplicate"], a["delete"]])
        edit.addSeparator()
        edit.addActions([a["select_all"], a["find"]])
        edit.addSeparator()
        edit.addAction(a["preferences"])
        node = bar.addMenu("&Node")
        node.addActions([a["add_node"], a["edit_value"], a["rename"], a["set_output"]])
        node.addSeparator()
        node.addActions([a["formula"], a["arrange"]])
        view = bar.addMenu("&View")
        view.addActions([a["zoom_in"], a["zoom_out"], a["fit"]])
        view.addSeparator()
        view.addActions([a["backward"], a["grid"], a["snap"], a["minimap"]])
        notation = view.addMenu("Derivative &Notation")
        group = QActionGroup(self)
        current = self.notation()
        self.notation_actions: dict[str, QAction] = {}
        for value, label in NOTATIONS.items():
            action = notation.addAction(label)
            action.setCheckable(True)
            action.setChecked(value == current)
            action.triggered.connect(lambda _=False, v=value: self.set_notation(v))
            group.addAction(action)
            self.notation_actions[value] = action
        self.panels_menu = view.addMenu("&Panels")
        teach = bar.addMenu("&Teach")
        teach.addActions([a["nudge"], a["clear_preview"]])
        teach.addSeparator()
        teach.addActions(
            [
                a["step_backward"],
                a["step_forward"],
                a["next_step"],
                a["previous_step"],
                a["play_steps"],
            ]
        )
        teach.addSeparator()
        teach.addActions([a["forward_mode"], a["train"]])
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([a["shortcuts"], a["about"]])

    # ------------------------------------------------------------- file menu
    def new_document(self) -> None:
        if self._confirm_discard():
            self.set_document(Document(untitled_name="untitled.dvar"))

    def open_dialog(self) -> None:
        if not self._confirm_discard():
            return
        path, _ = QFileDialog.getOpenFileName(
            self, "Open graph", "", "dvar graphs (*.dvar);;All files (*)"
        )
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Open a file; a bad file gets a dialog and the current document stays."""
        try:
            document = Document.open(path)
        except core.FileFormatError as error:
            messages.warning(self, "Cannot open file", str(error))
            return False
        self.set_document(document)
        self.remember(path)
        return True

    def open_example(self, name: str) -> None:
        if self._confirm_discard():
            self.set_document(Document.example(name))

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save graph", self.document.name, "dvar graphs (*.dvar)"
        )
        if not path:
            return False
        if not path.endswith(".dvar"):
            path += ".dvar"
        return self._save_to(Path(path))

    def _save_to(self, path: Path) -> bool:
        try:
            self.document.save(path)
        except OSError as error:
            messages.warning(self, "Cannot save", f"{path}: {error.strerror or error}")
            return False
        self._update_title()
        self.remember(path)
        self.show_message(f"Saved {path}")
        return True

    def _confirm_discard(self) -> bool:
        if self.document is None or self.document.undo_stack.isClean():
            return True
        answer = messages.question(
            self,
            "Unsaved changes",
            f"Save the changes to {self.document.name}?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def export_image(self) -> None:
        """Export Image…: options, a file name, then PNG, SVG or PDF (Ctrl+E)."""
        from dvar.gui.dialogs.export import export_with_dialog

        result = export_with_dialog(self, self.scene, self.document.name)
        if result is not None:
            self.show_message(f"Exported {result.path}")

    def export_python(self) -> bool:
        """Export as Python…: the graph's two passes as a standalone script."""
        from dvar.core.fileformat import write_atomic

        source = self.document.path
        suggested = str((source or Path(self.document.name)).with_suffix(".py"))
        path, _ = QFileDialog.getSaveFileName(
            self, "Export as Python", suggested, "Python scripts (*.py)"
        )
        if not path:
            return False
        if not Path(path).suffix:
            path += ".py"
        try:
            script = core.to_python(self.document.graph, source=source)
            write_atomic(path, script.encode("utf-8"))
        except OSError as error:
            messages.warning(self, "Cannot export", f"{path}: {error.strerror or error}")
            return False
        except ValueError as error:
            messages.warning(self, "Cannot export", f"{path}: {error}")
            return False
        self.show_message(f"Exported {path}: run it with python3 {Path(path).name}")
        return True

    def copy_image(self) -> None:
        """Put a PNG picture of the diagram on the clipboard (Ctrl+Shift+C)."""
        from dvar.gui.canvas import export

        try:
            result = export.copy_image(self.scene, values=self.scene.show_numbers)
        except export.ExportError as error:
            self.show_message(str(error))
            return
        if result.warning:
            messages.warning(self, "Image reduced", result.warning)
        width, height = result.size
        self.show_message(f"Copied the diagram as a {width} × {height} px image")

    def print_diagram(self) -> None:
        """Print the diagram, fitted to the page (Ctrl+P)."""
        from PySide6.QtGui import QPainter
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.document.name)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        painter = QPainter()
        if not painter.begin(printer):
            messages.warning(self, "Cannot print", "The printer could not be started.")
            return
        from dvar.gui.canvas import export

        target = printer.pageLayout().paintRectPixels(printer.resolution()).toRectF()
        try:
            export.paint_diagram(self.scene, painter, target)
        except export.ExportError as error:
            messages.warning(self, "Cannot print", str(error))
        finally:
            painter.end()

    def close_document(self) -> None:
        """Close the document (asking first if it has unsaved changes); an empty one remains."""
        if self._confirm_discard():
            self.set_document(Document(untitled_name="untitled.dvar"))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._confirm_discard():
            self.autosaver.finish()
            event.accept()
        else:
            event.ignore()

    # ----------------------------------------------------------- recent files
    def recent_files(self) -> list[str]:
        value = self.settings.value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value or []][:RECENT_LIMIT]

    def remember(self, path: str | Path) -> None:
        full = str(Path(path).resolve())
        recent = [full] + [p for p in self.recent_files() if p != full]
        self.settings.setValue("recent_files", recent[:RECENT_LIMIT])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        if not recent:
            self.recent_menu.addAction("No recent files").setEnabled(False)
            return
        for index, path in enumerate(recent, 1):
            action = self.recent_menu.addAction(
                f"&{index} {Path(path).name}", lambda p=path: self._open_recent(p)
            )
            action.setStatusTip(path)
            action.setToolTip(messages.plain_tip(path))
        self.recent_menu.addSeparator()
        self.recent_menu.addAction("Clear List", lambda: self.settings.setValue("recent_files", []))

    def _open_recent(self, path: str) -> None:
        if not Path(path).exists():
            self.settings.setValue("recent_files", [p for p in self.recent_files() if p != path])
            messages.warning(
                self, "Cannot open file", f"{path}: no such file; removed it from the recent files"
            )
            return
        if self._confirm_discard():
            self.open_path(path)

    # ------------------------------------------------------- dropping a file
    def dragEnterEvent(self, event) -> None:
        if _dropped_graph(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        path = _dropped_graph(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            if self._confirm_discard():
                self.open_path(path)

    # -------------------------------------------------------------- recovery
    def offer_recovery(self) -> None:
        """After a crash or a kill: offer the unsaved work other dvar sessions left behind.

        Each orphan is offered on its own, so one that cannot be read never keeps the
        others from being offered.  A recovered orphan is deleted only once the window
        holding its work has written that work to its own autosave.
        """
        from dvar.gui.document import autosave

        for found in autosave.orphans(self.autosaver.folder):
            self._offer_one(found)

    def _offer_one(self, found) -> None:
        answer = messages.question(
            self,
            "Recover unsaved work?",
            f"dvar did not close normally last time. Unsaved work was kept:\n\n"
            f"{found.describe()}\n\nRecover it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            found.discard()
            return
        try:
            graph = found.load()
        except Exception as error:  # a damaged autosave, whatever the damage: set it aside
            try:
                kept = f"was set aside as {found.set_aside()}"
            except OSError as why:
                found.lock.unlock()
                kept = f"was left where it is ({why.strerror or why})"
            messages.warning(
                self, "Cannot recover", f"The autosave could not be read and {kept}: {error}"
            )
            return
        document = Document(graph, found.source, untitled_name=found.name)
        document.undo_stack.resetClean()  # recovered work is not saved anywhere yet
        if self.document.undo_stack.isClean():
            target = self
            self.set_document(document)
        else:
            target = MainWindow(document)
            self.recovered_windows.append(target)  # a window nobody holds would vanish
            target.show()
        target.autosaver.adopt(found)
        target.show_message(f"Recovered {found.name}")

    # -------------------------------------------------------------- edit menu
    def selected_keys(self) -> list[int]:
        return self.scene.selected_keys()

    def copy(self) -> bool:
        keys = self.selected_keys()
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
        keys = self.selected_keys()
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
        keys, edges = self.selected_keys(), self.scene.selected_edges()
        if not keys and not edges:
            self.show_message("Nothing selected to delete")
            return
        self.document.run(RemoveItems(self.document.graph, keys, edges))

    def select_all(self) -> None:
        for item in self.scene.nodes.values():
            item.setSelected(True)

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
    def nudge(self) -> None:
        self.docks["teach"].show()
        self.docks["teach"].raise_()
        self.teaching.nudge_selected()

    def clear_preview(self) -> None:
        if self.teaching.active:
            self.teaching.clear()
        else:
            self.scene.clearSelection()

    def step_backward(self) -> None:
        self.docks["teach"].show()
        self.docks["teach"].raise_()
        self.teaching.start_steps(backward=True)

    def step_forward(self) -> None:
        self.docks["teach"].show()
        self.docks["teach"].raise_()
        self.teaching.start_steps(backward=False)

    def _set_forward_mode(self, on: bool) -> None:
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

    def show_training(self) -> None:
        self.docks["train"].show()
        self.docks["train"].raise_()
        self.training.step_button.setFocus()

    # -------------------------------------------------------------- view menu
    def notation(self) -> str:
        return self.preferences.get("notation")

    def set_notation(self, notation: str) -> None:
        self.preferences.set("notation", notation)
        self.notation_actions[notation].setChecked(True)
        self.scene.set_notation(notation)
        self.panel.set_notation(notation)

    def set_digits(self, digits: int) -> None:
        """Show every number with this many significant digits."""
        self.preferences.set("digits", digits)
        numbers.set_digits(digits)
        self.scene.refresh(self.document.evaluation)
        self.panel.restyle()
        self._on_canvas_selection()  # the inspector shows numbers too

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
        else:  # grid, snap: their menu actions do the rest
            self.actions[name].setChecked(value)

    def _set_backward(self, on: bool) -> None:
        self.scene.set_backward_view(on)

    def _set_grid(self, on: bool) -> None:
        self.preferences.set("grid", on)
        self.view.show_grid = on
        self.view.resetCachedContent()
        self.view.viewport().update()

    def _set_snap(self, on: bool) -> None:
        self.preferences.set("snap", on)
        self.scene.set_snap(on)

    def _set_minimap(self, on: bool) -> None:
        self.view.minimap.enabled = on
        self.view.minimap.setVisible(False)
        self.view.minimap.schedule()

    # --------------------------------------------------------------- selection
    def _on_canvas_selection(self) -> None:
        keys = self.scene.selected_keys()
        key = keys[0] if len(keys) == 1 else None
        self.inspector.show_node(key)
        self.panel.select_node(key)
        self.scene.highlight_terms(key)

    def _on_panel_row(self, key: int) -> None:
        self.scene.blockSignals(True)
        self.scene.select_keys([key])
        self.scene.blockSignals(False)
        self.inspector.show_node(key)
        self.scene.highlight_terms(key)
        self.view.ensureVisible(self.scene.nodes[key], 40, 40)

    # ------------------------------------------------------------ context menu
    def _canvas_menu(self, point) -> None:
        scene_pos = self.view.mapToScene(point)
        item = self.scene.node_at(scene_pos)
        menu = QMenu(self)
        if isinstance(item, NodeItem):
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
            menu.addAction(self.actions["paste"])
            menu.addSeparator()
            menu.addAction(self.actions["fit"])
        menu.exec(self.view.viewport().mapToGlobal(point))

    # -------------------------------------------------------------------- help
    def show_shortcuts(self) -> None:
        ShortcutSheet(self).exec()

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


def _dropped_graph(data) -> str | None:
    """The first local ``.dvar`` file in dropped data, if any."""
    if data is None or not data.hasUrls():
        return None
    for url in data.urls():
        if url.isLocalFile() and url.toLocalFile().lower().endswith(".dvar"):
            return url.toLocalFile()
    return None


class ShortcutSheet(QDialog):
    """Every action with its keys, plus the mouse gestures."""

    GESTURES = [
        ("Drag from an output port to an input port", "Connect"),
        ("Drag an edge's end off its port", "Disconnect (drop on another port to reconnect)"),
        ("Double-click a value", "Edit it in place"),
        ("Double-click an empty input port", "Add a constant wired into it"),
        ("Wheel", "Zoom around the cursor"),
        ("Middle-drag, or Space + drag", "Pan"),
        ("Drag on empty canvas", "Rubber-band selection"),
        ("Right-click", "Node or canvas menu"),
    ]

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts — dvar")
        layout = QVBoxLayout(self)
        rows = [
            (
                a.text().replace("&", ""),
                ", ".join(
                    s.toString(QKeySequence.SequenceFormat.NativeText) for s in a.shortcuts()
                ),
            )
            for a in window.actions.values()
            if a.shortcuts()
        ]
        rows += [(what, how) for how, what in self.GESTURES]
        table = QTableWidget(len(rows), 2, self)
        table.setHorizontalHeaderLabels(["Action", "Keys / gesture"])
        for r, (action, keys) in enumerate(rows):
            table.setItem(r, 0, QTableWidgetItem(action))
            table.setItem(r, 1, QTableWidgetItem(keys))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 620)
