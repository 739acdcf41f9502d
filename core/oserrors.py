"""Why a file operation failed, as one readable line for a message.

The command line, the window, the exports and the desktop integration all say it
the same way: ``cannot write notes.dvar: Permission denied``.  Pure Python, no Qt.
"""

from __future__ import annotations


def reason(error: BaseException) -> str:
    """The reason in ``error`` on one line, without a closing full stop: an OSError's
    ``strerror`` ("No space left on device"), else the error's text, else its type."""
    text = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return " ".join(text.split()).rstrip(".") or type(error).__name__
