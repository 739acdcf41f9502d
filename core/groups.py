"""Groups: named sets of nodes that the canvas can collapse into one box.

A graph holds its groups as a tuple of :class:`Group` values (``Graph.groups``),
each naming its nodes by key, so a rename changes nothing here.  Groups nest; a
node is a *member* of at most one group (the innermost one holding it).  A group
is found by its :data:`GroupPath`, the index path from ``Graph.groups``: ``(2,)``
is ``graph.groups[2]``, ``(2, 0)`` its first nested group.

Everything here is a pure function of immutable values: an edit builds a new
tuple and hands it to ``Graph.set_groups`` (through the document's ``SetGroups``
command), which checks it, tells the listeners (``groups_changed``) and journals
it, so undo and a rolled-back batch restore it.  Removing a node takes it out of
its group in the same batch (an empty group disappears).

In a ``.dvar`` file the groups are the optional top-level list ``groups``, each
``{"title", "members": [id, ...], "groups": [nested, ...], "collapsed": bool}``
(docs/file-format.md).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dvar.core.node import GraphError

if TYPE_CHECKING:
    from dvar.core.graph import Graph

#: A title is plain text of 1 to MAX_TITLE characters (after stripping spaces).
MAX_TITLE = 200
#: Groups nest at most this deep (a file cannot make the reader recurse far).
MAX_DEPTH = 32
#: A graph holds at most this many groups, nested ones included.
MAX_GROUPS = 50_000

GroupPath = tuple[int, ...]


@dataclass(frozen=True)
class Group:
    """A titled set of nodes: ``members`` directly in it, ``groups`` nested in it."""

    title: str
    members: tuple[int, ...]
    groups: tuple[Group, ...] = ()
    collapsed: bool = False

    def all_keys(self) -> frozenset[int]:
        """The members, and every member of every nested group."""
        cached = self.__dict__.get("_all_keys")
        if cached is None:
            keys = set(self.members)
            stack = list(self.groups)
            while stack:
                group = stack.pop()
                keys.update(group.members)
                stack.extend(group.groups)
            cached = frozenset(keys)
            self.__dict__["_all_keys"] = cached  # frozen, but a cache may be kept
        return cached

    def count(self) -> int:
        """How many nodes are inside, nested groups included."""
        return len(self.all_keys())


# ------------------------------------------------------------------ checking
def check_title(title: object) -> str:
    """A group title, stripped; GraphError unless it is 1..MAX_TITLE characters of
    plain text on one line."""
    if not isinstance(title, str):
        raise GraphError(f"a group's title must be text, not {type(title).__name__}")
    text = title.strip()
    if not text:
        raise GraphError("a group's title cannot be empty")
    if len(text) > MAX_TITLE:
        raise GraphError(f"a group's title has at most {MAX_TITLE} characters")
    if not text.isprintable():
        raise GraphError(f"the group title {text[:40]!r} holds a line break or control character")
    return text


def check_groups(groups: object, exists: Any) -> tuple[Group, ...]:
    """``groups`` as a tuple of checked Groups (titles stripped); GraphError naming the
    first fault.  ``exists(key)`` says whether a node key is in the graph."""
    if not isinstance(groups, tuple | list):
        raise GraphError("groups must be a list of groups")
    seen: dict[int, str] = {}
    count = 0

    def check(group: object, depth: int) -> Group:
        nonlocal count
        if not isinstance(group, Group):
            raise GraphError(f"expected a group, found {type(group).__name__}")
        count += 1
        if count > MAX_GROUPS:
            raise GraphError(f"a graph holds at most {MAX_GROUPS:,} groups")
        if depth > MAX_DEPTH:
            raise GraphError(f"groups nest at most {MAX_DEPTH} deep")
        title = check_title(group.title)
        if not isinstance(group.collapsed, bool):
            raise GraphError(f"group {title!r}: collapsed must be true or false")
        if not isinstance(group.members, tuple) or not isinstance(group.groups, tuple):
            raise GraphError(f"group {title!r}: members and groups must be tuples")
        for key in group.members:
            if isinstance(key, bool) or not isinstance(key, int) or not exists(key):
                raise GraphError(f"group {title!r}: there is no node {key!r}")
            if key in seen:
                raise GraphError(
                    f"group {title!r}: a node is already in group {seen[key]!r}; "
                    "a node belongs to at most one group"
                )
            seen[key] = title
        nested = tuple(check(child, depth + 1) for child in group.groups)
        if not group.members and not nested:
            raise GraphError(f"group {title!r} is empty")
        if title == group.title and nested == group.groups:
            return group
        return Group(title, group.members, nested, group.collapsed)

    return tuple(check(group, 1) for group in groups)


# ------------------------------------------------------------------ queries
def group_at(groups: tuple[Group, ...], path: GroupPath) -> Group:
    """The group at ``path``; GraphError if there is none."""
    if not path:
        raise GraphError("there is no group at the top level itself")
    level = groups
    group = None
    for index in path:
        if not isinstance(index, int) or not 0 <= index < len(level):
            raise GraphError(f"there is no group at {tuple(path)!r}")
        group = level[index]
        level = group.groups
    assert group is not None
    return group


def walk(groups: tuple[Group, ...]) -> Iterator[tuple[GroupPath, Group]]:
    """Every group with its path, parents before their nested groups, in file order."""
    stack: list[tuple[GroupPath, Group]] = [((i,), g) for i, g in enumerate(groups)]
    stack.reverse()
    while stack:
        path, group = stack.pop()
        yield path, group
        stack.extend(((*path, i), g) for i, g in reversed(list(enumerate(group.groups))))


def owner_of(groups: tuple[Group, ...]) -> dict[int, GroupPath]:
    """The innermost group of each grouped node key."""
    owner: dict[int, GroupPath] = {}
    for path, group in walk(groups):
        for key in group.members:
            owner[key] = path
    return owner


def hidden_by(groups: tuple[Group, ...]) -> dict[int, GroupPath]:
    """Each node inside a collapsed group, with the outermost collapsed group that hides it."""
    hidden: dict[int, GroupPath] = {}
    for path in outer_collapsed(groups):
        for key in group_at(groups, path).all_keys():
            hidden[key] = path
    return hidden


def outer_collapsed(groups: tuple[Group, ...]) -> list[GroupPath]:
    """The collapsed groups that no collapsed group holds, in file order."""
    out: list[GroupPath] = []
    stack: list[tuple[GroupPath, Group]] = [((i,), g) for i, g in enumerate(groups)]
    stack.reverse()
    while stack:
        path, group = stack.pop()
        if group.collapsed:
            out.append(path)
        else:
            stack.extend(((*path, i), g) for i, g in reversed(list(enumerate(group.groups))))
    return out


def visible(graph: Graph) -> tuple[list[int], list[GroupPath]]:
    """The node keys not hidden inside a collapsed group (in the graph's order), and the
    outermost collapsed groups (drawn as one box each)."""
    groups = graph.groups
    paths = outer_collapsed(groups)
    if not paths:
        return [node.key for node in graph], []
    hidden: set[int] = set()
    for path in paths:
        hidden.update(group_at(groups, path).all_keys())
    return [node.key for node in graph if node.key not in hidden], paths


def boundary(graph: Graph, group: Group) -> tuple[list[int], list[int]]:
    """The group's inputs (nodes outside it that feed a member) and outputs (members
    that feed a node outside it, or are the output J), each in topological order."""
    return boundaries(graph, [group])[0]


def boundaries(graph: Graph, groups: Iterable[Group]) -> list[tuple[list[int], list[int]]]:
    """:func:`boundary` of several groups that share no node, in one pass over the graph."""
    groups = list(groups)
    home: dict[int, int] = {}
    for index, group in enumerate(groups):
        for key in group.all_keys():
            home[key] = index
    inputs: list[set[int]] = [set() for _ in groups]
    outputs: list[set[int]] = [set() for _ in groups]
    get = home.get
    for node in graph:
        where = get(node.key)
        for source in node.inputs:
            if source is None:
                continue
            there = get(source)
            if there == where:
                continue
            if where is not None:
                inputs[where].add(source)
            if there is not None:
                outputs[there].add(source)
    out_key = graph.output_key
    if out_key is not None and out_key in home:
        outputs[home[out_key]].add(out_key)
    rank = graph.ranks.__getitem__  # operands rank below their consumers
    return [
        (sorted(ins, key=rank), sorted(outs, key=rank))
        for ins, outs in zip(inputs, outputs, strict=True)
    ]


def find_title(groups: tuple[Group, ...], title: str) -> list[GroupPath]:
    """The paths of every group with this title (case-insensitive), in file order."""
    wanted = title.strip().casefold()
    return [path for path, group in walk(groups) if group.title.casefold() == wanted]


# ------------------------------------------------------------------ edits
def _replace(groups: tuple[Group, ...], path: GroupPath, make: Any) -> tuple[Group, ...]:
    """``groups`` with the group at ``path`` replaced by the tuple ``make(group)``
    (no group, one, or several in its place)."""
    group_at(groups, path)  # GraphError for a bad path
    index, rest = path[0], path[1:]
    group = groups[index]
    if rest:
        replacement: tuple[Group, ...] = (
            Group(group.title, group.members, _replace(group.groups, rest, make), group.collapsed),
        )
    else:
        replacement = tuple(make(group))
    return groups[:index] + replacement + groups[index + 1 :]


def with_collapsed(
    groups: tuple[Group, ...], path: GroupPath, collapsed: bool
) -> tuple[Group, ...]:
    """``groups`` with the group at ``path`` collapsed (True) or expanded (False)."""
    return _replace(groups, path, lambda g: (Group(g.title, g.members, g.groups, bool(collapsed)),))


def with_title(groups: tuple[Group, ...], path: GroupPath, title: str) -> tuple[Group, ...]:
    """``groups`` with the group at ``path`` given a new title."""
    text = check_title(title)
    return _replace(groups, path, lambda g: (Group(text, g.members, g.groups, g.collapsed),))


def ungrouped(groups: tuple[Group, ...], path: GroupPath) -> tuple[Group, ...]:
    """``groups`` without the group at ``path``: its members and nested groups move up
    one level (to the top, its members are simply no longer grouped)."""
    group = group_at(groups, path)
    if len(path) == 1:
        index = path[0]
        return groups[:index] + group.groups + groups[index + 1 :]
    parent_path, index = path[:-1], path[-1]

    def lift(parent: Group) -> tuple[Group, ...]:
        children = parent.groups[:index] + group.groups + parent.groups[index + 1 :]
        return (Group(parent.title, parent.members + group.members, children, parent.collapsed),)

    return _replace(groups, parent_path, lift)


def grouped(
    groups: tuple[Group, ...], keys: Iterable[int], title: str
) -> tuple[tuple[Group, ...], GroupPath]:
    """A new group of ``keys``, made at the innermost level holding all of them; groups
    wholly inside the selection become its nested groups.  Returns the new groups and
    the new group's path.  GraphError if the selection takes part of a group."""
    text = check_title(title)
    wanted = set(keys)
    if not wanted:
        raise GraphError("select the nodes to group first")
    owner = owner_of(groups)
    level: GroupPath | None = None
    for key in wanted:
        path = owner.get(key, ())
        if level is None:
            level = path
        else:
            n = 0
            while n < len(level) and n < len(path) and level[n] == path[n]:
                n += 1
            level = level[:n]
    assert level is not None
    # Walk down while a single nested group at this level holds the whole selection.
    siblings = groups if not level else group_at(groups, level).groups
    here_members = (
        [k for k in wanted if k not in owner]
        if not level
        else [k for k in group_at(groups, level).members if k in wanted]
    )
    taken: list[int] = []
    for index, child in enumerate(siblings):
        inside = child.all_keys()
        common = len(inside & wanted)
        if common == len(inside):
            taken.append(index)
        elif common:
            raise GraphError(
                f"the selection takes part of the group {child.title!r}: "
                "select all of it or none of it"
            )
    members = tuple(sorted(here_members))
    nested = tuple(siblings[i] for i in taken)
    new = Group(text, members, nested, False)
    at = taken[0] if taken else len(siblings)
    kept = [g for i, g in enumerate(siblings) if i not in set(taken)]
    kept.insert(at, new)
    kept_tuple = tuple(kept)
    if not level:
        return kept_tuple, (at,)

    def put(parent: Group) -> tuple[Group, ...]:
        left = tuple(k for k in parent.members if k not in wanted)
        return (Group(parent.title, left, kept_tuple, parent.collapsed),)

    return _replace(groups, level, put), (*level, at)


def without_key(
    groups: tuple[Group, ...], path: GroupPath, key: int
) -> tuple[tuple[Group, ...], bool]:
    """``groups`` with ``key`` taken out of the group at ``path``; a group left empty
    disappears (and so may its parents).  The flag says whether a group disappeared
    (so other groups' paths may have changed)."""
    vanished = False

    def drop(group: Group, rest: GroupPath) -> tuple[Group, ...]:
        nonlocal vanished
        if rest:
            children = group.groups
            index = rest[0]
            new_children = (
                children[:index] + drop(children[index], rest[1:]) + children[index + 1 :]
            )
            members = group.members
        else:
            new_children = group.groups
            members = tuple(k for k in group.members if k != key)
        if not members and not new_children:
            vanished = True
            return ()
        return (Group(group.title, members, new_children, group.collapsed),)

    index = path[0]
    result = groups[:index] + drop(groups[index], path[1:]) + groups[index + 1 :]
    return result, vanished


def without_keys(groups: tuple[Group, ...], keys: Collection[int]) -> tuple[Group, ...]:
    """``groups`` with none of ``keys``; groups left empty disappear.  One pass over the
    groups, however many keys go (``without_key`` per key moves other groups' paths
    each time a group disappears)."""

    def drop(level: tuple[Group, ...]) -> tuple[Group, ...]:
        out = []
        for group in level:
            members = tuple(k for k in group.members if k not in keys)
            nested = drop(group.groups) if group.groups else ()
            if members or nested:
                same = len(members) == len(group.members) and nested == group.groups
                out.append(group if same else Group(group.title, members, nested, group.collapsed))
        return tuple(out)

    return drop(groups)


# ------------------------------------------------------------------ files
def read_groups(
    records: Any, ids_to_keys: Mapping[str, int], where: str = "groups"
) -> tuple[Group, ...]:
    """Groups from a file's ``groups`` list (members named by id); GraphError with one
    line naming the fault (``where`` starts it)."""
    if not isinstance(records, list):
        raise GraphError(f"{where}: expected a list of groups, found {type(records).__name__}")
    if _too_many(records):
        raise GraphError(f"{where}: more than {MAX_GROUPS:,} groups; refusing")
    seen: set[int] = set()
    count = 0

    def read(record: Any, number: str) -> Group:
        """The group numbered ``number`` (``2.1``: the first nested in the second)."""
        nonlocal count
        count += 1
        if count > MAX_GROUPS:
            raise GraphError(f"{where}: more than {MAX_GROUPS:,} groups; refusing")
        at = f"{where}: group {number}"
        if number.count(".") >= MAX_DEPTH:
            raise GraphError(f"{at}: groups nest more than {MAX_DEPTH} deep")
        if not isinstance(record, dict):
            raise GraphError(f"{at}: expected an object, found {type(record).__name__}")
        try:
            title = check_title(record.get("title"))
        except GraphError as error:
            raise GraphError(f"{at}: field 'title': {error}") from None
        at = f"{at} ({title[:40]!r})"
        unknown = set(record) - {"title", "members", "groups", "collapsed"}
        if unknown:
            raise GraphError(f"{at}: unknown field {sorted(unknown)[0]!r}")
        collapsed = record.get("collapsed", False)
        if not isinstance(collapsed, bool):
            raise GraphError(f"{at}: field 'collapsed': expected true or false")
        ids = record.get("members", [])
        if not isinstance(ids, list):
            raise GraphError(f"{at}: field 'members': expected a list of node ids")
        members = []
        for node_id in ids:
            key = ids_to_keys.get(node_id) if isinstance(node_id, str) else None
            if key is None:
                shown = node_id if isinstance(node_id, str) else type(node_id).__name__
                raise GraphError(f"{at}: field 'members': {shown!r} is not a node in this file")
            if key in seen:
                raise GraphError(
                    f"{at}: field 'members': {node_id!r} is in another group already; "
                    "a node belongs to at most one group"
                )
            seen.add(key)
            members.append(key)
        nested_records = record.get("groups", [])
        if not isinstance(nested_records, list):
            raise GraphError(f"{at}: field 'groups': expected a list of groups")
        nested = tuple(read(child, f"{number}.{i + 1}") for i, child in enumerate(nested_records))
        if not members and not nested:
            raise GraphError(f"{at}: the group is empty")
        return Group(title, tuple(members), nested, collapsed)

    return tuple(read(record, str(i + 1)) for i, record in enumerate(records))


def _too_many(records: list) -> bool:
    """Whether the records hold more than MAX_GROUPS groups (counted before reading
    any, nested ones included, without recursion)."""
    count, stack = 0, [records]
    while stack:
        level = stack.pop()
        count += len(level)
        if count > MAX_GROUPS:
            return True
        stack.extend(
            r["groups"] for r in level if isinstance(r, dict) and isinstance(r.get("groups"), list)
        )
    return False


def groups_record(groups: tuple[Group, ...], graph: Graph) -> list[dict[str, Any]]:
    """The groups as a file writes them, members named by id."""
    id_of = graph.id_of

    def record(group: Group) -> dict[str, Any]:
        return {
            "title": group.title,
            "members": [id_of(key) for key in group.members],
            "groups": [record(child) for child in group.groups],
            "collapsed": group.collapsed,
        }

    return [record(group) for group in groups]
