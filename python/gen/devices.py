"""Devices and streams of cmlx.core, as mlx.core has them: DeviceType (cpu, gpu),
Device, Stream, default_device, set_default_device, default_stream,
set_default_stream, new_stream, stream, is_available, synchronize.

cmlx computes on the CPU only: the GPU exists as a name (mx.gpu), is not
available, and asking for it raises MLX's error for a build without a GPU
backend. Every op accepts `stream=` (None, a DeviceType, Device or Stream of
the CPU) and ignores it.

gen_ops.py embeds this file in the generated C; cmlx_init_ops runs it with
__name__ set to the extension module's name and `_module` bound to the module,
and adds the names of __all__ that the module does not have yet: what the
module already defines (module.c's DeviceType, Device, cpu, gpu,
default_device, set_default_device, is_available) is used, not replaced. The
op wrappers call _check_stream(stream, op_name) for a stream that is not None.
"""
import enum

__all__ = ["DeviceType", "Device", "Stream", "StreamContext", "cpu", "gpu", "default_device", "set_default_device",
           "default_stream", "set_default_stream", "new_stream", "stream", "is_available", "synchronize",
           "_check_stream"]


_existing = getattr(globals().get("_module"), "__dict__", {})


class _DeviceType(enum.Enum):
    cpu = 0
    gpu = 1

    def __repr__(self):
        return f"DeviceType.{self.name}"

    __str__ = __repr__


DeviceType = _existing.get("DeviceType", _DeviceType)
cpu = DeviceType.cpu
gpu = DeviceType.gpu


class _Device:
    """A device: its type and index. Device(type, index=0)."""

    __slots__ = ("_type", "_index")

    def __init__(self, type, index=0):
        if not isinstance(type, DeviceType) or not isinstance(index, int):
            raise TypeError("__init__(): incompatible function arguments: Device(type: DeviceType, index: int = 0)")
        self._type = type
        self._index = index

    @property
    def type(self):
        return self._type

    def __repr__(self):
        return f"Device({self._type.name}, {self._index})"

    def __eq__(self, other):
        if isinstance(other, DeviceType):
            other = Device(other)
        if not isinstance(other, Device):
            return NotImplemented
        return (self._type, self._index) == (other._type, other._index)

    def __hash__(self):
        return hash((self._type, self._index))


Device = _existing.get("Device", _Device)


class Stream:
    """A stream of a device; cmlx evaluates every stream in order on the CPU."""

    __slots__ = ("_device", "_index")

    def __init__(self, device, index):
        self._device = device
        self._index = index

    @property
    def device(self):
        return self._device

    def __repr__(self):
        return f"Stream({self._device!r}, {self._index})"

    def __eq__(self, other):
        if not isinstance(other, Stream):
            return NotImplemented
        return (self._device, self._index) == (other._device, other._index)

    def __hash__(self):
        return hash((self._device, self._index))


_CPU = Device(DeviceType.cpu)
_state = {"device": _CPU, "streams": {}, "next_index": 1}


def _to_device(obj, name):
    if isinstance(obj, DeviceType):
        obj = Device(obj)
    if isinstance(obj, Stream):
        obj = obj.device
    if not isinstance(obj, Device):
        raise TypeError(f"{name}(): expected a Device or DeviceType, not {type(obj).__name__}")
    return obj


def _cpu_only(device, name, what):
    if device.type is not DeviceType.cpu:
        raise ValueError(f"[{name}] Cannot {what} gpu device without gpu backend."
                         if what == "set" else f"[{name}] Cannot get gpu stream without gpu backend.")


def _default_device():
    return _state["device"]


def _set_default_device(device):
    device = _to_device(device, "set_default_device")
    _cpu_only(device, "set_default_device", "set")
    _state["device"] = device


def _is_available(device):
    return _to_device(device, "is_available").type is DeviceType.cpu


default_device = _existing.get("default_device", _default_device)
set_default_device = _existing.get("set_default_device", _set_default_device)
is_available = _existing.get("is_available", _is_available)


def default_stream(device):
    device = _to_device(device, "default_stream")
    _cpu_only(device, "default_stream", "get")
    return _state["streams"].setdefault(device, Stream(device, 0))


def set_default_stream(stream):
    if not isinstance(stream, Stream):
        raise TypeError(f"set_default_stream(): expected a Stream, not {type(stream).__name__}")
    _cpu_only(stream.device, "set_default_stream", "get")
    _state["streams"][stream.device] = stream
    set_default_device(stream.device)


def new_stream(device):
    device = _to_device(device, "new_stream")
    _cpu_only(device, "new_stream", "get")
    index = _state["next_index"]
    _state["next_index"] += 1
    return Stream(device, index)


def synchronize(stream=None):
    """cmlx evaluates synchronously: nothing is ever pending."""
    if stream is not None:
        _check_stream(stream, "synchronize")


class StreamContext:
    """`with mx.stream(s):` makes s's device the default inside the block."""

    def __init__(self, s):
        self._device = _to_device(s, "stream")
        _cpu_only(self._device, "default_stream", "get")
        self._saved = None

    def __enter__(self):
        self._saved = default_device()
        set_default_device(self._device)
        return self

    def __exit__(self, *exc):
        set_default_device(self._saved)
        return False


def stream(s):
    return StreamContext(s)


def _check_stream(s, name):
    """The `stream=` argument of op `name`: a CPU DeviceType, Device or Stream."""
    if not isinstance(s, (DeviceType, Device, Stream)):
        raise TypeError(f"{name}(): argument 'stream' must be a Stream, Device or DeviceType, not {type(s).__name__}")
    _cpu_only(_to_device(s, name), "default_stream", "get")


# ---- dtype categories and functions (composite helper): MLX's DtypeCategory, issubdtype,
# isdtype, finfo and iinfo, which MLX defines in its Python layer (result_type and can_cast
# are C glue: python/src/composite.c).
__all__ += ["DtypeCategory", "generic", "number", "integer", "signedinteger", "unsignedinteger", "inexact",
            "floating", "complexfloating", "issubdtype", "isdtype", "finfo", "iinfo"]


class DtypeCategory(enum.Enum):
    """Categories of dtypes: generic > bool, number; number > integer, inexact;
    integer > signedinteger, unsignedinteger; inexact > floating, complexfloating."""

    complexfloating = 0
    floating = 1
    inexact = 2
    signedinteger = 3
    unsignedinteger = 4
    integer = 5
    number = 6
    generic = 7

    def __repr__(self):
        return f"DtypeCategory.{self.name}"

    __str__ = __repr__


generic = DtypeCategory.generic
number = DtypeCategory.number
integer = DtypeCategory.integer
signedinteger = DtypeCategory.signedinteger
unsignedinteger = DtypeCategory.unsignedinteger
inexact = DtypeCategory.inexact
floating = DtypeCategory.floating
complexfloating = DtypeCategory.complexfloating

_PARENT = {complexfloating: inexact, floating: inexact, inexact: number, signedinteger: integer,
           unsignedinteger: integer, integer: number, number: generic, generic: None}
_DTYPE = getattr(globals().get("_module"), "Dtype", type(None))


def _category_of(dtype):
    name = str(dtype).rsplit(".", 1)[-1]
    if name == "bool":
        return generic
    if name.startswith("uint"):
        return unsignedinteger
    if name.startswith("int"):
        return signedinteger
    if name == "complex64":
        return complexfloating
    return floating


def _within(category, ancestor):
    while category is not None:
        if category is ancestor:
            return True
        category = _PARENT[category]
    return False


def issubdtype(arg1, arg2):
    """Whether arg1 (a Dtype or DtypeCategory) is arg2 or one of its kinds."""
    if not isinstance(arg1, (_DTYPE, DtypeCategory)):
        raise ValueError("[issubdtype] Received invalid type for first input.")
    if not isinstance(arg2, (_DTYPE, DtypeCategory)):
        raise ValueError("[issubdtype] Received invalid type for second input.")
    if isinstance(arg2, _DTYPE):
        return isinstance(arg1, _DTYPE) and arg1 == arg2
    return _within(_category_of(arg1) if isinstance(arg1, _DTYPE) else arg1, arg2)


_KINDS = {
    "bool": lambda c, d: str(d).endswith(".bool"),
    "signed integer": lambda c, d: c is signedinteger,
    "unsigned integer": lambda c, d: c is unsignedinteger,
    "integral": lambda c, d: _within(c, integer),
    "real floating": lambda c, d: c is floating,
    "complex floating": lambda c, d: c is complexfloating,
    "numeric": lambda c, d: _within(c, number),
}


def isdtype(dtype, kind):
    """Whether dtype is of kind: a Dtype, one of the array API's kind names, or a tuple of them."""
    if not isinstance(dtype, _DTYPE):
        raise TypeError(f"isdtype(): argument 'dtype' must be a Dtype, not {type(dtype).__name__}")
    kinds = kind if isinstance(kind, tuple) else (kind,)
    category = _category_of(dtype)
    for k in kinds:
        if isinstance(k, _DTYPE):
            if k == dtype:
                return True
        elif isinstance(k, str):
            if k not in _KINDS:
                raise ValueError(f"[isdtype] Unknown data type kind: '{k}'.")
            if _KINDS[k](category, dtype):
                return True
        else:
            raise ValueError("[isdtype] `kind` must be a dtype, a string, or a tuple of dtypes and strings.")
    return False


# (bits, min, max, eps, smallest normal) of the inexact dtypes; complex64 is described by float32
_FINFO = {
    "float16": (16, -65504.0, 65504.0, 2.0**-10, 2.0**-14),
    "bfloat16": (16, -3.3895313892515355e38, 3.3895313892515355e38, 2.0**-7, 2.0**-126),
    "float32": (32, -3.4028234663852886e38, 3.4028234663852886e38, 2.0**-23, 2.0**-126),
    "float64": (64, -1.7976931348623157e308, 1.7976931348623157e308, 2.0**-52, 2.0**-1022),
}


class finfo:
    """Machine limits of an inexact dtype (mx.finfo)."""

    def __init__(self, arg, /):
        if not isinstance(arg, _DTYPE):
            raise TypeError(f"__init__(): incompatible function arguments: finfo(arg: Dtype), not {type(arg).__name__}")
        name = str(arg).rsplit(".", 1)[-1]
        if _category_of(arg) not in (floating, complexfloating):
            raise ValueError(f"[finfo] dtype {name} is not inexact.")
        real = "float32" if name == "complex64" else name
        self.bits, self.min, self.max, self.eps, self.smallest_normal = _FINFO[real]
        self.dtype = getattr(globals().get("_module"), real, real)

    def __repr__(self):
        name = str(self.dtype).rsplit(".", 1)[-1]
        return f"finfo(min={self.min:g}, max={self.max:g}, dtype={name})"


class iinfo:
    """Limits of an integer dtype (mx.iinfo)."""

    def __init__(self, arg, /):
        if not isinstance(arg, _DTYPE):
            raise TypeError(f"__init__(): incompatible function arguments: iinfo(arg: Dtype), not {type(arg).__name__}")
        name = str(arg).rsplit(".", 1)[-1]
        if _category_of(arg) not in (signedinteger, unsignedinteger):
            raise ValueError(f"[iinfo] Only integer types supported but {name} was provided")
        bits = 8 * arg.size
        self.dtype = arg
        self.min = 0 if name.startswith("u") else -(1 << (bits - 1))
        self.max = (1 << bits) - 1 if name.startswith("u") else (1 << (bits - 1)) - 1

    def __repr__(self):
        name = str(self.dtype).rsplit(".", 1)[-1]
        return f"iinfo(min={self.min}, max={self.max}, dtype={name})"
