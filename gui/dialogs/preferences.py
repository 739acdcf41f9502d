"""Preferences: what dvar remembers between runs, the colour themes, and the dialog.

Every preference lives in QSettings under one key, read through :class:`Preferences`
(which also throws away stored values that make no sense).  The window applies
them at start-up and whenever the dialog changes one; the dialog applies each
change at once, so there is no OK or Apply to press.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QProxyStyle,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from dvar.gui.numbers import DIGITS, MAX_DIGITS, MIN_DIGITS

THEMES = {"system": "Follow the system", "light": "Light", "dark": "Dark"}
NOTATIONS = {"d": "db  (the lecture's)", "partial": "∂J/∂b", "grad": "b.grad"}
DEFAULTS: dict[str, object] = {
    "theme": "system",
    "notation": "d",
    "digits": DIGITS,
    "grid": True,
    "snap": True,
    "constants_as_nodes": False,
    "constant_derivatives": False,
}


class Preferences:
    """Typed access to the remembered preferences, with their defaults."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def get(self, name: str):
        default = DEFAULTS[name]
        value = self.settings.value(name, default)
        if isinstance(default, bool):  # INI files hand booleans back as text
            return value if isinstance(value, bool) else str(value).lower() == "true"
        if isinstance(default, int):
            try:
                number = int(value)
            except (TypeError, ValueError):
                return default
            return number if MIN_DIGITS <= number <= MAX_DIGITS else default
        choices = THEMES if name == "theme" else NOTATIONS
        return value if value in choices else default

    def set(self, name: str, value) -> None:
        self.settings.setValue(name, value)


# ----------------------------------------------------------------------- themes
_system_palette: QPalette | None = None


def apply_theme(theme: str) -> None:
    """Colour the whole application: the system's scheme, or light or dark."""
    global _system_palette
    if _system_palette is None:
        _system_palette = QPalette(QApplication.palette())
    if theme == "light":
        palette = QApplication.style().standardPalette()
    elif theme == "dark":
        palette = dark_palette()
    else:
        palette = _system_palette
    if not isinstance(QApplication.style(), VisibleCheckBoxes):
        QApplication.setStyle(VisibleCheckBoxes())
    if palette != QApplication.palette():
        QApplication.setPalette(palette)


class VisibleCheckBoxes(QProxyStyle):
    """The application's style, with check boxes whose outline shows on a dark base.

    Fusion outlines a check box in the window colour made darker, which on a dark
    palette is almost the base colour: an unticked box vanished.  On a dark palette
    the outline is drawn from the text colour instead; a light palette is untouched.
    """

    _BOXES = (
        QStyle.PrimitiveElement.PE_IndicatorCheckBox,
        QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
    )

    def drawPrimitive(self, element, option, painter, widget=None) -> None:
        palette = option.palette
        if element in self._BOXES and palette.color(QPalette.ColorRole.Base).lightness() < 128:
            option = type(option)(option)
            lifted = QPalette(palette)
            lifted.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.Text))
            option.palette = lifted
        super().drawPrimitive(element, option, painter, widget)


def dark_palette() -> QPalette:
    """A dark scheme in the same roles the light one uses."""
    palette = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colors = {
        role.Window: "#2b2b2b",
        role.WindowText: "#e6e6e6",
        role.Base: "#1e1e1e",
        role.AlternateBase: "#262626",
        role.ToolTipBase: "#2b2b2b",
        role.ToolTipText: "#e6e6e6",
        role.PlaceholderText: "#8c8c8c",
        role.Text: "#e6e6e6",
        role.Button: "#353535",
        role.ButtonText: "#e6e6e6",
        role.BrightText: "#ff6b6b",
        role.Light: "#505050",
        role.Midlight: "#404040",
        role.Mid: "#5c5c5c",
        role.Dark: "#1a1a1a",
        role.Shadow: "#000000",
        role.Highlight: "#3d7be0",
        role.HighlightedText: "#ffffff",
        role.Link: "#6aa7ff",
        role.LinkVisited: "#b08cff",
    }
    for name, color in colors.items():
        palette.setColor(name, QColor(color))
    for name in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, name, QColor("#7a7a7a"))
    return palette


# ----------------------------------------------------------------------- dialog
class PreferencesDialog(QDialog):
    """Theme, notation, number precision, grid and snap; each change applies at once."""

    #: A preference changed: (name, new value).  It is already stored.
    changed = Signal(str, object)

    def __init__(self, preferences: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.preferences = preferences
        self.theme = QComboBox()
        for value, label in THEMES.items():
            self.theme.addItem(label, value)
        self.notation = QComboBox()
        for value, label in NOTATIONS.items():
            self.notation.addItem(label, value)
        self.notation.setToolTip("How derivatives are written on the canvas and in the panel")
        self.digits = QSpinBox()
        self.digits.setRange(MIN_DIGITS, MAX_DIGITS)
        self.digits.setSuffix(" significant digits")
        self.digits.setToolTip("How numbers are shown; tooltips always give them in full")
        self.grid = QCheckBox("Show the grid")
        self.snap = QCheckBox("Snap nodes to the grid")
        form = QFormLayout()
        form.addRow("&Theme:", self.theme)
        form.addRow("&Notation:", self.notation)
        form.addRow("Numbers:", self.digits)
        form.addRow("Canvas:", self.grid)
        form.addRow("", self.snap)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Close | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        buttons.rejected.connect(self.reject)
        restore = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        restore.clicked.connect(self.restore_defaults)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.show_values()
        self.theme.currentIndexChanged.connect(
            lambda: self._store("theme", self.theme.currentData())
        )
        self.notation.currentIndexChanged.connect(
            lambda: self._store("notation", self.notation.currentData())
        )
        self.digits.valueChanged.connect(lambda value: self._store("digits", value))
        self.grid.toggled.connect(lambda on: self._store("grid", on))
        self.snap.toggled.connect(lambda on: self._store("snap", on))

    def show_values(self) -> None:
        """Show the stored values (without announcing them as changes)."""
        get = self.preferences.get
        widgets = (self.theme, self.notation, self.digits, self.grid, self.snap)
        for widget in widgets:
            widget.blockSignals(True)
        self.theme.setCurrentIndex(self.theme.findData(get("theme")))
        self.notation.setCurrentIndex(self.notation.findData(get("notation")))
        self.digits.setValue(get("digits"))
        self.grid.setChecked(get("grid"))
        self.snap.setChecked(get("snap"))
        for widget in widgets:
            widget.blockSignals(False)

    def restore_defaults(self) -> None:
        for name, value in DEFAULTS.items():
            if self.preferences.get(name) != value:
                self._store(name, value)
        self.show_values()

    def _store(self, name: str, value) -> None:
        self.preferences.set(name, value)
        self.changed.emit(name, value)
