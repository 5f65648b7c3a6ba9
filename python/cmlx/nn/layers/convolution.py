"""Convolutions over channels-last inputs (N, *spatial, C), weights (C_out, *kernel, C_in/groups)."""
import math
from typing import Union

import cmlx.core as mx
from cmlx.nn.layers.base import Module


def _tuple(value, n):
    return (value,) * n if isinstance(value, int) else value


def _conv_weight(in_channels, out_channels, kernel_size):
    fan_in = in_channels * math.prod(kernel_size)
    limit = math.sqrt(1 / fan_in)
    return mx.random.uniform(low=-limit, high=limit,
                             shape=(out_channels, *kernel_size, in_channels))


class Conv1d(Module):
    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1,
                 padding: int = 0, dilation: int = 1, groups: int = 1, bias: bool = True):
        super().__init__()
        if in_channels % groups != 0:
            raise ValueError(f"The number of input channels ({in_channels}) must be divisible by "
                             f"the number of groups ({groups})")
        self.weight = _conv_weight(in_channels // groups, out_channels, (kernel_size,))
        if bias:
            self.bias = mx.zeros((out_channels,))
        self.padding = padding
        self.dilation = dilation
        self.stride = stride
        self.groups = groups

    def _extra_repr(self):
        return (f"{self.weight.shape[-1] * self.groups}, {self.weight.shape[0]}, "
                f"kernel_size={self.weight.shape[1]}, stride={self.stride}, "
                f"padding={self.padding}, dilation={self.dilation}, groups={self.groups}, "
                f"bias={'bias' in self}")

    def __call__(self, x):
        y = mx.conv1d(x, self.weight, self.stride, self.padding, self.dilation, self.groups)
        return y + self.bias if "bias" in self else y


class Conv2d(Module):
    def __init__(self, in_channels: int, out_channels: int, kernel_size: Union[int, tuple],
                 stride: Union[int, tuple] = 1, padding: Union[int, tuple] = 0,
                 dilation: Union[int, tuple] = 1, groups: int = 1, bias: bool = True):
        super().__init__()
        if in_channels % groups != 0:
            raise ValueError(f"The number of input channels ({in_channels}) must be divisible by "
                             f"the number of groups ({groups})")
        kernel_size, stride, padding = (_tuple(v, 2) for v in (kernel_size, stride, padding))
        self.weight = _conv_weight(in_channels // groups, out_channels, kernel_size)
        if bias:
            self.bias = mx.zeros((out_channels,))
        self.padding = padding
        self.stride = stride
        self.dilation = dilation
        self.groups = groups

    def _extra_repr(self):
        return (f"{self.weight.shape[-1] * self.groups}, {self.weight.shape[0]}, "
                f"kernel_size={self.weight.shape[1:3]}, stride={self.stride}, "
                f"padding={self.padding}, dilation={self.dilation}, groups={self.groups}, "
                f"bias={'bias' in self}")

    def __call__(self, x):
        y = mx.conv2d(x, self.weight, self.stride, self.padding, self.dilation, self.groups)
        return y + self.bias if "bias" in self else y


class Conv3d(Module):
    def __init__(self, in_channels: int, out_channels: int, kernel_size: Union[int, tuple],
                 stride: Union[int, tuple] = 1, padding: Union[int, tuple] = 0,
                 dilation: Union[int, tuple] = 1, bias: bool = True):
        super().__init__()
        kernel_size, stride, padding = (_tuple(v, 3) for v in (kernel_size, stride, padding))
        self.weight = _conv_weight(in_channels, out_channels, kernel_size)
        if bias:
            self.bias = mx.zeros((out_channels,))
        self.padding = padding
        self.stride = stride
        self.dilation = dilation

    def _extra_repr(self):
        return (f"{self.weight.shape[-1]}, {self.weight.shape[0]}, "
                f"kernel_size={self.weight.shape[1:4]}, stride={self.stride}, "
                f"padding={self.padding}, dilation={self.dilation}, bias={'bias' in self}")

    def __call__(self, x):
        y = mx.conv3d(x, self.weight, self.stride, self.padding, self.dilation)
        return y + self.bias if "bias" in self else y
