"""`dvar export FILE -o OUT.py`: the generated script agrees with `dvar eval --json`."""

import json
import subprocess
import sys

import pytest

from dvar import core
from dvar.gui.app.cli import main


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(core.examples()))
def test_script_prints_what_dvar_eval_prints(tmp_path, capsys, name):
    source = core.examples()[name]
    script = tmp_path / f"{name}.py"
    assert main(["export", str(source), "-o", str(script)]) == 0
    assert main(["eval", str(source), "--json"]) == 0
    expected = json.loads(capsys.readouterr().out)
    run = subprocess.run(
        [sys.executable, "-I", str(script), "--json"], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    assert got["output"] == expected["output"] and got["errors"] == expected["errors"]
    for field in ("values", "grads"):
        assert list(got[field]) == list(expected[field])
        for key, value in expected[field].items():
            assert got[field][key] == pytest.approx(value, rel=1e-12, abs=1e-15)


def test_unwritable_target_is_one_line(tmp_path, capsys):
    target = tmp_path / "missing" / "x.py"
    assert main(["export", str(core.examples()["lecture"]), "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("dvar: error:") and "x.py" in err
    assert not target.exists()
