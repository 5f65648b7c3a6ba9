/* python/src/module.c - the cmlx.core extension module: eval and constants
 * here; the array type (array.c) and the op wrappers, random, memory and
 * devices (cmlx_init_ops, generated from python/gen) are added by their parts. */
#include <math.h>

#include "cmlx_py.h"
#include "devices.h"

PyObject *cmlx_core_module = NULL;

int cmlx_init_transforms(PyObject *module); /* transforms.c: grad, vjp, vmap, custom_function, ... */

mx_status cmlx_eval_nogil(const mx_array *arrays, int n) {
    mx_status st;
    Py_BEGIN_ALLOW_THREADS st = mx_eval(arrays, n);
    Py_END_ALLOW_THREADS return st;
}

/* ---- eval ------------------------------------------------------------------------------- */
typedef struct {
    mx_array *items;
    int count, capacity;
} array_list;

static int collect_arrays(PyObject *tree, array_list *out, int depth) {
    if (depth > 1000) {
        PyErr_SetString(PyExc_RecursionError, "eval: tree nested too deeply");
        return 0;
    }
    if (CmlxArray_Check(tree)) {
        if (out->count == out->capacity) {
            int capacity = out->capacity ? 2 * out->capacity : 16;
            mx_array *grown = PyMem_Realloc(out->items, (size_t)capacity * sizeof(mx_array));
            if (grown == NULL) {
                PyErr_NoMemory();
                return 0;
            }
            out->items = grown;
            out->capacity = capacity;
        }
        /* own a reference: the GIL is released while evaluating */
        out->items[out->count++] = mx_retain(CmlxArray_HANDLE(tree));
        return 1;
    }
    PyObject *children = NULL;
    if (PyList_Check(tree) || PyTuple_Check(tree))
        children = Py_NewRef(tree);
    else if (PyDict_Check(tree))
        children = PyDict_Values(tree);
    else
        return 1; /* leaves that are not arrays are ignored, as in MLX */
    if (children == NULL)
        return 0;
    PyObject *fast = PySequence_Fast(children, "eval");
    Py_DECREF(children);
    if (fast == NULL)
        return 0;
    int ok = 1;
    for (Py_ssize_t i = 0; ok && i < PySequence_Fast_GET_SIZE(fast); i++)
        ok = collect_arrays(PySequence_Fast_GET_ITEM(fast, i), out, depth + 1);
    Py_DECREF(fast);
    return ok;
}

static PyObject *module_eval(PyObject *module, PyObject *args) {
    array_list list = {0};
    int ok = collect_arrays(args, &list, 0);
    mx_status st = MX_OK;
    if (ok && list.count > 0)
        st = cmlx_eval_nogil(list.items, list.count);
    mx_free_n(list.items, list.count);
    PyMem_Free(list.items);
    if (!ok)
        return NULL;
    if (st != MX_OK)
        return cmlx_raise(st);
    Py_RETURN_NONE;
}

/* ---- the module ------------------------------------------------------------------------------ */
static PyMethodDef module_methods[] = {
    {"eval", module_eval, METH_VARARGS,
     "eval(*args): evaluate arrays or trees (lists, tuples, dicts) of arrays; other leaves are ignored."},
    /* MLX starts the evaluation and returns; here it completes before returning, which a caller
     * cannot tell apart (every later use of the arrays waits for them in MLX too) */
    {"async_eval", module_eval, METH_VARARGS,
     "async_eval(*args): evaluate arrays or trees of arrays (cmlx finishes the work before returning)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef core_module = {
    PyModuleDef_HEAD_INIT, .m_name = "cmlx.core",       .m_doc = "cmlx.core: MLX's core API on the cmlx C library.",
    .m_size = -1,          .m_methods = module_methods,
};

static int add_constants(PyObject *module) {
    return PyModule_AddObject(module, "pi", PyFloat_FromDouble(M_PI)) < 0 ||
                   PyModule_AddObject(module, "e", PyFloat_FromDouble(M_E)) < 0 ||
                   PyModule_AddObject(module, "euler_gamma", PyFloat_FromDouble(0.5772156649015329)) < 0 ||
                   PyModule_AddObject(module, "inf", PyFloat_FromDouble(INFINITY)) < 0 ||
                   PyModule_AddObject(module, "nan", PyFloat_FromDouble(NAN)) < 0 ||
                   PyModule_AddObjectRef(module, "newaxis", Py_None) < 0 ||
                   PyModule_AddStringConstant(module, "__version__", CMLX_VERSION_STRING) < 0
               ? -1
               : 0;
}

/* MLX's second names for functions the module already has. */
static int add_aliases(PyObject *module) {
    static const char *const aliases[][3] = {
        /* alias, submodule (NULL: the module itself), name */
        {"cumulative_sum", NULL, "cumsum"},
        {"cumulative_prod", NULL, "cumprod"},
        {"matrix_norm", "linalg", "norm"},
    };
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        PyObject *owner = aliases[i][1] ? PyObject_GetAttrString(module, aliases[i][1]) : Py_NewRef(module);
        PyObject *fn = owner ? PyObject_GetAttrString(owner, aliases[i][2]) : NULL;
        int failed = fn == NULL || PyModule_AddObjectRef(module, aliases[i][0], fn) < 0;
        Py_XDECREF(fn);
        Py_XDECREF(owner);
        if (failed)
            return -1;
    }
    return 0;
}

PyMODINIT_FUNC PyInit_core(void) {
    PyObject *module = PyModule_Create(&core_module);
    if (module == NULL)
        return NULL;
    cmlx_core_module = module; /* borrowed: the module lives as long as the interpreter */
    if (add_constants(module) < 0 || cmlx_init_array(module) < 0 || cmlx_init_devices(module) < 0 ||
        cmlx_init_ops(module) < 0 || cmlx_init_transforms(module) < 0 || add_aliases(module) < 0 ||
        cmlx_init_io(module) < 0) {
        cmlx_core_module = NULL;
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
