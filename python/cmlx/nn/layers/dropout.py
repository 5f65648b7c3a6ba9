import cmlx.core as mx
from cmlx.nn.layers.base import Module


class _DropoutBase(Module):
    _channel_axes = ()  # axes (from the end, excluding the last) sharing one mask value
    _allowed_ndim = None

    def __init__(self, p: float = 0.5):
        super().__init__()
        if p < 0 or p >= 1:
            raise ValueError(f"The dropout probability {p} is not in [0, 1)")
        self._p_1 = 1 - p

    def _extra_repr(self) -> str:
        return f"p={1 - self._p_1}"

    def __call__(self, x: mx.array) -> mx.array:
        if self._allowed_ndim is not None and x.ndim not in self._allowed_ndim:
            a, b = self._allowed_ndim
            raise ValueError(f"Received input with {x.ndim} dimensions. Expected {a} or {b} "
                             "dimensions.")
        if self._p_1 == 1 or not self.training:
            return x
        mask_shape = list(x.shape)
        for axis in self._channel_axes:
            mask_shape[axis] = 1
        if self._channel_axes:
            mask = mx.random.bernoulli(p=self._p_1, shape=mask_shape)
        else:
            mask = mx.random.bernoulli(self._p_1, x.shape)
        return mask * x * (1 / self._p_1)


class Dropout(_DropoutBase):
    """Zero each element with probability p in training, scaling survivors by 1/(1-p)."""


class Dropout2d(_DropoutBase):
    """Channel dropout for (N, H, W, C) / (H, W, C) inputs: whole channels are zeroed."""
    _channel_axes = (-2, -3)
    _allowed_ndim = (3, 4)


class Dropout3d(_DropoutBase):
    """Channel dropout for (N, D, H, W, C) / (D, H, W, C) inputs."""
    _channel_axes = (-2, -3, -4)
    _allowed_ndim = (4, 5)
