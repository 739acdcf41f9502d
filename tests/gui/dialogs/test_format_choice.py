"""The format boxes of the export and worksheet dialogs open on the last choice, and a
file name's extension may choose the format."""

import pytest
from PySide6.QtCore import QSettings

from dvar.gui.canvas.export import FORMATS, STEP_FORMATS, TEXT_FORMATS
from dvar.gui.canvas.worksheet import PAPER_LABELS
from dvar.gui.dialogs.format_choice import format_box, path_with_format, remembered_box

STEPS = {"pdf": "PDF, a page per step", "gif": "GIF animation"}


def test_a_format_box_names_each_format_with_its_extension(qtbot):
    box = format_box(STEPS, "test/format", "pdf")
    items = [(box.itemData(i), box.itemText(i)) for i in range(box.count())]
    assert items == [("pdf", "PDF, a page per step (.pdf)"), ("gif", "GIF animation (.gif)")]


def test_a_box_opens_on_the_remembered_choice(qtbot):
    QSettings("dvar", "dvar").setValue("test/paper", "letter")
    box = remembered_box(PAPER_LABELS, "test/paper", "a4")
    assert box.currentData() == "letter"
    assert box.currentText() == PAPER_LABELS["letter"]


@pytest.mark.parametrize(
    ("stored", "default", "opened"),
    [(None, "gif", "gif"), ("tiff", "gif", "pdf"), (None, "tiff", "pdf")],
    ids=["nothing stored: the default", "stored not offered: the first", "no such default"],
)
def test_without_a_usable_memory_a_box_opens_on_the_default_or_the_first(
    qtbot, stored, default, opened
):
    if stored is not None:
        QSettings("dvar", "dvar").setValue("test/steps", stored)
    assert format_box(STEPS, "test/steps", default).currentData() == opened


@pytest.mark.parametrize(
    ("typed", "formats", "chosen", "written"),
    [
        ("talk.pdf", FORMATS, "svg", ("talk.pdf", "pdf")),  # the name wins over the box
        ("Talk.PNG", FORMATS, "pdf", ("Talk.PNG", "png")),
        ("talk", FORMATS, "svg", ("talk.svg", "svg")),
        ("talk.v2", FORMATS, "png", ("talk.v2.png", "png")),
        ("figure.tex", {**FORMATS, **TEXT_FORMATS}, "png", ("figure.tex", "tex")),
        ("figure.tex", FORMATS, "png", ("figure.tex.png", "png")),
        ("pass.gif", STEP_FORMATS, "pdf", ("pass.gif", "gif")),
        ("sheet", {".pdf": "pdf"}, "pdf", ("sheet.pdf", "pdf")),
        ("sheet.png", {".pdf": "pdf"}, "pdf", ("sheet.png.pdf", "pdf")),
    ],
)
def test_a_known_extension_chooses_the_format_and_any_other_name_gets_one(
    typed, formats, chosen, written
):
    assert path_with_format(typed, formats, chosen) == written
