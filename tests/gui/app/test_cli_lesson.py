"""``dvar lesson FILE --check``: one line, exit 0 or 2, no Qt; ``dvar lesson FILE`` plays it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dvar import core
from dvar.gui.app import cli

LECTURE = str(core.examples()["lecture"])


def lesson_file(tmp_path: Path, steps: list[dict], title: str = "Lecture, step by step") -> str:
    data = core.to_dict(core.load(LECTURE))
    data["lesson"] = {"title": title, "steps": steps}
    path = tmp_path / "lesson.dvar"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_a_valid_lesson_prints_its_title_and_steps(tmp_path, capsys) -> None:
    path = lesson_file(
        tmp_path,
        [
            {"text": "Nudge *v*.", "ask": [{"grad": "v"}], "action": {"nudge": "v"}},
            {"text": "Set a.", "action": {"set": "a", "value": 6}, "ask": [{"value": "v"}]},
        ],
    )
    assert cli.main(["lesson", path, "--check"]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == (f'{path}: "Lecture, step by step", 2 steps: ok\n', "")


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([{"text": "<b>hi</b>"}], "step 1: the text holds HTML"),
        ([{"text": "ok"}, {"text": "x", "spotlight": ["w"]}], "step 2: 'spotlight': there is no"),
        ([{"text": "x", "action": {"set": "J", "value": 1}}], "step 1: cannot set J"),
        ([{"text": "x", "action": {"fly": "J"}}], "step 1: 'action'"),
        ([{"text": str(i)} for i in range(10_000)], "field 'lesson': 10,000 steps"),
        ([], "the lesson has no steps"),
    ],
)
def test_an_invalid_lesson_is_one_line_and_status_2(tmp_path, capsys, steps, message) -> None:
    path = lesson_file(tmp_path, steps)
    assert cli.main(["lesson", path, "--check"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"dvar: error: {path}: {message}")


def test_a_question_without_an_answer_is_refused(tmp_path, capsys) -> None:
    data = core.to_dict(core.load(LECTURE))
    data["output"] = None
    data["lesson"] = {"title": "t", "steps": [{"text": "dv?", "ask": [{"grad": "v"}]}]}
    path = tmp_path / "no-output.dvar"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert cli.main(["lesson", str(path), "--check"]) == 2
    assert "step 1: dv has no answer" in capsys.readouterr().err


def test_a_file_without_a_lesson_is_refused(capsys) -> None:
    assert cli.main(["lesson", LECTURE, "--check"]) == 2
    assert capsys.readouterr().err == f"dvar: error: {LECTURE}: the file has no lesson\n"


def test_without_check_the_app_opens_in_the_player(tmp_path, monkeypatch) -> None:
    path = lesson_file(tmp_path, [{"text": "hello"}])
    opened = []
    from dvar.gui.app import application

    monkeypatch.setattr(application, "run", lambda *a, **k: opened.append((a, k)) or 0)
    assert cli.main(["lesson", path]) == 0
    assert opened == [((path,), {"lesson": True})]


SCRIPT = """
import sys
import dvar.gui.app.cli
code = dvar.gui.app.cli.main(["lesson", sys.argv[1], "--check"])
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print(code, qt, file=sys.stderr)
"""


@pytest.mark.slow
def test_checking_loads_no_qt(tmp_path) -> None:
    path = lesson_file(tmp_path, [{"text": "dv?", "ask": [{"grad": "v"}]}])
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, path],
        capture_output=True,
        encoding="utf-8",
        timeout=60,
        cwd=tmp_path,
        check=False,
    )
    assert result.stderr.strip().splitlines()[-1] == "0 []"
    assert result.stdout.endswith("1 step: ok\n")
