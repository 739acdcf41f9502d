"""Ids are in Unicode normal form NFKC, the form Python gives the names in a formula.

Python reads ``ﬁ`` (the ligature) as ``fi``, ``ℌ`` as ``H``, ``ｘ`` as ``x``.  A node
whose id is not in that form could never be named in a formula: ``K = ﬁ*2`` would
make a new input ``fi`` beside it.  So such ids are refused everywhere, with a
message naming the normal form.
"""

from __future__ import annotations

import pytest

from dvar import core
from dvar.gui.app import cli

LIGATURE = "\ufb01"  # ﬁ


@pytest.mark.parametrize(
    ("text", "normal"), [(LIGATURE, "fi"), ("\u210c", "H"), ("\uff58", "x"), ("e\u0301", "é")]
)
def test_adding_a_node_with_an_id_not_in_normal_form_is_refused(text: str, normal: str) -> None:
    graph = core.Graph()
    graph.add_node("input", "a", value=1)
    before = core.dumps(graph)
    with pytest.raises(core.GraphError) as caught:
        graph.add_node("input", text, value=2)
    assert str(caught.value) == f"id {text!r} is not in normal form; use {normal!r}"
    assert core.dumps(graph) == before
    graph.add_node("input", normal, value=2)  # the normal form itself is fine
    assert normal in graph


def test_renaming_to_an_id_not_in_normal_form_is_refused() -> None:
    graph = core.graph_from_formula("J = 3*a")
    before = core.dumps(graph)
    with pytest.raises(core.GraphError, match=f"id '{LIGATURE}' is not in normal form; use 'fi'"):
        graph.rename("a", LIGATURE)
    assert core.dumps(graph) == before


def test_a_normal_form_that_is_a_keyword_is_refused_without_suggesting_it() -> None:
    fullwidth_if = "\uff49\uff46"  # ｉｆ, which Python reads as the keyword if
    with pytest.raises(core.GraphError) as caught:
        core.Graph().add_node("input", fullwidth_if, value=1)
    assert "not in normal form" in str(caught.value) and "use" not in str(caught.value)


def test_non_ascii_ids_in_normal_form_are_still_fine() -> None:
    graph = core.Graph()
    for name in ("α", "é", "日本", "x_ü"):
        graph.add_node("input", name, value=1)
    assert core.loads(core.dumps(graph)).nodes()[0].id == "α"


def test_a_file_with_an_id_not_in_normal_form_is_refused() -> None:
    text = (
        '{"format": "dvar", "version": 1, "output": null, "nodes": '
        f'[{{"id": "{LIGATURE}", "op": "input", "value": 1}}]}}'
    )
    with pytest.raises(core.FileFormatError) as caught:
        core.loads(text, "lig.dvar")
    assert str(caught.value) == (
        f"lig.dvar: node 0: field 'id': id '{LIGATURE}' is not in normal form; use 'fi'"
    )


def test_a_formula_binds_to_the_node_the_user_sees() -> None:
    """The node the user sees is ``fi`` (perhaps labelled ﬁ); typing ``ﬁ`` reaches it."""
    graph = core.Graph()
    graph.add_node("input", "fi", value=3, label=LIGATURE)
    result = core.build_graph(f"K = {LIGATURE}*2", into=graph)
    assert [n.id for n in graph.nodes() if n.op.name == "input"] == ["fi"]
    assert graph.inputs_of("K")[0] == "fi"
    assert core.evaluate(graph).values["K"] == 6
    assert result.warnings == [] or all("fi" not in w for w in result.warnings)


def test_dvar_new_reads_set_names_as_python_reads_the_formula(
    tmp_path, capsys: pytest.CaptureFixture
) -> None:
    out = tmp_path / "lig.dvar"
    code = cli.main(
        ["new", "--formula", f"J = {LIGATURE}*2", "--set", f"{LIGATURE}=4", "-o", str(out)]
    )
    assert code == 0, capsys.readouterr().err
    assert core.evaluate(core.load(out)).values["J"] == 8


def test_dvar_eval_refuses_the_file_with_status_2(tmp_path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "lig.dvar"
    path.write_text(
        '{"format": "dvar", "version": 1, "output": null, "nodes": '
        f'[{{"id": "{LIGATURE}", "op": "input", "value": 1}}]}}',
        encoding="utf-8",
    )
    assert cli.main(["eval", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"dvar: error: {path}: node 0: field 'id': id '{LIGATURE}' is not in normal form; "
        "use 'fi'\n"
    )
