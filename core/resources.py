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


#: The bundled lessons in the order they are taught; a lesson file not named here
#: comes after these, by name.
LESSON_ORDER = (
    "derivatives-with-a-computation-graph",
    "paths-add-up",
    "logistic-regression",
    "faded-practice",
    "tanh-neuron",
)


def lessons() -> dict[str, Path]:
    """The bundled lesson files (``resources/lessons``), by name, in teaching order."""
    folder = resources.files("dvar.resources.lessons")
    found = {
        Path(entry.name).stem: Path(str(entry))
        for entry in folder.iterdir()
        if entry.name.endswith(".dvar")
    }
    rank = {name: number for number, name in enumerate(LESSON_ORDER)}
    return dict(sorted(found.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))


def example_path(name: str) -> Path:
    """The path of one example; KeyError naming the known ones if there is no such example."""
    found = examples()
    if name not in found:
        raise KeyError(f"no example {name!r}; known: {', '.join(found)}")
    return found[name]
