"""Atomic file writes: the one way dvar replaces a file on disk.

Every file dvar writes (a saved graph, an autosave, an exported image or script, the
desktop entry) goes through :func:`write_atomic`, which

- **follows symbolic links:** a link is kept, and the file it points to is replaced,
  as editors do (a dangling link gets its target created);
- **writes a temporary file in the target's folder,** then ``os.replace``-s it onto
  the target, so the previous file survives any failure and nobody ever sees half a
  file.  The temporary name is short (``.dvar-`` and 8 hex digits), so a target
  whose name is as long as the file system allows (255 bytes) still works;
- **flushes to disk:** the temporary file is fsync-ed before the rename, and the
  folder (best effort) after it;
- **sets permissions like a plain write:** an existing file keeps its mode; a new
  file gets ``0o666`` less the umask (and the folder's default ACL), because the
  temporary file is created with exactly that request;
- **cleans up:** on any failure, KeyboardInterrupt included, the temporary file is
  removed and the exception propagates (an :class:`OSError` for file-system trouble).

Pure Python, no Qt.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat

#: The temporary file's name: this prefix, 8 hex digits, this suffix (18 bytes in all).
TEMP_PREFIX = ".dvar-"
TEMP_SUFFIX = ".tmp"


def resolve(path: str | os.PathLike[str]) -> str:
    """The file a write to ``path`` lands in: symbolic links followed (all of them,
    including a dangling last one), relative paths kept relative to the current folder."""
    path = os.fspath(path)
    if not os.path.islink(path):
        return path
    return os.path.realpath(path)


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace the file at ``path`` (through any symbolic link) with ``data``, atomically.

    Raises OSError when the folder is missing or not writable, the disk is full, the
    target is a folder, and so on; the previous file is then untouched.
    """
    target = resolve(path)
    folder = os.path.dirname(target) or "."
    fd, temp = _open_temporary(folder)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        _keep_mode(target, temp)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sync_folder(folder)


def _open_temporary(folder: str) -> tuple[int, str]:
    """Create a new, empty temporary file in ``folder``; (descriptor, path)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        temp = os.path.join(folder, f"{TEMP_PREFIX}{secrets.token_hex(4)}{TEMP_SUFFIX}")
        try:
            return os.open(temp, flags, 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def _keep_mode(target: str, temp: str) -> None:
    """Give the temporary file an existing target's permission bits."""
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISREG(mode):
        os.chmod(temp, stat.S_IMODE(mode))


def _sync_folder(folder: str) -> None:
    """Flush the rename itself to disk, where the platform allows it (best effort)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
