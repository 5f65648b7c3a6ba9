"""pytest setup of the differential harness: mlx.core is the reference, the
module under test is cmlx.core (or $CMLX_MODULE). When it cannot be imported,
every differential test is skipped with the reason."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from harness import load_modules  # noqa: E402

REF, CM, UNAVAILABLE = load_modules()


@pytest.fixture(scope="session")
def libs():
    if REF is None or CM is None:
        pytest.skip(UNAVAILABLE)
    return REF, CM


def pytest_report_header(config):
    if CM is None:
        return f"cmlx differential harness: SKIPPED: {UNAVAILABLE}"
    return f"cmlx differential harness: {CM.__name__} ({getattr(CM, '__file__', '?')}) vs mlx.core"
