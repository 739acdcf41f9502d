"""Copy as SVG: the diagram on the clipboard as vectors (image/svg+xml), with a picture."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from PySide6.QtGui import QGuiApplication


def test_copy_as_svg_puts_an_svg_drawing_on_the_clipboard(window):
    window.actions["copy_svg"].trigger()
    data = QGuiApplication.clipboard().mimeData()
    assert data.hasFormat("image/svg+xml")
    root = ET.fromstring(bytes(data.data("image/svg+xml")))
    assert root.tag.endswith("svg")
    text = "".join(root.itertext())
    assert "J = 3·v = 33" in text and "db = 6" in text
    assert data.hasImage()
    assert "Copied the diagram as an SVG drawing" in window.statusBar().currentMessage()


def test_copy_as_svg_follows_the_backward_view(window):
    window.actions["copy_svg"].trigger()
    plain = bytes(QGuiApplication.clipboard().mimeData().data("image/svg+xml"))
    window.actions["backward"].trigger()
    window.actions["copy_svg"].trigger()
    backward = bytes(QGuiApplication.clipboard().mimeData().data("image/svg+xml"))
    # the backward view's edges and labels are red too
    assert backward.lower().count(b"#c62828") > plain.lower().count(b"#c62828")


def test_copy_as_svg_of_an_empty_graph_says_why(empty_window):
    empty_window.actions["copy_svg"].trigger()
    assert "nothing to draw" in empty_window.statusBar().currentMessage()
