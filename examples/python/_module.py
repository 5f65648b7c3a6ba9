"""Picks the array module for the examples: argv[1] or $MX_MODULE, default cmlx.core.
(The examples themselves are plain MLX programs: only this choice differs.)"""

import importlib
import os
import sys


def array_module():
    name = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("MX_MODULE", "cmlx.core")
    return importlib.import_module(name)
