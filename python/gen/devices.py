"""Devices and streams of cmlx.core, as mlx.core has them: DeviceType (cpu, gpu),
Device, Stream, ThreadLocalStream, default_device, set_default_device,
device_count, device_info, is_available, default_stream, set_default_stream,
new_stream, new_thread_local_stream, new_thread_unsafe_stream, clear_streams,
stream, synchronize, and the submodules cuda and metal (is_available).

The device API is the C library's (include/cmlx/device.h), reached through
the module's private _device_* functions (python/src/devices.c): the default
device lives in the library, so C and Python agree on it. The GPU is
available when the library was built with CUDA and a CUDA device is present;
without it, asking for the GPU raises MLX's errors for a build without a GPU
backend. cmlx starts on the CPU (MLX's CUDA build starts on the GPU):
mx.set_default_device(mx.gpu) moves new ops to the GPU.

Every op's `stream=` (None, a DeviceType, Device, Stream or ThreadLocalStream)
makes that op's nodes use the stream's device: the C wrapper calls
_stream_device and sets the default device around the call (devices.c).
Streams: cmlx has one execution queue per device (one CUDA stream for the
GPU; the CPU runs in order), so a Stream is MLX's (index, device) pair, and a
new stream is a new index on its device that runs on that same queue.
Default streams are per thread, as in MLX; indices count up process-wide
(the default device's default stream is made at import: index 0).

gen_ops.py embeds this file in the generated C; cmlx_init_ops runs it with
__name__ set to the extension module's name and `_module` bound to the module,
and adds the names of __all__ that the module does not have yet.
"""
import enum
import platform
import sys
import threading
import types

__all__ = ["DeviceType", "Device", "Stream", "ThreadLocalStream", "StreamContext", "cpu", "gpu", "default_device",
           "set_default_device", "device_count", "device_info", "is_available", "default_stream",
           "set_default_stream", "new_stream", "new_thread_local_stream", "new_thread_unsafe_stream",
           "clear_streams", "stream", "synchronize", "cuda", "metal"]

_c = globals()["_module"]


class DeviceType(enum.Enum):
    cpu = 0
    gpu = 1

    def __repr__(self):
        return f"DeviceType.{self.name}"

    __str__ = __repr__


cpu = DeviceType.cpu
gpu = DeviceType.gpu


class Device:
    """A device to run operations on."""

    __slots__ = ("_type", "_index")

    def __init__(self, type, index=0):
        if not isinstance(type, DeviceType) or not isinstance(index, int) or isinstance(index, bool):
            raise TypeError("__init__(): incompatible function arguments. The following argument types are "
                            "supported:\n    1. __init__(self, type: DeviceType, index: int = 0) -> None")
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


class Stream:
    """A stream for running operations on a given device."""

    __slots__ = ("_device", "_index")

    def __init__(self, *args, **kwargs):
        raise TypeError(f"{__name__}.Stream: no constructor defined!")

    @classmethod
    def _make(cls, index, device):
        s = object.__new__(cls)
        s._index = index
        s._device = device
        return s

    @property
    def device(self):
        return self._device

    def __repr__(self):
        return f"{type(self).__name__}({self._device!r}, {self._index})"

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return (self._device, self._index) == (other._device, other._index)

    def __hash__(self):
        return hash((type(self).__name__, self._device, self._index))


class ThreadLocalStream(Stream):
    """A stream that will be unique per thread and can be used to run operations on a given device."""

    __slots__ = ()


def _device_of(obj, name, allow_streams=True):
    """The Device of a DeviceType, Device or (when allowed) a stream; TypeError otherwise."""
    if isinstance(obj, DeviceType):
        return Device(obj)
    if isinstance(obj, Device):
        return obj
    if allow_streams and isinstance(obj, Stream):
        return obj.device
    kinds = "Stream, ThreadLocalStream, Device or DeviceType" if allow_streams else "Device or DeviceType"
    raise TypeError(f"{name}(): incompatible function arguments: expected a {kinds}, not {type(obj).__name__}")


def _available(device):
    return _c._device_is_available(device.type.value, device._index)


def _require_gpu(device, message):
    if device.type is DeviceType.gpu and not _c._device_is_available(1, 0):
        raise ValueError(message)


# ---- devices


def default_device():
    """Get the default device."""
    t, i = _c._device_default()
    return Device(DeviceType(t), i)


def set_default_device(device):
    """Set the default device."""
    d = _device_of(device, "set_default_device", allow_streams=False)
    _c._device_set_default(d.type.value, d._index)


def is_available(device):
    """Check if a back-end is available for the given device."""
    return _available(_device_of(device, "is_available", allow_streams=False))


def device_count(device_type):
    """Get the number of available devices for the given device type."""
    if not isinstance(device_type, DeviceType):
        raise TypeError(f"device_count(): incompatible function arguments: expected a DeviceType, "
                        f"not {type(device_type).__name__}")
    return _c._device_count(device_type.value)


def _cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def device_info(d=None):
    """Information about a device (default: the default device): device_name and, for the CPU,
    architecture; an empty dict for a device that is not available."""
    d = default_device() if d is None else _device_of(d, "device_info", allow_streams=False)
    if not _available(d):
        return {}
    if d.type is DeviceType.cpu:
        return {"architecture": platform.machine(), "device_name": _cpu_name()}
    return {"device_name": _c._device_name(d.type.value, d._index)}


# ---- streams: (index, device) pairs; one execution queue per device

_streams = {"next": 0, "next_thread_local": 0}
_streams_lock = threading.Lock()
_thread = threading.local()  # .defaults: {Device: Stream}, the thread's default streams


def _next_index(key):
    with _streams_lock:
        index = _streams[key]
        _streams[key] += 1
    return index


def _defaults():
    d = getattr(_thread, "defaults", None)
    if d is None:
        d = _thread.defaults = {}
    return d


def default_stream(device):
    """Get the device's default stream."""
    d = _device_of(device, "default_stream", allow_streams=False)
    _require_gpu(d, "[default_stream] Cannot get gpu stream without gpu backend.")
    defaults = _defaults()
    if d not in defaults:
        defaults[d] = Stream._make(_next_index("next"), d)
    return defaults[d]


# The default device's default stream exists from the start (index 0), as in MLX, whose first op
# makes it.
default_stream(default_device())


def set_default_stream(stream):
    """Set the default stream: the given stream becomes the default of its device (the default
    device does not change)."""
    if not isinstance(stream, Stream):
        raise TypeError(f"set_default_stream(): incompatible function arguments: expected a Stream, "
                        f"not {type(stream).__name__}")
    _require_gpu(stream.device, "[set_default_stream] Cannot set gpu stream without gpu backend.")
    _defaults()[stream.device] = stream


def new_stream(device):
    """Make a new stream on the given device (cmlx: a new index on the device's one queue)."""
    d = _device_of(device, "new_stream", allow_streams=False)
    _require_gpu(d, "[new_stream] Cannot make gpu stream without gpu backend.")
    return Stream._make(_next_index("next"), d)


def new_thread_unsafe_stream(device):
    """Make a new stream that can be used in any thread (cmlx: the same as new_stream)."""
    d = _device_of(device, "new_thread_unsafe_stream", allow_streams=False)
    _require_gpu(d, "[new_thread_unsafe_stream] Cannot make gpu stream without gpu backend.")
    return Stream._make(_next_index("next"), d)


def new_thread_local_stream(device):
    """Make a new stream that will be unique per thread."""
    d = _device_of(device, "new_thread_local_stream", allow_streams=False)
    return ThreadLocalStream._make(_next_index("next_thread_local"), d)


def clear_streams():
    """Destroy all streams created in current thread (cmlx: forgets the thread's default streams;
    the device queues stay)."""
    _defaults().clear()


def synchronize(stream=None):
    """Wait for the work queued on the stream (a Stream, Device or DeviceType; None: the default
    device). cmlx: mx_synchronize, which waits for the GPU's queue (the CPU runs synchronously)."""
    d = default_device() if stream is None else _device_of(stream, "synchronize")
    _require_gpu(d, "[default_stream] Cannot get gpu stream without gpu backend.")
    _c._device_synchronize()


class StreamContext:
    """A context manager for setting the current device and stream. See stream()."""

    def __init__(self, s):
        self._device = _device_of(s, "StreamContext")
        self._stream = s if isinstance(s, Stream) else None
        self._saved = None

    def __enter__(self):
        # as MLX: the stream of a device is its default stream, which a GPU needs a backend for
        stream = self._stream if self._stream is not None else default_stream(self._device)
        _require_gpu(self._device, "[default_stream] Cannot get gpu stream without gpu backend.")
        defaults = _defaults()
        self._saved = (default_device(), defaults.get(self._device))
        set_default_device(self._device)
        defaults[self._device] = stream
        return None

    def __exit__(self, *exc):
        device, stream = self._saved
        defaults = _defaults()
        if stream is None:
            defaults.pop(self._device, None)
        else:
            defaults[self._device] = stream
        set_default_device(device)
        return False


def stream(s):
    """Create a context manager to set the default device and stream."""
    return StreamContext(s)


def _stream_device(s, name):
    """The `stream=` argument of op `name` (not None): (device type, index) of its device, which the
    wrapper makes the default device for the call. MLX's errors for a wrong type or a GPU stream
    without a GPU backend."""
    if not isinstance(s, (DeviceType, Device, Stream)):
        raise TypeError(f"{name}(): argument 'stream' must be a Stream, Device or DeviceType, not {type(s).__name__}")
    d = _device_of(s, name)
    _require_gpu(d, "[default_stream] Cannot get gpu stream without gpu backend.")
    return d.type.value, d._index


_c._device_register_stream_fn(_stream_device)


def _submodule(short, doc, functions):
    m = types.ModuleType(f"{__name__}.{short}", doc)
    for f in functions:
        setattr(m, f.__name__, f)
    sys.modules[m.__name__] = m
    return m


def _cuda_is_available():
    """Check if the CUDA back-end is available (cmlx: built with CUDA and a CUDA device present)."""
    return _c._device_is_available(1, 0)


def _metal_is_available():
    """Check if the Metal back-end is available (never, in cmlx)."""
    return False


_cuda_is_available.__name__ = _metal_is_available.__name__ = "is_available"
cuda = _submodule("cuda", "The CUDA back-end (mlx.core.cuda).", [_cuda_is_available])
metal = _submodule("metal", "The Metal back-end (mlx.core.metal): never available in cmlx.", [_metal_is_available])


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
