"""Where the panels sit around the canvas: one dock each, laid out once per window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QWidget

Left = Qt.DockWidgetArea.LeftDockWidgetArea
Right = Qt.DockWidgetArea.RightDockWidgetArea

#: (name, title, side), in the order the docks are made and listed in View → Panels.
LAYOUT = (
    ("palette", "Operations", Left),
    ("panel", "Derivatives", Right),
    ("inspector", "Inspector", Right),
    ("history", "History", Left),
    ("teach", "Teach", Right),
    ("train", "Train", Right),
    ("practice", "Practice", Right),
    ("paths", "Paths", Right),
    ("lesson", "Lesson", Right),
)


def make_docks(
    window: QMainWindow, widgets: dict[str, QWidget], panels_menu: QMenu
) -> dict[str, QDockWidget]:
    """Dock each widget by :data:`LAYOUT`, list it in ``panels_menu``, and size the docks.

    Inspector, Teach, Train and Practice share one place as tabs, the inspector in front.
    """
    docks: dict[str, QDockWidget] = {}
    for name, title, area in LAYOUT:
        dock = QDockWidget(title, window)
        dock.setObjectName(name)
        dock.setWidget(widgets[name])
        window.addDockWidget(area, dock)
        panels_menu.addAction(dock.toggleViewAction())
        docks[name] = dock
    window.tabifyDockWidget(docks["inspector"], docks["teach"])
    window.tabifyDockWidget(docks["teach"], docks["train"])
    window.tabifyDockWidget(docks["train"], docks["practice"])
    window.tabifyDockWidget(docks["practice"], docks["paths"])
    window.tabifyDockWidget(docks["paths"], docks["lesson"])
    docks["inspector"].raise_()
    palette_width = max(170, widgets["palette"].sizeHint().width())  # its widest row
    window.resizeDocks([docks["palette"]], [palette_width], Qt.Orientation.Horizontal)
    window.resizeDocks([docks["palette"], docks["history"]], [520, 160], Qt.Orientation.Vertical)
    window.resizeDocks([docks["panel"]], [400], Qt.Orientation.Horizontal)
    window.resizeDocks([docks["panel"], docks["inspector"]], [420, 380], Qt.Orientation.Vertical)
    return docks
