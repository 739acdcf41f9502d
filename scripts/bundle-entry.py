"""The program PyInstaller freezes for `make bundle`: the `dvar` command itself."""

import sys

from dvar.gui.app.cli import main

if __name__ == "__main__":
    sys.exit(main())
