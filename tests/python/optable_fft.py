"""Op table entries of the fft functions (include/cmlx/fft.h): see optable.py."""

from optable import NO_MLX_PYTHON_NAME, op  # noqa: F401

# Known open differences from MLX (test id -> reason), as in conftest.py.
KNOWN_DIVERGENCES = {}
