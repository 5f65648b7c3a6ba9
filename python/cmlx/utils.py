"""Python-tree helpers (cmlx.utils), the counterpart of mlx.utils.

A "tree" is any nesting of lists, tuples (named tuples included) and dicts;
everything else is a leaf. Traversal order is the container's own order
(list index order, dict insertion order), as in MLX, so flattened names and
the order of leaves are the same as MLX's.
"""
from collections import defaultdict
from itertools import zip_longest
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

__all__ = ["tree_map", "tree_map_with_path", "tree_flatten", "tree_unflatten", "tree_reduce",
           "tree_merge"]


def _rebuild(tree, children):
    """A container of tree's type holding children (named tuples take positional fields)."""
    kind = type(tree)
    return kind(*children) if hasattr(tree, "_fields") else kind(children)


def tree_map(fn: Callable, tree: Any, *rest: Any, is_leaf: Optional[Callable] = None) -> Any:
    """Apply fn to every leaf of tree (and the matching leaves of each tree in rest,
    which must have at least tree's structure); returns a tree of the results."""
    if is_leaf is not None and is_leaf(tree):
        return fn(tree, *rest)
    if isinstance(tree, (list, tuple)):
        return _rebuild(tree, [tree_map(fn, child, *(r[i] for r in rest), is_leaf=is_leaf)
                               for i, child in enumerate(tree)])
    if isinstance(tree, dict):
        return {key: tree_map(fn, child, *(r[key] for r in rest), is_leaf=is_leaf)
                for key, child in tree.items()}
    return fn(tree, *rest)


def tree_map_with_path(fn: Callable, tree: Any, *rest: Any, is_leaf: Optional[Callable] = None,
                       path: Optional[Any] = None) -> Any:
    """Like tree_map, but fn receives the dotted path of each leaf first
    ("model.0.w"); path is a prefix for those names."""
    if is_leaf is not None and is_leaf(tree):
        return fn(path, tree, *rest)
    if isinstance(tree, (list, tuple, dict)):
        prefix = f"{path}." if path else ""
        if isinstance(tree, dict):
            return {key: tree_map_with_path(fn, child, *(r[key] for r in rest), is_leaf=is_leaf,
                                            path=f"{prefix}{key}")
                    for key, child in tree.items()}
        return _rebuild(tree, [tree_map_with_path(fn, child, *(r[i] for r in rest), is_leaf=is_leaf,
                                                  path=f"{prefix}{i}")
                               for i, child in enumerate(tree)])
    return fn(path, tree, *rest)


def tree_flatten(tree: Any, prefix: str = "", is_leaf: Optional[Callable] = None,
                 destination: Optional[Union[List[Tuple[str, Any]], Dict[str, Any]]] = None
                 ) -> Union[List[Tuple[str, Any]], Dict[str, Any]]:
    """Flatten tree to [(dotted_name, leaf), ...] (or into the dict destination).
    The first character of prefix is dropped, as in MLX: prefix=".a" names "a.0"."""
    if destination is None:
        destination = []
    if isinstance(destination, list):
        add = destination.append
    elif isinstance(destination, dict):
        def add(item):
            destination[item[0]] = item[1]
    else:
        raise ValueError("Destination should be either a list or a dictionary or None")

    def walk(node, name):
        if is_leaf is not None and is_leaf(node):
            add((name[1:], node))
        elif isinstance(node, (list, tuple)):
            for i, child in enumerate(node):
                walk(child, f"{name}.{i}")
        elif isinstance(node, dict):
            for key, child in node.items():
                walk(child, f"{name}.{key}")
        else:
            add((name[1:], node))

    walk(tree, prefix)
    return destination


def tree_unflatten(tree: Union[List[Tuple[str, Any]], Dict[str, Any]]) -> Any:
    """Rebuild a tree from its flat form (a list of (dotted_name, leaf) or a dict).
    A level whose keys are all integers becomes a list (gaps filled with {})."""
    items = list(tree.items()) if isinstance(tree, dict) else list(tree)
    if len(items) == 1 and items[0][0] == "":
        return items[0][1]

    groups = defaultdict(list)
    for name, value in items:
        head, _, tail = name.partition(".")
        groups[head].append((tail, value))

    try:
        indices = {int(head): head for head in groups}
        as_list = len(indices) == len(groups)  # "01" and "1" must not collapse into one slot
    except ValueError:
        as_list = False

    if not as_list:
        return {head: tree_unflatten(sub) for head, sub in groups.items()}
    result = []
    for index, head in sorted(indices.items()):
        while len(result) < index:
            result.append({})
        result.append(tree_unflatten(groups[head]))
    return result


def tree_reduce(fn, tree, initializer=None, is_leaf=None):
    """Fold fn(accumulator, leaf) over the leaves of tree; without initializer the
    first leaf starts the accumulation."""
    if is_leaf is not None and is_leaf(tree):
        return tree if initializer is None else fn(initializer, tree)
    if isinstance(tree, (list, tuple, dict)):
        accumulator = initializer
        for child in (tree.values() if isinstance(tree, dict) else tree):
            accumulator = tree_reduce(fn, child, accumulator, is_leaf)
        return accumulator
    return tree if initializer is None else fn(initializer, tree)


def tree_merge(tree_a, tree_b, merge_fn=None):
    """Deep-merge two trees (a recursive dict.update); empty containers count as
    absent subtrees; leaves present in both are combined with merge_fn."""
    def is_empty(t):
        return isinstance(t, (dict, list, tuple)) and len(t) == 0

    if is_empty(tree_a) and is_empty(tree_b):
        if type(tree_a) is not type(tree_b):
            raise ValueError(f"Cannot merge {type(tree_a).__name__} with {type(tree_b).__name__}")
        return type(tree_a)()
    a = None if is_empty(tree_a) else tree_a
    b = None if is_empty(tree_b) else tree_b
    if a is None:
        return b
    if b is None:
        return a
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return _rebuild(a, [tree_merge(x, y, merge_fn) for x, y in zip_longest(a, b)])
    if isinstance(a, dict) and isinstance(b, dict):
        return {key: tree_merge(a.get(key), b.get(key), merge_fn) for key in set(a) | set(b)}
    if merge_fn is None:
        raise ValueError("Trees contain elements at the same locations but no merge function was "
                         "provided")
    return merge_fn(a, b)
