"""Text from a file reads exactly as written: never a heading, never a link.

Qt takes any string that starts like HTML for rich text.  A file whose ``format``
reads ``<a href='…'><h1>FIX</h1></a>`` must show those characters, in every dialog,
label and tooltip, and nothing in them may be clickable.
"""

import json
import time

import pytest
from PySide6.QtCore import QModelIndex, QPoint
from PySide6.QtGui import Qt, QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QTreeView, QWidget

from dvar import core
from dvar.gui.app import application as gui_app
from dvar.gui.app.window import MainWindow
from dvar.gui.document import autosave
from dvar.gui.document.document import Document
from dvar.gui.document.field_commands import SetField
from dvar.gui.messages import plain_tip

EVIL = "<a href='https://example.com/'><h1>FIX</h1></a>"


def reads(text: str, text_format=Qt.TextFormat.AutoText) -> str:
    """What a person reads where Qt shows ``text`` in this format (tooltips: AutoText)."""
    rich = text_format == Qt.TextFormat.RichText or (
        text_format == Qt.TextFormat.AutoText and Qt.mightBeRichText(text)
    )
    if not rich:
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText().replace("\u2028", "\n").replace("\xa0", " ")


def _links_under_the_mouse(label: QLabel) -> set[str]:
    """Sweep the mouse over the label: which links does it pass over?"""
    hovered: set[str] = set()
    label.linkHovered.connect(lambda link: hovered.add(link) if link else None)
    for x in range(0, label.width(), 6):
        for y in range(0, label.height(), 5):
            QTest.mouseMove(label, QPoint(x, y))
    QApplication.processEvents()
    return hovered


@pytest.fixture
def boxes(monkeypatch):
    """Every message box that is run: shown for real, read, swept with the mouse, answered."""
    seen: list[dict] = []

    def run(box):
        box.show()
        QApplication.processEvents()
        label = box.findChild(QLabel, "qt_msgbox_label")
        seen.append(
            {
                "title": box.windowTitle(),
                "reads": reads(label.text(), label.textFormat()),
                "links": _links_under_the_mouse(label),
            }
        )
        box.hide()
        if box.icon() == QMessageBox.Icon.Question:
            return QMessageBox.StandardButton.No
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", run)
    return seen


def _evil_file(tmp_path, name="evil.dvar"):
    path = tmp_path / name
    path.write_text(
        json.dumps({"format": EVIL, "version": 1, "output": None, "nodes": []}), encoding="utf-8"
    )
    return path


def _assert_as_written(box: dict, expected: str) -> None:
    """The angle brackets are there to read (so no heading), and no link is under the mouse."""
    assert expected in box["reads"], box["reads"]
    assert box["links"] == set()


def test_cannot_open_dialog_shows_the_files_text_as_written(window, tmp_path, boxes):
    path = _evil_file(tmp_path)
    with pytest.raises(core.FileFormatError) as reason:
        core.load(path)
    assert not window.open_path(str(path))
    (box,) = boxes
    assert box["title"] == "Cannot open file"
    assert box["reads"] == str(reason.value)
    _assert_as_written(box, "<a href='https://example.com/'><h1>F")


def test_desktop_double_click_dialog_shows_the_files_text_as_written(
    tmp_path, monkeypatch, boxes, capsys
):
    path = _evil_file(tmp_path)
    monkeypatch.setenv("GIO_LAUNCHED_DESKTOP_FILE", "/usr/share/applications/dvar.desktop")
    assert gui_app.run(str(path)) == 2
    assert capsys.readouterr().err.startswith("dvar: error: ")
    (box,) = boxes
    assert box["title"].startswith("Cannot open file")
    _assert_as_written(box, "<a href='https://example.com/'><h1>F")


def test_recovery_dialog_shows_the_sidecars_text_as_written(qtbot, boxes):
    folder = autosave.folder()
    folder.mkdir(parents=True)
    core.save(core.load(core.example_path("lecture")), folder / "77-dead.dvar")
    meta = {"name": EVIL, "source": "<b>not bold</b>", "saved": time.time()}
    (folder / "77-dead.json").write_text(json.dumps(meta), encoding="utf-8")
    window = MainWindow(Document.lecture())
    qtbot.addWidget(window)
    window.offer_recovery()
    (box,) = boxes
    _assert_as_written(box, f"{EVIL} (from <b>not bold</b>), last autosaved")


def test_a_failed_save_names_the_path_as_written(window, tmp_path, boxes):
    target = tmp_path / "<h1>FIX<h1>" / "out.dvar"  # the folder does not exist
    assert not window._save_to(target)
    (box,) = boxes
    _assert_as_written(box, str(target))


@pytest.mark.parametrize(
    "text", [EVIL, "<b>w</b> = 5", "a < b > c", "plain", "", "two\nlines <i>x</i>", "&lt;b&gt;"]
)
def test_a_plain_tooltip_reads_as_written(text):
    assert reads(plain_tip(text)) == text


def _every_text(window: MainWindow) -> list[tuple[str, str]]:
    """(where, what it reads) for every label, tooltip and tree row in the window."""
    found = []
    for widget in window.findChildren(QWidget):
        found.append((f"tooltip of {widget!r}", reads(widget.toolTip())))
        if isinstance(widget, QLabel):
            found.append((f"label {widget!r}", reads(widget.text(), widget.textFormat())))
        if isinstance(widget, QTreeView):  # its rows, through its model
            model = widget.model()
            parents = [QModelIndex()]
            while parents:
                parent = parents.pop()
                for row in range(model.rowCount(parent)):
                    parents.append(model.index(row, 0, parent))
                    for column in range(model.columnCount(parent)):
                        index = model.index(row, column, parent)
                        tip = index.data(Qt.ItemDataRole.ToolTipRole) or ""
                        found.append((f"row {index.siblingAtColumn(0).data()!r}", reads(tip)))
    for action in window.findChildren(type(window.actions["open"])):
        found.append((f"action {action.text()!r}", reads(action.toolTip())))
    for item in window.scene.items():
        found.append((f"canvas item {item!r}", reads(item.toolTip())))
    found.append(("status bar", window.statusBar().currentMessage()))
    return found


def test_every_label_and_tooltip_reads_markup_as_written(window, tmp_path):
    """A file named and labelled with markup: wherever its words appear, they read
    as typed, with their angle brackets."""
    folder = tmp_path / "<b>FIX<b> folder"
    folder.mkdir()
    path = folder / "<b>FIX<b>.dvar"
    graph = core.load(core.example_path("lecture"))
    core.save(graph, path)
    assert window.open_path(str(path))
    graph = window.document.graph
    for node in list(graph):
        window.document.run(SetField.to(graph, node.key, "label", f"<b>FIX</b> {node.id}"))
    window.document.run(SetField.to(graph, graph.key_of("a"), "label", "<h1>FIX</h1>"))
    window._fill_recent_menu()
    window.panel.expandAll()
    window.show_message(f"Saved {path}")
    for key in [node.key for node in graph]:
        window.scene.select_keys([key])
        QApplication.processEvents()
        texts = [(where, text) for where, text in _every_text(window) if "FIX" in text]
        assert texts, "the file's words should appear somewhere"
        garbled = [
            (where, text) for where, text in texts if "<b>FIX" not in text and "<h1>" not in text
        ]
        assert garbled == []
    window.document.undo_stack.setClean()
