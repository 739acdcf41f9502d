"""One installed name: the wheel puts dvar, and nothing else, into site-packages.

The wheel is built from this checkout and installed into a fresh virtual
environment.  That environment borrows PySide6 and networkx from the running one
through a path file written before the first listing, so the listing before and
after the install differs only by what the wheel brings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def run(*command: str | Path, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path, set[str]]:
    """(the venv's bin folder, its site-packages, what site-packages held before)."""
    work = tmp_path_factory.mktemp("wheel")
    dist = work / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, ROOT, cwd=work)
    (wheel,) = dist.glob("dvar-*.whl")
    venv = work / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=work)
    (site,) = (venv / "lib").glob("python3*/site-packages")
    (site / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    before = {p.name for p in site.iterdir()}
    python = venv / "bin" / "python"
    run(
        sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel,
        cwd=work,
    )  # fmt: skip
    return venv / "bin", site, before


def clean_env(bin_folder: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{bin_folder}{os.pathsep}{env.get('PATH', '')}"
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def test_site_packages_gains_only_dvar_and_its_dist_info(installed) -> None:
    _, site, before = installed
    gained = {p.name for p in site.iterdir()} - before
    assert {g for g in gained if not g.endswith(".dist-info")} == {"dvar"}
    assert [g for g in gained if g.endswith(".dist-info")] == ["dvar-0.1.0.dist-info"]
    assert {"core", "gui", "resources"} <= {p.name for p in (site / "dvar").iterdir()}
    assert (site / "dvar" / "core" / "rules.py").is_file()  # Export as Python copies it


def test_the_installed_commands_work_outside_the_checkout(installed, tmp_path) -> None:
    bin_folder, site, _ = installed
    env = clean_env(bin_folder)
    script = (
        "import json, dvar, dvar.core as core\n"
        "paths = {name: str(p) for name, p in core.examples().items()}\n"
        "print(json.dumps({'file': dvar.__file__, 'examples': paths}))\n"
    )
    found = json.loads(run(bin_folder / "python", "-c", script, cwd=tmp_path, env=env).stdout)
    assert found["file"].startswith(str(site))
    assert "lecture" in found["examples"]
    lecture = found["examples"]["lecture"]
    assert lecture.startswith(str(site))
    printed = run(bin_folder / "dvar", "eval", lecture, "--json", cwd=tmp_path, env=env).stdout
    assert json.loads(printed)["grads"]["b"] == 6.0
    for name in found["examples"].values():
        run(bin_folder / "dvar", "eval", name, cwd=tmp_path, env=env)
    run(bin_folder / "dvar", "export", lecture, "-o", tmp_path / "l.svg", cwd=tmp_path, env=env)
    assert "<svg" in (tmp_path / "l.svg").read_text()
    run(bin_folder / "dvar", "export", lecture, "-o", tmp_path / "l.py", cwd=tmp_path, env=env)
    assert '"J": 33.0' in run(sys.executable, tmp_path / "l.py", "--json", cwd=tmp_path).stdout
    version = run(bin_folder / "python", "-m", "dvar", "--version", cwd=tmp_path, env=env).stdout
    assert "0.1.0" in version
