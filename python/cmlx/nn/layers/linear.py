import math
from typing import Any, Optional

import cmlx.core as mx
from cmlx.nn.layers.base import Module
from cmlx.nn.layers.quantized import QuantizedLinear


class Identity(Module):
    """Returns its input; accepts and ignores any constructor arguments."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def __call__(self, x: mx.array) -> mx.array:
        return x


class Linear(Module):
    """y = x W^T + b, W of shape (output_dims, input_dims), initialised U(-k, k), k = 1/sqrt(input_dims)."""

    def __init__(self, input_dims: int, output_dims: int, bias: bool = True) -> None:
        super().__init__()
        limit = math.sqrt(1.0 / input_dims)
        self.weight = mx.random.uniform(low=-limit, high=limit, shape=(output_dims, input_dims))
        if bias:
            self.bias = mx.random.uniform(low=-limit, high=limit, shape=(output_dims,))

    def _extra_repr(self) -> str:
        return (f"input_dims={self.weight.shape[1]}, output_dims={self.weight.shape[0]}, "
                f"bias={'bias' in self}")

    def __call__(self, x: mx.array) -> mx.array:
        if "bias" in self:
            return mx.addmm(self["bias"], x, self["weight"].T)
        return x @ self["weight"].T

    def to_quantized(self, group_size: Optional[int] = None, bits: Optional[int] = None,
                     mode: str = "affine", quantize_input: bool = False):
        if quantize_input:
            raise ValueError("Quantized activations (QQLinear, nvfp4/mxfp8) are not supported by "
                             "cmlx.")
        return QuantizedLinear.from_linear(self, group_size, bits, mode)


class Bilinear(Module):
    """y_i = x1^T W_i x2 + b_i, W of shape (output_dims, input2_dims, input1_dims)."""

    def __init__(self, input1_dims: int, input2_dims: int, output_dims: int,
                 bias: bool = True) -> None:
        super().__init__()
        limit = math.sqrt(1.0 / input1_dims)
        self.weight = mx.random.uniform(low=-limit, high=limit,
                                        shape=(output_dims, input2_dims, input1_dims))
        if bias:
            self.bias = mx.random.uniform(low=-limit, high=limit, shape=(output_dims,))

    def _extra_repr(self) -> str:
        out, in2, in1 = self.weight.shape
        return (f"input1_dims={in1}, input2_dims={in2}, output_dims={out}, "
                f"bias={'bias' in self}")

    def __call__(self, x1: mx.array, x2: mx.array) -> mx.array:
        out, in2, in1 = self.weight.shape
        batch_shape = x1.shape[:-1]
        # (B, in1) @ (in1, out*in2) -> (B, out, in2), then contract in2 with x2 (B, 1, in2)
        y = x1.reshape(-1, in1) @ self.weight.reshape(out * in2, in1).T
        y = y.reshape(-1, out, in2).swapaxes(-2, -1)
        y = (x2.reshape(-1, 1, in2) @ y).squeeze(1)
        y = y.reshape(*batch_shape, out)
        if "bias" in self:
            y = y + self.bias
        return y
