"""cmlx.nn: neural-network layers, losses and initialisers on top of cmlx.core,
with mlx.nn's API (see docs/python-nn.md)."""
from cmlx.nn import init, losses
from cmlx.nn.layers import *  # noqa: F401,F403
from cmlx.nn.utils import value_and_grad
