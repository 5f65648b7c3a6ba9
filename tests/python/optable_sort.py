"""Op table entries of the sort functions (include/cmlx/sort.h): see optable.py."""

from optable import NO_MLX_PYTHON_NAME, op  # noqa: F401

# Known open differences from MLX (test id -> reason), as in conftest.py.
KNOWN_DIVERGENCES = {}
