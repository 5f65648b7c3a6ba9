"""Activation functions and their Module wrappers (the formulas of mlx.nn)."""
import math
from typing import Any

import cmlx.core as mx
from cmlx.nn.layers.base import Module

_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)


def sigmoid(x):
    return mx.sigmoid(x)


def relu(x):
    return mx.maximum(x, 0)


def relu2(x):
    return mx.square(mx.maximum(x, 0))


def relu6(x):
    return mx.minimum(mx.maximum(x, 0), 6.0)


def leaky_relu(x, negative_slope=0.01):
    return mx.maximum(negative_slope * x, x)


def log_softmax(x, axis=-1):
    x = x - mx.stop_gradient(mx.max(x, axis=axis, keepdims=True))
    return x - mx.logsumexp(x, axis=axis, keepdims=True)


def elu(x, alpha=1.0):
    return mx.where(x > 0, x, alpha * (mx.exp(x) - 1))


def softmax(x, axis=-1):
    return mx.softmax(x, axis=axis)


def softplus(x):
    return mx.logaddexp(x, 0)


def softsign(x):
    return mx.divide(x, 1 + mx.abs(x))


def softshrink(x, lambd: float = 0.5):
    return mx.where(mx.abs(x) > lambd, x - mx.sign(x) * lambd, 0)


def celu(x, alpha=1.0):
    return mx.maximum(x, 0.0) + alpha * (mx.exp(mx.minimum(x, 0.0) / alpha) - 1)


def silu(x):
    return x * mx.sigmoid(x)


def log_sigmoid(x):
    return -softplus(-x)


def gelu(x) -> mx.array:
    """x * Phi(x) with the exact Gaussian CDF."""
    return x * (1 + mx.erf(x / math.sqrt(2))) / 2


def gelu_approx(x):
    """The tanh approximation of gelu."""
    return 0.5 * x * (1 + mx.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x**3)))


def gelu_fast_approx(x):
    """The sigmoid approximation x * sigmoid(1.702 x)."""
    return x * mx.sigmoid(1.702 * x)


def glu(x: mx.array, axis: int = -1) -> mx.array:
    a, b = mx.split(x, indices_or_sections=2, axis=axis)
    return a * mx.sigmoid(b)


def step(x: mx.array, threshold: float = 0.0):
    return mx.where(x >= threshold, 1, 0)


def selu(x):
    return elu(x, 1.67326) * 1.0507


def prelu(x: mx.array, alpha: mx.array) -> mx.array:
    return mx.maximum(0, x) + alpha * mx.minimum(0, x)


def mish(x: mx.array) -> mx.array:
    return x * mx.tanh(softplus(x))


def hardswish(x):
    return x * mx.minimum(mx.maximum(x + 3, 0), 6) / 6


def hard_tanh(x, min_val=-1.0, max_val=1.0):
    return mx.minimum(mx.maximum(x, min_val), max_val)


def hard_shrink(x, lambd=0.5):
    return mx.where(mx.abs(x) > lambd, x, 0)


def softmin(x, axis=-1):
    return mx.softmax(-x, axis=axis)


def tanh(x):
    return mx.tanh(x)


def _wrapping(fn):
    """Class decorator: a parameterless Module whose __call__ is fn."""
    def decorate(cls):
        cls.__call__ = lambda self, x: fn(x)
        return cls
    return decorate


@_wrapping(sigmoid)
class Sigmoid(Module):
    pass


@_wrapping(mish)
class Mish(Module):
    pass


@_wrapping(relu)
class ReLU(Module):
    pass


@_wrapping(relu2)
class ReLU2(Module):
    pass


@_wrapping(relu6)
class ReLU6(Module):
    pass


@_wrapping(softmax)
class Softmax(Module):
    pass


@_wrapping(softplus)
class Softplus(Module):
    pass


@_wrapping(softsign)
class Softsign(Module):
    pass


@_wrapping(silu)
class SiLU(Module):
    pass


@_wrapping(log_softmax)
class LogSoftmax(Module):
    pass


@_wrapping(log_sigmoid)
class LogSigmoid(Module):
    pass


@_wrapping(tanh)
class Tanh(Module):
    pass


@_wrapping(hardswish)
class Hardswish(Module):
    pass


@_wrapping(selu)
class SELU(Module):
    pass


@_wrapping(hard_tanh)
class HardTanh(Module):
    pass


@_wrapping(softmin)
class Softmin(Module):
    pass


class GLU(Module):
    def __init__(self, axis: int = -1):
        super().__init__()
        self.axis = axis

    def __call__(self, x) -> Any:
        return glu(x=x, axis=self.axis)


class LeakyReLU(Module):
    def __init__(self, negative_slope=0.01):
        super().__init__()
        self._negative_slope = negative_slope

    def __call__(self, x):
        return leaky_relu(x, self._negative_slope)


class ELU(Module):
    def __init__(self, alpha=1.0):
        super().__init__()
        self._alpha = alpha

    def __call__(self, x):
        return elu(x, self._alpha)


class CELU(Module):
    def __init__(self, alpha=1.0):
        super().__init__()
        self._alpha = alpha

    def __call__(self, x):
        return celu(x, self._alpha)


class Softshrink(Module):
    def __init__(self, lambd=0.5):
        super().__init__()
        self.lambd = lambd

    def __call__(self, x):
        return softshrink(x, self.lambd)


class HardShrink(Module):
    def __init__(self, lambd=0.5):
        super().__init__()
        self.lambd = lambd

    def __call__(self, x):
        return hard_shrink(x, self.lambd)


class Step(Module):
    def __init__(self, threshold: float = 0.0):
        super().__init__()
        self.threshold = threshold

    def __call__(self, x: mx.array):
        return step(x, self.threshold)


class PReLU(Module):
    """Leaky ReLU with a learnt slope per channel (weight)."""

    def __init__(self, num_parameters=1, init=0.25):
        super().__init__()
        self.weight = mx.full([num_parameters], init)

    def __call__(self, x: mx.array):
        return prelu(x, self.weight)


class GELU(Module):
    """approx: 'none' (exact), 'precise' or 'tanh' (tanh form), 'fast' (sigmoid form)."""

    def __init__(self, approx="none"):
        super().__init__()
        allowed = ["none", "precise", "tanh", "fast"]
        if approx not in allowed:
            raise ValueError(f"The approximation should be in {allowed} but '{approx}' was given")
        self._approx = approx

    def __call__(self, x):
        if self._approx == "none":
            return gelu(x)
        if self._approx in ("precise", "tanh"):
            return gelu_approx(x)
        return gelu_fast_approx(x)
