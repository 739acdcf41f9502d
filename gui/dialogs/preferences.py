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

from dvar.gui.canvas.look import (
    CONTRAST,
    TEXT_SIZES,
    Fonts,
    is_high_contrast,
    set_text_scale,
)
from dvar.gui.canvas.scene import GraphScene
from dvar.gui.numbers import DIGITS, MAX_DIGITS, MIN_DIGITS

THEMES = {
    "system": "Follow the system",
    "light": "Light",
    "dark": "Dark",
    "contrast": "High contrast",
}
NOTATIONS = {"d": "db  (the lecture's)", "partial": "∂J/∂b", "grad": "b.grad"}
DEFAULTS: dict[str, object] = {
    "theme": "system",
    "notation": "d",
    "digits": DIGITS,
    "grid": True,
    "snap": True,
    "constants_as_nodes": False,
    "constant_derivatives": False,
    "text_size": 100,
}
#: The whole numbers a preference may hold, and the values it may take.
_NUMBERS = {"digits": range(MIN_DIGITS, MAX_DIGITS + 1), "text_size": TEXT_SIZES}


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
            return number if number in _NUMBERS.get(name, (number,)) else default
        choices = THEMES if name == "theme" else NOTATIONS
        return value if value in choices else default

    def set(self, name: str, value) -> None:
        self.settings.setValue(name, value)


# -------------------------------------------------------------- node text size
def stepped_text_size(size: int, step: int) -> int:
    """The node text size ``step`` sizes larger (1) or smaller (-1) than ``size``
    (within ``TEXT_SIZES``), or the usual 100 % for a step of 0."""
    if step == 0:
        return 100
    larger = [s for s in TEXT_SIZES if s > size]
    smaller = [s for s in TEXT_SIZES if s < size]
    if step > 0:
        return larger[0] if larger else size
    return smaller[-1] if smaller else size


def apply_text_size(size: int) -> None:
    """Draw node text at ``size`` percent of its usual size on every open canvas."""
    if size / 100 == Fonts.scale:
        return
    set_text_scale(size / 100)
    for widget in QApplication.topLevelWidgets():
        scene = getattr(widget, "scene", None)
        if isinstance(scene, GraphScene):
            scene.fonts_changed()


# ----------------------------------------------------------------------- themes
_system_palette: QPalette | None = None


def apply_theme(theme: str) -> None:
    """Colour the whole application: the system's scheme, or light or dark."""
    global _system_palette
    if _system_palette is None:
        _system_palette = QPalette(QApplication.palette())
    if theme == "light":
        palette = light_palette()
    elif theme == "dark":
        palette = dark_palette()
    elif theme == "contrast":
        palette = high_contrast_palette()
    else:
        palette = _system_palette
    outline_if_dark(palette)
    if palette != QApplication.palette():
        QApplication.setPalette(palette)


def outline_if_dark(palette: QPalette) -> None:
    """Draw widgets with :class:`VisibleCheckBoxes` from now on if ``palette`` needs
    its outlines (a dark or high-contrast one): also when the system's scheme turns dark.

    A light palette does not, and there the plain style paints every widget without
    a call into Python.  Once installed, the proxy stays: on a light palette it
    draws as the plain style does.
    """
    if (_dark_base(palette) or is_high_contrast(palette)) and not isinstance(
        QApplication.style(), VisibleCheckBoxes
    ):
        QApplication.setStyle(VisibleCheckBoxes())


class VisibleCheckBoxes(QProxyStyle):
    """The application's style, with check boxes whose outline shows on a dark base.

    Fusion outlines a check box in the window colour made darker, which on a dark
    palette is almost the base colour: an unticked box vanished.  On a dark palette
    the outline is drawn from the text colour instead; a light palette is untouched.
    The high-contrast theme outlines its fields, drop-downs, buttons and frames the
    same way (on its black window, Fusion's outlines would not show at all).
    """

    _BOXES = (
        QStyle.PrimitiveElement.PE_IndicatorCheckBox,
        QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
    )

    #: What the high-contrast theme outlines from the text colour too: fields, lists,
    #: drop-downs and spin boxes, buttons, and frames (Fusion's outline, the black
    #: window made darker, would not show at all).
    _FRAMES = (
        QStyle.PrimitiveElement.PE_PanelLineEdit,
        QStyle.PrimitiveElement.PE_FrameLineEdit,
        QStyle.PrimitiveElement.PE_Frame,
        QStyle.PrimitiveElement.PE_FrameGroupBox,
        QStyle.PrimitiveElement.PE_FrameTabWidget,
        QStyle.PrimitiveElement.PE_PanelButtonCommand,
        QStyle.PrimitiveElement.PE_PanelButtonTool,
    )
    _CONTROLS = (QStyle.ComplexControl.CC_ComboBox, QStyle.ComplexControl.CC_SpinBox)

    def drawPrimitive(self, element, option, painter, widget=None) -> None:
        palette = option.palette
        if (element in self._BOXES and _dark_base(palette)) or (
            element in self._FRAMES and is_high_contrast(palette)
        ):
            option = _lifted(option)
        super().drawPrimitive(element, option, painter, widget)

    def drawComplexControl(self, control, option, painter, widget=None) -> None:
        if control in self._CONTROLS and is_high_contrast(option.palette):
            option = _lifted(option)
        super().drawComplexControl(control, option, painter, widget)


def _dark_base(palette: QPalette) -> bool:
    """Fields and boxes are drawn on a dark colour (where Fusion's outlines vanish)."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def _lifted(option):
    """A copy of a style option whose window colour is its text colour: Fusion draws
    outlines from the window colour, so they come out in (a shade of) the text's."""
    option = type(option)(option)
    lifted = QPalette(option.palette)
    lifted.setColor(QPalette.ColorRole.Window, lifted.color(QPalette.ColorRole.Text))
    option.palette = lifted
    return option


def light_palette() -> QPalette:
    """The style's light scheme, with a selection dark enough for white text on it
    (WCAG AA: the usual #308cc6 gives 3.7:1) and a grey placeholder that reads (the
    usual half-transparent black gives 4:1)."""
    palette = QApplication.style().standardPalette()
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#1f6fb2"))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#666666"))
    return palette


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
        role.Highlight: "#3572d8",  # white on it: 4.6:1
        role.HighlightedText: "#ffffff",
        role.Link: "#6aa7ff",
        role.LinkVisited: "#b08cff",
    }
    for name, color in colors.items():
        palette.setColor(name, QColor(color))
    for name in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, name, QColor("#7a7a7a"))
    return palette


def high_contrast_palette() -> QPalette:
    """White on black with a cyan selection (look.CONTRAST): every text, disabled
    text too, reads at 7:1 or more."""
    palette = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    c = CONTRAST
    colors = {
        role.Window: c["window"],
        role.WindowText: c["text"],
        role.Base: c["base"],
        role.AlternateBase: c["alternate"],
        role.ToolTipBase: c["base"],
        role.ToolTipText: c["text"],
        role.PlaceholderText: c["muted"],
        role.Text: c["text"],
        role.Button: c["window"],
        role.ButtonText: c["text"],
        role.BrightText: c["link"],
        role.Light: c["text"],
        role.Midlight: c["muted"],
        role.Mid: c["mid"],
        role.Dark: c["disabled"],
        role.Shadow: c["text"],
        role.Highlight: c["highlight"],
        role.HighlightedText: c["highlighted_text"],
        role.Link: c["link"],
        role.LinkVisited: c["visited"],
    }
    for name, color in colors.items():
        palette.setColor(name, QColor(color))
    for name in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, name, QColor(c["disabled"]))
    return palette


# ----------------------------------------------------------------------- dialog
class PreferencesDialog(QDialog):
    """Theme, notation, number precision, node text size, grid and snap; each change
    applies at once."""

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
        self.text_size = QComboBox()
        for size in TEXT_SIZES:
            self.text_size.addItem(f"{size} %", size)
        self.text_size.setToolTip(
            "How large node text is on the canvas, whatever the zoom "
            "(Ctrl+= and Ctrl+- on the canvas; Ctrl+Shift+0 goes back to 100 %)"
        )
        self.grid = QCheckBox("Show the grid")
        self.snap = QCheckBox("Snap nodes to the grid")
        form = QFormLayout()
        form.addRow("&Theme:", self.theme)
        form.addRow("&Notation:", self.notation)
        form.addRow("Numbers:", self.digits)
        form.addRow("Node te&xt:", self.text_size)
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
        self.text_size.currentIndexChanged.connect(
            lambda: self._store("text_size", self.text_size.currentData())
        )
        self.grid.toggled.connect(lambda on: self._store("grid", on))
        self.snap.toggled.connect(lambda on: self._store("snap", on))

    def show_values(self) -> None:
        """Show the stored values (without announcing them as changes)."""
        get = self.preferences.get
        widgets = (self.theme, self.notation, self.digits, self.text_size, self.grid, self.snap)
        for widget in widgets:
            widget.blockSignals(True)
        self.theme.setCurrentIndex(self.theme.findData(get("theme")))
        self.notation.setCurrentIndex(self.notation.findData(get("notation")))
        self.digits.setValue(get("digits"))
        self.text_size.setCurrentIndex(self.text_size.findData(get("text_size")))
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
