"""File → Open Recent: the last files opened or saved, remembered between runs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMenu

from dvar.gui import messages

#: How many files the menu remembers.
RECENT_LIMIT = 10


class RecentFiles:
    """The recent-files list of the main window, kept in its ``settings``."""

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value or []][:RECENT_LIMIT]

    def remember(self, path: str | Path) -> None:
        full = str(Path(path).resolve())
        recent = [full] + [p for p in self.recent_files() if p != full]
        self.settings.setValue("recent_files", recent[:RECENT_LIMIT])

    def _build_recent_menu(self, menu: QMenu) -> None:
        self.recent_menu = menu
        menu.aboutToShow.connect(self._fill_recent_menu)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        if not recent:
            self.recent_menu.addAction("No recent files").setEnabled(False)
            return
        for index, path in enumerate(recent, 1):
            action = self.recent_menu.addAction(
                f"&{index} {Path(path).name}", lambda p=path: self._open_recent(p)
            )
            action.setStatusTip(path)
            action.setToolTip(messages.plain_tip(path))
        self.recent_menu.addSeparator()
        self.recent_menu.addAction("Clear List", lambda: self.settings.setValue("recent_files", []))

    def _open_recent(self, path: str) -> None:
        if not Path(path).exists():
            self.settings.setValue("recent_files", [p for p in self.recent_files() if p != path])
            messages.warning(
                self, "Cannot open file", f"{path}: no such file; removed it from the recent files"
            )
            return
        if self._confirm_discard():
            self.open_path(path)
