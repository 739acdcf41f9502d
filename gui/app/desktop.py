"""``dvar --install-desktop``: a menu entry, an icon and a MIME type for ``.dvar`` files.

Everything goes under the user's XDG data folder (``$XDG_DATA_HOME``, by default
``~/.local/share``), following the freedesktop.org specifications:

- ``applications/dvar.desktop``: the desktop entry, whose ``Exec`` line runs this very
  install of dvar (an absolute path) on the file that was double-clicked (``%f``);
- ``icons/hicolor/scalable/apps/dvar.svg``: the app icon;
- ``mime/packages/dvar.xml``: the type ``application/x-dvar`` for ``*.dvar``.

Then the desktop's databases are refreshed with whichever of ``update-mime-database``,
``update-desktop-database``, ``gtk-update-icon-cache`` and ``xdg-mime`` are installed,
and dvar is made the default application for ``.dvar`` files.  A missing or failing
tool is reported, not fatal: the files are what matters.  Only a file that cannot be
written or removed raises :class:`DesktopError`.

No Qt here: the command runs without a display.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from dvar.core.atomicwrite import write_atomic
from dvar.core.oserrors import reason

APP_ID = "dvar"
MIME_TYPE = "application/x-dvar"
DESKTOP_FILE = f"{APP_ID}.desktop"

#: How long one database tool may take before it is given up on.
TOOL_TIMEOUT = 60.0

#: Characters that force an ``Exec`` argument into double quotes (desktop entry spec).
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
#: Characters that must be backslash-escaped inside a quoted ``Exec`` argument.
_ESCAPED_IN_QUOTES = set('"`$\\')


class DesktopError(Exception):
    """Desktop integration failed: a file could not be written or removed."""


@dataclass(frozen=True)
class Layout:
    """Where the installed files live, under one XDG data folder."""

    data: Path

    @property
    def applications(self) -> Path:
        return self.data / "applications"

    @property
    def desktop_entry(self) -> Path:
        return self.applications / DESKTOP_FILE

    @property
    def icon_theme(self) -> Path:
        return self.data / "icons" / "hicolor"

    @property
    def icon(self) -> Path:
        return self.icon_theme / "scalable" / "apps" / f"{APP_ID}.svg"

    @property
    def mime(self) -> Path:
        return self.data / "mime"

    @property
    def mime_package(self) -> Path:
        return self.mime / "packages" / f"{APP_ID}.xml"

    def files(self) -> tuple[Path, Path, Path]:
        return (self.desktop_entry, self.icon, self.mime_package)


def data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset, empty or relative."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    try:
        return Path.home() / ".local" / "share"
    except RuntimeError as error:  # no HOME and no passwd entry
        raise DesktopError(f"cannot find the XDG data folder: {error}") from None


def icon_path() -> Path:
    """The app icon (SVG) shipped in ``resources/icons``."""
    return Path(str(resources.files("dvar.resources.icons").joinpath(f"{APP_ID}.svg")))


def launch_command() -> list[str]:
    """The command that starts this install of dvar, as absolute paths.

    A PyInstaller bundle is its own executable.  Otherwise the ``dvar`` script sits
    beside this interpreter (a virtual environment, a system install) or in the
    scripts folder of the user scheme (``pip install --user``).  As a last resort,
    ``python -m dvar`` with this interpreter.
    """
    executable = Path(sys.executable).absolute()
    if getattr(sys, "frozen", False):
        return [str(executable)]
    beside = executable.with_name(APP_ID)
    if _is_executable(beside):
        return [str(beside)]
    others = []
    with contextlib.suppress(KeyError):
        others.append(Path(sysconfig.get_path("scripts", f"{os.name}_user")) / APP_ID)
    on_path = shutil.which(APP_ID)
    if on_path:
        others.append(Path(on_path).absolute())
    for script in others:
        if _is_executable(script) and _runs_this_python(script):
            return [str(script)]
    return [str(executable), "-m", "dvar"]


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _runs_this_python(script: Path) -> bool:
    """Whether a script (on PATH, or in the user scheme) launches this very interpreter."""
    try:
        with script.open("rb") as stream:
            first = stream.readline(4096)
    except OSError:
        return False
    if not first.startswith(b"#!"):
        return False
    parts = first[2:].decode(errors="replace").split()
    try:
        return bool(parts) and os.path.samefile(parts[0], sys.executable)
    except OSError:
        return False


def exec_line(command: list[str]) -> str:
    """The value of an ``Exec`` key running ``command`` on one file (``%f``).

    Each argument is quoted as the desktop entry spec requires, and the result is
    escaped as a desktop-entry string value.
    """
    return " ".join([*(_string_value(_quote_argument(arg)) for arg in command), "%f"])


def _quote_argument(argument: str) -> str:
    argument = argument.replace("%", "%%")
    if not any(char in _RESERVED for char in argument):
        return argument
    escaped = "".join("\\" + char if char in _ESCAPED_IN_QUOTES else char for char in argument)
    return f'"{escaped}"'


def _string_value(text: str) -> str:
    """Escape text for a desktop-entry string value (backslash, newline, tab, CR)."""
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def desktop_entry(command: list[str]) -> str:
    """The shipped desktop entry, with ``Exec`` and ``TryExec`` pointing at ``command``."""
    template = _resource_bytes("dvar.resources", DESKTOP_FILE).decode("utf-8")
    lines = []
    for line in template.splitlines():
        if line.startswith("Exec="):
            line = f"Exec={exec_line(command)}"
        elif line.startswith("TryExec="):
            line = f"TryExec={_string_value(command[0])}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def install() -> list[str]:
    """Install the desktop entry, icon and MIME type; returns the lines to print.

    Safe to run again: the files are replaced, and the databases refreshed.  An entry
    an older dvar installed is rewritten whatever it runs (before dvar was one package,
    ``python -m gui.cli``); a symbolic link in the place of one of these files (to an
    old install, or to nothing) is replaced by the file itself, never written through.
    """
    layout = Layout(data_home())
    command = launch_command()
    try:
        entry = desktop_entry(command).encode("utf-8")
    except UnicodeEncodeError:
        raise DesktopError(
            f"cannot write a desktop entry running {_printable(command[0])}: "
            "its path is not valid UTF-8, which desktop entries require"
        ) from None
    contents = {
        layout.desktop_entry: entry,
        layout.icon: _resource_bytes("dvar.resources.icons", f"{APP_ID}.svg"),
        layout.mime_package: _resource_bytes("dvar.resources", f"{APP_ID}-mime.xml"),
    }
    old_exec = installed_exec(layout.desktop_entry)
    for path, data in contents.items():
        _write(path, data)
    lines = [
        f"Installed the desktop entry: {layout.desktop_entry}",
        f"  runs: {' '.join(command)} FILE",
    ]
    if old_exec is not None and old_exec != exec_line(command):
        lines.append(f"  replacing an entry that ran: {old_exec}")
    lines += [
        f"Installed the icon: {layout.icon}",
        f"Installed the MIME type {MIME_TYPE} (*.dvar): {layout.mime_package}",
    ]
    lines += _refresh(layout)
    problem = _run_tool(["xdg-mime", "default", DESKTOP_FILE, MIME_TYPE])
    if problem is None:
        lines.append("dvar is now the default application for .dvar files (xdg-mime).")
    else:
        lines += [problem, "dvar could not be made the default for .dvar files."]
    return [_printable(line) for line in lines]


def uninstall() -> list[str]:
    """Remove what :func:`install` wrote; returns the lines to print.

    Files that are already gone are skipped, so this is safe to run again.
    """
    layout = Layout(data_home())
    lines = []
    for path in layout.files():
        try:
            path.unlink()
        except FileNotFoundError:
            lines.append(f"Not installed: {path}")
            continue
        except OSError as error:
            raise DesktopError(f"cannot remove {_printable(str(path))}: {reason(error)}") from None
        lines.append(f"Removed {path}")
    lines += _refresh(layout)
    return [_printable(line) for line in lines]


def _resource_bytes(package: str, name: str) -> bytes:
    try:
        return resources.files(package).joinpath(name).read_bytes()
    except (OSError, ModuleNotFoundError) as error:
        raise DesktopError(f"this dvar install lacks its {name}: {reason(error)}") from None


def installed_exec(entry: Path) -> str | None:
    """The ``Exec`` value of an installed desktop entry; ``None`` if there is none to read."""
    try:
        text = entry.read_text(encoding="utf-8", errors="replace")
    except (OSError, ValueError):
        return None
    group = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            group = line
        elif group == "[Desktop Entry]" and line.startswith("Exec="):
            return line.removeprefix("Exec=")
    return None


def _write(path: Path, data: bytes) -> None:
    """Write one of dvar's own files atomically, making its folder.

    The file is dvar's alone, so a symbolic link in its place (say, to an older
    install's copy) is removed rather than followed: :func:`write_atomic` would
    write through it.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():
            path.unlink()
        write_atomic(path, data)
    except OSError as error:
        raise DesktopError(f"cannot write {_printable(str(path))}: {reason(error)}") from None


def _printable(text: str) -> str:
    """Text whose undecodable bytes (from odd file names) show as escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _refresh(layout: Layout) -> list[str]:
    """Rebuild the desktop's caches for the folders dvar writes into."""
    lines = []
    tools = [
        ["update-mime-database", str(layout.mime)],
        ["update-desktop-database", "-q", str(layout.applications)],
        # Optional: without a cache, GTK reads the icon folder itself.
        ["gtk-update-icon-cache", "-q", "-f", "-t", str(layout.icon_theme)],
    ]
    for command in tools:
        folder = Path(command[-1])
        if not folder.is_dir():
            continue
        problem = _run_tool(command)
        lines.append(f"Updated {folder} ({command[0]})" if problem is None else problem)
    return lines


#: The Debian package of each tool, for the note when one is missing.
_PACKAGES = {
    "update-mime-database": "shared-mime-info",
    "update-desktop-database": "desktop-file-utils",
    "gtk-update-icon-cache": "gtk-update-icon-cache",
    "xdg-mime": "xdg-utils",
}


def _run_tool(command: list[str]) -> str | None:
    """Run one desktop tool; ``None`` on success, else a line saying what went wrong."""
    tool = command[0]
    if shutil.which(tool) is None:
        return f"Skipped {tool}: not installed (Debian package {_PACKAGES.get(tool, tool)})"
    try:
        result = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=TOOL_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"{tool} did not finish within {TOOL_TIMEOUT:.0f} s"
    except OSError as error:
        return f"{tool} could not start: {reason(error)}"
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        return f"{tool} failed: {detail[-1] if detail else f'exit status {result.returncode}'}"
    return None
