/* python/src/pytree.c - trees of arrays for the transforms (see pytree.h). */
#include "pytree.h"

static const char STRICT_MESSAGE[] = "[tree_flatten] The argument should contain only arrays";

/* The leaf that stands for an array in a structure (cmlx_tree_structure). */
static PyObject *sentinel(void) {
    static PyObject *object = NULL;
    if (object == NULL)
        object = PyCapsule_New(&object, "cmlx.core.tree_sentinel", NULL); /* lives as long as the process */
    return object;
}

static int is_container(PyObject *o) { return PyList_Check(o) || PyTuple_Check(o) || PyDict_Check(o); }

/* ---- flatten ------------------------------------------------------------------------------- */

int cmlx_tree_flatten(PyObject *tree, int strict, PyObject *leaves) {
    if (CmlxArray_Check(tree))
        return PyList_Append(leaves, tree);
    if (!is_container(tree)) {
        if (strict) {
            PyErr_SetString(PyExc_ValueError, STRICT_MESSAGE);
            return -1;
        }
        return 0;
    }
    if (Py_EnterRecursiveCall(" while flattening a tree of arrays"))
        return -1;
    int rc = 0;
    if (PyDict_Check(tree)) {
        Py_ssize_t pos = 0;
        PyObject *key, *value;
        while (rc == 0 && PyDict_Next(tree, &pos, &key, &value)) {
            Py_INCREF(value); /* the dict may change under a __hash__/__eq__ of a key */
            rc = cmlx_tree_flatten(value, strict, leaves);
            Py_DECREF(value);
        }
    } else {
        PyObject *items = PySequence_Fast(tree, "tree");
        for (Py_ssize_t i = 0; items && rc == 0 && i < PySequence_Fast_GET_SIZE(items); i++)
            rc = cmlx_tree_flatten(PySequence_Fast_GET_ITEM(items, i), strict, leaves);
        if (!items)
            rc = -1;
        Py_XDECREF(items);
    }
    Py_LeaveRecursiveCall();
    return rc;
}

/* ---- map (copying) -------------------------------------------------------------------------- */

/* A copy of tree where each leaf becomes leaf_fn(ctx, leaf) (a new reference). */
typedef PyObject *(*leaf_fn)(void *ctx, PyObject *leaf);

static PyObject *tree_map(PyObject *tree, leaf_fn fn, void *ctx) {
    if (!is_container(tree))
        return fn(ctx, tree);
    if (Py_EnterRecursiveCall(" while rebuilding a tree of arrays"))
        return NULL;
    PyObject *out = NULL;
    if (PyDict_Check(tree)) {
        out = PyDict_New();
        Py_ssize_t pos = 0;
        PyObject *key, *value;
        while (out && PyDict_Next(tree, &pos, &key, &value)) {
            Py_INCREF(key);
            Py_INCREF(value);
            PyObject *mapped = tree_map(value, fn, ctx);
            if (mapped == NULL || PyDict_SetItem(out, key, mapped) < 0)
                Py_CLEAR(out);
            Py_XDECREF(mapped);
            Py_DECREF(key);
            Py_DECREF(value);
        }
    } else {
        PyObject *items = PySequence_Fast(tree, "tree");
        Py_ssize_t n = items ? PySequence_Fast_GET_SIZE(items) : 0;
        PyObject *list = items ? PyList_New(n) : NULL;
        for (Py_ssize_t i = 0; list && i < n; i++) {
            PyObject *mapped = tree_map(PySequence_Fast_GET_ITEM(items, i), fn, ctx);
            if (mapped == NULL)
                Py_CLEAR(list);
            else
                PyList_SET_ITEM(list, i, mapped);
        }
        Py_XDECREF(items);
        if (list && PyTuple_Check(tree)) {
            out = PyList_AsTuple(list);
            Py_DECREF(list);
        } else {
            out = list;
        }
    }
    Py_LeaveRecursiveCall();
    return out;
}

typedef struct {
    PyObject *values;
    Py_ssize_t *index;
    int match_sentinel; /* replace the sentinel (structures) rather than arrays */
    int others_none;    /* leaves that are not replaced become None */
} fill_ctx;

static PyObject *take_value(fill_ctx *c, PyObject *leaf) {
    int is_slot = c->match_sentinel ? leaf == sentinel() : CmlxArray_Check(leaf);
    if (!is_slot)
        return Py_NewRef(c->others_none ? Py_None : leaf);
    if (*c->index >= PyList_GET_SIZE(c->values)) {
        PyErr_Format(PyExc_RuntimeError, "tree: %zd arrays given for a tree with more array leaves",
                     PyList_GET_SIZE(c->values));
        return NULL;
    }
    return Py_NewRef(PyList_GET_ITEM(c->values, (*c->index)++));
}

static PyObject *take_value_fn(void *ctx, PyObject *leaf) { return take_value(ctx, leaf); }

PyObject *cmlx_tree_unflatten(PyObject *tree, PyObject *values, Py_ssize_t *index) {
    fill_ctx c = {values, index, 0, 0};
    return tree_map(tree, take_value_fn, &c);
}

PyObject *cmlx_tree_unflatten_none(PyObject *tree, PyObject *values, Py_ssize_t *index) {
    fill_ctx c = {values, index, 0, 1};
    return tree_map(tree, take_value_fn, &c);
}

PyObject *cmlx_tree_from_structure(PyObject *structure, PyObject *values, Py_ssize_t *index) {
    fill_ctx c = {values, index, 1, 0};
    return tree_map(structure, take_value_fn, &c);
}

typedef struct {
    PyObject *leaves;
    int strict;
} structure_ctx;

static PyObject *structure_leaf(void *ctx, PyObject *leaf) {
    structure_ctx *c = ctx;
    if (CmlxArray_Check(leaf))
        return PyList_Append(c->leaves, leaf) < 0 ? NULL : Py_NewRef(sentinel());
    if (c->strict) {
        PyErr_SetString(PyExc_ValueError, STRICT_MESSAGE);
        return NULL;
    }
    return Py_NewRef(leaf);
}

PyObject *cmlx_tree_structure(PyObject *tree, int strict, PyObject *leaves) {
    if (sentinel() == NULL)
        return NULL;
    structure_ctx c = {leaves, strict};
    return tree_map(tree, structure_leaf, &c);
}

/* ---- in place (value_and_grad) ----------------------------------------------------------------- */

/* Visit tree updating it in place: list items and dict values are replaced by
 * update(leaf) for array leaves; tuples are rebuilt. Returns the new node. */
static PyObject *update_in_place(PyObject *tree, leaf_fn update, void *ctx) {
    if (CmlxArray_Check(tree))
        return update(ctx, tree);
    if (!is_container(tree))
        return Py_NewRef(tree);
    if (Py_EnterRecursiveCall(" while filling a tree of arrays"))
        return NULL;
    PyObject *out = NULL;
    if (PyList_Check(tree)) {
        out = Py_NewRef(tree);
        for (Py_ssize_t i = 0; out && i < PyList_GET_SIZE(tree); i++) {
            PyObject *item = Py_NewRef(PyList_GET_ITEM(tree, i));
            PyObject *updated = update_in_place(item, update, ctx);
            Py_DECREF(item);
            if (updated == NULL)
                Py_CLEAR(out);
            else if (i >= PyList_GET_SIZE(tree)) /* the list shrank under a callback */
                Py_DECREF(updated);
            else if (PyList_SetItem(tree, i, updated) < 0) /* steals updated */
                Py_CLEAR(out);
        }
    } else if (PyDict_Check(tree)) {
        out = Py_NewRef(tree);
        PyObject *keys = PyDict_Keys(tree); /* a snapshot: the walk only rewrites values */
        for (Py_ssize_t i = 0; out && keys && i < PyList_GET_SIZE(keys); i++) {
            PyObject *key = PyList_GET_ITEM(keys, i);
            PyObject *value = PyDict_GetItemWithError(tree, key);
            if (value == NULL) {
                if (PyErr_Occurred())
                    Py_CLEAR(out);
                continue;
            }
            Py_INCREF(value);
            PyObject *updated = update_in_place(value, update, ctx);
            Py_DECREF(value);
            if (updated == NULL || PyDict_SetItem(tree, key, updated) < 0)
                Py_CLEAR(out);
            Py_XDECREF(updated);
        }
        if (keys == NULL)
            Py_CLEAR(out);
        Py_XDECREF(keys);
    } else { /* tuple: immutable, rebuilt */
        Py_ssize_t n = PyTuple_GET_SIZE(tree);
        out = PyTuple_New(n);
        for (Py_ssize_t i = 0; out && i < n; i++) {
            PyObject *updated = update_in_place(PyTuple_GET_ITEM(tree, i), update, ctx);
            if (updated == NULL)
                Py_CLEAR(out);
            else
                PyTuple_SET_ITEM(out, i, updated);
        }
    }
    Py_LeaveRecursiveCall();
    return out;
}

PyObject *cmlx_tree_fill(PyObject *tree, PyObject *values, Py_ssize_t *index) {
    fill_ctx c = {values, index, 0, 0};
    return update_in_place(tree, take_value_fn, &c);
}

/* tracer identity -> original */
static PyObject *restore_leaf(void *ctx, PyObject *leaf) {
    PyObject *key = PyLong_FromVoidPtr(leaf);
    if (key == NULL)
        return NULL;
    PyObject *original = PyDict_GetItemWithError(ctx, key);
    Py_DECREF(key);
    if (original == NULL && PyErr_Occurred())
        return NULL;
    return Py_NewRef(original ? original : leaf);
}

PyObject *cmlx_tree_restore(PyObject *tree, PyObject *tracers, PyObject *originals) {
    PyObject *map = PyDict_New();
    for (Py_ssize_t i = 0; map && i < PyList_GET_SIZE(tracers) && i < PyList_GET_SIZE(originals); i++) {
        PyObject *key = PyLong_FromVoidPtr(PyList_GET_ITEM(tracers, i));
        if (key == NULL || PyDict_SetItem(map, key, PyList_GET_ITEM(originals, i)) < 0)
            Py_CLEAR(map);
        Py_XDECREF(key);
    }
    if (map == NULL)
        return NULL;
    PyObject *out = update_in_place(tree, restore_leaf, map);
    Py_DECREF(map);
    return out;
}

/* ---- two trees ----------------------------------------------------------------------------------- */

static const char PREFIX_MESSAGE[] = "[tree_map] Additional input tree is not a valid prefix of the first tree.";

int cmlx_tree_visit_prefix(PyObject *tree, PyObject *prefix, cmlx_tree_visitor visit, void *ctx) {
    if (!is_container(tree))
        return visit(ctx, tree, prefix);
    /* the prefix descends with the tree when it is a container; it must be the same kind and size */
    int prefix_descends = is_container(prefix);
    if (prefix_descends) {
        int same_kind = (PyList_Check(tree) && PyList_Check(prefix)) ||
                        (PyTuple_Check(tree) && PyTuple_Check(prefix)) || (PyDict_Check(tree) && PyDict_Check(prefix));
        if (!same_kind || PyObject_Length(tree) != PyObject_Length(prefix)) {
            PyErr_SetString(PyExc_ValueError, PREFIX_MESSAGE);
            return -1;
        }
    }
    if (Py_EnterRecursiveCall(" while walking a tree of arrays"))
        return -1;
    int rc = 0;
    if (PyDict_Check(tree)) {
        PyObject *items = PyDict_Items(tree);
        for (Py_ssize_t i = 0; items && rc == 0 && i < PyList_GET_SIZE(items); i++) {
            PyObject *item = PyList_GET_ITEM(items, i);
            PyObject *sub = prefix;
            if (prefix_descends) {
                sub = PyDict_GetItemWithError(prefix, PyTuple_GET_ITEM(item, 0));
                if (sub == NULL) {
                    if (!PyErr_Occurred())
                        PyErr_SetString(PyExc_ValueError,
                                        "[tree_visit] Tree is not a valid prefix tree of the first tree.");
                    rc = -1;
                    break;
                }
            }
            Py_INCREF(sub);
            rc = cmlx_tree_visit_prefix(PyTuple_GET_ITEM(item, 1), sub, visit, ctx);
            Py_DECREF(sub);
        }
        if (items == NULL)
            rc = -1;
        Py_XDECREF(items);
    } else {
        PyObject *items = PySequence_Fast(tree, "tree");
        PyObject *subs = items && prefix_descends ? PySequence_Fast(prefix, "tree") : NULL;
        if (items == NULL || (prefix_descends && subs == NULL))
            rc = -1;
        for (Py_ssize_t i = 0; rc == 0 && i < PySequence_Fast_GET_SIZE(items); i++)
            rc = cmlx_tree_visit_prefix(PySequence_Fast_GET_ITEM(items, i),
                                        prefix_descends ? PySequence_Fast_GET_ITEM(subs, i) : prefix, visit, ctx);
        Py_XDECREF(items);
        Py_XDECREF(subs);
    }
    Py_LeaveRecursiveCall();
    return rc;
}
