/* python/src/transforms.c - mlx.core's function transforms on cmlx's C API
 * (cmlx/transforms.h): grad, value_and_grad, vjp, jvp, vmap, checkpoint and
 * the custom_function decorator, with MLX 0.32's signatures, return
 * structures and error messages (docs/python-transforms.md).
 *
 * A Python function becomes an mx_closure whose fn calls back into Python:
 * the inputs (trace arrays) are wrapped as Python arrays and put into the
 * argument trees (pytree.c), the function is called, and its result is
 * flattened into the output list. A Python exception raised inside is kept in
 * a per-thread slot and the closure returns an error status; the transform's
 * call site re-raises the very same exception object. Closure fns and
 * payload destructors take the GIL themselves, so a closure released by the C
 * library while the GIL is free (a custom function's node freed inside eval)
 * is safe. */
#include <stdlib.h>
#include <string.h>

#include "pytree.h"

/* Transforms still landing in libcmlx: weak, so the module imports without
 * them; calling one that is missing raises RuntimeError (see require()). */
#pragma weak mx_jvp
#pragma weak mx_value_and_grad
#pragma weak mx_vmap
#pragma weak mx_custom_function
#pragma weak mx_checkpoint

static int require(int present, const char *name) {
    if (present)
        return 0;
    PyErr_Format(PyExc_RuntimeError, "%s is not in this build of libcmlx yet", name);
    return -1;
}

/* ---- Python exceptions across the C library ---------------------------------------------------- */

/* The exception a closure raised, until its transform's call site re-raises it. */
static _Thread_local PyObject *pending_type, *pending_value, *pending_traceback;

static void drop_pending(void) {
    Py_CLEAR(pending_type);
    Py_CLEAR(pending_value);
    Py_CLEAR(pending_traceback);
}

/* Move the current Python exception into the slot; the status the closure
 * returns (the C library reports it if nothing re-raises the exception). */
static mx_status stash_exception(void) {
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    drop_pending();
    pending_type = type;
    pending_value = value;
    pending_traceback = traceback;
    if (type == NULL)
        return MX_ERROR_INTERNAL;
    if (PyErr_GivenExceptionMatches(type, PyExc_ValueError))
        return MX_ERROR_VALUE;
    if (PyErr_GivenExceptionMatches(type, PyExc_TypeError))
        return MX_ERROR_TYPE;
    if (PyErr_GivenExceptionMatches(type, PyExc_IndexError))
        return MX_ERROR_INDEX;
    if (PyErr_GivenExceptionMatches(type, PyExc_MemoryError))
        return MX_ERROR_MEMORY;
    return MX_ERROR_INTERNAL;
}

/* A transform failed with `status`: re-raise the closure's exception if one
 * is waiting, else the C library's error. Returns NULL. */
static PyObject *raise_failure(mx_status status) {
    if (pending_type != NULL) {
        PyErr_Restore(pending_type, pending_value, pending_traceback);
        pending_type = pending_value = pending_traceback = NULL;
        mx_clear_error();
        return NULL;
    }
    return cmlx_raise(status);
}

/* ---- small helpers --------------------------------------------------------------------------------- */

/* nanobind's name of a type: "int", "function", "cmlx.core.array". */
static PyObject *type_name(PyObject *o) {
    PyTypeObject *t = Py_TYPE(o);
    PyObject *qualname = PyObject_GetAttrString((PyObject *)t, "__qualname__");
    PyObject *module = qualname ? PyObject_GetAttrString((PyObject *)t, "__module__") : NULL;
    PyObject *out = NULL;
    if (module && PyUnicode_Check(module) && PyUnicode_CompareWithASCIIString(module, "builtins") != 0)
        out = PyUnicode_FromFormat("%U.%U", module, qualname);
    else if (qualname)
        out = Py_NewRef(qualname);
    Py_XDECREF(qualname);
    Py_XDECREF(module);
    if (out == NULL) {
        PyErr_Clear();
        out = PyUnicode_FromString(t->tp_name);
    }
    return out;
}

/* TypeError in nanobind's words, for arguments that match no signature. */
static PyObject *incompatible_arguments(const char *name, const char *signature, PyObject *args, PyObject *kwargs) {
    PyObject *parts = PyList_New(0);
    for (Py_ssize_t i = 0; parts && args && i < PyTuple_GET_SIZE(args); i++) {
        PyObject *n = type_name(PyTuple_GET_ITEM(args, i));
        if (n == NULL || PyList_Append(parts, n) < 0)
            Py_CLEAR(parts);
        Py_XDECREF(n);
    }
    if (parts && kwargs && PyDict_GET_SIZE(kwargs) > 0) {
        PyObject *items = PyList_New(0);
        Py_ssize_t pos = 0;
        PyObject *key, *value;
        while (items && PyDict_Next(kwargs, &pos, &key, &value)) {
            PyObject *n = type_name(value);
            PyObject *item = n ? PyUnicode_FromFormat("%S: %U", key, n) : NULL;
            if (item == NULL || PyList_Append(items, item) < 0)
                Py_CLEAR(items);
            Py_XDECREF(item);
            Py_XDECREF(n);
        }
        PyObject *sep = PyUnicode_FromString(", ");
        PyObject *joined = items && sep ? PyUnicode_Join(sep, items) : NULL;
        PyObject *kw = joined ? PyUnicode_FromFormat("kwargs = { %U }", joined) : NULL;
        if (kw == NULL || PyList_Append(parts, kw) < 0)
            Py_CLEAR(parts);
        Py_XDECREF(kw);
        Py_XDECREF(joined);
        Py_XDECREF(sep);
        Py_XDECREF(items);
    }
    if (parts == NULL)
        return NULL;
    PyObject *sep = PyUnicode_FromString(", ");
    PyObject *joined = sep ? PyUnicode_Join(sep, parts) : NULL;
    if (joined)
        PyErr_Format(PyExc_TypeError,
                     "%s(): incompatible function arguments. The following argument types are supported:\n"
                     "    1. %s\n\nInvoked with types: %U",
                     name, signature, joined);
    Py_XDECREF(joined);
    Py_XDECREF(sep);
    Py_DECREF(parts);
    return NULL;
}

/* "(2,3)", "(3)", "()": MLX's way of printing a shape. */
static void format_shape(mx_array a, char *buf, size_t cap) {
    int nd = mx_ndim(a);
    const int64_t *shape = mx_shape(a);
    size_t len = (size_t)snprintf(buf, cap, "(");
    for (int i = 0; i < nd && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%lld", i ? "," : "", (long long)shape[i]);
    if (len < cap)
        snprintf(buf + len, cap - len, ")");
}

/* Python arrays (new handles) for closure inputs. */
static PyObject *wrap_inputs(const mx_array *inputs, int n) {
    PyObject *list = PyList_New(n);
    for (int i = 0; list && i < n; i++) {
        PyObject *a = cmlx_array_from_handle(mx_retain(inputs[i]));
        if (a == NULL)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, i, a);
    }
    return list;
}

/* Push the arrays of `leaves` (a list of Python arrays) from `start`. */
static mx_status push_leaves(PyObject *leaves, Py_ssize_t start, mx_array_list *outputs) {
    for (Py_ssize_t i = start; i < PyList_GET_SIZE(leaves); i++) {
        mx_status st = mx_array_list_push(outputs, mx_retain(CmlxArray_HANDLE(PyList_GET_ITEM(leaves, i))));
        if (st != MX_OK)
            return st;
    }
    return MX_OK;
}

/* The handles of a list of Python arrays (borrowed: the list keeps them). */
static mx_array *handles_of(PyObject *arrays) {
    Py_ssize_t n = PyList_GET_SIZE(arrays);
    mx_array *h = PyMem_Malloc((size_t)(n ? n : 1) * sizeof *h);
    if (h == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        h[i] = CmlxArray_HANDLE(PyList_GET_ITEM(arrays, i));
    return h;
}

/* Python arrays owning the handles of list[start:] (the list keeps its own). */
static PyObject *list_to_python(const mx_array_list *list, int start, int stop) {
    PyObject *out = PyList_New(stop > start ? stop - start : 0);
    for (int i = start; out && i < stop; i++) {
        PyObject *a = cmlx_array_from_handle(mx_retain(list->items[i]));
        if (a == NULL)
            Py_CLEAR(out);
        else
            PyList_SET_ITEM(out, i - start, a);
    }
    return out;
}

/* Apply closure `f` to the arrays of the Python list `inputs`. */
static mx_status apply_closure(mx_closure f, PyObject *inputs, mx_array_list *outputs) {
    mx_array *h = handles_of(inputs);
    if (h == NULL)
        return stash_exception();
    mx_status st = mx_closure_apply(f, h, (int)PyList_GET_SIZE(inputs), outputs);
    PyMem_Free(h);
    return st;
}

/* A list of cmlx arrays from a Python sequence (mx.vjp/jvp's primals etc.);
 * NULL without an exception when it is not one. */
static PyObject *array_list_arg(PyObject *obj) {
    if (PyUnicode_Check(obj) || PyBytes_Check(obj) || PyDict_Check(obj) ||
        !(PyList_Check(obj) || PyTuple_Check(obj) || CmlxArray_Check(obj) || PySequence_Check(obj)))
        return NULL;
    PyObject *list = PySequence_List(obj);
    if (list == NULL) {
        PyErr_Clear();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); i++)
        if (!CmlxArray_Check(PyList_GET_ITEM(list, i))) {
            Py_DECREF(list);
            return NULL;
        }
    return list;
}

/* Closure payloads are freed by the C library, maybe without the GIL. */
static void release_objects(PyObject **objects, int n) {
    if (!Py_IsInitialized())
        return; /* interpreter gone: nothing left to release into */
    PyGILState_STATE gil = PyGILState_Ensure();
    for (int i = 0; i < n; i++)
        Py_CLEAR(objects[i]);
    PyGILState_Release(gil);
}

/* ---- vjp and jvp: functions of a list of arrays ---------------------------------------------------- */

typedef struct {
    PyObject *fun;
    PyObject *cotangents; /* vjp: the cotangents (a list), to check the outputs against; NULL for jvp */
    const char *tag;      /* "[vjp]" or "[jvp]" */
    int n_outputs;        /* the function's outputs at the last call */
} flat_payload;

static void flat_payload_destroy(void *payload) {
    flat_payload *p = payload;
    PyObject *objects[2] = {p->fun, p->cotangents};
    release_objects(objects, 2);
    free(p);
}

/* vjp/jvp's function result: an array, or a list or tuple of arrays. */
static PyObject *flat_result(PyObject *out, const char *tag) {
    if (CmlxArray_Check(out)) {
        PyObject *list = PyList_New(1);
        if (list)
            PyList_SET_ITEM(list, 0, Py_NewRef(out));
        return list;
    }
    if (PyList_Check(out) || PyTuple_Check(out)) {
        PyObject *list = PySequence_List(out);
        for (Py_ssize_t i = 0; list && i < PyList_GET_SIZE(list); i++)
            if (!CmlxArray_Check(PyList_GET_ITEM(list, i))) {
                PyObject *n = type_name(PyList_GET_ITEM(list, i));
                PyErr_Format(PyExc_RuntimeError,
                             "%s The function should return an array or a list of arrays; but its output %zd is %U.",
                             tag, i, n);
                Py_XDECREF(n);
                Py_CLEAR(list);
            }
        return list;
    }
    PyObject *n = type_name(out);
    PyErr_Format(PyExc_RuntimeError, "%s The function should return an array or a list of arrays; but %U was returned.",
                 tag, n);
    Py_XDECREF(n);
    return NULL;
}

/* vjp's checks, with MLX's messages: one cotangent per output (extra ones
 * are ignored), each of its output's shape. */
static int check_cotangents(flat_payload *p, PyObject *leaves) {
    Py_ssize_t n_out = PyList_GET_SIZE(leaves), n_cot = PyList_GET_SIZE(p->cotangents);
    if (n_out > n_cot) {
        PyErr_Format(
            PyExc_ValueError,
            "[vjp] Number of outputs to compute gradients for (%zd) does not match number of cotangents (%zd).", n_out,
            n_cot);
        return -1;
    }
    for (Py_ssize_t k = 0; k < n_out; k++) {
        mx_array out = CmlxArray_HANDLE(PyList_GET_ITEM(leaves, k));
        mx_array cot = CmlxArray_HANDLE(PyList_GET_ITEM(p->cotangents, k));
        int same = mx_ndim(out) == mx_ndim(cot);
        for (int d = 0; same && d < mx_ndim(out); d++)
            same = mx_shape(out)[d] == mx_shape(cot)[d];
        if (!same) {
            char a[256], b[256];
            format_shape(out, a, sizeof a);
            format_shape(cot, b, sizeof b);
            PyErr_Format(PyExc_ValueError, "[vjp] Output shape %s does not match cotangent shape %s.%s", a, b,
                         mx_size(out) == 1 && mx_ndim(cot) == 0
                             ? " If you are using grad your function must return a scalar."
                             : "");
            return -1;
        }
    }
    return 0;
}

static mx_status flat_fn(void *payload, const mx_array *inputs, int n, mx_array_list *outputs) {
    flat_payload *p = payload;
    PyGILState_STATE gil = PyGILState_Ensure();
    mx_status st = MX_OK;
    PyObject *args = NULL, *out = NULL, *leaves = NULL;
    PyObject *list = wrap_inputs(inputs, n);
    if (list)
        args = PyList_AsTuple(list);
    if (args)
        out = PyObject_Call(p->fun, args, NULL);
    if (out)
        leaves = flat_result(out, p->tag);
    if (leaves && p->cotangents && check_cotangents(p, leaves) < 0)
        Py_CLEAR(leaves);
    if (leaves == NULL) {
        st = stash_exception();
    } else {
        p->n_outputs = (int)PyList_GET_SIZE(leaves);
        st = push_leaves(leaves, 0, outputs);
        /* mx_vjp wants one cotangent per output: extra cotangents (MLX ignores
         * them) meet constant outputs, which no gradient flows through */
        for (Py_ssize_t k = PyList_GET_SIZE(leaves); st == MX_OK && p->cotangents && k < PyList_GET_SIZE(p->cotangents);
             k++)
            st = mx_array_list_push(outputs, mx_zeros_like(CmlxArray_HANDLE(PyList_GET_ITEM(p->cotangents, k))));
    }
    Py_XDECREF(list);
    Py_XDECREF(args);
    Py_XDECREF(out);
    Py_XDECREF(leaves);
    PyGILState_Release(gil);
    return st;
}

static const char VJP_SIGNATURE[] =
    "vjp(fun: Callable, primals: list[array], cotangents: list[array]) -> tuple[list[array], list[array]]";
static const char JVP_SIGNATURE[] =
    "jvp(fun: Callable, primals: list[array], tangents: list[array]) -> tuple[list[array], list[array]]";

static PyObject *vjp_or_jvp(PyObject *args, PyObject *kwargs, int reverse) {
    static char *vjp_keywords[] = {"fun", "primals", "cotangents", NULL};
    static char *jvp_keywords[] = {"fun", "primals", "tangents", NULL};
    const char *name = reverse ? "vjp" : "jvp";
    PyObject *fun, *primals_obj, *vectors_obj;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, reverse ? "OOO:vjp" : "OOO:jvp",
                                     reverse ? vjp_keywords : jvp_keywords, &fun, &primals_obj, &vectors_obj))
        return NULL;
    PyObject *primals = PyCallable_Check(fun) ? array_list_arg(primals_obj) : NULL;
    PyObject *vectors = primals ? array_list_arg(vectors_obj) : NULL;
    if (vectors == NULL) {
        Py_XDECREF(primals);
        if (PyErr_Occurred())
            return NULL;
        return incompatible_arguments(name, reverse ? VJP_SIGNATURE : JVP_SIGNATURE, args, kwargs);
    }
    PyObject *result = NULL;
    Py_ssize_t n = PyList_GET_SIZE(primals), m = PyList_GET_SIZE(vectors);
    if (!reverse && require(mx_jvp != NULL, "mx_jvp") < 0)
        goto done;
    if (!reverse) { /* MLX checks the tangents before calling the function */
        if (n != m) {
            PyErr_SetString(PyExc_ValueError, "[jvp] Number of inputs does not match number of tangents.");
            goto done;
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            mx_array p = CmlxArray_HANDLE(PyList_GET_ITEM(primals, i)),
                     t = CmlxArray_HANDLE(PyList_GET_ITEM(vectors, i));
            int same = mx_ndim(p) == mx_ndim(t);
            for (int d = 0; same && d < mx_ndim(p); d++)
                same = mx_shape(p)[d] == mx_shape(t)[d];
            if (!same) {
                PyErr_SetString(PyExc_ValueError, "[jvp] Input shape does not match shape of tangent.");
                goto done;
            }
        }
    }
    flat_payload *p = calloc(1, sizeof *p);
    if (p == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    p->fun = Py_NewRef(fun);
    p->cotangents = reverse ? Py_NewRef(vectors) : NULL;
    p->tag = reverse ? "[vjp]" : "[jvp]";
    mx_closure f = mx_closure_new(flat_fn, p, flat_payload_destroy);
    if (f == NULL) {
        cmlx_raise(MX_ERROR_MEMORY);
        goto done;
    }
    mx_array *hp = handles_of(primals), *hv = hp ? handles_of(vectors) : NULL;
    mx_array_list outputs = {0}, products = {0};
    mx_status st = MX_ERROR_MEMORY;
    if (hv)
        st = reverse ? mx_vjp(f, hp, (int)n, hv, (int)m, &outputs, &products)
                     : mx_jvp(f, hp, (int)n, hv, (int)m, &outputs, &products);
    PyMem_Free(hp);
    PyMem_Free(hv);
    if (hv == NULL) {
        /* exception set by handles_of */
    } else if (st != MX_OK) {
        raise_failure(st);
    } else {
        drop_pending();
        int n_out = p->n_outputs < outputs.count ? p->n_outputs : outputs.count; /* drops vjp's padding */
        PyObject *outs = list_to_python(&outputs, 0, n_out);
        PyObject *prods = outs ? list_to_python(&products, 0, products.count) : NULL;
        if (prods)
            result = PyTuple_Pack(2, outs, prods);
        Py_XDECREF(outs);
        Py_XDECREF(prods);
    }
    mx_array_list_clear(&outputs);
    mx_array_list_clear(&products);
    mx_closure_free(f);
done:
    Py_DECREF(primals);
    Py_DECREF(vectors);
    return result;
}

static PyObject *transforms_vjp(PyObject *module, PyObject *args, PyObject *kwargs) {
    return vjp_or_jvp(args, kwargs, 1);
}

static PyObject *transforms_jvp(PyObject *module, PyObject *args, PyObject *kwargs) {
    return vjp_or_jvp(args, kwargs, 0);
}

/* ---- the transformed functions: mx.grad(f) etc. ------------------------------------------------------ */

typedef enum { FUNC_VALUE_AND_GRAD, FUNC_GRAD, FUNC_VMAP, FUNC_CHECKPOINT } func_kind;

/* MLX's _gc_func: a callable that holds the function it transforms (and
 * takes part in garbage collection, so f = mx.grad(f)-style cycles die). */
typedef struct {
    PyObject_HEAD func_kind kind;
    PyObject *fun;
    int *argnums; /* sorted */
    int n_argnums;
    PyObject *argnames; /* frozenset of str */
    PyObject *in_axes, *out_axes;
} GcFuncObject;

static PyTypeObject GcFunc_Type;

static int gc_func_traverse(GcFuncObject *self, visitproc visit, void *arg) {
    Py_VISIT(self->fun);
    Py_VISIT(self->argnames);
    Py_VISIT(self->in_axes);
    Py_VISIT(self->out_axes);
    return 0;
}

static int gc_func_clear(GcFuncObject *self) {
    Py_CLEAR(self->fun);
    Py_CLEAR(self->argnames);
    Py_CLEAR(self->in_axes);
    Py_CLEAR(self->out_axes);
    return 0;
}

static void gc_func_dealloc(GcFuncObject *self) {
    PyObject_GC_UnTrack(self);
    gc_func_clear(self);
    PyMem_Free(self->argnums);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static GcFuncObject *gc_func_new(func_kind kind, PyObject *fun) {
    GcFuncObject *self = PyObject_GC_New(GcFuncObject, &GcFunc_Type);
    if (self == NULL)
        return NULL;
    self->kind = kind;
    self->fun = Py_NewRef(fun);
    self->argnums = NULL;
    self->n_argnums = 0;
    self->argnames = self->in_axes = self->out_axes = NULL;
    PyObject_GC_Track(self);
    return self;
}

/* ---- value_and_grad ---------------------------------------------------------------------------------- */

typedef struct {
    PyObject *fun;
    PyObject *tree;      /* [args, kwargs]: filled with the trace arrays for each call */
    PyObject *originals; /* the array leaves of tree, in order */
    PyObject *value;     /* what the function returned at the last call */
    const char *tag;
    int scalar_only; /* grad: the function must return an array */
    int n_outputs;   /* flat outputs at the last call */
} grad_payload;

static void grad_payload_destroy(void *payload) {
    grad_payload *p = payload;
    PyObject *objects[4] = {p->fun, p->tree, p->originals, p->value};
    release_objects(objects, 4);
    free(p);
}

/* MLX's checks of what the differentiated function returned. */
static int check_grad_result(grad_payload *p, PyObject *out) {
    if (CmlxArray_Check(out))
        return 0;
    PyObject *name = type_name(out);
    if (name == NULL)
        return -1;
    if (p->scalar_only)
        PyErr_Format(PyExc_ValueError,
                     "%s The return value of the function whose gradient we want to compute should be a scalar array; "
                     "but %U was returned.",
                     p->tag, name);
    else if (!PyTuple_Check(out))
        PyErr_Format(PyExc_ValueError,
                     "%s The return value of the function whose gradient we want to compute should be either a scalar "
                     "array or a tuple with the first value being a scalar array (Union[array, tuple[array, Any, "
                     "...]]); but %U was returned.",
                     p->tag, name);
    else if (PyTuple_GET_SIZE(out) == 0)
        PyErr_Format(PyExc_ValueError,
                     "%s The return value of the function whose gradient we want to compute should be either a scalar "
                     "array or a non-empty tuple. The first value should be a scalar array and the rest can be "
                     "anything. Instead, we got an empty tuple.",
                     p->tag);
    else if (!CmlxArray_Check(PyTuple_GET_ITEM(out, 0))) {
        PyObject *first = type_name(PyTuple_GET_ITEM(out, 0));
        if (first)
            PyErr_Format(PyExc_ValueError,
                         "%s The return value of the function whose gradient we want to compute should be either a "
                         "scalar array or a tuple with the first value being a scalar array (Union[array, "
                         "tuple[array, Any, ...]]); but it was a tuple with the first value being of type %U .",
                         p->tag, first);
        Py_XDECREF(first);
    } else {
        Py_DECREF(name);
        return 0;
    }
    Py_DECREF(name);
    return -1;
}

/* The differentiated output must be a scalar (MLX's vjp check, with a cotangent of shape ()). */
static int check_scalar(PyObject *leaves) {
    mx_array first = CmlxArray_HANDLE(PyList_GET_ITEM(leaves, 0));
    if (mx_ndim(first) == 0)
        return 0;
    char shape[256];
    format_shape(first, shape, sizeof shape);
    PyErr_Format(PyExc_ValueError, "[vjp] Output shape %s does not match cotangent shape ().%s", shape,
                 mx_size(first) == 1 ? " If you are using grad your function must return a scalar." : "");
    return -1;
}

static mx_status grad_fn(void *payload, const mx_array *inputs, int n, mx_array_list *outputs) {
    grad_payload *p = payload;
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *out = NULL, *leaves = NULL, *args = NULL;
    PyObject *tree_args = PyList_GET_ITEM(p->tree, 0), *tree_kwargs = PyList_GET_ITEM(p->tree, 1);
    PyObject *tracers = wrap_inputs(inputs, n);
    Py_ssize_t index = 0;
    PyObject *kwargs = NULL;
    if (tracers)
        args = cmlx_tree_fill(tree_args, tracers, &index);
    if (args)
        kwargs = cmlx_tree_fill(tree_kwargs, tracers, &index);
    if (kwargs)
        out = PyObject_Call(p->fun, args, kwargs);
    /* put the original arrays back into the caller's lists and dicts (keeping the exception, if any) */
    if (args) {
        PyObject *type, *value, *traceback;
        PyErr_Fetch(&type, &value, &traceback);
        PyObject *restored_args = cmlx_tree_restore(args, tracers, p->originals);
        PyObject *restored_kwargs = restored_args ? cmlx_tree_restore(tree_kwargs, tracers, p->originals) : NULL;
        if (restored_kwargs == NULL && out != NULL)
            Py_CLEAR(out); /* report the failure to restore */
        else
            PyErr_Clear();
        Py_XDECREF(restored_args);
        Py_XDECREF(restored_kwargs);
        if (type)
            PyErr_Restore(type, value, traceback);
    }
    if (out && check_grad_result(p, out) == 0) {
        leaves = PyList_New(0);
        if (leaves && (cmlx_tree_flatten(out, 0, leaves) < 0 || check_scalar(leaves) < 0))
            Py_CLEAR(leaves);
    }
    mx_status st;
    if (leaves == NULL) {
        st = stash_exception();
    } else {
        Py_XSETREF(p->value, Py_NewRef(out));
        p->n_outputs = (int)PyList_GET_SIZE(leaves);
        st = push_leaves(leaves, 0, outputs);
    }
    Py_XDECREF(tracers);
    Py_XDECREF(args);
    Py_XDECREF(kwargs);
    Py_XDECREF(out);
    Py_XDECREF(leaves);
    PyGILState_Release(gil);
    return st;
}

static int sequence_contains_str(PyObject *set, PyObject *key) {
    return set != NULL && PyUnicode_Check(key) ? PySet_Contains(set, key) : 0;
}

static PyObject *value_and_grad_call(GcFuncObject *self, PyObject *args, PyObject *kwargs_in) {
    const char *tag = self->kind == FUNC_GRAD ? "[grad]" : "[value_and_grad]";
    Py_ssize_t nargs = PyTuple_GET_SIZE(args);
    if (require(mx_value_and_grad != NULL, "mx_value_and_grad") < 0)
        return NULL;
    if (self->n_argnums > 0 && self->argnums[self->n_argnums - 1] >= nargs)
        return PyErr_Format(PyExc_ValueError,
                            "%s Can't compute the gradient of argument index %d because the function is called with "
                            "only %zd positional arguments.",
                            tag, self->argnums[self->n_argnums - 1], nargs);
    PyObject *kwargs = kwargs_in ? PyDict_Copy(kwargs_in) : PyDict_New();
    if (kwargs == NULL)
        return NULL;
    Py_ssize_t n_argnames = self->argnames ? PySet_GET_SIZE(self->argnames) : 0;
    if (n_argnames > 0) {
        PyObject *it = PyObject_GetIter(self->argnames), *key;
        while (it && (key = PyIter_Next(it)) != NULL) {
            int present = PyDict_Contains(kwargs, key);
            if (present == 0) {
                PyObject *names = PyUnicode_FromString("");
                Py_ssize_t pos = 0;
                PyObject *k, *v;
                while (names && PyDict_Next(kwargs, &pos, &k, &v))
                    Py_XSETREF(names, PyUnicode_FromFormat("%U%S,", names, k));
                if (names)
                    PyErr_Format(PyExc_ValueError,
                                 "%s Can't compute the gradient of keyword argument '%U' because the function is "
                                 "called with the following keyword arguments {%U}",
                                 tag, key, names);
                Py_XDECREF(names);
            }
            Py_DECREF(key);
            if (present != 1)
                break;
        }
        Py_XDECREF(it);
        if (PyErr_Occurred()) {
            Py_DECREF(kwargs);
            return NULL;
        }
    }

    /* flatten the arguments: those differentiated must hold arrays only */
    PyObject *originals = PyList_New(0), *result = NULL, *tree = NULL;
    int n_groups = self->n_argnums + (int)n_argnames;
    int *grad_indices = NULL, n_grad = 0;
    Py_ssize_t *offsets = PyMem_Calloc((size_t)n_groups + 1, sizeof *offsets); /* start of each group's gradients */
    if (originals == NULL || offsets == NULL) {
        if (offsets == NULL)
            PyErr_NoMemory();
        goto done;
    }
    int group = 0;
    for (Py_ssize_t i = 0, j = 0; i < nargs; i++) {
        int needs_grad = j < self->n_argnums && self->argnums[j] == i;
        Py_ssize_t before = PyList_GET_SIZE(originals);
        if (cmlx_tree_flatten(PyTuple_GET_ITEM(args, i), needs_grad, originals) < 0)
            goto done;
        if (needs_grad) {
            j++;
            offsets[group + 1] = offsets[group] + PyList_GET_SIZE(originals) - before;
            group++;
            int *grown = PyMem_Realloc(grad_indices, (size_t)(PyList_GET_SIZE(originals) + 1) * sizeof *grown);
            if (grown == NULL) {
                PyErr_NoMemory();
                goto done;
            }
            grad_indices = grown;
            for (Py_ssize_t k = before; k < PyList_GET_SIZE(originals); k++)
                grad_indices[n_grad++] = (int)k;
        }
    }
    {
        Py_ssize_t pos = 0;
        PyObject *key, *value;
        while (PyDict_Next(kwargs, &pos, &key, &value)) {
            int needs_grad = sequence_contains_str(self->argnames, key);
            if (needs_grad < 0)
                goto done;
            Py_ssize_t before = PyList_GET_SIZE(originals);
            if (cmlx_tree_flatten(value, needs_grad, originals) < 0)
                goto done;
            if (needs_grad) {
                offsets[group + 1] = offsets[group] + PyList_GET_SIZE(originals) - before;
                group++;
                int *grown = PyMem_Realloc(grad_indices, (size_t)(PyList_GET_SIZE(originals) + 1) * sizeof *grown);
                if (grown == NULL) {
                    PyErr_NoMemory();
                    goto done;
                }
                grad_indices = grown;
                for (Py_ssize_t k = before; k < PyList_GET_SIZE(originals); k++)
                    grad_indices[n_grad++] = (int)k;
            }
        }
    }
    if (n_grad == 0) {
        PyErr_SetString(PyExc_ValueError, "[grad] Must specify at least one argument.");
        goto done;
    }
    tree = PyList_New(2);
    if (tree) {
        PyList_SET_ITEM(tree, 0, Py_NewRef(args));
        PyList_SET_ITEM(tree, 1, Py_NewRef(kwargs));
    }
    grad_payload *p = tree ? calloc(1, sizeof *p) : NULL;
    if (p == NULL) {
        if (tree)
            PyErr_NoMemory();
        goto done;
    }
    p->fun = Py_NewRef(self->fun);
    p->tree = Py_NewRef(tree);
    p->originals = Py_NewRef(originals);
    p->tag = tag;
    p->scalar_only = self->kind == FUNC_GRAD;
    mx_closure f = mx_closure_new(grad_fn, p, grad_payload_destroy);
    mx_closure vg = f ? mx_value_and_grad(f, grad_indices, n_grad) : NULL;
    mx_closure_free(f);
    if (vg == NULL) {
        cmlx_raise(MX_OK);
        goto done;
    }
    mx_array_list outputs = {0};
    mx_status st = apply_closure(vg, originals, &outputs);
    if (st != MX_OK) {
        raise_failure(st);
        mx_closure_free(vg);
        goto done;
    }
    drop_pending();
    int n_out = p->n_outputs;
    PyObject *values = list_to_python(&outputs, 0, n_out);
    PyObject *grads = values ? list_to_python(&outputs, n_out, outputs.count) : NULL;
    PyObject *value = NULL, *positional = NULL, *keyword = NULL, *all_grads = NULL;
    Py_ssize_t index = 0;
    if (grads && self->kind == FUNC_VALUE_AND_GRAD)
        value = cmlx_tree_unflatten(p->value, values, &index);
    mx_array_list_clear(&outputs);
    mx_closure_free(vg); /* p is gone from here on */
    int ok = grads != NULL && (self->kind == FUNC_GRAD || value != NULL);
    /* the gradients, in the shape of the arguments they belong to */
    if (ok && self->n_argnums == 1) {
        index = offsets[0];
        positional = cmlx_tree_unflatten(PyTuple_GET_ITEM(args, self->argnums[0]), grads, &index);
        ok = positional != NULL;
    } else if (ok && self->n_argnums > 1) {
        positional = PyTuple_New(self->n_argnums);
        for (int i = 0; positional && i < self->n_argnums; i++) {
            index = offsets[i];
            PyObject *g = cmlx_tree_unflatten(PyTuple_GET_ITEM(args, self->argnums[i]), grads, &index);
            if (g == NULL)
                Py_CLEAR(positional);
            else
                PyTuple_SET_ITEM(positional, i, g);
        }
        ok = positional != NULL;
    } else if (ok) {
        positional = Py_NewRef(Py_None);
    }
    if (ok && n_argnames > 0) {
        keyword = PyDict_New();
        Py_ssize_t pos = 0;
        PyObject *key, *v;
        int g = self->n_argnums;
        while (keyword && PyDict_Next(kwargs, &pos, &key, &v)) {
            if (!sequence_contains_str(self->argnames, key))
                continue;
            index = offsets[g++];
            PyObject *grad = cmlx_tree_unflatten(v, grads, &index);
            if (grad == NULL || PyDict_SetItem(keyword, key, grad) < 0)
                Py_CLEAR(keyword);
            Py_XDECREF(grad);
        }
        all_grads = keyword ? PyTuple_Pack(2, positional, keyword) : NULL;
    } else if (ok) {
        all_grads = Py_NewRef(positional);
    }
    if (all_grads)
        result = self->kind == FUNC_GRAD ? Py_NewRef(all_grads) : PyTuple_Pack(2, value, all_grads);
    Py_XDECREF(values);
    Py_XDECREF(grads);
    Py_XDECREF(value);
    Py_XDECREF(positional);
    Py_XDECREF(keyword);
    Py_XDECREF(all_grads);
done:
    Py_XDECREF(tree);
    Py_XDECREF(originals);
    Py_DECREF(kwargs);
    PyMem_Free(grad_indices);
    PyMem_Free(offsets);
    return result;
}

/* ---- vmap ------------------------------------------------------------------------------------------------- */

typedef struct {
    int *axes;
    int count, capacity;
    int outputs; /* output axes: -ndim-1 .. ndim are valid */
    int encountered_tuple;
} axes_ctx;

static int axes_push(axes_ctx *c, int axis) {
    if (c->count == c->capacity) {
        int capacity = c->capacity ? 2 * c->capacity : 8;
        int *grown = PyMem_Realloc(c->axes, (size_t)capacity * sizeof *grown);
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        c->axes = grown;
        c->capacity = capacity;
    }
    c->axes[c->count++] = axis;
    return 0;
}

static int checked_axis(axes_ctx *c, PyObject *leaf, PyObject *value) {
    int overflow = 0;
    long axis = PyLong_AsLongAndOverflow(value, &overflow);
    if (axis == -1 && PyErr_Occurred())
        return -1;
    mx_array x = CmlxArray_HANDLE(leaf);
    long limit = mx_ndim(x) + c->outputs;
    if (axis < 0)
        axis += limit;
    if (overflow || axis < 0 || axis >= limit) {
        char shape[256];
        format_shape(x, shape, sizeof shape);
        PyErr_Format(PyExc_IndexError, "[vmap] Invalid%svectorization axis %ld for array with shape %s",
                     c->outputs ? " output " : " ", axis, shape);
        return -1;
    }
    return axes_push(c, (int)axis);
}

/* One array of the tree and the axis the prefix tree gives it (MLX's axes_to_flat_tree). */
static int axis_visitor(void *ctx, PyObject *leaf, PyObject *axis) {
    axes_ctx *c = ctx;
    if (!CmlxArray_Check(leaf)) {
        PyErr_SetString(PyExc_ValueError, "[vmap] The arguments should contain only arrays");
        return -1;
    }
    if (axis == Py_None)
        return axes_push(c, -1);
    if (PyLong_Check(axis))
        return checked_axis(c, leaf, axis);
    if (PyTuple_Check(axis)) {
        c->encountered_tuple = 1;
        if (PyTuple_GET_SIZE(axis) == 1 && PyLong_Check(PyTuple_GET_ITEM(axis, 0)))
            return checked_axis(c, leaf, PyTuple_GET_ITEM(axis, 0));
        if (PyTuple_GET_SIZE(axis) == 1 && PyTuple_GET_ITEM(axis, 0) == Py_None)
            return axes_push(c, -1);
    }
    PyErr_SetString(PyExc_ValueError, "[vmap] axis must be int or None.");
    return -1;
}

static int flat_axes(PyObject *tree, PyObject *axes, int outputs, axes_ctx *c) {
    *c = (axes_ctx){.outputs = outputs};
    if (cmlx_tree_visit_prefix(tree, axes, axis_visitor, c) < 0)
        return -1;
    if (c->encountered_tuple && !CmlxArray_Check(tree)) {
        PyErr_SetString(PyExc_ValueError, "[vmap] axis must be int or None.");
        return -1;
    }
    return 0;
}

typedef struct {
    PyObject *fun;
    PyObject *args;   /* the call's positional arguments (their structure) */
    PyObject *output; /* what the function returned at the last call (per-example arrays) */
} vmap_payload;

static void vmap_payload_destroy(void *payload) {
    vmap_payload *p = payload;
    PyObject *objects[3] = {p->fun, p->args, p->output};
    release_objects(objects, 3);
    free(p);
}

static mx_status vmap_fn(void *payload, const mx_array *inputs, int n, mx_array_list *outputs) {
    vmap_payload *p = payload;
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *args = NULL, *out = NULL, *leaves = NULL;
    Py_ssize_t index = 0;
    PyObject *tracers = wrap_inputs(inputs, n);
    if (tracers)
        args = cmlx_tree_unflatten(p->args, tracers, &index);
    if (args)
        out = PyObject_Call(p->fun, args, NULL);
    if (out && (leaves = PyList_New(0)) != NULL && cmlx_tree_flatten(out, 1, leaves) < 0)
        Py_CLEAR(leaves);
    mx_status st;
    if (leaves == NULL) {
        st = stash_exception();
    } else {
        Py_XSETREF(p->output, Py_NewRef(out));
        st = push_leaves(leaves, 0, outputs);
    }
    Py_XDECREF(tracers);
    Py_XDECREF(args);
    Py_XDECREF(out);
    Py_XDECREF(leaves);
    PyGILState_Release(gil);
    return st;
}

/* `a` with its axis 0 moved to `axis` (-1: the last). */
static mx_array move_batch_axis(mx_array a, int axis) {
    int nd = mx_ndim(a);
    if (axis < 0)
        axis = nd - 1;
    if (axis == 0 || nd < 2)
        return mx_retain(a);
    int perm[64];
    if (nd > 64)
        return mx_retain(a); /* cannot happen: arrays have far fewer dimensions */
    for (int d = 0, k = 1; d < nd; d++)
        perm[d] = d == axis ? 0 : k++;
    return mx_transpose(a, perm, nd);
}

static PyObject *vmap_call(GcFuncObject *self, PyObject *args, PyObject *kwargs) {
    if (kwargs && PyDict_GET_SIZE(kwargs) > 0) {
        PyErr_SetString(PyExc_TypeError, "[vmap] Keyword arguments are not supported.");
        return NULL;
    }
    if (require(mx_vmap != NULL, "mx_vmap") < 0)
        return NULL;
    PyObject *inputs = PyList_New(0), *result = NULL;
    axes_ctx in = {0}, out_axes = {0};
    mx_closure f = NULL, vf = NULL;
    mx_array_list outputs = {0};
    vmap_payload *p = NULL;
    if (inputs == NULL || cmlx_tree_flatten(args, 1, inputs) < 0)
        goto done;
    PyObject *tree = PyTuple_GET_SIZE(args) == 1 ? PyTuple_GET_ITEM(args, 0) : args;
    if (flat_axes(tree, self->in_axes, 0, &in) < 0)
        goto done;
    int64_t size = -1;
    for (int i = 0; i < in.count; i++) {
        if (in.axes[i] < 0)
            continue;
        int64_t d = mx_shape(CmlxArray_HANDLE(PyList_GET_ITEM(inputs, i)))[in.axes[i]];
        if (size >= 0 && d != size) {
            PyErr_Format(PyExc_ValueError, "[vmap] Inconsistent axis sizes: %lld and %lld.", (long long)size,
                         (long long)d);
            goto done;
        }
        size = d;
    }
    if (size < 0) {
        PyErr_SetString(PyExc_ValueError, "At least one of in_axes must be non-None.");
        goto done;
    }
    p = calloc(1, sizeof *p);
    if (p == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    p->fun = Py_NewRef(self->fun);
    p->args = Py_NewRef(args);
    f = mx_closure_new(vmap_fn, p, vmap_payload_destroy);
    vf = f ? mx_vmap(f, in.axes, in.count, NULL, 0) : NULL;
    if (vf == NULL) {
        cmlx_raise(MX_OK);
        goto done;
    }
    mx_status st = apply_closure(vf, inputs, &outputs);
    if (st != MX_OK) {
        raise_failure(st);
        goto done;
    }
    drop_pending();
    /* every output comes batched along axis 0; MLX's out_axes put it elsewhere */
    if (flat_axes(p->output, self->out_axes, 1, &out_axes) < 0)
        goto done;
    PyObject *moved = PyList_New(0);
    for (int k = 0; moved && k < outputs.count; k++) {
        PyObject *a =
            cmlx_array_from_handle(move_batch_axis(outputs.items[k], k < out_axes.count ? out_axes.axes[k] : 0));
        if (a == NULL || PyList_Append(moved, a) < 0)
            Py_CLEAR(moved);
        Py_XDECREF(a);
    }
    if (moved) {
        Py_ssize_t index = 0;
        result = cmlx_tree_unflatten(p->output, moved, &index);
        Py_DECREF(moved);
    }
done:
    mx_array_list_clear(&outputs);
    mx_closure_free(vf);
    mx_closure_free(f);
    PyMem_Free(in.axes);
    PyMem_Free(out_axes.axes);
    Py_XDECREF(inputs);
    return result;
}

/* ---- checkpoint ----------------------------------------------------------------------------------------- */

typedef struct {
    PyObject *fun;
    PyObject *structure; /* of (args, kwargs) */
    PyObject *output;    /* structure of the result at the last call */
} structured_payload;

static void structured_payload_destroy(void *payload) {
    structured_payload *p = payload;
    PyObject *objects[3] = {p->fun, p->structure, p->output};
    release_objects(objects, 3);
    free(p);
}

/* Call fun(*args, **kwargs) with the arrays of `arrays` put into `structure`;
 * the flat array outputs go to `leaves`, the result's structure is returned. */
static PyObject *call_structured(PyObject *fun, PyObject *structure, PyObject *arrays, int strict, PyObject *leaves) {
    Py_ssize_t index = 0;
    PyObject *full = cmlx_tree_from_structure(structure, arrays, &index), *out = NULL, *result = NULL;
    if (full)
        out = PyObject_Call(fun, PyTuple_GET_ITEM(full, 0), PyTuple_GET_ITEM(full, 1));
    if (out)
        result = cmlx_tree_structure(out, strict, leaves);
    Py_XDECREF(full);
    Py_XDECREF(out);
    return result;
}

static mx_status checkpoint_fn(void *payload, const mx_array *inputs, int n, mx_array_list *outputs) {
    structured_payload *p = payload;
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *tracers = wrap_inputs(inputs, n), *leaves = PyList_New(0), *structure = NULL;
    if (tracers && leaves)
        structure = call_structured(p->fun, p->structure, tracers, 0, leaves);
    mx_status st;
    if (structure == NULL) {
        st = stash_exception();
    } else {
        Py_XSETREF(p->output, structure);
        st = push_leaves(leaves, 0, outputs);
    }
    Py_XDECREF(tracers);
    Py_XDECREF(leaves);
    PyGILState_Release(gil);
    return st;
}

static PyObject *checkpoint_call(GcFuncObject *self, PyObject *args, PyObject *kwargs) {
    if (require(mx_checkpoint != NULL, "mx_checkpoint") < 0)
        return NULL;
    PyObject *kw = kwargs ? Py_NewRef(kwargs) : PyDict_New();
    PyObject *full = kw ? PyTuple_Pack(2, args, kw) : NULL;
    PyObject *inputs = PyList_New(0), *structure = NULL, *result = NULL;
    if (full && inputs)
        structure = cmlx_tree_structure(full, 0, inputs);
    structured_payload *p = structure ? calloc(1, sizeof *p) : NULL;
    mx_closure f = NULL, cf = NULL;
    if (structure && p == NULL)
        PyErr_NoMemory();
    if (p) {
        p->fun = Py_NewRef(self->fun);
        p->structure = Py_NewRef(structure);
        f = mx_closure_new(checkpoint_fn, p, structured_payload_destroy);
        cf = f ? mx_checkpoint(f) : NULL;
        if (cf == NULL)
            cmlx_raise(MX_OK);
    }
    if (cf) {
        mx_array_list outputs = {0};
        mx_status st = apply_closure(cf, inputs, &outputs);
        if (st != MX_OK) {
            raise_failure(st);
        } else {
            drop_pending();
            PyObject *values = list_to_python(&outputs, 0, outputs.count);
            Py_ssize_t index = 0;
            if (values)
                result = cmlx_tree_from_structure(p->output, values, &index);
            Py_XDECREF(values);
        }
        mx_array_list_clear(&outputs);
    }
    mx_closure_free(cf);
    mx_closure_free(f);
    Py_XDECREF(kw);
    Py_XDECREF(full);
    Py_XDECREF(inputs);
    Py_XDECREF(structure);
    return result;
}

static PyObject *gc_func_call(GcFuncObject *self, PyObject *args, PyObject *kwargs) {
    switch (self->kind) {
    case FUNC_VALUE_AND_GRAD:
    case FUNC_GRAD: return value_and_grad_call(self, args, kwargs);
    case FUNC_VMAP: return vmap_call(self, args, kwargs);
    case FUNC_CHECKPOINT: return checkpoint_call(self, args, kwargs);
    }
    return NULL;
}

static PyTypeObject GcFunc_Type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "cmlx.core._gc_func",
    .tp_basicsize = sizeof(GcFuncObject),
    .tp_dealloc = (destructor)gc_func_dealloc,
    .tp_call = (ternaryfunc)gc_func_call,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = (traverseproc)gc_func_traverse,
    .tp_clear = (inquiry)gc_func_clear,
    .tp_doc = "A function transformed by grad, value_and_grad, vmap or checkpoint.",
};

/* ---- mx.grad, mx.value_and_grad -------------------------------------------------------------------------- */

static const char GRAD_SIGNATURE[] = "grad(fun: Callable[P, R], argnums: int | Sequence[int] | None = None, argnames: "
                                     "str | Sequence[str] = []) -> Callable[P, Any]";
static const char VALUE_AND_GRAD_SIGNATURE[] =
    "value_and_grad(fun: Callable[P, R], argnums: int | Sequence[int] | None = None, argnames: str | Sequence[str] = "
    "[]) -> Callable[P, tuple[R, Any]]";

/* argnums: None, an int, or a sequence of ints. -1 when it is none of these
 * (no exception set), else the count (*out allocated, *given = not None). */
static int parse_argnums(PyObject *obj, int **out, int *given) {
    *out = NULL;
    *given = obj != NULL && obj != Py_None;
    if (!*given)
        return 0;
    if (PyIndex_Check(obj) && !PyFloat_Check(obj)) {
        Py_ssize_t v = PyNumber_AsSsize_t(obj, NULL);
        if (v == -1 && PyErr_Occurred()) {
            PyErr_Clear();
            return -1;
        }
        *out = PyMem_Malloc(sizeof **out);
        if (*out == NULL)
            return -1;
        (*out)[0] = (int)v;
        return 1;
    }
    if (PyUnicode_Check(obj) || PyBytes_Check(obj) || !PySequence_Check(obj))
        return -1;
    PyObject *items = PySequence_Fast(obj, "argnums");
    if (items == NULL) {
        PyErr_Clear();
        return -1;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(items);
    *out = PyMem_Malloc((size_t)(n ? n : 1) * sizeof **out);
    int ok = *out != NULL;
    for (Py_ssize_t i = 0; ok && i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(items, i);
        ok = PyIndex_Check(item) && !PyFloat_Check(item);
        Py_ssize_t v = ok ? PyNumber_AsSsize_t(item, NULL) : 0;
        if (v == -1 && PyErr_Occurred()) {
            PyErr_Clear();
            ok = 0;
        }
        if (ok)
            (*out)[i] = (int)v;
    }
    Py_DECREF(items);
    if (!ok) {
        PyMem_Free(*out);
        *out = NULL;
        return -1;
    }
    return (int)n;
}

/* argnames: a str or a collection of str -> a frozenset; NULL (no exception) when neither. */
static PyObject *parse_argnames(PyObject *obj) {
    if (obj == NULL)
        return PyFrozenSet_New(NULL);
    if (PyUnicode_Check(obj)) {
        PyObject *one = PyTuple_Pack(1, obj);
        PyObject *set = one ? PyFrozenSet_New(one) : NULL;
        Py_XDECREF(one);
        return set;
    }
    if (!(PyList_Check(obj) || PyTuple_Check(obj) || PyAnySet_Check(obj)))
        return NULL;
    PyObject *set = PyFrozenSet_New(obj);
    if (set == NULL) {
        PyErr_Clear();
        return NULL;
    }
    PyObject *it = PyObject_GetIter(set), *item;
    int ok = it != NULL;
    while (ok && (item = PyIter_Next(it)) != NULL) {
        ok = PyUnicode_Check(item);
        Py_DECREF(item);
    }
    Py_XDECREF(it);
    if (!ok) {
        PyErr_Clear();
        Py_DECREF(set);
        return NULL;
    }
    return set;
}

static int compare_ints(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static PyObject *make_grad(PyObject *args, PyObject *kwargs, func_kind kind) {
    static char *keywords[] = {"fun", "argnums", "argnames", NULL};
    const char *name = kind == FUNC_GRAD ? "grad" : "value_and_grad";
    const char *tag = kind == FUNC_GRAD ? "[grad]" : "[value_and_grad]";
    PyObject *fun, *argnums_obj = NULL, *argnames_obj = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, kind == FUNC_GRAD ? "O|OO:grad" : "O|OO:value_and_grad", keywords,
                                     &fun, &argnums_obj, &argnames_obj))
        return NULL;
    int *argnums = NULL, given = 0;
    int n = PyCallable_Check(fun) ? parse_argnums(argnums_obj, &argnums, &given) : -1;
    PyObject *argnames = n >= 0 ? parse_argnames(argnames_obj) : NULL;
    if (argnames == NULL) {
        PyMem_Free(argnums);
        if (PyErr_Occurred())
            return NULL;
        return incompatible_arguments(name, kind == FUNC_GRAD ? GRAD_SIGNATURE : VALUE_AND_GRAD_SIGNATURE, args,
                                      kwargs);
    }
    if (!given && PySet_GET_SIZE(argnames) == 0) { /* default: the first argument */
        argnums = PyMem_Malloc(sizeof *argnums);
        if (argnums == NULL) {
            Py_DECREF(argnames);
            return PyErr_NoMemory();
        }
        argnums[0] = 0;
        n = 1;
    }
    PyObject *error = NULL;
    if (n == 0 && PySet_GET_SIZE(argnames) == 0)
        error = PyUnicode_FromFormat("%s Gradient wrt no argument requested", tag);
    if (n > 0) {
        qsort(argnums, (size_t)n, sizeof *argnums, compare_ints);
        if (argnums[0] < 0)
            error =
                PyUnicode_FromFormat("%s Can't compute the gradient of negative argument index %d", tag, argnums[0]);
        for (int i = 1; error == NULL && i < n; i++)
            if (argnums[i] == argnums[i - 1]) /* MLX names argnums[0] here */
                error = PyUnicode_FromFormat("%s Duplicate argument index %d is not allowed.", tag, argnums[0]);
    }
    if (error) {
        PyErr_SetObject(PyExc_ValueError, error);
        Py_DECREF(error);
        PyMem_Free(argnums);
        Py_DECREF(argnames);
        return NULL;
    }
    GcFuncObject *self = gc_func_new(kind, fun);
    if (self == NULL) {
        PyMem_Free(argnums);
        Py_DECREF(argnames);
        return NULL;
    }
    self->argnums = argnums;
    self->n_argnums = n;
    self->argnames = argnames;
    return (PyObject *)self;
}

static PyObject *transforms_grad(PyObject *module, PyObject *args, PyObject *kwargs) {
    return make_grad(args, kwargs, FUNC_GRAD);
}

static PyObject *transforms_value_and_grad(PyObject *module, PyObject *args, PyObject *kwargs) {
    return make_grad(args, kwargs, FUNC_VALUE_AND_GRAD);
}

static PyObject *transforms_vmap(PyObject *module, PyObject *args, PyObject *kwargs) {
    static char *keywords[] = {"fun", "in_axes", "out_axes", NULL};
    PyObject *fun, *in_axes = NULL, *out_axes = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|OO:vmap", keywords, &fun, &in_axes, &out_axes))
        return NULL;
    if (!PyCallable_Check(fun) || in_axes == Py_None || out_axes == Py_None)
        return incompatible_arguments(
            "vmap", "vmap(fun: Callable[P, R], in_axes: object = 0, out_axes: object = 0) -> Callable[P, R]", args,
            kwargs);
    GcFuncObject *self = gc_func_new(FUNC_VMAP, fun);
    if (self == NULL)
        return NULL;
    self->in_axes = in_axes ? Py_NewRef(in_axes) : PyLong_FromLong(0);
    self->out_axes = out_axes ? Py_NewRef(out_axes) : PyLong_FromLong(0);
    if (self->in_axes == NULL || self->out_axes == NULL)
        Py_CLEAR(self);
    return (PyObject *)self;
}

static PyObject *transforms_checkpoint(PyObject *module, PyObject *args, PyObject *kwargs) {
    static char *keywords[] = {"fun", NULL};
    PyObject *fun;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:checkpoint", keywords, &fun))
        return NULL;
    if (!PyCallable_Check(fun))
        return incompatible_arguments("checkpoint", "checkpoint(fun: Callable[P, R]) -> Callable[P, R]", args, kwargs);
    return (PyObject *)gc_func_new(FUNC_CHECKPOINT, fun);
}

/* ---- custom_function ------------------------------------------------------------------------------------- */

typedef struct {
    PyObject_HEAD PyObject *fun;
    PyObject *vjp, *jvp, *vmap; /* NULL: derived from fun's graph */
} CustomFunctionObject;

/* What the closures of one call share: [input structure, output structure]. */
enum { STATE_INPUTS, STATE_OUTPUTS };

typedef enum { CUSTOM_FUN, CUSTOM_VJP, CUSTOM_JVP, CUSTOM_VMAP } custom_role;

typedef struct {
    custom_role role;
    PyObject *callable;
    PyObject *state; /* a list: [input structure, output structure] */
    int n_inputs;    /* array leaves of (args, kwargs) */
} custom_payload;

static void custom_payload_destroy(void *payload) {
    custom_payload *p = payload;
    PyObject *objects[2] = {p->callable, p->state};
    release_objects(objects, 2);
    free(p);
}

/* (args, kwargs) of the call with `arrays` in the places of its array leaves. */
static PyObject *custom_inputs(custom_payload *p, PyObject *arrays) {
    Py_ssize_t index = 0;
    return cmlx_tree_from_structure(PyList_GET_ITEM(p->state, STATE_INPUTS), arrays, &index);
}

/* The transform functions take the positional arguments as one tree: the
 * single argument itself, or the tuple of them. */
static PyObject *primal_tree(PyObject *args) {
    return Py_NewRef(PyTuple_GET_SIZE(args) == 1 ? PyTuple_GET_ITEM(args, 0) : args);
}

static mx_status custom_fun_fn(custom_payload *p, const mx_array *inputs, int n, mx_array_list *outputs) {
    PyObject *arrays = wrap_inputs(inputs, n), *leaves = PyList_New(0), *structure = NULL;
    if (arrays && leaves)
        structure = call_structured(p->callable, PyList_GET_ITEM(p->state, STATE_INPUTS), arrays, 1, leaves);
    mx_status st;
    if (structure == NULL) {
        st = stash_exception();
    } else {
        PyList_SetItem(p->state, STATE_OUTPUTS, structure); /* steals */
        st = push_leaves(leaves, 0, outputs);
    }
    Py_XDECREF(arrays);
    Py_XDECREF(leaves);
    return st;
}

/* vjp: inputs = primals (n), cotangents (m), outputs (m) -> n cotangents of the primals. */
static mx_status custom_vjp_fn(custom_payload *p, const mx_array *inputs, int n, mx_array_list *outputs) {
    int n_in = p->n_inputs, m = (n - n_in) / 2;
    PyObject *primals = wrap_inputs(inputs, n_in), *cots = wrap_inputs(inputs + n_in, m);
    PyObject *outs = wrap_inputs(inputs + n_in + m, m);
    PyObject *full = NULL, *cot_tree = NULL, *out_tree = NULL, *result = NULL, *leaves = NULL;
    Py_ssize_t index = 0;
    if (primals && cots && outs)
        full = custom_inputs(p, primals);
    if (full)
        cot_tree = cmlx_tree_from_structure(PyList_GET_ITEM(p->state, STATE_OUTPUTS), cots, &index);
    index = 0;
    if (cot_tree)
        out_tree = cmlx_tree_from_structure(PyList_GET_ITEM(p->state, STATE_OUTPUTS), outs, &index);
    if (out_tree) {
        PyObject *first = primal_tree(PyTuple_GET_ITEM(full, 0));
        PyObject *call_args = PyTuple_Pack(3, first, cot_tree, out_tree);
        if (call_args)
            result = PyObject_Call(p->callable, call_args, PyTuple_GET_ITEM(full, 1));
        Py_DECREF(first);
        Py_XDECREF(call_args);
    }
    if (result && (leaves = PyList_New(0)) != NULL && cmlx_tree_flatten(result, 0, leaves) < 0)
        Py_CLEAR(leaves);
    if (leaves) {
        /* arrays passed by keyword get no cotangent from MLX's vjp functions: zero */
        PyObject *positional = PyList_New(0);
        Py_ssize_t n_positional = -1;
        if (positional && cmlx_tree_flatten(PyTuple_GET_ITEM(full, 0), 0, positional) == 0)
            n_positional = PyList_GET_SIZE(positional);
        Py_XDECREF(positional);
        Py_ssize_t got = PyList_GET_SIZE(leaves);
        if (got != n_in && got != n_positional) {
            PyErr_Format(PyExc_ValueError,
                         "[custom vjp] The vjp function returned %zd arrays; it should return one cotangent for each "
                         "of the %d array inputs, in the structure of the primals.",
                         got, n_in);
            Py_CLEAR(leaves);
        }
    }
    mx_status st;
    if (leaves == NULL) {
        st = stash_exception();
    } else {
        st = push_leaves(leaves, 0, outputs);
        for (int i = (int)PyList_GET_SIZE(leaves); st == MX_OK && i < n_in; i++)
            st = mx_array_list_push(outputs, mx_zeros_like(inputs[i]));
    }
    Py_XDECREF(primals);
    Py_XDECREF(cots);
    Py_XDECREF(outs);
    Py_XDECREF(full);
    Py_XDECREF(cot_tree);
    Py_XDECREF(out_tree);
    Py_XDECREF(result);
    Py_XDECREF(leaves);
    return st;
}

/* The positional arguments of the call, refusing keyword arguments (MLX's custom jvp/vmap). */
static PyObject *positional_only(custom_payload *p, PyObject *arrays, const char *tag) {
    PyObject *full = custom_inputs(p, arrays);
    if (full == NULL)
        return NULL;
    if (PyDict_GET_SIZE(PyTuple_GET_ITEM(full, 1)) > 0) {
        PyErr_Format(PyExc_ValueError, "%s Function should only accept positional arguments", tag);
        Py_DECREF(full);
        return NULL;
    }
    PyObject *args = Py_NewRef(PyTuple_GET_ITEM(full, 0));
    Py_DECREF(full);
    return args;
}

/* jvp: inputs = primals (n), tangents (n) -> m tangents of the outputs. A
 * tangent handle that is not a valid array means "no tangent": None. */
static mx_status custom_jvp_fn(custom_payload *p, const mx_array *inputs, int n, mx_array_list *outputs) {
    int n_in = p->n_inputs;
    PyObject *primals = wrap_inputs(inputs, n_in), *tangents = PyList_New(n - n_in);
    for (int i = 0; tangents && i < n - n_in; i++) {
        mx_array t = inputs[n_in + i];
        PyObject *o = mx_is_valid(t) ? cmlx_array_from_handle(mx_retain(t)) : Py_NewRef(Py_None);
        if (o == NULL)
            Py_CLEAR(tangents);
        else
            PyList_SET_ITEM(tangents, i, o);
    }
    PyObject *args = primals && tangents ? positional_only(p, primals, "[custom jvp]") : NULL;
    PyObject *result = NULL, *leaves = NULL;
    if (args) {
        Py_ssize_t index = 0;
        PyObject *tangent_tree = cmlx_tree_unflatten_none(args, tangents, &index);
        PyObject *a = tangent_tree ? primal_tree(args) : NULL;
        PyObject *t = a ? primal_tree(tangent_tree) : NULL;
        if (t)
            result = PyObject_CallFunctionObjArgs(p->callable, a, t, NULL);
        Py_XDECREF(tangent_tree);
        Py_XDECREF(a);
        Py_XDECREF(t);
    }
    if (result && (leaves = PyList_New(0)) != NULL && cmlx_tree_flatten(result, 0, leaves) < 0)
        Py_CLEAR(leaves);
    mx_status st = leaves ? push_leaves(leaves, 0, outputs) : stash_exception();
    Py_XDECREF(primals);
    Py_XDECREF(tangents);
    Py_XDECREF(args);
    Py_XDECREF(result);
    Py_XDECREF(leaves);
    return st;
}

/* Collects the outputs of a custom vmap function and their axes (None: -1). */
typedef struct {
    PyObject *arrays;
    axes_ctx axes;
} vmap_result_ctx;

static int vmap_result_visitor(void *ctx, PyObject *leaf, PyObject *axis) {
    vmap_result_ctx *c = ctx;
    if (!CmlxArray_Check(leaf))
        return 0;
    long value = -1;
    if (axis != Py_None) {
        value = PyLong_Check(axis) ? PyLong_AsLong(axis) : -1;
        if (!PyLong_Check(axis)) {
            PyErr_SetString(PyExc_TypeError, "[custom vmap] The output axes should be ints or None.");
            return -1;
        }
        if (value == -1 && PyErr_Occurred())
            return -1;
    }
    if (PyList_Append(c->arrays, leaf) < 0)
        return -1;
    return axes_push(&c->axes, (int)value);
}

/* vmap: inputs = batched inputs (n), their axes (n int32 scalars, -1: not
 * batched) -> m outputs, then their axes (m int32 scalars). */
static mx_status custom_vmap_fn(custom_payload *p, const mx_array *inputs, int n, mx_array_list *outputs) {
    int n_in = p->n_inputs;
    PyObject *arrays = wrap_inputs(inputs, n_in), *axes = PyList_New(n - n_in);
    for (int i = 0; axes && i < n - n_in; i++) {
        int64_t axis = -1;
        if (mx_item_i64(inputs[n_in + i], &axis) != MX_OK) {
            cmlx_raise(mx_last_status());
            Py_CLEAR(axes);
            break;
        }
        PyObject *o = axis >= 0 ? PyLong_FromLongLong(axis) : Py_NewRef(Py_None);
        if (o == NULL)
            Py_CLEAR(axes);
        else
            PyList_SET_ITEM(axes, i, o);
    }
    PyObject *args = arrays && axes ? positional_only(p, arrays, "[custom vmap]") : NULL;
    PyObject *result = NULL;
    vmap_result_ctx c = {PyList_New(0), {0}};
    int ok = 0;
    if (args && c.arrays) {
        Py_ssize_t index = 0;
        PyObject *axes_tree = cmlx_tree_unflatten_none(args, axes, &index);
        PyObject *a = axes_tree ? primal_tree(args) : NULL;
        PyObject *ax = a ? primal_tree(axes_tree) : NULL;
        if (ax)
            result = PyObject_CallFunctionObjArgs(p->callable, a, ax, NULL);
        Py_XDECREF(axes_tree);
        Py_XDECREF(a);
        Py_XDECREF(ax);
    }
    if (result) {
        if (!PyTuple_Check(result) || PyTuple_GET_SIZE(result) != 2)
            PyErr_SetString(PyExc_ValueError, "[custom vmap] Vmap function should return a tuple with 2 items.");
        else
            ok = cmlx_tree_visit_prefix(PyTuple_GET_ITEM(result, 0), PyTuple_GET_ITEM(result, 1), vmap_result_visitor,
                                        &c) == 0;
    }
    mx_status st = ok ? push_leaves(c.arrays, 0, outputs) : stash_exception();
    for (int k = 0; ok && st == MX_OK && k < c.axes.count; k++)
        st = mx_array_list_push(outputs, mx_scalar_i32(c.axes.axes[k]));
    Py_XDECREF(arrays);
    Py_XDECREF(axes);
    Py_XDECREF(args);
    Py_XDECREF(result);
    Py_XDECREF(c.arrays);
    PyMem_Free(c.axes.axes);
    return st;
}

static mx_status custom_fn(void *payload, const mx_array *inputs, int n, mx_array_list *outputs) {
    custom_payload *p = payload;
    PyGILState_STATE gil = PyGILState_Ensure();
    mx_status st = MX_ERROR_INTERNAL;
    switch (p->role) {
    case CUSTOM_FUN: st = custom_fun_fn(p, inputs, n, outputs); break;
    case CUSTOM_VJP: st = custom_vjp_fn(p, inputs, n, outputs); break;
    case CUSTOM_JVP: st = custom_jvp_fn(p, inputs, n, outputs); break;
    case CUSTOM_VMAP: st = custom_vmap_fn(p, inputs, n, outputs); break;
    }
    PyGILState_Release(gil);
    return st;
}

/* A closure for one role, or NULL (no error) when `callable` is NULL. */
static int custom_closure(custom_role role, PyObject *callable, PyObject *state, int n_inputs, mx_closure *out) {
    *out = NULL;
    if (callable == NULL)
        return 0;
    custom_payload *p = calloc(1, sizeof *p);
    if (p == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    p->role = role;
    p->callable = Py_NewRef(callable);
    p->state = Py_NewRef(state);
    p->n_inputs = n_inputs;
    *out = mx_closure_new(custom_fn, p, custom_payload_destroy);
    if (*out == NULL) {
        cmlx_raise(MX_OK);
        return -1;
    }
    return 0;
}

static PyObject *custom_function_call(CustomFunctionObject *self, PyObject *args, PyObject *kwargs) {
    if (self->vjp == NULL && self->jvp == NULL && self->vmap == NULL)
        return PyObject_Call(self->fun, args, kwargs);
    if (require(mx_custom_function != NULL, "mx_custom_function") < 0)
        return NULL;
    PyObject *kw = kwargs ? Py_NewRef(kwargs) : PyDict_New();
    PyObject *full = kw ? PyTuple_Pack(2, args, kw) : NULL;
    PyObject *inputs = PyList_New(0), *structure = NULL, *state = NULL, *result = NULL;
    if (full && inputs)
        structure = cmlx_tree_structure(full, 0, inputs);
    if (structure)
        state = PyList_New(2);
    if (state) {
        PyList_SET_ITEM(state, STATE_INPUTS, structure);
        PyList_SET_ITEM(state, STATE_OUTPUTS, Py_NewRef(Py_None));
        structure = NULL; /* the state holds it */
    }
    mx_closure f = NULL, vjp = NULL, jvp = NULL, vmap = NULL, cf = NULL;
    int n_inputs = inputs ? (int)PyList_GET_SIZE(inputs) : 0;
    if (state && custom_closure(CUSTOM_FUN, self->fun, state, n_inputs, &f) == 0 &&
        custom_closure(CUSTOM_VJP, self->vjp, state, n_inputs, &vjp) == 0 &&
        custom_closure(CUSTOM_JVP, self->jvp, state, n_inputs, &jvp) == 0 &&
        custom_closure(CUSTOM_VMAP, self->vmap, state, n_inputs, &vmap) == 0) {
        cf = mx_custom_function(f, vjp, jvp, vmap);
        if (cf == NULL)
            cmlx_raise(MX_OK);
    }
    if (cf) {
        mx_array_list outputs = {0};
        mx_status st = apply_closure(cf, inputs, &outputs);
        if (st != MX_OK) {
            raise_failure(st);
        } else {
            drop_pending();
            PyObject *values = list_to_python(&outputs, 0, outputs.count);
            Py_ssize_t index = 0;
            if (values)
                result = cmlx_tree_from_structure(PyList_GET_ITEM(state, STATE_OUTPUTS), values, &index);
            Py_XDECREF(values);
        }
        mx_array_list_clear(&outputs);
    }
    mx_closure_free(cf);
    mx_closure_free(f);
    mx_closure_free(vjp);
    mx_closure_free(jvp);
    mx_closure_free(vmap);
    Py_XDECREF(kw);
    Py_XDECREF(full);
    Py_XDECREF(inputs);
    Py_XDECREF(structure);
    Py_XDECREF(state);
    return result;
}

static int custom_function_init(CustomFunctionObject *self, PyObject *args, PyObject *kwargs) {
    static char *keywords[] = {"f", NULL};
    PyObject *fun;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:__init__", keywords, &fun))
        return -1;
    if (!PyCallable_Check(fun)) {
        PyObject *all = PyTuple_Pack(2, (PyObject *)self, fun);
        if (all)
            incompatible_arguments("__init__", "__init__(self, f: Callable)", all, NULL);
        Py_XDECREF(all);
        return -1;
    }
    Py_XSETREF(self->fun, Py_NewRef(fun));
    return 0;
}

static int custom_function_traverse(CustomFunctionObject *self, visitproc visit, void *arg) {
    Py_VISIT(self->fun);
    Py_VISIT(self->vjp);
    Py_VISIT(self->jvp);
    Py_VISIT(self->vmap);
    return 0;
}

static int custom_function_clear(CustomFunctionObject *self) {
    Py_CLEAR(self->fun);
    Py_CLEAR(self->vjp);
    Py_CLEAR(self->jvp);
    Py_CLEAR(self->vmap);
    return 0;
}

static void custom_function_dealloc(CustomFunctionObject *self) {
    PyObject_GC_UnTrack(self);
    custom_function_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *set_rule(CustomFunctionObject *self, PyObject *f, PyObject **slot, const char *name) {
    if (!PyCallable_Check(f)) {
        PyObject *all = PyTuple_Pack(2, (PyObject *)self, f);
        char signature[64];
        snprintf(signature, sizeof signature, "%s(self, f: Callable)", name);
        if (all)
            incompatible_arguments(name, signature, all, NULL);
        Py_XDECREF(all);
        return NULL;
    }
    Py_XSETREF(*slot, Py_NewRef(f));
    return Py_NewRef((PyObject *)self);
}

static PyObject *custom_function_set_vjp(CustomFunctionObject *self, PyObject *f) {
    return set_rule(self, f, &self->vjp, "vjp");
}
static PyObject *custom_function_set_jvp(CustomFunctionObject *self, PyObject *f) {
    return set_rule(self, f, &self->jvp, "jvp");
}
static PyObject *custom_function_set_vmap(CustomFunctionObject *self, PyObject *f) {
    return set_rule(self, f, &self->vmap, "vmap");
}

static PyMethodDef custom_function_methods[] = {
    {"vjp", (PyCFunction)custom_function_set_vjp, METH_O,
     "vjp(self, f: Callable)\n\nDefine a custom vjp for the wrapped function: f(primals, cotangents, outputs) "
     "returns the cotangents of the primals (the positional arguments: the single one, or a tuple of them)."},
    {"jvp", (PyCFunction)custom_function_set_jvp, METH_O,
     "jvp(self, f: Callable)\n\nDefine a custom jvp for the wrapped function: f(primals, tangents) returns the "
     "tangents of the outputs (tangents are None for inputs without one)."},
    {"vmap", (PyCFunction)custom_function_set_vmap, METH_O,
     "vmap(self, f: Callable)\n\nDefine a custom vectorization for the wrapped function: f(inputs, axes) returns "
     "(outputs, output axes); an axis is None for an input or output that is not vectorized."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject CustomFunction_Type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "cmlx.core.custom_function",
    .tp_basicsize = sizeof(CustomFunctionObject),
    .tp_dealloc = (destructor)custom_function_dealloc,
    .tp_call = (ternaryfunc)custom_function_call,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = (traverseproc)custom_function_traverse,
    .tp_clear = (inquiry)custom_function_clear,
    .tp_methods = custom_function_methods,
    .tp_init = (initproc)custom_function_init,
    .tp_new = PyType_GenericNew,
    .tp_doc = "custom_function(f: Callable)\n\nSet up a function for custom gradient and vmap definitions: a "
              "decorator whose .vjp, .jvp and .vmap decorators replace the transforms of the wrapped function.",
};

/* ---- registration --------------------------------------------------------------------------------------------- */

static PyMethodDef transform_methods[] = {
    {"grad", (PyCFunction)(void (*)(void))transforms_grad, METH_VARARGS | METH_KEYWORDS,
     "grad($module, fun, argnums=None, argnames=[])\n--\n\n"
     "Returns a function which computes the gradient of ``fun`` (a scalar-valued function) with respect to the "
     "positional arguments ``argnums`` (default 0) and the keyword arguments ``argnames``."},
    {"value_and_grad", (PyCFunction)(void (*)(void))transforms_value_and_grad, METH_VARARGS | METH_KEYWORDS,
     "value_and_grad($module, fun, argnums=None, argnames=[])\n--\n\n"
     "Returns a function which computes the value and gradient of ``fun``. ``fun`` returns a scalar array or a tuple "
     "whose first element is a scalar array (differentiated) and the rest anything (passed through)."},
    {"vjp", (PyCFunction)(void (*)(void))transforms_vjp, METH_VARARGS | METH_KEYWORDS,
     "vjp($module, fun, primals, cotangents)\n--\n\n"
     "Compute the vector-Jacobian product: returns (outputs, vjps), two lists of arrays."},
    {"jvp", (PyCFunction)(void (*)(void))transforms_jvp, METH_VARARGS | METH_KEYWORDS,
     "jvp($module, fun, primals, tangents)\n--\n\n"
     "Compute the Jacobian-vector product: returns (outputs, jvps), two lists of arrays."},
    {"vmap", (PyCFunction)(void (*)(void))transforms_vmap, METH_VARARGS | METH_KEYWORDS,
     "vmap($module, fun, in_axes=0, out_axes=0)\n--\n\n"
     "Returns a vectorized version of ``fun``; in_axes/out_axes are ints or prefix trees of the inputs/outputs "
     "(None: not vectorized)."},
    {"checkpoint", (PyCFunction)(void (*)(void))transforms_checkpoint, METH_VARARGS | METH_KEYWORDS,
     "checkpoint($module, fun)\n--\n\n"
     "Returns a function computing the same values as ``fun`` whose intermediate values are recomputed in the "
     "backward pass instead of being kept."},
    {NULL, NULL, 0, NULL},
};

int cmlx_init_transforms(PyObject *module) {
    if (PyType_Ready(&GcFunc_Type) < 0 || PyType_Ready(&CustomFunction_Type) < 0)
        return -1;
    if (PyModule_AddObjectRef(module, "_gc_func", (PyObject *)&GcFunc_Type) < 0 ||
        PyModule_AddObjectRef(module, "custom_function", (PyObject *)&CustomFunction_Type) < 0)
        return -1;
    return PyModule_AddFunctions(module, transform_methods);
}
