"""Random: key, split, bits, uniform, normal, and the global key sequence.

MLX's Python API has no bits(); its C++ random::bits is reproduced here from
MLX's RandomBits CPU kernel (Threefry-2x32, 20 rounds) and checked against
mx.random.split (which is bits of width 4) and mx.random.uniform before any
fixture is written."""
import math

import mlx.core as mx
import numpy as np

from .inputs import *  # noqa: F401,F403

_ROTATIONS = ((13, 15, 26, 6), (17, 29, 16, 24))


def threefry2x32(key, c0, c1):
    """Threefry-2x32 of the counter pairs (c0[i], c1[i]) under key (k0, k1)."""
    with np.errstate(over="ignore"):
        k = [np.uint32(key[0]), np.uint32(key[1])]
        ks = [k[0], k[1], k[0] ^ k[1] ^ np.uint32(0x1BD11BDA)]
        x = np.asarray(c0, dtype=np.uint32) + ks[0]
        y = np.asarray(c1, dtype=np.uint32) + ks[1]
        for i in range(5):
            for r in _ROTATIONS[i % 2]:
                x = x + y
                y = (y << np.uint32(r)) | (y >> np.uint32(32 - r))
                y = y ^ x
            x = x + ks[(i + 1) % 3]
            y = y + ks[(i + 2) % 3] + np.uint32(i + 1)
    return x, y


def bits_reference(shape, width, key):
    """MLX random::bits(shape, width, key) for a single key of shape (2,)."""
    count = math.prod(shape)
    nbytes = count * width
    words = (nbytes + 3) // 4
    half, odd = words // 2, words % 2
    out = np.zeros(words, dtype=np.uint32)
    if half:
        i = np.arange(half, dtype=np.uint32)
        x, y = threefry2x32(key, i, i + np.uint32(half + odd))
        out[:half], out[half + odd:] = x, y
    if odd:
        x, _ = threefry2x32(key, [half], [0])
        out[half] = x[0]
    dt = {1: np.uint8, 2: np.uint16, 4: np.uint32}[width]
    return np.frombuffer(out.tobytes()[:nbytes], dtype=dt).reshape(shape)


def _mx_bits(shape, width, key):
    ref = bits_reference(shape, width, np.array(key))
    return mx.array(ref, dtype={1: U8, 2: U16, 4: U32}[width])


def self_check():
    """Fail loudly if the bits reference does not reproduce MLX."""
    for seed in (0, 7, 2**40 + 3):
        key = mx.random.key(seed)
        k = np.array(key)
        for num in (1, 2, 3, 5):
            if not np.array_equal(np.array(mx.random.split(key, num)), bits_reference((num, 2), 4, k)):
                raise AssertionError(f"bits reference differs from mx.random.split (seed {seed}, num {num})")
        for n in (1, 2, 3, 7, 10):
            b = bits_reference((n,), 4, k).astype(np.float32)
            u = np.minimum(b / np.float32(4294967295.0), np.nextafter(np.float32(1), np.float32(0)))
            if not np.array_equal(u, np.array(mx.random.uniform(shape=(n,), key=key))):
                raise AssertionError(f"bits reference differs from mx.random.uniform (seed {seed}, n {n})")


SEEDS = [0, 1, 42, 2**32 + 5, 2**64 - 1, 123456789]


def _seed_param(seed):
    return seed - 2**64 if seed >= 2**63 else seed  # stored as int64 bits


def gen_key():
    c = Cases("random_key")
    for seed in SEEDS:
        c.add(f"seed={seed}", U32, lambda s=seed: mx.random.key(s), [], {"seed": _seed_param(seed)})
    return c


def gen_split():
    c = Cases("random_split")
    for seed in SEEDS[:4]:
        for num in (1, 2, 3, 5, 0):
            c.add(f"key({seed}) num={num}", U32, lambda k, n=num: mx.random.split(k, n), [mx.random.key(seed)],
                  {"num": num})
    bad_keys = [("int32 key", mx.array([1, 2], dtype=I32)), ("key of shape (3,)", mx.array([1, 2, 3], dtype=U32))]
    for label, k in bad_keys:
        c.add(label, U32, lambda k: mx.random.split(k, 2), [k], {"num": 2})
    return c


BITS_SHAPES = [(), (0,), (1,), (2,), (3,), (5,), (7,), (4, 3), (2, 3, 5), (1001,), (3, 1, 3)]


def gen_bits():
    c = Cases("random_bits")
    for width in (1, 2, 4):
        col = {1: U8, 2: U16, 4: U32}[width]
        for seed in (0, 42, 2**64 - 1):
            for shape in BITS_SHAPES:
                c.add(f"width={width} key({seed}) {shape_str(shape)}", col,
                      lambda k, s=shape, w=width: _mx_bits(s, w, k), [mx.random.key(seed)],
                      {"shape": list(shape), "width": width})
    for width in (3, 8, 0):
        c.add(f"width={width} bad", U32, lambda k: _bad_width(), [mx.random.key(1)],
              {"shape": [3], "width": width})
    # split(key, num) is bits({num, 2}, 4, key): the same key validation
    c.add("int32 key bad", U32, lambda k: mx.random.split(k, 2), [mx.array([1, 2], dtype=I32)],
          {"shape": [2, 2], "width": 4})
    c.add("key of shape (2,2) bad", U32, lambda k: mx.random.split(k, 2), [mx.array([[1, 2], [3, 4]], dtype=U32)],
          {"shape": [2, 2], "width": 4})
    return c


def _bad_width():
    # MLX's bits throws std::invalid_argument ("Bit width must be in {1, 2, 4}") -> ValueError
    raise ValueError("[bits] Bit width must be in {1, 2, 4}")


def gen_uniform():
    c = Cases("random_uniform")
    f32 = lambda v: mx.array(v, dtype=F32)  # noqa: E731
    bounds = [("0..1", f32(0.0), f32(1.0)), ("-2..3", f32(-2.0), f32(3.0)),
              ("rows", mx.array([0.0, 1.0, -1.0, 10.0], dtype=F32), f32(20.0)),
              ("f16 bounds", mx.array(-1.0, dtype=F16), mx.array(1.0, dtype=F16)),
              ("int bounds", mx.array(-5, dtype=I32), mx.array(5, dtype=I32))]
    for dt in DTYPES:
        for seed in (0, 42):
            for shape in [(), (3,), (5, 4), (0,), (1001,), (2, 3, 4)]:
                for label, lo, hi in bounds:
                    if label == "rows" and (not shape or shape[-1] != 4):
                        continue
                    c.add(f"{dtype_name(dt)} {label} key({seed}) {shape_str(shape)}", dt,
                          lambda l, h, k, s=shape, d=dt: mx.random.uniform(l, h, s, d, key=k),
                          [lo, hi, mx.random.key(seed)], {"shape": list(shape), "dtype": dtype_index(dt)})
                    if dt not in (F32, F16, BF16):
                        break  # rejected dtypes: one case per shape is enough
    c.add("float32 bounds (2,) for shape (3,) bad", F32, lambda l, h, k: mx.random.uniform(l, h, (3,), F32, key=k),
          [mx.array([0.0, 1.0], dtype=F32), f32(2.0), mx.random.key(1)], {"shape": [3], "dtype": dtype_index(F32)})
    c.add("float32 bounds (3,4) for shape (4,) bad", F32, lambda l, h, k: mx.random.uniform(l, h, (4,), F32, key=k),
          [mx.zeros((3, 4), dtype=F32), f32(2.0), mx.random.key(1)], {"shape": [4], "dtype": dtype_index(F32)})
    c.add("float32 int32 key bad", F32, lambda l, h, k: mx.random.uniform(l, h, (4,), F32, key=k),
          [f32(0.0), f32(1.0), mx.array([1, 2], dtype=I32)], {"shape": [4], "dtype": dtype_index(F32)})
    return c


def gen_normal():
    c = Cases("random_normal")
    for dt in DTYPES:
        for seed in (0, 42):
            for shape in [(), (3,), (5, 4), (0,), (1001,), (2, 3, 4)]:
                for loc, scale in [(0.0, 1.0), (0.5, 2.0), (-1.25, 0.25)]:
                    c.add(f"{dtype_name(dt)} loc={loc} scale={scale} key({seed}) {shape_str(shape)}", dt,
                          lambda k, s=shape, d=dt, lo=loc, sc=scale: mx.random.normal(s, d, lo, sc, key=k),
                          [mx.random.key(seed)],
                          {"shape": list(shape), "dtype": dtype_index(dt), "loc": loc, "scale": scale})
                    if dt not in FLOATS and dt != C64:
                        break
    c.add("float32 int32 key bad", F32, lambda k: mx.random.normal((3,), F32, 0.0, 1.0, key=k),
          [mx.array([1, 2], dtype=I32)], {"shape": [3], "dtype": dtype_index(F32), "loc": 0.0, "scale": 1.0})
    return c


# The global key: seed, then draws with no key. Call codes: 0 uniform float32 in
# [0, 1), 1 normal float32 (loc 0, scale 1), 2 bits of width 4.
def gen_global():
    c = Cases("random_seed")
    for seed, calls, shape in [(0, (0, 1, 2), (5,)), (42, (2, 2, 0, 1, 0), (3, 2)), (2**64 - 1, (1, 0), (7,)),
                               (7, (0,), ())]:
        def draws(seed=seed, calls=calls, shape=shape):
            # MLX's KeySequence::next(): split the key in two, keep the first, use the second
            key = mx.random.key(seed)
            outs = []
            for call in calls:
                pair = mx.random.split(key, 2)
                key, sub = pair[0], pair[1]
                if call == 0:
                    outs.append(mx.random.uniform(shape=shape, key=sub))
                elif call == 1:
                    outs.append(mx.random.normal(shape, key=sub))
                else:
                    outs.append(_mx_bits(shape, 4, sub))
            # cross-check the emulation against MLX's own global sequence
            mx.random.seed(seed)
            for call, want in zip(calls, outs):
                if call == 2:
                    mx.random.uniform(shape=(1,))  # Python has no bits(); any draw advances the key once
                    continue
                got = mx.random.uniform(shape=shape) if call == 0 else mx.random.normal(shape)
                if not np.array_equal(np.array(got), np.array(want)):
                    raise AssertionError("global key emulation differs from MLX")
            return outs
        c.add(f"seed={seed} calls={list(calls)} {shape_str(shape)}", U32, draws, [],
              {"seed": _seed_param(seed), "calls": list(calls), "shape": list(shape)})
    return c


def generators():
    self_check()
    return [("random_key", gen_key), ("random_split", gen_split), ("random_bits", gen_bits),
            ("random_uniform", gen_uniform), ("random_normal", gen_normal), ("random_seed", gen_global)]
