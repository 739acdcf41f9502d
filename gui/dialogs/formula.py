"""The formula box: type ``J = 3*(a + b*c)`` (or several lines) and get a laid-out graph."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
)

from dvar import core
from dvar.core.formula import FUNCTIONS
from dvar.gui.document.document import Document
from dvar.gui.document.structure_commands import BuildFromFormula

EXAMPLE = "u = b*c\nv = a + u\nJ = 3*v\n\na = 5\nb = 3\nc = 2"


class FormulaDialog(QDialog):
    """Checks the formula before anything changes; a mistake points at its line and column."""

    def __init__(self, document: Document, parent=None, text: str = "") -> None:
        super().__init__(parent)
        self.document = document
        self.command: BuildFromFormula | None = None
        self.setWindowTitle("Build from formula — dvar")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "One line, such as <code>J = 3*(a + b*c)</code>, or several: "
            "<code>u = b*c</code>, <code>v = a + u</code>, <code>J = 3*v</code>. "
            "Lines like <code>a = 5</code> give values; other names become inputs (1 unless "
            "given). The last line is the output.<br>"
            f"Operators: <code>+ - * / **</code>. Functions: {', '.join(sorted(FUNCTIONS))}."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.editor = QPlainTextEdit(text or EXAMPLE)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.editor.setFont(mono)
        self.editor.setTabChangesFocus(True)
        layout.addWidget(self.editor)
        self.replace = QRadioButton("Replace the document")
        self.insert = QRadioButton("Insert into the document (existing names bind to its nodes)")
        (self.insert if len(document.graph) else self.replace).setChecked(True)
        layout.addWidget(self.replace)
        layout.addWidget(self.insert)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # it quotes what was typed
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Build")
        buttons.accepted.connect(self.build)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 460)

    def build(self) -> bool:
        """Check, then build as one undoable command; stay open and point at a mistake."""
        text = self.editor.toPlainText()
        try:
            core.parse_formula(text)
        except core.FormulaError as error:
            self.show_error(error)
            return False
        command = BuildFromFormula(self.document.graph, text, self.replace.isChecked())
        if not self.document.run(command):
            error = command.error
            if isinstance(error, core.FormulaError):
                self.show_error(error)
            else:
                self.error.setText(str(error))
            return False
        self.command = command
        warnings = command.result.warnings if command.result else ()
        if warnings:
            self.document.message.emit("; ".join(warnings))
        self.accept()
        return True

    def show_error(self, error: core.FormulaError) -> None:
        self.error.setText(str(error))
        if error.line is None:
            return
        block = self.editor.document().findBlockByLineNumber(error.line - 1)
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.Right, n=max(0, (error.column or 1) - 1))
        self.editor.setTextCursor(cursor)
        self.editor.setFocus()
