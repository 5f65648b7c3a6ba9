/* python/src/sort.c - the Python forms of the sort functions that the
 * generated wrappers cannot express from include/cmlx/sort.h alone: an axis
 * whose default is -1 but which also takes None (the flattened array), and
 * searchsorted's side string. */
#include <string.h>

#include "ops_support.h"

mx_array cmlx_op_sort(mx_array a, int axis) { return axis == CMLX_AXIS_NONE ? mx_sort(a) : mx_sort_axis(a, axis); }

mx_array cmlx_op_argsort(mx_array a, int axis) {
    return axis == CMLX_AXIS_NONE ? mx_argsort(a) : mx_argsort_axis(a, axis);
}

mx_array cmlx_op_partition(mx_array a, int kth, int axis) {
    return axis == CMLX_AXIS_NONE ? mx_partition(a, kth) : mx_partition_axis(a, kth, axis);
}

mx_array cmlx_op_argpartition(mx_array a, int kth, int axis) {
    return axis == CMLX_AXIS_NONE ? mx_argpartition(a, kth) : mx_argpartition_axis(a, kth, axis);
}

mx_array cmlx_op_topk(mx_array a, int k, int axis) {
    return axis == CMLX_AXIS_NONE ? mx_topk(a, k) : mx_topk_axis(a, k, axis);
}

mx_array cmlx_op_searchsorted(mx_array sorted_sequence, mx_array values, PyObject *side) {
    bool right = false;
    if (side != Py_None) { /* omitted: 'left' */
        if (!PyUnicode_Check(side)) {
            PyErr_Format(PyExc_TypeError, "searchsorted(): side must be a str, not %.100s", Py_TYPE(side)->tp_name);
            return MX_NULL_ARRAY;
        }
        const char *text = PyUnicode_AsUTF8(side);
        if (!text)
            return MX_NULL_ARRAY;
        if (strcmp(text, "right") == 0) {
            right = true;
        } else if (strcmp(text, "left") != 0) {
            PyErr_Format(PyExc_ValueError, "[searchsorted] Invalid side '%s'. Expected 'left' or 'right'.", text);
            return MX_NULL_ARRAY;
        }
    }
    return mx_searchsorted(sorted_sequence, values, right);
}
