"""PySide6 6.12.0 on Python 3.11 drops a reference to None on every setter that returns
nothing, and the process aborts with ``none_dealloc`` after about 5,000 calls.  A future
bump of the pin must pass this; it runs in a subprocess because the failure is an abort."""

import os
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    from PySide6.QtGui import QColor, QPen
    from PySide6.QtWidgets import QApplication, QGraphicsRectItem, QGraphicsScene

    from dvar.gui.canvas.nodes import NodeItem

    app = QApplication([])
    scene = QGraphicsScene()
    rect = QGraphicsRectItem(0, 0, 10, 10)
    node = NodeItem(0, 2)
    scene.addItem(rect)
    scene.addItem(node)
    pens = [QPen(QColor("red")), QPen(QColor("blue"))]
    for i in range(20_000):
        rect.setPos(i, -i)
        rect.setPen(pens[i % 2])
        node.setPos(i % 400, i % 300)
        node.setToolTip("")
    print("done", rect.pos().x(), node.pos().y())
    """
)


@pytest.mark.slow
def test_twenty_thousand_setter_calls_do_not_abort(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONFAULTHANDLER": "1"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=os.getcwd(),
        check=False,
    )
    assert "none_dealloc" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["done", "19999.0", "200.0"]  # 199 snaps to 200
