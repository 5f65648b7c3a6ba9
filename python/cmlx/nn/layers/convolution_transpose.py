"""Transposed convolutions, channels last; weights (C_out, *kernel, C_in)."""
from typing import Union

import cmlx.core as mx
from cmlx.nn.layers.base import Module
from cmlx.nn.layers.convolution import _conv_weight, _tuple


class _ConvTransposeNd(Module):
    _ndim = 1

    def __init__(self, in_channels, out_channels, kernel_size, stride, padding, dilation,
                 output_padding, bias):
        super().__init__()
        n = self._ndim
        if n > 1:
            kernel_size, stride, padding, output_padding = (
                _tuple(v, n) for v in (kernel_size, stride, padding, output_padding))
        self.weight = _conv_weight(in_channels, out_channels, _tuple(kernel_size, n))
        if bias:
            self.bias = mx.zeros((out_channels,))
        self.padding = padding
        self.dilation = dilation
        self.stride = stride
        self.output_padding = output_padding

    def _extra_repr(self):
        n = self._ndim
        kernel = self.weight.shape[1] if n == 1 else self.weight.shape[1:1 + n]
        return (f"{self.weight.shape[-1]}, {self.weight.shape[0]}, kernel_size={kernel}, "
                f"stride={self.stride}, padding={self.padding}, dilation={self.dilation}, "
                f"output_padding={self.output_padding}, bias={'bias' in self}")

    def __call__(self, x):
        conv = (mx.conv_transpose1d, mx.conv_transpose2d, mx.conv_transpose3d)[self._ndim - 1]
        y = conv(x, self.weight, self.stride, self.padding, self.dilation, self.output_padding)
        return y + self.bias if "bias" in self else y


class ConvTranspose1d(_ConvTransposeNd):
    _ndim = 1

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1,
                 padding: int = 0, dilation: int = 1, output_padding: int = 0, bias: bool = True):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         output_padding, bias)


class ConvTranspose2d(_ConvTransposeNd):
    _ndim = 2

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Union[int, tuple],
                 stride: Union[int, tuple] = 1, padding: Union[int, tuple] = 0,
                 dilation: Union[int, tuple] = 1, output_padding: Union[int, tuple] = 0,
                 bias: bool = True):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         output_padding, bias)


class ConvTranspose3d(_ConvTransposeNd):
    _ndim = 3

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Union[int, tuple],
                 stride: Union[int, tuple] = 1, padding: Union[int, tuple] = 0,
                 dilation: Union[int, tuple] = 1, output_padding: Union[int, tuple] = 0,
                 bias: bool = True):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         output_padding, bias)
