"""Elman RNN, GRU and LSTM over (..., L, D) inputs, unrolled in Python as in MLX."""
import math
from typing import Callable, Optional

import cmlx.core as mx
from cmlx.nn.layers.activations import tanh
from cmlx.nn.layers.base import Module


def _uniform(limit, shape):
    return mx.random.uniform(low=-limit, high=limit, shape=shape)


class RNN(Module):
    """h_t = nonlinearity(x_t Wxh^T + h_{t-1} Whh^T + bias); returns all h_t (..., L, H)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 nonlinearity: Optional[Callable] = None):
        super().__init__()
        self.nonlinearity = nonlinearity or tanh
        if not callable(self.nonlinearity):
            raise ValueError(f"Nonlinearity must be callable. Current value: {nonlinearity}.")
        limit = 1.0 / math.sqrt(hidden_size)
        self.hidden_size = hidden_size
        self.Wxh = _uniform(limit, (hidden_size, input_size))
        self.Whh = _uniform(limit, (hidden_size, hidden_size))
        self.bias = _uniform(limit, (hidden_size,)) if bias else None

    def _extra_repr(self):
        return (f"input_dims={self.Wxh.shape[1]}, hidden_size={self.hidden_size}, "
                f"nonlinearity={self.nonlinearity}, bias={self.bias is not None}")

    def __call__(self, x, hidden=None):
        x = mx.addmm(self.bias, x, self.Wxh.T) if self.bias is not None else x @ self.Wxh.T
        states = []
        for t in range(x.shape[-2]):
            pre = x[..., t, :]
            if hidden is not None:
                pre = mx.addmm(pre, hidden, self.Whh.T)
            hidden = self.nonlinearity(pre)
            states.append(hidden)
        return mx.stack(states, axis=-2)


class GRU(Module):
    """Gated recurrent unit (PyTorch's formulation, gates ordered r, z, n)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True):
        super().__init__()
        self.hidden_size = hidden_size
        limit = 1.0 / math.sqrt(hidden_size)
        self.Wx = _uniform(limit, (3 * hidden_size, input_size))
        self.Wh = _uniform(limit, (3 * hidden_size, hidden_size))
        self.b = _uniform(limit, (3 * hidden_size,)) if bias else None
        self.bhn = _uniform(limit, (hidden_size,)) if bias else None

    def _extra_repr(self):
        return (f"input_dims={self.Wx.shape[1]}, hidden_size={self.hidden_size}, "
                f"bias={self.b is not None}")

    def __call__(self, x, hidden=None):
        H = self.hidden_size
        x = mx.addmm(self.b, x, self.Wx.T) if self.b is not None else x @ self.Wx.T
        x_rz, x_n = x[..., :-H], x[..., -H:]
        states = []
        for t in range(x.shape[-2]):
            rz = x_rz[..., t, :]
            if hidden is not None:
                h_proj = hidden @ self.Wh.T
                h_rz, h_n = h_proj[..., :-H], h_proj[..., -H:]
                if self.bhn is not None:
                    h_n = h_n + self.bhn
                rz = rz + h_rz
            r, z = mx.split(mx.sigmoid(rz), 2, axis=-1)
            n = x_n[..., t, :]
            if hidden is not None:
                n = n + r * h_n
            elif self.bhn is not None:
                n = n + r * self.bhn
            n = mx.tanh(n)
            hidden = (1 - z) * n + z * hidden if hidden is not None else (1 - z) * n
            states.append(hidden)
        return mx.stack(states, axis=-2)


class LSTM(Module):
    """Long short-term memory (gates ordered i, f, g, o); returns (hidden states, cells)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True):
        super().__init__()
        self.hidden_size = hidden_size
        limit = 1.0 / math.sqrt(hidden_size)
        self.Wx = _uniform(limit, (4 * hidden_size, input_size))
        self.Wh = _uniform(limit, (4 * hidden_size, hidden_size))
        self.bias = _uniform(limit, (4 * hidden_size,)) if bias else None

    def _extra_repr(self):
        return (f"input_dims={self.Wx.shape[1]}, hidden_size={self.hidden_size}, "
                f"bias={self.bias is not None}")

    def __call__(self, x, hidden=None, cell=None):
        x = mx.addmm(self.bias, x, self.Wx.T) if self.bias is not None else x @ self.Wx.T
        hiddens, cells = [], []
        for t in range(x.shape[-2]):
            gates = x[..., t, :]
            if hidden is not None:
                gates = mx.addmm(gates, hidden, self.Wh.T)
            i, f, g, o = mx.split(gates, 4, axis=-1)
            i, f, g, o = mx.sigmoid(i), mx.sigmoid(f), mx.tanh(g), mx.sigmoid(o)
            cell = f * cell + i * g if cell is not None else i * g
            hidden = o * mx.tanh(cell)
            cells.append(cell)
            hiddens.append(hidden)
        return mx.stack(hiddens, axis=-2), mx.stack(cells, axis=-2)
