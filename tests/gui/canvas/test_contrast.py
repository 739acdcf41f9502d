"""WCAG contrast of every text on what it is drawn on, per theme.

The high-contrast theme claims AA (4.5:1) for all text, in the canvas and in the
panels, and 3:1 for the shapes that tell a node's state.  Light and dark claim AA
for the canvas's text (the palette's own pairs are the style's); their ratios are
printed with ``-s`` so a change that lowers one shows.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from dvar.gui.canvas import notes
from dvar.gui.canvas.look import AA_SHAPE, AA_TEXT, Look, contrast, is_high_contrast, readable
from dvar.gui.dialogs.preferences import THEMES, apply_theme

R = QPalette.ColorRole


def canvas_text(look: Look) -> dict[str, tuple[QColor, QColor]]:
    """Every (text, ground) pair the canvas draws, by what it is."""
    pairs = {}
    headers = {
        "header": look.header_fill,
        "output header": look.output_fill,
        "selected header": look.selected_fill,
    }
    for name, ground in {"box": look.base, **headers}.items():
        pairs[f"name on {name}"] = (look.text, ground)
        pairs[f"op symbol, error numbers on {name}"] = (look.muted, ground)
    pairs["derivative on box"] = (look.red, look.base)
    pairs["edge label"] = (look.ink_on(look.red, look.base), look.base)
    pairs["selected edge label"] = (look.ink_on(look.edge_selected[0], look.base), look.base)
    pairs["chip number"] = (look.text, look.base)
    for state, color in {
        "plain": look.mid,
        "output": look.output,
        "selected": look.highlight,
        "error": look.error,
    }.items():
        fill = look.tint(color)
        pairs[f"zoomed-out name on {state} block"] = (look.ink_on(look.text, fill), fill)
        pairs[f"zoomed-out derivative on {state} block"] = (look.ink_on(look.red, fill), fill)
        pairs[f"zoomed-out error text on {state} block"] = (look.ink_on(look.muted, fill), fill)
    return pairs


def panel_text(palette: QPalette, look: Look) -> dict[str, tuple[QColor, QColor]]:
    """The panels' text: the palette's pairs, and the derivatives' red in the rows."""
    color = palette.color
    return {
        "window text": (color(R.WindowText), color(R.Window)),
        "field text": (color(R.Text), color(R.Base)),
        "alternate rows": (color(R.Text), color(R.AlternateBase)),
        "buttons and chips": (color(R.ButtonText), color(R.Button)),
        "selected row": (color(R.HighlightedText), color(R.Highlight)),
        "tooltip": (color(R.ToolTipText), color(R.ToolTipBase)),
        "placeholder, card title": (over_base(color(R.PlaceholderText), palette), color(R.Base)),
        "link": (color(R.Link), color(R.Base)),
        "derivative row": (look.red, color(R.Base)),
        "derivative alternate row": (look.red, color(R.AlternateBase)),
    }


def over_base(color: QColor, palette: QPalette) -> QColor:
    base = palette.color(R.Base)
    share = color.alphaF()
    return QColor(
        round(base.red() + (color.red() - base.red()) * share),
        round(base.green() + (color.green() - base.green()) * share),
        round(base.blue() + (color.blue() - base.blue()) * share),
    )


def state_shapes(look: Look) -> dict[str, tuple[QColor, QColor]]:
    """Borders that tell a state: they need 3:1 on the canvas (WCAG 1.4.11)."""
    return {
        "error border": (look.error, look.base),
        "output border": (look.output, look.base),
        "selected border": (look.highlight, look.base),
        "node border": (look.mid, look.base),
        "backward edge": (look.red, look.base),
    }


def ratios(pairs: dict[str, tuple[QColor, QColor]]) -> dict[str, float]:
    return {name: contrast(ink, ground) for name, (ink, ground) in pairs.items()}


def show(theme: str, kind: str, found: dict[str, float], least: float) -> None:
    for name, ratio in found.items():
        mark = "" if ratio >= least else "   below"
        print(f"{theme:9} {kind:6} {ratio:5.2f}  {name}{mark}")


@pytest.fixture
def themed(qapp):
    def use(theme: str) -> tuple[QPalette, Look]:
        apply_theme(theme)
        return QApplication.palette(), Look.get()

    return use


def test_the_high_contrast_theme_is_offered_beside_the_others():
    assert list(THEMES) == ["system", "light", "dark", "contrast"]


def test_high_contrast_meets_aa_for_every_text_and_3_to_1_for_every_state(themed):
    palette, look = themed("contrast")
    assert is_high_contrast() and look.high_contrast
    text = ratios({**canvas_text(look), **panel_text(palette, look)})
    shapes = ratios(state_shapes(look))
    show("contrast", "text", text, AA_TEXT)
    show("contrast", "shape", shapes, AA_SHAPE)
    assert {name: r for name, r in text.items() if r < AA_TEXT} == {}
    assert {name: r for name, r in shapes.items() if r < AA_SHAPE} == {}
    # Disabled text too (WCAG exempts it; a high-contrast theme should not need to).
    disabled = palette.color(QPalette.ColorGroup.Disabled, R.Text)
    assert contrast(disabled, palette.color(R.Base)) >= AA_TEXT


@pytest.mark.parametrize("theme", ["light", "dark", "system"])
def test_canvas_text_meets_aa_in_the_everyday_themes(themed, theme):
    palette, look = themed(theme)
    assert not look.high_contrast
    text = ratios(canvas_text(look))
    show(theme, "text", text, AA_TEXT)
    show(theme, "panel", ratios(panel_text(palette, look)), AA_TEXT)
    show(theme, "shape", ratios(state_shapes(look)), AA_SHAPE)
    assert {name: r for name, r in text.items() if r < AA_TEXT} == {}


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_our_own_palettes_keep_selected_rows_readable(themed, theme):
    palette, look = themed(theme)
    found = ratios(panel_text(palette, look))
    assert found["selected row"] >= AA_TEXT
    assert found["placeholder, card title"] >= AA_TEXT
    assert found["derivative row"] >= AA_TEXT and found["window text"] >= AA_TEXT
    # The states that are told by a border alone, besides text: error and selection.
    shapes = ratios(state_shapes(look))
    assert shapes["error border"] >= AA_SHAPE and shapes["selected border"] >= AA_SHAPE


@pytest.mark.parametrize("theme", ["light", "dark", "contrast"])
def test_the_derivative_red_reads_on_every_node_background(themed, theme):
    """The issue's own bar: the red against the node background, 3:1 at least (and AA),
    in the box and on a zoomed-out block of each state."""
    _, look = themed(theme)
    assert contrast(look.red, look.base) >= max(AA_SHAPE, AA_TEXT)
    for color in (look.mid, look.output, look.highlight, look.error):
        fill = look.tint(color)
        red = look.ink_on(look.red, fill)
        assert contrast(red, fill) >= AA_TEXT
        assert red.red() > red.green() and red.red() > red.blue()  # still a red


def test_a_note_writes_in_ink_that_reads_on_its_paper():
    for name, color in notes.COLORS.items():
        paper = QColor(color)
        assert contrast(notes.ink_on(paper), paper) >= AA_TEXT, name


def test_readable_moves_a_pale_grey_just_far_enough():
    white, black = QColor("#ffffff"), QColor("#000000")
    pale = QColor("#bbbbbb")
    assert contrast(pale, white) < AA_TEXT
    made = readable(pale, [white], black)
    assert contrast(made, white) >= AA_TEXT
    assert made.lightness() > 50  # still a grey, not black
    assert readable(black, [white], black) == black  # already readable: unchanged


def test_wcag_ratios_of_known_pairs():
    """The formula itself, against ratios WCAG's own examples give."""
    assert contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)
    assert contrast(QColor("#767676"), QColor("#ffffff")) == pytest.approx(4.54, abs=0.01)
    assert contrast(QColor("#abcdef"), QColor("#abcdef")) == 1.0
