/* python/src/io.c - mx.load, mx.save, mx.savez, mx.savez_compressed,
 * mx.save_safetensors and mx.save_gguf with MLX's signatures. Files are str,
 * pathlib.Path (anything os.fspath accepts) or, where MLX accepts them, file
 * objects: read whole into memory (mx_load_memory) or written from the bytes
 * that mx_save_memory produced. */
#include <stdlib.h>
#include <string.h>

#include "cmlx_py.h"

/* A path string for str / os.PathLike, NULL (no exception) for other objects. */
static PyObject *fspath_or_null(PyObject *file) {
    if (PyUnicode_Check(file))
        return Py_NewRef(file);
    if (PyObject_HasAttrString(file, "__fspath__")) {
        PyObject *p = PyOS_FSPath(file);
        if (p && PyBytes_Check(p)) {
            PyObject *s = PyUnicode_DecodeFSDefaultAndSize(PyBytes_AS_STRING(p), PyBytes_GET_SIZE(p));
            Py_DECREF(p);
            return s;
        }
        return p;
    }
    return NULL;
}

static int is_writable_file(PyObject *file) { return PyObject_HasAttrString(file, "write"); }
static int is_readable_file(PyObject *file) { return PyObject_HasAttrString(file, "read"); }

/* Writes a malloc'd block to a file object and frees it. */
static PyObject *write_bytes_to(PyObject *file, void *data, size_t size) {
    PyObject *bytes = PyBytes_FromStringAndSize(data, (Py_ssize_t)size);
    free(data);
    if (!bytes)
        return NULL;
    PyObject *r = PyObject_CallMethod(file, "write", "O", bytes);
    Py_DECREF(bytes);
    if (!r)
        return NULL;
    Py_DECREF(r);
    Py_RETURN_NONE;
}

static PyObject *named_to_dict(mx_named_arrays *map) {
    PyObject *dict = PyDict_New();
    for (int i = 0; dict && i < mx_named_arrays_size(map); i++) {
        PyObject *a = cmlx_array_from_handle(mx_retain(mx_named_arrays_at(map, i)));
        if (!a || PyDict_SetItemString(dict, mx_named_arrays_name(map, i), a) < 0) {
            Py_XDECREF(a);
            Py_CLEAR(dict);
            break;
        }
        Py_DECREF(a);
    }
    mx_named_arrays_free(map);
    return dict;
}

static PyObject *metadata_to_dict(mx_metadata *meta) {
    PyObject *dict = PyDict_New();
    for (int i = 0; dict && i < mx_metadata_size(meta); i++) {
        PyObject *v = NULL;
        switch (mx_metadata_kind_at(meta, i)) {
        case MX_METADATA_STRING: v = PyUnicode_FromString(mx_metadata_string(meta, i)); break;
        case MX_METADATA_STRINGS: {
            int n = mx_metadata_strings_count(meta, i);
            v = PyList_New(n);
            for (int j = 0; v && j < n; j++) {
                PyObject *s = PyUnicode_FromString(mx_metadata_strings_at(meta, i, j));
                if (!s) {
                    Py_CLEAR(v);
                    break;
                }
                PyList_SET_ITEM(v, j, s);
            }
            break;
        }
        case MX_METADATA_ARRAY: v = cmlx_array_from_handle(mx_retain(mx_metadata_array(meta, i))); break;
        }
        if (!v || PyDict_SetItemString(dict, mx_metadata_name(meta, i), v) < 0) {
            Py_XDECREF(v);
            Py_CLEAR(dict);
            break;
        }
        Py_DECREF(v);
    }
    mx_metadata_free(meta);
    return dict;
}

/* load(file, /, format=None, return_metadata=False, *, stream=None) */
static PyObject *py_load(PyObject *self, PyObject *args, PyObject *kwargs) {
    static char *kwlist[] = {"", "format", "return_metadata", "stream", NULL};
    PyObject *file, *format_obj = Py_None, *stream = Py_None;
    int return_metadata = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|Op$O:load", kwlist, &file, &format_obj, &return_metadata,
                                     &stream))
        return NULL;
    PyObject *path = fspath_or_null(file);
    if (!path && PyErr_Occurred())
        return NULL;
    if (!path && !is_readable_file(file)) {
        PyErr_SetString(PyExc_TypeError, "load(): file must be a str, a pathlib.Path or a file object");
        return NULL;
    }
    /* the format: given, or the extension of the path (of file.name for file objects) */
    PyObject *format_str = NULL;
    if (format_obj != Py_None) {
        if (!PyUnicode_Check(format_obj)) {
            Py_XDECREF(path);
            PyErr_SetString(PyExc_TypeError, "load(): format must be a str or None");
            return NULL;
        }
        format_str = Py_NewRef(format_obj);
    } else {
        PyObject *name = path ? Py_NewRef(path) : PyObject_GetAttrString(file, "name");
        if (!name)
            return NULL;
        const char *s = PyUnicode_Check(name) ? PyUnicode_AsUTF8(name) : NULL;
        if (!s) {
            Py_DECREF(name);
            Py_XDECREF(path);
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "load(): the file's name is not a str");
            return NULL;
        }
        const char *slash = strrchr(s, '/');
        const char *dot = strrchr(slash ? slash + 1 : s, '.');
        format_str = PyUnicode_FromString(dot ? dot + 1 : "");
        Py_DECREF(name);
        if (!format_str) {
            Py_XDECREF(path);
            return NULL;
        }
    }
    const char *format = PyUnicode_AsUTF8(format_str);
    mx_array array = MX_NULL_ARRAY;
    mx_named_arrays *arrays = NULL;
    mx_metadata *meta = NULL;
    mx_status st;
    if (path) {
        const char *p = PyUnicode_AsUTF8(path);
        if (!p || !format) {
            Py_DECREF(path);
            Py_DECREF(format_str);
            return NULL;
        }
        Py_BEGIN_ALLOW_THREADS st = mx_load(p, format, &array, &arrays, return_metadata ? &meta : NULL);
        Py_END_ALLOW_THREADS Py_DECREF(path);
    } else {
        PyObject *bytes = PyObject_CallMethod(file, "read", NULL);
        if (!bytes || !PyBytes_Check(bytes)) {
            Py_XDECREF(bytes);
            Py_DECREF(format_str);
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "load(): the file's read() must return bytes");
            return NULL;
        }
        st = mx_load_memory(PyBytes_AS_STRING(bytes), (size_t)PyBytes_GET_SIZE(bytes), format, &array, &arrays,
                            return_metadata ? &meta : NULL);
        Py_DECREF(bytes);
    }
    Py_DECREF(format_str);
    if (st != MX_OK)
        return cmlx_raise(st);
    if (arrays == NULL)
        return cmlx_array_from_handle(array);
    PyObject *dict = named_to_dict(arrays);
    if (!return_metadata || !dict)
        return dict;
    PyObject *md = metadata_to_dict(meta);
    if (!md) {
        Py_DECREF(dict);
        return NULL;
    }
    PyObject *out = PyTuple_Pack(2, dict, md);
    Py_DECREF(dict);
    Py_DECREF(md);
    return out;
}

/* Save through a path (C function `to_path`) or a file object (mx_save_memory). */
typedef mx_status (*save_path_fn)(const char *path, mx_array array, const mx_named_arrays *arrays,
                                  const mx_metadata *meta, bool compressed);

static mx_status save_npy_path(const char *p, mx_array a, const mx_named_arrays *m, const mx_metadata *md, bool c) {
    return mx_save(p, a);
}
static mx_status save_npz_path(const char *p, mx_array a, const mx_named_arrays *m, const mx_metadata *md, bool c) {
    return mx_savez(p, m, c);
}
static mx_status save_st_path(const char *p, mx_array a, const mx_named_arrays *m, const mx_metadata *md, bool c) {
    return mx_save_safetensors(p, m, md);
}
static mx_status save_gguf_path(const char *p, mx_array a, const mx_named_arrays *m, const mx_metadata *md, bool c) {
    return mx_save_gguf(p, m, md);
}

static PyObject *save_any(const char *fname, PyObject *file, save_path_fn to_path, const char *format, mx_array array,
                          const mx_named_arrays *arrays, const mx_metadata *meta, bool compressed, bool files_ok) {
    PyObject *path = fspath_or_null(file);
    if (!path && PyErr_Occurred())
        return NULL;
    mx_status st;
    if (path) {
        const char *p = PyUnicode_AsUTF8(path);
        if (!p) {
            Py_DECREF(path);
            return NULL;
        }
        Py_BEGIN_ALLOW_THREADS st = to_path(p, array, arrays, meta, compressed);
        Py_END_ALLOW_THREADS Py_DECREF(path);
        if (st != MX_OK)
            return cmlx_raise(st);
        Py_RETURN_NONE;
    }
    if (!files_ok || !is_writable_file(file)) {
        if (!files_ok)
            PyErr_Format(PyExc_ValueError, "[%s] Input must be a string", fname);
        else
            PyErr_Format(PyExc_TypeError, "%s(): file must be a str, a pathlib.Path or a file object", fname);
        return NULL;
    }
    void *data = NULL;
    size_t size = 0;
    Py_BEGIN_ALLOW_THREADS st = mx_save_memory(format, array, arrays, meta, compressed, &data, &size);
    Py_END_ALLOW_THREADS if (st != MX_OK) return cmlx_raise(st);
    return write_bytes_to(file, data, size);
}

/* save(file, arr) */
static PyObject *py_save(PyObject *self, PyObject *args, PyObject *kwargs) {
    static char *kwlist[] = {"file", "arr", NULL};
    PyObject *file, *arr;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO:save", kwlist, &file, &arr))
        return NULL;
    if (!CmlxArray_Check(arr)) {
        PyErr_Format(PyExc_TypeError, "save(): arr must be an array, not %s", Py_TYPE(arr)->tp_name);
        return NULL;
    }
    return save_any("save", file, save_npy_path, "npy", CmlxArray_HANDLE(arr), NULL, NULL, false, true);
}

/* A dict[str, array] as a map; NULL with an exception. */
static mx_named_arrays *dict_to_named(PyObject *dict, const char *fname) {
    if (!PyDict_Check(dict)) {
        PyErr_Format(PyExc_TypeError, "%s(): arrays must be a dict of str to array", fname);
        return NULL;
    }
    mx_named_arrays *map = mx_named_arrays_new();
    if (!map)
        return (mx_named_arrays *)cmlx_raise(MX_ERROR_MEMORY);
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(dict, &pos, &key, &value)) {
        const char *k = PyUnicode_Check(key) ? PyUnicode_AsUTF8(key) : NULL;
        if (!k || !CmlxArray_Check(value)) {
            mx_named_arrays_free(map);
            if (!PyErr_Occurred())
                PyErr_Format(PyExc_TypeError, "%s(): arrays must be a dict of str to array", fname);
            return NULL;
        }
        mx_status st = mx_named_arrays_set(map, k, CmlxArray_HANDLE(value));
        if (st != MX_OK) {
            mx_named_arrays_free(map);
            return (mx_named_arrays *)cmlx_raise(st);
        }
    }
    return map;
}

static PyObject *savez_impl(PyObject *args, PyObject *kwargs, bool compressed) {
    const char *fname = compressed ? "savez_compressed" : "savez";
    if (PyTuple_GET_SIZE(args) < 1) {
        PyErr_Format(PyExc_TypeError, "%s() missing required argument 'file'", fname);
        return NULL;
    }
    PyObject *file = PyTuple_GET_ITEM(args, 0);
    mx_named_arrays *map = mx_named_arrays_new();
    if (!map)
        return cmlx_raise(MX_ERROR_MEMORY);
    char name[32];
    for (Py_ssize_t i = 1; i < PyTuple_GET_SIZE(args); i++) {
        PyObject *a = PyTuple_GET_ITEM(args, i);
        snprintf(name, sizeof name, "arr_%zd", i - 1);
        if (!CmlxArray_Check(a)) {
            mx_named_arrays_free(map);
            PyErr_Format(PyExc_TypeError, "%s(): arguments must be arrays, not %s", fname, Py_TYPE(a)->tp_name);
            return NULL;
        }
        if (kwargs && PyDict_GetItemString(kwargs, name)) {
            mx_named_arrays_free(map);
            PyErr_Format(PyExc_ValueError, "[%s] Cannot use un-named variables and keyword %s", fname, name);
            return NULL;
        }
        mx_named_arrays_set(map, name, CmlxArray_HANDLE(a));
    }
    if (kwargs) {
        PyObject *key, *value;
        Py_ssize_t pos = 0;
        while (PyDict_Next(kwargs, &pos, &key, &value)) {
            if (!CmlxArray_Check(value)) {
                mx_named_arrays_free(map);
                PyErr_Format(PyExc_TypeError, "%s(): arguments must be arrays, not %s", fname, Py_TYPE(value)->tp_name);
                return NULL;
            }
            mx_named_arrays_set(map, PyUnicode_AsUTF8(key), CmlxArray_HANDLE(value));
        }
    }
    PyObject *r = save_any(fname, file, save_npz_path, "npz", MX_NULL_ARRAY, map, NULL, compressed, true);
    mx_named_arrays_free(map);
    return r;
}

static PyObject *py_savez(PyObject *self, PyObject *args, PyObject *kwargs) { return savez_impl(args, kwargs, false); }
static PyObject *py_savez_compressed(PyObject *self, PyObject *args, PyObject *kwargs) {
    return savez_impl(args, kwargs, true);
}

/* save_safetensors(file, arrays, metadata=None) */
static PyObject *py_save_safetensors(PyObject *self, PyObject *args, PyObject *kwargs) {
    static char *kwlist[] = {"file", "arrays", "metadata", NULL};
    PyObject *file, *arrays, *metadata = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|O:save_safetensors", kwlist, &file, &arrays, &metadata))
        return NULL;
    mx_metadata *meta = NULL;
    if (metadata != Py_None) {
        if (!PyDict_Check(metadata))
            goto bad_metadata;
        meta = mx_metadata_new();
        PyObject *key, *value;
        Py_ssize_t pos = 0;
        while (PyDict_Next(metadata, &pos, &key, &value)) {
            if (!PyUnicode_Check(key) || !PyUnicode_Check(value)) {
                mx_metadata_free(meta);
                goto bad_metadata;
            }
            const char *k = PyUnicode_AsUTF8(key), *v = PyUnicode_AsUTF8(value);
            if (!k || !v) {
                mx_metadata_free(meta);
                return NULL;
            }
            mx_metadata_set_string(meta, k, v);
        }
    }
    mx_named_arrays *map = dict_to_named(arrays, "save_safetensors");
    if (!map) {
        mx_metadata_free(meta);
        return NULL;
    }
    PyObject *r =
        save_any("save_safetensors", file, save_st_path, "safetensors", MX_NULL_ARRAY, map, meta, false, true);
    mx_named_arrays_free(map);
    mx_metadata_free(meta);
    return r;
bad_metadata:
    PyErr_SetString(PyExc_ValueError, "[save_safetensors] Metadata must be a dictionary with string keys and values");
    return NULL;
}

/* save_gguf(file, arrays, metadata) */
static PyObject *py_save_gguf(PyObject *self, PyObject *args, PyObject *kwargs) {
    static char *kwlist[] = {"file", "arrays", "metadata", NULL};
    PyObject *file, *arrays, *metadata;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOO:save_gguf", kwlist, &file, &arrays, &metadata))
        return NULL;
    PyObject *path = fspath_or_null(file);
    if (!path) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "[save_gguf] Input must be a string");
        return NULL;
    }
    Py_DECREF(path);
    if (!PyDict_Check(metadata)) {
        PyErr_SetString(PyExc_TypeError, "save_gguf(): metadata must be a dict");
        return NULL;
    }
    mx_metadata *meta = mx_metadata_new();
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(metadata, &pos, &key, &value)) {
        const char *k = PyUnicode_Check(key) ? PyUnicode_AsUTF8(key) : NULL;
        mx_status st = MX_OK;
        if (!k) {
            mx_metadata_free(meta);
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "save_gguf(): metadata keys must be str");
            return NULL;
        }
        if (PyUnicode_Check(value)) {
            const char *v = PyUnicode_AsUTF8(value);
            st = v ? mx_metadata_set_string(meta, k, v) : MX_ERROR_VALUE;
        } else if (CmlxArray_Check(value)) {
            st = mx_metadata_set_array(meta, k, CmlxArray_HANDLE(value));
        } else if (PyList_Check(value)) {
            Py_ssize_t n = PyList_GET_SIZE(value);
            const char **items = PyMem_Malloc((size_t)(n ? n : 1) * sizeof *items);
            bool ok = items != NULL;
            for (Py_ssize_t j = 0; ok && j < n; j++) {
                PyObject *s = PyList_GET_ITEM(value, j);
                items[j] = PyUnicode_Check(s) ? PyUnicode_AsUTF8(s) : NULL;
                ok = items[j] != NULL;
            }
            if (ok)
                st = mx_metadata_set_strings(meta, k, items, (int)n);
            PyMem_Free(items);
            if (!ok) {
                mx_metadata_free(meta);
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_RuntimeError, "std::bad_cast"); /* MLX's error for other lists */
                return NULL;
            }
        } else {
            mx_metadata_free(meta);
            PyErr_SetString(PyExc_RuntimeError, "std::bad_cast"); /* MLX's error for other values */
            return NULL;
        }
        if (st != MX_OK) {
            mx_metadata_free(meta);
            return cmlx_raise(st);
        }
    }
    mx_named_arrays *map = dict_to_named(arrays, "save_gguf");
    if (!map) {
        mx_metadata_free(meta);
        return NULL;
    }
    PyObject *r = save_any("save_gguf", file, save_gguf_path, "gguf", MX_NULL_ARRAY, map, meta, false, false);
    mx_named_arrays_free(map);
    mx_metadata_free(meta);
    return r;
}

static PyMethodDef io_methods[] = {
    {"load", (PyCFunction)(void (*)(void))py_load, METH_VARARGS | METH_KEYWORDS,
     "load(file, /, format=None, return_metadata=False, *, stream=None)\n--\n\n"
     "Load array(s) from a binary file (.npy, .npz, .safetensors, .gguf)."},
    {"save", (PyCFunction)(void (*)(void))py_save, METH_VARARGS | METH_KEYWORDS,
     "save(file, arr)\n--\n\nSave the array to a binary file in .npy format."},
    {"savez", (PyCFunction)(void (*)(void))py_savez, METH_VARARGS | METH_KEYWORDS,
     "savez(file, *args, **kwargs)\n--\n\nSave several arrays to a binary file in uncompressed .npz format."},
    {"savez_compressed", (PyCFunction)(void (*)(void))py_savez_compressed, METH_VARARGS | METH_KEYWORDS,
     "savez_compressed(file, *args, **kwargs)\n--\n\nSave several arrays to a binary file in compressed .npz format."},
    {"save_safetensors", (PyCFunction)(void (*)(void))py_save_safetensors, METH_VARARGS | METH_KEYWORDS,
     "save_safetensors(file, arrays, metadata=None)\n--\n\nSave array(s) to a binary file in .safetensors format."},
    {"save_gguf", (PyCFunction)(void (*)(void))py_save_gguf, METH_VARARGS | METH_KEYWORDS,
     "save_gguf(file, arrays, metadata)\n--\n\nSave array(s) to a binary file in .gguf format."},
    {NULL, NULL, 0, NULL}};

int cmlx_init_io(PyObject *module) { return PyModule_AddFunctions(module, io_methods); }
