# Prints the MLX 0.32 case table pasted into tests/c/test_reduce.c (k_cases):
#   python3 tests/gen/gen_reduce_cases.py > /tmp/cases.inc
import mlx.core as mx, numpy as np, math, sys

DT = {'bool':mx.bool_,'uint8':mx.uint8,'uint16':mx.uint16,'uint32':mx.uint32,'uint64':mx.uint64,'int8':mx.int8,
      'int16':mx.int16,'int32':mx.int32,'int64':mx.int64,'float16':mx.float16,'float32':mx.float32,'float64':mx.float64,
      'bfloat16':mx.bfloat16,'complex64':mx.complex64}
CENUM = {k:'MX_'+k.upper() for k in DT}

def base(dt):
    i = np.arange(24)
    if dt == 'bool': v = ((i*7) % 11) % 3 == 0
    elif dt.startswith('uint'): v = (i*7) % 11
    elif dt.startswith('int'): v = ((i*7) % 11) - 4
    elif dt == 'complex64': v = ((i*7) % 11)*0.5 - 2.0 + 1j*((i*5) % 7 - 3)
    else: v = ((i*7) % 11)*0.5 - 2.0
    return mx.array(v.reshape(2,3,4)).astype(DT[dt]) if dt!='complex64' else mx.array(v.reshape(2,3,4).astype(np.complex64))

VIEWS = {0: lambda x: x, 1: lambda x: mx.transpose(x), 2: lambda x: x[:, ::2, 1:], 3: lambda x: x[::-1, :, ::-2]}

def run(op, x, mode, axes, keep, param):
    f = getattr(mx, op)
    kw = {}
    if op in ('var','std'): kw['ddof'] = param
    if op == 'softmax':
        kw['precise'] = bool(param)
        if mode == 0: return f(x, **kw)
        if mode == 1: return f(x, axis=axes[0], **kw)
        return f(x, axis=list(axes), **kw)
    if op in ('argmax','argmin'):
        if mode == 0: return f(x, keepdims=keep)
        return f(x, axis=axes[0], keepdims=keep)
    if mode == 0: return f(x, keepdims=keep, **kw)
    if mode == 1: return f(x, axis=axes[0], keepdims=keep, **kw)
    return f(x, axis=list(axes), keepdims=keep, **kw)

def cval(v):
    if isinstance(v, complex): return None
    if isinstance(v, bool): return '1' if v else '0'
    if isinstance(v, int): return str(v)
    if math.isnan(v): return 'NAN'
    if math.isinf(v): return 'INFINITY' if v > 0 else '-INFINITY'
    return '%.17g' % v

rows = []
def last_axis_path(x, mode, axes):
    ax = list(range(x.ndim)) if mode == 0 else list(axes)
    if not ax or not (ax[-1] == x.ndim - 1 or ax[-1] == -1):
        return False
    for i in range(len(ax) - 2, -1, -1):
        if ax[i] + 1 != ax[i + 1] or x.shape[ax[i]] != 1:
            return False
    return True
def case(op, dt, view, mode, axes, keep, param):
    x = VIEWS[view](base(dt))
    y = run(op, x, mode, axes, keep, param)
    mx.eval(y)
    outdt = str(y.dtype).split('.')[-1]
    # Not reproduced (MLX 0.32 artefacts, see docs/ops-reduce.md): off the last-axis path MLX
    # subtracts the max in the input's own type (bool and unsigned wrap around) and casts softmax
    # probabilities back to unsigned types through a float->uint conversion that gives 2**31 / 2**63.
    if op == 'softmax' and outdt.startswith('uint'):
        return
    if op == 'logsumexp' and (dt == 'bool' or dt.startswith('uint')) and not last_axis_path(x, mode, axes):
        return
    vals = (np.array(y.astype(mx.float32)) if y.dtype == mx.bfloat16 else np.array(y)).reshape(-1).tolist()
    if y.dtype == mx.complex64:
        flat = []
        for c in vals: flat += [c.real, c.imag]
        vals = flat
    ax = '{' + ','.join(str(a) for a in axes) + '}' if axes else '{0}'
    shape = '{' + ','.join(str(s) for s in y.shape) + '}' if y.ndim else '{0}'
    rows.append('    {"%s", %s, %d, %d, %s, %d, %d, %d, %s, %d, %s, %d, {%s}},' % (
        op, CENUM[dt], view, mode, ax, len(axes), int(keep), param, CENUM[outdt], y.ndim, shape, len(vals),
        ', '.join(cval(v) for v in vals)))

ALL = list(DT)
REAL = [d for d in ALL if d != 'complex64']
FLOATS = ['float16','float32','float64','bfloat16']
configs = [(0,0,(),False),(0,1,(1,),False),(0,1,(-1,),True),(0,2,(0,2),False),(0,2,(),False),(1,2,(0,1),True),(2,1,(2,),False),(3,2,(0,1),False),(3,1,(-1,),False),(1,0,(),True)]
for op in ['sum','prod','max','min','all','any','mean']:
    for dt in ALL:
        for (view, mode, axes, keep) in configs:
            case(op, dt, view, mode, axes, keep, 0)
for op in ['var','std']:
    for dt in REAL:
        for (view, mode, axes, keep) in configs:
            case(op, dt, view, mode, axes, keep, 0)
        case(op, dt, 0, 1, (1,), False, 1)
        case(op, dt, 0, 2, (0,2), True, 2)
for dt in REAL:
    for (view, mode, axes, keep) in configs:
        case('logsumexp', dt, view, mode, axes, keep, 0)
for op in ['argmax','argmin']:
    for dt in ALL:
        for (view, mode, axes, keep) in [(0,0,(),False),(0,0,(),True),(0,1,(1,),False),(0,1,(-1,),True),(1,1,(0,),False),(2,1,(2,),True),(3,1,(1,),False),(1,0,(),False)]:
            case(op, dt, view, mode, axes, keep, 0)
for dt in REAL:
    for (view, mode, axes) in [(0,0,()),(0,1,(-1,)),(0,1,(0,)),(0,2,(1,2)),(0,2,()),(1,1,(1,)),(2,1,(-1,)),(3,2,(0,2))]:
        for precise in ([0,1] if dt in ('float16','bfloat16') else [0]):
            case('softmax', dt, view, mode, axes, False, precise)

print('/* Generated from MLX %s by a script over the inputs of make_input(); do not edit by hand. */' % mx.__version__)
print('static const ref_case k_ref_cases[] = {')
print('\n'.join(rows))
print('};')
