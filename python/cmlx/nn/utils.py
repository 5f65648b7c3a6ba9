from functools import wraps
from typing import Callable, Optional

import cmlx.core as mx


def value_and_grad(model, fn: Callable):
    """Wrap fn(*args) so that calling it returns (fn(*args), gradients), the gradients
    being taken with respect to model.trainable_parameters() (a tree like them)."""
    def with_params(params, *args, **kwargs):
        model.update(params)  # the transform's tracers become the model's parameters
        return fn(*args, **kwargs)

    value_and_grad_fn = mx.value_and_grad(with_params)

    @wraps(fn)
    def wrapped(*args, **kwargs):
        return value_and_grad_fn(model.trainable_parameters(), *args, **kwargs)

    return wrapped


def checkpoint(module, fn: Optional[Callable] = None):
    """Gradient checkpointing of fn (default: the module itself) with respect to the
    module's trainable parameters and the call's inputs: intermediates are
    recomputed in the backward pass instead of being kept."""
    if fn is None:
        fn = module

    def with_params(params, *args, **kwargs):
        module.update(params)
        return fn(*args, **kwargs)

    checkpointed = mx.checkpoint(with_params)

    @wraps(fn)
    def wrapped(*args, **kwargs):
        return checkpointed(module.trainable_parameters(), *args, **kwargs)

    return wrapped
