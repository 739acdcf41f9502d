"""Connecting and disconnecting a port from the keyboard: the slot menu (C) and D.

For an input port the menu lists the nodes that can feed it (none that would close a
cycle), nearest first; for an output port, the free inputs it can feed.  Each entry's
first letter is its mnemonic: typing it goes to the entry, or picks it when no other
entry starts with that letter.  A long list ends in "Other…", which asks for any name.
Every choice is one command through ``document.run``, so one undo step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtWidgets import QInputDialog, QMenu

from dvar.gui.canvas.focus_ring import RING_GAP, RING_WIDTH
from dvar.gui.document.structure_commands import SetInput

if TYPE_CHECKING:
    from dvar.gui.canvas.scene import GraphScene
    from dvar.gui.canvas.view import GraphView

Port = tuple[str, int]

#: How many entries a slot menu lists (the nearest first); "Other…" asks for any name.
MENU_NODES = 24


class SlotMenu(QMenu):
    """A slot menu: a letter typed picks an entry by its first letter (its mnemonic),
    and never fires one of the canvas's single-key shortcuts (B, N, P...) behind it."""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            shift = Qt.KeyboardModifier.ShiftModifier
            plain = not event.modifiers() & ~shift  # type: ignore[attr-defined]
            if plain and event.text().strip():  # type: ignore[attr-defined]
                event.accept()
                return True
        return super().event(event)


def open_slot_menu(view: GraphView, key: int, port: Port) -> SlotMenu:
    """Open the menu of what ``port`` of node ``key`` can connect to, beside the port."""
    scene = view.graph_scene()
    menu = SlotMenu(view)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if port[0] == "in":
        _fill_sources(view, menu, key, port[1])
    else:
        _fill_targets(view, menu, key)
    item = scene.nodes[key]
    spot = item.input_port(port[1]) if port[0] == "in" else item.output_port()
    at = view.viewport().mapToGlobal(view.mapFromScene(item.mapToScene(spot)))
    # Beside the port, on the side its edges come from, so the node stays in sight.
    size = menu.sizeHint()
    room = 2 * RING_GAP + RING_WIDTH
    if port[0] == "in":
        at -= QPoint(size.width() + room, size.height() // 2)
    else:
        at += QPoint(room, -(size.height() // 2))
    menu.popup(at)
    entries = [a for a in menu.actions() if a.isEnabled() and not a.isSeparator()]
    if entries:
        menu.setActiveAction(entries[0])
    return menu


def _fill_sources(view: GraphView, menu: QMenu, key: int, slot: int) -> None:
    graph = view.graph_scene().graph
    node = graph.node(key)
    menu.setTitle(f"Connect input {slot + 1} of {node.id}")
    menu.addSection(f"Feed input {slot + 1} of {node.id} from")
    blocked = graph.downstream(key) | {key}
    current = node.inputs[slot]
    choices = [other for other in _nearest(view.graph_scene(), key) if other not in blocked]
    for other in choices[:MENU_NODES]:
        name = graph.id_of(other) + ("  (feeds it now)" if other == current else "")
        action = menu.addAction(_menu_text(name))
        action.triggered.connect(lambda _=False, o=other: _feed(view, o, key, slot))
    if len(choices) > MENU_NODES:
        names = sorted(graph.id_of(other) for other in choices)
        menu.addAction("Other…", lambda: _feed_named(view, names, key, slot))
    if not choices:
        menu.addAction("No node can feed it without closing a cycle").setEnabled(False)


def _fill_targets(view: GraphView, menu: QMenu, key: int) -> None:
    graph = view.graph_scene().graph
    name = graph.id_of(key)
    menu.setTitle(f"Connect the output of {name}")
    menu.addSection(f"Feed {name} into")
    blocked = graph.upstream(key) | {key}
    free = [
        (other, slot)
        for other in _nearest(view.graph_scene(), key)
        if other not in blocked
        for slot, source in enumerate(graph.node(other).inputs)
        if source is None
    ]
    for other, slot in free[:MENU_NODES]:
        action = menu.addAction(_menu_text(f"{graph.id_of(other)}, input {slot + 1}"))
        action.triggered.connect(lambda _=False, o=other, s=slot: _feed(view, key, o, s))
    if not free:
        menu.addAction("No free input it can feed").setEnabled(False)


def _nearest(scene: GraphScene, key: int) -> list[int]:
    """Every other node drawn on the canvas, the nearest to ``key`` first."""
    items = scene.nodes
    here = items[key].sceneBoundingRect().center()
    return sorted(
        (other for other in items if other != key),
        key=lambda other: (items[other].sceneBoundingRect().center() - here).manhattanLength(),
    )


def _feed(view: GraphView, source: int, consumer: int, slot: int) -> None:
    scene = view.graph_scene()
    if source in scene.graph and consumer in scene.graph:
        scene.document.run(SetInput(scene.graph, consumer, slot, source))
    view.setFocus(Qt.FocusReason.OtherFocusReason)


def _feed_named(view: GraphView, names: list[str], consumer: int, slot: int) -> None:
    graph = view.graph_scene().graph
    name, ok = QInputDialog.getItem(
        view, "Connect", f"Feed input {slot + 1} of {graph.id_of(consumer)} from:", names, 0, True
    )
    if not ok or not name:
        return
    if name not in graph:
        view.graph_scene().document.message.emit(f"No node named {name!r}")
        return
    _feed(view, graph.key_of(name), consumer, slot)


def disconnect_port(scene: GraphScene, key: int, port: Port) -> None:
    """Empty an input port; on an output, every input it feeds (one undo step)."""
    graph, document = scene.graph, scene.document
    if port[0] == "in":
        if graph.node(key).inputs[port[1]] is None:
            document.message.emit(f"Input {port[1] + 1} of {graph.id_of(key)} is not connected")
            return
        document.run(SetInput(graph, key, port[1], None))
        return
    uses = [(graph.key_of(consumer), slot) for consumer, slot in graph.consumers(key)]
    if not uses:
        document.message.emit(f"{graph.id_of(key)} feeds no node")
        return
    stack = document.undo_stack
    stack.beginMacro(f"Disconnect {graph.id_of(key)}'s output")
    try:
        for consumer, slot in uses:
            document.run(SetInput(graph, consumer, slot, None))
    finally:
        stack.endMacro()


def _menu_text(text: str) -> str:
    """Menu text shown as it is, with its first letter as the mnemonic.  A ``&`` in a
    name is shown, not taken as a mnemonic."""
    return "&" + text.replace("&", "&&")
