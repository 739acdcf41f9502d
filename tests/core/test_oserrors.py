"""An operating-system error as one readable line."""

import errno
import os

from dvar.core.oserrors import reason


def test_an_os_error_says_its_strerror_without_the_file_name():
    error = PermissionError(errno.EACCES, os.strerror(errno.EACCES), "/tmp/notes.dvar")
    assert reason(error) == os.strerror(errno.EACCES)


def test_without_a_strerror_the_text_on_one_line_and_no_full_stop():
    assert reason(FileExistsError("no free temporary name in /tmp")) == (
        "no free temporary name in /tmp"
    )
    assert reason(OSError("the disk\nwent away.")) == "the disk went away"
    assert reason(ModuleNotFoundError("No module named 'x'")) == "No module named 'x'"


def test_an_error_with_no_text_gives_its_type():
    assert reason(OSError()) == "OSError"
    assert reason(KeyError()) == "KeyError"
