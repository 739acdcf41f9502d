"""The File menu's work: new, open, examples, save, export, print, close, and dropped files.

:class:`FileMenu` is a part of the main window (a mixin): it reads and sets the
window's ``document`` and asks before unsaved work is thrown away.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMessageBox

from dvar import core
from dvar.core.oserrors import reason
from dvar.gui import messages
from dvar.gui.dialogs.folders import documents_folder
from dvar.gui.document.document import Document


class FileMenu:
    """New, open, save, export and print for the main window."""

    def new_document(self) -> None:
        if self._confirm_discard():
            self.set_document(Document(untitled_name="untitled.dvar"))

    def open_dialog(self) -> None:
        if not self._confirm_discard():
            return
        folder = str(documents_folder(self.document.path if self.document else None))
        path, _ = QFileDialog.getOpenFileName(
            self, "Open graph", folder, "dvar graphs (*.dvar);;All files (*)"
        )
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Open a file; a bad file gets a dialog and the current document stays."""
        try:
            document = Document.open(path)
        except core.FileFormatError as error:
            messages.warning(self, "Cannot open file", str(error))
            return False
        self.set_document(document)
        self.remember(path)
        if document.graph.lesson is not None:
            self.offer_lesson()
        return True

    def _build_examples_menu(self, menu: QMenu) -> None:
        for name in core.examples():
            menu.addAction(name.replace("_", " "), lambda n=name: self.open_example(n))

    def open_example(self, name: str) -> None:
        if self._confirm_discard():
            self.set_document(Document.example(name))

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        suggested = documents_folder(self.document.path) / self.document.name
        path, _ = QFileDialog.getSaveFileName(
            self, "Save graph", str(suggested), "dvar graphs (*.dvar)"
        )
        if not path:
            return False
        if not path.endswith(".dvar"):
            path += ".dvar"
        return self._save_to(Path(path))

    def _save_to(self, path: Path) -> bool:
        try:
            self.document.save(path)
        except OSError as error:
            messages.warning(self, "Cannot save", f"{path}: {reason(error)}")
            return False
        self._update_title()
        self.remember(path)
        self.show_message(f"Saved {path}")
        return True

    def _confirm_discard(self) -> bool:
        if self.document is None or self.document.undo_stack.isClean():
            return True
        answer = messages.question(
            self,
            "Unsaved changes",
            f"Save the changes to {self.document.name}?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def export_image(self) -> None:
        """Export Image…: options, a file name, then PNG, SVG or PDF (Ctrl+E)."""
        from dvar.gui.dialogs.export import export_with_dialog

        result = export_with_dialog(self, self.scene, self.document.name, self.document.path)
        if result is not None:
            self.show_message(f"Exported {result.path}")

    def export_python(self) -> bool:
        """Export as Python…: the graph's two passes as a standalone script."""
        from dvar.core.fileformat import write_atomic

        source = self.document.path
        name = Path(self.document.name).with_suffix(".py").name
        suggested = str(documents_folder(source) / name)
        path, _ = QFileDialog.getSaveFileName(
            self, "Export as Python", suggested, "Python scripts (*.py)"
        )
        if not path:
            return False
        if not Path(path).suffix:
            path += ".py"
        try:
            script = core.to_python(self.document.graph, source=source)
            write_atomic(path, script.encode("utf-8"))
        except OSError as error:
            messages.warning(self, "Cannot export", f"{path}: {reason(error)}")
            return False
        except ValueError as error:
            messages.warning(self, "Cannot export", f"{path}: {error}")
            return False
        self.show_message(f"Exported {path}: run it with python3 {Path(path).name}")
        return True

    def copy_image(self) -> None:
        """Put a PNG picture of the diagram on the clipboard (Ctrl+Shift+C)."""
        from dvar.gui.canvas import export
        from dvar.gui.canvas.export_formats import ExportError

        try:
            result = export.copy_image(self.scene, values=self.scene.show_numbers)
        except ExportError as error:
            self.show_message(str(error))
            return
        if result.warning:
            messages.warning(self, "Image reduced", result.warning)
        width, height = result.size
        self.show_message(f"Copied the diagram as a {width} × {height} px image")

    def copy_svg(self) -> None:
        """Put the diagram on the clipboard as SVG, to paste as vectors into slides."""
        from dvar.gui.canvas import export
        from dvar.gui.canvas.export_formats import ExportError

        try:
            result = export.copy_svg(self.scene, values=self.scene.show_numbers)
        except ExportError as error:
            self.show_message(str(error))
            return
        width, height = result.size
        self.show_message(f"Copied the diagram as an SVG drawing of {width} × {height}")

    def export_steps(self) -> None:
        """Export Steps…: each step of a pass as a PDF page or a GIF frame."""
        from dvar.gui.dialogs.export_steps import export_steps_with_dialog
        from dvar.gui.teach.teaching import step_frames

        if self._practising("export the steps"):
            return
        result = export_steps_with_dialog(
            self,
            self.scene,
            lambda backward: step_frames(self.document, backward),
            self.document.name,
            self.document.path,
        )
        if result is not None:
            self.show_message(f"Exported {result.path}")

    def print_diagram(self) -> None:
        """Print the diagram, fitted to the page (Ctrl+P)."""
        from PySide6.QtGui import QPainter
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.document.name)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        painter = QPainter()
        if not painter.begin(printer):
            messages.warning(self, "Cannot print", "The printer could not be started.")
            return
        from dvar.gui.canvas import export
        from dvar.gui.canvas.export_formats import ExportError

        target = printer.pageLayout().paintRectPixels(printer.resolution()).toRectF()
        try:
            export.paint_diagram(self.scene, painter, target)
        except ExportError as error:
            messages.warning(self, "Cannot print", str(error))
        finally:
            painter.end()

    def print_worksheet(self) -> None:
        """Print Worksheet…: the diagram with numbered blanks, as a PDF or on paper."""
        from dvar.gui.dialogs.worksheet import worksheet_with_dialog

        done = worksheet_with_dialog(
            self,
            self.document.graph,
            self.document.evaluation,
            self.document.name,
            self.document.path,
            self.scene.notation,
        )
        if done is not None:
            self.show_message(done)

    def close_document(self) -> None:
        """Close the document (asking first if it has unsaved changes); an empty one remains."""
        if self._confirm_discard():
            self.set_document(Document(untitled_name="untitled.dvar"))

    # ------------------------------------------------------- dropping a file
    def dragEnterEvent(self, event) -> None:
        if dropped_graph(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        path = dropped_graph(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            if self._confirm_discard():
                self.open_path(path)


def dropped_graph(data) -> str | None:
    """The first local ``.dvar`` file in dropped data, if any."""
    if data is None or not data.hasUrls():
        return None
    for url in data.urls():
        if url.isLocalFile() and url.toLocalFile().lower().endswith(".dvar"):
            return url.toLocalFile()
    return None
