"""The Teach menu's work: practice, nudge, step-through, forward mode, paths, training,
a new problem and the lesson editor.

:class:`TeachMenu` is a part of the main window (a mixin): it shows the teaching docks
and keeps the other tools quiet while practice hides the answers.

May import: ``gui.document`` and Qt; ``core.problems``, ``gui.dialogs`` and
``gui.teach.lesson_editor`` only inside the method that needs them (loaded when asked
for, not at start).
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from dvar.gui.document.document import Document


class TeachMenu:
    """The teaching tools of the main window."""

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
