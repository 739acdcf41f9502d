"""``python -m dvar``: the same as the ``dvar`` command."""

import sys

from dvar.gui.app.cli import main

if __name__ == "__main__":
    sys.exit(main())
