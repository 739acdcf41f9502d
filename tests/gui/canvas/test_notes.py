"""Notes and frames on the canvas: added, moved, resized, retyped, recoloured and
deleted with the mouse and the menus, each one undoable step; plain text only; and
in exports."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication, QInputDialog

from dvar import core
from dvar.gui.canvas import notes
from dvar.gui.canvas.export import export_scene
from tests.gui.helpers import double_click, drag, dumps, fit, press_key, viewport_point


def add(win, kind="note", at: QPointF | None = None, text="") -> int:
    key = notes.add_note(win.scene, kind, at or QPointF(40, 420), text)
    assert key is not None
    return key


def inside(win, key: int, dx: float = 30, dy: float = 12) -> QPoint:
    note = win.document.graph.notes[key]
    return viewport_point(win, QPointF(note.x + dx, note.y + dy))


def test_add_note_and_frame_from_the_node_menu_and_undo(window):
    win = window
    stack = win.document.undo_stack
    before, depth = dumps(win), stack.count()
    win.view.cursor_scene_pos = lambda: QPointF(100, 320)  # where the mouse is
    win.actions["add_note"].trigger()
    win.actions["add_frame"].trigger()
    graph = win.document.graph
    kinds = [(n.kind, n.x, n.y) for n in graph.notes.values()]
    assert kinds == [("note", 100, 320), ("frame", 100, 320)]
    assert set(win.scene.note_items) == set(graph.notes)
    assert win.scene.note_items[1].isSelected() and not win.scene.note_items[0].isSelected()
    assert stack.count() == depth + 2 and stack.undoText() == "Add frame"
    frame, note = win.scene.note_items[1], win.scene.note_items[0]
    assert frame.zValue() < note.zValue() < 0  # frames under notes, both under the nodes
    stack.undo()
    stack.undo()
    assert not graph.notes and not win.scene.note_items
    assert dumps(win) == before
    stack.redo()
    assert [n.kind for n in graph.notes.values()] == ["note"] and list(win.scene.note_items)


def test_a_note_moves_with_the_mouse_in_one_undo_step(window):
    win = window
    key = add(win)
    fit(win)
    stack = win.document.undo_stack
    depth = stack.count()
    start = inside(win, key)
    drag(win, start, start + QPoint(60, 40))
    note, item = win.document.graph.notes[key], win.scene.note_items[key]
    assert (note.x, note.y) == (item.x(), item.y())
    assert note.x > 40 and note.y > 420
    assert stack.count() == depth + 1 and stack.undoText() == "Move note"
    stack.undo()
    assert (win.document.graph.notes[key].x, item.x(), item.y()) == (40, 40, 420)


def test_a_note_moves_with_the_nodes_dragged_beside_it(window):
    win = window
    key = add(win)
    fit(win)
    win.scene.note_items[key].setSelected(True)
    a = win.scene.nodes[win.document.graph.key_of("a")]
    a.setSelected(True)
    start = viewport_point(win, a.sceneBoundingRect().center())
    drag(win, start, start + QPoint(80, 0))
    graph = win.document.graph
    assert graph.notes[key].x > 40 and graph.node("a").x > 0
    assert (graph.notes[key].x, graph.notes[key].y) == tuple(
        (win.scene.note_items[key].x(), win.scene.note_items[key].y())
    )


def test_the_grip_resizes_and_undo_gives_the_size_back(window):
    win = window
    key = add(win)
    fit(win)
    item = win.scene.note_items[key]
    grip = viewport_point(win, item.mapToScene(item.grip().center()))
    drag(win, grip, grip + QPoint(60, 30))
    note = win.document.graph.notes[key]
    zoom = win.view.zoom()
    assert note.w > 200 + 50 / zoom and note.h > 80 + 20 / zoom
    assert (note.x, note.y) == (40, 420)  # the corner stays put
    assert win.document.undo_stack.undoText() == "Resize note"
    win.document.undo_stack.undo()
    assert (win.document.graph.notes[key].w, item.rect().width()) == (200, 200)


def test_a_frame_takes_the_mouse_only_on_its_title_and_border(window):
    win = window
    key = add(win, "frame", QPointF(-200, 400))
    fit(win)
    item = win.scene.note_items[key]
    title = viewport_point(win, QPointF(-150, 410))
    middle = viewport_point(win, QPointF(0, 530))
    assert win.view.itemAt(title) is item
    assert win.view.itemAt(middle) is None  # a rubber band starts there, as on open canvas


def test_double_click_edits_the_text_as_plain_text(window, monkeypatch):
    win = window
    key = add(win)
    fit(win)
    asked = []

    def answer(parent, title, label, text, *args, **kwargs):
        asked.append(text)
        return "<b>bold?</b>\nda = 3", True

    monkeypatch.setattr(QInputDialog, "getMultiLineText", answer)
    double_click(win, inside(win, key))
    assert asked == ["Note"]
    note = win.document.graph.notes[key]
    assert note.text == "<b>bold?</b>\nda = 3"  # kept as typed: never read as markup
    assert win.scene.note_items[key].note.text == note.text
    assert win.document.undo_stack.undoText() == "Edit text of note"
    win.document.undo_stack.undo()
    assert win.document.graph.notes[key].text == "Note"


def test_note_text_is_drawn_as_typed_not_as_markup(window, tmp_path):
    win = window
    add(win, text="<i>x</i> & y")
    out = tmp_path / "notes.svg"
    export_scene(win.scene, out)
    svg = out.read_text(encoding="utf-8")
    assert "&lt;i&gt;x&lt;/i&gt; &amp; y" in svg


def test_delete_key_removes_selected_notes_with_nodes_in_one_step(window):
    win = window
    stack = win.document.undo_stack
    key = add(win)
    frame = add(win, "frame", QPointF(-300, -300))
    before, depth = dumps(win), stack.count()
    win.scene.clearSelection()
    win.scene.note_items[key].setSelected(True)
    win.scene.nodes[win.document.graph.key_of("a")].setSelected(True)
    win.view.setFocus()
    press_key(win, Qt.Key.Key_Delete)
    graph = win.document.graph
    assert list(graph.notes) == [frame] and "a" not in graph
    assert stack.count() == depth + 1
    stack.undo()
    assert list(graph.notes) == [key, frame] and "a" in graph
    assert list(win.scene.note_items) == [key, frame] or set(win.scene.note_items) == {key, frame}
    assert win.scene.note_items[key].zValue() < win.scene.note_items[frame].zValue() + 20
    assert dumps(win) == before


def test_colour_and_a_refused_size_leave_one_clean_history(window):
    win = window
    key = add(win)
    assert notes.set_color(win.scene, key, "#c8ecc0")
    assert win.document.graph.notes[key].color == "#c8ecc0"
    depth = win.document.undo_stack.count()
    item = win.scene.note_items[key]
    item.setPos(5e7, 0)  # dragged far off the canvas
    notes.commit_moves(win.scene)
    assert win.document.undo_stack.count() == depth
    assert (item.x(), item.y()) == (40, 420)  # back where the graph has it


def test_notes_are_saved_with_the_document_and_drawn_when_opened(window, tmp_path, qtbot):
    from dvar.gui.app.window import MainWindow
    from dvar.gui.document.document import Document

    win = window
    add(win, "frame", QPointF(-40, -40), "The lecture")
    path = tmp_path / "with-notes.dvar"
    win.document.save(path)
    other = MainWindow(Document.open(path))
    qtbot.addWidget(other)
    items = list(other.scene.note_items.values())
    assert [(i.note.kind, i.note.text) for i in items] == [("frame", "The lecture")]
    assert other.scene.diagram_rect().contains(QPointF(-30, -30))  # fit shows notes too
    assert core.load(path).notes[0].text == "The lecture"


def test_export_svg_holds_note_and_frame_text_and_their_room(window, tmp_path):
    win = window
    add(win, "note", QPointF(900, 500), "Remember dv first")
    add(win, "frame", QPointF(-400, -300), "Forward")
    win.scene.note_items[0].setSelected(True)
    out = tmp_path / "d.svg"
    result = export_scene(win.scene, out)
    svg = out.read_text(encoding="utf-8")
    assert "Remember dv first" in svg and "Forward" in svg
    # the picture reaches out to the far note and frame
    assert result.size[0] > 900 + 400 + 200 and result.size[1] > 800
    assert win.scene.note_items[0].isSelected()  # the selection is given back
    QApplication.processEvents()


def test_a_note_edit_is_autosaved_and_its_undo_too(window):
    win = window
    key = add(win, text="kept safe")
    assert win.autosaver.write()
    assert [n.text for n in core.load(win.autosaver.path).notes.values()] == ["kept safe"]
    notes.set_text(win.scene, key, "changed")
    assert win.autosaver.write()  # graph.version moved: a note edit is a change to save
    assert core.load(win.autosaver.path).notes[key].text == "changed"
    win.document.undo_stack.undo()
    assert win.autosaver.write()
    assert core.load(win.autosaver.path).notes[key].text == "kept safe"
