# Prints the MLX 0.32 tables pasted into tests/c/test_unary.c (k_rules,
# k_values, k_round, k_complex) and the k_in_complex initialiser:
#   python3 tests/gen/gen_unary_cases.py > /tmp/unary_cases.inc
# The inputs must stay in step with k_in_float, k_in_signed, k_in_unsigned,
# k_in_bool and k_in_complex in the test.
import math

import mlx.core as mx
import numpy as np

mx.set_default_device(mx.cpu)

DT = ["bool", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64",
      "float16", "float32", "float64", "bfloat16", "complex64"]
MXD = {n: getattr(mx, "bool_" if n == "bool" else n) for n in DT}
ENUM = {n: "MX_" + n.upper() for n in DT}
OPS = ("abs negative sign sqrt rsqrt square reciprocal exp expm1 log log1p log2 log10 sin cos tan arcsin arccos "
       "arctan sinh cosh tanh arcsinh arccosh arctanh sigmoid erf erfinv floor ceil round logical_not "
       "bitwise_invert isnan isinf isfinite degrees radians").split()

IN_FLOAT = [-3.75, -2.5, -1.5, -0.5, -0.0, 0.0, 0.25, 0.5, 0.875, 1.5, 2.5, 7.0, math.inf, -math.inf, math.nan]
IN_SIGNED = [-100, -7, -2, -1, 0, 1, 2, 3, 7, 100]
IN_UNSIGNED = [0, 1, 2, 3, 7, 100, 200]
IN_BOOL = [True, False, True]
IN_COMPLEX = [1 + 2j, -1.5 + 0.5j, 0j, 3 - 4j, 0.5 + 0j, -2 + 0j, complex(0.25, -0.75), complex(math.inf, 0),
              complex(-math.inf, 0), complex(math.nan, 1), complex(0, math.inf), complex(1, math.nan)]

# round(x, decimals): dtype -> decimals tried, over the inputs of its class
ROUND_CASES = [("float32", [1, 2, -1, 3]), ("float64", [1, 2, -1]), ("float16", [1, 2, -1]), ("bfloat16", [1, -1]),
               ("int32", [-1, -2, 1]), ("int8", [-1]), ("uint8", [-1]), ("int64", [-2]), ("uint64", [-1]),
               ("bool", [-1, 1])]
ROUND_IN = {"float": [123.456, 0.125, 1.15, 2.25, -0.35, -2.5, 0.05, 1234.5, -0.0, math.inf, math.nan],
            "signed": [1234, 1250, 1350, -1250, -7, 45, 55, 0],
            "unsigned": [250, 255, 5, 15, 25, 0],
            "bool": [True, False]}


def inputs(d):
    if d == "bool":
        return IN_BOOL
    if d.startswith("uint"):
        return IN_UNSIGNED
    if d.startswith("int"):
        return IN_SIGNED
    return IN_FLOAT


def fmt(v):
    """A C literal: exact for integers, shortest round-trip for float32 (suffix f) and float64."""
    if isinstance(v, (bool, np.bool_)):
        return "1" if v else "0"
    if isinstance(v, (int, np.integer)):
        return str(int(v)) + ("u" if int(v) > 2**53 else "")
    f = float(v)
    if math.isnan(f):
        return "NAN"
    if math.isinf(f):
        return "INFINITY" if f > 0 else "-INFINITY"
    if f == 0:
        return "-0.0" if math.copysign(1, f) < 0 else "0.0"
    if isinstance(v, np.float32):
        t = repr(v).replace("np.float32(", "").rstrip(")")
        return t + ("f" if ("." in t or "e" in t) else ".0f")
    return repr(f)


def short(r):
    """Elements of r as Python/numpy scalars that fmt prints exactly."""
    if r.dtype == mx.bool_:
        return r.tolist()
    if r.dtype in (mx.float16, mx.bfloat16, mx.float32):
        return [np.float32(v) for v in np.array(r.astype(mx.float32))]
    if r.dtype == mx.float64:
        return np.array(r).tolist()
    return [int(v) for v in np.array(r).tolist()]


def complex_parts(r):
    out = []
    for v in np.array(r).tolist():
        out += [fmt(np.float32(v.real)), fmt(np.float32(v.imag))]
    return out


def main():
    rules, values, rounds, complexes = [], [], [], []
    for op in OPS:
        codes = []
        for d in DT:
            x = mx.array([True, False]) if d == "bool" else mx.array([1, 0], dtype=MXD[d])
            try:
                r = getattr(mx, op)(x)
                mx.eval(r)
                codes.append(ENUM[str(r.dtype).replace("mlx.core.", "")])
            except ValueError:
                codes.append("RULE_VALUE_ERROR")
            except TypeError:
                codes.append("RULE_TYPE_ERROR")
        rules.append("    {MX_OP_%s, {%s}}," % (op, ", ".join(codes)))
        for d in DT[:-1]:
            try:
                r = getattr(mx, op)(mx.array(inputs(d), dtype=MXD[d]))
                mx.eval(r)
            except (ValueError, TypeError):
                continue
            values.append("    {MX_OP_%s, %s, {%s}}," % (op, ENUM[d], ", ".join(fmt(v) for v in short(r))))

    for d, decimals in ROUND_CASES:
        cls = "bool" if d == "bool" else "unsigned" if d.startswith("uint") else "signed" if d.startswith(
            "int") else "float"
        vals = [v for v in ROUND_IN[cls] if not (d in ("float16", "bfloat16") and v == 1234.5)]
        x = mx.array(vals, dtype=MXD[d])
        for k in decimals:
            r = mx.round(x, k)
            mx.eval(r)
            ins = x.tolist() if d == "bool" else short(x)
            rounds.append("    {%s, %d, %d, {%s}, {%s}}," % (ENUM[d], k, len(vals), ", ".join(fmt(v) for v in ins),
                                                          ", ".join(fmt(v) for v in short(r))))

    xc = mx.array(IN_COMPLEX, dtype=mx.complex64)
    for op in OPS:
        try:
            r = getattr(mx, op)(xc)
            mx.eval(r)
        except ValueError:
            continue
        if r.dtype == mx.complex64:
            parts = complex_parts(r)
        elif r.dtype == mx.bool_:
            parts = [fmt(v) for v in r.tolist()]
        else:
            parts = [fmt(np.float32(v)) for v in np.array(r).tolist()]
        complexes.append("    {MX_OP_%s, 0, {%s}}," % (op, ", ".join(parts)))
    for k in (1, -1):
        r = mx.round(xc, k)
        mx.eval(r)
        complexes.append("    {MX_OP_round, %d, {%s}}," % (k, ", ".join(complex_parts(r))))

    cin = []
    for v in IN_COMPLEX:
        cin += [fmt(np.float32(v.real)), fmt(np.float32(v.imag))]
    print("/* complex64 inputs as {re, im} pairs */")
    print("static const float k_in_complex[24] = {%s};\n" % ", ".join(cin))
    print("/* dtype rules: the output dtype of op(x) for each input dtype, in mx_dtype order */")
    print("static const rule_row k_rules[] = {\n" + "\n".join(rules) + "\n};\n")
    print("/* values: op over the inputs of the dtype's class (k_in_float, k_in_signed, ...) */")
    print("static const value_row k_values[] = {\n" + "\n".join(values) + "\n};\n")
    print("/* round(x, decimals): {dtype, decimals, n, inputs, outputs} */")
    print("static const round_row k_round[] = {\n" + "\n".join(rounds) + "\n};\n")
    print("/* complex64: {op, decimals (round), op(k_in_complex)}: {re, im} pairs (abs: float32, predicates: bool) */")
    print("static const complex_row k_complex[] = {\n" + "\n".join(complexes) + "\n};")


if __name__ == "__main__":
    main()
