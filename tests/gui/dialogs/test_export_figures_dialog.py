"""Export Image… also writes TikZ (.tex) and Graphviz (.dot), as the canvas shows the
graph: the backward view when it is on, and the selection when asked."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QDialog, QFileDialog

from dvar.gui.dialogs.export import ExportDialog


def choose(monkeypatch, path, fmt, selection_only=False):
    def exec_(dialog: ExportDialog) -> int:
        dialog.format_box.setCurrentIndex(dialog.format_box.findData(fmt))
        if selection_only:
            dialog.selection_button.setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", exec_)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


def test_the_dialog_offers_tikz_and_dot_without_scale_or_background(window):
    dialog = ExportDialog(window.scene)
    for fmt in ("tex", "dot"):
        dialog.format_box.setCurrentIndex(dialog.format_box.findData(fmt))
        assert dialog.format_box.currentIndex() >= 0
        assert not dialog.scale_box.isEnabled() and not dialog.transparent_box.isEnabled()
        assert dialog.options().format == fmt and not dialog.options().transparent


def test_tikz_follows_the_backward_view(window, monkeypatch, tmp_path):
    window.actions["backward"].trigger()
    choose(monkeypatch, tmp_path / "figure", "tex")
    window.actions["export_image"].trigger()
    tex = (tmp_path / "figure.tex").read_text()
    assert tex.count(r"\draw[dvar backward]") == 5 and r"\documentclass{article}" in tex
    assert f"Exported {tmp_path / 'figure.tex'}" in window.statusBar().currentMessage()


def test_dot_of_the_selection_takes_the_chips_along(window, monkeypatch, tmp_path):
    graph = window.document.graph
    window.scene.select_keys([graph.key_of("J"), graph.key_of("v")])
    choose(monkeypatch, tmp_path / "part.dot", "png", selection_only=True)  # the name wins
    window.actions["export_image"].trigger()
    dot = (tmp_path / "part.dot").read_text()
    assert len(re.findall(r"^  n\d+ \[label=<", dot, flags=re.MULTILINE)) == 2
    assert "J = 3·v = 33" in dot and ">3</TD>" in dot and dot.count("->") == 1
