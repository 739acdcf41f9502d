"""File → Export Steps…: each step of a pass as a PDF page or a GIF frame, as the
step-through shows it; the document's overlay is left as it was."""

from __future__ import annotations

import re

import pytest
from PIL import Image
from PySide6.QtWidgets import QDialog, QFileDialog

from dvar.gui.dialogs.export_steps import ExportStepsDialog
from dvar.gui.document.overlay import PLAIN
from dvar.gui.teach.teaching import step_frames


def choose(monkeypatch, tmp_path, name, **choices):
    """Answer the dialog with ``choices`` and the file dialog with ``tmp_path / name``."""

    def exec_(dialog: ExportStepsDialog) -> int:
        if "backward" in choices:
            dialog.direction_box.setCurrentIndex(dialog.direction_box.findData(choices["backward"]))
        if "format" in choices:
            dialog.format_box.setCurrentIndex(dialog.format_box.findData(choices["format"]))
        if "frame_ms" in choices:
            dialog.frame_box.setValue(choices["frame_ms"])
        if choices.get("selection_only"):
            dialog.selection_box.setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportStepsDialog, "exec", exec_)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / name), ""))


def test_the_file_menu_has_export_steps_and_copy_as_svg(window):
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    assert texts.index("Export S&teps…") == texts.index("Export as P&ython…") + 1
    assert texts.index("Copy as S&VG") == texts.index("Copy as &Image") + 1


def gif_frames(path) -> tuple[list[int], list[tuple[int, int]]]:
    with Image.open(path) as gif:
        durations = []
        for index in range(gif.n_frames):
            gif.seek(index)
            durations.append(gif.info["duration"])
        return durations, gif.size


def test_backward_steps_as_a_gif(window, monkeypatch, tmp_path):
    choose(monkeypatch, tmp_path, "lecture", backward=True, format="gif", frame_ms=400)
    window.actions["export_steps"].trigger()
    out = tmp_path / "lecture.gif"  # the chosen format's extension is added
    durations, _ = gif_frames(out)
    steps = len(step_frames(window.document, True))
    assert steps == 7 and durations == [400] * (steps - 1) + [1200]
    assert window.document.overlay == PLAIN
    assert f"Exported {out}" in window.statusBar().currentMessage()


def test_forward_steps_as_pdf_pages(window, monkeypatch, tmp_path):
    choose(monkeypatch, tmp_path, "pass.pdf", backward=False, format="gif")  # the name wins
    window.actions["export_steps"].trigger()
    data = (tmp_path / "pass.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) == len(step_frames(window.document, False))


def test_the_selection_only(window, monkeypatch, tmp_path):
    choose(monkeypatch, tmp_path, "all.gif", format="gif")
    window.actions["export_steps"].trigger()
    graph = window.document.graph
    window.scene.select_keys([graph.key_of("u"), graph.key_of("b")])
    choose(monkeypatch, tmp_path, "part.gif", format="gif", selection_only=True)
    window.actions["export_steps"].trigger()
    (_, whole), (_, part) = gif_frames(tmp_path / "all.gif"), gif_frames(tmp_path / "part.gif")
    assert part[0] < whole[0] and part[1] < whole[1]


def test_a_step_through_in_progress_is_left_where_it_was(window, monkeypatch, tmp_path):
    window.actions["step_backward"].trigger()
    for _ in range(3):
        window.actions["next_step"].trigger()
    during = window.document.overlay
    assert during.current is not None
    choose(monkeypatch, tmp_path, "s.pdf", format="pdf")
    window.actions["export_steps"].trigger()
    assert (tmp_path / "s.pdf").exists()
    assert window.document.overlay == during
    assert window.scene.nodes[during.current].highlighted


def test_backward_without_an_output_is_refused(window, monkeypatch, tmp_path, dialogs):
    from dvar.gui.document.structure_commands import SetOutput

    window.document.run(SetOutput(window.document.graph, None))
    choose(monkeypatch, tmp_path, "s.pdf", backward=True)
    window.actions["export_steps"].trigger()
    assert not (tmp_path / "s.pdf").exists()
    assert any("Choose an output first" in text for _, text in dialogs)


def test_the_dialog_starts_on_the_forward_pass_without_an_output(window):
    from dvar.gui.document.structure_commands import SetOutput

    assert ExportStepsDialog(window.scene).options().backward
    window.document.run(SetOutput(window.document.graph, None))
    dialog = ExportStepsDialog(window.scene)
    assert not dialog.options().backward
    assert not dialog.frame_box.isEnabled()  # PDF: no frame time
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("gif"))
    assert dialog.frame_box.isEnabled()


@pytest.mark.parametrize("answer", ["dialog", "file"])
def test_cancelling_writes_nothing(window, monkeypatch, tmp_path, answer):
    choose(monkeypatch, tmp_path, "s.pdf")
    if answer == "dialog":
        monkeypatch.setattr(ExportStepsDialog, "exec", lambda self: 0)
    else:
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    window.actions["export_steps"].trigger()
    assert list(tmp_path.iterdir()) == []


def test_steps_are_drawn_for_paper_in_the_dark_theme(window, monkeypatch, tmp_path):
    from dvar.gui.dialogs.preferences import apply_theme

    apply_theme("dark")
    choose(monkeypatch, tmp_path, "dark.gif", format="gif")
    window.actions["export_steps"].trigger()
    with Image.open(tmp_path / "dark.gif") as gif:
        gif.seek(gif.n_frames - 1)
        frame = gif.convert("RGB")
    width, height = frame.size
    colours = frame.getcolors(width * height)
    most = max(colours)[1]
    assert most == (255, 255, 255)  # a white page…
    darkest = min(colours, key=lambda c: sum(c[1]))[1]
    assert sum(darkest) < 150  # …with dark text on it
