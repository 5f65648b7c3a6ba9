# Prints the MLX 0.32 gradient tables #included by tests/c/test_grad_elementwise.c:
#   python3 tests/gen/gen_grad_cases.py > tests/c/grad_cases.inc
#
# k_cases: for each element-wise op, dtype and fixed inputs (edge cases included:
#   zeros, ties, poles, NaN), MLX's vjp for a fixed cotangent and MLX's jvp for
#   fixed tangents.
# k_second: second derivatives at scalar points, MLX's grad of grad (d2f/dx2 for
#   unary ops; d2f/da2, d2f/dadb, d2f/db2 for binary ones).
import math, sys
import mlx.core as mx
import numpy as np

DT = {'float32': mx.float32, 'float16': mx.float16, 'bfloat16': mx.bfloat16, 'float64': mx.float64,
      'int32': mx.int32, 'bool': mx.bool_}

GENERAL = [-1.5, -0.5, 0.0, 0.25, 0.75, 2.0]
DOMAIN = {
    'sqrt': [0.0, 0.25, 1.0, 2.5, 4.0, 9.0], 'rsqrt': [0.0, 0.25, 1.0, 2.5, 4.0, 9.0],
    'log': [0.0, 0.25, 1.0, 2.5, 4.0, 9.0], 'log2': [0.0, 0.25, 1.0, 2.5, 4.0, 9.0],
    'log10': [0.0, 0.25, 1.0, 2.5, 4.0, 9.0], 'log1p': [-1.0, -0.5, 0.0, 0.25, 1.0, 3.0],
    'arcsin': [-0.9, -0.5, 0.0, 0.3, 0.75, 1.0], 'arccos': [-0.9, -0.5, 0.0, 0.3, 0.75, 1.0],
    'arctanh': [-0.9, -0.5, 0.0, 0.3, 0.75, 1.0], 'erfinv': [-0.9, -0.5, 0.0, 0.3, 0.75, 1.0],
    'arccosh': [1.0, 1.25, 1.5, 2.0, 3.0, 10.0], 'reciprocal': [-2.0, -0.5, 0.0, 0.25, 1.0, 4.0],
    'tan': [-1.2, -0.5, 0.0, 0.3, 1.0, 1.4], 'exp': [-3.0, -1.0, 0.0, 0.5, 1.0, 2.5],
    'expm1': [-3.0, -1.0, 0.0, 0.5, 1.0, 2.5], 'sinh': [-3.0, -1.0, 0.0, 0.5, 1.0, 2.5],
    'cosh': [-3.0, -1.0, 0.0, 0.5, 1.0, 2.5], 'tanh': [-3.0, -1.0, 0.0, 0.5, 1.0, 20.0],
    'sigmoid': [-30.0, -1.0, 0.0, 0.5, 1.0, 30.0], 'abs': [-1.5, -0.0, 0.0, 0.25, 0.75, 2.0],
    'floor': [-1.5, -0.5, 0.0, 0.5, 1.5, 2.7], 'ceil': [-1.5, -0.5, 0.0, 0.5, 1.5, 2.7],
    'round': [-1.5, -0.5, 0.0, 0.5, 1.5, 2.7],
    'isnan': [math.nan, math.inf, -math.inf, 0.0, 1.5, -2.0], 'isinf': [math.nan, math.inf, -math.inf, 0.0, 1.5, -2.0],
    'isfinite': [math.nan, math.inf, -math.inf, 0.0, 1.5, -2.0],
    'logical_not': [math.nan, 0.0, -0.0, 1.5, -2.0, 3.0],
}
UNARY = ['abs', 'negative', 'sign', 'sqrt', 'rsqrt', 'square', 'reciprocal', 'exp', 'expm1', 'log', 'log1p', 'log2',
         'log10', 'sin', 'cos', 'tan', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh', 'arcsinh', 'arccosh',
         'arctanh', 'sigmoid', 'erf', 'erfinv', 'floor', 'ceil', 'round', 'logical_not', 'isnan', 'isinf', 'isfinite',
         'degrees', 'radians', 'copy', 'stop_gradient']
# ops that keep integer dtypes (the gradient stays integer) and float ops given integers (cast back)
INT_UNARY = ['abs', 'negative', 'sign', 'square', 'exp', 'sin', 'sqrt', 'floor', 'copy']

B_GENERAL = ([-1.5, -0.5, 0.0, 0.25, 2.0, 1.0, 3.0, math.nan], [2.0, 0.5, 0.0, -1.0, 2.0, 1.0, -0.5, 1.0])
B_DOMAIN = {
    'power': ([0.0, 0.0, 2.0, -2.0, 0.5, 3.0, 1.0, 4.0], [0.0, 2.0, 0.5, 2.0, -1.0, 3.0, 0.0, -0.5]),
    'logaddexp': ([-1.5, -math.inf, 0.0, 0.25, 2.0, 1.0, 30.0, -30.0], [2.0, 0.5, 0.0, -1.0, 2.0, 1.0, -0.5, 1.0]),
    'arctan2': ([-1.5, -0.5, 0.0, 0.25, 2.0, 1.0, 3.0, 0.0], [2.0, 0.5, 0.0, -1.0, 2.0, 1.0, -0.5, -1.0]),
    'remainder': ([-1.5, -0.5, 0.0, 0.25, 2.0, 1.0, 3.0, 7.5], [2.0, 0.5, 0.0, -1.0, 2.0, 1.0, -0.5, 2.0]),
    'floor_divide': ([-1.5, -0.5, 0.0, 0.25, 2.0, 1.0, 3.0, 7.5], [2.0, 0.5, 0.5, -1.0, 2.0, 1.0, -0.5, 2.0]),
}
BINARY = ['add', 'subtract', 'multiply', 'divide', 'floor_divide', 'remainder', 'power', 'maximum', 'minimum',
          'logaddexp', 'arctan2', 'equal', 'not_equal', 'greater', 'greater_equal', 'less', 'less_equal',
          'logical_and', 'logical_or']
INT_BINARY = ['add', 'subtract', 'multiply', 'maximum', 'minimum', 'bitwise_and', 'bitwise_or', 'bitwise_xor',
              'left_shift', 'right_shift']
COT = [0.5, -1.25, 2.0, 0.75, -0.5, 1.5, -2.0, 1.0]
TAN = [[1.0, -0.5, 0.25, 2.0, -1.5, 0.5, 1.25, -0.75], [-0.25, 1.5, -1.0, 0.5, 0.75, -2.0, 0.5, 1.0],
       [0.5, 0.5, -0.5, -0.5, 1.0, 1.0, -1.0, -1.0]]
INT_VALUES = ([-3, -1, 0, 1, 2, 5], [2, 1, 3, -2, 2, 1])


def cval(v):
    v = float(v)
    if math.isnan(v): return 'NAN'
    if math.isinf(v): return 'INFINITY' if v > 0 else '-INFINITY'
    if v == 0 and math.copysign(1, v) < 0: return '-0.0'
    return '%.17g' % v


def arr(vals, dt):
    return mx.array(np.array(vals, dtype=np.float64)).astype(DT[dt])


def vals(a):
    return [float(v) for v in np.array(a.astype(mx.float64) if a.dtype != mx.bool_ else a.astype(mx.float64))]


def cdt(d):
    return 'MX_' + str(d).split('.')[-1].upper().rstrip('_')


def clist(v):
    return '{' + ', '.join(cval(x) for x in v) + '}'


rows = []


def emit(op, kind, dt, ins, f, target=None, param=0):
    n = len(ins[0][0])
    ins = [arr(v, d) for v, d in ins]
    out = f(*ins)
    mx.eval(out)
    cot = arr(COT[:n], 'float64').astype(out.dtype) if out.dtype != mx.bool_ else arr([1] * n, 'float64').astype(mx.bool_)
    try:
        _, g = mx.vjp(lambda *a: f(*a), ins, [cot])
        mx.eval(g)
        gv = [vals(x) for x in g]
    except Exception:  # no VJP in MLX: the C test expects an error
        gv = None
    tans = [arr(TAN[i][:n], 'float64').astype(x.dtype) for i, x in enumerate(ins)]
    try:
        _, j = mx.jvp(lambda *a: f(*a), ins, tans)
        mx.eval(j)
        jv = vals(j[0])
    except Exception:
        jv = None
    fn = {1: '.fn1 = mx_%s, ' % op, 2: '.fn2 = mx_%s, ' % op}.get(kind, '')
    r = ['    {.op = "%s", .kind = %d, %s.dtype = %s, .out_dtype = %s, .target = %s, .param = %d, .n = %d,' % (
        op, kind, fn, cdt(ins[-1].dtype), cdt(out.dtype), cdt(target) if target is not None else 'MX_FLOAT32', param, n)]
    r.append('     .in = {%s},' % ', '.join(clist(vals(x)) for x in ins))
    r.append('     .cot = %s,' % clist(vals(cot)))
    r.append('     .tan = {%s},' % ', '.join(clist(vals(t)) for t in tans))
    if gv is not None:
        r.append('     .has_vjp = 1, .vjp = {%s},' % ', '.join(clist(x) for x in gv))
    if jv is not None:
        r.append('     .has_jvp = 1, .jvp = %s,' % clist(jv))
    rows.append('\n'.join(r) + '},')


for op in UNARY:
    f = getattr(mx, op) if op != 'copy' else mx.contiguous  # mlx.core has no copy: the same identity
    kind = 1
    if op == 'round':
        kind, f = 5, lambda x: mx.round(x)
    for dt in ['float32', 'float16', 'bfloat16', 'float64']:
        emit(op, kind, dt, [(DOMAIN.get(op, GENERAL), dt)], f)
    if op in INT_UNARY:
        emit(op, kind, 'int32', [(INT_VALUES[0], 'int32')], f)
emit('round', 5, 'float32', [([-1.26, -0.54, 0.0, 0.55, 1.51, 2.75], 'float32')], lambda x: mx.round(x, 1), param=1)
for op in BINARY:
    f = getattr(mx, op)
    a, b = B_DOMAIN.get(op, B_GENERAL)
    for dt in ['float32', 'float16', 'bfloat16', 'float64']:
        emit(op, 2, dt, [(a, dt), (b, dt)], f)
for op in INT_BINARY:
    emit(op, 2, 'int32', [(INT_VALUES[0], 'int32'), (INT_VALUES[1], 'int32')], getattr(mx, op))
COND = [1, 0, 1, 1, 0, 0]
for dt in ['float32', 'float16', 'float64']:
    emit('where', 3, dt, [(GENERAL, dt), ([2.0, -1.0, 0.5, 0.0, 3.0, -4.0], dt)],
         lambda x, y: mx.where(mx.array(COND, mx.bool_), x, y))
for src, dst in [('float32', 'float16'), ('float16', 'float32'), ('float32', 'int32'), ('int32', 'float32'),
                 ('float32', 'bfloat16'), ('float64', 'float32')]:
    emit('astype', 4, src, [([-1.5, -0.5, 0.0, 0.25, 2.75, 3.0], src)], lambda x, d=dst: x.astype(DT[d]), DT[dst])

# second derivatives at scalar points
second = []
S_POINT = {'sqrt': 1.7, 'rsqrt': 1.7, 'log': 1.7, 'log2': 1.7, 'log10': 1.7, 'arccosh': 1.7, 'log1p': 0.4,
           'reciprocal': 0.7}
for op in UNARY:
    if op in ('floor', 'ceil', 'round', 'sign', 'logical_not', 'isnan', 'isinf', 'isfinite', 'stop_gradient'):
        continue
    f = getattr(mx, op) if op != 'copy' else mx.contiguous
    x = S_POINT.get(op, 0.4 if op not in ('abs',) else -0.6)
    d2 = mx.grad(mx.grad(lambda t: f(t)))(mx.array(x, mx.float64))
    second.append('    {.op = "%s", .kind = 1, .fn1 = mx_%s, .at = {%s, 0}, .d2 = {%s, 0, 0}},' % (
        op, 'contiguous' if op == 'copy' else op, cval(x), cval(d2.item())))
S_PAIR = {'power': (1.3, 0.7), 'divide': (0.8, 1.6), 'remainder': (2.3, 0.7), 'arctan2': (0.6, -1.1),
          'logaddexp': (0.3, -0.4), 'maximum': (0.3, -0.4), 'minimum': (0.3, -0.4), 'floor_divide': (2.3, 0.7)}
for op in ['add', 'subtract', 'multiply', 'divide', 'floor_divide', 'remainder', 'power', 'maximum', 'minimum',
           'logaddexp', 'arctan2']:
    f = getattr(mx, op)
    a, b = S_PAIR.get(op, (0.7, -1.3))
    A, B = mx.array(a, mx.float64), mx.array(b, mx.float64)
    daa = mx.grad(mx.grad(lambda p, q: f(p, q), argnums=0), argnums=0)(A, B)
    dab = mx.grad(mx.grad(lambda p, q: f(p, q), argnums=0), argnums=1)(A, B)
    dbb = mx.grad(mx.grad(lambda p, q: f(p, q), argnums=1), argnums=1)(A, B)
    second.append('    {.op = "%s", .kind = 2, .fn2 = mx_%s, .at = {%s, %s}, .d2 = {%s, %s, %s}},' % (
        op, op, cval(a), cval(b), cval(daa.item()), cval(dab.item()), cval(dbb.item())))

print('/* Generated by tests/gen/gen_grad_cases.py from MLX %s: do not edit. */' % mx.__version__)
print('static const grad_case k_cases[] = {')
print('\n'.join(rows))
print('};')
print('static const second_case k_second[] = {')
print('\n'.join(second))
print('};')
