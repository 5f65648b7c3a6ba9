"""cmlx.utils against mlx.utils: the same trees give the same results (structure,
names, order, types), including named tuples, is_leaf, prefixes and errors."""
from collections import namedtuple

import pytest

import cmlx.utils as cu
import mlx.utils as mu

Point = namedtuple("Point", "x y")

TREES = [
    0,
    [],
    {},
    [[[0]]],
    {"a": {"b": 1}, "c": [2, 3, (4, 5)]},
    {"model": [{"w": 0, "b": 1}, {"w": 2, "b": 3}]},
    (1, [2, {"x": 3}], Point(4, 5)),
    {"z": 1, "a": 2, "m": {"k": [], "j": {}}},
    [None, "s", 1.5],
]


@pytest.mark.parametrize("tree", TREES)
def test_tree_map_and_flatten(tree):
    def fn(x):
        return (x, "leaf")

    assert cu.tree_map(fn, tree) == mu.tree_map(fn, tree)
    assert type(cu.tree_map(fn, tree)) is type(mu.tree_map(fn, tree))
    assert cu.tree_flatten(tree) == mu.tree_flatten(tree)
    assert cu.tree_flatten(tree, prefix=".p") == mu.tree_flatten(tree, prefix=".p")
    assert cu.tree_flatten(tree, destination={}) == mu.tree_flatten(tree, destination={})
    paths = []
    cu.tree_map_with_path(lambda p, x: paths.append(p), tree)
    ref_paths = []
    mu.tree_map_with_path(lambda p, x: ref_paths.append(p), tree)
    assert paths == ref_paths
    assert cu.tree_map_with_path(lambda p, x: p, tree, path="root") == \
        mu.tree_map_with_path(lambda p, x: p, tree, path="root")


@pytest.mark.parametrize("tree", TREES)
def test_tree_reduce(tree):
    def add(acc, x):
        return acc + [x]

    assert cu.tree_reduce(add, tree, []) == mu.tree_reduce(add, tree, [])
    assert cu.tree_reduce(lambda a, b: (a, b), tree) == mu.tree_reduce(lambda a, b: (a, b), tree)


def test_tree_map_rest_and_is_leaf():
    a = {"x": [1, 2], "y": {"z": 3}}
    b = {"x": [10, 20], "y": {"z": 30}, "extra": 0}
    assert cu.tree_map(lambda u, v: u + v, a, b) == mu.tree_map(lambda u, v: u + v, a, b)

    def is_leaf(x):
        return isinstance(x, list)

    def size(x):
        return len(x) if isinstance(x, list) else x

    assert cu.tree_map(size, a, is_leaf=is_leaf) == mu.tree_map(size, a, is_leaf=is_leaf)
    assert cu.tree_flatten(a, is_leaf=is_leaf) == mu.tree_flatten(a, is_leaf=is_leaf)
    assert cu.tree_reduce(lambda s, x: s + size(x), a, 0, is_leaf=is_leaf) == \
        mu.tree_reduce(lambda s, x: s + size(x), a, 0, is_leaf=is_leaf)


@pytest.mark.parametrize("flat", [
    [("hello.world", 42)],
    {"hello.world": 42},
    [("", 7)],
    [],
    [("a.0", 1), ("a.2", 2), ("b.c", 3)],
    [("1", "x"), ("01", "y")],
    [("0.1.x", 1), ("0.0", 2), ("1", 3)],
])
def test_tree_unflatten(flat):
    assert cu.tree_unflatten(flat) == mu.tree_unflatten(flat)


@pytest.mark.parametrize("tree", TREES)
def test_roundtrip(tree):
    assert cu.tree_unflatten(cu.tree_flatten(tree)) == mu.tree_unflatten(mu.tree_flatten(tree))


@pytest.mark.parametrize("a,b", [
    ({"a": 1}, {"b": 2}),
    ({"a": {"x": 1}}, {"a": {"y": 2}, "c": [1]}),
    ([1, {}], [{}, 2, 3]),
    ({}, {}),
    ([], []),
    ((), {"a": 1}),
    (Point({}, 2), Point(1, {})),
])
def test_tree_merge(a, b):
    assert cu.tree_merge(a, b) == mu.tree_merge(a, b)


def test_tree_merge_errors():
    for lib in (cu, mu):
        with pytest.raises(ValueError, match="merge"):
            lib.tree_merge({"a": 1}, {"a": 2})
        with pytest.raises(ValueError, match="Cannot merge"):
            lib.tree_merge([], {})
        assert lib.tree_merge({"a": 1}, {"a": 2}, lambda x, y: x + y) == {"a": 3}
    with pytest.raises(ValueError, match="Destination"):
        cu.tree_flatten([1], destination=set())


def test_module_exports_match():
    public = {n for n in dir(mu) if n.startswith("tree_")}
    assert public <= set(dir(cu))
