"""Groups in the core (core/groups.py): the pure functions, the graph's hooks (checked,
journaled, a removed node leaves its group), and groups in files."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvar import core
from dvar.core.groups import (
    MAX_DEPTH,
    MAX_GROUPS,
    Group,
    boundaries,
    boundary,
    find_title,
    group_at,
    grouped,
    groups_record,
    hidden_by,
    outer_collapsed,
    owner_of,
    read_groups,
    ungrouped,
    visible,
    walk,
    with_collapsed,
    with_title,
    without_keys,
)
from tests.core.helpers import lecture


def keys(graph: core.Graph, *ids: str) -> list[int]:
    return [graph.key_of(i) for i in ids]


def ids(graph: core.Graph, ks) -> list[str]:
    return [graph.id_of(k) for k in ks]


@pytest.fixture
def nested() -> core.Graph:
    """The lecture with ``u, v`` in "inner", inside "outer" which also holds J."""
    g = lecture()
    groups, inner = grouped(g.groups, keys(g, "u", "v"), "inner")
    assert inner == (0,)
    groups, outer = grouped(groups, keys(g, "u", "v", "J"), "outer")
    assert outer == (0,)
    g.set_groups(groups)
    return g


# ------------------------------------------------------------ pure functions
def test_grouped_makes_a_group_at_the_innermost_level_holding_the_keys(nested):
    g = nested
    (outer,) = g.groups
    assert outer.title == "outer"
    assert ids(g, outer.members) == ["J"]
    (inner,) = outer.groups
    assert sorted(ids(g, inner.members)) == ["u", "v"]
    assert outer.all_keys() == frozenset(keys(g, "u", "v", "J"))
    assert outer.count() == 3
    # Grouping u alone happens inside "inner", where u is.
    groups, path = grouped(g.groups, keys(g, "u"), "just u")
    assert path == (0, 0, 0)
    assert group_at(groups, path).members == tuple(keys(g, "u"))
    assert group_at(groups, (0, 0)).members == tuple(keys(g, "v"))


def test_grouped_refuses_a_selection_that_cuts_a_group(nested):
    g = nested
    with pytest.raises(core.GraphError, match="part of the group 'outer'"):
        grouped(g.groups, keys(g, "u", "a"), "cut")
    with pytest.raises(core.GraphError, match="part of the group 'inner'"):
        grouped(g.groups, keys(g, "u", "J"), "cut")
    with pytest.raises(core.GraphError, match="select the nodes"):
        grouped(g.groups, [], "nothing")
    with pytest.raises(core.GraphError, match="empty"):
        grouped(g.groups, keys(g, "a"), "   ")


def test_ungrouped_moves_members_and_nested_groups_up_one_level(nested):
    g = nested
    lifted = ungrouped(g.groups, (0, 0))  # "inner" goes: u, v join "outer"
    (outer,) = lifted
    assert outer.groups == ()
    assert sorted(ids(g, outer.members)) == ["J", "u", "v"]
    top = ungrouped(g.groups, (0,))  # "outer" goes: "inner" comes to the top
    assert [grp.title for grp in top] == ["inner"]
    assert ungrouped(top, (0,)) == ()
    with pytest.raises(core.GraphError, match="no group"):
        ungrouped(g.groups, (3,))


def test_collapse_title_and_lookups(nested):
    g = nested
    collapsed = with_collapsed(g.groups, (0, 0), True)
    assert group_at(collapsed, (0, 0)).collapsed
    assert not group_at(collapsed, (0,)).collapsed
    assert outer_collapsed(collapsed) == [(0, 0)]
    assert hidden_by(collapsed) == {k: (0, 0) for k in keys(g, "u", "v")}
    # A collapsed group inside a collapsed group: only the outer one shows.
    both = with_collapsed(collapsed, (0,), True)
    assert outer_collapsed(both) == [(0,)]
    retitled = with_title(g.groups, (0, 0), "  b times c  ")
    assert group_at(retitled, (0, 0)).title == "b times c"
    assert find_title(retitled, "B TIMES C") == [(0, 0)]
    assert [path for path, _ in walk(g.groups)] == [(0,), (0, 0)]
    assert owner_of(g.groups) == {
        g.key_of("J"): (0,),
        g.key_of("u"): (0, 0),
        g.key_of("v"): (0, 0),
    }


def test_visible_hides_what_collapsed_groups_hold(nested):
    g = nested
    assert visible(g) == ([n.key for n in g], [])
    g.set_groups(with_collapsed(g.groups, (0,), True))
    shown, boxes = visible(g)
    assert ids(g, shown) == ["a", "b", "c", "three"]
    assert boxes == [(0,)]


def test_boundary_lists_inputs_and_outputs_in_topological_order(nested):
    g = nested
    inputs, outputs = boundary(g, group_at(g.groups, (0, 0)))  # u = b·c, v = a + u
    assert ids(g, inputs) == ["a", "b", "c"] or ids(g, inputs) == ["b", "c", "a"]
    order = g.topological_keys()
    assert inputs == sorted(inputs, key=order.index)
    assert set(ids(g, inputs)) == {"a", "b", "c"}
    assert ids(g, outputs) == ["v"]  # v feeds J, outside "inner"
    inputs, outputs = boundary(g, group_at(g.groups, (0,)))
    assert set(ids(g, inputs)) == {"a", "b", "c", "three"}
    assert ids(g, outputs) == ["J"]  # the output counts as an output
    # Several disjoint groups in one pass agree with one at a time.
    g2 = lecture()
    groups, _ = grouped(g2.groups, keys(g2, "u"), "U")
    groups, _ = grouped(groups, keys(g2, "J", "three"), "end")
    g2.set_groups(groups)
    assert boundaries(g2, g2.groups) == [boundary(g2, grp) for grp in g2.groups]


# ------------------------------------------------------------ graph hooks
def test_set_groups_checks_and_tells_listeners():
    g = lecture()
    heard = []
    g.subscribe(heard.append)
    u, v = keys(g, "u", "v")
    with pytest.raises(core.GraphError, match="no node 99"):
        g.set_groups((Group("x", (99,)),))
    with pytest.raises(core.GraphError, match="at most one group"):
        g.set_groups((Group("x", (u,)), Group("y", (u, v))))
    with pytest.raises(core.GraphError, match="must be text"):
        g.set_groups((Group(3, (u,)),))  # type: ignore[arg-type]
    with pytest.raises(core.GraphError, match="is empty"):
        g.set_groups((Group("x", ()),))
    with pytest.raises(core.GraphError, match="line break"):
        g.set_groups((Group("two\nlines", (u,)),))
    deep = Group("leaf", (u,))
    for _ in range(MAX_DEPTH):
        deep = Group("level", (), (deep,))
    with pytest.raises(core.GraphError, match="nest at most"):
        g.set_groups((deep,))
    assert g.groups == () and heard == []
    g.set_groups([Group(" both ", (u, v))])
    assert g.groups == (Group("both", (u, v)),)
    assert [e.kind for events in heard for e in events] == ["groups_changed"]
    g.set_groups(g.groups)  # no change, no event
    assert len(heard) == 1


def test_groups_changed_is_no_structural_change():
    g = lecture()
    before = g.structure_version
    g.set_groups((Group("u", tuple(keys(g, "u"))),))
    assert g.structure_version == before


def test_a_rename_keeps_the_group_and_the_file_names_the_new_id(nested):
    g = nested
    before = g.groups
    g.rename("u", "product")
    assert g.groups == before
    text = core.dumps(g)
    assert '"members": ["product", "v"]' in text or '"members": ["v", "product"]' in text


def test_removing_a_node_takes_it_out_of_its_group_and_rollback_restores_it(nested):
    g = nested
    before = g.groups
    g.remove_node("v")
    assert ids(g, group_at(g.groups, (0, 0)).members) == ["u"]
    g.remove_node("u")  # "inner" is empty now: it disappears
    assert g.groups == (Group("outer", tuple(keys(g, "J"))),)
    g2 = lecture()
    g2.set_groups(before)
    with pytest.raises(core.GraphError), g2.batch():
        g2.remove_node("u")
        g2.remove_node("J")
        g2.remove_node("no such node")
    assert g2.groups == before


def test_a_copy_keeps_the_groups(nested):
    assert nested.copy().groups == nested.groups


# ------------------------------------------------------------ files
def test_groups_round_trip_through_a_file(nested):
    g = nested
    g.set_groups(with_collapsed(g.groups, (0, 0), True))
    text = core.dumps(g)
    document = json.loads(text)
    assert document["groups"] == groups_record(g.groups, g)
    assert document["groups"][0]["groups"][0] == {
        "title": "inner",
        "members": ids(g, group_at(g.groups, (0, 0)).members),
        "groups": [],
        "collapsed": True,
    }
    again = core.loads(text)
    assert [
        (p, grp.title, ids(again, grp.members), grp.collapsed) for p, grp in walk(again.groups)
    ] == [(p, grp.title, ids(g, grp.members), grp.collapsed) for p, grp in walk(g.groups)]
    assert core.dumps(again) == text


def test_a_file_without_groups_is_unchanged():
    path = core.example_path("lecture")
    with open(path, encoding="utf-8") as stream:
        text = stream.read()
    g = core.loads(text)
    assert g.groups == ()
    assert core.dumps(g) == text
    assert '"groups"' not in text


def _with_groups(groups) -> str:
    document = json.loads(core.dumps(lecture()))
    document["groups"] = groups
    return json.dumps(document)


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        ([{"title": "g", "members": ["nobody"]}], "'nobody' is not a node in this file"),
        (
            [{"title": "g", "members": ["u"]}, {"title": "h", "members": ["u", "v"]}],
            "'u' is in another group already",
        ),
        ([{"title": 5, "members": ["u"]}], "field 'title': a group's title must be text"),
        ([{"title": "", "members": ["u"]}], "title cannot be empty"),
        ([{"title": "g", "members": []}], "the group is empty"),
        ([{"title": "g", "members": "u"}], "field 'members': expected a list"),
        ([{"title": "g", "members": ["u"], "collapsed": "yes"}], "expected true or false"),
        ([{"title": "g", "members": ["u"], "colour": "red"}], "unknown field 'colour'"),
        ({"title": "g"}, "expected a list of groups"),
        (["g"], "expected an object"),
    ],
)
def test_bad_groups_in_a_file_are_refused_in_one_line(groups, message):
    with pytest.raises(core.FileFormatError) as caught:
        core.loads(_with_groups(groups), "bad.dvar")
    text = str(caught.value)
    assert text.startswith("bad.dvar: field 'groups'")
    assert message in text
    assert "\n" not in text


def test_a_nesting_bomb_and_a_flood_of_groups_are_refused():
    bomb: dict = {"title": "leaf", "members": ["u"]}
    for _ in range(200):
        bomb = {"title": "level", "groups": [bomb]}
    with pytest.raises(core.FileFormatError, match=f"nest more than {MAX_DEPTH} deep"):
        core.loads(_with_groups([bomb]), "bomb.dvar")
    flood = [{"title": "g", "members": ["u"]}] * (MAX_GROUPS + 1)
    with pytest.raises(core.FileFormatError, match=f"more than {MAX_GROUPS:,} groups"):
        core.loads(_with_groups(flood), "flood.dvar")


def test_read_groups_names_where_the_fault_is():
    with pytest.raises(core.GraphError, match=r"^here: group 2\.1 \('c'\): field 'members'"):
        read_groups(
            [
                {"title": "a", "members": ["x"]},
                {"title": "b", "groups": [{"title": "c", "members": ["zz"]}]},
            ],
            {"x": 0},
            "here",
        )


def test_the_json_schema_describes_the_same_groups():
    from importlib import resources

    from dvar.core.groups import MAX_TITLE

    schema = json.loads((resources.files("dvar.resources") / "dvar.schema.json").read_text())
    group = schema["$defs"]["group"]
    assert "groups" in schema["properties"]
    written = groups_record((Group("g", (0,)),), lecture())[0]
    assert set(group["properties"]) == set(written)
    assert group["properties"]["title"]["maxLength"] == MAX_TITLE
    assert group["additionalProperties"] is False


# ------------------------------------------------------------ random edits
def _chain(n: int) -> core.Graph:
    g = core.Graph()
    g.add_node("input", "x0", value=1.0)
    for i in range(1, n):
        g.add_node("add", f"x{i}", inputs=[f"x{i - 1}", None])
    g.set_output(f"x{n - 1}")
    return g


_steps = st.lists(
    st.tuples(
        st.sampled_from(["group", "ungroup", "collapse", "remove"]),
        st.lists(st.integers(0, 11), min_size=1, max_size=6),
        st.integers(0, 50),
    ),
    max_size=25,
)


@given(_steps)
def test_random_grouping_keeps_every_rule_and_survives_a_file(steps):
    g = _chain(12)
    for kind, picks, n in steps:
        groups = g.groups
        paths = [path for path, _ in walk(groups)]
        try:
            if kind == "group":
                groups, path = grouped(groups, [k for k in picks if k in g], f"g{n}")
                assert set(group_at(groups, path).all_keys()) >= {k for k in picks if k in g}
            elif kind == "ungroup" and paths:
                groups = ungrouped(groups, paths[n % len(paths)])
            elif kind == "collapse" and paths:
                groups = with_collapsed(groups, paths[n % len(paths)], n % 2 == 0)
            elif kind == "remove" and picks[0] in g:
                g.remove_node(picks[0])
                groups = g.groups
        except core.GraphError as error:
            assert "part of the group" in str(error) or "select the nodes" in str(error)
            continue
        g.set_groups(groups)  # every result is a valid grouping of the graph
        owner = owner_of(g.groups)
        for path, group in walk(g.groups):
            assert group.members or group.groups
            assert all(owner[k] == path for k in group.members)
        assert set(owner) <= {node.key for node in g}
    again = core.loads(core.dumps(g))
    assert [(grp.title, ids(again, grp.members)) for _, grp in walk(again.groups)] == [
        (grp.title, ids(g, grp.members)) for _, grp in walk(g.groups)
    ]


@given(st.lists(st.integers(0, 6), max_size=7))
def test_without_keys_is_removing_the_nodes_one_by_one(gone):
    g = lecture()
    groups, _ = grouped(g.groups, keys(g, "u", "v"), "inner")
    groups, _ = grouped(groups, keys(g, "u", "v", "J"), "outer")
    groups, _ = grouped(groups, keys(g, "a", "b"), "ab")
    g.set_groups(groups)
    expected = without_keys(g.groups, set(gone))
    for key in sorted(set(gone)):
        g.remove_node(key)
    assert g.groups == expected
