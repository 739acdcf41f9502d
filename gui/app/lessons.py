"""The main window's side of the lesson player (gui/teach/lesson_player.py).

Teach → Play Lesson shows the Lesson dock and plays the graph's lesson; opening a
file that carries a lesson offers to play it; ``dvar lesson FILE`` starts in the
player.  The window tells the player when the view switches (the backward view,
forward mode), and lends it the nudge of the Teach dock.
"""

from __future__ import annotations

from dvar.gui import messages
from dvar.gui.teach.lesson_player import LessonHost, LessonPlayer


class LessonMenu:
    """Mixed into the main window, like the File menu's ``FileMenu``."""

    def _make_lesson_player(self) -> LessonPlayer:
        host = LessonHost(
            view=self._lesson_view,
            set_view=self._set_lesson_view,
            nudge=self._lesson_nudge,
            nudged=self._lesson_nudged,
            end_previews=self._end_lesson_previews,
        )
        player = LessonPlayer(self.document, self.scene, self.view, host)
        player.running_changed.connect(self._on_lesson_running)
        player.step_changed.connect(lambda: self._after_change([], self.document.evaluation))
        return player

    def play_lesson(self) -> bool:
        """Teach → Play Lesson: the Lesson dock, playing the graph's lesson where the
        learner left it."""
        if self.document.graph.lesson is None:
            self.show_message("This graph has no lesson: Help → Lessons lists dvar's own")
            return False
        if self.practice.active:
            self.practice.stop()
        editor = getattr(self, "lesson_editor", None)
        if editor is not None:
            editor.close()  # its preview of one step would lie over the player's
        self.docks["lesson"].show()
        self.docks["lesson"].raise_()
        started = self.lesson_player.start()
        if started:
            self.lesson_player._focus_first()
        return started

    def offer_lesson(self) -> None:
        """A file with a lesson was opened: ask whether to play it now."""
        lesson = self.document.graph.lesson
        if lesson is None or self.lesson_player.active:
            return
        button = messages.question(
            self,
            "Play the lesson?",
            f"This file carries a lesson, “{lesson.title}”, in {len(lesson.steps)} steps.\n\n"
            "Play it now? (Teach → Play Lesson plays it later.)",
            messages.Button.Yes | messages.Button.No,
            messages.Button.Yes,
        )
        if button == messages.Button.Yes:
            self.play_lesson()

    def _on_lesson_running(self, running: bool) -> None:
        if running:
            self.teaching.clear()
        self._after_change([], self.document.evaluation)

    def _lesson_view(self) -> str:
        if self.teaching.forward.active:
            return "forward"
        return "backward" if self.actions["backward"].isChecked() else "normal"

    def _set_lesson_view(self, view: str) -> None:
        if view == "forward":
            self._set_forward_mode(True)
            self._sync_forward_action(self.teaching.forward.active)
            return
        if self.teaching.forward.active:
            self._set_forward_mode(False)
            self._sync_forward_action(False)
        self.actions["backward"].setChecked(view == "backward")

    def _lesson_nudge(self, key: int) -> bool:
        return self.teaching.nudge(key)

    def _end_lesson_previews(self) -> None:
        """A new step: the nudge or step-through of the last one ends (forward mode,
        a view, stays)."""
        self.teaching._end_previews()

    def _lesson_nudged(self) -> int | None:
        mode = self.teaching.nudge_mode
        return None if mode is None else mode.key

    def _lesson_view_changed(self, *_) -> None:
        player = getattr(self, "lesson_player", None)
        if player is not None and player.active:
            player.view_changed()
