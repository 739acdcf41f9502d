"""``core.atomicwrite``: the one atomic write behind Save, autosave, exports and ``dvar new``.

Symbolic links are kept and their targets replaced; the temporary name is short, so
names up to the file system's 255 bytes work; permissions follow the umask or the
file being replaced; nothing is left behind on failure.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from dvar import core
from dvar.core import atomicwrite
from dvar.core.atomicwrite import write_atomic
from tests.core.helpers import lecture

#: The longest name most Linux file systems allow, in bytes.
NAME_MAX = 255


def _long_name(stem_char: str, suffix: str, size: int = NAME_MAX) -> str:
    """A file name of exactly ``size`` bytes in UTF-8."""
    width = len(stem_char.encode())
    stem = stem_char * ((size - len(suffix)) // width)
    stem += "x" * (size - len(suffix) - len(stem.encode()))
    name = stem + suffix
    assert len(name.encode()) == size
    return name


def test_writes_the_bytes_and_leaves_nothing_else(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a.bin", b"one")
    write_atomic(tmp_path / "a.bin", b"two")
    assert (tmp_path / "a.bin").read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["a.bin"]


def test_a_symbolic_link_is_kept_and_its_target_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real" / "graph.dvar"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "link.dvar"
    link.symlink_to(Path("real") / "graph.dvar")  # relative, as people make them
    write_atomic(link, b"new")
    assert link.is_symlink() and os.readlink(link) == os.path.join("real", "graph.dvar")
    assert real.read_bytes() == b"new"
    assert sorted(p.name for p in real.parent.iterdir()) == ["graph.dvar"]  # no temp left


def test_a_chain_of_links_and_a_dangling_link(tmp_path: Path) -> None:
    real = tmp_path / "real.dvar"
    real.write_bytes(b"old")
    (tmp_path / "one").symlink_to(real)
    (tmp_path / "two").symlink_to(tmp_path / "one")
    write_atomic(tmp_path / "two", b"new")
    assert real.read_bytes() == b"new" and (tmp_path / "two").is_symlink()
    (tmp_path / "dangling").symlink_to(tmp_path / "made.dvar")
    write_atomic(tmp_path / "dangling", b"made")
    assert (tmp_path / "dangling").is_symlink()
    assert (tmp_path / "made.dvar").read_bytes() == b"made"


def test_saving_a_graph_through_a_link_updates_the_target(tmp_path: Path) -> None:
    real = tmp_path / "real.dvar"
    core.save(lecture(), real)
    link = tmp_path / "link.dvar"
    link.symlink_to(real)
    graph = core.load(link)
    graph.set_value("a", 42)
    core.save(graph, link)
    assert link.is_symlink()
    assert core.load(real).node("a").value == 42.0


def test_a_link_to_a_folder_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "folder")
    with pytest.raises(OSError):
        write_atomic(tmp_path / "link", b"data")
    assert (tmp_path / "link").is_symlink() and list((tmp_path / "folder").iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "link"]


@pytest.mark.parametrize("char", ["a", "é", "日"])
def test_names_of_255_bytes_work(tmp_path: Path, char: str) -> None:
    path = tmp_path / _long_name(char, ".dvar")
    core.save(lecture(), path)
    core.save(lecture(), path)  # and again, replacing it
    assert core.load(path).output == "J"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_the_temporary_name_is_short(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real = atomicwrite._open_temporary

    def spy(folder: str) -> tuple[int, str]:
        fd, temp = real(folder)
        seen.append(temp)
        return fd, temp

    monkeypatch.setattr(atomicwrite, "_open_temporary", spy)
    write_atomic(tmp_path / _long_name("a", ".png"), b"x")
    (temp,) = seen
    assert Path(temp).parent == tmp_path
    assert len(Path(temp).name.encode()) <= 20


def test_a_new_file_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.bin", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.bin").stat().st_mode) == 0o640


def test_an_existing_file_keeps_its_mode_through_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.bin"
    real.write_bytes(b"old")
    os.chmod(real, 0o600)
    (tmp_path / "link").symlink_to(real)
    write_atomic(tmp_path / "link", b"new")
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


@pytest.mark.parametrize("step", ["write", "fsync", "replace", "interrupt"])
def test_a_failure_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    target = tmp_path / "g.bin"
    target.write_bytes(b"old")
    error: BaseException = KeyboardInterrupt() if step == "interrupt" else OSError(28, "full")

    def fail(*args: object, **kwargs: object) -> None:
        raise error

    if step in ("write", "interrupt"):
        real_fdopen = os.fdopen

        class Failing:
            def __init__(self, fd: int, mode: str) -> None:
                self.stream = real_fdopen(fd, mode)

            def __enter__(self) -> Failing:
                return self

            def __exit__(self, *exc: object) -> None:
                self.stream.close()

            write = fail

        monkeypatch.setattr(os, "fdopen", Failing)
    else:
        monkeypatch.setattr(os, step, fail)
    with pytest.raises(type(error)):
        write_atomic(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["g.bin"]


def test_a_missing_folder_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "missing" / "x.bin", b"x")
    assert list(tmp_path.iterdir()) == []
