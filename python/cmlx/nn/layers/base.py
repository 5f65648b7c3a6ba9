"""nn.Module: a dict of parameters (arrays), child modules and nested lists/dicts of
them, with MLX's traversal, update, freezing and (de)serialisation semantics."""
from __future__ import annotations

import textwrap
from typing import Any, Callable, List, Optional, Tuple, Union

import cmlx.core as mx
from cmlx.utils import tree_flatten, tree_unflatten


def _filter_tree(owner, key, value, filter_fn, map_fn, is_leaf_fn):
    """The filtered/mapped copy of one member of a module (recursing into modules,
    dicts and lists). Inside plain containers the key passed to the predicates is
    the dotted path from the owning module ("layers.0"), as in MLX."""
    if is_leaf_fn(owner, key, value):
        return map_fn(value)
    if isinstance(value, Module):
        return {k: _filter_tree(value, k, v, filter_fn, map_fn, is_leaf_fn)
                for k, v in value.items() if filter_fn(value, k, v)}
    if isinstance(value, (dict, list)):
        pairs = value.items() if isinstance(value, dict) else enumerate(value)
        kept = [(k, _filter_tree(owner, f"{key}.{k}", v, filter_fn, map_fn, is_leaf_fn)
                 if filter_fn(owner, f"{key}.{k}", v) else {}) for k, v in pairs]
        return dict(kept) if isinstance(value, dict) else [v for _, v in kept]
    raise RuntimeError("Unexpected leaf found while traversing the module")


class Module(dict):
    """Base class of every layer and model.

    Attributes that are arrays, dicts, lists or tuples are stored as dict items
    (so they form the parameter tree); everything else is a plain attribute.
    Parameters whose name starts with "_" are private (not in parameters()).
    Frozen parameter names live in self._no_grad and are left out of
    trainable_parameters() (hence out of nn.value_and_grad's gradients).
    """

    __call__: Callable

    def __init__(self):
        self._no_grad = set()
        self._training = True

    # ---- attribute <-> item plumbing ------------------------------------------------
    def __getattr__(self, key: str):
        value = self.get(key, None)
        if value is not None:
            return value
        return super().__getattribute__(key)  # raises the usual AttributeError

    def __setattr__(self, key: str, value: Any):
        if isinstance(value, (mx.array, dict, list, tuple)):
            if hasattr(self, key) and key not in self:
                delattr(self, key)  # a plain attribute of that name would shadow the item
            self[key] = value
        else:
            super().__setattr__(key, value)
            self.pop(key, None)

    def __delattr__(self, key):
        if self.get(key, None) is not None:
            del self[key]
        else:
            super().__delattr__(key)

    @property
    def training(self):
        """True in training mode (see train() / eval())."""
        return self._training

    @property
    def state(self):
        """The module itself (a live dict of everything set on it)."""
        return self

    def _extra_repr(self) -> str:
        return ""

    def __repr__(self):
        children = tree_flatten(self.children(), is_leaf=self.is_module)
        lines = [f"{type(self).__name__}({self._extra_repr()}"]
        lines += [textwrap.indent(f"({name}): {child!r}", "  ") for name, child in children]
        return "\n".join(lines) + ("\n)" if children else ")")

    # ---- filters --------------------------------------------------------------------
    @staticmethod
    def is_module(value):
        return isinstance(value, Module)

    @staticmethod
    def valid_child_filter(module, key, value):
        return isinstance(value, (dict, list))

    @staticmethod
    def valid_parameter_filter(module, key, value):
        return isinstance(value, (dict, list, mx.array)) and not key.startswith("_")

    @staticmethod
    def trainable_parameter_filter(module, key, value):
        return Module.valid_parameter_filter(module, key, value) and key not in module._no_grad

    def filter_and_map(self, filter_fn: Callable[[Module, str, Any], bool],
                       map_fn: Optional[Callable] = None,
                       is_leaf_fn: Optional[Callable[[Module, str, Any], bool]] = None):
        """A dict of this module's members for which filter_fn(module, key, value)
        holds, recursively; leaves (decided by is_leaf_fn, by default anything that
        is not a module/dict/list) are passed through map_fn."""
        map_fn = map_fn or (lambda x: x)
        is_leaf_fn = is_leaf_fn or (lambda m, k, v: not isinstance(v, (Module, dict, list)))
        return {k: _filter_tree(self, k, v, filter_fn, map_fn, is_leaf_fn)
                for k, v in self.items() if filter_fn(self, k, v)}

    def parameters(self):
        """All array members, recursively, as a tree of dicts and lists."""
        return self.filter_and_map(self.valid_parameter_filter)

    def trainable_parameters(self):
        """The array members that are not frozen, recursively."""
        return self.filter_and_map(self.trainable_parameter_filter)

    def children(self):
        """The direct child modules (inside any nesting of dicts and lists)."""
        return self.filter_and_map(self.valid_child_filter,
                                   is_leaf_fn=lambda m, k, v: isinstance(v, Module))

    def leaf_modules(self):
        """The descendant modules that have no child modules themselves."""
        def is_leaf_module(m, k, v):
            return isinstance(v, Module) and len(tree_flatten(v.children())) == 0

        return self.filter_and_map(self.valid_child_filter, is_leaf_fn=is_leaf_module)

    # ---- updating -------------------------------------------------------------------
    def update(self, parameters: dict, strict: bool = True) -> Module:
        """Replace the arrays at the locations given in parameters (a full or partial
        tree like parameters()). strict: every location must exist and hold an array."""
        def assign(dst, key, new):
            current = dst[key]
            if isinstance(current, mx.array):
                if strict and not isinstance(new, mx.array):
                    raise ValueError(f"Received invalid type: {type(new).__name__}.")
                dst[key] = new
            else:
                merge(current, new)

        def merge(dst, params):
            if isinstance(params, dict):
                for key in params:
                    if key in dst:
                        assign(dst, key, params[key])
                    elif strict:
                        raise ValueError(f'Module does not have parameter named "{key}".')
            elif isinstance(params, list):
                for i in range(len(params)):
                    if i < len(dst):
                        assign(dst, i, params[i])
                    elif strict:
                        raise ValueError(f"List index {i} is out of bounds for destination of "
                                         f"length {len(dst)}.")
            elif strict:
                raise ValueError(f"Received invalid type: {type(params).__name__}.")

        merge(self, parameters)
        return self

    def update_modules(self, modules: dict, strict: bool = True) -> Module:
        """Replace child modules at the locations given in modules (a full or partial
        tree like children())."""
        def assign(dst, key, new):
            current = dst[key]
            if isinstance(current, Module) and isinstance(new, Module):
                dst[key] = new
            elif isinstance(current, (dict, list)):
                merge(current, new)
            elif strict and new != {}:
                raise ValueError(f"Received invalid type: {type(new).__name__}.")

        def merge(dst, mods):
            if isinstance(mods, dict):
                for key in mods:
                    if key in dst:
                        assign(dst, key, mods[key])
                    elif strict:
                        raise ValueError(f'Module does not have sub-module named "{key}".')
            elif isinstance(mods, list):
                for i in range(len(mods)):
                    if i < len(dst):
                        assign(dst, i, mods[i])
                    elif strict:
                        raise ValueError(f"List index {i} is out of bounds for destination of "
                                         f"length {len(dst)}.")
            elif strict:
                raise ValueError(f"Received invalid type: {type(mods).__name__}.")

        merge(self, modules)
        return self

    def apply(self, map_fn: Callable[[mx.array], mx.array],
              filter_fn: Optional[Callable[[Module, str, Any], bool]] = None) -> Module:
        """Map the parameters selected by filter_fn (default: all) through map_fn in place."""
        filter_fn = filter_fn or Module.valid_parameter_filter
        self.update(self.filter_and_map(filter_fn, map_fn))
        return self

    def apply_to_modules(self, apply_fn: Callable[[str, Module], Any]) -> Module:
        """Call apply_fn(dotted_path, module) on this module and every descendant
        (depth first, last child first, as MLX)."""
        stack = [("", self)]
        while stack:
            path, module = stack.pop()
            apply_fn(path, module)
            stack.extend(tree_flatten(module.children(), prefix="." + path if path else "",
                                      is_leaf=self.is_module))
        return self

    def modules(self):
        """Every module of the tree, this one first."""
        found = []
        self.apply_to_modules(lambda _, m: found.append(m))
        return found

    def named_modules(self):
        """(dotted_path, module) for every module of the tree, this one first ("")."""
        found = []
        self.apply_to_modules(lambda path, m: found.append((path, m)))
        return found

    # ---- freezing -------------------------------------------------------------------
    def _validate_keys(self, keys, strict):
        keys = keys if isinstance(keys, list) else [keys]
        if strict:
            for key in keys:
                if key not in self:
                    raise KeyError(f"Module doesn't contain member {key}.")
        return keys

    def _validate_keys_recursive(self, keys):
        keys = keys if isinstance(keys, list) else [keys]
        modules = self.modules()
        for key in keys:
            if not any(key in m for m in modules):
                raise KeyError(f"Module doesn't contain member {key}.")

    def freeze(self, *, recurse: bool = True, keys: Optional[Union[str, List[str]]] = None,
               strict: bool = False) -> Module:
        """Freeze (exclude from gradients) all parameters, or those named in keys,
        of this module and, with recurse, of its descendants."""
        def freeze_one(_, module):
            names = keys
            if names is None:
                own = module.filter_and_map(
                    lambda m, k, v: not isinstance(v, Module) and m.valid_parameter_filter(m, k, v))
                names = [name for name, _ in tree_flatten(own)]
            module._no_grad.update(module._validate_keys(names, strict_here))

        strict_here = strict
        if recurse:
            if strict and keys is not None:
                self._validate_keys_recursive(keys)
                strict_here = False
            self.apply_to_modules(freeze_one)
        else:
            freeze_one("", self)
        return self

    def unfreeze(self, *, recurse: bool = True, keys: Optional[Union[str, List[str]]] = None,
                 strict: bool = False) -> Module:
        """Undo freeze() for all parameters or those named in keys."""
        def unfreeze_one(_, module):
            if keys is None:
                module._no_grad.clear()
            else:
                module._no_grad.difference_update(module._validate_keys(keys, strict_here))

        strict_here = strict
        if recurse:
            if strict and keys is not None:
                self._validate_keys_recursive(keys)
                strict_here = False
            self.apply_to_modules(unfreeze_one)
        else:
            unfreeze_one("", self)
        return self

    # ---- modes and dtypes -----------------------------------------------------------
    def _set_training_mode(self, mode: bool) -> None:
        self._training = mode

    def train(self, mode: bool = True) -> Module:
        """Set training mode (Dropout, BatchNorm, ...) on the whole tree."""
        self.apply_to_modules(lambda _, m: m._set_training_mode(mode))
        return self

    def eval(self) -> Module:
        """Same as train(False)."""
        return self.train(False)

    def set_dtype(self, dtype: mx.Dtype,
                  predicate: Optional[Callable[[mx.Dtype], bool]] = lambda x: mx.issubdtype(
                      x, mx.floating)):
        """Cast the parameters whose dtype satisfies predicate (default: floating) to dtype."""
        if predicate is None:
            def predicate(_):
                return True
        self.apply(lambda x: x.astype(dtype) if predicate(x.dtype) else x)

    # ---- weights I/O ----------------------------------------------------------------
    def load_weights(self, file_or_weights: Union[str, List[Tuple[str, mx.array]]],
                     strict: bool = True) -> Module:
        """Load parameters from a .npz / .safetensors file or a list of (name, array).
        strict: the names must match the model's parameters exactly, with equal shapes."""
        weights = file_or_weights
        if isinstance(weights, str):
            weights = list(mx.load(weights).items())
        if strict:
            given = dict(weights)
            current = tree_flatten(self.parameters(), destination={})
            extras = given.keys() - current.keys()
            if extras:
                listing = ",\n".join(sorted(extras))
                raise ValueError(f"Received {len(extras)} parameters not in model: \n{listing}.")
            missing = current.keys() - given.keys()
            if missing:
                listing = ",\n".join(sorted(missing))
                raise ValueError(f"Missing {len(missing)} parameters: \n{listing}.")
            for name, value in current.items():
                new = given[name]
                if not isinstance(new, mx.array):
                    raise ValueError(f"Expected mx.array but received {type(new)} for parameter "
                                     f"{name}")
                if new.shape != value.shape:
                    raise ValueError(f"Expected shape {value.shape} but received shape "
                                     f"{new.shape} for parameter {name}")
        if len(weights) != 0:
            self.update(tree_unflatten(weights), strict=False)
        return self

    def save_weights(self, file: str):
        """Save the parameters to file: .npz (mx.savez) or .safetensors."""
        flat = tree_flatten(self.parameters(), destination={})
        if file.endswith(".npz"):
            mx.savez(file, **flat)
        elif file.endswith(".safetensors"):
            mx.save_safetensors(file, flat)
        else:
            raise ValueError(f"Unsupported file extension for {file}. Use '.npz' or "
                             "'.safetensors'.")
