"""Files shipped in ``resources/``, found the same way from a checkout or an installed wheel."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def examples() -> dict[str, Path]:
    """The example graphs, by name (``lecture``, ``two_paths``, ...), sorted by name."""
    folder = resources.files("dvar.resources.examples")
    found = {
        Path(entry.name).stem: Path(str(entry))
        for entry in folder.iterdir()
        if entry.name.endswith(".dvar")
    }
    return dict(sorted(found.items()))


def example_path(name: str) -> Path:
    """The path of one example; KeyError naming the known ones if there is no such example."""
    found = examples()
    if name not in found:
        raise KeyError(f"no example {name!r}; known: {', '.join(found)}")
    return found[name]
