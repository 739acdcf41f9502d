"""Text from files, and from anything a person typed, shown exactly as written.

Qt guesses whether a string is rich text, so a file whose field reads
``<a href='…'><h1>FIX</h1></a>`` would become a big link in a dialog or a
tooltip.  Every message box here shows its text as plain text, and tooltips that
carry such text go through :func:`plain_tip`.
"""

from __future__ import annotations

from PySide6.QtGui import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

Button = QMessageBox.StandardButton


def plain_tip(text: str) -> str:
    """A tooltip that reads as ``text`` does, even if Qt would take it for rich text."""
    if not text or not Qt.mightBeRichText(text):
        return text
    return Qt.convertFromPlainText(text)


def show(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: Button = Button.Ok,
    default: Button = Button.NoButton,
) -> Button:
    """A modal message box with ``text`` as plain text; returns the button chosen."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if default != Button.NoButton:
        box.setDefaultButton(default)
    return Button(box.exec())


def warning(parent: QWidget | None, title: str, text: str) -> Button:
    """Something went wrong, and nothing changed."""
    return show(parent, QMessageBox.Icon.Warning, title, text)


def critical(parent: QWidget | None, title: str, text: str) -> Button:
    """dvar cannot go on with what was asked (a file that cannot be opened at start)."""
    return show(parent, QMessageBox.Icon.Critical, title, text)


def question(
    parent: QWidget | None, title: str, text: str, buttons: Button, default: Button
) -> Button:
    """Ask; returns the button chosen."""
    return show(parent, QMessageBox.Icon.Question, title, text, buttons, default)
