"""QT_SCALE_FACTOR=2: the window is drawn at twice the pixels, crisp and unclipped.

Run in a fresh process, since the scale factor is read when Qt starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

PROBE = textwrap.dedent(
    """
    import json
    from PySide6.QtCore import QSize, Qt
    from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QToolButton
    app = QApplication([])
    app.setOrganizationName("dvar-test-dpi"); app.setApplicationName("dvar")
    from dvar.gui.app.window import MainWindow
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    for _ in range(5):
        app.processEvents()
    image = window.grab()
    report = {"ratio": window.devicePixelRatioF(), "grab": [image.width(), image.height()],
              "size": [window.width(), window.height()]}
    # Toolbar icons: drawn at device pixels from their SVG, not a small bitmap scaled up.
    icons = []
    for button in window.findChildren(QToolButton):
        icon = button.icon()
        if icon.isNull() or not button.isVisible():
            continue
        side = button.iconSize().width()
        pixmap = icon.pixmap(QSize(side, side), window.devicePixelRatioF())
        icons.append([button.toolTip()[:30], side, pixmap.width(), pixmap.devicePixelRatio()])
    report["icons"] = icons
    # Labels and buttons in the docks: each is at least as wide as its text needs.
    clipped, checked = [], 0
    for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton):
        if not widget.isVisible() or not widget.text():
            continue
        if isinstance(widget, QLabel) and (
            widget.wordWrap() or widget.textFormat() == Qt.TextFormat.RichText
        ):
            continue  # wrapped or rich text: its width is the layout's choice
        checked += 1
        need = widget.fontMetrics().horizontalAdvance(widget.text().replace("&", ""))
        if widget.width() < need and widget.width() < widget.sizeHint().width():
            clipped.append([widget.text(), widget.width(), need])
    report["clipped"], report["checked"] = clipped, checked
    # The lecture's node lines fit their boxes.
    scene = window.scene
    report["lines"] = [
        [item.value_line(True, item.width - 26)[0], item.width]
        for key, item in scene.nodes.items() if key not in scene.chips
    ]
    print(json.dumps(report))
    window.document.undo_stack.setClean()
    """
)


def test_the_window_at_scale_factor_2_is_crisp_and_unclipped(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR="2")
    env["HOME"] = env["XDG_CONFIG_HOME"] = env["XDG_DATA_HOME"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["ratio"] == 2
    assert report["grab"] == [2 * report["size"][0], 2 * report["size"][1]]
    assert report["icons"], "the toolbar shows icons"
    for tip, side, width, ratio in report["icons"]:
        assert ratio == 2 and width == 2 * side, tip  # device pixels, drawn from the SVG
    assert report["checked"] > 20  # the labels and buttons of the docks and panels
    assert report["clipped"] == []
    for line, _width in report["lines"]:
        assert "…" not in line
