"""Max / average pooling over channels-last inputs (N, *spatial, C) via strided window views."""
from typing import Optional, Tuple, Union

import cmlx.core as mx
from cmlx.nn.layers.base import Module


def _value_or_list(value, n, message):
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise ValueError(message)
        return list(value)
    if not isinstance(value, int):
        raise ValueError(message)
    return [value] * n


def _sliding_windows(x, window_shape, window_strides):
    """A view (N, *out_spatial, *window, C) of x's windows."""
    if x.ndim < 3:
        raise ValueError("To extract sliding windows at least 1 spatial dimension (3 total) is "
                         f"needed but the input only has {x.ndim} dimensions.")
    spatial = x.shape[1:-1]
    if not len(spatial) == len(window_shape) == len(window_strides):
        raise ValueError("To extract sliding windows the window shapes and strides must have the "
                         "same number of spatial dimensions as the signal but the signal has "
                         f"{len(spatial)} dims and the window shape has {len(window_shape)} and "
                         f"strides have {len(window_strides)}.")
    shape = x.shape
    if all(w == s and n % w == 0 for n, w, s in zip(spatial, window_shape, window_strides)):
        # non-overlapping windows tiling the input: a reshape and a transpose
        split = [shape[0]]
        for n, w in zip(spatial, window_shape):
            split += [n // w, w]
        split.append(shape[-1])
        last = len(split) - 1
        return x.reshape(split).transpose([0, *range(1, last, 2), *range(2, last, 2), last])
    # row-major element strides of x
    strides = [1] * len(shape)
    for axis in range(len(shape) - 2, -1, -1):
        strides[axis] = strides[axis + 1] * shape[axis + 1]
    out_shape = [shape[0]]
    out_shape += [(n - w) // s + 1 for n, w, s in zip(spatial, window_shape, window_strides)]
    out_shape += list(window_shape) + [shape[-1]]
    out_strides = [strides[0]]
    out_strides += [st * s for st, s in zip(strides[1:-1], window_strides)]
    out_strides += strides[1:-1] + strides[-1:]
    return mx.as_strided(x, out_shape, out_strides)


class _Pool(Module):
    def __init__(self, pooling_function, kernel_size, stride, padding, padding_value):
        super().__init__()
        name = type(self).__name__
        for what, values in (("kernel_size", kernel_size), ("stride", stride)):
            if any(v <= 0 for v in values):
                raise ValueError(f"[{name}] '{what}' must be positive but got {tuple(values)}.")
        if any(p[0] < 0 for p in padding):
            raise ValueError(f"[{name}] 'padding' must be non-negative but got "
                             f"{tuple(p[0] for p in padding)}.")
        self._pooling_function = pooling_function
        self._kernel_size = kernel_size
        self._stride = stride
        self._padding = padding
        self._padding_value = padding_value
        self._axes = tuple(range(-len(kernel_size) - 1, -1, 1))

    def _extra_repr(self):
        return (f"kernel_size={tuple(self._kernel_size)}, stride={tuple(self._stride)}, "
                f"padding={tuple(p[0] for p in self._padding)}")

    def __call__(self, x):
        if any(p[0] > 0 for p in self._padding):
            x = mx.pad(x, [(0, 0)] + self._padding + [(0, 0)],
                       constant_values=self._padding_value)
        windows = _sliding_windows(x, self._kernel_size, self._stride)
        return self._pooling_function(windows, self._axes)


class _PoolNd(_Pool):
    _ndim = 1

    def __init__(self, pooling_function, padding_value, kernel_size, stride=None, padding=0):
        n = self._ndim
        plural = "1 integer" if n == 1 else f"{n} integers"
        message = f"[{type(self).__name__}] '{{}}' must be an integer or a tuple containing {plural}"
        kernel_size = _value_or_list(kernel_size, n, message.format("kernel_size"))
        stride = kernel_size if stride is None else _value_or_list(stride, n,
                                                                   message.format("stride"))
        padding = [(p, p) for p in _value_or_list(padding, n, message.format("padding"))]
        super().__init__(pooling_function, kernel_size, stride, padding, padding_value)


class _Pool1d(_PoolNd):
    _ndim = 1


class _Pool2d(_PoolNd):
    _ndim = 2


class _Pool3d(_PoolNd):
    _ndim = 3


class MaxPool1d(_Pool1d):
    def __init__(self, kernel_size: Union[int, Tuple[int]],
                 stride: Optional[Union[int, Tuple[int]]] = None,
                 padding: Union[int, Tuple[int]] = 0):
        super().__init__(mx.max, -float("inf"), kernel_size, stride, padding)


class AvgPool1d(_Pool1d):
    def __init__(self, kernel_size: Union[int, Tuple[int]],
                 stride: Optional[Union[int, Tuple[int]]] = None,
                 padding: Union[int, Tuple[int]] = 0):
        super().__init__(mx.mean, 0, kernel_size, stride, padding)


class MaxPool2d(_Pool2d):
    def __init__(self, kernel_size: Union[int, Tuple[int, int]],
                 stride: Optional[Union[int, Tuple[int, int]]] = None,
                 padding: Optional[Union[int, Tuple[int, int]]] = 0):
        super().__init__(mx.max, -float("inf"), kernel_size, stride, padding)


class AvgPool2d(_Pool2d):
    def __init__(self, kernel_size: Union[int, Tuple[int, int]],
                 stride: Optional[Union[int, Tuple[int, int]]] = None,
                 padding: Optional[Union[int, Tuple[int, int]]] = 0):
        super().__init__(mx.mean, 0, kernel_size, stride, padding)


class MaxPool3d(_Pool3d):
    def __init__(self, kernel_size: Union[int, Tuple[int, int, int]],
                 stride: Optional[Union[int, Tuple[int, int, int]]] = None,
                 padding: Optional[Union[int, Tuple[int, int, int]]] = 0):
        super().__init__(mx.max, -float("inf"), kernel_size, stride, padding)


class AvgPool3d(_Pool3d):
    def __init__(self, kernel_size: Union[int, Tuple[int, int, int]],
                 stride: Optional[Union[int, Tuple[int, int, int]]] = None,
                 padding: Optional[Union[int, Tuple[int, int, int]]] = 0):
        super().__init__(mx.mean, 0, kernel_size, stride, padding)
