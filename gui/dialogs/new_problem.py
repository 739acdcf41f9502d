"""Teach → New Problem…: choose a level and a seed for a generated practice graph.

The same level and seed give the same graph on every machine and in every later
release (``core.problems``), so a class can share a problem: "level 2, seed 4217".
"""

from __future__ import annotations

import random

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dvar.core.problems import LEVELS, MAX_SEED

#: Seeds drawn for a fresh problem stay short enough to say aloud.
DRAWN_SEEDS = 9999


class NewProblemDialog(QDialog):
    """A level (1 to 4, each with what it practises) and a seed (drawn, editable)."""

    def __init__(self, parent: QWidget | None = None, seed: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New Problem")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "A generated graph to practise the backward pass on. Share the level and "
            "the seed, and everyone gets the same problem."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(intro)
        self.levels = QButtonGroup(self)
        for level, about in LEVELS.items():
            button = QRadioButton(f"Level {level}: {about}")
            button.setObjectName(f"level_{level}")
            self.levels.addButton(button, level)
            layout.addWidget(button)
        self.levels.button(min(LEVELS)).setChecked(True)
        row = QHBoxLayout()
        row.addWidget(QLabel("Seed"))
        self.seed_box = QSpinBox()
        self.seed_box.setRange(0, MAX_SEED)
        self.seed_box.setValue(random.randint(0, DRAWN_SEEDS) if seed is None else seed)
        self.seed_box.setToolTip("Any whole number: the same seed gives the same graph")
        row.addWidget(self.seed_box, 1)
        self.draw_button = QPushButton("New seed")
        self.draw_button.setToolTip("Draw another seed at random")
        self.draw_button.clicked.connect(
            lambda: self.seed_box.setValue(random.randint(0, DRAWN_SEEDS))
        )
        row.addWidget(self.draw_button)
        layout.addLayout(row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Practise")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def level(self) -> int:
        return self.levels.checkedId()

    def seed(self) -> int:
        return self.seed_box.value()

    def choose(self, level: int, seed: int) -> None:
        """Pick a level and a seed (for tests and scripts)."""
        self.levels.button(level).setChecked(True)
        self.seed_box.setValue(seed)
