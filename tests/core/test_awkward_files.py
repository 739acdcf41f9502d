"""Awkward files: named pipes and other non-regular files, long names, symbolic links.

Whatever the file, ``core.load`` either reads it or raises one clear line, and a
command either does its job or prints one ``dvar: error:`` line and exits with
status 2; nothing ever hangs and nothing shows a traceback.  Tests that could hang
on a regression unblock themselves after a few seconds (and then fail).
"""

from __future__ import annotations

import contextlib
import os
import socket
import stat
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import core
from core import fileformat
from gui import cli
from tests.core.test_atomicwrite import _long_name
from tests.core.test_cli import _dvar_command

#: How long a read of a named pipe may take before the test calls it a hang.
PATIENCE = 5.0

LECTURE = str(core.examples()["lecture"])


def _only_one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("dvar: error: ")
    assert "Traceback" not in err
    return lines[0]


# ------------------------------------------------------- non-regular files
@contextlib.contextmanager
def rescued(fifo: Path, after: float = PATIENCE) -> Iterator[dict]:
    """If something still waits on ``fifo`` after ``after`` seconds, open and close its
    writing end so that the reader sees end-of-file; ``state["rescued"]`` says so."""
    state = {"rescued": False}
    stop = threading.Event()

    def rescue() -> None:
        if stop.wait(after):
            return
        while not stop.is_set():
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # no reader yet (ENXIO)
                time.sleep(0.05)
                continue
            state["rescued"] = True
            os.close(fd)
            time.sleep(0.05)

    thread = threading.Thread(target=rescue, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        stop.set()
        thread.join()


@pytest.fixture()
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.dvar"
    os.mkfifo(path)
    return path


def test_load_refuses_a_named_pipe_at_once(fifo: Path) -> None:
    with rescued(fifo) as state, pytest.raises(core.FileFormatError) as caught:
        core.load(fifo)
    assert not state["rescued"], "core.load waited for a writer"
    assert str(caught.value) == (
        f"{fifo}: is a named pipe (FIFO), not a regular file; dvar reads only regular files"
    )


def test_load_refuses_a_link_to_a_named_pipe(fifo: Path) -> None:
    link = fifo.with_name("link.dvar")
    link.symlink_to(fifo)
    with rescued(fifo) as state, pytest.raises(core.FileFormatError, match="named pipe"):
        core.load(link)
    assert not state["rescued"]


def test_a_pipe_put_in_place_after_the_check_is_still_refused(
    fifo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is checked before it is opened and again once open: the open itself
    must not wait either (O_NONBLOCK)."""
    regular = os.stat(__file__)
    real_stat = os.stat
    monkeypatch.setattr(
        os, "stat", lambda p, *a, **k: regular if Path(p) == fifo else real_stat(p, *a, **k)
    )
    with rescued(fifo) as state, pytest.raises(core.FileFormatError, match="named pipe"):
        core.load(fifo)
    assert not state["rescued"]


def test_load_refuses_a_device_and_a_socket(tmp_path: Path) -> None:
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    with pytest.raises(core.FileFormatError, match=r"^/dev/null: is a device, not a regular"):
        core.load("/dev/null")
    path = tmp_path / "s.dvar"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(core.FileFormatError, match="is a socket, not a regular file"):
            core.load(path)


def test_an_oversized_file_is_refused_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.dvar"
    with path.open("wb") as stream:
        stream.truncate(fileformat.MAX_BYTES + 1)
    monkeypatch.setattr(fileformat, "loads", lambda *a, **k: pytest.fail("parsed"))
    with pytest.raises(core.FileFormatError, match="larger than"):
        core.load(path)


@pytest.mark.parametrize("command", ["eval", "export"])
def test_commands_refuse_a_named_pipe(
    fifo: Path, tmp_path: Path, capsys: pytest.CaptureFixture, command: str
) -> None:
    args = [command, str(fifo)] + (["-o", str(tmp_path / "out.svg")] if command == "export" else [])
    with rescued(fifo) as state:
        assert cli.main(args) == 2
    assert not state["rescued"]
    out, err = capsys.readouterr()
    assert out == ""
    assert "named pipe" in _only_one_error_line(err) and str(fifo) in err
    assert not (tmp_path / "out.svg").exists()


@pytest.mark.slow
@pytest.mark.parametrize("args", [["eval"], ["eval", "--json"], ["export", "-o", "out.png"], []])
def test_the_dvar_command_refuses_a_named_pipe_without_waiting(
    fifo: Path, tmp_path: Path, args: list[str]
) -> None:
    """``dvar eval|export PIPE`` and ``dvar PIPE`` (the editor) as real processes."""
    command = [*_dvar_command(), *args[:1], str(fifo), *args[1:]]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with rescued(fifo, after=20) as state:
        done = subprocess.run(
            command, capture_output=True, encoding="utf-8", cwd=tmp_path, env=env, timeout=60
        )
    assert not state["rescued"], "dvar waited for a writer"
    assert done.returncode == 2
    assert done.stdout == ""
    assert "named pipe" in _only_one_error_line(done.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.dvar"]


# ------------------------------------------------------------- long file names
@pytest.mark.parametrize("char", ["a", "é"])
def test_new_writes_a_file_whose_name_is_255_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture, char: str
) -> None:
    out = tmp_path / _long_name(char, ".dvar")
    assert cli.main(["new", "--formula", "J = 3*a", "--set", "a=2", "-o", str(out)]) == 0
    assert capsys.readouterr().err == ""
    assert core.load(out).output == "J"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


@pytest.mark.parametrize("suffix", [".svg", ".png", ".pdf", ".py"])
def test_export_writes_a_file_whose_name_is_255_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture, suffix: str
) -> None:
    out = tmp_path / _long_name("é", suffix)
    assert cli.main(["export", LECTURE, "-o", str(out)]) == 0
    assert capsys.readouterr().err == ""
    assert out.stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


# ------------------------------------------------------------ symbolic links
def test_new_through_a_link_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.dvar"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.dvar"
    link.symlink_to(real.name)
    assert cli.main(["new", "--formula", "J = 3*a", "--set", "a=2", "-o", str(link)]) == 0
    assert link.is_symlink()
    assert core.load(real).node("a").value == 2.0


@pytest.mark.parametrize("suffix", [".svg", ".py"])
def test_export_through_a_link_keeps_the_link(tmp_path: Path, suffix: str) -> None:
    real = tmp_path / f"real{suffix}"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / f"link{suffix}"
    link.symlink_to(real)
    assert cli.main(["export", LECTURE, "-o", str(link)]) == 0
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") != "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([real.name, link.name])


def test_eval_reads_through_a_link(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    link = tmp_path / "link.dvar"
    link.symlink_to(LECTURE)
    assert cli.main(["eval", str(link)]) == 0
    assert "J = 33" in capsys.readouterr().out
