#!/usr/bin/env python3
"""Generate the C source of cmlx.core's op functions: python3 python/gen/gen_ops.py OUT.c

Reads the C declarations of include/cmlx/{ops,random,memory}.h and
python/src/ops_support.h (paths relative to this file's repository), and the
Python side of each function from ops_spec.py, and writes one C file defining
cmlx_init_ops(module): every function of mlx.core the C library implements,
plus the submodule mlx.core.random. See docs/python-ops.md.
"""
import ast
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import ops_spec  # noqa: E402

# Public headers whose functions reach Python (each one must be reached or listed in
# ops_spec.NOT_EXPOSED), then the Python glue's own header.
PUBLIC_HEADERS = ["include/cmlx/ops.h", "include/cmlx/random.h", "include/cmlx/memory.h",
                  "include/cmlx/indexing.h", "include/cmlx/sort.h", "include/cmlx/conv.h", "include/cmlx/fast.h",
                  "include/cmlx/linalg.h", "include/cmlx/fft.h", "include/cmlx/quantize.h", "include/cmlx/composite.h"]
HEADERS = PUBLIC_HEADERS + ["python/src/ops_support.h"]
# Submodules of mlx.core and the prefix of their C functions (mx_random_uniform -> mx.random.uniform).
SUBMODULES = {"random": "Key-based random numbers (mlx.core.random).",
              "fast": "Fused kernels (mlx.core.fast).",
              "linalg": "Linear algebra (mlx.core.linalg).",
              "fft": "Fast Fourier transforms (mlx.core.fft)."}
SCALAR_TYPES = {"int": "int", "int64_t": "int64", "uint64_t": "uint64", "size_t": "size", "double": "double",
                "bool": "bool", "mx_dtype": "dtype"}
VARIANT_SUFFIXES = ("", "_axis", "_axes", "_flat")


class GenError(Exception):
    pass


# ---- C declarations ----------------------------------------------------------------------
class CParam:
    """One Python-visible C parameter: pairs (pointer, count) are one parameter."""

    def __init__(self, kind, name, ctype):
        self.kind = kind  # array, arrays, axes, shape, object, int, int64, uint64, size, double, bool, dtype
        self.name = name
        self.ctype = ctype


class CFunc:
    def __init__(self, name, ret, params):
        self.name = name
        self.ret = ret  # mx_array, void, size_t, PyObject*
        self.params = params


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def parse_params(fname, text):
    raw = [p.strip() for p in text.split(",")] if text.strip() not in ("", "void") else []
    params = []
    i = 0
    while i < len(raw):
        m = re.fullmatch(r"(.*?)(\w+)", raw[i])
        if not m:
            raise GenError(f"{fname}: cannot parse parameter '{raw[i]}'")
        ctype, name = " ".join(m.group(1).split()), m.group(2)
        pair_kinds = {"const mx_array *": "arrays", "const int *": "axes", "const int64_t *": "shape"}
        if ctype in pair_kinds and i + 1 < len(raw) and re.fullmatch(r"int\s+\w+", raw[i + 1]):
            params.append(CParam(pair_kinds[ctype], name, ctype))
            i += 2
            continue
        if ctype == "mx_array":
            params.append(CParam("array", name, ctype))
        elif ctype == "PyObject *":
            params.append(CParam("object", name, ctype))
        elif ctype in SCALAR_TYPES:
            params.append(CParam(SCALAR_TYPES[ctype], name, ctype))
        else:
            return None  # a convention the generator does not know (e.g. mx_array *out)
        i += 1
    return params


def parse_headers():
    funcs = {}
    for rel in HEADERS:
        text = strip_comments(open(os.path.join(ROOT, rel)).read())
        for m in re.finditer(r"(?:MX_API\s+)?(mx_array|void|size_t|mx_status|PyObject\s*\*)\s*"
                             r"\b((?:mx|cmlx_op)_\w+)\s*\(([^;{]*?)\)\s*;", text):
            ret, name = " ".join(m.group(1).split()).replace(" ", ""), m.group(2)
            params = parse_params(name, " ".join(m.group(3).split()))
            funcs[name] = CFunc(name, ret, params)
    return funcs


# ---- Python signatures -------------------------------------------------------------------
class PyParam:
    def __init__(self, name, default, positional_only, keyword_only, vararg=False):
        self.name = name
        self.default = default  # source text of the default, or None when required
        self.positional_only = positional_only
        self.keyword_only = keyword_only
        self.vararg = vararg  # *name: a tuple of the extra positionals


def parse_signature(sig):
    fn = ast.parse(f"def {sig}: pass").body[0]
    args = fn.args
    positional = args.posonlyargs + args.args
    ndefault = len(args.defaults)
    params = []
    for i, a in enumerate(positional):
        d = args.defaults[i - (len(positional) - ndefault)] if i >= len(positional) - ndefault else None
        params.append(PyParam(a.arg, ast.unparse(d) if d is not None else None, i < len(args.posonlyargs), False))
    if args.vararg is not None:
        params.append(PyParam(args.vararg.arg, None, False, False, vararg=True))
    for a, d in zip(args.kwonlyargs, args.kw_defaults):
        params.append(PyParam(a.arg, ast.unparse(d) if d is not None else None, False, True))
    return fn.name, params


def default_signature(cfunc, variants=()):
    """The Python signature of an ops.h function the spec does not list: its C
    parameters, positional-only, and for a family with axis variants (mx_foo,
    mx_foo_axis, mx_foo_axes) a keyword `axis=None` that picks the variant."""
    name = cfunc.name[3:]
    names = [p.name for p in cfunc.params if p.name not in ("axis", "axes")]
    has_axis = any(p.name in ("axis", "axes") for v in (cfunc, *variants) for p in v.params)
    required = ", ".join(names) + ", /, " if names else ""
    return f"{name}({required}*, {'axis=None, ' if has_axis else ''}stream=None)"


# ---- code generation -----------------------------------------------------------------------
def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dtype_constant(text):
    return "MX_" + text.upper()


class Wrapper:
    def __init__(self, op, funcs):
        self.op = op
        self.name, self.params = parse_signature(op.sig)
        if self.name != op.name:
            raise GenError(f"{op.sig}: bad signature")
        base = op.c or (f"mx_{op.module}_{self.name}" if op.module in SUBMODULES else f"mx_{self.name}")
        self.variants = [funcs[base + s] for s in VARIANT_SUFFIXES if base + s in funcs]
        if not self.variants:
            raise GenError(f"{op.module}.{self.name}: no C function {base}")
        for v in self.variants:
            if v.params is None:
                raise GenError(f"{v.name}: parameters the generator cannot convert")
        self.cname = f"py_{op.module}_{self.name}"
        self.binary = op.binary or ()
        self.kinds = self.bind()

    def c_param_for(self, variant, pyname):
        names = {p.name for p in self.params}
        for p in variant.params:
            if p.name == pyname or (p.name == "axes" and pyname == "axis" and "axes" not in names):
                return p
        return None

    def bind(self):
        """The conversion kind of each Python parameter, checked against every variant."""
        kinds = {}
        for p in self.params:
            bound = [self.c_param_for(v, p.name) for v in self.variants]
            found = [b for b in bound if b is not None]
            if p.name == "stream" or p.name in self.op.ignore:
                kinds[p.name] = "ignored"
                continue
            if not found:
                raise GenError(f"{self.name}: Python parameter '{p.name}' matches no C parameter of "
                               + ", ".join(v.name for v in self.variants))
            ckinds = {b.kind for b in found}
            if (len(self.variants) > 1 and (len(found) < len(self.variants) or ckinds != {found[0].kind}
                                            or found[0].kind == "axes")) or "axes" in ckinds:
                if not ckinds <= {"int", "axes"}:
                    raise GenError(f"{self.name}: variants dispatch on '{p.name}', which is not an axis")
                kinds[p.name] = "axes"
            elif len(ckinds) != 1:
                raise GenError(f"{self.name}: '{p.name}' has different C types in its variants")
            else:
                kinds[p.name] = ckinds.pop()
        pynames = {p.name for p in self.params}
        for v in self.variants:
            for cp in v.params:
                if not any(self.c_param_for(v, n) is cp for n in pynames):
                    raise GenError(f"{v.name}: C parameter '{cp.name}' has no Python parameter in '{self.op.sig}'")
        for b in self.binary:
            if kinds.get(b) != "array":
                raise GenError(f"{self.name}: binary operand '{b}' is not an array")
        return kinds

    # -- pieces of C
    def default_expr(self, p, kind):
        """C value used when `p` is omitted (or None where None is its default)."""
        if p.name in self.op.c_default:
            return self.op.c_default[p.name]
        d = p.default
        if d == "None":
            if p.name in self.op.none:
                return self.op.none[p.name]
            if kind == "array":
                return "MX_NULL_ARRAY"
            if kind == "dtype":
                return "MX_DTYPE_COUNT"
            if kind in ("object", "axes"):
                return None
            raise GenError(f"{self.name}: '{p.name}=None' needs a C value in the spec's `none`")
        if kind == "bool":
            return {"True": "true", "False": "false"}[d]
        if kind == "dtype":
            return dtype_constant(d)
        if kind in ("int", "int64", "uint64", "size", "double"):
            float(d)
            return d
        if kind == "shape" and d == "[]":
            return None
        if kind == "object":
            return None
        raise GenError(f"{self.name}: no C value for the default {p.name}={d}")

    def declarations(self):
        lines = []
        for p in self.params:
            kind = self.kinds[p.name]
            v = f"v_{p.name}"
            if kind in ("array",):
                lines.append(f"    mx_array {v} = MX_NULL_ARRAY;")
            elif kind == "arrays":
                lines.append(f"    cmlx_arrays {v} = {{NULL, 0}};")
            elif kind == "axes":
                lines.append(f"    cmlx_axes {v};")
            elif kind == "shape":
                lines.append(f"    cmlx_shape {v};")
                lines.append(f"    {v}.n = 0;")
            elif kind == "object":
                lines.append(f"    PyObject *{v} = Py_None;")
            elif kind == "ignored":
                continue
            else:
                ctype = {"int": "int", "int64": "int64_t", "uint64": "uint64_t", "size": "size_t",
                         "double": "double", "bool": "bool", "dtype": "mx_dtype"}[kind]
                lines.append(f"    {ctype} {v};")
        return lines

    def conversions(self):
        lines = []
        fn = c_string(self.name)
        done = set()
        if "stream" in self.kinds:
            # the stream's device is the default device until `done:` (devices.c)
            i = self.index("stream")
            lines.append(f"    if (!cmlx_stream_enter(argv[{i}], {fn}, &stream_guard)) {{")
            lines.append("        goto done;")
            lines.append("    }")
        if self.binary:
            i, j = (self.index(n) for n in self.binary)
            a, b = self.binary
            lines.append(f"    if (!cmlx_binary_operands(argv[{i}], argv[{j}], &v_{a}, &v_{b})) {{")
            lines.append("        goto done;")
            lines.append("    }")
            done.update(self.binary)
        for idx, p in enumerate(self.params):
            kind = self.kinds[p.name]
            if p.name in done or kind == "ignored":
                continue
            v = f"v_{p.name}"
            pn = c_string(p.name)
            default = self.default_expr(p, kind) if p.default is not None else None
            # when the argument is omitted (or None, where None is the default)
            omitted = f"argv[{idx}] == NULL" + (f" || argv[{idx}] == Py_None" if p.default == "None" else "")
            if kind == "array":
                convert = f"cmlx_to_array(argv[{idx}], &{v})"
            elif kind == "arrays":
                convert = f"cmlx_parse_arrays(argv[{idx}], {fn}, {pn}, &{v})"
            elif kind == "axes":
                lines.append(f"    if (!cmlx_parse_axes(argv[{idx}], {fn}, {pn}, &{v})) {{")
                lines.append("        goto done;")
                lines.append("    }")
                continue
            elif kind == "shape":
                convert = f"cmlx_parse_shape(argv[{idx}], {fn}, {pn}, &{v})"
            elif kind == "object":
                lines.append(f"    if (argv[{idx}] != NULL) {{")
                lines.append(f"        {v} = argv[{idx}];")
                lines.append("    }")
                continue
            else:
                convert = f"cmlx_parse_{kind}(argv[{idx}], {fn}, {pn}, &{v})"
            if p.default is None:
                lines.append(f"    if (!{convert}) {{")
                lines.append("        goto done;")
                lines.append("    }")
                continue
            if kind == "dtype":
                # None keeps the default, as MLX's `Dtype | None = float32` does
                lines.append(f"    {v} = {default};")
                lines.append(f"    if (argv[{idx}] != NULL && !{convert}) {{")
                lines.append("        goto done;")
                lines.append("    }")
                continue
            lines.append(f"    if ({omitted}) {{")
            if default is not None:
                lines.append(f"        {v} = {default};")
            if p.default != "None" and p.name in self.op.none:
                # None where the default is not None (concatenate's axis=None)
                lines.append(f"    }} else if (argv[{idx}] == Py_None) {{")
                lines.append(f"        {v} = {self.op.none[p.name]};")
            lines.append(f"    }} else if (!{convert}) {{")
            lines.append("        goto done;")
            lines.append("    }")
        return lines

    def index(self, name):
        return [p.name for p in self.params].index(name)

    def call_args(self, variant, axis_mode):
        args = []
        for cp in variant.params:
            py = next(p for p in self.params if self.c_param_for(variant, p.name) is cp)
            v = f"v_{py.name}"
            kind = self.kinds[py.name]
            if kind == "axes":
                args.append(f"{v}.v[0]" if cp.kind == "int" else f"{v}.v, {v}.n")
            elif kind in ("arrays", "shape"):
                args.append(f"{v}.v, {v}.n")
            else:
                args.append(v)
        return ", ".join(args)

    def dispatch(self):
        """(guard, variant) pairs: the variant is chosen by the form of the axis argument."""
        axis_params = [p for p in self.params if self.kinds[p.name] == "axes"]
        if len(self.variants) == 1:
            v = self.variants[0]
            if axis_params:
                cp = self.c_param_for(v, axis_params[0].name)
                if cp is not None and cp.kind == "int":
                    name = axis_params[0].name
                    return [(f"v_{name}.kind == CMLX_AXES_ONE", v)], name, "an int"
            return [(None, v)], None, None
        if len(axis_params) != 1:
            raise GenError(f"{self.name}: several C variants but no single axis parameter to choose by")
        name = axis_params[0].name
        by_form = {}
        for v in self.variants:
            cp = self.c_param_for(v, name)
            form = "CMLX_AXES_NONE" if cp is None else "CMLX_AXES_ONE" if cp.kind == "int" else "CMLX_AXES_LIST"
            by_form[form] = v
        # a list variant also takes a single axis (and None, as NULL) when there is no variant of its own
        if "CMLX_AXES_LIST" in by_form:
            by_form.setdefault("CMLX_AXES_ONE", by_form["CMLX_AXES_LIST"])
        cases = [(f"v_{name}.kind == {form}", by_form[form])
                 for form in ("CMLX_AXES_NONE", "CMLX_AXES_ONE", "CMLX_AXES_LIST") if form in by_form]
        expected = "None, an int or a sequence of ints" if "CMLX_AXES_LIST" in by_form else "None or an int"
        return cases, name, expected

    def result_lines(self, variant, indent):
        call = f"{variant.name}({self.call_args(variant, None)})"
        pad = " " * indent
        if variant.ret == "mx_array":
            out = [f"{pad}mx_array r = {call};"]
            if variant.name.startswith("cmlx_op_"):
                out += [f"{pad}if (PyErr_Occurred()) {{", f"{pad}    mx_free(r);", f"{pad}    goto done;", f"{pad}}}"]
            return out + [f"{pad}result = cmlx_array_from_handle(r);"]
        if variant.ret == "void":
            return [f"{pad}{call};", f"{pad}result = Py_NewRef(Py_None);"]
        if variant.ret == "size_t":
            return [f"{pad}result = PyLong_FromSize_t({call});"]
        if variant.ret == "PyObject*":
            return [f"{pad}result = {call};"]
        raise GenError(f"{variant.name}: result type {variant.ret} is not supported")

    def inspectable(self):
        """True when inspect.signature can parse every default (literal constants only)."""
        try:
            for p in self.params:
                if p.default is not None:
                    ast.literal_eval(p.default)
        except ValueError:
            return False
        return not any(p.default is not None and p.default.startswith("[") for p in self.params)

    def text_signature(self):
        inner = self.op.sig[len(self.name) + 1 : -1]
        return f"{self.name}($module{', ' if inner else ''}{inner})"

    def emit(self):
        n = len(self.params)
        npos_only = sum(p.positional_only for p in self.params)
        npos = sum(not p.keyword_only and not p.vararg for p in self.params)
        vararg = next((i for i, p in enumerate(self.params) if p.vararg), -1)
        names = ", ".join(c_string(p.name) for p in self.params) or "NULL"
        required = ", ".join("1" if p.default is None and not p.vararg else "0" for p in self.params) or "0"
        out = []
        w = self.cname
        if n:
            out.append(f"static const char *const {w}_params[] = {{{names}}};")
            out.append(f"static const unsigned char {w}_required[] = {{{required}}};")
        else:
            out.append(f"static const char *const {w}_params[] = {{NULL}};")
            out.append(f"static const unsigned char {w}_required[] = {{0}};")
        out.append(f"static const cmlx_signature {w}_sig = {{{c_string(self.name)}, {w}_params, {w}_required, "
                   f"{n}, {npos_only}, {npos}, {vararg}}};")
        c_names = ", ".join(v.name for v in self.variants)
        what = f"mlx.core{'.' + self.op.module if self.op.module in SUBMODULES else ''}.{self.name} (C: {c_names})."
        if self.inspectable():
            doc = f"{self.text_signature()}\n--\n\n{what}"
        else:
            # inspect cannot represent dtype or list defaults: MLX's signature line starts the doc
            doc = f"{self.op.sig}\n\n{what}"
        out.append(f"PyDoc_STRVAR({w}_doc, {c_string(doc)});")
        out.append(f"static PyObject *{w}(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {{")
        out.append("    (void)self;")
        out.append(f"    PyObject *argv[{max(n, 1)}];")
        out.append(f"    if (!cmlx_parse_args(&{w}_sig, args, nargs, kwnames, argv)) {{")
        out.append("        return NULL;")
        out.append("    }")
        out.append("    PyObject *result = NULL;")
        if "stream" in self.kinds:
            out.append("    cmlx_device_guard stream_guard = {0};")
        out += self.declarations()
        out += self.conversions()
        cases, axis_name, expected = self.dispatch()
        if cases[0][0] is None:
            out.append("    {")
            out += self.result_lines(cases[0][1], 8)
            out.append("    }")
        else:
            for k, (guard, variant) in enumerate(cases):
                out.append(f"    {'if' if k == 0 else '} else if'} ({guard}) {{")
                out += self.result_lines(variant, 8)
            out.append("    } else {")
            out.append(f"        PyErr_SetString(PyExc_TypeError, {c_string(f'{self.name}(): argument {axis_name!r} must be {expected}')});")
            out.append("    }")
        out.append("    goto done;")
        out.append("done:")
        if "stream" in self.kinds:
            out.append("    cmlx_stream_exit(&stream_guard);")
        for i, p in enumerate(self.params):
            kind = self.kinds[p.name]
            if p.vararg:
                out.append(f"    Py_DECREF(argv[{i}]);")
            if kind == "array":
                out.append(f"    mx_free(v_{p.name});")
            elif kind == "arrays":
                out.append(f"    cmlx_arrays_free(&v_{p.name});")
        out.append("    return result;")
        out.append("}")
        return "\n".join(out)


def generate():
    funcs = parse_headers()
    wrappers = [Wrapper(op, funcs) for op in ops_spec.OPS]
    listed = {w.name for w in wrappers if w.op.module == "core"}
    # ops.h functions without a spec entry: a default signature, so new C ops reach Python
    reached = {v.name for w in wrappers for v in w.variants}
    # ops.h-style headers: core functions (mx_<name>) and submodule ones (mx_<module>_<name>)
    ops_h = set()
    for header in PUBLIC_HEADERS:
        if header not in ("include/cmlx/random.h", "include/cmlx/memory.h"):
            ops_h |= set(funcs_in(os.path.join(ROOT, header)))
    for name in sorted(ops_h - reached - set(ops_spec.NOT_EXPOSED)):
        base = re.sub(r"_(axis|axes|flat)$", "", name)
        if base in reached or base[3:] in listed:
            continue
        f = funcs[name]
        if f.params is None:
            raise GenError(f"{name}: not reachable from Python; add it to ops_spec.py (OPS or NOT_EXPOSED)")
        family = [funcs[name + s] for s in VARIANT_SUFFIXES[1:] if name + s in funcs]
        module = next((m for m in SUBMODULES if name.startswith(f"mx_{m}_")), "core")
        if module != "core":
            f = CFunc("mx_" + name[len(f"mx_{module}_"):], f.ret, f.params)
        sig = default_signature(f, family)
        arrays = [p.name for p in f.params if p.kind == "array"]
        op = ops_spec.Op(sig, binary=tuple(arrays) if len(arrays) == 2 and len(f.params) == 2 else None,
                         module=module)
        w = Wrapper(op, funcs)
        wrappers.append(w)
        reached.update(v.name for v in w.variants)
        listed.add(w.name)
    for header in PUBLIC_HEADERS:
        for name in funcs_in(os.path.join(ROOT, header)):
            if name not in reached and name not in ops_spec.NOT_EXPOSED:
                raise GenError(f"{name} ({header}) reaches no Python function; add it to ops_spec.py")
    return wrappers


def funcs_in(path):
    text = strip_comments(open(path).read())
    return re.findall(r"MX_API\s+[\w\s\*]*?\b(mx_\w+)\s*\(", text)


def emit_file(wrappers):
    out = ["/* GENERATED by python/gen/gen_ops.py from python/gen/ops_spec.py, python/gen/devices.py",
           " * and the headers of include/cmlx. Do not edit: change the spec or the headers. */",
           '#include "ops_support.h"', '#include "devices.h"', "",
           "/* python/gen/devices.py, run by cmlx_init_ops in the module's namespace. */",
           f"static const char devices_py[] = {c_string(open(os.path.join(HERE, 'devices.py')).read())};",
           ""]
    for w in wrappers:
        out.append(w.emit())
        out.append("")
    for module in ("core", *SUBMODULES):
        out.append(f"static PyMethodDef {module}_methods[] = {{")
        for w in wrappers:
            if w.op.module == module:
                out.append(f"    {{{c_string(w.name)}, (PyCFunction)(void (*)(void)){w.cname}, "
                           f"METH_FASTCALL | METH_KEYWORDS, {w.cname}_doc}},")
        out.append("    {NULL, NULL, 0, NULL},")
        out.append("};")
        out.append("")
    out.append("typedef struct submodule_def {\n    const char *name, *doc;\n    PyMethodDef *methods;\n} submodule_def;")
    out.append("static const submodule_def submodules[] = {")
    for module, doc in SUBMODULES.items():
        out.append(f"    {{{c_string(module)}, {c_string(doc)}, {module}_methods}},")
    out.append("    {NULL, NULL, NULL},")
    out.append("};")
    out.append("")
    out.append(INIT_C)
    return "\n".join(out)


INIT_C = r"""/* Runs devices.py with __name__ = the module's name and _module = the module
 * (whose private _device_* functions, devices.c, it calls), and adds the names
 * of its __all__ that `module` lacks. */
static int init_devices(PyObject *module, const char *name) {
    PyObject *globals =
        Py_BuildValue("{s:s,s:O,s:O}", "__name__", name, "__builtins__", PyEval_GetBuiltins(), "_module", module);
    if (globals == NULL) {
        return -1;
    }
    PyObject *code = Py_CompileString(devices_py, "cmlx/devices.py", Py_file_input);
    PyObject *ran = code ? PyEval_EvalCode(code, globals, globals) : NULL;
    Py_XDECREF(code);
    PyObject *names = ran ? PyDict_GetItemString(globals, "__all__") : NULL;
    int status = names != NULL && PyList_Check(names) ? 0 : -1;
    for (Py_ssize_t i = 0; status == 0 && i < PyList_GET_SIZE(names); i++) {
        PyObject *key = PyList_GET_ITEM(names, i);
        PyObject *value = PyDict_GetItemWithError(globals, key);
        if (value == NULL) {
            status = -1;
        } else if (!PyObject_HasAttr(module, key) && PyObject_SetAttr(module, key, value) < 0) {
            status = -1; /* the module's own definitions (module.c) stay */
        }
    }
    if (status < 0 && !PyErr_Occurred()) {
        PyErr_SetString(PyExc_RuntimeError, "cmlx: devices.py did not define __all__");
    }
    Py_XDECREF(ran);
    Py_DECREF(globals);
    return status;
}

/* Adds `<name>.<sub>` to `module` and to sys.modules, so `import cmlx.core.random` works. */
static int add_submodule(PyObject *module, const char *name, const submodule_def *sub) {
    PyObject *sub_name = PyUnicode_FromFormat("%s.%s", name, sub->name);
    if (sub_name == NULL) {
        return -1;
    }
    PyObject *sub_module = PyModule_NewObject(sub_name);
    if (sub_module == NULL || PyModule_AddFunctions(sub_module, sub->methods) < 0 ||
        PyModule_AddStringConstant(sub_module, "__doc__", sub->doc) < 0) {
        Py_XDECREF(sub_module);
        Py_DECREF(sub_name);
        return -1;
    }
    PyObject *modules = PyImport_GetModuleDict();
    int status = PyDict_SetItem(modules, sub_name, sub_module);
    Py_DECREF(sub_name);
    if (status < 0 || PyModule_AddObjectRef(module, sub->name, sub_module) < 0) {
        Py_DECREF(sub_module);
        return -1;
    }
    Py_DECREF(sub_module);
    return 0;
}

/* Registers the op functions on `module`, the devices, and the submodules
 * (random, fast, linalg, fft). */
int cmlx_init_ops(PyObject *module) {
    if (PyModule_AddFunctions(module, core_methods) < 0) {
        return -1;
    }
    const char *name = PyModule_GetName(module);
    if (name == NULL || init_devices(module, name) < 0) {
        return -1;
    }
    for (const submodule_def *sub = submodules; sub->name; sub++) {
        if (add_submodule(module, name, sub) < 0) {
            return -1;
        }
    }
    return 0;
}
"""


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    try:
        text = emit_file(generate())
    except GenError as e:
        print(f"gen_ops.py: {e}", file=sys.stderr)
        return 1
    tmp = argv[1] + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
