/* python/src/module.c - the cmlx.core extension module: eval, devices and
 * constants here; the array type (array.c) and the op wrappers
 * (cmlx_init_ops, generated) are added by their parts. */
#include <math.h>

#include "cmlx_py.h"

PyObject *cmlx_core_module = NULL;

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

/* ---- devices ------------------------------------------------------------------------------ */
/* mx.cpu / mx.gpu are DeviceType members; mx.Device(type, index=0) a device. */
typedef struct {
    PyObject_HEAD PyObject *type; /* a DeviceType member */
    int index;
} DeviceObject;

static PyObject *device_type_enum = NULL; /* cmlx.core.DeviceType */
static PyObject *default_device = NULL;   /* a Device */

static PyTypeObject Device_Type;

static int is_device_type(PyObject *obj) { return PyObject_IsInstance(obj, device_type_enum) == 1; }

static PyObject *device_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    static char *keywords[] = {"type", "index", NULL};
    PyObject *device_type;
    int index = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|i:Device", keywords, &device_type, &index))
        return NULL;
    if (!is_device_type(device_type)) {
        PyErr_SetString(PyExc_TypeError, "Device(type, index=0): type must be cmlx.core.cpu or cmlx.core.gpu");
        return NULL;
    }
    DeviceObject *self = (DeviceObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->type = Py_NewRef(device_type);
    self->index = index;
    return (PyObject *)self;
}

static void device_dealloc(PyObject *self) {
    Py_XDECREF(((DeviceObject *)self)->type);
    Py_TYPE(self)->tp_free(self);
}

static PyObject *device_repr(PyObject *self) {
    DeviceObject *d = (DeviceObject *)self;
    PyObject *name = PyObject_GetAttrString(d->type, "name");
    if (name == NULL)
        return NULL;
    PyObject *r = PyUnicode_FromFormat("Device(%U, %d)", name, d->index);
    Py_DECREF(name);
    return r;
}

static PyObject *device_richcompare(PyObject *a, PyObject *b, int op) {
    if (op != Py_EQ && op != Py_NE)
        Py_RETURN_NOTIMPLEMENTED;
    DeviceObject *d = (DeviceObject *)a;
    int same;
    if (PyObject_TypeCheck(b, &Device_Type)) {
        DeviceObject *e = (DeviceObject *)b;
        same = d->type == e->type && d->index == e->index;
    } else if (is_device_type(b)) {
        same = d->type == b;
    } else {
        Py_RETURN_NOTIMPLEMENTED;
    }
    return PyBool_FromLong(op == Py_EQ ? same : !same);
}

static Py_hash_t device_hash(PyObject *self) {
    DeviceObject *d = (DeviceObject *)self;
    Py_hash_t h = PyObject_Hash(d->type);
    return h == -1 ? -1 : h * 31 + d->index;
}

static PyObject *device_get_type(PyObject *self, void *closure) { return Py_NewRef(((DeviceObject *)self)->type); }

static PyGetSetDef device_getset[] = {
    {"type", device_get_type, NULL, "The DeviceType (cpu or gpu).", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject Device_Type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "cmlx.core.Device",
    .tp_basicsize = sizeof(DeviceObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Device(type, index=0): a device to run operations on.",
    .tp_new = device_new,
    .tp_dealloc = device_dealloc,
    .tp_repr = device_repr,
    .tp_richcompare = device_richcompare,
    .tp_hash = device_hash,
    .tp_getset = device_getset,
};

static PyObject *module_default_device(PyObject *module, PyObject *unused) { return Py_NewRef(default_device); }

static PyObject *module_set_default_device(PyObject *module, PyObject *device) {
    PyObject *device_obj;
    if (PyObject_TypeCheck(device, &Device_Type)) {
        device_obj = Py_NewRef(device);
    } else if (is_device_type(device)) {
        device_obj = PyObject_CallOneArg((PyObject *)&Device_Type, device);
        if (device_obj == NULL)
            return NULL;
    } else {
        PyErr_SetString(PyExc_TypeError, "set_default_device(device): expected a Device or a DeviceType");
        return NULL;
    }
    PyObject *cpu = PyObject_GetAttrString(device_type_enum, "cpu");
    int is_cpu = cpu != NULL && ((DeviceObject *)device_obj)->type == cpu;
    Py_XDECREF(cpu);
    if (!is_cpu) {
        Py_DECREF(device_obj);
        /* the CUDA backend has not landed: only the CPU can run ops */
        PyErr_SetString(PyExc_ValueError, "[set_default_device] Cannot set gpu device without gpu backend.");
        return NULL;
    }
    Py_SETREF(default_device, device_obj);
    Py_RETURN_NONE;
}

static PyObject *module_is_available(PyObject *module, PyObject *device) {
    PyObject *type = PyObject_TypeCheck(device, &Device_Type) ? ((DeviceObject *)device)->type : device;
    PyObject *cpu = PyObject_GetAttrString(device_type_enum, "cpu");
    if (cpu == NULL)
        return NULL;
    int available = type == cpu;
    Py_DECREF(cpu);
    return PyBool_FromLong(available);
}

static int init_devices(PyObject *module) {
    PyObject *enum_module = PyImport_ImportModule("enum");
    if (enum_module == NULL)
        return -1;
    PyObject *enum_class = PyObject_GetAttrString(enum_module, "Enum");
    Py_DECREF(enum_module);
    if (enum_class == NULL)
        return -1;
    PyObject *members = Py_BuildValue("[(si)(si)]", "cpu", 0, "gpu", 1);
    PyObject *call_args = members ? Py_BuildValue("(sO)", "DeviceType", members) : NULL;
    PyObject *call_kwargs = Py_BuildValue("{ss}", "module", "cmlx.core");
    device_type_enum = call_args && call_kwargs ? PyObject_Call(enum_class, call_args, call_kwargs) : NULL;
    Py_XDECREF(members);
    Py_XDECREF(call_args);
    Py_XDECREF(call_kwargs);
    Py_DECREF(enum_class);
    if (device_type_enum == NULL || PyType_Ready(&Device_Type) < 0)
        return -1;
    PyObject *cpu = PyObject_GetAttrString(device_type_enum, "cpu");
    PyObject *gpu = PyObject_GetAttrString(device_type_enum, "gpu");
    default_device = cpu ? PyObject_CallOneArg((PyObject *)&Device_Type, cpu) : NULL;
    int ok = cpu && gpu && default_device && PyModule_AddObjectRef(module, "DeviceType", device_type_enum) == 0 &&
             PyModule_AddObjectRef(module, "Device", (PyObject *)&Device_Type) == 0 &&
             PyModule_AddObjectRef(module, "cpu", cpu) == 0 && PyModule_AddObjectRef(module, "gpu", gpu) == 0;
    Py_XDECREF(cpu);
    Py_XDECREF(gpu);
    return ok ? 0 : -1;
}

/* ---- the module ------------------------------------------------------------------------------ */
static PyMethodDef module_methods[] = {
    {"eval", module_eval, METH_VARARGS,
     "eval(*args): evaluate arrays or trees (lists, tuples, dicts) of arrays; other leaves are ignored."},
    {"default_device", module_default_device, METH_NOARGS, "The default device (Device(cpu, 0))."},
    {"set_default_device", module_set_default_device, METH_O,
     "Set the default device. Only the CPU is available until the CUDA backend lands."},
    {"is_available", module_is_available, METH_O, "Whether a device (or device type) is available."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef core_module = {
    PyModuleDef_HEAD_INIT, .m_name = "cmlx.core", .m_doc = "cmlx.core: MLX's core API on the cmlx C library.",
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

PyMODINIT_FUNC PyInit_core(void) {
    PyObject *module = PyModule_Create(&core_module);
    if (module == NULL)
        return NULL;
    cmlx_core_module = module; /* borrowed: the module lives as long as the interpreter */
    if (add_constants(module) < 0 || init_devices(module) < 0 || cmlx_init_array(module) < 0 ||
        cmlx_init_ops(module) < 0) {
        cmlx_core_module = NULL;
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
