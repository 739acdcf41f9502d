"""Every module imports dvar's code by its installed names, and each room of the
editor imports only the rooms its docstring allows."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    p
    for folder in ("dvar", "core", "gui", "tests", "benchmarks", "scripts")
    for p in (ROOT / folder).rglob("*")
    if p.suffix == ".py"
    or (
        p.parent.name == "scripts"
        and p.read_bytes()[:20].startswith(b"#!")
        and b"python" in p.read_bytes()[:40]
    )
)

#: What each room of dvar.gui may import from the other rooms (see gui/*/__init__.py).
ROOMS = {
    "document": {"messages", "numbers"},
    "canvas": {"document", "messages", "numbers"},
    "panels": {"document", "canvas", "messages", "numbers"},
    "dialogs": {"document", "canvas", "messages", "numbers"},
    "teach": {"document", "canvas", "panels", "messages", "numbers"},
    "app": {"document", "canvas", "panels", "teach", "dialogs", "messages", "numbers"},
}


def imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
            if node.module in ("dvar", "dvar.gui"):
                found += [f"{node.module}.{alias.name}" for alias in node.names]
    return found


def test_the_scan_finds_the_sources() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in SOURCES}
    assert {"core/engine.py", "gui/app/cli.py", "dvar/__main__.py", "scripts/screenshots"} <= names


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_module_imports_a_bare_core_gui_or_resources(path: Path) -> None:
    bare = [m for m in imports(path) if m.split(".")[0] in ("core", "gui", "resources")]
    assert bare == []


@pytest.mark.parametrize("room", sorted(ROOMS))
def test_each_room_imports_only_what_it_may(room: str) -> None:
    allowed = ROOMS[room] | {room}
    wrong = {}
    for path in sorted((ROOT / "gui" / room).glob("*.py")):
        rooms = {m.split(".")[2] for m in imports(path) if m.startswith("dvar.gui.")}
        if rooms - allowed:
            wrong[path.name] = sorted(rooms - allowed)
    assert wrong == {}
