"""core never imports Qt or gui; ``dvar eval`` loads no Qt at all."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import dvar.gui.app.cli
import dvar.gui.app.cli_classroom
from dvar import core

CORE = Path(core.__file__).parent
FORBIDDEN = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2", "dvar.gui")


def imported_modules(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
    return found


def forbidden(module: str) -> bool:
    return module.split(".")[0] in FORBIDDEN or module.startswith("dvar.gui")


def test_the_scan_sees_imports() -> None:
    tree = ast.parse(
        "import os\nfrom PySide6.QtCore import Qt\ndef f():\n    import dvar.gui.app.application\n"
    )
    assert [m for m in imported_modules(tree) if forbidden(m)] == [
        "PySide6.QtCore",
        "dvar.gui.app.application",
    ]


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
def test_core_never_imports_qt_or_gui(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    assert [m for m in imported_modules(tree) if forbidden(m)] == []


def test_core_files_are_all_scanned() -> None:
    names = {p.name for p in CORE.glob("*.py")}
    assert {"ops.py", "graph.py", "plan.py", "engine.py", "evaluation.py", "fileformat.py"} <= names


@pytest.mark.parametrize(
    "module",
    [
        dvar.gui.app.cli,
        dvar.gui.app.cli_classroom,
        sys.modules["dvar.gui"],
        sys.modules["dvar.gui.app"],
        sys.modules["dvar"],
    ],
    ids=[
        "gui/app/cli.py",
        "gui/app/cli_classroom.py",
        "gui/__init__.py",
        "gui/app/__init__.py",
        "dvar/__init__.py",
    ],
)
def test_cli_module_imports_no_qt_at_load_time(module: object) -> None:
    path = Path(module.__file__)  # type: ignore[attr-defined]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_level = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    modules = imported_modules(ast.Module(body=top_level, type_ignores=[]))
    assert not [m for m in modules if m.split(".")[0] in FORBIDDEN[:5]]


SCRIPT = """
import json, sys
from dvar import core
import dvar.gui.app.cli
path = sys.argv[1]
ev = core.evaluate(core.load(path))
assert ev.values["J"] == 33.0
code = dvar.gui.app.cli.main(["eval", path])
code_json = dvar.gui.app.cli.main(["eval", path, "--json"])
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"))
print(json.dumps({"codes": [code, code_json], "qt": qt}), file=sys.stderr)
"""


@pytest.mark.slow
def test_evaluating_loads_no_qt(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(core.examples()["lecture"])],
        capture_output=True,
        encoding="utf-8",
        timeout=60,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stderr.strip().splitlines()[-1])
    assert report == {"codes": [0, 0], "qt": []}
    assert "J = 33" in result.stdout
