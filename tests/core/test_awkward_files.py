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

from dvar import core
from dvar.core import fileformat
from dvar.gui.app import cli
from tests.core.test_atomicwrite import _long_name
from tests.gui.app.test_cli import _dvar_command

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


# ------------------------------------------------- far-away nodes and huge scales
def _far(tmp_path: Path, *positions: tuple[float, float]) -> Path:
    """A file the reader accepts, with inputs at the given (x, y)."""
    nodes = ",".join(
        f'{{"id": "n{i}", "op": "input", "value": 1, "x": {x!r}, "y": {y!r}}}'
        for i, (x, y) in enumerate(positions)
    )
    path = tmp_path / "far.dvar"
    path.write_text(
        f'{{"format": "dvar", "version": 1, "output": null, "nodes": [{nodes}]}}', "utf-8"
    )
    assert len(core.load(path)) == len(positions)
    return path


def _warning(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("dvar: warning: "), err
    return lines[0]


@pytest.mark.parametrize("suffix", [".svg", ".png", ".pdf"])
@pytest.mark.parametrize("x", [1e10, 1e308, -1e308])
def test_export_shrinks_a_diagram_with_a_node_far_away(
    tmp_path: Path, capsys: pytest.CaptureFixture, x: float, suffix: str
) -> None:
    path = _far(tmp_path, (0, 0), (x, 0))
    out = tmp_path / f"out{suffix}"
    assert cli.main(["export", str(path), "-o", str(out)]) == 0
    warning = _warning(capsys.readouterr().err)
    assert "scale" in warning and "inf" not in warning.replace("more than 1e308", "")
    data = out.read_bytes()
    assert data.startswith({".svg": b"<?xml", ".png": b"\x89PNG", ".pdf": b"%PDF"}[suffix])
    if suffix == ".svg":
        assert b'width="' in data and b"viewBox=" in data
    if suffix == ".pdf":
        box = data.split(b"/MediaBox [", 1)[1].split(b"]", 1)[0].split()
        assert all(float(v) >= 0 for v in box) and float(box[2]) > 0 and float(box[3]) > 0


@pytest.mark.parametrize("suffix", [".svg", ".png", ".pdf"])
def test_export_refuses_a_diagram_too_large_to_measure(
    tmp_path: Path, capsys: pytest.CaptureFixture, suffix: str
) -> None:
    """Nodes at −1e308 and +1e308: the diagram's width overflows to infinity."""
    path = _far(tmp_path, (-1e308, 0), (1e308, 0))
    out = tmp_path / f"out{suffix}"
    assert cli.main(["export", str(path), "-o", str(out)]) == 2
    out_text, err = capsys.readouterr()
    line = _only_one_error_line(err)
    assert str(out) in line and "too large" in line and "'n0'" in line and "1e+308" in line
    assert out_text == "" and not out.exists()


@pytest.mark.parametrize("scale", ["1e308", "1e300", "1e-300"])
def test_export_clamps_a_huge_or_tiny_scale(
    tmp_path: Path, capsys: pytest.CaptureFixture, scale: str
) -> None:
    out = tmp_path / "out.png"
    assert cli.main(["export", LECTURE, "-o", str(out), "--scale", scale]) == 0
    err = capsys.readouterr().err
    if float(scale) > 1:
        assert "16,384" in _warning(err) and "inf" not in err
    else:
        assert err == ""
    assert out.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("scale", ["inf", "nan", "0", "-2"])
def test_export_refuses_a_scale_that_is_not_a_positive_number(
    tmp_path: Path, capsys: pytest.CaptureFixture, scale: str
) -> None:
    assert cli.main(["export", LECTURE, "-o", str(tmp_path / "o.png"), "--scale", scale]) == 2
    assert "scale" in _only_one_error_line(capsys.readouterr().err)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("positions", "args", "status"),
    [
        (((0, 0), (1e10, 0)), ["-o", "o.svg"], 0),
        (((0, 0), (1e308, 0)), ["-o", "o.png"], 0),
        (((0, 0), (-1e308, 5)), ["-o", "o.png", "--scale", "1e308"], 0),
        (((-1e308, 0), (1e308, 0)), ["-o", "o.pdf"], 2),
    ],
)
def test_the_dvar_command_never_shows_a_traceback_on_far_nodes(
    tmp_path: Path, positions: tuple, args: list[str], status: int
) -> None:
    path = _far(tmp_path, *positions)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [*_dvar_command(), "export", str(path), *args],
        capture_output=True,
        encoding="utf-8",
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert done.returncode == status, done.stderr
    assert "Traceback" not in done.stderr and "Error" not in done.stderr
    assert len(done.stderr.splitlines()) == 1
