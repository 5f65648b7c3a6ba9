/* python/src/pytree.h - trees of arrays, as mlx.core's Python transforms see
 * them (python/src/trees.cpp in MLX): lists, tuples and dicts nest; every other
 * object is a leaf. Arrays are the leaves a transform traces; other leaves are
 * passed through unchanged, or refused where MLX is strict.
 *
 * Subclasses of list/tuple/dict count as containers and are rebuilt as plain
 * list/tuple/dict (as MLX does). Dicts are walked in iteration order. Every
 * function needs the GIL and returns NULL / -1 with a Python exception set on
 * failure. */
#ifndef CMLX_PYTREE_H
#define CMLX_PYTREE_H

#include "cmlx_py.h"

/* Append every array leaf of `tree` (new references) to the list `leaves`.
 * strict: another leaf is ValueError("[tree_flatten] The argument should
 * contain only arrays"), as MLX's tree_flatten(tree, strict=true). */
int cmlx_tree_flatten(PyObject *tree, int strict, PyObject *leaves);

/* A copy of `tree` whose array leaves are, in order, values[*index], ...;
 * *index advances past the values used. Other leaves are shared. */
PyObject *cmlx_tree_unflatten(PyObject *tree, PyObject *values, Py_ssize_t *index);

/* As cmlx_tree_unflatten, and every leaf that is not an array becomes None
 * (the tangent and axis trees MLX gives a custom_function's jvp and vmap). */
PyObject *cmlx_tree_unflatten_none(PyObject *tree, PyObject *values, Py_ssize_t *index);

/* The structure of `tree`: a copy with every array leaf replaced by a private
 * sentinel, the arrays appended to `leaves` (strict as cmlx_tree_flatten). */
PyObject *cmlx_tree_structure(PyObject *tree, int strict, PyObject *leaves);
/* The inverse: the sentinels of `structure` replaced by values[*index], ... */
PyObject *cmlx_tree_from_structure(PyObject *structure, PyObject *values, Py_ssize_t *index);

/* MLX's value_and_grad hands the traced arrays to the function *in place*:
 * the array leaves of lists and dicts are overwritten (so a function that
 * reads a captured alias of its argument sees the tracers), tuples are
 * rebuilt. cmlx_tree_fill returns the filled tree (the same object for a
 * list or dict, a new tuple, values[*index] for an array leaf).
 * cmlx_tree_restore puts back `originals[i]` wherever tracers[i] still sits
 * (a leaf the function overwrote keeps what it wrote), rebuilding tuples. */
PyObject *cmlx_tree_fill(PyObject *tree, PyObject *values, Py_ssize_t *index);
PyObject *cmlx_tree_restore(PyObject *tree, PyObject *tracers, PyObject *originals);

/* Walk `tree` with a prefix tree `prefix` beside it (MLX's two-tree
 * tree_visit): where the prefix is a container it must match the tree's kind
 * and length (dicts: the same keys); where it is a leaf, that leaf applies to
 * the whole subtree. visit(ctx, leaf_of_tree, prefix_leaf) is called for every
 * leaf of `tree`; it returns 0, or -1 with an exception set. */
typedef int (*cmlx_tree_visitor)(void *ctx, PyObject *leaf, PyObject *prefix_leaf);
int cmlx_tree_visit_prefix(PyObject *tree, PyObject *prefix, cmlx_tree_visitor visit, void *ctx);

#endif
