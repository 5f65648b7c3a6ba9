# Writes tests/c/grad_rule_cases.h: MLX 0.32's gradients (vjp) and tangents (jvp) for the cases
# where finite differences cannot say what MLX does: ties in max/min, products with zeros and
# infinities, NaN and infinite inputs, ddof >= n, half-precision rounding, uniform's low/high.
#   python3 tests/gen/gen_grad_rule_cases.py > tests/c/grad_rule_cases.h
import math

import mlx.core as mx
import numpy as np

inf, nan = float('inf'), float('nan')
DT = {'float32': mx.float32, 'float16': mx.float16, 'bfloat16': mx.bfloat16}


def reduce_fn(op, axes, keepdims, ddof):
    f = getattr(mx, op)
    kw = {}
    if op in ('var', 'std'):
        kw['ddof'] = ddof
    if op == 'softmax':
        return (lambda x: f(x, **kw)) if axes is None else (lambda x: f(x, axis=list(axes), **kw))
    if axes is None:
        return lambda x: f(x, keepdims=keepdims, **kw)
    return lambda x: f(x, axis=list(axes), keepdims=keepdims, **kw)


def cval(v):
    if math.isnan(v):
        return 'NAN'
    if math.isinf(v):
        return 'INFINITY' if v > 0 else '-INFINITY'
    return '%.17g' % v


def clist(vals):
    return '{' + ', '.join(cval(float(v)) for v in vals) + '}'


def flat(a):
    return np.array(a.astype(mx.float32)).reshape(-1).tolist()


rows = []


def case(op, mode, shape, x, v, axes=None, keepdims=False, ddof=0, dtype='float32'):
    """v: the cotangent (vjp, shape of the output) or the tangent (jvp, shape of x)."""
    xa = mx.array(np.array(x, dtype=np.float32).reshape(shape)).astype(DT[dtype])
    f = reduce_fn(op, axes, keepdims, ddof)
    out = f(xa)
    if mode == 'vjp':
        va = mx.array(np.array(v, dtype=np.float32).reshape(out.shape)).astype(out.dtype)
        _, (res,) = mx.vjp(f, [xa], [va])
    else:
        va = mx.array(np.array(v, dtype=np.float32).reshape(shape)).astype(DT[dtype])
        _, (res,) = mx.jvp(f, [xa], [va])
    mx.eval(res)
    ax = list(axes) if axes is not None else []
    rows.append('    {"%s", "%s", {%s}, %d, %d, %d, MX_%s, %d, {%s}, %d, %s, %d, %s, %d, %s},' % (
        op, mode, ','.join(str(a) for a in ax) or '0', len(ax) if axes is not None else -1, int(keepdims), ddof,
        dtype.upper(), len(shape), ','.join(str(s) for s in shape) or '0', len(x), clist(x), len(v), clist(v),
        res.size, clist(flat(res))))


# max/min: ties share the cotangent (vjp); the first arg-max takes the tangent (jvp); NaN
ties = [1, 3, 3, 2, 3, 0]
case('max', 'vjp', (6,), ties, [1.0])
case('max', 'vjp', (6,), ties, [2.5], axes=(0,), keepdims=True)
case('min', 'vjp', (2, 3), [1, 2, 1, 1, 5, 1], [1, -2, 4], axes=(0,))
case('max', 'vjp', (2, 3, 2), [4, 4, 1, 2, 3, 3, 4, 0, 3, 3, 2, 1], [1, 2, 3], axes=(0, 2))
case('max', 'vjp', (3,), [1, nan, 2], [1.0])
case('max', 'vjp', (3,), [0.0, -0.0, -2], [1.0])
case('max', 'jvp', (6,), ties, [10, 20, 40, 80, 160, 320])
case('min', 'jvp', (2, 3), [1, 2, 1, 1, 5, 1], [10, 20, 40, 80, 160, 320], axes=(0,))
case('max', 'jvp', (2, 3, 2), [4, 4, 1, 2, 3, 3, 4, 0, 3, 3, 2, 1], list(range(1, 13)), axes=(0, 2))
case('max', 'jvp', (3,), [1, nan, 2], [1, 2, 3])
case('max', 'vjp', (5,), [1, 3, 3, 2, 3], [1.0], dtype='float16')
# prod: zeros, infinities, NaN (exclusive products, no division)
case('prod', 'vjp', (4,), [1, 0, 3, 2], [1.0])
case('prod', 'vjp', (4,), [1, 0, 3, 0], [1.0])
case('prod', 'vjp', (3,), [1, inf, 2], [1.0])
case('prod', 'vjp', (3,), [0, inf, 2], [1.0])
case('prod', 'vjp', (3,), [1, nan, 2], [1.0])
case('prod', 'vjp', (2, 3, 2), [1, 2, 0, 4, 5, 6, 7, 8, 9, 0, 0, 1.5], [1, -1, 2], axes=(0, 2))
case('prod', 'vjp', (2, 3), [2, 0, 3, 4, 5, 0.5], [1, 2], axes=(1,), keepdims=True)
case('prod', 'jvp', (4,), [1, 0, 3, 2], [1, 2, 4, 8])
case('prod', 'jvp', (2, 2), [1, 0, 3, 2], [1, 2, 4, 8], axes=(0, 1))
# mean/var/std: MLX's composites, half precision and degenerate divisors
case('mean', 'vjp', (3,), [1, 3, 3], [1.0], dtype='float16')
case('mean', 'vjp', (2, 3), [1, 3, 3, 4, 5, 6], [1.0, 1.0], axes=(1,), dtype='bfloat16')
case('var', 'vjp', (3,), [1, 2, 4], [1.0], ddof=1)
case('var', 'vjp', (3,), [1, 2, 4], [1.0], ddof=3)
case('var', 'vjp', (3,), [1, 2, 4], [1.0], ddof=5)
case('std', 'vjp', (3,), [1, 1, 1], [1.0])
case('std', 'vjp', (2, 3), [1, 2, 4, 0, 0, 1], [1.0, -2.0], axes=(1,), ddof=1)
case('var', 'vjp', (3,), [1, 2, 4], [1.0], dtype='float16')
case('std', 'jvp', (3,), [1, 2, 4], [1, 0, 0])
case('var', 'jvp', (3,), [1, 2, 4], [1, 0, 0], ddof=1)
case('var', 'jvp', (3,), [1, 2, 4], [1, 0, 0], ddof=3)
# logsumexp/softmax with infinities
case('logsumexp', 'vjp', (2,), [-inf, -inf], [1.0])
case('logsumexp', 'vjp', (2,), [inf, 1], [1.0])
case('logsumexp', 'vjp', (2,), [-inf, 1], [1.0])
case('logsumexp', 'jvp', (2,), [inf, 1], [1, 2])
case('logsumexp', 'vjp', (2, 3), [1, 2, 3, 4, 5, 6], [1, 1, 1], axes=(0,), dtype='float16')
case('softmax', 'vjp', (3,), [-inf, 1, 2], [1, 2, 3])
case('softmax', 'vjp', (3,), [1, 2, 3], [1, 2, 3], dtype='float16')
case('softmax', 'jvp', (2, 3), [1, 2, 3, 0, 0, 0], [1, 0, 0, 0, 1, 0], axes=(1,))

# ordinary float32 inputs: the rules' rounding against MLX's graphs
grid = [((i * 7) % 11) * 0.37 - 1.6 for i in range(24)]
cot6 = [((i * 5) % 7) * 0.25 - 0.5 for i in range(6)]
cot8 = [((i * 5) % 7) * 0.25 - 0.5 for i in range(8)]
for op in ('sum', 'prod', 'mean', 'var', 'std', 'logsumexp'):
    case(op, 'vjp', (2, 3, 4), grid, cot8, axes=(1,), ddof=1 if op in ('var', 'std') else 0)
    case(op, 'vjp', (2, 3, 4), grid, cot6, axes=(-1,), keepdims=True)
    case(op, 'jvp', (2, 3, 4), grid, cot8 * 3, axes=(0, 2), keepdims=True)
case('softmax', 'vjp', (2, 3, 4), grid, cot8 * 3, axes=(-1,))
case('softmax', 'vjp', (2, 3, 4), grid, cot8 * 3, axes=(0, 2))
case('softmax', 'jvp', (2, 3, 4), grid, cot8 * 3, axes=(-1,))

# random.uniform: d/dlow = 1 - u, d/dhigh = u, with u drawn from the key
key = mx.random.key(3)
lo, hi = mx.array([0.5, -1.0]), mx.array([2.0, 3.0])
cot = mx.array(np.arange(1, 7, dtype=np.float32).reshape(3, 2) / 4)
_, (glo, ghi) = mx.vjp(lambda l, h: mx.random.uniform(l, h, shape=(3, 2), key=key), [lo, hi], [cot])
_, (tout,) = mx.jvp(lambda l, h: mx.random.uniform(l, h, shape=(3, 2), key=key), [lo, hi],
                    [mx.array([1.0, 0.5]), mx.array([-0.25, 2.0])])
mx.eval(glo, ghi, tout)

print('/* Generated from MLX %s by tests/gen/gen_grad_rule_cases.py; do not edit by hand. */' % mx.__version__)
print('static const grad_ref_case k_grad_ref_cases[] = {')
print('\n'.join(rows))
print('};')
print('/* uniform(low=[0.5, -1], high=[2, 3], shape=(3, 2), key=key(3)): vjp with the cotangent')
print(' * arange(1, 7).reshape(3, 2) / 4, and jvp with tangents [1, 0.5] and [-0.25, 2]. */')
print('static const double k_uniform_grad_low[2] = %s;' % clist(flat(glo)))
print('static const double k_uniform_grad_high[2] = %s;' % clist(flat(ghi)))
print('static const double k_uniform_jvp[6] = %s;' % clist(flat(tout)))
