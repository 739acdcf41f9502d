"""The card above the derivative panel's rows: the chosen node's chain rule in full,
its local derivative in words, copied as text or LaTeX; rows never cut off what the
card and their tooltips do not show; inline constants have rows only when asked."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QGuiApplication, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from dvar.core.text import local_derivative_sentence
from dvar.gui.canvas.look import derivative_color
from dvar.gui.dialogs.preferences import apply_theme
from dvar.gui.document.field_commands import SetField
from dvar.gui.document.overlay import Overlay
from dvar.gui.document.structure_commands import AddNodes, SetOutput
from dvar.gui.panels.card import COPY_LATEX_KEYS, COPY_TEXT_KEYS
from tests.gui.helpers import click, fit, keys, node_point


def choose(window, node_id: str) -> None:
    """Select a node on the canvas, as a click does."""
    window.scene.select_keys([window.document.graph.key_of(node_id)])
    QApplication.processEvents()


def shown_lines(window) -> list[str]:
    card = window.panel.card
    return [label.text() for label in card.line_labels if label.isVisible()]


def plain(text: str) -> str:
    """A label's text as copied: without the joiners that keep ∂J/∂v on one line."""
    return text.translate(_SHOWN_ONLY).replace("\n", " ")


#: The joiners and no-break spaces the card adds to keep ∂J/∂v and J = 3·v whole.
_SHOWN_ONLY = str.maketrans({"\u2060": None, "\u200b": None, "\u00a0": " "})


def assert_nothing_cut_off(window) -> None:
    """Every label of the card shows all of its text: no "…", and tall enough for it."""
    card = window.panel.card
    for label in [*card.line_labels, card.sentence_label]:
        if label.isVisible():
            assert "…" not in label.text()
            assert label.wordWrap()
            assert label.heightForWidth(label.width()) <= label.height()


def set_value(window, node_id: str, value: float) -> SetField:
    return SetField.to(window.document.graph, node_id, "value", value)


def add_x_used_twice(window) -> None:
    """J2 = x + x·w beside the lecture, as the output: x has two uses."""
    graph = window.document.graph
    records = [
        {"id": "x", "op": "input", "value": 2.0, "x": 0, "y": 420},
        {"id": "w", "op": "input", "value": 3.0, "x": 0, "y": 540},
        {"id": "m", "op": "mul", "inputs": ["x", "w"], "x": 240, "y": 480},
        {"id": "J2", "op": "add", "inputs": ["x", "m"], "x": 480, "y": 420},
    ]
    window.document.run(AddNodes(graph, records, "Add J2 = x + x·w"))
    window.document.run(SetOutput(graph, graph.key_of("J2")))


# -------------------------------------------------------------------- the card
def test_the_card_shows_dv_on_three_lines_and_in_words(window):
    fit(window)
    click(window, node_point(window, keys(window)["v"]))
    assert [plain(line) for line in shown_lines(window)] == [
        "dv = dJ · ∂J/∂v",
        "= dJ · 3 = 1 · 3",
        "= 3",
    ]
    card = window.panel.card
    assert plain(card.sentence_label.text()) == (
        "J = 3·v, so when v goes up by 0.001, J goes up by 0.003: ∂J/∂v = 3."
    )
    assert card.title.text() == "Chain rule for v"
    assert card.isVisible() and card.geometry().bottom() < window.panel.geometry().top()
    assert_nothing_cut_off(window)
    # the lines are the core's breakdown, split at its "=" signs
    breakdown = window.document.evaluation.breakdown("v")
    assert " ".join(plain(line) for line in shown_lines(window)) == breakdown


def test_the_card_follows_rows_edits_and_the_notation(window):
    k = keys(window)
    window.panel.setCurrentIndex(window.panel.rows[k["b"]].index)  # as a click on a row does
    assert [plain(line) for line in shown_lines(window)] == [
        "db = du · ∂u/∂b",
        "= du · c = 3 · 2",
        "= 6",
    ]
    window.document.run(set_value(window, "c", 5.0))
    assert plain(shown_lines(window)[1]) == "= du · c = 3 · 5"
    assert plain(window.panel.card.sentence_label.text()).startswith(
        "u = b·c, so when b goes up by 0.001, u goes up by 0.005"
    )
    window.set_notation("partial")
    assert plain(shown_lines(window)[0]) == "∂J/∂b = ∂J/∂u · ∂u/∂b"
    window.scene.clearSelection()
    QApplication.processEvents()
    assert window.panel.card.text is None
    assert "Select a node" in shown_lines(window)[0]
    assert not window.panel.card.copy_text_action.isEnabled()


def test_the_output_says_why_its_derivative_is_one(window):
    choose(window, "J")
    assert [plain(line) for line in shown_lines(window)] == ["dJ = 1"]
    sentence = plain(window.panel.card.sentence_label.text())
    assert sentence.startswith("J is the output") and sentence.endswith("so dJ = 1.")


def test_a_node_used_twice_names_both_uses(window):
    add_x_used_twice(window)
    choose(window, "x")
    lines = [plain(line) for line in shown_lines(window)]
    assert lines[0] == "dx = dJ2 · ∂J2/∂x + dm · ∂m/∂x"
    assert lines[-1] == "= 4"
    sentence = plain(window.panel.card.sentence_label.text())
    assert sentence.startswith("x is used twice, by J2 and by m, and the contributions add up.")
    assert "J2 = x + m, so when x goes up by 0.001, J2 goes up by 0.001" in sentence
    assert "m = x·w, so when x goes up by 0.001, m goes up by 0.003" in sentence
    assert_nothing_cut_off(window)


def test_an_undefined_derivative_gives_its_reason_in_full(window):
    graph = window.document.graph
    records = [
        {"id": "x", "op": "input", "value": -2.0, "x": 0, "y": 420},
        {"id": "l", "op": "log", "inputs": ["x"], "x": 240, "y": 420},
        {"id": "s", "op": "add", "inputs": ["l", "x"], "x": 480, "y": 420},
    ]
    window.document.run(AddNodes(graph, records, "Add log of -2"))
    window.document.run(SetOutput(graph, graph.key_of("s")))
    window.panel.container.resize(260, window.panel.container.height())  # a narrow dock
    choose(window, "l")
    QApplication.processEvents()
    assert [plain(line) for line in shown_lines(window)] == [
        "dl is undefined: log of a negative number: x = -2"
    ]
    assert_nothing_cut_off(window)
    # the row itself is cut short, and its tooltip holds the whole reason
    row = window.panel.rows[graph.key_of("l")]
    tip = row.toolTip(0)
    assert "dl is undefined: log of a negative number: x = -2" in tip
    assert tip.startswith("dl ≡ ∂s/∂l")


def test_a_step_not_reached_yet_is_not_given_away(window):
    k = keys(window)
    choose(window, "b")
    window.document.set_overlay(Overlay(shown_grads={k["J"]}))
    assert "not worked out yet" in plain(shown_lines(window)[0])
    window.document.set_overlay(Overlay())
    assert plain(shown_lines(window)[-1]) == "= 6"


# ------------------------------------------------------------------- copying
def test_the_card_copies_as_text_and_as_latex(window):
    choose(window, "v")
    card = window.panel.card
    card.copy_text_button.click()
    ev, graph = window.document.evaluation, window.document.graph
    sentence = local_derivative_sentence(graph, ev, graph.key_of("v"))
    assert QGuiApplication.clipboard().text() == (
        "dv = dJ · ∂J/∂v\n= dJ · 3 = 1 · 3\n= 3\n" + sentence
    )
    card.copy_latex_button.click()
    assert QGuiApplication.clipboard().text() == (
        r"$\begin{aligned} dv &= dJ \cdot \frac{\partial J}{\partial v} \\ "
        r"&= dJ \cdot 3 = 1 \cdot 3 \\ &= 3 \end{aligned}$"
    )
    assert "LaTeX" in window.statusBar().currentMessage()


def test_the_cards_keys_copy_while_the_panel_has_the_focus(window):
    choose(window, "b")
    window.panel.setFocus()
    QApplication.processEvents()
    assert (COPY_TEXT_KEYS, COPY_LATEX_KEYS) == ("Ctrl+Alt+C", "Ctrl+Alt+Shift+C")
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    QTest.keyClick(window.panel, Qt.Key.Key_C, modifiers)
    assert QGuiApplication.clipboard().text().startswith("db = du · ∂u/∂b\n")
    QTest.keyClick(window.panel, Qt.Key.Key_C, modifiers | Qt.KeyboardModifier.ShiftModifier)
    assert QGuiApplication.clipboard().text().startswith(r"$\begin{aligned} db &=")


def test_an_undefined_derivative_copies_as_latex_with_its_reason_as_text(window):
    graph = window.document.graph
    records = [
        {"id": "n_x", "op": "input", "value": -2.0, "x": 0, "y": 420},
        {"id": "l", "op": "log", "inputs": ["n_x"], "x": 240, "y": 420},
    ]
    window.document.run(AddNodes(graph, records, "Add log of -2"))
    window.document.run(SetOutput(graph, graph.key_of("l")))
    choose(window, "l")
    window.panel.card.copy_latex_action.trigger()
    assert QGuiApplication.clipboard().text() == (
        r"$dl$ is undefined: log of a negative number: n\_x = -2"
    )


# ---------------------------------------------------------------------- look
def test_the_number_is_red_in_either_theme(window):
    choose(window, "v")
    card = window.panel.card
    for theme in ("light", "dark"):
        apply_theme(theme)
        QApplication.processEvents()
        number = card.line_labels[2]
        assert number.palette().color(QPalette.ColorRole.Text) == derivative_color()
        first = card.line_labels[0]
        assert first.palette().color(QPalette.ColorRole.Text) == card.palette().color(
            QPalette.ColorRole.Text
        )
        assert first.font().bold() and number.font().bold()


# ---------------------------------------------------------------------- rows
def test_rows_are_one_line_of_one_height_and_fit_at_the_default_size(window):
    panel = window.panel
    assert panel.uniformRowHeights() and not panel.wordWrap()
    metrics = QFontMetrics(panel.font())
    for row in panel.rows.values():
        rect = panel.visualRect(row.index)
        assert metrics.horizontalAdvance(row.text(0)) < panel.columnWidth(0) - rect.left()
        assert metrics.horizontalAdvance(row.text(1)) < panel.columnWidth(1)


def test_a_value_row_tooltip_has_full_precision(window):
    window.document.run(set_value(window, "a", 1 / 3))
    row = window.panel.rows[keys(window)["a"]]
    assert row.text(1) == "3"
    window.document.run(set_value(window, "three", 1 / 7))
    assert row.toolTip(1) == repr(1 / 7)
    assert row.text(1) == "0.142857"


def test_inline_constants_have_rows_only_when_asked(window):
    panel, k = window.panel, keys(window)
    graph = window.document.graph
    assert k["three"] not in panel.rows and len(panel.rows) == len(graph) - 1
    choose(window, "three")  # chosen on the canvas: the card shows it, no row is chosen
    assert plain(shown_lines(window)[0]) == "dthree = dJ · ∂J/∂three"
    assert panel.current_key() is None
    panel.set_show_constant_derivatives(True)
    assert panel.show_constant_derivatives
    order = [graph.id_of(key) for key in panel.rows]
    assert order == ["J", "v", "a", "u", "b", "c", "three"]  # the same order as before
    assert panel.current_key() == k["three"]  # its new row is chosen
    assert panel.rows[k["three"]].text(1) == "11"
    panel.set_show_constant_derivatives(False)
    assert list(panel.rows) == [k[n] for n in ("J", "v", "a", "u", "b", "c")]


def test_a_constant_with_two_uses_keeps_its_row(window):
    graph = window.document.graph
    records = [{"id": "w", "op": "add", "inputs": ["three", "a"], "x": 480, "y": 420}]
    window.document.run(AddNodes(graph, records, "Use three twice"))
    three = graph.key_of("three")
    assert three in window.panel.rows
    choose(window, "v")
    assert plain(shown_lines(window)[1]) == "= dJ · three = 1 · 3"  # named, not inline


def test_a_nudge_note_widens_the_value_column_while_it_shows(window):
    panel, k = window.panel, keys(window)
    plain_width = panel.columnWidth(1)
    note = "(ΔJ/Δweight_b = 6.000)"  # as a nudge of a node with a longer id notes it
    window.document.set_overlay(Overlay(notes={k["b"]: note}))
    row = panel.rows[k["b"]]
    assert row.text(1).endswith(note)
    needed = QFontMetrics(panel.font()).horizontalAdvance(row.text(1))
    assert panel.columnWidth(1) > needed > plain_width
    assert panel.columnWidth(1) <= panel.viewport().width() // 2  # the names keep room
    assert note in row.toolTip(1)  # and the tooltip has it whole
    window.document.set_overlay(Overlay())
    assert panel.columnWidth(1) == plain_width


def test_a_node_used_many_times_scrolls_in_the_card_and_leaves_the_rows_room(window):
    """x feeds 80 adds: its chain rule is long; the card scrolls it, the window keeps
    its size, and the rows keep room below."""
    graph = window.document.graph
    records = [{"id": "x", "op": "input", "value": 1.0, "x": 0, "y": 420}]
    previous = "x"
    for i in range(80):
        records.append({"id": f"s{i}", "op": "add", "inputs": [previous, "x"], "x": 0, "y": 0})
        previous = f"s{i}"
    window.document.run(AddNodes(graph, records, "Add a chain that uses x 81 times"))
    window.document.run(SetOutput(graph, graph.key_of(previous)))
    choose(window, "x")
    QApplication.processEvents()
    card, panel = window.panel.card, window.panel
    assert window.height() == 800
    assert card.body.verticalScrollBar().isVisible()  # the rest is a scroll away
    assert card.body.height() <= 0.7 * panel.container.height()  # the lines take at most 70 %
    assert panel.height() >= 4 * panel.fontMetrics().height()
    sentence = plain(card.sentence_label.text())
    assert sentence.startswith("x is used 81 times")
    assert sentence.endswith("And 57 more uses, each read the same way.")  # 24 written out
    assert plain(shown_lines(window)[-1]) == "= 81"
