"""View → Constants as Nodes and View → Derivatives of Constants: how the lecture's 3
is drawn and listed, remembered across windows, never written into the file."""

from dvar.gui.app.window import MainWindow
from dvar.gui.document.document import Document


def _three(window) -> int:
    return window.document.graph.key_of("three")


def test_the_lecture_opens_with_the_3_as_a_chip_and_no_row(window):
    three = _three(window)
    assert three in window.scene.chips
    assert three not in window.panel.rows_model.keys
    assert not window.actions["constants_as_nodes"].isChecked()


def test_constants_as_nodes_gives_the_3_a_box_and_back(window):
    three = _three(window)
    window.actions["constants_as_nodes"].setChecked(True)
    assert three not in window.scene.chips
    window.actions["constants_as_nodes"].setChecked(False)
    assert three in window.scene.chips
    assert not window.document.undo_stack.count()  # a way of drawing, not an edit


def test_derivatives_of_constants_gives_the_3_its_row(window):
    three = _three(window)
    window.actions["constant_derivatives"].setChecked(True)
    assert three in window.panel.rows_model.keys
    window.actions["constant_derivatives"].setChecked(False)
    assert three not in window.panel.rows_model.keys


def test_both_are_remembered_for_the_next_window_and_its_documents(window, qtbot):
    window.actions["constants_as_nodes"].setChecked(True)
    window.actions["constant_derivatives"].setChecked(True)
    later = MainWindow(Document.lecture())
    qtbot.addWidget(later)
    three = _three(later)
    assert later.actions["constants_as_nodes"].isChecked()
    assert three in later.scene.nodes and three not in later.scene.chips
    assert three in later.panel.rows_model.keys
    later.set_document(Document.lecture())  # a new document's scene and panel follow too
    assert _three(later) not in later.scene.chips
    assert _three(later) in later.panel.rows_model.keys
    later.document.undo_stack.setClean()
