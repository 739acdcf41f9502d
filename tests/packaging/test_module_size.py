"""The house stays in rooms: no module of core/ or gui/ grows past about 600 lines.

A module that long holds more than one job; split it along a seam (a mixin, as
``gui/canvas/scene_groups.py`` is the scene's group side) before adding to it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: "About 600": a little room for a docstring, never a second job.
LONGEST = 620


def _modules() -> list[Path]:
    return sorted(
        path
        for folder in ("core", "gui")
        for path in (ROOT / folder).rglob("*.py")
        if "__pycache__" not in path.parts
    )


def test_the_tree_has_modules_to_measure() -> None:
    names = {path.name for path in _modules()}
    assert {"graph.py", "scene.py", "window.py", "ops.py"} <= names


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_longer_than_about_600_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= LONGEST, f"{path.relative_to(ROOT)} has {lines} lines; split it by concern"
