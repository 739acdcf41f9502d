"""``dvar --install-desktop``: the desktop entry, icon and MIME type, in a temporary XDG tree.

The real desktop tools run (``update-mime-database``, ``xdg-mime``, ...) when they are
installed, always pointed at temporary folders, never at the user's own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import pytest

from dvar.gui.app import desktop

MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary XDG data folder; config and home are temporary too (xdg-mime writes there)."""
    data = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    # xdg-mime in its generic mode, whatever desktop the tests happen to run in.
    for name in (
        "XDG_CURRENT_DESKTOP",
        "DESKTOP_SESSION",
        "KDE_FULL_SESSION",
        "GNOME_DESKTOP_SESSION_ID",
    ):
        monkeypatch.delenv(name, raising=False)
    return data


def entry_keys(path: Path) -> dict[str, str]:
    """The keys of a desktop entry's [Desktop Entry] group."""
    keys = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            keys[key] = value
    return keys


def test_install_writes_the_entry_the_icon_and_the_mime_type(xdg: Path) -> None:
    lines = desktop.install()

    entry = xdg / "applications" / "dvar.desktop"
    icon = xdg / "icons" / "hicolor" / "scalable" / "apps" / "dvar.svg"
    mime = xdg / "mime" / "packages" / "dvar.xml"
    for path in (entry, icon, mime):
        assert path.is_file(), path
        assert any(str(path) in line for line in lines), (path, lines)
    assert icon.read_bytes() == desktop.icon_path().read_bytes()
    keys = entry_keys(entry)
    assert keys["Name"] == "dvar"
    assert keys["Icon"] == "dvar"
    assert keys["Type"] == "Application"
    assert keys["Terminal"] == "false"
    assert keys["MimeType"] == "application/x-dvar;"
    assert keys["Categories"] == "Education;Science;Math;"
    # No temporary files are left behind.
    assert sorted(p.name for p in entry.parent.iterdir() if p.name.startswith(".")) == []


def test_exec_runs_this_install_on_the_file(xdg: Path) -> None:
    desktop.install()
    exec_value = entry_keys(xdg / "applications" / "dvar.desktop")["Exec"]

    assert exec_value.endswith(" %f")
    program = exec_value.removesuffix(" %f")
    assert program.startswith("/") or program.startswith('"/'), exec_value
    # In this test environment, the `dvar` script beside the interpreter.
    script = Path(sys.executable).absolute().with_name("dvar")
    if script.is_file():
        assert program == str(script)


def test_the_installed_entry_validates(xdg: Path) -> None:
    validate = shutil.which("desktop-file-validate")
    if validate is None:
        pytest.skip("desktop-file-validate is not installed (Debian: desktop-file-utils)")
    desktop.install()
    result = subprocess.run(
        [validate, str(xdg / "applications" / "dvar.desktop")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in (result.stdout + result.stderr).lower()


@pytest.mark.parametrize(
    "program",
    ["/opt/my apps/bin/dvar", "/srv/100%/dvar", "/home/o'neil/$HOME/a\\b/dvar", "/x/a&b;c/dvar"],
)
def test_odd_install_paths_are_quoted_per_the_spec(tmp_path: Path, program: str) -> None:
    validate = shutil.which("desktop-file-validate")
    if validate is None:
        pytest.skip("desktop-file-validate is not installed (Debian: desktop-file-utils)")
    entry = tmp_path / "dvar.desktop"
    entry.write_text(desktop.desktop_entry([program]), encoding="utf-8")
    result = subprocess.run([validate, str(entry)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_exec_quoting() -> None:
    assert desktop.exec_line(["/usr/bin/dvar"]) == "/usr/bin/dvar %f"
    assert desktop.exec_line(["/opt/my apps/dvar"]) == '"/opt/my apps/dvar" %f'
    assert desktop.exec_line(["/srv/100%/dvar"]) == "/srv/100%%/dvar %f"
    # Inside quotes: \" \$ \\ ; then the string escape doubles every backslash.
    assert desktop.exec_line(['/a"b/$c/d\\e']) == '"/a\\\\"b/\\\\$c/d\\\\\\\\e" %f'
    assert desktop.exec_line(["/py thon", "-m", "dvar"]) == '"/py thon" -m dvar %f'


def test_without_a_dvar_script_the_entry_runs_the_module(
    xdg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    python = tmp_path / "env" / "bin" / "python3"
    monkeypatch.setattr(sys, "executable", str(python))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert desktop.launch_command() == [str(python), "-m", "dvar"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert desktop.launch_command() == [str(python)]


#: An entry as dvar installed it before it was one package: it runs a module gone since.
OLD_ENTRY = """[Desktop Entry]
Type=Application
Name=dvar
Exec=/home/me/dvar/.venv/bin/python3 -m gui.cli %f
TryExec=/home/me/dvar/.venv/bin/python3
Icon=dvar
MimeType=application/x-dvar;
X-Left-Over=from an older dvar
"""


def test_install_rewrites_an_entry_that_runs_the_old_module(xdg: Path) -> None:
    entry = xdg / "applications" / "dvar.desktop"
    entry.parent.mkdir(parents=True)
    entry.write_text(OLD_ENTRY, encoding="utf-8")

    lines = desktop.install()

    text = entry.read_text(encoding="utf-8")
    assert text == desktop.desktop_entry(desktop.launch_command())
    assert "gui.cli" not in text and "X-Left-Over" not in text
    assert entry_keys(entry)["Exec"] == desktop.exec_line(desktop.launch_command())
    assert "  replacing an entry that ran: /home/me/dvar/.venv/bin/python3 -m gui.cli %f" in lines
    # Once rewritten, there is nothing left to replace.
    assert not any("replacing" in line for line in desktop.install())


@pytest.mark.parametrize("old_install", ["gone", "still there"])
def test_install_replaces_a_link_in_place_of_the_entry(
    xdg: Path, tmp_path: Path, old_install: str
) -> None:
    """A link to an older install's entry is replaced, and that entry left alone."""
    old = tmp_path / "old-venv" / "share" / "applications" / "dvar.desktop"
    if old_install == "still there":
        old.parent.mkdir(parents=True)
        old.write_text(OLD_ENTRY, encoding="utf-8")
    entry = xdg / "applications" / "dvar.desktop"
    entry.parent.mkdir(parents=True)
    entry.symlink_to(old)

    lines = desktop.install()

    assert not entry.is_symlink()
    assert entry.read_text(encoding="utf-8") == desktop.desktop_entry(desktop.launch_command())
    if old_install == "still there":
        assert old.read_text(encoding="utf-8") == OLD_ENTRY
        assert any(line.startswith("  replacing an entry that ran: ") for line in lines)
    else:
        assert not old.exists()


def test_installed_exec_reads_only_the_desktop_entry_group(tmp_path: Path) -> None:
    entry = tmp_path / "dvar.desktop"
    assert desktop.installed_exec(entry) is None  # nothing installed
    entry.write_text("[Desktop Action new]\nExec=other\n[Desktop Entry]\nExec=dvar %f\n")
    assert desktop.installed_exec(entry) == "dvar %f"
    entry.write_bytes(b"[Desktop Entry]\nName=dvar\n\xff\n")
    assert desktop.installed_exec(entry) is None


def test_the_mime_type_declares_dvar_files(xdg: Path) -> None:
    desktop.install()
    root = ET.parse(xdg / "mime" / "packages" / "dvar.xml").getroot()
    assert root.tag == f"{MIME_NS}mime-info"
    (mime_type,) = root.findall(f"{MIME_NS}mime-type")
    assert mime_type.get("type") == "application/x-dvar"
    assert [g.get("pattern") for g in mime_type.findall(f"{MIME_NS}glob")] == ["*.dvar"]
    parents = [s.get("type") for s in mime_type.findall(f"{MIME_NS}sub-class-of")]
    assert parents == ["application/json"]
    assert mime_type.findtext(f"{MIME_NS}comment")
    if shutil.which("update-mime-database"):
        globs = (xdg / "mime" / "globs2").read_text(encoding="utf-8")
        assert "application/x-dvar:*.dvar" in globs


def test_dvar_becomes_the_default_application(xdg: Path, tmp_path: Path) -> None:
    if shutil.which("xdg-mime") is None:
        pytest.skip("xdg-mime is not installed (Debian: xdg-utils)")
    lines = desktop.install()
    assert any("default application" in line for line in lines), lines
    mimeapps = (tmp_path / "config" / "mimeapps.list").read_text(encoding="utf-8")
    assert "application/x-dvar=dvar.desktop" in mimeapps


def test_install_twice_then_uninstall_twice(xdg: Path) -> None:
    desktop.install()
    first = {p: p.read_bytes() for p in desktop.Layout(xdg).files()}
    desktop.install()
    assert {p: p.read_bytes() for p in desktop.Layout(xdg).files()} == first

    lines = desktop.uninstall()
    for path in first:
        assert not path.exists()
        assert f"Removed {path}" in lines
    lines = desktop.uninstall()
    assert [line for line in lines if line.startswith("Not installed")] == [
        f"Not installed: {path}" for path in first
    ]
    if shutil.which("update-mime-database"):
        assert "x-dvar" not in (xdg / "mime" / "globs2").read_text(encoding="utf-8")


def test_missing_tools_are_skipped_with_a_note(xdg: Path, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    lines = desktop.install()
    assert all(path.is_file() for path in desktop.Layout(xdg).files())
    assert any(line.startswith("Skipped update-mime-database: not installed") for line in lines)
    assert any(line.startswith("Skipped xdg-mime: not installed") for line in lines)
    desktop.uninstall()
    assert not any(path.exists() for path in desktop.Layout(xdg).files())


def test_a_failing_tool_is_reported_not_fatal(xdg: Path, monkeypatch, tmp_path: Path) -> None:
    tools = tmp_path / "tools"
    tools.mkdir()
    for name in ("xdg-mime", "update-mime-database"):
        tool = tools / name
        tool.write_text("#!/bin/sh\necho 'boom: no database here' >&2\nexit 3\n")
        tool.chmod(0o755)
    monkeypatch.setenv("PATH", str(tools))
    lines = desktop.install()
    assert "xdg-mime failed: boom: no database here" in lines
    assert "update-mime-database failed: boom: no database here" in lines
    assert all(path.is_file() for path in desktop.Layout(xdg).files())


def test_a_file_in_the_way_gives_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "share"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    with pytest.raises(desktop.DesktopError) as caught:
        desktop.install()
    message = str(caught.value)
    assert message.startswith(f"cannot write {blocker}/applications/dvar.desktop: ")
    assert "\n" not in message


def test_an_unwritable_folder_gives_a_clear_error(xdg: Path, monkeypatch) -> None:
    def refuse(source, target):
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setattr(desktop.os, "replace", refuse)
    with pytest.raises(desktop.DesktopError) as caught:
        desktop.install()
    entry = xdg / "applications" / "dvar.desktop"
    assert str(caught.value) == f"cannot write {entry}: Permission denied"
    assert list(entry.parent.iterdir()) == []  # the temporary file is cleaned up


def test_a_file_that_cannot_be_removed_gives_a_clear_error(xdg: Path, monkeypatch) -> None:
    desktop.install()

    def refuse(self, missing_ok=False):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "unlink", refuse)
    with pytest.raises(desktop.DesktopError, match=r"^cannot remove .*dvar\.desktop: Permission"):
        desktop.uninstall()


def test_undecodable_file_names_give_messages_not_tracebacks(
    xdg: Path, tmp_path: Path, monkeypatch
) -> None:
    odd = tmp_path / "caf\udce9"  # the byte 0xE9 on its own: not UTF-8
    monkeypatch.setenv("XDG_DATA_HOME", str(odd))
    lines = desktop.install()
    assert any("caf\\udce9" in line for line in lines)
    for line in lines:
        line.encode("utf-8")  # printable on a UTF-8 terminal

    monkeypatch.setattr(desktop, "launch_command", lambda: [str(odd / "dvar")])
    with pytest.raises(desktop.DesktopError, match="not valid UTF-8"):
        desktop.install()


def test_relative_xdg_data_home_is_ignored(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", "relative/share")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert desktop.data_home() == tmp_path / ".local" / "share"


def test_the_shipped_entry_and_icon(qapp) -> None:
    from PySide6.QtGui import QIcon

    icon = QIcon(str(desktop.icon_path()))
    assert not icon.isNull()
    image = icon.pixmap(64, 64).toImage()
    assert image.width() == 64
    assert image.pixelColor(32, 32).alpha() == 255  # drawn, not blank
    validate = shutil.which("desktop-file-validate")
    if validate:
        shipped = Path(str(resources.files("dvar.resources").joinpath("dvar.desktop")))
        result = subprocess.run([validate, str(shipped)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout


def dvar_command() -> list[str]:
    script = Path(sys.executable).with_name("dvar")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "dvar"]


@pytest.mark.slow
def test_python_m_dvar_rewrites_an_old_entry(tmp_path: Path) -> None:
    """The command a learner runs after updating dvar, end to end."""
    env = dict(os.environ)
    env.update(
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        HOME=str(tmp_path / "home"),
    )
    entry = tmp_path / "data" / "applications" / "dvar.desktop"
    entry.parent.mkdir(parents=True)
    entry.write_text(OLD_ENTRY, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "dvar", "--install-desktop"],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "replacing an entry that ran: " in done.stdout
    exec_value = entry_keys(entry)["Exec"]
    assert "gui.cli" not in exec_value
    program = exec_value.removesuffix(" %f")
    assert program == str(Path(sys.executable).absolute().with_name("dvar")) or program.endswith(
        " -m dvar"
    ), exec_value


@pytest.mark.slow
def test_the_cli_installs_and_uninstalls(tmp_path: Path) -> None:
    env = dict(os.environ)
    env.update(
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        HOME=str(tmp_path / "home"),
    )
    done = subprocess.run(
        [*dvar_command(), "--install-desktop"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "Installed the desktop entry" in done.stdout
    assert (tmp_path / "data" / "applications" / "dvar.desktop").is_file()

    done = subprocess.run(
        [*dvar_command(), "--uninstall-desktop"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "data" / "applications" / "dvar.desktop").exists()

    (tmp_path / "blocker").write_text("")
    env["XDG_DATA_HOME"] = str(tmp_path / "blocker")
    done = subprocess.run(
        [*dvar_command(), "--install-desktop"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert done.stderr.startswith("dvar: error: cannot write ")
    assert done.stderr.count("\n") == 1
