"""``import dvar``: the engine's public API and the tracer under one name, without Qt."""

from __future__ import annotations

import builtins
import json
import subprocess
import sys

import pytest

import dvar
from dvar import core

TRACER = ["Value", "trace", "show", "from_micrograd"]
FUNCTIONS = ["exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "max", "min"]


def test_the_facade_re_exports_core_and_adds_the_tracer() -> None:
    for name in core.__all__:
        assert getattr(dvar, name) is getattr(core, name), name
    for name in [*TRACER, *FUNCTIONS]:
        assert name in dvar.__all__ and callable(getattr(dvar, name)), name
    assert set(core.__all__) <= set(dvar.__all__)
    assert dvar.__version__ == core.__version__


def test_max_and_min_shadow_the_builtins_only_inside_dvar() -> None:
    assert dvar.max is not builtins.max
    assert max(1, 2) == 2
    assert dvar.max(dvar.Value(1.0), 2).data == 2.0


@pytest.mark.slow
def test_import_dvar_loads_no_qt() -> None:
    code = (
        "import json, sys, dvar\n"
        "dvar.trace(lambda a: a * 2, a=1)\n"
        "print(json.dumps(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, encoding="utf-8", timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
