"""Upsampling of channels-last inputs (N, *spatial, C): nearest, (bi/tri)linear, cubic,
optionally antialiased; the index/weight formulas are MLX's."""
import operator
from functools import reduce
from itertools import product
from math import ceil
from typing import Callable, Literal, Tuple, Union

import cmlx.core as mx
from cmlx.nn.layers.base import Module


def _along(values, dim, ndims):
    """Reshape a 1-D array so it broadcasts along spatial axis dim of ndims."""
    shape = [1] * ndims
    shape[dim] = -1
    return values.reshape(shape)


def _scaled_indices(N, scale, align_corners, dim, ndims):
    M = int(scale * N)
    positions = mx.arange(M, dtype=mx.float32)
    if align_corners:
        positions = positions * ((N - 1) / max(M - 1, 1))
    else:
        step = 1 / scale
        start = ((M - 1) * step - N + 1) / 2
        positions = positions * step - start
    return _along(positions, dim, ndims)


def _nearest_indices(N, scale, dim, ndims):
    M = int(scale * N)
    positions = mx.arange(M, dtype=mx.float32)
    if M > N:
        positions = ((positions + 0.5) * (N / M) - 0.5).round()
    else:
        positions = positions * (N / M)
    return _along(positions.astype(mx.uint32), dim, ndims)


def _linear_indices(N, scale, align_corners, dim, ndims):
    positions = mx.clip(_scaled_indices(N, scale, align_corners, dim, ndims), a_min=0, a_max=N - 1)
    left, right = mx.floor(positions), mx.ceil(positions)
    weight = mx.expand_dims(positions - left, -1)
    return ((left.astype(mx.uint32), 1 - weight), (right.astype(mx.uint32), weight))


def _triangle_kernel(x):
    return mx.maximum(1.0 - x, 0.0)


def _cubic_kernel(x):
    a = -0.5
    inner = ((a + 2.0) * x - (a + 3.0)) * x * x + 1
    outer = (((x - 5) * x + 8) * x - 4) * a
    return mx.where(x <= 1.0, inner, mx.where(x <= 2.0, outer, 0.0))


def _aa_indices(N, scale, align_corners, dim, ndims, kernel_fn, kernel_radius):
    """Taps and normalised weights of a kernel widened by 1/scale when downsampling."""
    positions = _scaled_indices(N, scale, align_corners, dim, ndims)
    inv_scale = 1.0 / scale if scale < 1 else 1.0
    taps = ceil(kernel_radius * inv_scale) + 1
    indices, weights = [], []
    for k in range(-taps + 1, taps):
        idx = mx.floor(positions) + k
        w = kernel_fn(mx.abs(positions - idx) / inv_scale)
        weights.append(mx.where((idx >= 0) & (idx < N), w, 0.0))
        indices.append(idx)
    total = sum(weights)
    total = mx.where(total > 0, total, 1.0)
    return tuple((mx.clip(idx, a_min=0, a_max=N - 1).astype(mx.uint32),
                  mx.expand_dims(w / total, -1)) for idx, w in zip(indices, weights))


def _linear_aa_indices(N, scale, align_corners, dim, ndims):
    return _aa_indices(N, scale, align_corners, dim, ndims, _triangle_kernel, 1.0)


def _cubic_aa_indices(N, scale, align_corners, dim, ndims):
    return _aa_indices(N, scale, align_corners, dim, ndims, _cubic_kernel, 2.0)


def _cubic_indices(N, scale, align_corners, dim, ndims):
    positions = _scaled_indices(N, scale, align_corners, dim, ndims)
    l1 = mx.floor(positions)
    r1 = mx.floor(positions + 1)
    l2 = l1 - 1
    r2 = r1 + 1

    def weight(grid, near):  # Keys cubic with a = -0.75
        a = -0.75
        x = mx.abs(positions - grid)
        if near:
            w = ((a + 2.0) * x - (a + 3.0)) * x * x + 1
        else:
            w = (((x - 5) * x + 8) * x - 4) * a
        return w[..., None]

    weights = (weight(l1, True), weight(r1, True), weight(l2, False), weight(r2, False))
    taps = [mx.clip(i, a_min=0, a_max=N - 1).astype(mx.uint32) for i in (l1, r1, l2, r2)]
    return tuple(zip(taps, weights))


def _validate_antialias_align_corners(align_corners, antialias):
    if antialias and align_corners:
        raise ValueError("[Upsample] antialias=True with align_corners=True is not supported. Use "
                         "align_corners=False for antialiased interpolation.")


def upsample_nearest(x: mx.array, scale_factor: Tuple):
    dims = x.ndim - 2
    if dims != len(scale_factor):
        raise ValueError("A scale needs to be provided for each spatial dimension")
    if tuple(map(int, scale_factor)) == scale_factor:
        # integer factors: repeat by broadcasting a new axis after each spatial axis
        shape = list(x.shape)
        for d in range(dims):
            shape.insert(2 + 2 * d, 1)
        x = x.reshape(shape)
        for d in range(dims):
            shape[2 + 2 * d] = int(scale_factor[d])
        x = mx.broadcast_to(x, shape)
        for d in range(dims):
            shape[d + 1] *= shape[d + 2]
            shape.pop(d + 2)
        return x.reshape(shape)
    _, *N, _ = x.shape
    index = [slice(None)] + [_nearest_indices(n, s, i, dims)
                             for i, (n, s) in enumerate(zip(N, scale_factor))]
    return x[tuple(index)]


def _interpolate(x: mx.array, scale_factor: Tuple, indices_fn: Callable,
                 align_corners: bool = False):
    dims = x.ndim - 2
    if dims != len(scale_factor):
        raise ValueError("A scale needs to be provided for each spatial dimension")
    _, *N, _ = x.shape
    per_axis = [indices_fn(n, s, align_corners, i, dims)
                for i, (n, s) in enumerate(zip(N, scale_factor))]
    terms = []
    for combination in product(*per_axis):
        idx, weight = zip(*combination)
        terms.append((reduce(operator.mul, weight), x[(slice(None),) + idx]))
    return sum(w * sample for w, sample in terms)


def _interpolate_separable(x: mx.array, scale_factor: Tuple, indices_fn: Callable,
                           align_corners: bool = False):
    dims = x.ndim - 2
    if dims != len(scale_factor):
        raise ValueError("A scale needs to be provided for each spatial dimension")
    _, *N, _ = x.shape
    out = x
    for i, (n, s) in enumerate(zip(N, scale_factor)):
        out = sum(mx.take(out, idx.reshape(-1), axis=i + 1) * w
                  for idx, w in indices_fn(n, s, align_corners, i, dims))
    return out


def upsample_linear(x: mx.array, scale_factor: Tuple, align_corners: bool = False,
                    antialias: bool = False):
    _validate_antialias_align_corners(align_corners, antialias)
    if antialias:
        return _interpolate_separable(x=x, scale_factor=scale_factor,
                                      indices_fn=_linear_aa_indices, align_corners=align_corners)
    if not align_corners:
        return _interpolate_separable(x=x, scale_factor=scale_factor, indices_fn=_linear_indices,
                                      align_corners=align_corners)
    return _interpolate(x=x, scale_factor=scale_factor, indices_fn=_linear_indices,
                        align_corners=align_corners)


def upsample_cubic(x: mx.array, scale_factor: Tuple, align_corners: bool = False,
                   antialias: bool = False):
    _validate_antialias_align_corners(align_corners, antialias)
    if antialias:
        return _interpolate_separable(x=x, scale_factor=scale_factor,
                                      indices_fn=_cubic_aa_indices, align_corners=align_corners)
    return _interpolate(x=x, scale_factor=scale_factor, indices_fn=_cubic_indices,
                        align_corners=align_corners)


class Upsample(Module):
    def __init__(self, scale_factor: Union[float, Tuple],
                 mode: Literal["nearest", "linear", "cubic"] = "nearest",
                 align_corners: bool = False, antialias: bool = False):
        super().__init__()
        if mode not in ["nearest", "linear", "cubic"]:
            raise ValueError(f"[Upsample] Got unsupported upsampling algorithm: {mode}")
        if antialias and mode == "nearest":
            raise ValueError("[Upsample] Antialiasing is not supported for nearest neighbor "
                             "upsampling")
        if isinstance(scale_factor, (list, tuple)):
            scale_factor = tuple(map(float, scale_factor))
        else:
            scale_factor = float(scale_factor)
        _validate_antialias_align_corners(align_corners, antialias)
        self.scale_factor = scale_factor
        self.mode = mode
        self.align_corners = align_corners
        self.antialias = antialias

    def _extra_repr(self) -> str:
        text = (f"scale_factor={self.scale_factor}, mode={self.mode!r}, "
                f"align_corners={self.align_corners}")
        return text + (", antialias=True" if self.antialias else "")

    def __call__(self, x: mx.array) -> mx.array:
        dims = x.ndim - 2
        if dims <= 0:
            raise ValueError("[Upsample] The input should have at least 1 spatial dimension which "
                             f"means it should be at least 3D but {x.ndim}D was provided")
        scale_factor = self.scale_factor
        if isinstance(scale_factor, tuple):
            if len(scale_factor) != dims:
                raise ValueError(f"[Upsample] One scale per spatial dimension is required but "
                                 f"scale_factor={scale_factor} and the number of spatial "
                                 f"dimensions were {dims}")
        else:
            scale_factor = (scale_factor,) * dims
        if self.mode == "nearest":
            return upsample_nearest(x, scale_factor)
        if self.mode == "linear":
            return upsample_linear(x, scale_factor, self.align_corners, self.antialias)
        return upsample_cubic(x, scale_factor, self.align_corners, self.antialias)
